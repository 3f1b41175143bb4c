// The schema model: tables, columns, types, constraints and indexes as plain values.
// Migrations replay onto it, dialects reflect databases into it, autogenerate diffs it.
#pragma once

#include <retort/types.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace retort {

struct Type {
    TypeKind kind = TypeKind::integer;
    int length = 0;  // varchar length; numeric precision (0: unbounded)
    int scale = 0;   // numeric scale
    std::string name;  // custom types: the SQL spelling; enums: the type's name
    /// Arrays: the element's kind (length, scale and name are the element's).
    TypeKind element = TypeKind::integer;

    static Type from(const TypeSpec& spec);
    /// An array of `element` (an array of arrays is the array itself).
    static Type array_of(const Type& element);
    friend bool operator==(const Type&, const Type&) = default;
    /// An arbitrary but strict order (for maps keyed by type).
    friend auto operator<=>(const Type&, const Type&) = default;
};

/// The element type of an array; any other type as it is.
Type element_of(const Type& type);
/// The enum type a column of this type uses (an enum, or an array of one), or "".
std::string enum_used_by(const Type& type);

/// Portable spelling: "integer", "varchar(100)", "numeric(10,2)", custom types as
/// written, enums by name, arrays as "<element>[]".
std::string to_string(const Type& type);
/// The C++ expression that builds it: "varchar(100)", "sql_type(\"CITEXT\")",
/// "enum_type(\"mood\")", "array_of(integer())".
std::string to_cpp(const Type& type);
std::string_view to_string(Action action);  // "CASCADE", "SET NULL", ...

enum class Identity : unsigned char { none, by_default, always };

struct Column {
    std::string name;
    Type type;
    bool nullable = true;
    std::optional<std::string> server_default;  // SQL expression
    std::optional<std::string> comment;
    Identity identity = Identity::none;
    bool autoincrement = false;  // SQLite AUTOINCREMENT

    friend bool operator==(const Column&, const Column&) = default;
};

struct PrimaryKey {
    std::string name;  // may be empty: unnamed
    std::vector<std::string> columns;
    friend bool operator==(const PrimaryKey&, const PrimaryKey&) = default;
};

struct ForeignKey {
    std::string name;
    std::vector<std::string> columns;
    std::string ref_table;
    std::vector<std::string> ref_columns;
    Action on_delete = Action::no_action;
    Action on_update = Action::no_action;
    friend bool operator==(const ForeignKey&, const ForeignKey&) = default;
};

struct UniqueConstraint {
    std::string name;
    std::vector<std::string> columns;
    friend bool operator==(const UniqueConstraint&, const UniqueConstraint&) = default;
};

struct CheckConstraint {
    std::string name;
    std::string expression;
    friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
};

using Constraint = std::variant<PrimaryKey, ForeignKey, UniqueConstraint, CheckConstraint>;
const std::string& constraint_name(const Constraint& c);
/// "primary key", "foreign key", "unique constraint", "check constraint".
std::string_view constraint_kind(const Constraint& c);

struct IndexPart {
    std::string text;  // a column name, or an SQL expression
    bool expression = false;
    friend bool operator==(const IndexPart&, const IndexPart&) = default;
};

struct Index {
    std::string name;
    std::vector<IndexPart> parts;
    bool unique = false;
    std::optional<std::string> where;  // partial index predicate
    friend bool operator==(const Index&, const Index&) = default;
};

struct Table {
    std::string name;
    std::vector<Column> columns;  // declaration order
    std::optional<PrimaryKey> primary_key;
    std::vector<ForeignKey> foreign_keys;
    std::vector<UniqueConstraint> uniques;
    std::vector<CheckConstraint> checks;
    std::vector<Index> indexes;
    std::optional<std::string> comment;

    const Column* find_column(std::string_view column) const;
    Column* find_column(std::string_view column);
    const Index* find_index(std::string_view index) const;
    /// Any constraint by name (primary key included).
    std::optional<Constraint> find_constraint(std::string_view constraint) const;
    /// Whether a column takes part in any key, constraint or index of this table.
    bool column_is_constrained(std::string_view column) const;
    /// Adds a constraint; throws retort::Error when one of that name exists.
    void add_constraint(const Constraint& c);
    /// Removes a constraint by name; returns it, or nullopt when there is none.
    std::optional<Constraint> remove_constraint(std::string_view constraint);

    friend bool operator==(const Table&, const Table&) = default;
};

/// A named enum type: PostgreSQL's CREATE TYPE name AS ENUM (values...).
struct EnumType {
    std::string name;
    std::vector<std::string> values;  // in their sort order
    friend bool operator==(const EnumType&, const EnumType&) = default;
};

/// A whole schema: tables and enum types by name. A name "sales.orders" is table
/// orders of schema sales (PostgreSQL); other names are in the current schema.
struct Schema {
    std::map<std::string, Table, std::less<>> tables;
    std::map<std::string, EnumType, std::less<>> enums;

    const Table* find_table(std::string_view name) const;
    Table* find_table(std::string_view name);
    /// The table holding an index of this name, if any.
    const Table* table_of_index(std::string_view index) const;
    /// Tables whose foreign keys reference `table` (other than itself).
    std::vector<const Table*> referencing(std::string_view table) const;
    /// Table names ordered so that referenced tables come before the tables
    /// referencing them (cycles broken by name); ties by name.
    std::vector<std::string> dependency_order() const;
    const EnumType* find_enum(std::string_view name) const;
    /// "table.column" of every column whose type uses enum `name`, by table then column.
    std::vector<std::string> enum_users(std::string_view name) const;
    /// The schemas named by qualified table and enum names ("sales" for "sales.orders"), sorted.
    std::vector<std::string> qualifiers() const;

    friend bool operator==(const Schema&, const Schema&) = default;
};

/// Default constraint and index names (SQLAlchemy's common convention).
std::string default_pk_name(std::string_view table);
std::string default_fk_name(std::string_view table, const std::vector<std::string>& columns,
                            std::string_view ref_table);
std::string default_unique_name(std::string_view table, const std::vector<std::string>& columns);
std::string default_index_name(std::string_view table, const std::vector<IndexPart>& parts);

}  // namespace retort
