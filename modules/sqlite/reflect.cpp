// SQLite reflection. A table whose statements stay in a plain subset is read from
// the stored SQL the way SQLite's PRAGMAs report it; the others through the PRAGMA
// table-valued functions (columns, indexes and foreign keys in one query each for
// all of them). What the PRAGMAs leave out (constraint names, CHECK expressions,
// AUTOINCREMENT, index expressions) is parsed from the stored SQL either way.
#include "reflect.hpp"

#include "ddl.hpp"

#include <retort/error.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

namespace retort::sqlite::detail {

namespace {

// ASCII only, as SQLite's own tokenizer and name comparisons are (and without a
// locale look-up per character: reflection tokenizes every table's statement).
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c) || c == '$'; }

std::string upper_copy(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = upper(c);
    return out;
}

}  // namespace

// ---- tokens ------------------------------------------------------------------

bool same_name(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}

bool Token::is(std::string_view keyword) const { return kind == TokenKind::word && same_name(text, keyword); }

std::string Token::name() const {
    if (kind != TokenKind::quoted && kind != TokenKind::string) return std::string(text);
    if (text.size() < 2) return std::string(text);
    char open = text.front();
    char close = open == '[' ? ']' : open;
    std::string_view inner = text.substr(1, text.size() - 2);
    if (text.back() != close) inner = text.substr(1);  // unterminated
    std::string out;
    for (std::size_t i = 0; i < inner.size(); ++i) {
        out += inner[i];
        if (open != '[' && inner[i] == close && i + 1 < inner.size() && inner[i + 1] == close) ++i;
    }
    return out;
}

std::vector<Token> tokenize(std::string_view sql) {
    std::vector<Token> out;
    out.reserve(sql.size() / 4 + 4);
    std::size_t i = 0;
    const std::size_t n = sql.size();
    auto quoted_end = [&](std::size_t start, char close, bool doubles) {
        std::size_t j = start + 1;
        while (j < n) {
            if (sql[j] == close) {
                if (doubles && j + 1 < n && sql[j + 1] == close) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            ++j;
        }
        return n;
    };
    while (i < n) {
        char c = sql[i];
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            while (i < n && sql[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            std::size_t end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
            continue;
        }
        std::size_t start = i;
        TokenKind kind = TokenKind::punct;
        if (c == '\'') {
            kind = TokenKind::string;
            i = quoted_end(i, '\'', true);
        } else if (c == '"' || c == '`') {
            kind = TokenKind::quoted;
            i = quoted_end(i, c, true);
        } else if (c == '[') {
            kind = TokenKind::quoted;
            i = quoted_end(i, ']', false);
        } else if ((c == 'x' || c == 'X') && i + 1 < n && sql[i + 1] == '\'') {
            kind = TokenKind::blob;
            i = quoted_end(i + 1, '\'', false);
        } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(sql[i + 1]))) {
            kind = TokenKind::number;
            if (c == '0' && i + 1 < n && (sql[i + 1] == 'x' || sql[i + 1] == 'X')) {
                i += 2;
                while (i < n && std::isxdigit(static_cast<unsigned char>(sql[i]))) ++i;
            } else {
                while (i < n && (is_digit(sql[i]) || sql[i] == '.')) ++i;
                if (i < n && (sql[i] == 'e' || sql[i] == 'E')) {
                    std::size_t j = i + 1;
                    if (j < n && (sql[j] == '+' || sql[j] == '-')) ++j;
                    if (j < n && is_digit(sql[j])) {
                        i = j;
                        while (i < n && is_digit(sql[i])) ++i;
                    }
                }
            }
        } else if (is_ident_start(c)) {
            kind = TokenKind::word;
            while (i < n && is_ident_char(sql[i])) ++i;
        } else {
            static constexpr std::string_view two[] = {"||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"};
            i += 1;
            for (auto op : two) {
                if (sql.substr(start, 2) == op) {
                    i = start + 2;
                    if (op == "->" && i < n && sql[i] == '>') ++i;  // ->>
                    break;
                }
            }
        }
        out.push_back(Token{kind, sql.substr(start, i - start), start});
    }
    return out;
}

std::size_t matching_paren(const std::vector<Token>& tokens, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        if (tokens[i].is_punct('(')) ++depth;
        if (tokens[i].is_punct(')') && --depth == 0) return i;
    }
    return tokens.size();
}

std::string trim(std::string_view text) {
    std::size_t b = 0;
    std::size_t e = text.size();
    while (b < e && is_space(text[b])) ++b;
    while (e > b && is_space(text[e - 1])) --e;
    return std::string(text.substr(b, e - b));
}

bool is_literal(std::string_view expr) {
    auto tokens = tokenize(expr);
    if (tokens.size() == 2 && (tokens[0].is_punct('-') || tokens[0].is_punct('+')))
        return tokens[1].kind == TokenKind::number;
    if (tokens.size() != 1) return false;
    const Token& t = tokens[0];
    switch (t.kind) {
    case TokenKind::string:
    case TokenKind::blob:
    case TokenKind::number: return true;
    case TokenKind::word:
        return t.is("NULL") || t.is("TRUE") || t.is("FALSE") || t.is("CURRENT_TIME") || t.is("CURRENT_DATE") ||
               t.is("CURRENT_TIMESTAMP");
    default: return false;
    }
}

// ---- types -------------------------------------------------------------------

