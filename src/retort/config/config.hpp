// retort.toml: where the migrations and the plugin are, the version table, and the
// database URL of each environment.
//
//     [retort]
//     migrations = "migrations"            # relative paths are relative to this file
//     plugin = "build/libbookshop_retort_plugin.so"
//     models = "build/libbookshop_models_module.so"   # or: models_sql = "schema.sql"
//     exclude_tables = ["tmp_*", "legacy_audit"]       # left out of autogenerate and check
//     version_table = "retort_version"
//     environment = "dev"                  # the default for --env
//     transaction = "per-migration"        # or "whole-run"
//
//     [environments.dev]
//     url = "sqlite:///dev.db"             # relative SQLite paths: relative to this file
//
//     [environments.prod]
//     url = "postgresql://app@db.internal/shop"
//     allow_downgrade = false
//     lock_timeout = "5s"                  # PostgreSQL session settings for the run,
//     statement_timeout = "10min"          # added to the url's query unless it sets them
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retort {

struct Environment {
    std::string name;
    std::string url;
    bool allow_downgrade = true;
};

struct Config {
    std::string path;  // the file; empty when there is none
    std::string dir;   // its folder: relative paths start here
    std::string migrations;
    std::string plugin;
    std::string models;      // a models module (RETORT_MODELS), absolute
    std::string models_sql;  // or a SQL DDL file, absolute
    /// Tables autogenerate and `check` leave out: names or globs (`*`, `?`).
    std::vector<std::string> exclude_tables;
    std::string version_table;
    std::string environment;
    std::string transaction;  // "per-migration" or "whole-run"; empty: default
    std::map<std::string, Environment> environments;

    /// Reads a retort.toml. Throws retort::Error (kind config) naming the file, the
    /// line and what is wrong: a syntax error, an unknown key, a value of the wrong type.
    static Config load(const std::string& path);
    /// `explicit_path` when given (it must exist), else $RETORT_CONFIG, else
    /// ./retort.toml when present, else an empty Config.
    static Config find(const std::string& explicit_path);

    /// The environment to use: `name`, else `environment`, else the only one.
    /// Throws retort::Error (config) when `name` is unknown.
    const Environment* select(const std::string& name) const;
    /// A path from the file, made absolute against its folder.
    std::string resolve_path(const std::string& p) const;
};

/// Makes a relative SQLite path in a URL relative to `dir`; other URLs unchanged.
std::string anchor_sqlite_url(const std::string& url, const std::string& dir);

}  // namespace retort
