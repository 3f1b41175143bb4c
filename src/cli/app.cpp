#include "commands.hpp"
#include "output.hpp"

#include <retort/dialect/url.hpp>
#include <retort/error.hpp>
#include <retort/sqlite/sqlite.hpp>
#ifdef RETORT_HAVE_POSTGRES
#include <retort/postgres/postgres.hpp>
#endif

#include <fmt/core.h>

#include <cstdio>

namespace retort::cli {

int run(int argc, char** argv) {
    retort::sqlite::register_dialect();
#ifdef RETORT_HAVE_POSTGRES
    retort::postgres::register_dialect();
#endif
    CLI::App app{"Schema migrations for C++ and CMake: Alembic's workflow, native.", "retort"};
    app.set_version_flag("--version", "retort " RETORT_VERSION_STRING);
    app.require_subcommand(1);
    app.fallthrough();
    GlobalOptions options;
    add_global_options(app, options);
    watch_no_color(options.no_color);
    Context ctx(options);
    setup_init(app, ctx);
    setup_revision(app, ctx);
    setup_merge(app, ctx);
    setup_upgrade(app, ctx);
    setup_downgrade(app, ctx);
    setup_stamp(app, ctx);
    setup_current(app, ctx);
    setup_history(app, ctx);
    setup_heads(app, ctx);
    setup_branches(app, ctx);
    setup_show(app, ctx);
    setup_check(app, ctx);
    setup_test(app, ctx);
    setup_verify(app, ctx);
    setup_lint(app, ctx);
    setup_graph(app, ctx);
    setup_docs(app, ctx);
    app.footer("Exit codes: 0 ok, 1 database or migration failure, 2 usage/configuration/build error, "
               "3 drift, 4 history integrity (edited or irreversible history), 5 lint findings with --werror. "
               "Docs: docs/cli.md");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    } catch (const Error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "retort: {} {}\n", error_label(), mask_passwords(e.describe()));
        return exit_code(e.kind());
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "retort: {} {}\n", error_label(), mask_passwords(e.what()));
        return 1;
    }
    return 0;
}

}  // namespace retort::cli
