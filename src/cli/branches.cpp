// retort branches: the branch points and the branches leaving them.
#include "commands.hpp"
#include "output.hpp"

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct BranchesOptions {
    bool verbose = false;
    bool json = false;
};

void run_branches(const BranchesOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    if (o.json) {
        nlohmann::json points = nlohmann::json::array();
        for (const auto& id : graph.branch_points()) {
            nlohmann::json branches = nlohmann::json::array();
            for (const auto& child : graph.children(id)) branches.push_back(revision_json(graph, graph.at(child)));
            points.push_back({{"revision", revision_json(graph, graph.at(id))}, {"branches", branches}});
        }
        print_json({{"branch_points", points}});
        return;
    }
    const bool color = use_color(ctx.options().no_color);
    for (const auto& id : graph.branch_points()) {
        const Revision& r = graph.at(id);
        if (o.verbose)
            fmt::print("{}\n", verbose_block(graph, r, {}));
        else
            fmt::print("{}\n", history_line(graph, r, {}, color));
        for (const auto& child : graph.children(id)) {
            const Revision& c = graph.at(child);
            fmt::print("             -> {}, {}\n", revision_tags(graph, c, {}, color), c.message);
        }
    }
}

}  // namespace

void setup_branches(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<BranchesOptions>();
    auto* cmd = app.add_subcommand("branches", "Show the branch points of the revision graph");
    cmd->add_flag("-v,--verbose", o->verbose, "show the full revision details");
    cmd->add_flag("--json", o->json, "print the branch points as JSON (docs/cli.md, \"JSON output\")");
    cmd->callback([o, &ctx] { run_branches(*o, ctx); });
}

}  // namespace retort::cli