Type parse_type(std::string_view declared) {
    Type custom;
    custom.kind = TypeKind::custom;
    custom.name = trim(declared);

    auto tokens = tokenize(declared);
    std::string base;
    std::size_t i = 0;
    for (; i < tokens.size() && tokens[i].kind == TokenKind::word; ++i) {
        if (!base.empty()) base += ' ';
        base += upper_copy(tokens[i].text);
    }
    std::vector<int> args;
    if (i < tokens.size()) {
        if (!tokens[i].is_punct('(')) return custom;
        std::size_t close = matching_paren(tokens, i);
        if (close != tokens.size() - 1) return custom;  // text after the arguments
        for (std::size_t j = i + 1; j < close; ++j) {
            if (tokens[j].is_punct(',')) continue;
            if (tokens[j].kind != TokenKind::number) return custom;
            try {
                args.push_back(std::stoi(std::string(tokens[j].text)));
            } catch (const std::exception&) {
                return custom;
            }
        }
        if (args.empty()) return custom;
    }

    Type t;
    auto simple = [&](TypeKind kind) {
        if (!args.empty()) return custom;
        t.kind = kind;
        return t;
    };
    if (base == "INT" || base == "INTEGER") return simple(TypeKind::integer);
    if (base == "SMALLINT" || base == "INT2") return simple(TypeKind::smallint);
    if (base == "BIGINT" || base == "INT8") return simple(TypeKind::bigint);
    if (base == "BOOL" || base == "BOOLEAN") return simple(TypeKind::boolean);
    if (base == "TEXT" || base == "CLOB") return simple(TypeKind::text);
    if (base == "REAL" || base == "FLOAT4") return simple(TypeKind::real);
    if (base == "DOUBLE" || base == "DOUBLE PRECISION" || base == "FLOAT" || base == "FLOAT8")
        return simple(TypeKind::double_precision);
    if (base == "DATE") return simple(TypeKind::date);
    if (base == "TIME") return simple(TypeKind::time);
    if (base == "DATETIME" || base == "TIMESTAMP" || base == "TIMESTAMP WITHOUT TIME ZONE")
        return simple(TypeKind::timestamp);
    if (base == "TIMESTAMPTZ" || base == "TIMESTAMP WITH TIME ZONE") return simple(TypeKind::timestamptz);
    if (base == "BLOB" || base == "BYTEA") return simple(TypeKind::blob);
    if (base == "JSON" || base == "JSONB") return simple(TypeKind::json);
    if (base == "UUID") return simple(TypeKind::uuid);
    if (base == "VARCHAR" || base == "CHARACTER VARYING" || base == "NVARCHAR") {
        if (args.size() > 1) return custom;
        t.kind = TypeKind::varchar;
        t.length = args.empty() ? 0 : args[0];
        return t;
    }
    if (base == "NUMERIC" || base == "DECIMAL") {
        if (args.size() > 2) return custom;
        t.kind = TypeKind::numeric;
        t.length = args.empty() ? 0 : args[0];
        t.scale = args.size() > 1 ? args[1] : 0;
        return t;
    }
    return custom;
}

// ---- CREATE TABLE ------------------------------------------------------------

namespace {

/// SQLite's own spellings of the types it knows by name (ANY, BLOB, INT, INTEGER,
/// REAL, TEXT): since 3.37 a column declared with one of them, in any case,
/// reports it in capitals; any other declared type is reported as written.
std::string reported_type(std::string_view declared) {
    static constexpr std::string_view standard[] = {"ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"};
    for (auto name : standard)
        if (same_name(declared, name)) return std::string(name);
    return std::string(declared);
}

/// Reads CREATE TABLE. Besides the constraints (for their names), it reads the
/// columns and foreign keys as PRAGMA table_xinfo and foreign_key_list report
/// them, and says whether the statement stays in the plain subset where that
/// reading is exact (ParsedTable::plain).
class TableParser {
public:
    TableParser(std::string_view sql, const std::vector<Token>& tokens) : m_sql(sql), m_t(tokens) {}

    ParsedTable parse() {
        std::size_t open = 0;
        while (open < m_t.size() && !m_t[open].is_punct('(')) {
            if (m_t[open].is("AS")) {  // CREATE TABLE ... AS SELECT: no definitions
                m_out.plain = false;
                return m_out;
            }
            ++open;
        }
        if (open == m_t.size()) {
            m_out.plain = false;
            return m_out;
        }
        std::size_t close = matching_paren(m_t, open);
        if (close == m_t.size()) m_out.plain = false;
        std::size_t item = open + 1;
        int depth = 0;
        for (std::size_t i = open + 1; i <= close && i < m_t.size(); ++i) {
            if (m_t[i].is_punct('(')) ++depth;
            if (m_t[i].is_punct(')')) --depth;
            if ((depth == 0 && m_t[i].is_punct(',')) || i == close) {
                if (i > item)
                    parse_item(item, i);
                else
                    m_out.plain = false;
                item = i + 1;
            }
        }
        for (std::size_t i = close + 1; i < m_t.size(); ++i) {
            m_out.plain = false;  // table options: WITHOUT ROWID, STRICT
            if (m_t[i].is("ROWID") && i > 0 && m_t[i - 1].is("WITHOUT")) {
                m_out.without_rowid = true;
                note("WITHOUT ROWID");
            }
            if (m_t[i].is("STRICT")) note("STRICT");
        }
        if (m_primary_keys > 1) m_out.plain = false;
        return m_out;
    }

private:
    static bool starts_table_constraint(const Token& t) {
        return t.is("CONSTRAINT") || t.is("PRIMARY") || t.is("UNIQUE") || t.is("CHECK") || t.is("FOREIGN");
    }

    static bool starts_column_constraint(const Token& t) {
        return t.is("CONSTRAINT") || t.is("PRIMARY") || t.is("NOT") || t.is("NULL") || t.is("UNIQUE") ||
               t.is("CHECK") || t.is("DEFAULT") || t.is("COLLATE") || t.is("REFERENCES") || t.is("GENERATED") ||
               t.is("AS");
    }

    static bool is_name(const Token& t) { return t.kind == TokenKind::word || t.kind == TokenKind::quoted; }

    void note(std::string what) {
        if (std::find(m_out.unmodelled.begin(), m_out.unmodelled.end(), what) == m_out.unmodelled.end())
            m_out.unmodelled.push_back(std::move(what));
    }

    /// The names in a parenthesized list starting at `open`; returns the index after ")".
    /// A list of anything but plain names (COLLATE, ASC, expressions) is not plain.
    std::size_t name_list(std::size_t open, std::size_t end, std::vector<std::string>& names) {
        std::size_t close = std::min(matching_paren(m_t, open), end);
        if (close >= end) m_out.plain = false;
        bool expect_name = true;
        int depth = 0;
        for (std::size_t i = open + 1; i < close; ++i) {
            if (m_t[i].is_punct('(')) ++depth;
            if (m_t[i].is_punct(')')) --depth;
            if (depth == 0 && m_t[i].is_punct(',')) {
                if (expect_name) m_out.plain = false;
                expect_name = true;
                continue;
            }
            if (expect_name) {
                if (!is_name(m_t[i])) m_out.plain = false;
                names.push_back(m_t[i].name());
                expect_name = false;
            } else {
                m_out.plain = false;
                if (m_t[i].is("COLLATE")) note("COLLATE");
            }
        }
        if (expect_name) m_out.plain = false;  // "()" or a trailing comma
        return close + 1;
    }

