// retort init: a retort.toml and a migrations folder.
#include "commands.hpp"

#include <retort/error.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace retort::cli {

namespace {

struct InitOptions {
    std::string directory = ".";
    std::string name;
    std::string url = "sqlite:///dev.db";
};

void run_init(const InitOptions& o, Context& ctx) {
    fs::path dir = o.directory;
    fs::path toml = dir / "retort.toml";
    std::error_code ec;
    if (fs::exists(toml, ec))
        throw Error(ErrorKind::usage, toml.string() + " already exists; nothing was changed",
                    "edit it, or run `retort init` in another folder");
    std::string name = o.name;
    if (name.empty()) name = fs::absolute(dir).lexically_normal().filename().string();
    if (name.empty() || name == ".") name = "app";
    for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    fs::create_directories(dir / "migrations", ec);
    if (ec) throw Error(ErrorKind::config, "cannot create " + (dir / "migrations").string() + ": " + ec.message());
    std::ofstream out(toml);
    out << "# Retort configuration: see docs/cli.md. Relative paths are relative to this file.\n"
           "[retort]\n"
           "migrations = \"migrations\"\n"
           "# The plugin retort_add_migrations("
        << name << " ...) builds (adjust to your build folder).\n"
        << "plugin = \"build/lib" << name << "_retort_plugin.so\"\n"
        << "version_table = \"retort_version\"\n"
           "environment = \"dev\"\n"
           "\n"
           "[environments.dev]\n"
           "url = \""
        << o.url << "\"\n";
    out.close();
    if (!out) throw Error(ErrorKind::config, "cannot write " + toml.string());
    if (!ctx.options().quiet) {
        fmt::print("Created {}\nCreated {}/\n\n", toml.string(), (dir / "migrations").string());
        fmt::print(
            "Next steps:\n"
            "  1. In CMakeLists.txt:\n"
            "       find_package(Retort REQUIRED)\n"
            "       retort_add_migrations({} DIRECTORY migrations DATABASE \"{}\")\n"
            "  2. retort revision -m \"create first table\"   # then write its upgrade and downgrade\n"
            "  3. cmake --build build && retort upgrade head\n",
            name, o.url);
    }
}

}  // namespace

void setup_init(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create retort.toml and a migrations folder");
    cmd->add_option("directory", opts->directory, "where to create them (default: .)");
    cmd->add_option("--name", opts->name, "migration set name used in CMake (default: the folder's name)");
    cmd->add_option("--db", opts->url, "database URL of the dev environment")->capture_default_str();
    cmd->callback([opts, &ctx] { run_init(*opts, ctx); });
}

}  // namespace retort::cli
