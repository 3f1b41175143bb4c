#include "commands.hpp"
#include "output.hpp"

#include <retort/dialect/dialect.hpp>
#include <retort/dialect/url.hpp>
#include <retort/error.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <dlfcn.h>
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>

namespace retort::cli {

namespace {

#ifdef RETORT_HAVE_POSTGRES
/// The PostgreSQL backend, loaded when a command first needs it (a postgresql:// URL,
/// `--dialect postgresql`): linked in, libpq and the thirty libraries it pulls (GnuTLS,
/// Kerberos, LDAP) made every command start 5 ms slower (docs/performance.md). Looked
/// for beside libretort_core (an install, or Retort's own build tree), then where
/// this build put it.
void load_postgres_backend() {
    std::vector<std::string> candidates;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&retort::register_dialect_loader), &info) && info.dli_fname)
        candidates.push_back((std::filesystem::path(info.dli_fname).parent_path() / RETORT_POSTGRES_SONAME).string());
    candidates.emplace_back(RETORT_POSTGRES_BUILD_PATH);
    std::string why;
    for (const auto& path : candidates) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) continue;
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            why = dlerror();
            break;
        }
        auto register_fn = reinterpret_cast<void (*)()>(dlsym(handle, "retort_postgres_register_dialect"));
        if (!register_fn) {
            why = path + " has no retort_postgres_register_dialect (another version of Retort?)";
            break;
        }
        register_fn();
        return;
    }
    if (why.empty()) why = "not found beside libretort_core nor at " RETORT_POSTGRES_BUILD_PATH;
    throw Error(ErrorKind::config, "cannot load the PostgreSQL backend " RETORT_POSTGRES_SONAME ": " + why,
                "reinstall Retort with its PostgreSQL backend (it needs libpqxx: apt-get install libpqxx-6.4), "
                "or rebuild it");
}
#endif

}  // namespace

int run(int argc, char** argv) {
    retort::sqlite::register_dialect();
#ifdef RETORT_HAVE_POSTGRES
    register_dialect_loader("postgresql", load_postgres_backend);
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
