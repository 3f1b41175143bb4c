// PostgreSQL expressions in normal form. The lexer follows scan.l (operator runs,
// E'' and dollar quoting, nested comments); the parser follows gram.y's precedence
// table for the a_expr subset that defaults, CHECKs and index expressions use; the
// printer writes the fewest parentheses that precedence allows. See expression.hpp
// for what the normal form removes and why.
#include "expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <set>
#include <stdexcept>

namespace retort::postgres::detail {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c) || c == '$'; }
bool is_op_char(char c) { return c != '\0' && std::strchr("+-*/<>=~!@#%^&|`?", c) != nullptr; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

std::string lower_copy(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = lower(c);
    return out;
}

std::string upper_copy(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = upper(c);
    return out;
}

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The value of an E'' string body (between the quotes).
std::string decode_escapes(std::string_view body) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c == '\'' && i + 1 < body.size() && body[i + 1] == '\'') {
            out += '\'';
            ++i;
            continue;
        }
        if (c != '\\' || i + 1 >= body.size()) {
            out += c;
            continue;
        }
        char e = body[++i];
        switch (e) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'x': {
            int v = 0;
            int n = 0;
            while (n < 2 && i + 1 < body.size() && hex_digit(body[i + 1]) >= 0) v = v * 16 + hex_digit(body[++i]), ++n;
            if (n == 0)
                out += 'x';
            else
                out += static_cast<char>(v);
            break;
        }
        case 'u':
        case 'U': {
            int want = e == 'u' ? 4 : 8;
            unsigned long v = 0;
            int n = 0;
            while (n < want && i + 1 < body.size() && hex_digit(body[i + 1]) >= 0)
                v = v * 16 + static_cast<unsigned long>(hex_digit(body[++i])), ++n;
            append_utf8(out, v);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                int v = e - '0';
                int n = 1;
                while (n < 3 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7') v = v * 8 + (body[++i] - '0'), ++n;
                out += static_cast<char>(v);
            } else {
                out += e;
            }
        }
    }
    return out;
}

// Keywords quote_ident() quotes: every category but UNRESERVED (pg_get_keywords(), PostgreSQL 15).
const std::set<std::string, std::less<>>& quoted_keywords() {
    static const std::set<std::string, std::less<>> words = {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
        "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce",
        "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
        "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "dec",
        "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists", "extract",
        "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group",
        "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
        "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
        "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif",
        "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position",
        "precision", "primary", "real", "references", "returning", "right", "row", "select", "session_user", "setof",
        "similar", "smallint", "some", "substring", "symmetric", "table", "tablesample", "then", "time", "timestamp",
        "to", "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar", "variadic",
        "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
        "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"};
    return words;
}

bool plain_name(std::string_view name) {
    if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

// ---- tokens ------------------------------------------------------------------

bool is_keyword(const Token& token, std::string_view keyword) {
    if (token.kind != TokenKind::word || token.text.size() != keyword.size()) return false;
    for (std::size_t i = 0; i < keyword.size(); ++i)
        if (lower(token.text[i]) != lower(keyword[i])) return false;
    return true;
}

Tokens tokenize(std::string_view sql) {
    Tokens out;
    const std::size_t n = sql.size();
    std::size_t i = 0;
    auto push = [&](TokenKind kind, std::string text, std::size_t start) {
        out.tokens.push_back(Token{kind, std::move(text), start, i - start});
    };
    // The end of a quoted run starting at `open` (a quote char), doubled quotes
    // escaping; with backslashes escaping too for E'' strings. n when unterminated.
    auto closing = [&](std::size_t open, char quote, bool backslash) {
        std::size_t j = open + 1;
        while (j < n) {
            if (backslash && sql[j] == '\\') {
                j += 2;
                continue;
            }
            if (sql[j] == quote) {
                if (j + 1 < n && sql[j + 1] == quote) {
                    j += 2;
                    continue;
                }
                return j;
            }
            ++j;
        }
        return n;
    };
    while (i < n) {
        char c = sql[i];
        char next = i + 1 < n ? sql[i + 1] : '\0';
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '-' && next == '-') {
            while (i < n && sql[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && next == '*') {
            int depth = 0;
            while (i < n) {
                if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
                    ++depth;
                    i += 2;
                } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
                    i += 2;
                    if (--depth == 0) break;
                } else {
                    ++i;
                }
            }
            if (depth != 0) out.complete = false;
            continue;
        }
        const std::size_t start = i;
        if ((c == 'e' || c == 'E') && next == '\'') {
            std::size_t end = closing(i + 1, '\'', true);
            if (end == n) out.complete = false;
            std::string body(sql.substr(i + 2, std::min(end, n) - (i + 2)));
            i = std::min(end + 1, n);
            push(TokenKind::string, decode_escapes(body), start);
            continue;
        }
        if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
            std::size_t end = closing(i + 1, '\'', false);
            if (end == n) out.complete = false;
            i = std::min(end + 1, n);
            std::string text(1, upper(c));
            text += sql.substr(start + 1, i - start - 1);
            push(TokenKind::bits, text, start);
            continue;
        }
        if (c == '\'') {
            std::size_t end = closing(i, '\'', false);
            if (end == n) out.complete = false;
            std::string value;
            for (std::size_t j = i + 1; j < std::min(end, n); ++j) {
                value += sql[j];
                if (sql[j] == '\'') ++j;
            }
            i = std::min(end + 1, n);
            push(TokenKind::string, std::move(value), start);
            continue;
        }
        if (c == '"') {
            std::size_t end = closing(i, '"', false);
            if (end == n) out.complete = false;
            std::string name;
            for (std::size_t j = i + 1; j < std::min(end, n); ++j) {
                name += sql[j];
                if (sql[j] == '"') ++j;
            }
            i = std::min(end + 1, n);
            push(TokenKind::quoted, std::move(name), start);
            continue;
        }
        if (c == '$') {
            if (is_digit(next)) {
                ++i;
                while (i < n && is_digit(sql[i])) ++i;
                push(TokenKind::param, std::string(sql.substr(start, i - start)), start);
                continue;
            }
            // $tag$ ... $tag$ (the tag may be empty)
            std::size_t j = i + 1;
            if (j < n && (is_ident_start(sql[j]))) {
                while (j < n && is_ident_char(sql[j]) && sql[j] != '$') ++j;
            }
            if (j < n && sql[j] == '$') {
                std::string_view tag = sql.substr(i, j - i + 1);
                std::size_t body = j + 1;
                std::size_t end = sql.find(tag, body);
                if (end == std::string_view::npos) {
                    out.complete = false;
                    i = n;
                    push(TokenKind::string, std::string(sql.substr(body)), start);
                } else {
                    i = end + tag.size();
                    push(TokenKind::string, std::string(sql.substr(body, end - body)), start);
                }
                continue;
            }
            ++i;
            push(TokenKind::punct, "$", start);
            continue;
        }
        if (is_digit(c) || (c == '.' && is_digit(next))) {
            while (i < n && is_digit(sql[i])) ++i;
            if (i < n && sql[i] == '.' && !(i + 1 < n && sql[i + 1] == '.')) {
                ++i;
                while (i < n && is_digit(sql[i])) ++i;
            }
            if (i < n && (sql[i] == 'e' || sql[i] == 'E')) {
                std::size_t j = i + 1;
                if (j < n && (sql[j] == '+' || sql[j] == '-')) ++j;
                if (j < n && is_digit(sql[j])) {
                    i = j;
                    while (i < n && is_digit(sql[i])) ++i;
                }
            }
            push(TokenKind::number, std::string(sql.substr(start, i - start)), start);
            continue;
        }
        if (is_ident_start(c)) {
            while (i < n && is_ident_char(sql[i])) ++i;
            push(TokenKind::word, std::string(sql.substr(start, i - start)), start);
            continue;
        }
        if (c == ':' && next == ':') {
            i += 2;
            push(TokenKind::punct, "::", start);
            continue;
        }
        if (std::strchr("()[],;:.", c) != nullptr) {
            ++i;
            push(TokenKind::punct, std::string(1, c), start);
            continue;
        }
        if (is_op_char(c)) {
            // scan.l: the longest run of operator characters, not running into a
            // comment; a run that ends in + or - loses them unless it also holds one
            // of ~ ! @ # % ^ & | ` ? (so "=-1" is "=" then "-1").
            std::size_t j = i;
            while (j < n && is_op_char(sql[j])) {
                if (j > i && ((sql[j] == '-' && sql[j - 1] == '-') || (sql[j] == '*' && sql[j - 1] == '/'))) {
                    --j;
                    break;
                }
                ++j;
            }
            std::string_view run = sql.substr(i, j - i);
            if (run.size() > 1 && (run.back() == '+' || run.back() == '-') &&
                run.find_first_of("~!@#%^&|`?") == std::string_view::npos) {
                while (run.size() > 1 && (run.back() == '+' || run.back() == '-')) run.remove_suffix(1);
            }
            i += run.size();
            push(TokenKind::op, std::string(run), start);
            continue;
        }
        ++i;
        push(TokenKind::punct, std::string(1, c), start);
    }
    return out;
}

