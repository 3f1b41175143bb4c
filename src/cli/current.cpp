// retort current: the revision(s) the database is at.
#include "commands.hpp"
#include "output.hpp"

#include <fmt/core.h>

namespace retort::cli {

namespace {

void run_current(bool verbose, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    auto session = ctx.connect();
    Migrator migrator(graph, *session, ctx.migrator_options());
    auto heads = migrator.current();
    if (verbose) fmt::print("Current revision(s) for {}:\n", session->describe());
    for (const auto& h : heads) {
        const Revision& r = graph.at(h);
        if (verbose)
            fmt::print("{}\n", verbose_block(graph, r, {}));
        else
            fmt::print("{}\n", revision_tags(graph, r, {}));
    }
}

}  // namespace

void setup_current(CLI::App& app, Context& ctx) {
    auto verbose = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("current", "Show the revision(s) the database is at");
    cmd->add_flag("-v,--verbose", *verbose, "show the full revision details");
    cmd->callback([verbose, &ctx] { run_current(*verbose, ctx); });
}

}  // namespace retort::cli
