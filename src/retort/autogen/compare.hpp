// Autogenerate, part one: the ops that turn one schema into another, ordered so
// that foreign keys hold at every step, the notices a reviewer must read, and the
// differences `retort check` prints. Pure values: no database, no files.
//
//     autogen::CompareOptions options;
//     options.exclude_tables = {"retort_version", "retort_version_history"};
//     autogen::SchemaDiff d = autogen::diff(dialect.normalize(head), dialect.normalize(models), options);
//     for (const auto& line : autogen::difference_lines(d.differences)) std::puts(line.c_str());
#pragma once

#include <retort/ops/ops.hpp>
#include <retort/schema/schema.hpp>

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::autogen {

/// A rename hint for a table: `old=new`.
struct TableRename {
    std::string from;
    std::string to;
};

/// A rename hint for a column: `table.old=new` (`table` may be the table's old or new name).
struct ColumnRename {
    std::string table;
    std::string from;
    std::string to;
};

/// Parses `old=new`; throws retort::Error (kind usage) naming the hint when malformed.
TableRename parse_table_rename(std::string_view hint);
/// Parses `table.old=new`; throws retort::Error (kind usage) naming the hint when malformed.
ColumnRename parse_column_rename(std::string_view hint);

struct CompareOptions {
    /// Tables left out on both sides: exact names or glob patterns (`*`, `?`), e.g.
    /// the version tables and a user's `tmp_*`.
    std::vector<std::string> exclude_tables;
    /// Turn a drop + add into a rename (the data stays).
    std::vector<TableRename> rename_tables;
    std::vector<ColumnRename> rename_columns;
    /// A NOT NULL column without a server default added to an existing table is
    /// added with a zero default that is dropped right after (existing rows get it).
    bool safe_not_null = true;
    /// Warn when a dropped and an added column (or table) look like a rename.
    bool detect_renames = true;
    /// Equivalence hooks for spellings Dialect::normalize leaves apart; when unset,
    /// values are compared literally. Called only when the values differ literally.
    std::function<bool(const Type& current, const Type& target)> types_equal;
    std::function<bool(const std::optional<std::string>& current, const std::optional<std::string>& target,
                       const Column& column)>
        defaults_equal;
    /// Check expressions, expression index keys and partial-index predicates.
    std::function<bool(std::string_view current, std::string_view target)> expressions_equal;
};

/// Whether `name` matches a glob pattern (`*` any run of characters, `?` one).
bool glob_match(std::string_view pattern, std::string_view name);
/// Whether the options leave `table` out of the comparison.
bool is_excluded(const CompareOptions& options, std::string_view table);

/// What a reviewer must look at before running an op.
enum class NoticeKind : unsigned char {
    drop_table,              // the table and its rows go
    drop_column,             // the column and its values go
    type_narrowing,          // values may not fit: varchar(200) -> varchar(50), bigint -> integer
    type_conversion,         // values must convert: text -> integer, json -> jsonb
    not_null_existing_rows,  // NOT NULL set on a column of a table that may hold NULLs
    not_null_column_added,   // a NOT NULL column without a server default on a table that may hold rows
    possible_rename,         // a drop and an add that look like a rename
};
/// "drop_table", "type_narrowing", ...
std::string_view to_string(NoticeKind kind);

struct Notice {
    NoticeKind kind;
    std::string message;  // one line, rendered as `// REVIEW: <message>`
    friend bool operator==(const Notice&, const Notice&) = default;
};

/// An op and what a reviewer must know about it.
struct PlannedOp {
    Op op;
    std::vector<Notice> notices;
};

/// How a column type change treats the values already stored.
enum class TypeChange : unsigned char { same, widening, narrowing, conversion };
TypeChange classify_type_change(const Type& from, const Type& to);

/// The notices an op carries by itself: drops, narrowing, NOT NULL on a table
/// that may hold rows. `op` must be resolved (apply() filled its before-state).
std::vector<Notice> review(const Op& op, bool table_may_hold_rows);

enum class DifferenceKind : unsigned char {
    table_added,
    table_removed,
    table_renamed,
    table_comment_changed,
    column_added,
    column_removed,
    column_renamed,
    column_changed,
    constraint_added,
    constraint_removed,
    constraint_changed,
    index_added,
    index_removed,
    index_changed,
    enum_added,    // an enum type; `table` is "" and `object` the type's name
    enum_removed,
    enum_changed,  // its values: `from` and `to` list them
};
/// "table_added", "column_changed", ...
std::string_view to_string(DifferenceKind kind);

/// One difference between the current and the target schema.
struct Difference {
    DifferenceKind kind;
    std::string table;
    std::string object;  // column, constraint or index name; "" for the table itself
    /// column_changed: "type", "nullable", "default", "comment", "identity" or
    /// "autoincrement"; constraints: "primary key", "foreign key", "unique
    /// constraint" or "check constraint"; "" otherwise.
    std::string field;
    std::optional<std::string> from;  // the current value or definition, when it has one
    std::optional<std::string> to;    // the target value or definition, when it has one
    /// The line `retort check` prints: "column books.isbn: type varchar(20) -> varchar(32)".
    std::string text;
};

/// Everything autogenerate found.
struct SchemaDiff {
    /// The ops that turn `current` into `target`, in the order to run them.
    std::vector<PlannedOp> ops;
    /// One per difference, in a stable order (table, then kind, then object).
    std::vector<Difference> differences;
    /// Rename-looking drop + add pairs, rename hints that did not apply, and
    /// differences no op could express ("not generated: ...").
    std::vector<std::string> warnings;

    bool empty() const { return differences.empty(); }
    std::vector<Op> plain_ops() const;
};

/// The ops and differences that turn `current` into `target`. Both schemas are
/// expected normalized by the same Dialect::normalize(). Throws retort::Error
/// (kind migration) when a generated op does not apply, which names the op.
///
/// Ordering: renames; foreign keys dropped (also those that depend on a key being
/// replaced); indexes and constraints dropped; tables dropped (children first,
/// foreign keys of a cycle dropped before); enum types created and changed; tables
/// created (parents first, their foreign keys inside create_table when the
/// referenced key exists); columns added; columns dropped; columns altered; enum
/// types dropped; primary keys, unique and check constraints added; foreign keys
/// added; indexes created; table comments.
SchemaDiff diff(const Schema& current, const Schema& target, const CompareOptions& options = {});

/// diff(...).ops without the notices.
std::vector<Op> compare(const Schema& current, const Schema& target, const CompareOptions& options = {});

/// The differences only (what `retort check` prints); cheaper than diff().
std::vector<Difference> describe_diff(const Schema& current, const Schema& target,
                                      const CompareOptions& options = {});

/// One line per difference: difference.text.
std::vector<std::string> difference_lines(const std::vector<Difference>& differences);

/// JSON forms for `--json`: a difference is an object with kind, table, object,
/// field, from, to and text; a diff adds its ops (described) with their notices,
/// and its warnings. Include <nlohmann/json.hpp> to use the result.
nlohmann::json to_json(const Difference& difference);
nlohmann::json to_json(const std::vector<Difference>& differences);
nlohmann::json to_json(const SchemaDiff& diff);

/// The downgrade of `upgrade`: the reverse of each op resolved against `current`,
/// last op first, with its own notices. A NOT NULL column without a server
/// default that comes back on an existing table uses the safe pattern too.
/// Throws retort::Error (kind migration) when an op does not apply or cannot be reversed.
std::vector<PlannedOp> downgrade(const Schema& current, const std::vector<PlannedOp>& upgrade,
                                 const CompareOptions& options = {});

/// A zero value for a server default of this type ("0", "''", "false", ...), or
/// nullopt when the type has none (custom types).
std::optional<std::string> zero_default(const Type& type);

}  // namespace retort::autogen
