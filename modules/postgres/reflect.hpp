// PostgreSQL reflection: the tables and enum types of the current schema (and of
// the schemas ReflectOptions names) read from pg_catalog into retort::Schema
// values, in five queries whatever the number of tables (tables with their
// comments, columns, constraints, indexes, enum types). Expressions come
// back in the normal form of expression.hpp, so reflect(db) == normalize(model).
// Internal to the PostgreSQL backend.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/schema/schema.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::postgres::detail {

/// The live schema: the tables and enum types of current_schema() (the first
/// schema of the search_path that exists) and of options.schemas (named
/// "schema.name"), without options.exclude_tables.
Schema reflect_schema(DbSession& session, const ReflectOptions& options);

/// Whether current_schema() has a table of that name, or schema s has table t for
/// "s.t" (one query).
bool table_exists(DbSession& session, std::string_view table);

/// Sorts a table's foreign keys, unique and check constraints and indexes by name
/// (then content). reflect() and normalize() both return tables in this order.
void canonical_order(Table& table);

/// The elements of a one-dimensional array in PostgreSQL's text form
/// ({a,"b c",NULL}); NULL elements are nullopt.
std::vector<std::optional<std::string>> parse_array(std::string_view text);

}  // namespace retort::postgres::detail