    std::string raw_between(std::size_t open, std::size_t close) const {
        if (close >= m_t.size() || close <= open) return {};
        std::size_t b = m_t[open].offset + 1;
        return trim(m_sql.substr(b, m_t[close].offset - b));
    }

    /// The text from token `first` through token `last`, as written.
    std::string_view span(std::size_t first, std::size_t last) const {
        std::size_t b = m_t[first].offset;
        return m_sql.substr(b, m_t[last].offset + m_t[last].text.size() - b);
    }

    /// ON CONFLICT <resolution> at `i`: skipped and noted; returns the next index.
    std::size_t conflict_clause(std::size_t i, std::size_t end) {
        if (i + 1 < end && m_t[i].is("ON") && m_t[i + 1].is("CONFLICT")) {
            note("ON CONFLICT");
            return std::min(i + 3, end);
        }
        return i;
    }

    /// The referenced table at `i` and the REFERENCES clauses after it, read into
    /// `fk`; returns the next index.
    std::size_t foreign_key_clauses(std::size_t i, std::size_t end, ParsedConstraint& fk) {
        if (i < end && is_name(m_t[i]))
            fk.ref_table = m_t[i].name();
        else
            m_out.plain = false;
        ++i;
        if (i < end && m_t[i].is_punct('(')) i = name_list(i, end, fk.ref_columns);
        while (i < end) {
            if (m_t[i].is("ON") && i + 1 < end && (m_t[i + 1].is("DELETE") || m_t[i + 1].is("UPDATE"))) {
                Action& action = m_t[i + 1].is("DELETE") ? fk.on_delete : fk.on_update;
                i += 2;
                if (i + 1 < end && m_t[i].is("SET") && m_t[i + 1].is("NULL")) {
                    action = Action::set_null;
                    i += 2;
                } else if (i + 1 < end && m_t[i].is("SET") && m_t[i + 1].is("DEFAULT")) {
                    action = Action::set_default;
                    i += 2;
                } else if (i + 1 < end && m_t[i].is("NO") && m_t[i + 1].is("ACTION")) {
                    action = Action::no_action;
                    i += 2;
                } else if (i < end && m_t[i].is("CASCADE")) {
                    action = Action::cascade;
                    ++i;
                } else if (i < end && m_t[i].is("RESTRICT")) {
                    action = Action::restrict;
                    ++i;
                } else {
                    m_out.plain = false;
                    if (i < end && (m_t[i].is("SET") || m_t[i].is("NO"))) ++i;
                    ++i;
                }
            } else if (m_t[i].is("MATCH")) {
                i += 2;
            } else if (m_t[i].is("NOT") && i + 1 < end && m_t[i + 1].is("DEFERRABLE")) {
                i += 2;
            } else if (m_t[i].is("DEFERRABLE")) {
                ++i;
            } else if (m_t[i].is("INITIALLY")) {
                if (i + 1 < end && m_t[i + 1].is("DEFERRED") && !(i >= 2 && m_t[i - 2].is("NOT")))
                    note("DEFERRABLE INITIALLY DEFERRED");
                i += 2;
            } else {
                break;
            }
        }
        return std::min(i, end);
    }

    ParsedConstraint& add(ConstraintKind kind, std::string& pending, std::vector<std::string> columns,
                          std::string expr = {}, bool autoincrement = false) {
        ParsedConstraint c;
        c.kind = kind;
        c.name = pending;
        c.columns = std::move(columns);
        c.expression = std::move(expr);
        c.autoincrement = autoincrement;
        if (kind == ConstraintKind::primary_key) ++m_primary_keys;
        m_out.constraints.push_back(std::move(c));
        pending.clear();
        return m_out.constraints.back();
    }

    void parse_item(std::size_t b, std::size_t e) {
        if (starts_table_constraint(m_t[b]))
            parse_table_constraints(b, e);
        else
            parse_column(b, e);
    }

    void parse_table_constraints(std::size_t i, std::size_t e) {
        std::string pending;
        while (i < e) {
            const Token& t = m_t[i];
            if (t.is("CONSTRAINT") && i + 1 < e) {
                if (!is_name(m_t[i + 1])) m_out.plain = false;
                pending = m_t[i + 1].name();
                i += 2;
            } else if ((t.is("PRIMARY") || t.is("UNIQUE")) && i + 1 < e) {
                bool pk = t.is("PRIMARY");
                std::size_t j = pk ? i + 2 : i + 1;  // PRIMARY KEY ( / UNIQUE (
                if (pk && !m_t[i + 1].is("KEY")) m_out.plain = false;
                std::vector<std::string> cols;
                if (j < e && m_t[j].is_punct('('))
                    j = name_list(j, e, cols);
                else
                    m_out.plain = false;
                add(pk ? ConstraintKind::primary_key : ConstraintKind::unique, pending, std::move(cols));
                i = conflict_clause(j, e);
            } else if (t.is("CHECK") && i + 1 < e && m_t[i + 1].is_punct('(')) {
                std::size_t close = std::min(matching_paren(m_t, i + 1), e);
                add(ConstraintKind::check, pending, {}, raw_between(i + 1, close));
                i = close + 1;
            } else if (t.is("FOREIGN") && i + 2 < e) {
                std::vector<std::string> cols;
                std::size_t j = i + 2;  // FOREIGN KEY (
                if (m_t[j].is_punct('('))
                    j = name_list(j, e, cols);
                else
                    m_out.plain = false;
                ParsedConstraint& fk = add(ConstraintKind::foreign_key, pending, std::move(cols));
                if (j < e && m_t[j].is("REFERENCES"))
                    j = foreign_key_clauses(j + 1, e, fk);
                else
                    m_out.plain = false;
                i = j;
            } else {
                m_out.plain = false;
                ++i;
            }
        }
    }

