// retort branches: the branch points and the branches leaving them.
#include "commands.hpp"
#include "output.hpp"

#include <fmt/core.h>

namespace retort::cli {

void setup_branches(CLI::App& app, Context& ctx) {
    auto verbose = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("branches", "Show the branch points of the revision graph");
    cmd->add_flag("-v,--verbose", *verbose, "show the full revision details");
    cmd->callback([verbose, &ctx] {
        const RevisionGraph& graph = ctx.graph();
        for (const auto& id : graph.branch_points()) {
            const Revision& r = graph.at(id);
            if (*verbose)
                fmt::print("{}\n", verbose_block(graph, r, {}));
            else
                fmt::print("{}\n", history_line(graph, r, {}));
            for (const auto& child : graph.children(id)) {
                const Revision& c = graph.at(child);
                fmt::print("             -> {}, {}\n", revision_tags(graph, c, {}), c.message);
            }
        }
    });
}

}  // namespace retort::cli
