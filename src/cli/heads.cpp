// retort heads: the revisions nothing builds on yet.
#include "commands.hpp"
#include "output.hpp"

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct HeadsOptions {
    bool verbose = false;
    bool json = false;
};

void run_heads(const HeadsOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    if (o.json) {
        nlohmann::json heads = nlohmann::json::array();
        for (const auto& h : graph.heads()) heads.push_back(revision_json(graph, graph.at(h)));
        print_json({{"heads", heads}});
        return;
    }
    const bool color = use_color(ctx.options().no_color);
    for (const auto& h : graph.heads()) {
        const Revision& r = graph.at(h);
        if (o.verbose)
            fmt::print("{}\n", verbose_block(graph, r, {}));
        else
            fmt::print("{}\n", revision_tags(graph, r, {}, color));
    }
}

}  // namespace

void setup_heads(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<HeadsOptions>();
    auto* cmd = app.add_subcommand("heads", "Show the head revisions of the migrations");
    cmd->add_flag("-v,--verbose", o->verbose, "show the full revision details");
    cmd->add_flag("--json", o->json, "print the heads as JSON (docs/cli.md, \"JSON output\")");
    cmd->callback([o, &ctx] { run_heads(*o, ctx); });
}

}  // namespace retort::cli