    void parse_column(std::size_t b, std::size_t e) {
        ParsedColumn column;
        if (!is_name(m_t[b])) m_out.plain = false;
        column.name = m_t[b].name();
        // The type: words, then at most one "(n)" or "(n, m)" with signed numbers.
        std::size_t i = b + 1;
        std::size_t type_end = b;  // last token of the type
        bool arguments = false;
        while (i < e && !starts_column_constraint(m_t[i])) {
            if (m_t[i].is_punct('(')) {
                std::size_t close = std::min(matching_paren(m_t, i), e);
                if (arguments || type_end == b || !plain_arguments(i, close)) m_out.plain = false;
                arguments = true;
                type_end = std::min(close, e - 1);
                i = close + 1;
            } else {
                if (m_t[i].kind != TokenKind::word || arguments) m_out.plain = false;
                type_end = i;
                ++i;
            }
        }
        if (type_end > b) column.type = reported_type(span(b + 1, type_end));
        std::string pending;
        while (i < e) {
            const Token& t = m_t[i];
            if (t.is("CONSTRAINT") && i + 1 < e) {
                if (!is_name(m_t[i + 1])) m_out.plain = false;
                pending = m_t[i + 1].name();
                i += 2;
            } else if (t.is("PRIMARY")) {
                if (!(i + 1 < e && m_t[i + 1].is("KEY"))) m_out.plain = false;
                i += 2;  // PRIMARY KEY
                if (i < e && m_t[i].is("ASC")) ++i;
                if (i < e && m_t[i].is("DESC")) {  // INTEGER PRIMARY KEY DESC is no rowid alias
                    m_out.plain = false;
                    ++i;
                }
                i = conflict_clause(i, e);
                bool autoinc = i < e && m_t[i].is("AUTOINCREMENT");
                if (autoinc) ++i;
                add(ConstraintKind::primary_key, pending, {column.name}, {}, autoinc);
            } else if (t.is("NOT") && i + 1 < e && m_t[i + 1].is("NULL")) {
                column.not_null = true;
                i = conflict_clause(i + 2, e);
                pending.clear();
            } else if (t.is("NULL")) {
                i = conflict_clause(i + 1, e);
                pending.clear();
            } else if (t.is("UNIQUE")) {
                add(ConstraintKind::unique, pending, {column.name});
                i = conflict_clause(i + 1, e);
            } else if (t.is("CHECK") && i + 1 < e && m_t[i + 1].is_punct('(')) {
                std::size_t close = std::min(matching_paren(m_t, i + 1), e);
                add(ConstraintKind::check, pending, {}, raw_between(i + 1, close));
                i = close + 1;
            } else if (t.is("DEFAULT")) {
                i = default_value(i + 1, e, column);
                pending.clear();
            } else if (t.is("COLLATE")) {
                note("COLLATE");
                m_out.plain = false;
                i += 2;
                pending.clear();
            } else if (t.is("REFERENCES")) {
                ParsedConstraint& fk = add(ConstraintKind::foreign_key, pending, {column.name});
                i = foreign_key_clauses(i + 1, e, fk);
            } else if (t.is("GENERATED") || t.is("AS")) {
                note("generated column");
                m_out.plain = false;
                while (i < e && !m_t[i].is_punct('(')) ++i;
                if (i < e) i = std::min(matching_paren(m_t, i), e) + 1;
                if (i < e && (m_t[i].is("STORED") || m_t[i].is("VIRTUAL"))) ++i;
                pending.clear();
            } else {
                m_out.plain = false;
                ++i;
            }
        }
        m_out.columns.push_back(std::move(column));
    }

    /// Whether the tokens between `open` and `close` are "n" or "n, m", signed or not.
    bool plain_arguments(std::size_t open, std::size_t close) const {
        std::size_t i = open + 1;
        int count = 0;
        while (i < close) {
            if (m_t[i].is_punct('-') || m_t[i].is_punct('+')) ++i;
            if (i >= close || m_t[i].kind != TokenKind::number) return false;
            ++i;
            ++count;
            if (i < close) {
                if (!m_t[i].is_punct(',')) return false;
                ++i;
                if (i >= close) return false;
            }
        }
        return count >= 1 && count <= 2;
    }

    /// DEFAULT's value at `i`, as PRAGMA table_xinfo reports it: the text inside
    /// the parentheses, or the literal as written (a sign included). A value in
    /// another form (a bare identifier) is not plain. Returns the next index.
    std::size_t default_value(std::size_t i, std::size_t e, ParsedColumn& column) {
        if (i >= e) {
            m_out.plain = false;
            return i;
        }
        const Token& t = m_t[i];
        if (t.is_punct('(')) {
            std::size_t close = std::min(matching_paren(m_t, i), e);
            if (close >= e) m_out.plain = false;
            column.default_value = raw_between(i, close);
            return close + 1;
        }
        if ((t.is_punct('-') || t.is_punct('+')) && i + 1 < e && m_t[i + 1].kind == TokenKind::number) {
            column.default_value = std::string(span(i, i + 1));
            return i + 2;
        }
        bool literal = t.kind == TokenKind::string || t.kind == TokenKind::blob || t.kind == TokenKind::number ||
                       t.is("NULL") || t.is("TRUE") || t.is("FALSE") || t.is("CURRENT_TIME") ||
                       t.is("CURRENT_DATE") || t.is("CURRENT_TIMESTAMP");
        if (!literal) m_out.plain = false;
        column.default_value = std::string(t.text);
        return i + 1;
    }

    std::string_view m_sql;
    const std::vector<Token>& m_t;
    ParsedTable m_out;
    int m_primary_keys = 0;
};

}  // namespace

ParsedTable parse_create_table(std::string_view sql) {
    auto tokens = tokenize(sql);
    return TableParser(sql, tokens).parse();
}

// ---- CREATE INDEX ------------------------------------------------------------

