// retort show <rev>: one revision in full, with its operations.
#include "commands.hpp"
#include "output.hpp"

#include <retort/ops/builder_data.hpp>

#include <fmt/core.h>

namespace retort::cli {

void setup_show(CLI::App& app, Context& ctx) {
    auto rev = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("show", "Show one revision: details and operations");
    cmd->add_option("revision", *rev, "a revision id, prefix, label, head")->required();
    cmd->callback([rev, &ctx] {
        const RevisionGraph& graph = ctx.graph();
        std::string id = *rev == "head" || *rev == "heads" || rev->find('@') != std::string::npos
                             ? graph.resolve_upgrade_target(*rev, {}).front()
                             : graph.resolve_revision(*rev);
        const Revision& r = graph.at(id);
        fmt::print("{}\n", verbose_block(graph, r, {}));
        fmt::print("Upgrade:\n");
        auto up = record_ops(r.upgrade);
        if (up.empty()) fmt::print("    (no operations)\n");
        for (const auto& op : up) fmt::print("    {}\n", describe(op));
        fmt::print("Downgrade:\n");
        if (!r.downgrade) {
            fmt::print("    (derived: the reverse of the upgrade)\n");
        } else {
            auto down = record_ops(r.downgrade);
            if (down.empty()) fmt::print("    (no operations)\n");
            for (const auto& op : down) fmt::print("    {}\n", describe(op));
        }
    });
}

}  // namespace retort::cli
