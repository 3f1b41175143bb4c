// Operations as values. Each op can be applied to an in-memory Schema (replay),
// reversed from the schema before it, rendered to SQL by a dialect and to C++ by
// autogenerate. Behaviours are std::visit functions with no default branch, in
// their own files, so a new op does not compile until every visitor handles it.
//
// Lossy ops keep their before-state: apply() fills it (a DropColumn learns the
// column's full definition), and reverse() uses it.
#pragma once

#include <retort/migration.hpp>
#include <retort/schema/schema.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace retort {

struct Op;

/// An optional value kept on the heap, with std::optional's interface (the part ops
/// use). For an op's big, rarely set parts: every Op is as big as its largest kind,
/// and a schema's worth of ops is held at once, so a column's before-state inline
/// would make a DROP TABLE cost as much memory as an ALTER COLUMN with two columns.
template <class T>
class Boxed {
public:
    Boxed() = default;
    Boxed(std::nullopt_t) {}
    Boxed(const T& value) : m_value(std::make_unique<T>(value)) {}
    Boxed(T&& value) : m_value(std::make_unique<T>(std::move(value))) {}
    Boxed(const std::optional<T>& value) : m_value(value ? std::make_unique<T>(*value) : nullptr) {}
    Boxed(std::optional<T>&& value) : m_value(value ? std::make_unique<T>(std::move(*value)) : nullptr) {}
    Boxed(const Boxed& other) : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr) {}
    Boxed(Boxed&&) noexcept = default;
    ~Boxed() = default;
    Boxed& operator=(const Boxed& other) {
        if (this != &other) *this = other.m_value ? Boxed(*other.m_value) : Boxed();
        return *this;
    }
    Boxed& operator=(Boxed&&) noexcept = default;

    template <class... Args>
    T& emplace(Args&&... args) {
        m_value = std::make_unique<T>(std::forward<Args>(args)...);
        return *m_value;
    }
    void reset() { m_value.reset(); }

    bool has_value() const { return m_value != nullptr; }
    explicit operator bool() const { return has_value(); }
    T& operator*() { return *m_value; }
    const T& operator*() const { return *m_value; }
    T* operator->() { return m_value.get(); }
    const T* operator->() const { return m_value.get(); }
    const T& value() const {
        if (!m_value) throw std::bad_optional_access();
        return *m_value;
    }
    T& value() {
        if (!m_value) throw std::bad_optional_access();
        return *m_value;
    }

private:
    std::unique_ptr<T> m_value;
};

struct CreateTable {
    Table table;
};

struct DropTable {
    std::string name;
    Boxed<Table> table;  // before-state
};

struct RenameTable {
    std::string from;
    std::string to;
};

struct SetTableComment {
    std::string table;
    std::optional<std::string> comment;  // nullopt: drop it
    bool resolved = false;
    std::optional<std::string> before;  // valid when resolved
};

struct AddColumn {
    std::string table;
    Column column;
    Boxed<ForeignKey> foreign_key;  // an inline REFERENCES
};

struct DropColumn {
    std::string table;
    std::string name;
    // before-state: the column and every index or constraint that goes with it
    Boxed<Column> column;
    Boxed<ForeignKey> inline_foreign_key;  // restored by AddColumn
    std::vector<Index> indexes;
    std::vector<Constraint> constraints;
};

/// Which fields of a column alter_column changes.
enum ColumnField : unsigned {
    field_type = 1u << 0,
    field_nullable = 1u << 1,
    field_default = 1u << 2,
    field_name = 1u << 3,
    field_comment = 1u << 4,
    field_identity = 1u << 5,
};

struct AlterColumn {
    std::string table;
    std::string column;  // name before the change
    unsigned fields = 0;  // ColumnField mask
    Column patch;         // the new values of the fields in the mask
    // before and after, filled when applied
    Boxed<Column> from;
    Boxed<Column> to;
};

struct CreateIndex {
    std::string table;
    Index index;
    /// PostgreSQL CREATE INDEX CONCURRENTLY: built without blocking writes, outside
    /// the migration's transaction (an autocommit block). Other dialects: a plain index.
    bool concurrently = false;
};

struct DropIndex {
    std::string table;
    std::string name;
    std::optional<Index> index;  // before-state
    bool concurrently = false;   // PostgreSQL DROP INDEX CONCURRENTLY, outside the transaction
};

struct AddConstraint {
    std::string table;
    Constraint constraint;
};

