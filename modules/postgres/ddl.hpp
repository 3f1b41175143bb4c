// Ops to PostgreSQL SQL. PostgreSQL alters everything natively (ALTER TABLE ...
// ALTER COLUMN TYPE / SET NOT NULL / SET DEFAULT, ADD / DROP CONSTRAINT), and its
// DDL is transactional, so each op is a short list of plain statements. Internal.
#pragma once

#include "expression.hpp"

#include <retort/dialect/dialect.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort::postgres::detail {

/// `"a", "b", "c"`: names quoted and joined, for column lists.
std::string name_list(const std::vector<std::string>& names);

/// A server default as it goes after DEFAULT for a column of `type`: one literal as
/// written, any other expression in parentheses (DEFAULT takes only a b_expr without
/// them). On a boolean column 1 and 0 (SQLite's TRUE and FALSE) are TRUE and FALSE:
/// PostgreSQL has no integer-to-boolean assignment cast and refuses `DEFAULT 1`.
std::string default_sql(std::string_view expression, const Type& type);

/// `"name" TYPE [GENERATED ... AS IDENTITY] [NOT NULL] [DEFAULT ...]`. An
/// autoincrement() column (SQLite's keyword) is an identity column here.
std::string column_sql(const Column& column, bool not_null);

/// `[CONSTRAINT "name"] PRIMARY KEY (...)`, `FOREIGN KEY ... REFERENCES ...`, ...
std::string constraint_sql(const Constraint& constraint);

/// CREATE TABLE with its constraints (indexes and comments are separate statements).
std::string create_table_sql(const Table& table);

/// CREATE [UNIQUE] INDEX [CONCURRENTLY] "name" ON "table" (parts) [WHERE ...];
/// expressions in parentheses.
std::string create_index_sql(std::string_view table, const Index& index, bool concurrently = false);

/// CREATE TYPE "name" AS ENUM ('a', 'b').
std::string create_enum_sql(std::string_view name, const std::vector<std::string>& values);

/// COMMENT ON TABLE / COLUMN ... IS '...' (or IS NULL, which drops it).
std::string table_comment_sql(std::string_view table, const std::optional<std::string>& comment);
std::string column_comment_sql(std::string_view table, std::string_view column,
                               const std::optional<std::string>& comment);

/// The statements for `op` against `before` (the schema before it).
std::vector<Statement> render_op(const Op& op, const Schema& before);

}  // namespace retort::postgres::detail