// ---- names and literals -------------------------------------------------------

std::string quote_ident(std::string_view name) {
    if (plain_name(name) && !quoted_keywords().count(name)) return std::string(name);
    return quote(name);
}

std::string quote(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string qualified(std::string_view name) {
    auto dot = name.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return quote(name);
    return quote(name.substr(0, dot)) + "." + quote(name.substr(dot + 1));
}

std::string qualified_ident(std::string_view name) {
    auto dot = name.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return quote_ident(name);
    return quote_ident(name.substr(0, dot)) + "." + quote_ident(name.substr(dot + 1));
}

std::string_view unqualified(std::string_view name) {
    auto dot = name.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return name;
    return name.substr(dot + 1);
}

std::string literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

std::string truncate_identifier(std::string_view name) {
    constexpr std::size_t max = 63;
    if (name.size() <= max) return std::string(name);
    std::size_t len = max;
    // Do not cut a UTF-8 sequence: back up to the start of the character at `len`.
    while (len > 0 && (static_cast<unsigned char>(name[len]) & 0xC0) == 0x80) --len;
    return std::string(name.substr(0, len));
}

// ---- types ---------------------------------------------------------------------

namespace {

Type kind_type(TypeKind kind, int length = 0, int scale = 0) {
    Type t;
    t.kind = kind;
    t.length = length;
    t.scale = scale;
    return t;
}

Type custom_type(std::string spelling) {
    Type t;
    t.kind = TypeKind::custom;
    t.name = std::move(spelling);
    return t;
}

std::string join_args(const std::vector<std::string>& args) {
    std::string out;
    for (const auto& a : args) out += (out.empty() ? "" : ",") + a;
    return "(" + out + ")";
}

}  // namespace

Type parse_type(std::string_view spelling) {
    Tokens tk = tokenize(spelling);
    const auto& t = tk.tokens;
    std::size_t i = 0;
    // A quoted or schema-qualified name: a user-defined type, spelled as format_type does.
    bool qualified = false;
    for (std::size_t j = 0; j < t.size(); ++j)
        if (t[j].kind == TokenKind::quoted || (t[j].kind == TokenKind::punct && t[j].text == ".")) qualified = true;

    std::vector<std::string> before;  // words before the arguments
    std::vector<std::string> after;   // words after them ("with time zone")
    std::vector<std::string> args;
    std::string name;  // qualified form
    int dims = 0;
    bool ok = tk.complete;
    if (qualified) {
        while (i < t.size() && (t[i].kind == TokenKind::word || t[i].kind == TokenKind::quoted ||
                                (t[i].kind == TokenKind::punct && t[i].text == "."))) {
            if (t[i].kind == TokenKind::punct)
                name += ".";
            else
                name += quote_ident(t[i].kind == TokenKind::word ? lower_copy(t[i].text) : t[i].text);
            ++i;
        }
    } else {
        while (i < t.size() && t[i].kind == TokenKind::word) before.push_back(lower_copy(t[i++].text));
    }
    if (i < t.size() && t[i].kind == TokenKind::punct && t[i].text == "(") {
        ++i;
        while (i < t.size() && !(t[i].kind == TokenKind::punct && t[i].text == ")")) {
            if (t[i].kind == TokenKind::number)
                args.push_back(t[i].text);
            else if (t[i].kind == TokenKind::word)
                args.push_back(lower_copy(t[i].text));
            else if (!(t[i].kind == TokenKind::punct && t[i].text == ","))
                ok = false;
            ++i;
        }
        if (i < t.size()) ++i;
        else ok = false;
    }
    while (i < t.size() && t[i].kind == TokenKind::word) after.push_back(lower_copy(t[i++].text));
    while (i < t.size() && t[i].kind == TokenKind::punct && t[i].text == "[") {
        ++i;
        while (i < t.size() && !(t[i].kind == TokenKind::punct && t[i].text == "]")) ++i;
        if (i < t.size()) ++i;
        ++dims;
    }
    if (i != t.size() || (before.empty() && name.empty())) ok = false;
    if (!ok) {
        // Not a type spelling this parser knows: keep it, trimmed.
        std::size_t b = 0;
        std::size_t e = spelling.size();
        while (b < e && is_space(spelling[b])) ++b;
        while (e > b && is_space(spelling[e - 1])) --e;
        return custom_type(std::string(spelling.substr(b, e - b)));
    }

    auto join = [](const std::vector<std::string>& words) {
        std::string out;
        for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
        return out;
    };
    auto number_arg = [&](std::size_t k, int fallback) {
        if (k >= args.size()) return fallback;
        int v = fallback;
        auto [p, ec] = std::from_chars(args[k].data(), args[k].data() + args[k].size(), v);
        if (ec != std::errc{} || p != args[k].data() + args[k].size()) return fallback;
        return v;
    };

    Type element;
    if (!name.empty()) {
        element = custom_type(name + (args.empty() ? "" : join_args(args)));
    } else {
        const std::string base = join(before);
        const std::string suffix = join(after);
        const std::string full = suffix.empty() ? base : base + " " + suffix;
        const bool plain = args.empty();
        auto simple = [&](TypeKind kind) { return plain ? kind_type(kind) : Type{}; };
        bool known = true;
        if ((full == "int" || full == "integer" || full == "int4") && plain) element = kind_type(TypeKind::integer);
        else if ((full == "smallint" || full == "int2") && plain) element = kind_type(TypeKind::smallint);
        else if ((full == "bigint" || full == "int8") && plain) element = kind_type(TypeKind::bigint);
        else if ((full == "bool" || full == "boolean") && plain) element = kind_type(TypeKind::boolean);
        else if (full == "text" && plain) element = kind_type(TypeKind::text);
        else if ((full == "real" || full == "float4") && plain) element = kind_type(TypeKind::real);
        else if ((full == "double precision" || full == "float8") && plain) element = simple(TypeKind::double_precision);
        else if (full == "float" && args.size() <= 1)
            element = kind_type(number_arg(0, 53) <= 24 ? TypeKind::real : TypeKind::double_precision);
        else if ((full == "varchar" || full == "character varying" || full == "char varying") && args.size() <= 1)
            element = kind_type(TypeKind::varchar, number_arg(0, 0));
        else if ((full == "numeric" || full == "decimal" || full == "dec") && args.size() <= 2)
            element = kind_type(TypeKind::numeric, number_arg(0, 0), number_arg(1, 0));
        else if (full == "date" && plain) element = kind_type(TypeKind::date);
        else if (full == "bytea" && plain) element = kind_type(TypeKind::blob);
        else if (full == "json" && plain) element = kind_type(TypeKind::json);
        else if (full == "jsonb" && plain) element = kind_type(TypeKind::jsonb);
        else if (full == "uuid" && plain) element = kind_type(TypeKind::uuid);
        else if ((base == "time" || base == "timestamp") && args.size() <= 1 &&
                 (suffix.empty() || suffix == "without time zone" || suffix == "with time zone")) {
            bool tz = suffix == "with time zone";
            if (plain && base == "time" && !tz) element = kind_type(TypeKind::time);
            else if (plain && base == "timestamp") element = kind_type(tz ? TypeKind::timestamptz : TypeKind::timestamp);
            else element = custom_type(base + (plain ? "" : join_args(args)) + (tz ? " with time zone" : " without time zone"));
        } else if ((full == "timestamptz" || full == "timetz") && args.size() <= 1) {
            std::string b = full == "timestamptz" ? "timestamp" : "time";
            if (plain && full == "timestamptz") element = kind_type(TypeKind::timestamptz);
            else element = custom_type(b + (plain ? "" : join_args(args)) + " with time zone");
        } else if ((full == "char" || full == "character" || full == "national character" || full == "nchar") &&
                   args.size() <= 1) {
            element = custom_type("character(" + std::to_string(number_arg(0, 1)) + ")");
        } else if (full == "bpchar" && args.size() == 1) {
            element = custom_type("character(" + std::to_string(number_arg(0, 1)) + ")");
        } else {
            known = false;
        }
        if (!known) {
            // format_type prints type names in lower case, arguments without spaces.
            element = custom_type(base + (args.empty() ? "" : join_args(args)) + (suffix.empty() ? "" : " " + suffix));
        }
    }
    if (dims == 0) return element;
    return Type::array_of(element);
}

std::string type_name(const Type& type) {
    switch (type.kind) {
    case TypeKind::integer: return "integer";
    case TypeKind::smallint: return "smallint";
    case TypeKind::bigint: return "bigint";
    case TypeKind::boolean: return "boolean";
    case TypeKind::text: return "text";
    case TypeKind::varchar:
        return type.length > 0 ? "character varying(" + std::to_string(type.length) + ")" : "character varying";
    case TypeKind::numeric:
        if (type.length <= 0) return "numeric";
        return "numeric(" + std::to_string(type.length) + "," + std::to_string(type.scale) + ")";
    case TypeKind::real: return "real";
    case TypeKind::double_precision: return "double precision";
    case TypeKind::date: return "date";
    case TypeKind::time: return "time without time zone";
    case TypeKind::timestamp: return "timestamp without time zone";
    case TypeKind::timestamptz: return "timestamp with time zone";
    case TypeKind::blob: return "bytea";
    case TypeKind::json: return "json";
    case TypeKind::jsonb: return "jsonb";
    case TypeKind::uuid: return "uuid";
    case TypeKind::custom: return type.name;
    case TypeKind::enumeration: return qualified_ident(type.name);
    case TypeKind::array: return type_name(element_of(type)) + "[]";
    }
    return type.name;
}

std::string type_sql(const Type& type) {
    switch (type.kind) {
    case TypeKind::integer: return "INTEGER";
    case TypeKind::smallint: return "SMALLINT";
    case TypeKind::bigint: return "BIGINT";
    case TypeKind::boolean: return "BOOLEAN";
    case TypeKind::text: return "TEXT";
    case TypeKind::varchar: return type.length > 0 ? "VARCHAR(" + std::to_string(type.length) + ")" : "VARCHAR";
    case TypeKind::numeric:
        if (type.length <= 0) return "NUMERIC";
        return "NUMERIC(" + std::to_string(type.length) + ", " + std::to_string(type.scale) + ")";
    case TypeKind::real: return "REAL";
    case TypeKind::double_precision: return "DOUBLE PRECISION";
    case TypeKind::date: return "DATE";
    case TypeKind::time: return "TIME";
    case TypeKind::timestamp: return "TIMESTAMP";
    case TypeKind::timestamptz: return "TIMESTAMP WITH TIME ZONE";
    case TypeKind::blob: return "BYTEA";
    case TypeKind::json: return "JSON";
    case TypeKind::jsonb: return "JSONB";
    case TypeKind::uuid: return "UUID";
    case TypeKind::custom: return type.name;
    case TypeKind::enumeration: return qualified(type.name);
    case TypeKind::array: return type_sql(element_of(type)) + "[]";
    }
    return type.name;
}

std::optional<TypeKind> serial_kind(std::string_view spelling) {
    std::string s = lower_copy(spelling);
    s.erase(std::remove_if(s.begin(), s.end(), is_space), s.end());
    if (s == "serial" || s == "serial4") return TypeKind::integer;
    if (s == "bigserial" || s == "serial8") return TypeKind::bigint;
    if (s == "smallserial" || s == "serial2") return TypeKind::smallint;
    return std::nullopt;
}

// ---- expression trees ----------------------------------------------------------

namespace {

struct Node {
    enum class Kind : unsigned char {
        string,
        number,
        bits,
        keyword,   // NULL, TRUE, CURRENT_DATE, ...: text holds it in upper case
        column,    // names: the (qualified) name
        param,
        function,  // names, kids: arguments; flag: f(*)
        unary,     // text: the operator
        binary,    // text: the operator (=, ~~, IS DISTINCT FROM, AT TIME ZONE, ...)
        and_,
        or_,
        not_,
        is,        // text: NULL, NOT NULL, TRUE, NOT TRUE, ...
        cast,      // text: the type in format_type's spelling
        any_all,   // text: the operator; names[0]: ANY or ALL
        array,     // flag: an inner [..] of a multi-dimensional ARRAY[...]
        row,
        case_,     // flag: CASE x WHEN...; kids: [x], (when, then)..., [else] (names[0] == "else")
        subscript, // kids: x, lower, [upper]; flag: a slice
        collate,   // text: the collation, as printed
        extract,   // text: the field
    };
    Kind kind;
    std::string text;
    std::vector<std::string> names;
    std::vector<Node> kids;
    bool flag = false;
};

Node make(Node::Kind kind, std::string text = {}, std::vector<Node> kids = {}) {
    Node n;
    n.kind = kind;
    n.text = std::move(text);
    n.kids = std::move(kids);
    return n;
}

struct ParseError : std::runtime_error {
    ParseError() : std::runtime_error("unsupported expression") {}
};

// Precedence, loosest first (gram.y's %left / %right / %nonassoc table).
constexpr int prec_or = 1;
constexpr int prec_and = 2;
constexpr int prec_not = 3;
constexpr int prec_is = 4;
constexpr int prec_cmp = 5;
constexpr int prec_like = 6;  // BETWEEN IN LIKE ILIKE SIMILAR
constexpr int prec_op = 8;    // any other operator
constexpr int prec_add = 9;
constexpr int prec_mul = 10;
constexpr int prec_exp = 11;
constexpr int prec_at = 12;
constexpr int prec_collate = 13;
constexpr int prec_unary = 14;
constexpr int prec_subscript = 15;
constexpr int prec_cast = 16;
constexpr int prec_atom = 100;

bool is_comparison(std::string_view op) {
    return op == "=" || op == "<" || op == ">" || op == "<=" || op == ">=" || op == "<>" || op == "!=";
}

int binary_prec(std::string_view op) {
    if (is_comparison(op)) return prec_cmp;
    if (op == "+" || op == "-") return prec_add;
    if (op == "*" || op == "/" || op == "%") return prec_mul;
    if (op == "^") return prec_exp;
    if (op == "IS DISTINCT FROM") return prec_is;
    if (op == "AT TIME ZONE") return prec_at;
    return prec_op;
}

const std::set<std::string, std::less<>>& value_keywords() {
    static const std::set<std::string, std::less<>> words = {
        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER",
        "SESSION_USER", "CURRENT_ROLE", "USER", "CURRENT_CATALOG", "CURRENT_SCHEMA"};
    return words;
}

// Words that end an operand: seeing one where a primary expression should start
// means the text is outside the supported grammar.
const std::set<std::string, std::less<>>& stop_words() {
    static const std::set<std::string, std::less<>> words = {
        "AND", "OR", "IS", "IN", "LIKE", "ILIKE", "SIMILAR", "BETWEEN", "THEN", "ELSE", "END", "WHEN", "FROM",
        "AS", "SELECT", "ESCAPE", "ISNULL", "NOTNULL", "COLLATE", "FOR", "WHERE", "ORDER", "DISTINCT", "OVER",
        "FILTER", "WITH", "ASC", "DESC", "USING", "ON", "AT"};
    return words;
}

class Parser {
public:
    Parser(std::string_view source, const std::vector<Token>& tokens) : m_src(source), m_t(tokens) {}

    Node parse() {
        Node n = expr(0);
        while (punct(";")) ++m_i;
        if (m_i != m_t.size()) throw ParseError();
        return n;
    }

private:
    const Token* at(std::size_t k = 0) const { return m_i + k < m_t.size() ? &m_t[m_i + k] : nullptr; }
    bool word(std::string_view kw, std::size_t k = 0) const {
        const Token* t = at(k);
        return t && is_keyword(*t, kw);
    }
    bool punct(std::string_view p, std::size_t k = 0) const {
        const Token* t = at(k);
        return t && t->kind == TokenKind::punct && t->text == p;
    }
    bool op(std::string_view o, std::size_t k = 0) const {
        const Token* t = at(k);
        return t && t->kind == TokenKind::op && t->text == o;
    }
    void expect_punct(std::string_view p) {
        if (!punct(p)) throw ParseError();
        ++m_i;
    }
    void expect_word(std::string_view w) {
        if (!word(w)) throw ParseError();
        ++m_i;
    }

    static Node make_bool(Node::Kind kind, Node left, Node right) {
        Node n = make(kind);
        n.kids.push_back(std::move(left));
        n.kids.push_back(std::move(right));
        return n;
    }

    static Node make_binary(std::string op, Node left, Node right) {
        if (op == "!=") op = "<>";
        Node n = make(Node::Kind::binary, std::move(op));
        n.kids.push_back(std::move(left));
        n.kids.push_back(std::move(right));
        return n;
    }

    std::vector<Node> expr_list(std::string_view close) {
        std::vector<Node> out;
        if (punct(close)) return out;
        for (;;) {
            out.push_back(expr(0));
            if (punct(",")) {
                ++m_i;
                continue;
            }
            break;
        }
        return out;
    }

    Node expr(int min) {
        Node left = prefix();
        for (;;) {
            const Token* t = at();
            if (!t) break;
            if (punct("::")) {
                if (prec_cast < min) break;
                ++m_i;
                Node c = make(Node::Kind::cast, type_after());
                c.kids.push_back(std::move(left));
                left = std::move(c);
                continue;
            }
            if (punct("[")) {
                if (prec_subscript < min) break;
                ++m_i;
                Node s = make(Node::Kind::subscript);
                s.kids.push_back(std::move(left));
                s.kids.push_back(expr(0));
                if (punct(":")) {
                    ++m_i;
                    s.flag = true;
                    s.kids.push_back(expr(0));
                }
                expect_punct("]");
                left = std::move(s);
                continue;
            }
            if (word("COLLATE")) {
                if (prec_collate < min) break;
                ++m_i;
                std::string name;
                for (;;) {
                    const Token* n = at();
                    if (!n || (n->kind != TokenKind::word && n->kind != TokenKind::quoted)) throw ParseError();
                    name += quote_ident(n->kind == TokenKind::word ? lower_copy(n->text) : n->text);
                    ++m_i;
                    if (!punct(".")) break;
                    ++m_i;
                    name += ".";
                }
                Node c = make(Node::Kind::collate, name);
                c.kids.push_back(std::move(left));
                left = std::move(c);
                continue;
            }
            if (word("AT") && word("TIME", 1) && word("ZONE", 2)) {
                if (prec_at < min) break;
                m_i += 3;
                left = make_binary("AT TIME ZONE", std::move(left), expr(prec_at + 1));
                continue;
            }
            if (word("IS")) {
                if (prec_is < min) break;
                ++m_i;
                bool negate = false;
                if (word("NOT")) {
                    negate = true;
                    ++m_i;
                }
                if (word("DISTINCT") && word("FROM", 1)) {
                    m_i += 2;
                    Node d = make_binary("IS DISTINCT FROM", std::move(left), expr(prec_is + 1));
                    if (negate) {
                        Node n = make(Node::Kind::not_);
                        n.kids.push_back(std::move(d));
                        d = std::move(n);
                    }
                    left = std::move(d);
                    continue;
                }
                std::string test;
                for (const char* w : {"NULL", "TRUE", "FALSE", "UNKNOWN"})
                    if (word(w)) test = w;
                if (test.empty()) throw ParseError();
                ++m_i;
                Node n = make(Node::Kind::is, negate ? "NOT " + test : test);
                n.kids.push_back(std::move(left));
                left = std::move(n);
                continue;
            }
            if (word("ISNULL") || word("NOTNULL")) {
                if (prec_is < min) break;
                Node n = make(Node::Kind::is, word("ISNULL") ? "NULL" : "NOT NULL");
                ++m_i;
                n.kids.push_back(std::move(left));
                left = std::move(n);
                continue;
            }
            bool negate = word("NOT") && (word("IN", 1) || word("LIKE", 1) || word("ILIKE", 1) ||
                                          word("BETWEEN", 1) || word("SIMILAR", 1));
            if (negate || word("IN") || word("LIKE") || word("ILIKE") || word("BETWEEN") || word("SIMILAR")) {
                if (prec_like < min) break;
                if (negate) ++m_i;
                if (word("IN")) {
                    ++m_i;
                    expect_punct("(");
                    if (word("SELECT") || word("WITH")) throw ParseError();
                    std::vector<Node> items = expr_list(")");
                    expect_punct(")");
                    if (items.empty()) throw ParseError();
                    if (items.size() == 1) {
                        left = make_binary(negate ? "<>" : "=", std::move(left), std::move(items[0]));
                    } else {
                        Node a = make(Node::Kind::any_all, negate ? "<>" : "=");
                        a.names.push_back(negate ? "ALL" : "ANY");
                        a.kids.push_back(std::move(left));
                        a.kids.push_back(make(Node::Kind::array, {}, std::move(items)));
                        left = std::move(a);
                    }
                    continue;
                }
                if (word("LIKE") || word("ILIKE")) {
                    bool ilike = word("ILIKE");
                    ++m_i;
                    Node right = expr(prec_like + 1);
                    if (word("ESCAPE")) throw ParseError();
                    std::string o = std::string(negate ? "!" : "") + (ilike ? "~~*" : "~~");
                    left = make_binary(o, std::move(left), std::move(right));
                    continue;
                }
                if (word("BETWEEN")) {
                    ++m_i;
                    if (word("SYMMETRIC")) throw ParseError();
                    if (word("ASYMMETRIC")) ++m_i;
                    Node low = expr(prec_like + 1);
                    expect_word("AND");
                    Node high = expr(prec_like + 1);
                    Node copy = left;
                    if (negate)
                        left = make_bool(Node::Kind::or_, make_binary("<", std::move(copy), std::move(low)),
                                         make_binary(">", std::move(left), std::move(high)));
                    else
                        left = make_bool(Node::Kind::and_, make_binary(">=", std::move(copy), std::move(low)),
                                         make_binary("<=", std::move(left), std::move(high)));
                    continue;
                }
                throw ParseError();  // SIMILAR TO
            }
            if (word("AND")) {
                if (prec_and < min) break;
                ++m_i;
                left = make_bool(Node::Kind::and_, std::move(left), expr(prec_and + 1));
                continue;
            }
            if (word("OR")) {
                if (prec_or < min) break;
                ++m_i;
                left = make_bool(Node::Kind::or_, std::move(left), expr(prec_or + 1));
                continue;
            }
            if (t->kind == TokenKind::op) {
                std::string o = t->text;
                int p = binary_prec(o);
                if (p < min) break;
                ++m_i;
                if ((word("ANY") || word("ALL") || word("SOME")) && punct("(", 1)) {
                    std::string q = word("ALL") ? "ALL" : "ANY";
                    m_i += 2;
                    if (word("SELECT") || word("WITH")) throw ParseError();
                    Node right = expr(0);
                    expect_punct(")");
                    Node a = make(Node::Kind::any_all, o == "!=" ? "<>" : o);
                    a.names.push_back(q);
                    a.kids.push_back(std::move(left));
                    a.kids.push_back(std::move(right));
                    left = std::move(a);
                    continue;
                }
                left = make_binary(o, std::move(left), expr(p + 1));
                continue;
            }
            break;
        }
        return left;
    }

    Node prefix() {
        if (word("NOT")) {
            ++m_i;
            Node n = make(Node::Kind::not_);
            n.kids.push_back(expr(prec_not));
            return n;
        }
        if (op("-") || op("+")) {
            bool minus = op("-");
            ++m_i;
            Node x = expr(prec_unary);
            if (x.kind == Node::Kind::number && x.text[0] != '-') {
                if (minus) x.text = "-" + x.text;
                return x;
            }
            Node n = make(Node::Kind::unary, minus ? "-" : "+");
            n.kids.push_back(std::move(x));
            return n;
        }
        if (const Token* t = at(); t && t->kind == TokenKind::op) {
            std::string o = t->text;
            ++m_i;
            Node n = make(Node::Kind::unary, o);
            n.kids.push_back(expr(prec_op + 1));
            return n;
        }
        return primary();
    }

    /// The type after :: or AS, in format_type's spelling.
    std::string type_after() {
        const std::size_t start = m_i;
        const Token* first = at();
        if (!first || (first->kind != TokenKind::word && first->kind != TokenKind::quoted)) throw ParseError();
        ++m_i;
        while (punct(".") && at(1) && (at(1)->kind == TokenKind::word || at(1)->kind == TokenKind::quoted)) m_i += 2;
        if (first->kind == TokenKind::word) {
            std::string w = lower_copy(first->text);
            if (w == "double" && word("precision")) ++m_i;
            if (w == "national" && (word("character") || word("char"))) ++m_i;
            if ((w == "character" || w == "char" || w == "national" || w == "bit") && word("varying")) ++m_i;
            if (w == "time" || w == "timestamp") {
                if (punct("(")) {
                    while (at() && !punct(")")) ++m_i;
                    expect_punct(")");
                }
                if ((word("with") || word("without")) && word("time", 1) && word("zone", 2)) m_i += 3;
            }
        }
        if (punct("(")) {
            while (at() && !punct(")")) ++m_i;
            expect_punct(")");
        }
        while (punct("[")) {
            while (at() && !punct("]")) ++m_i;
            expect_punct("]");
        }
        const Token& last = m_t[m_i - 1];
        std::string_view spelling = m_src.substr(m_t[start].offset, last.offset + last.length - m_t[start].offset);
        return type_name(parse_type(spelling));
    }

    Node array_body() {  // after '[': elements, nested [..] allowed
        Node a = make(Node::Kind::array);
        if (!punct("]")) {
            for (;;) {
                if (punct("[")) {
                    ++m_i;
                    Node inner = array_body();
                    inner.flag = true;
                    a.kids.push_back(std::move(inner));
                } else {
                    a.kids.push_back(expr(0));
                }
                if (punct(",")) {
                    ++m_i;
                    continue;
                }
                break;
            }
        }
        expect_punct("]");
        return a;
    }

    Node primary() {
        const Token* t = at();
        if (!t) throw ParseError();
        switch (t->kind) {
        case TokenKind::string: ++m_i; return make(Node::Kind::string, t->text);
        case TokenKind::bits: ++m_i; return make(Node::Kind::bits, t->text);
        case TokenKind::number: ++m_i; return make(Node::Kind::number, t->text);
        case TokenKind::param: ++m_i; return make(Node::Kind::param, t->text);
        case TokenKind::punct:
            if (t->text == "(") {
                ++m_i;
                if (word("SELECT") || word("WITH") || word("VALUES")) throw ParseError();
                Node e = expr(0);
                if (punct(",")) {
                    Node r = make(Node::Kind::row);
                    r.kids.push_back(std::move(e));
                    while (punct(",")) {
                        ++m_i;
                        r.kids.push_back(expr(0));
                    }
                    expect_punct(")");
                    return r;
                }
                expect_punct(")");
                return e;
            }
            throw ParseError();
        case TokenKind::op: throw ParseError();
        case TokenKind::quoted:
        case TokenKind::word: break;
        }
        if (t->kind == TokenKind::word) {
            const std::string up = upper_copy(t->text);
            if (up == "NULL" || up == "TRUE" || up == "FALSE") {
                ++m_i;
                return make(Node::Kind::keyword, up);
            }
            if (value_keywords().count(up)) {
                ++m_i;
                std::string text = up;
                if (punct("(")) {  // CURRENT_TIMESTAMP(3); current_schema()
                    ++m_i;
                    if (!punct(")")) {
                        const Token* p = at();
                        if (!p || p->kind != TokenKind::number) throw ParseError();
                        text += "(" + p->text + ")";
                        ++m_i;
                    }
                    expect_punct(")");
                }
                return make(Node::Kind::keyword, text);
            }
            if (up == "CASE") return case_expr();
            if (up == "ARRAY") {
                ++m_i;
                expect_punct("[");
                return array_body();
            }
            if (up == "ROW" && punct("(", 1)) {
                m_i += 2;
                Node r = make(Node::Kind::row, {}, expr_list(")"));
                expect_punct(")");
                return r;
            }
            if (up == "CAST" && punct("(", 1)) {
                m_i += 2;
                Node x = expr(0);
                expect_word("AS");
                Node c = make(Node::Kind::cast, type_after());
                c.kids.push_back(std::move(x));
                expect_punct(")");
                return c;
            }
            if (up == "EXTRACT" && punct("(", 1)) {
                m_i += 2;
                const Token* f = at();
                if (!f || (f->kind != TokenKind::word && f->kind != TokenKind::string)) throw ParseError();
                std::string field = lower_copy(f->text);
                ++m_i;
                expect_word("FROM");
                Node e = make(Node::Kind::extract, field);
                e.kids.push_back(expr(0));
                expect_punct(")");
                return e;
            }
            if (stop_words().count(up) || up == "NOT") throw ParseError();
            // A typed literal: DATE '2020-01-01', TIMESTAMP WITH TIME ZONE '...', INTERVAL '1 day'.
            {
                const std::size_t save = m_i;
                try {
                    std::string type = type_after();
                    if (const Token* s = at(); s && s->kind == TokenKind::string) {
                        ++m_i;
                        Node c = make(Node::Kind::cast, type);
                        c.kids.push_back(make(Node::Kind::string, s->text));
                        return c;
                    }
                } catch (const ParseError&) {
                }
                m_i = save;
            }
        }
        // A (qualified) name, maybe a function call.
        std::vector<std::string> names;
        for (;;) {
            const Token* n = at();
            if (!n || (n->kind != TokenKind::word && n->kind != TokenKind::quoted)) throw ParseError();
            // The server folds unquoted names to lower case and cuts every name at 63 bytes.
            names.push_back(truncate_identifier(n->kind == TokenKind::word ? lower_copy(n->text) : n->text));
            ++m_i;
            if (punct(".") && at(1) && (at(1)->kind == TokenKind::word || at(1)->kind == TokenKind::quoted)) {
                ++m_i;
                continue;
            }
            break;
        }
        if (punct("(")) {
            ++m_i;
            Node f = make(Node::Kind::function);
            if (names.size() > 1 && names.front() == "pg_catalog") names.erase(names.begin());
            f.names = std::move(names);
            if (op("*") && punct(")", 1)) {
                ++m_i;
                f.flag = true;
            } else {
                if (word("DISTINCT") || word("ALL") || word("VARIADIC")) throw ParseError();
                f.kids = expr_list(")");
                if (op("=>")) throw ParseError();
            }
            expect_punct(")");
            if (word("FILTER") || word("OVER") || word("WITHIN")) throw ParseError();
            return f;
        }
        Node c = make(Node::Kind::column);
        c.names = std::move(names);
        return c;
    }

    Node case_expr() {
        ++m_i;  // CASE
        Node c = make(Node::Kind::case_);
        if (!word("WHEN")) {
            c.flag = true;
            c.kids.push_back(expr(0));
        }
        bool any = false;
        while (word("WHEN")) {
            ++m_i;
            c.kids.push_back(expr(0));
            expect_word("THEN");
            c.kids.push_back(expr(0));
            any = true;
        }
        if (!any) throw ParseError();
        if (word("ELSE")) {
            ++m_i;
            c.kids.push_back(expr(0));
            c.names.push_back("else");
        }
        expect_word("END");
        return c;
    }

    std::string_view m_src;
    const std::vector<Token>& m_t;
    std::size_t m_i = 0;
};

// ---- the normal form -------------------------------------------------------------

bool numeric_kind(TypeKind k) {
    return k == TypeKind::smallint || k == TypeKind::integer || k == TypeKind::bigint || k == TypeKind::numeric ||
           k == TypeKind::real || k == TypeKind::double_precision;
}

/// A decimal literal as numeric_out writes it: no exponent, no leading zeros,
/// the scale kept (1.5e3 -> 1500, .50 -> 0.50). Empty when `text` is not one.
std::string normal_number(std::string_view text) {
    bool negative = false;
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    std::string digits;
    std::size_t scale = 0;
    bool dot = false;
    bool any = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (is_digit(c)) {
            digits += c;
            any = true;
            if (dot) ++scale;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any) return {};
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool neg = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
        if (i >= text.size()) return {};
        long e = 0;
        for (; i < text.size() && is_digit(text[i]); ++i) {
            e = e * 10 + (text[i] - '0');
            if (e > 10000) return {};
        }
        exponent = neg ? -e : e;
    }
    if (i != text.size()) return {};
    long s = static_cast<long>(scale) - exponent;
    if (s < 0) {
        digits.append(static_cast<std::size_t>(-s), '0');
        s = 0;
    }
    std::size_t sc = static_cast<std::size_t>(s);
    if (digits.size() <= sc) digits.insert(0, sc - digits.size() + 1, '0');
    std::string whole = digits.substr(0, digits.size() - sc);
    std::string frac = digits.substr(digits.size() - sc);
    std::size_t nz = whole.find_first_not_of('0');
    whole = nz == std::string::npos ? "0" : whole.substr(nz);
    std::string out = whole + (frac.empty() ? "" : "." + frac);
    bool zero = out.find_first_not_of("0.") == std::string::npos;
    return (negative && !zero ? "-" : "") + out;
}

std::optional<std::string> boolean_word(std::string_view text) {
    std::string s = lower_copy(text);
    while (!s.empty() && is_space(s.back())) s.pop_back();
    while (!s.empty() && is_space(s.front())) s.erase(s.begin());
    if (s.empty()) return std::nullopt;
    for (std::string_view w : {"true", "yes", "on", "1"})
        if (s == w || (s.size() < w.size() && w.substr(0, s.size()) == s && s != "o")) return "TRUE";
    for (std::string_view w : {"false", "no", "off", "0"})
        if (s == w || (s.size() < w.size() && w.substr(0, s.size()) == s && s != "o")) return "FALSE";
    return std::nullopt;
}

/// A literal coerced to `target` as the server coerces an untyped literal:
/// numbers for numeric types, TRUE/FALSE for boolean. nullopt when it stays as is.
/// The numbers 1 and 0 on a boolean are TRUE and FALSE too: the server refuses
/// them there, and default_sql() writes them so.
std::optional<Node> coerce_literal(const Node& x, const Type& target) {
    if (x.kind == Node::Kind::number && target.kind == TypeKind::boolean && (x.text == "1" || x.text == "0"))
        return make(Node::Kind::keyword, x.text == "1" ? "TRUE" : "FALSE");
    if (x.kind == Node::Kind::string) {
        if (numeric_kind(target.kind)) {
            std::string s = x.text;
            while (!s.empty() && is_space(s.back())) s.pop_back();
            while (!s.empty() && is_space(s.front())) s.erase(s.begin());
            std::string n = normal_number(s);
            if (!n.empty()) return make(Node::Kind::number, n);
        }
        if (target.kind == TypeKind::boolean)
            if (auto b = boolean_word(x.text)) return make(Node::Kind::keyword, *b);
    }
    return std::nullopt;
}

/// Whether PostgreSQL converts `from` to `to` implicitly (pg_cast castcontext 'i',
/// or the same type): such a cast on a column is one the server may have added.
bool implicit_cast(const Type& from, const Type& to) {
    if (type_name(from) == type_name(to)) return true;
    // numeric(10,2) -> numeric, varchar(20) -> varchar: the same type without its modifier.
    if (from.kind == to.kind && from.kind != TypeKind::custom && from.kind != TypeKind::enumeration &&
        from.kind != TypeKind::array && to.length == 0)
        return true;
    auto rank = [](TypeKind k) {
        switch (k) {
        case TypeKind::smallint: return 1;
        case TypeKind::integer: return 2;
        case TypeKind::bigint: return 3;
        case TypeKind::numeric: return 4;
        case TypeKind::real: return 5;
        case TypeKind::double_precision: return 6;
        default: return 0;
        }
    };
    if (rank(from.kind) && rank(to.kind)) return rank(from.kind) < rank(to.kind) && (to.kind != TypeKind::numeric || to.length == 0);
    bool stringish_from = from.kind == TypeKind::varchar || from.kind == TypeKind::text ||
                          (from.kind == TypeKind::custom && from.name.rfind("character(", 0) == 0);
    if (stringish_from && to.kind == TypeKind::text) return true;
    if (stringish_from && to.kind == TypeKind::varchar && to.length == 0) return true;
    if (from.kind == TypeKind::date && (to.kind == TypeKind::timestamp || to.kind == TypeKind::timestamptz)) return true;
    if (from.kind == TypeKind::timestamp && to.kind == TypeKind::timestamptz) return true;
    return false;
}

class Normalizer {
public:
    explicit Normalizer(const ColumnTypes& columns) : m_columns(columns) {}

    Node operator()(Node n) const {
        for (auto& k : n.kids) k = (*this)(std::move(k));
        switch (n.kind) {
        case Node::Kind::number: {
            std::string s = normal_number(n.text);
            if (!s.empty()) n.text = s;
            return n;
        }
        case Node::Kind::cast: return strip_cast(std::move(n));
        case Node::Kind::and_:
        case Node::Kind::or_: {
            // AND and OR are associative: (a AND b) AND c, a AND (b AND c) and the
            // flat list are the same test, and the server prints them alike.
            std::vector<Node> flat;
            for (auto& k : n.kids) {
                if (k.kind == n.kind)
                    for (auto& g : k.kids) flat.push_back(std::move(g));
                else
                    flat.push_back(std::move(k));
            }
            n.kids = std::move(flat);
            return n;
        }
        case Node::Kind::unary:
            if (n.text == "-" && n.kids[0].kind == Node::Kind::number && n.kids[0].text[0] != '-') {
                Node x = std::move(n.kids[0]);
                x.text = "-" + x.text;
                return x;
            }
            return n;
        default: return n;
        }
    }

private:
    const Type* column_type(const Node& n) const {
        if (n.kind != Node::Kind::column || !m_columns) return nullptr;
        return m_columns(n.names.back());
    }

    Node strip_cast(Node n) const {
        Node& x = n.kids[0];
        Type target = parse_type(n.text);
        if (x.kind == Node::Kind::string) {
            if (auto c = coerce_literal(x, target)) return *c;
            return std::move(x);
        }
        switch (x.kind) {
        case Node::Kind::number:
        case Node::Kind::bits:
        case Node::Kind::array:
        case Node::Kind::row: return std::move(x);
        case Node::Kind::keyword:
            if (x.text == "NULL" || x.text == "TRUE" || x.text == "FALSE") return std::move(x);
            break;
        case Node::Kind::column:
            if (const Type* from = column_type(x); from && implicit_cast(*from, target)) return std::move(x);
            break;
        default: break;
        }
        return n;
    }

    const ColumnTypes& m_columns;
};

int prec_of(const Node& n) {
    switch (n.kind) {
    case Node::Kind::or_: return prec_or;
    case Node::Kind::and_: return prec_and;
    case Node::Kind::not_: return prec_not;
    case Node::Kind::is: return prec_is;
    case Node::Kind::binary:
    case Node::Kind::any_all: return binary_prec(n.text);
    case Node::Kind::unary: return n.text == "-" || n.text == "+" ? prec_unary : prec_op;
    case Node::Kind::number: return n.text[0] == '-' ? prec_unary : prec_atom;
    case Node::Kind::collate: return prec_collate;
    case Node::Kind::subscript: return prec_subscript;
    case Node::Kind::cast: return prec_cast;
    default: return prec_atom;
    }
}

std::string print(const Node& n);

std::string child(const Node& n, int required) {
    std::string s = print(n);
    return prec_of(n) < required ? "(" + s + ")" : s;
}

std::string name_path(const std::vector<std::string>& names, bool function) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ".";
        // A function's own name may be a keyword (coalesce, substring, left): bare.
        bool last = i + 1 == names.size();
        out += function && last && plain_name(names[i]) ? names[i] : quote_ident(names[i]);
    }
    return out;
}