ParsedIndex parse_create_index(std::string_view sql) {
    ParsedIndex out;
    auto t = tokenize(sql);
    std::size_t on = 0;
    while (on < t.size() && !t[on].is("ON")) ++on;
    std::size_t open = on;
    while (open < t.size() && !t[open].is_punct('(')) ++open;
    if (open >= t.size()) return out;
    std::size_t close = matching_paren(t, open);
    if (close >= t.size()) return out;
    std::size_t item = open + 1;
    int depth = 0;
    for (std::size_t i = open + 1; i <= close; ++i) {
        if (t[i].is_punct('(')) ++depth;
        if (t[i].is_punct(')')) --depth;
        if ((depth == 0 && t[i].is_punct(',')) || i == close) {
            std::size_t last = i;  // one past the item's last token
            if (last > item && (t[last - 1].is("ASC") || t[last - 1].is("DESC"))) --last;
            if (last > item) {
                std::size_t b = t[item].offset;
                std::size_t e = t[last - 1].offset + t[last - 1].text.size();
                out.parts.push_back(trim(sql.substr(b, e - b)));
            } else {
                out.parts.emplace_back();
            }
            item = i + 1;
        }
    }
    for (std::size_t i = close + 1; i < t.size(); ++i) {
        if (t[i].is("WHERE") && i + 1 < t.size()) {
            std::size_t b = t[i + 1].offset;
            std::size_t last = t.size();
            while (last > i + 1 && t[last - 1].is_punct(';')) --last;
            std::size_t e = t[last - 1].offset + t[last - 1].text.size();
            out.where = trim(sql.substr(b, e - b));
            break;
        }
    }
    return out;
}

// ---- canonical order ---------------------------------------------------------

void canonical_order(Table& table) {
    std::sort(table.foreign_keys.begin(), table.foreign_keys.end(), [](const ForeignKey& a, const ForeignKey& b) {
        return std::tie(a.name, a.columns, a.ref_table, a.ref_columns, a.on_delete, a.on_update) <
               std::tie(b.name, b.columns, b.ref_table, b.ref_columns, b.on_delete, b.on_update);
    });
    std::sort(table.uniques.begin(), table.uniques.end(), [](const UniqueConstraint& a, const UniqueConstraint& b) {
        return std::tie(a.name, a.columns) < std::tie(b.name, b.columns);
    });
    std::sort(table.checks.begin(), table.checks.end(), [](const CheckConstraint& a, const CheckConstraint& b) {
        return std::tie(a.name, a.expression) < std::tie(b.name, b.expression);
    });
    auto part_texts = [](const Index& i) {
        std::vector<std::string> out;
        for (const auto& p : i.parts) out.push_back(p.text);
        return out;
    };
    std::sort(table.indexes.begin(), table.indexes.end(), [&](const Index& a, const Index& b) {
        if (a.name != b.name) return a.name < b.name;
        return part_texts(a) < part_texts(b);
    });
}

// ---- reflection --------------------------------------------------------------

namespace {

const std::string& text_of(const Row& row, std::size_t i) {
    static const std::string empty;
    return i < row.size() && row[i] ? *row[i] : empty;
}

long long int_of(const Row& row, std::size_t i) {
    const std::string& s = text_of(row, i);
    if (s.empty()) return 0;
    try {
        return std::stoll(s);
    } catch (const std::exception&) {
        return 0;
    }
}

Action action_of(std::string_view s) {
    if (same_name(s, "CASCADE")) return Action::cascade;
    if (same_name(s, "SET NULL")) return Action::set_null;
    if (same_name(s, "SET DEFAULT")) return Action::set_default;
    if (same_name(s, "RESTRICT")) return Action::restrict;
    return Action::no_action;
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_name(a[i], b[i])) return false;
    return true;
}

/// Finds the first unused parsed constraint of `kind` on `columns`; returns its name.
std::string take_name(ParsedTable& parsed, std::vector<bool>& used, ConstraintKind kind,
                      const std::vector<std::string>& columns) {
    for (std::size_t i = 0; i < parsed.constraints.size(); ++i) {
        const auto& c = parsed.constraints[i];
        if (used[i] || c.kind != kind || !same_names(c.columns, columns)) continue;
        used[i] = true;
        return c.name;
    }
    return {};
}

// The tables reflection reads: real tables, not SQLite's own nor virtual ones.
constexpr const char* table_filter =
    "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "AND coalesce(m.sql, '') NOT LIKE 'CREATE VIRTUAL%'";

struct TableInfo {
    Table table;
    ParsedTable parsed;
    std::vector<bool> used;  // parsed constraints already matched
    bool by_pragmas = false;  // read through PRAGMAs, not from its statement
    int autoindexes = 0;      // sqlite_autoindex_* indexes in sqlite_master
    std::vector<std::pair<std::string, std::string>> indexes;  // (name, CREATE INDEX) of the explicit ones
};

using Infos = std::map<std::string, TableInfo, std::less<>>;
using Types = std::map<std::string, Type, std::less<>>;  // by declared spelling: each parsed once

const Type& type_of(Types& types, std::string_view declared) {
    auto it = types.find(declared);
    if (it == types.end()) it = types.emplace(std::string(declared), parse_type(declared)).first;
    return it->second;
}

/// " AND lower(m.name) IN (...)": ReflectOptions::tables, the tables whose foreign
/// keys reference them, and every table the foreign keys of those name; SQLite
/// matches table names without regard to case, and so does this. "" for all tables.
std::string tables_clause(DbSession& session, const ReflectOptions& options) {
    if (options.tables.empty()) return {};
    auto in_list = [](const std::set<std::string, std::less<>>& names) {
        std::string out;
        for (const auto& n : names) out += (out.empty() ? "lower(" : ", lower(") + literal(n) + ")";
        return "(" + out + ")";
    };
    std::set<std::string, std::less<>> wanted(options.tables.begin(), options.tables.end());
    const std::string fk_join = "SELECT m.name, fk.\"table\" FROM sqlite_master AS m JOIN "
                                "pragma_foreign_key_list(m.name) AS fk WHERE " + std::string(table_filter);
    // A table that references one of them names it in its CREATE TABLE: LIKE (which
    // ignores ASCII case) keeps the foreign key pragma to those candidates.
    std::string mentions;
    for (const auto& n : wanted) {
        std::string pattern = "%";
        for (char c : n) {
            if (c == '%' || c == '_' || c == '\\') pattern += '\\';
            pattern += c;
        }
        mentions += (mentions.empty() ? "" : " OR ") + std::string("m.sql LIKE ") + literal(pattern + "%") +
                    " ESCAPE '\\'";
    }
    // A name with a quote in it is written escaped in the SQL: no shortcut then.
    if (std::any_of(wanted.begin(), wanted.end(),
                    [](const std::string& n) { return n.find_first_of("\"'`]") != std::string::npos; }))
        mentions = "1";
    for (const auto& row : session.query(fk_join + " AND (" + mentions + ") AND lower(fk.\"table\") IN " +
                                         in_list(wanted)))
        wanted.insert(text_of(row, 0));
    std::set<std::string, std::less<>> parents;
    for (const auto& row : session.query(fk_join + " AND lower(m.name) IN " + in_list(wanted)))
        parents.insert(text_of(row, 1));
    wanted.insert(parents.begin(), parents.end());
    return " AND lower(m.name) IN " + in_list(wanted);
}

