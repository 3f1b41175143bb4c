// Ops to SQLite SQL: native statements where SQLite's ALTER TABLE suffices, and the
// documented 12-step table rebuild where it does not. The rebuild is planned and
// rendered here only; render() and the live execute() both use it. Internal.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/schema.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::sqlite::detail {

/// "name" with embedded double quotes doubled.
std::string quote(std::string_view name);
/// 'text' with embedded single quotes doubled.
std::string literal(std::string_view text);

/// The SQLite spelling of a portable type: INTEGER, VARCHAR(100), NUMERIC(10, 2), ...
std::string type_sql(const Type& type);

/// A server default as it goes after DEFAULT: literals as written, any other
/// expression in parentheses (SQLite's grammar requires them).
std::string default_sql(std::string_view expression);

/// `"name" TYPE [NOT NULL] [DEFAULT ...]`.
std::string column_sql(const Column& column, bool not_null);

/// CREATE TABLE for `table`, named `as_name` when given (the rebuild's new table).
/// Indexes are separate statements. Throws retort::Error (migration) for an
/// AUTOINCREMENT column that is not the table's only INTEGER primary-key column.
std::string create_table_sql(const Table& table, std::string_view as_name = {});

std::string create_index_sql(std::string_view table, const Index& index);

/// A table rebuild: the table as it is, and as the op leaves it.
struct Rebuild {
    /// Column renames (old, new) that run natively before the rebuild: SQLite's
    /// RENAME COLUMN also rewrites other tables' REFERENCES, triggers and views, which
    /// a rebuild cannot. `from` is the table after them.
    std::vector<std::pair<std::string, std::string>> renames;
    Table from;
    Table to;
    /// CREATE INDEX statements as stored, for indexes the op leaves unchanged (the
    /// live execute() fills it, so DESC or COLLATE keys the model cannot hold survive).
    std::map<std::string, std::string, std::less<>> index_sql;
};

/// The name of the rebuild's temporary table.
std::string rebuild_table_name(std::string_view table);

/// Whether `op` is of a kind that rebuilds a table unless the schema shows SQLite
/// can do it natively (add/drop/alter column, add/drop constraint).
bool rebuild_candidate(const Op& op);

/// Whether `op` might need a table rebuild, judged from the op alone (prepare()
/// has no schema). Conservative: true when unsure.
bool may_rebuild(const Op& op);

/// The rebuild `op` needs against `schema` (the schema before the op), or nullopt
/// when SQLite's ALTER TABLE does it natively. Applies a copy of the op to a copy of
/// the schema; throws retort::Error (migration) like apply() when they disagree.
std::optional<Rebuild> plan_rebuild(const Op& op, const Schema& schema);

/// The native RENAME COLUMN statements that come before the rebuild.
std::vector<std::string> rename_sql(const Rebuild& plan);

/// SQLite's 12-step procedure, steps 4 to 8, once rename_sql() has run: create the
/// new table, copy the rows, drop the old table, rename the new one
/// (legacy_alter_table on, so views and triggers elsewhere are neither rewritten nor
/// checked), recreate the indexes.
std::vector<std::string> rebuild_sql(const Rebuild& plan);

/// The statements for `op` against `before`.
std::vector<Statement> render_op(const Op& op, const Schema& before);

}  // namespace retort::sqlite::detail