std::string list(const std::vector<Node>& kids, std::size_t from = 0, std::size_t to = std::string::npos) {
    std::string out;
    to = std::min(to, kids.size());
    for (std::size_t i = from; i < to; ++i) out += (i > from ? ", " : "") + print(kids[i]);
    return out;
}

std::string print(const Node& n) {
    switch (n.kind) {
    case Node::Kind::string: return literal(n.text);
    case Node::Kind::number:
    case Node::Kind::bits:
    case Node::Kind::keyword:
    case Node::Kind::param: return n.text;
    case Node::Kind::column: return name_path(n.names, false);
    case Node::Kind::function:
        return name_path(n.names, true) + "(" + (n.flag ? std::string("*") : list(n.kids)) + ")";
    case Node::Kind::unary: {
        std::string x = child(n.kids[0], prec_of(n));
        bool space = n.text != "-" && n.text != "+";
        if (!x.empty() && (x[0] == '-' || x[0] == '+' || is_op_char(x[0]))) space = true;
        return n.text + (space ? " " : "") + x;
    }
    case Node::Kind::binary: {
        int p = prec_of(n);
        bool nonassoc = p == prec_cmp || p == prec_is;
        return child(n.kids[0], nonassoc ? p + 1 : p) + " " + n.text + " " + child(n.kids[1], p + 1);
    }
    case Node::Kind::and_:
    case Node::Kind::or_: {
        const bool is_and = n.kind == Node::Kind::and_;
        std::string out;
        for (std::size_t i = 0; i < n.kids.size(); ++i)
            out += (i ? (is_and ? " AND " : " OR ") : "") + child(n.kids[i], (is_and ? prec_and : prec_or) + 1);
        return out;
    }
    case Node::Kind::not_: return "NOT " + child(n.kids[0], prec_not);
    case Node::Kind::is: return child(n.kids[0], prec_is + 1) + " IS " + n.text;
    case Node::Kind::cast: return child(n.kids[0], prec_cast + 1) + "::" + n.text;
    case Node::Kind::any_all:
        return child(n.kids[0], prec_of(n) + 1) + " " + n.text + " " + n.names[0] + " (" + print(n.kids[1]) + ")";
    case Node::Kind::array: return std::string(n.flag ? "" : "ARRAY") + "[" + list(n.kids) + "]";
    case Node::Kind::row: return "ROW(" + list(n.kids) + ")";
    case Node::Kind::case_: {
        std::string out = "CASE";
        std::size_t i = 0;
        if (n.flag) out += " " + print(n.kids[i++]);
        const bool has_else = !n.names.empty();
        const std::size_t whens_end = n.kids.size() - (has_else ? 1 : 0);
        for (; i + 1 < whens_end; i += 2)
            out += " WHEN " + print(n.kids[i]) + " THEN " + print(n.kids[i + 1]);
        if (has_else) out += " ELSE " + print(n.kids.back());
        return out + " END";
    }
    case Node::Kind::subscript:
        return child(n.kids[0], prec_atom) + "[" + print(n.kids[1]) + (n.flag ? ":" + print(n.kids[2]) : "") + "]";
    case Node::Kind::collate: return child(n.kids[0], prec_collate) + " COLLATE " + n.text;
    case Node::Kind::extract: return "EXTRACT(" + n.text + " FROM " + print(n.kids[0]) + ")";
    }
    return {};
}