/// Reads the columns, primary keys, unique constraints, indexes and foreign keys of
/// the tables marked by_pragmas through SQLite's PRAGMA table-valued functions, in
/// one query each for all of them. `names` narrows the queries to those tables
/// (empty: every table).
void read_by_pragmas(DbSession& session, Infos& infos, const std::vector<std::string>& names,
                     const std::map<std::string, std::string, std::less<>>& index_sql, Types& types) {
    std::string filter = table_filter;
    if (!names.empty()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + literal(n);
        filter += " AND m.name IN (" + list + ")";
    }
    auto reading = [&](const std::string& table) -> TableInfo* {
        auto it = infos.find(table);
        return it == infos.end() || !it->second.by_pragmas ? nullptr : &it->second;
    };

    // Columns and the primary key.
    std::map<std::string, std::vector<std::pair<long long, std::string>>, std::less<>> pk_columns;
    std::map<std::string, std::vector<std::string>, std::less<>> pk_types;
    for (const auto& row : session.query(
             "SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
             "FROM sqlite_master AS m JOIN pragma_table_xinfo(m.name) AS p WHERE " +
             filter + " ORDER BY m.name, p.cid")) {
        TableInfo* info = reading(text_of(row, 0));
        if (!info) continue;
        if (int_of(row, 7) != 0) continue;  // generated or hidden columns are not modelled
        Column c;
        c.name = text_of(row, 2);
        c.type = type_of(types, text_of(row, 3));
        c.nullable = int_of(row, 4) == 0;
        if (row.size() > 5 && row[5]) c.server_default = *row[5];
        if (long long pk = int_of(row, 6); pk > 0) {
            pk_columns[info->table.name].emplace_back(pk, c.name);
            pk_types[info->table.name].push_back(upper_copy(trim(text_of(row, 3))));
        }
        info->table.columns.push_back(std::move(c));
    }
    for (auto& [name, info] : infos) {
        if (!info.by_pragmas) continue;
        auto pk = pk_columns.find(name);
        if (pk == pk_columns.end()) continue;
        std::sort(pk->second.begin(), pk->second.end());
        PrimaryKey key;
        for (const auto& [_, col] : pk->second) key.columns.push_back(col);
        key.name = take_name(info.parsed, info.used, ConstraintKind::primary_key, key.columns);
        if (key.name.empty()) {
            // A column-level key is matched by its column above; a table-level one too.
            for (std::size_t i = 0; i < info.parsed.constraints.size(); ++i) {
                if (!info.used[i] && info.parsed.constraints[i].kind == ConstraintKind::primary_key) {
                    key.name = info.parsed.constraints[i].name;
                    info.used[i] = true;
                    break;
                }
            }
        }
        // An INTEGER PRIMARY KEY is the rowid: it never holds NULL, whatever was declared.
        bool rowid_alias = key.columns.size() == 1 && pk_types[name].front() == "INTEGER" && !info.parsed.without_rowid;
        for (const auto& pc : info.parsed.constraints)
            if (pc.kind == ConstraintKind::primary_key && pc.autoincrement && key.columns.size() == 1)
                if (Column* c = info.table.find_column(key.columns.front())) c->autoincrement = true;
        if (rowid_alias)
            if (Column* c = info.table.find_column(key.columns.front())) c->nullable = false;
        info.table.primary_key = std::move(key);
    }

    // Indexes and unique constraints.
    struct IndexRow {
        std::string table;
        bool unique;
        std::string origin;
        bool partial;
    };
    std::map<std::string, IndexRow, std::less<>> index_rows;
    std::vector<std::string> index_order;
    for (const auto& row : session.query("SELECT m.name, il.name, il.\"unique\", il.origin, il.partial "
                                         "FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS il WHERE " +
                                         filter + " ORDER BY m.name, il.seq DESC")) {
        if (!reading(text_of(row, 0))) continue;
        index_rows[text_of(row, 1)] = IndexRow{text_of(row, 0), int_of(row, 2) != 0, text_of(row, 3), int_of(row, 4) != 0};
        index_order.push_back(text_of(row, 1));
    }
    struct IndexKey {
        long long seqno;
        long long cid;  // -2: an expression, -1: the rowid
        std::string column;
    };
    std::map<std::string, std::vector<IndexKey>, std::less<>> index_keys;
    for (const auto& row : session.query(
             "SELECT il.name, ix.seqno, ix.cid, ix.name FROM sqlite_master AS m "
             "JOIN pragma_index_list(m.name) AS il JOIN pragma_index_xinfo(il.name) AS ix WHERE " +
             filter + " AND ix.key = 1 ORDER BY il.name, ix.seqno"))
        index_keys[text_of(row, 0)].push_back(IndexKey{int_of(row, 1), int_of(row, 2), text_of(row, 3)});
    for (const auto& name : index_order) {
        const IndexRow& ir = index_rows[name];
        TableInfo& info = infos.find(ir.table)->second;
        const auto& keys = index_keys[name];
        if (ir.origin == "pk") continue;  // the primary key, read from table_xinfo
        if (ir.origin == "u") {
            UniqueConstraint u;
            for (const auto& k : keys) u.columns.push_back(k.column);
            u.name = take_name(info.parsed, info.used, ConstraintKind::unique, u.columns);
            info.table.uniques.push_back(std::move(u));
            continue;
        }
        Index idx;
        idx.name = name;
        idx.unique = ir.unique;
        ParsedIndex parsed;
        if (auto sql = index_sql.find(name); sql != index_sql.end()) parsed = parse_create_index(sql->second);
        for (const auto& k : keys) {
            if (k.cid == -2) {
                auto at = static_cast<std::size_t>(k.seqno);
                idx.parts.push_back(IndexPart{at < parsed.parts.size() ? parsed.parts[at] : std::string(), true});
            } else {
                idx.parts.push_back(IndexPart{k.cid == -1 ? std::string("rowid") : k.column, false});
            }
        }
        if (ir.partial) idx.where = parsed.where;
        info.table.indexes.push_back(std::move(idx));
    }

    // Foreign keys, grouped by id.
    struct FkRows {
        ForeignKey fk;
        bool implicit_ref = false;  // REFERENCES parent without columns: its primary key
    };
    std::map<std::string, std::map<long long, FkRows>, std::less<>> fks;
    for (const auto& row : session.query(
             "SELECT m.name, fk.id, fk.seq, fk.\"table\", fk.\"from\", fk.\"to\", fk.on_update, fk.on_delete "
             "FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS fk WHERE " +
             filter + " ORDER BY m.name, fk.id, fk.seq")) {
        if (!reading(text_of(row, 0))) continue;
        FkRows& f = fks[text_of(row, 0)][int_of(row, 1)];
        f.fk.ref_table = text_of(row, 3);
        f.fk.columns.push_back(text_of(row, 4));
        if (row.size() > 5 && row[5])
            f.fk.ref_columns.push_back(*row[5]);
        else
            f.implicit_ref = true;
        f.fk.on_update = action_of(text_of(row, 6));
        f.fk.on_delete = action_of(text_of(row, 7));
    }
    for (auto& [table, by_id] : fks) {
        TableInfo& info = infos.find(table)->second;
        // SQLite numbers foreign keys from the last declared; match names in declaration order.
        for (auto it = by_id.rbegin(); it != by_id.rend(); ++it) {
            ForeignKey fk = std::move(it->second.fk);
            if (it->second.implicit_ref) {
                fk.ref_columns.clear();
                auto parent = infos.find(fk.ref_table);
                if (parent != infos.end() && parent->second.table.primary_key)
                    fk.ref_columns = parent->second.table.primary_key->columns;
            }
            fk.name = take_name(info.parsed, info.used, ConstraintKind::foreign_key, fk.columns);
            info.table.foreign_keys.push_back(std::move(fk));
        }
    }
}

