// Where autogenerate and `retort check` get the desired schema: a models module
// (a library defining RETORT_MODELS, loaded with dlopen) or a SQL DDL file that
// the dialect reads without a server (SQLite: an in-memory database).
//
//     autogen::ModelsSource source{autogen::ModelsKind::sql, "schema.sql"};
//     Schema models = autogen::read_models(source, dialect);
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/schema/schema.hpp>

#include <string>

namespace retort::autogen {

enum class ModelsKind : unsigned char {
    module,  // a MODULE library exporting retort_models() (RETORT_MODELS)
    sql,     // CREATE TABLE / CREATE INDEX / ... statements in the dialect's SQL
};

struct ModelsSource {
    ModelsKind kind = ModelsKind::module;
    std::string path;
};

/// "models module <path>" or "models SQL <path>", for messages.
std::string describe(const ModelsSource& source);

/// The schema the models declare, as the source spells it (not yet normalized).
/// A module is loaded with retort::load_models(); a SQL file is read by
/// `dialect.schema_from_ddl()`. Throws retort::Error: kind build_state when the
/// module cannot be loaded, kind config when the file cannot be read, its SQL is
/// refused, or the models declare no table ("is the models library linked?").
Schema read_models(const ModelsSource& source, const Dialect& dialect);

/// The schema a SQL DDL file declares, read by `dialect.schema_from_ddl()`.
/// Throws retort::Error (config) naming the file.
Schema read_models_sql(const std::string& path, const Dialect& dialect);

}  // namespace retort::autogen
