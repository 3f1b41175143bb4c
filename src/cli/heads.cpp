// retort heads: the revisions nothing builds on yet.
#include "commands.hpp"
#include "output.hpp"

#include <fmt/core.h>

namespace retort::cli {

void setup_heads(CLI::App& app, Context& ctx) {
    auto verbose = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("heads", "Show the head revisions of the migrations");
    cmd->add_flag("-v,--verbose", *verbose, "show the full revision details");
    cmd->callback([verbose, &ctx] {
        const RevisionGraph& graph = ctx.graph();
        for (const auto& h : graph.heads()) {
            const Revision& r = graph.at(h);
            if (*verbose)
                fmt::print("{}\n", verbose_block(graph, r, {}));
            else
                fmt::print("{}\n", revision_tags(graph, r, {}));
        }
    });
}

}  // namespace retort::cli