/// Reads a table from its CREATE TABLE and CREATE INDEX statements, as the PRAGMAs
/// would report it, when they stay in the plain subset (ParsedTable::plain) and
/// the automatic indexes in sqlite_master are the ones the statement makes.
/// Returns false, leaving the table as it was, when the PRAGMAs must read it.
/// A foreign key without referenced columns is left for the caller (the
/// referenced table's primary key may not be read yet).
bool read_from_sql(TableInfo& info, Types& types, std::vector<std::size_t>& implicit_refs) {
    const ParsedTable& p = info.parsed;
    if (!p.plain || p.without_rowid) return false;
    Table t;
    t.name = info.table.name;
    t.columns.reserve(p.columns.size());
    for (const auto& pc : p.columns) {
        Column c;
        c.name = pc.name;
        c.type = type_of(types, pc.type);
        c.nullable = !pc.not_null;
        c.server_default = pc.default_value;
        t.columns.push_back(std::move(c));
    }
    // Names as the table declares them (what the PRAGMAs report), found as SQLite
    // finds them, whatever the case written.
    auto declared = [&](const std::vector<std::string>& written, std::vector<std::string>& out) {
        for (const auto& w : written) {
            auto it = std::find_if(t.columns.begin(), t.columns.end(),
                                   [&](const Column& c) { return same_name(c.name, w); });
            if (it == t.columns.end()) return false;
            out.push_back(it->name);
        }
        return true;
    };

    // The primary key: INTEGER alone is the rowid, no index and never NULL; any
    // other has an automatic index.
    int autoindexes = 0;
    std::optional<PrimaryKey> key;
    bool key_index = false;
    for (const auto& pc : p.constraints) {
        if (pc.kind != ConstraintKind::primary_key) continue;
        PrimaryKey k;
        k.name = pc.name;
        if (!declared(pc.columns, k.columns) || k.columns.empty()) return false;
        Column* first = t.find_column(k.columns.front());
        bool rowid_alias = k.columns.size() == 1 && upper_copy(trim(p.columns[static_cast<std::size_t>(
                                                         first - t.columns.data())].type)) == "INTEGER";
        if (pc.autoincrement && k.columns.size() == 1) first->autoincrement = true;
        if (rowid_alias) first->nullable = false;
        key_index = !rowid_alias;
        autoindexes += key_index ? 1 : 0;
        key = std::move(k);
    }
    t.primary_key = key;

    // Unique constraints: SQLite keeps one automatic index per distinct key (a
    // UNIQUE on the columns of the key's index, or of an earlier UNIQUE, makes none).
    for (const auto& pc : p.constraints) {
        if (pc.kind != ConstraintKind::unique) continue;
        UniqueConstraint u;
        u.name = pc.name;
        if (!declared(pc.columns, u.columns) || u.columns.empty()) return false;
        if (key_index && u.columns == key->columns) continue;
        if (std::any_of(t.uniques.begin(), t.uniques.end(),
                        [&](const UniqueConstraint& k) { return k.columns == u.columns; }))
            continue;
        t.uniques.push_back(std::move(u));
        ++autoindexes;
    }
    if (autoindexes != info.autoindexes) return false;

    // Foreign keys, in declaration order.
    std::vector<std::size_t> implicit;
    for (const auto& pc : p.constraints) {
        if (pc.kind != ConstraintKind::foreign_key) continue;
        ForeignKey fk;
        fk.name = pc.name;
        if (!declared(pc.columns, fk.columns) || fk.columns.empty()) return false;
        fk.ref_table = pc.ref_table;
        fk.ref_columns = pc.ref_columns;
        fk.on_delete = pc.on_delete;
        fk.on_update = pc.on_update;
        if (fk.ref_columns.empty()) implicit.push_back(t.foreign_keys.size());
        t.foreign_keys.push_back(std::move(fk));
    }

    // Explicit indexes on plain columns.
    for (const auto& [name, sql] : info.indexes) {
        auto tokens = tokenize(sql);
        Index idx;
        idx.name = name;
        for (const auto& token : tokens) {
            if (token.is("INDEX")) break;
            if (token.is("UNIQUE")) idx.unique = true;
        }
        ParsedIndex parsed = parse_create_index(sql);
        if (parsed.parts.empty()) return false;
        for (const auto& part : parsed.parts) {
            auto key_tokens = tokenize(part);
            if (key_tokens.size() != 1 ||
                (key_tokens[0].kind != TokenKind::word && key_tokens[0].kind != TokenKind::quoted))
                return false;
            std::vector<std::string> column;
            if (!declared({key_tokens[0].name()}, column)) return false;
            idx.parts.push_back(IndexPart{column.front(), false});
        }
        idx.where = parsed.where;
        t.indexes.push_back(std::move(idx));
    }

    info.table = std::move(t);
    info.parsed.columns = {};  // read: memory is time (a page fault per page)
    implicit_refs = std::move(implicit);
    return true;
}