/// What is left when the parser gives up: the tokens, names folded and quoted as
/// quote_ident() would, strings re-quoted, single spaces between them.
std::string token_form(const std::vector<Token>& tokens) {
    std::string out;
    const Token* prev = nullptr;
    for (const auto& t : tokens) {
        std::string text;
        switch (t.kind) {
        case TokenKind::word: text = lower_copy(t.text); break;
        case TokenKind::quoted: text = quote_ident(t.text); break;
        case TokenKind::string: text = literal(t.text); break;
        case TokenKind::number: {
            std::string s = normal_number(t.text);
            text = s.empty() ? t.text : s;
            break;
        }
        default: text = t.text; break;
        }
        bool glue = !prev || (prev->kind == TokenKind::punct && (prev->text == "(" || prev->text == "[" ||
                                                                  prev->text == "::" || prev->text == ".")) ||
                    (t.kind == TokenKind::punct && (t.text == ")" || t.text == "]" || t.text == "," ||
                                                    t.text == "::" || t.text == "." || t.text == ";" ||
                                                    (t.text == "(" && prev->kind == TokenKind::word) || t.text == "["));
        if (!glue) out += ' ';
        out += text;
        prev = &t;
    }
    return out;
}

std::optional<Node> parse_normal(std::string_view sql, const ColumnTypes& columns) {
    Tokens tk = tokenize(sql);
    if (!tk.complete || tk.tokens.empty()) return std::nullopt;
    try {
        return Normalizer(columns)(Parser(sql, tk.tokens).parse());
    } catch (const ParseError&) {
        return std::nullopt;
    }
}

