// PostgreSQL SQL text as the dialect needs to read it: a tokenizer that knows the
// server's lexical rules (E'' strings, dollar quoting, nested comments, operator
// runs), type spellings (format_type's and the user's), and the normal form of
// expressions that lets a user-written default, CHECK, index expression or index
// predicate compare equal to what pg_get_expr() prints for it. Internal.
//
// The normal form is what both normalize() (user text) and reflect() (server text)
// produce. It is parsed, not compared as text: casts PostgreSQL adds implicitly are
// removed (casts of literals, NULL and ARRAY[...]; casts of a column to a type its
// own type converts to implicitly, such as varchar -> text or integer -> numeric),
// `x IN (a, b)` becomes `x = ANY (ARRAY[a, b])`, BETWEEN becomes two comparisons,
// LIKE becomes ~~, AND/OR chains are flattened, numbers are written as numeric_out
// writes them, unquoted names are folded to lower case and quoted only when
// needed, and parentheses are the fewest the precedence rules allow. Text the
// parser does not understand keeps its tokens, folded and spaced the same way.
// docs/postgresql.md lists what is and is not normalized.
#pragma once

#include <retort/schema/schema.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::postgres::detail {

// ---- tokens ------------------------------------------------------------------

enum class TokenKind : unsigned char {
    word,    // an unquoted identifier or keyword, as written
    quoted,  // "identifier": text holds the name, quotes removed
    string,  // 'text', E'text', $$text$$: text holds the value
    bits,    // B'0101', X'1F': text as written
    number,  // 12, 1.5e3, .5: as written
    op,      // an operator: + - * / < > = ~ ! @ # % ^ & | ` ? and their runs
    punct,   // ( ) [ ] , ; : :: .
    param,   // $1
};

struct Token {
    TokenKind kind;
    std::string text;
    std::size_t offset;  // where the token starts in the tokenized text
    std::size_t length;  // its length there, quotes included
};

struct Tokens {
    std::vector<Token> tokens;
    bool complete = true;  // false when a quote or comment is unterminated
};

/// Splits SQL into tokens, skipping whitespace and comments. Never throws.
Tokens tokenize(std::string_view sql);

/// ASCII case-insensitive comparison of a word with a keyword.
bool is_keyword(const Token& token, std::string_view keyword);

// ---- names and literals -------------------------------------------------------

/// The name as quote_ident() prints it: bare when it is lower case, made of
/// [a-z0-9_], and not a reserved keyword; in double quotes otherwise.
std::string quote_ident(std::string_view name);
/// Always in double quotes (what the DDL uses).
std::string quote(std::string_view name);
/// A table or type name, "schema.name" meaning name in schema: each part quoted,
/// "sales"."orders". A name without a dot is quote(name).
std::string qualified(std::string_view name);
/// The same as quote_ident() prints each part (format_type's spelling of a type).
std::string qualified_ident(std::string_view name);
/// The part after the schema: "orders" for "sales.orders"; a name without one as is.
std::string_view unqualified(std::string_view name);
/// 'text' with embedded single quotes doubled.
std::string literal(std::string_view text);

/// PostgreSQL's limit on identifiers (NAMEDATALEN - 1 bytes): longer names are
/// cut at a character boundary, as the server does.
std::string truncate_identifier(std::string_view name);

// ---- types ---------------------------------------------------------------------

/// A type spelling read into a portable type: "int4" -> integer,
/// "character varying(20)" -> varchar(20), "timestamptz" -> timestamptz, "int[]" ->
/// an array of integer. Spellings without a kind become TypeKind::custom holding
/// format_type's spelling ("citext", "character(3)", "\"Mood\""); normalize() turns
/// one naming an enum type of the schema into that enum.
Type parse_type(std::string_view spelling);

/// format_type's spelling of a type: "character varying(20)", "numeric(10,2)",
/// "timestamp with time zone", "bytea"; custom types as held.
std::string type_name(const Type& type);

/// The DDL spelling: INTEGER, VARCHAR(20), NUMERIC(10, 2), BYTEA, custom as written.
std::string type_sql(const Type& type);

/// For "serial", "bigserial", "smallserial" (and serial2/4/8): the integer kind
/// they stand for.
std::optional<TypeKind> serial_kind(std::string_view spelling);

// ---- expressions ----------------------------------------------------------------

/// The type of a column of the expression's table, by name; nullptr when the name
/// is not a column. Decides which casts of a column PostgreSQL would have added.
using ColumnTypes = std::function<const Type*(std::string_view name)>;

/// The normal form of a boolean or scalar expression (CHECK, index expression,
/// index predicate). Never throws.
std::string normal_expression(std::string_view sql, const ColumnTypes& columns);

/// The normal form of a column default. Literals are first coerced to the column's
/// type as the server does when it stores the default ('42' on an integer column is
/// 42, 't' on a boolean one true).
std::string normal_default(std::string_view sql, const Type& type, const ColumnTypes& columns);

/// The distinct columns an expression references, in order of first mention.
std::vector<std::string> referenced_columns(std::string_view sql, const ColumnTypes& columns);

/// When the expression is nothing but a column reference: the column's name.
std::optional<std::string> bare_column(std::string_view sql);

/// The name PostgreSQL gives an index column when it names an index itself: the
/// column, the function name of a function call, or "expr".
std::string index_column_name(const IndexPart& part);

}  // namespace retort::postgres::detail