/// The CHECK constraints, from the statement; then the canonical order.
void finish(TableInfo& info) {
    for (const auto& pc : info.parsed.constraints)
        if (pc.kind == ConstraintKind::check) info.table.checks.push_back(CheckConstraint{pc.name, pc.expression});
    canonical_order(info.table);
}

}  // namespace

std::string table_sql(DbSession& session, std::string_view table) {
    auto rows = session.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = " + literal(table));
    if (rows.empty() || rows[0].empty() || !rows[0][0]) return {};
    return *rows[0][0];
}

Schema reflect_schema(DbSession& session, const ReflectOptions& options, ReflectPath path) {
    const std::string filter = table_filter + tables_clause(session, options);
    Infos infos;
    std::map<std::string, std::string, std::less<>> index_sql;
    std::vector<std::tuple<std::string, std::string, std::string>> indexes;  // (name, table, sql or "")

    for (const auto& row : session.query("SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_master AS m WHERE (" +
                                         filter + ") OR m.type = 'index'")) {
        const std::string& type = text_of(row, 0);
        const std::string& name = text_of(row, 1);
        if (type == "index") {
            bool automatic = row.size() <= 3 || !row[3];
            if (!automatic) index_sql[name] = text_of(row, 3);
            indexes.emplace_back(name, text_of(row, 2), automatic ? std::string() : text_of(row, 3));
            continue;
        }
        if (std::find(options.exclude_tables.begin(), options.exclude_tables.end(), name) !=
            options.exclude_tables.end())
            continue;
        TableInfo info;
        info.table.name = name;
        info.parsed = parse_create_table(text_of(row, 3));
        info.used.assign(info.parsed.constraints.size(), false);
        infos.emplace(name, std::move(info));
    }
    for (auto& [name, table, sql] : indexes) {
        auto it = infos.find(table);
        if (it == infos.end()) continue;
        if (sql.empty())
            ++it->second.autoindexes;
        else
            it->second.indexes.emplace_back(std::move(name), std::move(sql));
    }

    // Tables in the plain subset are read from their statements, which SQLite
    // parsed the same way when it opened the database; the PRAGMAs read the rest.
    // (They are table-valued functions that prepare a statement per table and
    // look the table up in a schema hash of a fixed size: most of a check's time
    // on thousands of tables.) One table read both ways checks that this SQLite
    // reports what the statement reading expects; if not, the PRAGMAs read all.
    Types types;
    const bool from_sql = path == ReflectPath::fastest && sqlite3_libversion_number() >= 3037000;
    std::map<std::string, std::vector<std::size_t>, std::less<>> implicit_refs;
    std::vector<std::string> by_pragmas;
    for (auto& [name, info] : infos) {
        std::vector<std::size_t> implicit;
        if (from_sql && read_from_sql(info, types, implicit)) {
            if (!implicit.empty()) implicit_refs[name] = std::move(implicit);
        } else {
            info.by_pragmas = true;
            by_pragmas.push_back(name);
        }
    }
    std::optional<Table> probe;  // the fullest table read from its statement, before the PRAGMAs read it too
    std::string probe_name;
    if (by_pragmas.size() < infos.size()) {
        std::size_t best = 0;
        for (auto& [name, info] : infos) {
            if (info.by_pragmas) continue;
            const Table& t = info.table;
            std::size_t score = 1 + t.foreign_keys.size() + t.uniques.size() + t.indexes.size() +
                                (t.primary_key ? 1 : 0) + (implicit_refs.count(name) ? 1 : 0);
            for (const auto& c : t.columns) score += (c.server_default ? 1 : 0) + (c.nullable ? 0 : 1);
            if (score > best) {
                best = score;
                probe_name = name;
            }
        }
        TableInfo& info = infos.find(probe_name)->second;
        probe = std::move(info.table);
        info.table = Table{};
        info.table.name = probe_name;
        info.by_pragmas = true;
        by_pragmas.push_back(probe_name);
    }
    if (!by_pragmas.empty())
        read_by_pragmas(session, infos, by_pragmas.size() == infos.size() ? std::vector<std::string>{} : by_pragmas,
                        index_sql, types);
    auto resolve_implicit = [&](Table& t, const std::vector<std::size_t>& which) {
        for (std::size_t i : which) {
            ForeignKey& fk = t.foreign_keys[i];
            auto parent = infos.find(fk.ref_table);
            if (parent != infos.end() && parent->second.table.primary_key)
                fk.ref_columns = parent->second.table.primary_key->columns;
        }
    };
    for (auto& [name, which] : implicit_refs)
        if (name != probe_name) resolve_implicit(infos.find(name)->second.table, which);
    if (probe) {
        TableInfo& info = infos.find(probe_name)->second;
        if (auto it = implicit_refs.find(probe_name); it != implicit_refs.end()) resolve_implicit(*probe, it->second);
        canonical_order(*probe);
        Table read = info.table;
        canonical_order(read);
        if (!(read == *probe)) {
            // This SQLite reports something the statement reading does not expect.
            for (auto& [name, other] : infos) {
                other.table = Table{};
                other.table.name = name;
                other.used.assign(other.parsed.constraints.size(), false);
                other.by_pragmas = true;
            }
            read_by_pragmas(session, infos, {}, index_sql, types);
        }
    }

    Schema schema;
    for (auto& [name, info] : infos) {
        finish(info);
        schema.tables.emplace(name, std::move(info.table));
    }
    return schema;
}

}  // namespace retort::sqlite::detail
