// The models as PostgreSQL DDL, read without a server: the script is parsed with
// PostgreSQL's own parser (libpg_query) and its CREATE TABLE, ALTER TABLE,
// CREATE INDEX, COMMENT ON and CREATE TYPE ... AS ENUM statements are turned into
// a retort::Schema (a column of an enum type is custom; normalize() makes it the enum).
// Expressions (defaults, CHECKs, index keys and predicates) keep their source
// text; the PostgreSQL dialect's normalize() gives them, the types and the
// server's names of unnamed constraints their stored form.
//
// Library retort_pg_ddl (links libpg_query privately); the PostgreSQL dialect
// implements Dialect::schema_from_ddl() with it.
//
//     Schema models = retort::pg_ddl::read_schema(
//         "CREATE TABLE authors (id serial PRIMARY KEY, name varchar(200) NOT NULL);");
#pragma once

#include <retort/schema/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort::pg_ddl {

struct ReadResult {
    Schema schema;
    /// Statements that declare nothing the schema model holds (views, functions,
    /// extensions, grants, ...), as "CREATE VIEW recent_books (line 12)".
    std::vector<std::string> skipped;
};

/// Reads a DDL script. Throws retort::Error (kind config): for a syntax error,
/// with the line, column and PostgreSQL's message; for what the model cannot hold
/// (an exclusion constraint, a generated column, a table in another schema than
/// public, an ALTER TABLE subcommand other than ADD / ALTER COLUMN defaults and
/// NOT NULL / ADD CONSTRAINT), naming the statement's line; for a statement that
/// refers to a table or column the script has not created.
ReadResult read(std::string_view sql);

/// read(sql).schema.
Schema read_schema(std::string_view sql);

}  // namespace retort::pg_ddl
