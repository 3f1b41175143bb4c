// Portable column types and foreign-key actions, shared by the light authoring
// headers and the schema model. Deliberately tiny: every migration includes it.
#pragma once

namespace retort {

/// The portable column types. Each dialect maps them to its own spelling.
enum class TypeKind : unsigned char {
    integer,
    smallint,
    bigint,
    boolean,
    text,
    varchar,           // varchar(length)
    numeric,           // numeric(precision, scale)
    real,              // 4-byte float
    double_precision,  // 8-byte float
    date,
    time,
    timestamp,    // without time zone
    timestamptz,  // with time zone
    blob,         // binary (PostgreSQL bytea)
    json,
    jsonb,  // PostgreSQL; json elsewhere
    uuid,
    custom,       // a type the model has no kind for, kept as its SQL spelling
    enumeration,  // a named enum type (PostgreSQL CREATE TYPE ... AS ENUM; TEXT on SQLite)
    array,        // an array of `element` (PostgreSQL integer[]; SQLite has none)
};

/// ON DELETE / ON UPDATE actions of a foreign key.
enum class Action : unsigned char { no_action, restrict, cascade, set_null, set_default };

/// A column type as written in a migration or a model: `varchar(100)`, `numeric(10, 2)`.
/// A plain value; `name` points at a string literal (custom and enum types only).
/// An array (`array_of(varchar(20))`) holds its element's fields and kind.
struct TypeSpec {
    TypeKind kind;
    int length;  // varchar length, numeric precision; 0 when unset
    int scale;   // numeric scale
    const char* name;
    TypeKind element = TypeKind::integer;  // arrays: the element's kind
};

constexpr TypeSpec integer() { return {TypeKind::integer, 0, 0, nullptr}; }
constexpr TypeSpec smallint() { return {TypeKind::smallint, 0, 0, nullptr}; }
constexpr TypeSpec bigint() { return {TypeKind::bigint, 0, 0, nullptr}; }
constexpr TypeSpec boolean() { return {TypeKind::boolean, 0, 0, nullptr}; }
constexpr TypeSpec text() { return {TypeKind::text, 0, 0, nullptr}; }
constexpr TypeSpec varchar(int length) { return {TypeKind::varchar, length, 0, nullptr}; }
constexpr TypeSpec numeric(int precision, int scale = 0) {
    return {TypeKind::numeric, precision, scale, nullptr};
}
constexpr TypeSpec numeric() { return {TypeKind::numeric, 0, 0, nullptr}; }
constexpr TypeSpec real() { return {TypeKind::real, 0, 0, nullptr}; }
constexpr TypeSpec double_precision() { return {TypeKind::double_precision, 0, 0, nullptr}; }
constexpr TypeSpec date() { return {TypeKind::date, 0, 0, nullptr}; }
constexpr TypeSpec time() { return {TypeKind::time, 0, 0, nullptr}; }
constexpr TypeSpec timestamp() { return {TypeKind::timestamp, 0, 0, nullptr}; }
constexpr TypeSpec timestamptz() { return {TypeKind::timestamptz, 0, 0, nullptr}; }
constexpr TypeSpec blob() { return {TypeKind::blob, 0, 0, nullptr}; }
constexpr TypeSpec json() { return {TypeKind::json, 0, 0, nullptr}; }
constexpr TypeSpec jsonb() { return {TypeKind::jsonb, 0, 0, nullptr}; }
constexpr TypeSpec uuid() { return {TypeKind::uuid, 0, 0, nullptr}; }
/// A type Retort has no kind for, written as the dialect's SQL (e.g. "CITEXT").
constexpr TypeSpec sql_type(const char* spelling) { return {TypeKind::custom, 0, 0, spelling}; }
/// A column of the enum type `name`, created by `op.create_enum(name, {...})` (or
/// `meta.enum_type(name, {...})` in models). PostgreSQL: the type itself; SQLite: TEXT.
constexpr TypeSpec enum_type(const char* name) { return {TypeKind::enumeration, 0, 0, name}; }
/// An array of `element`: `array_of(integer())` is PostgreSQL's integer[]. Arrays of
/// arrays are the same type (PostgreSQL does not tell dimensions apart). SQLite has no
/// arrays: a migration using one fails to render there, naming the op.
constexpr TypeSpec array_of(TypeSpec element) {
    if (element.kind == TypeKind::array) return element;
    return {TypeKind::array, element.length, element.scale, element.name, element.kind};
}

}  // namespace retort
