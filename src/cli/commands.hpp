// One setup function per verb; each lives in its own file.
#pragma once

#include "context.hpp"

#include <CLI/CLI.hpp>

namespace retort::cli {

void setup_init(CLI::App& app, Context& ctx);
void setup_revision(CLI::App& app, Context& ctx);
void setup_merge(CLI::App& app, Context& ctx);
void setup_upgrade(CLI::App& app, Context& ctx);
void setup_downgrade(CLI::App& app, Context& ctx);
void setup_stamp(CLI::App& app, Context& ctx);
void setup_current(CLI::App& app, Context& ctx);
void setup_history(CLI::App& app, Context& ctx);
void setup_heads(CLI::App& app, Context& ctx);
void setup_branches(CLI::App& app, Context& ctx);
void setup_show(CLI::App& app, Context& ctx);
void setup_check(CLI::App& app, Context& ctx);
void setup_test(CLI::App& app, Context& ctx);
void setup_verify(CLI::App& app, Context& ctx);
void setup_lint(CLI::App& app, Context& ctx);
void setup_graph(CLI::App& app, Context& ctx);
void setup_docs(CLI::App& app, Context& ctx);

/// Parses the command line and runs the verb; returns the exit code.
int run(int argc, char** argv);

}  // namespace retort::cli
