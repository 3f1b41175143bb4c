#include "comparison.hpp"

#include <retort/error.hpp>
#include <retort/runtime/version_table.hpp>

namespace retort::cli {

void add_models_options(CLI::App& cmd, ModelsOptions& o) {
    cmd.add_option("--models", o.module,
                   "models module to compare with: a library defining RETORT_MODELS (default: retort.toml's models)");
    cmd.add_option("--models-sql", o.sql,
                   "or the models as a SQL DDL file, read without a server (default: retort.toml's models_sql)");
    cmd.add_option("--dialect", o.dialect,
                   "dialect to normalize both sides in when no database is used (default: the database URL's, "
                   "else sqlite)");
}

std::optional<autogen::ModelsSource> find_models(const ModelsOptions& o, Context& ctx) {
    if (!o.module.empty() && !o.sql.empty())
        throw Error(ErrorKind::usage, "--models and --models-sql both given", "the models come from one place: keep one");
    if (!o.module.empty()) return autogen::ModelsSource{autogen::ModelsKind::module, o.module};
    if (!o.sql.empty()) return autogen::ModelsSource{autogen::ModelsKind::sql, o.sql};
    const Config& cfg = ctx.config();
    if (!cfg.models.empty()) return autogen::ModelsSource{autogen::ModelsKind::module, cfg.models};
    if (!cfg.models_sql.empty()) return autogen::ModelsSource{autogen::ModelsKind::sql, cfg.models_sql};
    return std::nullopt;
}

autogen::ModelsSource require_models(const ModelsOptions& o, Context& ctx) {
    if (auto source = find_models(o, ctx)) return *source;
    throw Error(ErrorKind::config, "no models to compare with",
                "give --models <module> (a library defining RETORT_MODELS, built as a MODULE) or --models-sql "
                "<file.sql>, or set `models` / `models_sql` in retort.toml's [retort] section; in CMake, "
                "retort_add_migrations(... MODELS <target>) or MODELS_SQL <file>");
}

const Dialect& comparison_dialect(const ModelsOptions& o, Context& ctx) {
    std::string name = o.dialect;
    if (name.empty()) {
        if (auto url = ctx.find_url()) name = Url::parse(*url).scheme;
    }
    if (name.empty()) name = "sqlite";
    if (name == "postgres") name = "postgresql";
    if (const Dialect* d = find_dialect(name)) return *d;
    std::string known;
    for (const auto& n : dialect_names()) known += (known.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::config, "no backend for dialect \"" + name + "\" in this build", "use one of: " + known);
}

autogen::CompareOptions compare_options(Context& ctx, const Dialect& dialect) {
    autogen::CompareOptions options;
    options.exclude_tables = VersionTables(dialect, ctx.version_table()).names();
    for (const auto& pattern : ctx.config().exclude_tables) options.exclude_tables.push_back(pattern);
    // Dialects outlive every comparison (they stay registered until exit).
    options.defaults_equal = [&dialect](const std::optional<std::string>& current,
                                        const std::optional<std::string>& target,
                                        const Column& column) { return dialect.defaults_equal(current, target, column); };
    return options;
}

}  // namespace retort::cli
