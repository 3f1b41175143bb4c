// SQLite reflection: the live schema read back into retort::Schema values, with the
// small SQL tokenizer and parsers it needs for what PRAGMAs do not report (constraint
// names, CHECK expressions, AUTOINCREMENT, index expressions and WHERE clauses).
// Internal to the SQLite backend.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/schema/schema.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::sqlite::detail {

// ---- tokens ------------------------------------------------------------------

enum class TokenKind : unsigned char {
    word,    // a bare identifier or keyword
    quoted,  // "ident", `ident` or [ident]
    string,  // 'text'
    blob,    // x'0A'
    number,  // 12, 1.5e3, 0x1F
    punct,   // ( ) , ; . and operators
};

struct Token {
    TokenKind kind;
    std::string_view text;  // as written, quotes included
    std::size_t offset;     // into the tokenized SQL

    /// Keyword test for bare words, case-insensitive.
    bool is(std::string_view keyword) const;
    bool is_punct(char c) const { return kind == TokenKind::punct && text.size() == 1 && text[0] == c; }
    /// An identifier's name: quotes removed and doubled quotes undone.
    std::string name() const;
};

/// Splits SQL into tokens, skipping whitespace and comments. Never throws: an
/// unterminated quote or comment runs to the end of the text.
std::vector<Token> tokenize(std::string_view sql);

/// Index of the token closing the parenthesis opened at `open` (tokens.size() when unbalanced).
std::size_t matching_paren(const std::vector<Token>& tokens, std::size_t open);

/// `text` without leading and trailing whitespace.
std::string trim(std::string_view text);

/// Whether `expr` is one literal SQLite accepts after DEFAULT without parentheses:
/// a number (signed or not), a string, a blob, NULL, TRUE, FALSE or CURRENT_TIME/DATE/TIMESTAMP.
bool is_literal(std::string_view expr);

/// ASCII case-insensitive equality (SQLite names compare that way).
bool same_name(std::string_view a, std::string_view b);

// ---- types -------------------------------------------------------------------

/// A declared column type read back into a portable type: "VARCHAR(100)" ->
/// varchar(100), "DATETIME" -> timestamp, unknown spellings -> TypeKind::custom.
Type parse_type(std::string_view declared);

// ---- CREATE TABLE / CREATE INDEX ---------------------------------------------

enum class ConstraintKind : unsigned char { primary_key, unique, foreign_key, check };

/// A constraint as written in CREATE TABLE (column-level ones carry their column).
struct ParsedConstraint {
    ConstraintKind kind = ConstraintKind::check;
    std::string name;  // empty when unnamed
    std::vector<std::string> columns;  // as written
    std::string expression;    // CHECK
    bool autoincrement = false;  // PRIMARY KEY ... AUTOINCREMENT
    // FOREIGN KEY / REFERENCES: the table and columns as written (no columns: the
    // referenced table's primary key), and the actions.
    std::string ref_table;
    std::vector<std::string> ref_columns;
    Action on_delete = Action::no_action;
    Action on_update = Action::no_action;
};

/// A column as CREATE TABLE declares it, in the form PRAGMA table_xinfo reports it.
struct ParsedColumn {
    std::string name;
    std::string type;  // the declared type as SQLite reports it ("" when none)
    bool not_null = false;
    std::optional<std::string> default_value;  // as SQLite reports it
};

struct ParsedTable {
    std::vector<ParsedConstraint> constraints;  // in declaration order
    std::vector<ParsedColumn> columns;          // in declaration order
    /// Features the schema model cannot represent (WITHOUT ROWID, COLLATE, ...): a
    /// table rebuilt from the model would lose them, so rebuilds refuse such tables.
    std::vector<std::string> unmodelled;
    bool without_rowid = false;
    /// Whether the statement stays in the plain subset where `columns` and the
    /// constraints are exactly what SQLite's PRAGMAs report: names, types of words
    /// with at most one "(n[, m])", NOT NULL, NULL, DEFAULT with a literal or a
    /// parenthesized expression, PRIMARY KEY (not DESC), UNIQUE, CHECK,
    /// REFERENCES / FOREIGN KEY on plain column lists, ON CONFLICT; no COLLATE,
    /// generated columns or table options (WITHOUT ROWID, STRICT).
    bool plain = true;
};

ParsedTable parse_create_table(std::string_view sql);

struct ParsedIndex {
    std::vector<std::string> parts;  // each key as written, ASC/DESC removed
    std::optional<std::string> where;
};

ParsedIndex parse_create_index(std::string_view sql);

// ---- reflection --------------------------------------------------------------

/// Sorts a table's foreign keys, unique and check constraints and indexes by name
/// (then by content, for unnamed ones). Both reflect() and normalize() return
/// tables in this order, so their results compare with operator==.
void canonical_order(Table& table);

/// How reflection reads the tables: `fastest` reads the tables whose statements
/// are plain from sqlite_master and the rest through PRAGMAs; `pragmas` reads
/// every table through PRAGMAs (the tests compare the two).
enum class ReflectPath : unsigned char { fastest, pragmas };

/// The live schema, in a constant number of queries.
Schema reflect_schema(DbSession& session, const ReflectOptions& options, ReflectPath path = ReflectPath::fastest);

/// The CREATE TABLE statement of a table, or "" when there is none.
std::string table_sql(DbSession& session, std::string_view table);

}  // namespace retort::sqlite::detail
