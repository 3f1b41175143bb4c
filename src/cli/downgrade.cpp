// retort downgrade <target>: undo migrations; --sql writes the script instead.
#include "commands.hpp"
#include "output.hpp"

#include <retort/error.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace retort::cli {

namespace {

struct DowngradeOptions {
    std::string target;
    bool sql = false;
    bool skip_data = false;
};

void run_downgrade(const DowngradeOptions& o, Context& ctx) {
    if (!ctx.allow_downgrade())
        throw Error(ErrorKind::config,
                    "downgrades are not allowed in environment \"" +
                        (ctx.options().env.empty() ? ctx.config().environment : ctx.options().env) + "\"" +
                        (ctx.config().path.empty() ? std::string() : " (allow_downgrade = false in " + ctx.config().path + ")"),
                    "ship a forward fix as a new migration instead");
    const RevisionGraph& graph = ctx.graph();
    if (o.sql) {
        fmt::print("{}", ctx.offline_script(Direction::downgrade, o.target, o.skip_data));
        return;
    }
    auto session = ctx.connect(OpenMode::create);
    auto options = ctx.migrator_options();
    const bool quiet = ctx.options().quiet;
    // Lossy data steps are said before anything runs; the other warnings after.
    std::vector<std::string> said;
    options.on_warning = [&said](const std::string& w) {
        fmt::print(stderr, "retort: {} {}\n", warning_label(), w);
        said.push_back(w);
    };
    RunReport report;
    {
        ProgressLine progress(!quiet);
        options.on_step = [quiet, &progress](const StepEvent& e) { progress.on_step(e, quiet); };
        Migrator migrator(graph, *session, options);
        report = migrator.downgrade(o.target);
    }
    if (quiet) return;
    for (const auto& w : report.warnings)
        if (std::find(said.begin(), said.end(), w) == said.end())
            fmt::print(stderr, "retort: {} {}\n", warning_label(), w);
    if (report.steps.empty())
        fmt::print("Already at {}: nothing to do\n", heads_text(report.heads_after));
    else
        fmt::print("Now at {} ({} migration{} undone)\n", heads_text(report.heads_after), report.steps.size(),
                   report.steps.size() == 1 ? "" : "s");
}

}  // namespace

void setup_downgrade(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DowngradeOptions>();
    auto* cmd = app.add_subcommand("downgrade", "Undo migrations down to a target");
    cmd->add_option("target", o->target, "base, -N, <rev>, <rev prefix>, <label>@-N, <rev>@-N; with --sql <from>:<to>")
        ->required();
    cmd->add_flag("--sql", o->sql, "print the SQL script instead of running it (offline mode)");
    cmd->add_flag("--skip-data", o->skip_data, "with --sql: leave C++ data steps out instead of failing");
    cmd->callback([o, &ctx] { run_downgrade(*o, ctx); });
}

}  // namespace retort::cli
