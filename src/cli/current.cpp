// retort current: the revision(s) the database is at.
#include "commands.hpp"
#include "output.hpp"

#include <retort/dialect/url.hpp>

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct CurrentOptions {
    bool verbose = false;
    bool json = false;
};

struct CurrentReport {
    std::string database;  // the URL without its password
    std::vector<const Revision*> current;
};

CurrentReport run_current(Context& ctx) {
    ctx.start_connecting(OpenMode::existing);  // while the plugin loads
    const RevisionGraph& graph = ctx.graph();
    auto session = ctx.connect(OpenMode::existing);
    Migrator migrator(graph, *session, ctx.migrator_options());
    CurrentReport report;
    report.database = mask_passwords(session->describe());
    for (const auto& h : migrator.current()) report.current.push_back(&graph.at(h));
    return report;
}

void print_current(const CurrentReport& report, const CurrentOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    if (o.json) {
        nlohmann::json current = nlohmann::json::array();
        for (const Revision* r : report.current) current.push_back(revision_json(graph, *r));
        print_json({{"database", report.database}, {"current", current}});
        return;
    }
    const bool color = use_color(ctx.options().no_color);
    if (o.verbose) fmt::print("Current revision(s) for {}:\n", report.database);
    for (const Revision* r : report.current) {
        if (o.verbose)
            fmt::print("{}\n", verbose_block(graph, *r, {}));
        else
            fmt::print("{}\n", revision_tags(graph, *r, {}, color));
    }
}

}  // namespace

void setup_current(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<CurrentOptions>();
    auto* cmd = app.add_subcommand("current", "Show the revision(s) the database is at");
    cmd->add_flag("-v,--verbose", o->verbose, "show the full revision details");
    cmd->add_flag("--json", o->json, "print the report as JSON (docs/cli.md, \"JSON output\")");
    cmd->callback([o, &ctx] { print_current(run_current(ctx), *o, ctx); });
}

}  // namespace retort::cli
