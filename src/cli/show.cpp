// retort show <rev>: one revision in full, with its operations.
#include "commands.hpp"
#include "output.hpp"

#include <retort/ops/builder_data.hpp>
#include <retort/ops/canonical.hpp>

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct ShowOptions {
    std::string revision;
    bool json = false;
};

struct ShowReport {
    const Revision* revision = nullptr;
    std::vector<Op> upgrade;
    std::optional<std::vector<Op>> downgrade;  // nullopt: derived
};

ShowReport run_show(const ShowOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    const std::string& rev = o.revision;
    std::string id = rev == "head" || rev == "heads" || rev.find('@') != std::string::npos
                         ? graph.resolve_upgrade_target(rev, {}).front()
                         : graph.resolve_revision(rev);
    ShowReport report;
    report.revision = &graph.at(id);
    report.upgrade = record_ops(report.revision->upgrade);
    if (report.revision->downgrade) report.downgrade = record_ops(report.revision->downgrade);
    return report;
}

/// An op in JSON: its canonical form (docs/safety.md) and its one-line description.
nlohmann::json op_json(const Op& op) {
    auto j = nlohmann::json::parse(canonical_op(op));
    j["description"] = describe(op);
    return j;
}

void print_show(const ShowReport& report, const ShowOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    const Revision& r = *report.revision;
    if (o.json) {
        nlohmann::json up = nlohmann::json::array(), down = nlohmann::json::array();
        for (const auto& op : report.upgrade) up.push_back(op_json(op));
        if (report.downgrade)
            for (const auto& op : *report.downgrade) down.push_back(op_json(op));
        print_json({{"revision", revision_json(graph, r)},
                    {"upgrade", up},
                    {"downgrade", {{"derived", !report.downgrade.has_value()}, {"ops", down}}}});
        return;
    }
    fmt::print("{}\n", verbose_block(graph, r, {}));
    fmt::print("Upgrade:\n");
    if (report.upgrade.empty()) fmt::print("    (no operations)\n");
    for (const auto& op : report.upgrade) fmt::print("    {}\n", describe(op));
    fmt::print("Downgrade:\n");
    if (!report.downgrade) {
        fmt::print("    (derived: the reverse of the upgrade)\n");
    } else {
        if (report.downgrade->empty()) fmt::print("    (no operations)\n");
        for (const auto& op : *report.downgrade) fmt::print("    {}\n", describe(op));
    }
}

}  // namespace

void setup_show(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ShowOptions>();
    auto* cmd = app.add_subcommand("show", "Show one revision: details and operations");
    cmd->add_option("revision", o->revision, "a revision id, prefix, label, head")->required();
    cmd->add_flag("--json", o->json, "print the revision and its ops as JSON (docs/cli.md, \"JSON output\")");
    cmd->callback([o, &ctx] { print_show(run_show(*o, ctx), *o, ctx); });
}

}  // namespace retort::cli