void collect_columns(const Node& n, const ColumnTypes& columns, std::vector<std::string>& out) {
    if (n.kind == Node::Kind::column && n.names.size() == 1 && columns && columns(n.names[0]) &&
        std::find(out.begin(), out.end(), n.names[0]) == out.end())
        out.push_back(n.names[0]);
    for (const auto& k : n.kids) collect_columns(k, columns, out);
}

}  // namespace

std::string normal_expression(std::string_view sql, const ColumnTypes& columns) {
    if (auto n = parse_normal(sql, columns)) return print(*n);
    return token_form(tokenize(sql).tokens);
}

std::string normal_default(std::string_view sql, const Type& type, const ColumnTypes& columns) {
    auto n = parse_normal(sql, columns);
    if (!n) return token_form(tokenize(sql).tokens);
    if (auto c = coerce_literal(*n, type)) return print(*c);
    return print(*n);
}

std::vector<std::string> referenced_columns(std::string_view sql, const ColumnTypes& columns) {
    std::vector<std::string> out;
    if (auto n = parse_normal(sql, columns)) {
        collect_columns(*n, columns, out);
        return out;
    }
    // Unparsed text: the names it mentions that are columns.
    for (const auto& t : tokenize(sql).tokens) {
        if (t.kind != TokenKind::word && t.kind != TokenKind::quoted) continue;
        std::string name = t.kind == TokenKind::word ? lower_copy(t.text) : t.text;
        if (columns && columns(name) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

std::optional<std::string> bare_column(std::string_view sql) {
    auto n = parse_normal(sql, nullptr);
    if (n && n->kind == Node::Kind::column && n->names.size() == 1) return n->names[0];
    return std::nullopt;
}

std::string index_column_name(const IndexPart& part) {
    if (!part.expression) return part.text;
    auto n = parse_normal(part.text, nullptr);
    if (n && n->kind == Node::Kind::column) return n->names.back();
    if (n && n->kind == Node::Kind::function) return n->names.back();
    return "expr";
}

}  // namespace retort::postgres::detail
