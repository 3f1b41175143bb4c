// retort stamp <target>: record the revision without running anything.
#include "commands.hpp"
#include "output.hpp"

#include <fmt/core.h>

namespace retort::cli {

namespace {

void run_stamp(const std::string& target, Context& ctx) {
    auto session = ctx.connect(OpenMode::create);
    Migrator migrator(ctx.graph(), *session, ctx.migrator_options());
    RunReport report = migrator.stamp(target);
    if (!ctx.options().quiet)
        fmt::print("Stamped {} (was {}); no migration ran\n", heads_text(report.heads_after),
                   heads_text(report.heads_before));
}

}  // namespace

void setup_stamp(CLI::App& app, Context& ctx) {
    auto target = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("stamp", "Record a revision as current without running migrations");
    cmd->add_option("target", *target, "head, heads, base or a revision")->required();
    cmd->callback([target, &ctx] { run_stamp(*target, ctx); });
}

}  // namespace retort::cli