struct DropConstraint {
    std::string table;
    std::string name;
    std::optional<Constraint> constraint;  // before-state
};

/// How raw SQL affects the schema.
enum class SqlEffect : unsigned char {
    data,     // rows only (the default; SQLite refuses DDL in it)
    schema,   // exactly the `equivalent` ops
    opaque,   // something Retort cannot follow
};

struct ExecuteSql {
    std::string up;
    std::optional<std::string> down;  // nullopt: irreversible
    SqlEffect effect = SqlEffect::data;
    std::vector<Op> equivalent;  // SqlEffect::schema
    std::string only_dialect;    // empty: every dialect
    bool outside_transaction = false;
};

struct RunData {
    DataFn up = nullptr;
    DataFn down = nullptr;  // nullptr: irreversible
    bool lossy = false;
    std::string only_dialect;
};

/// CREATE TYPE name AS ENUM (...) on PostgreSQL; nothing on SQLite, whose enum
/// columns are TEXT.
struct CreateEnum {
    EnumType type;
};

struct DropEnum {
    std::string name;
    std::optional<EnumType> type;  // before-state
};

/// Changes the values of an enum type: adds one value (`add_value`, placed before
/// `add_before`, or last when that is empty), or sets the whole list (`values`).
struct AlterEnum {
    std::string name;
    std::optional<std::vector<std::string>> values;  // set: the values after
    std::string add_value;
    std::string add_before;
    // before and after, filled when applied
    std::optional<std::vector<std::string>> from;
    std::optional<std::vector<std::string>> to;
};

using OpVariant = std::variant<CreateTable, DropTable, RenameTable, SetTableComment, AddColumn,
                               DropColumn, AlterColumn, CreateIndex, DropIndex, AddConstraint,
                               DropConstraint, ExecuteSql, RunData, CreateEnum, DropEnum, AlterEnum>;

struct Op : OpVariant {
    using OpVariant::OpVariant;
    const OpVariant& variant() const { return *this; }
    OpVariant& variant() { return *this; }
};

/// Applies `op` to `schema`, filling the op's before-state. Throws retort::Error
/// (kind migration) naming the op and the missing or duplicate object.
void apply(Op& op, Schema& schema);

/// Applies a run of ops to one schema, each as apply() does. For long runs (a
/// replay of thousands of create_table ops): the check that an index's name is
/// free in the whole schema reads the names this object has seen instead of
/// every table, so a replay stays linear in the number of tables. Change the
/// schema only through it while it lives.
///
///     SchemaApplier applier(schema);
///     for (auto& op : ops) applier.apply(op);
class SchemaApplier {
public:
    explicit SchemaApplier(Schema& schema) : m_schema(schema) {}
    /// apply(op, schema()).
    void apply(Op& op);
    /// The same for an op the caller no longer needs: a create_table's table is
    /// moved into the schema instead of copied.
    void apply(Op&& op);
    Schema& schema() { return m_schema; }
    /// schema().table_of_index(name), without reading every table when the name is free.
    const Table* table_of_index(std::string_view name);

private:
    void apply(Op& op, bool consume);

    Schema& m_schema;
    /// A superset of the schema's index names once `m_known`: a name not in it is
    /// free. Filled on the second look-up (one look-up scans, as apply() does).
    std::unordered_set<std::string> m_index_names;
    bool m_known = false;
    int m_lookups = 0;
};

/// Fills `op`'s before-state from `schema` without changing it (it applies a
/// copy of the op to a copy of the tables the op involves). Throws like apply().
void resolve(Op& op, const Schema& schema);

/// Whether replay can follow the op (false for opaque SQL).
bool replayable(const Op& op);

/// The ops that undo `op`, in order. `op` must have been applied (its before-state
/// known); throws retort::Error naming the op when it is irreversible or unresolved.
std::vector<Op> reverse(const Op& op);

/// Whether reverse() can undo it.
bool reversible(const Op& op);

/// One line for messages and plans: `add_column books.isbn varchar(20)`.
std::string describe(const Op& op);

/// The op's table ("" for ops without one, such as the enum ops).
std::string_view op_table(const Op& op);

/// True for ops that touch rows only (data steps and data-only SQL).
bool is_data_op(const Op& op);

/// Whether the op runs on `dialect`: false for raw SQL or a data step given to
/// another dialect only (`.only("postgresql")`).
bool applies_to(const Op& op, std::string_view dialect);

}  // namespace retort
