// What `retort check` and `retort revision --autogenerate` share: where the models
// come from (--models, --models-sql, retort.toml), the dialect whose normalize()
// both sides of a comparison pass through, and the comparison options (the
// version tables and retort.toml's exclude_tables left out).
#pragma once

#include "context.hpp"

#include <retort/autogen/compare.hpp>
#include <retort/autogen/models_source.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace retort::cli {

struct ModelsOptions {
    std::string module;   // --models
    std::string sql;      // --models-sql
    std::string dialect;  // --dialect
};

/// Adds --models, --models-sql and --dialect to a verb.
void add_models_options(CLI::App& cmd, ModelsOptions& options);

/// --models or --models-sql, else retort.toml's `models` or `models_sql`; nullopt
/// when none is given. Throws retort::Error (usage) when both kinds are given.
std::optional<autogen::ModelsSource> find_models(const ModelsOptions& options, Context& ctx);

/// find_models(), or retort::Error (config, exit 2) saying how to give them.
autogen::ModelsSource require_models(const ModelsOptions& options, Context& ctx);

/// The dialect a comparison without a database normalizes in: --dialect, else
/// the scheme of the database URL when one is configured, else SQLite.
/// Throws retort::Error (config) for a dialect this build lacks.
const Dialect& comparison_dialect(const ModelsOptions& options, Context& ctx);

/// Leaves out the version tables (as `dialect` names them) and retort.toml's
/// exclude_tables; defaults compare equal when `dialect.defaults_equal()` says so.
autogen::CompareOptions compare_options(Context& ctx, const Dialect& dialect);

}  // namespace retort::cli
