// retort upgrade <target>: apply migrations; --sql writes the script instead.
#include "commands.hpp"
#include "output.hpp"

#include <retort/error.hpp>

#include <fmt/core.h>

namespace retort::cli {

namespace {

struct UpgradeOptions {
    std::string target = "head";
    bool sql = false;
    bool skip_data = false;
    bool schema_load = false;
    std::vector<std::string> accept_changed;  // revision specifiers
};

void run_upgrade(const UpgradeOptions& o, Context& ctx) {
    if (!o.sql) ctx.start_connecting(OpenMode::create);  // while the plugin loads
    const RevisionGraph& graph = ctx.graph();
    if (o.sql) {
        fmt::print("{}", ctx.offline_script(Direction::upgrade, o.target, o.skip_data));
        return;
    }
    auto session = ctx.connect(OpenMode::create);
    auto options = ctx.migrator_options();
    const bool quiet = ctx.options().quiet;
    for (const auto& spec : o.accept_changed) options.accept_changed.push_back(graph.resolve_revision(spec));
    options.schema_load = o.schema_load;
    RunReport report;
    {
        ProgressLine progress(!quiet);
        options.on_step = [quiet, &progress](const StepEvent& e) { progress.on_step(e, quiet); };
        Migrator migrator(graph, *session, options);
        report = migrator.upgrade(o.target);
    }
    if (quiet) return;
    for (const auto& w : report.warnings) fmt::print(stderr, "retort: {} {}\n", warning_label(), w);
    if (report.steps.empty())
        fmt::print("Already at {} ({}): nothing to do\n", o.target, heads_text(report.heads_after));
    else
        fmt::print("Now at {} ({} migration{} applied)\n", heads_text(report.heads_after), report.steps.size(),
                   report.steps.size() == 1 ? "" : "s");
}

}  // namespace

void setup_upgrade(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<UpgradeOptions>();
    auto* cmd = app.add_subcommand("upgrade", "Apply migrations up to a target (default: head)");
    cmd->add_option("target", o->target,
                    "head, heads, <rev>, <rev prefix>, +N, <label>@head, <rev>@+N; with --sql also <from>:<to>")
        ->capture_default_str();
    cmd->add_flag("--sql", o->sql, "print the SQL script instead of running it (offline mode)");
    cmd->add_flag("--skip-data", o->skip_data, "with --sql: leave C++ data steps out instead of failing");
    cmd->add_flag("--schema-load", o->schema_load,
                  "from base, when no migration on the way runs raw SQL or a data step: create the target's schema "
                  "directly in one transaction and record every revision (much faster on a new database)");
    cmd->add_option("--accept-changed", o->accept_changed,
                    "record the new checksum of an applied migration that was changed on purpose, instead of "
                    "refusing (repeatable; see `retort verify`)");
    cmd->callback([o, &ctx] { run_upgrade(*o, ctx); });
}

}  // namespace retort::cli
