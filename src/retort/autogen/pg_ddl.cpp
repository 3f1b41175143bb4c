// Reading PostgreSQL DDL with libpg_query: pg_query_parse() gives the parse tree
// as JSON, with byte offsets into the script for most nodes; the structure
// (tables, columns, types, keys, actions) comes from the tree, and the text of
// each expression is cut from the script with a small tokenizer, so that the
// PostgreSQL dialect's normalize() sees it as the user wrote it.
#include <retort/autogen/pg_ddl.hpp>

#include <retort/error.hpp>

#include <nlohmann/json.hpp>
#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

namespace retort::pg_ddl {

namespace {

using Json = nlohmann::json;

// ---- the script's tokens ---------------------------------------------------------

enum class TokenKind : unsigned char { word, quoted, string, number, punct, op };

struct Token {
    TokenKind kind;
    std::size_t offset;
    std::size_t length;
    std::string_view text;  // as written

    bool is_punct(char c) const { return kind == TokenKind::punct && text.size() == 1 && text[0] == c; }
    bool is(std::string_view keyword) const {
        if (kind != TokenKind::word || text.size() != keyword.size()) return false;
        for (std::size_t i = 0; i < text.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(keyword[i])))
                return false;
        return true;
    }
    std::size_t end() const { return offset + length; }
};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }

/// PostgreSQL's lexical rules, as far as cutting expressions needs them: comments
/// (nested /* */), '' and E'' strings, $tag$ quoting, "identifiers", operators.
std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto push = [&](TokenKind kind, std::size_t from) { out.push_back({kind, from, i - from, s.substr(from, i - from)}); };
    while (i < n) {
        char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            int depth = 0;
            while (i < n) {
                if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
                    ++depth;
                    i += 2;
                } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
                    i += 2;
                    if (--depth == 0) break;
                } else {
                    ++i;
                }
            }
        } else if (c == '\'' || ((c == 'E' || c == 'e' || c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' ||
                                  c == 'n') &&
                                 i + 1 < n && s[i + 1] == '\'')) {
            std::size_t from = i;
            const bool escapes = c == 'E' || c == 'e';
            if (c != '\'') ++i;
            ++i;
            while (i < n) {
                if (escapes && s[i] == '\\') {
                    i += 2;
                } else if (s[i] == '\'') {
                    if (i + 1 < n && s[i + 1] == '\'') {
                        i += 2;
                    } else {
                        ++i;
                        break;
                    }
                } else {
                    ++i;
                }
            }
            push(TokenKind::string, from);
        } else if (c == '"') {
            std::size_t from = i++;
            while (i < n) {
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                ++i;
            }
            push(TokenKind::quoted, from);
        } else if (c == '$' && i + 1 < n && (s[i + 1] == '$' || ident_start(s[i + 1]))) {
            std::size_t from = i;
            std::size_t j = i + 1;
            while (j < n && s[j] != '$' && ident_char(s[j])) ++j;
            if (j < n && s[j] == '$') {
                std::string_view tag = s.substr(i, j - i + 1);
                std::size_t close = s.find(tag, j + 1);
                i = close == std::string_view::npos ? n : close + tag.size();
                push(TokenKind::string, from);
            } else {
                i = j;
                push(TokenKind::op, from);
            }
        } else if (ident_start(c)) {
            std::size_t from = i;
            while (i < n && ident_char(s[i])) ++i;
            push(TokenKind::word, from);
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            std::size_t from = i;
            while (i < n && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' ||
                             ((s[i] == '+' || s[i] == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E'))))
                ++i;
            push(TokenKind::number, from);
        } else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '[' || c == ']' || c == '.') {
            std::size_t from = i++;
            push(TokenKind::punct, from);
        } else if (c == ':' && i + 1 < n && s[i + 1] == ':') {
            std::size_t from = i;
            i += 2;
            push(TokenKind::punct, from);
        } else {
            std::size_t from = i;
            static const std::string_view op_chars = "+-*/<>=~!@#%^&|`?:";
            while (i < n && op_chars.find(s[i]) != std::string_view::npos) ++i;
            if (i == from) ++i;
            push(TokenKind::op, from);
        }
    }
    return out;
}

// ---- the reader --------------------------------------------------------------------

std::string trim(std::string_view text) {
    std::size_t b = 0, e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    return std::string(text.substr(b, e - b));
}

std::size_t location_of(const Json& node) {
    auto it = node.find("location");
    if (it == node.end() || !it->is_number_integer()) return 0;
    long long v = it->get<long long>();
    return v < 0 ? 0 : static_cast<std::size_t>(v);
}

std::string sval(const Json& node) {
    // {"String": {"sval": "x"}}
    if (auto s = node.find("String"); s != node.end()) return s->value("sval", "");
    return {};
}

std::vector<std::string> names(const Json& list) {
    std::vector<std::string> out;
    if (!list.is_array()) return out;
    for (const auto& item : list) out.push_back(sval(item));
    return out;
}

class Reader {
public:
    explicit Reader(std::string_view sql) : m_sql(sql), m_tokens(tokenize(sql)) {}

    ReadResult read(const Json& tree) {
        for (const auto& entry : tree.value("stmts", Json::array())) {
            m_stmt_begin = entry.value("stmt_location", std::size_t{0});
            m_stmt_end = entry.contains("stmt_len") ? m_stmt_begin + entry["stmt_len"].get<std::size_t>() : m_sql.size();
            const Json& stmt = entry.at("stmt");
            const std::string kind = stmt.begin().key();
            const Json& node = stmt.begin().value();
            if (kind == "CreateStmt")
                create_table(node);
            else if (kind == "AlterTableStmt")
                alter_table(node);
            else if (kind == "IndexStmt")
                create_index(node);
            else if (kind == "CommentStmt")
                comment(node);
            else if (kind == "CreateEnumStmt")
                create_enum(node);
            else
                m_result.skipped.push_back(statement_head() + " (line " + std::to_string(line()) + ")");
        }
        return std::move(m_result);
    }

private:
    // ---- positions and text

    std::size_t line_at(std::size_t offset) const {
        return 1 + static_cast<std::size_t>(std::count(m_sql.begin(), m_sql.begin() + std::min(offset, m_sql.size()), '\n'));
    }
    /// The line the current statement starts on (its first token, not the blank before it).
    std::size_t line() const {
        for (const auto& t : m_tokens)
            if (t.offset >= m_stmt_begin) return line_at(t.offset);
        return line_at(m_stmt_begin);
    }
    /// "CREATE VIEW recent_books": the statement's first words.
    std::string statement_head() const {
        std::string out;
        int words = 0;
        for (const auto& t : m_tokens) {
            if (t.offset < m_stmt_begin) continue;
            if (t.offset >= m_stmt_end || words == 3 || t.is_punct('(') || t.is_punct(';')) break;
            if (t.is("IF") || t.is("NOT") || t.is("EXISTS") || t.is("OR") || t.is("REPLACE")) continue;
            out += (out.empty() ? "" : " ") + std::string(t.text);
            ++words;
        }
        return out;
    }
    [[noreturn]] void fail(const std::string& message, std::size_t at = std::string::npos) const {
        std::size_t l = at == std::string::npos ? line() : line_at(at);
        throw Error(ErrorKind::config, "line " + std::to_string(l) + ": " + message,
                    "the models SQL may hold CREATE TABLE, ALTER TABLE ... ADD CONSTRAINT / ADD COLUMN / ALTER "
                    "COLUMN, CREATE INDEX and COMMENT ON; other statements are skipped");
    }

    /// The index of the first token at or after `offset`.
    std::size_t token_at(std::size_t offset) const {
        auto it = std::lower_bound(m_tokens.begin(), m_tokens.end(), offset,
                                   [](const Token& t, std::size_t o) { return t.offset < o; });
        return static_cast<std::size_t>(it - m_tokens.begin());
    }
    std::size_t matching_paren(std::size_t open) const {
        int depth = 0;
        for (std::size_t i = open; i < m_tokens.size(); ++i) {
            if (m_tokens[i].is_punct('(')) ++depth;
            if (m_tokens[i].is_punct(')') && --depth == 0) return i;
        }
        return m_tokens.size();
    }
    std::string text(std::size_t first_token, std::size_t end_token) const {
        if (first_token >= end_token || first_token >= m_tokens.size()) return {};
        std::size_t from = m_tokens[first_token].offset;
        std::size_t to = m_tokens[std::min(end_token, m_tokens.size()) - 1].end();
        return trim(m_sql.substr(from, to - from));
    }
    /// The text inside the first parenthesis at or after `offset`: CHECK (...).
    std::string parenthesized_after(std::size_t offset) const {
        for (std::size_t i = token_at(offset); i < m_tokens.size() && m_tokens[i].offset < m_stmt_end; ++i)
            if (m_tokens[i].is_punct('(')) return text(i + 1, matching_paren(i));
        fail("cannot find the parenthesized expression", offset);
    }
    /// An expression starting at `offset` and running until a comma or a closing
    /// parenthesis at its own depth, `bound`, or the end of the statement.
    std::string expression_from(std::size_t offset, std::size_t bound) const {
        std::size_t first = token_at(offset), i = first;
        int depth = 0;
        for (; i < m_tokens.size(); ++i) {
            const Token& t = m_tokens[i];
            if (t.offset >= bound || t.offset >= m_stmt_end) break;
            if (t.is_punct('(') || t.is_punct('[')) ++depth;
            if (t.is_punct(')') || t.is_punct(']')) {
                if (depth == 0) break;
                --depth;
            }
            if (depth == 0 && (t.is_punct(',') || t.is_punct(';'))) break;
        }
        return text(first, i);
    }
    /// The expression after the DEFAULT keyword at or after `offset`.
    std::string default_text(std::size_t offset, std::size_t bound) const {
        for (std::size_t i = token_at(offset); i < m_tokens.size() && m_tokens[i].offset < bound; ++i)
            if (m_tokens[i].is("DEFAULT") && i + 1 < m_tokens.size())
                return expression_from(m_tokens[i + 1].offset, bound);
        fail("cannot find the DEFAULT expression", offset);
    }

    /// ALTER COLUMN ... SET DEFAULT <expr>: the expression after the last DEFAULT
    /// keyword before `offset` (the leftmost location inside the expression).
    std::string default_before(std::size_t offset) const {
        for (std::size_t i = token_at(offset); i-- > 0 && m_tokens[i].offset >= m_stmt_begin;)
            if (m_tokens[i].is("DEFAULT") && i + 1 < m_tokens.size())
                return expression_from(m_tokens[i + 1].offset, m_stmt_end);
        fail("cannot find the DEFAULT expression", offset);
    }

    // ---- enum types

    void create_enum(const Json& node) {
        std::vector<std::string> parts = names(node.value("typeName", Json::array()));
        if (parts.size() == 2 && parts.front() == "public") parts.erase(parts.begin());
        if (parts.size() != 1)
            fail("enum type " + parts.front() + "." + parts.back() +
                 ": the models hold the types of the public schema only");
        EnumType e{parts.front(), names(node.value("vals", Json::array()))};
        if (m_result.schema.find_enum(e.name)) fail("enum type \"" + e.name + "\" is created twice");
        m_result.schema.enums.emplace(e.name, std::move(e));
    }

    // ---- names and types

    std::string table_name(const Json& range_var) const {
        std::string schema = range_var.value("schemaname", "");
        std::string name = range_var.value("relname", "");
        if (!range_var.value("catalogname", "").empty() || (!schema.empty() && schema != "public"))
            fail("table " + schema + "." + name + " is in schema " + schema +
                 ": the models hold the tables of the public schema only");
        return name;
    }

    Table& table(const std::string& name, std::size_t at) {
        Table* t = m_result.schema.find_table(name);
        if (!t) fail("table \"" + name + "\" is not created earlier in the script", at);
        return *t;
    }

    static std::optional<int> int_of(const Json& a_const) {
        auto c = a_const.find("A_Const");
        if (c == a_const.end()) return std::nullopt;
        if (auto iv = c->find("ival"); iv != c->end()) return iv->value("ival", 0);
        return std::nullopt;
    }

    Type type_of(const Json& type_name) const {
        std::vector<std::string> parts = names(type_name.value("names", Json::array()));
        if (!parts.empty() && parts.front() == "pg_catalog") parts.erase(parts.begin());
        std::string name;
        for (const auto& p : parts) name += (name.empty() ? "" : ".") + p;
        std::vector<int> mods;
        std::string mod_text;
        for (const auto& m : type_name.value("typmods", Json::array())) {
            auto v = int_of(m);
            if (!v || name == "interval") {
                // Interval fields are a bit mask: not held (docs/autogenerate.md).
                mod_text.clear();
                mods.clear();
                break;
            }
            mods.push_back(*v);
            mod_text += (mod_text.empty() ? "" : ",") + std::to_string(*v);
        }
        const bool array = type_name.contains("arrayBounds");
        Type t;
        auto kind = [&](TypeKind k) {
            t.kind = k;
            return t;
        };
        if (!array) {
            if (name == "int4" || name == "integer" || name == "int") return kind(TypeKind::integer);
            if (name == "int2" || name == "smallint") return kind(TypeKind::smallint);
            if (name == "int8" || name == "bigint") return kind(TypeKind::bigint);
            if (name == "bool" || name == "boolean") return kind(TypeKind::boolean);
            if (name == "text") return kind(TypeKind::text);
            if (name == "float4" || name == "real") return kind(TypeKind::real);
            if (name == "float8") return kind(TypeKind::double_precision);
            if (name == "date") return kind(TypeKind::date);
            if (name == "time" && mods.empty()) return kind(TypeKind::time);
            if (name == "timestamp" && mods.empty()) return kind(TypeKind::timestamp);
            if (name == "timestamptz" && mods.empty()) return kind(TypeKind::timestamptz);
            if (name == "bytea") return kind(TypeKind::blob);
            if (name == "json") return kind(TypeKind::json);
            if (name == "jsonb") return kind(TypeKind::jsonb);
            if (name == "uuid") return kind(TypeKind::uuid);
            if (name == "varchar" && mods.size() == 1) {
                t.kind = TypeKind::varchar;
                t.length = mods[0];
                return t;
            }
            if (name == "numeric" && mods.size() <= 2) {
                t.kind = TypeKind::numeric;
                if (!mods.empty()) t.length = mods[0];
                if (mods.size() == 2) t.scale = mods[1];
                return t;
            }
        }
        // format_type's spelling where it differs from the internal name; the
        // dialect's normalize() reads the rest.
        static const std::pair<const char*, const char*> spelled[] = {
            {"varchar", "character varying"}, {"bpchar", "character"}, {"float8", "double precision"},
            {"timestamp", "timestamp without time zone"}, {"timestamptz", "timestamp with time zone"},
            {"time", "time without time zone"}, {"timetz", "time with time zone"}, {"int4", "integer"},
            {"int2", "smallint"}, {"int8", "bigint"}, {"float4", "real"}, {"bool", "boolean"}};
        std::string spelling = name;
        for (const auto& [internal, shown] : spelled)
            if (name == internal) spelling = shown;
        if (!mod_text.empty()) {
            if (spelling.find(" with") != std::string::npos) {
                // timestamp(3) with time zone
                auto at = spelling.find(" with");
                spelling = spelling.substr(0, at) + "(" + mod_text + ")" + spelling.substr(at);
            } else {
                spelling += "(" + mod_text + ")";
            }
        }
        if (array) spelling += "[]";
        t.kind = TypeKind::custom;
        t.name = spelling;
        return t;
    }

    static Action action_of(const Json& constraint, const char* field) {
        std::string a = constraint.value(field, "a");
        if (a == "r") return Action::restrict;
        if (a == "c") return Action::cascade;
        if (a == "n") return Action::set_null;
        if (a == "d") return Action::set_default;
        return Action::no_action;
    }

    // ---- constraints

    /// A table-level constraint (CREATE TABLE element or ALTER TABLE ADD CONSTRAINT),
    /// or a column's own (with `column`). `bound`: where the column's next
    /// constraint starts, for DEFAULT.
    void constraint(Table& t, const Json& c, const std::string& column, std::size_t bound) {
        const std::string type = c.value("contype", "");
        const std::string name = c.value("conname", "");
        const std::size_t at = location_of(c);
        auto columns = [&](const char* field) {
            std::vector<std::string> out = names(c.value(field, Json::array()));
            if (out.empty() && !column.empty()) out.push_back(column);
            return out;
        };
        Column* col = column.empty() ? nullptr : t.find_column(column);
        if (type == "CONSTR_NOTNULL") {
            if (col) col->nullable = false;
        } else if (type == "CONSTR_NULL") {
            if (col) col->nullable = true;
        } else if (type == "CONSTR_DEFAULT") {
            if (col) col->server_default = default_text(at, bound);
        } else if (type == "CONSTR_IDENTITY") {
            if (col) {
                col->identity = c.value("generated_when", "a") == "d" ? Identity::by_default : Identity::always;
                col->nullable = false;
            }
        } else if (type == "CONSTR_PRIMARY") {
            if (t.primary_key) fail("table \"" + t.name + "\" declares a second primary key", at);
            t.primary_key = PrimaryKey{name, columns("keys")};
            for (const auto& k : t.primary_key->columns)
                if (Column* kc = t.find_column(k)) kc->nullable = false;
        } else if (type == "CONSTR_UNIQUE") {
            t.uniques.push_back(UniqueConstraint{name, columns("keys")});
        } else if (type == "CONSTR_FOREIGN") {
            ForeignKey fk;
            fk.name = name;
            fk.columns = columns("fk_attrs");
            fk.ref_table = table_name(c.at("pktable"));
            fk.ref_columns = names(c.value("pk_attrs", Json::array()));  // empty: the parent's key
            fk.on_delete = action_of(c, "fk_del_action");
            fk.on_update = action_of(c, "fk_upd_action");
            t.foreign_keys.push_back(std::move(fk));
        } else if (type == "CONSTR_CHECK") {
            t.checks.push_back(CheckConstraint{name, parenthesized_after(at)});
        } else if (type == "CONSTR_GENERATED") {
            fail("column \"" + column + "\" of \"" + t.name + "\" is a generated column, which the schema model "
                                                              "does not hold",
                 at);
        } else if (type == "CONSTR_EXCLUSION") {
            fail("table \"" + t.name + "\" has an exclusion constraint, which the schema model does not hold; "
                                       "create it in a migration with sql(...)",
                 at);
        } else if (type.rfind("CONSTR_ATTR_", 0) == 0) {
            // DEFERRABLE / INITIALLY ...: not modelled
        } else {
            fail("constraint " + type + " on table \"" + t.name + "\" is not supported", at);
        }
    }

    /// A column definition and its own constraints. `next`: where the next
    /// element of the table starts (bounds a DEFAULT expression).
    void column_def(Table& t, const Json& def, std::size_t next) {
        Column c;
        c.name = def.value("colname", "");
        if (t.find_column(c.name)) fail("table \"" + t.name + "\" declares column \"" + c.name + "\" twice");
        c.type = type_of(def.at("typeName"));
        t.columns.push_back(std::move(c));
        const Json constraints = def.value("constraints", Json::array());
        for (std::size_t i = 0; i < constraints.size(); ++i) {
            const Json& con = constraints[i].at("Constraint");
            std::size_t bound = i + 1 < constraints.size() ? location_of(constraints[i + 1].at("Constraint")) : next;
            constraint(t, con, t.columns.back().name, bound);
        }
    }

    /// Where each element of a list starts: its own location, or the next one's.
    static std::size_t element_start(const Json& element) {
        const Json& inner = element.begin().value();
        return location_of(inner);
    }

    // ---- statements

    void create_table(const Json& node) {
        const std::string name = table_name(node.at("relation"));
        if (m_result.schema.find_table(name)) fail("table \"" + name + "\" is created twice");
        if (node.contains("inhRelations") || node.contains("partspec") || node.contains("ofTypename"))
            fail("table \"" + name + "\" uses inheritance, partitioning or a type, which the schema model does not hold");
        Table t;
        t.name = name;
        m_result.schema.tables.emplace(name, std::move(t));
        Table& table = m_result.schema.tables.at(name);
        const Json elements = node.value("tableElts", Json::array());
        for (std::size_t i = 0; i < elements.size(); ++i) {
            const std::size_t next = i + 1 < elements.size() ? element_start(elements[i + 1]) : m_stmt_end;
            const Json& e = elements[i];
            if (auto def = e.find("ColumnDef"); def != e.end())
                column_def(table, *def, next);
            else if (auto con = e.find("Constraint"); con != e.end())
                constraint(table, *con, "", next);
            else
                fail("CREATE TABLE \"" + name + "\": " + e.begin().key() + " is not supported (LIKE clauses)");
        }
    }

    void alter_table(const Json& node) {
        if (node.value("objtype", "") != "OBJECT_TABLE") {
            m_result.skipped.push_back(statement_head() + " (line " + std::to_string(line()) + ")");
            return;
        }
        const std::string name = table_name(node.at("relation"));
        Table& t = table(name, location_of(node.at("relation")));
        const Json cmds = node.value("cmds", Json::array());
        for (std::size_t i = 0; i < cmds.size(); ++i) {
            const Json& cmd = cmds[i].at("AlterTableCmd");
            const std::string sub = cmd.value("subtype", "");
            const std::string column = cmd.value("name", "");
            std::size_t next = m_stmt_end;
            auto need_column = [&]() -> Column& {
                Column* c = t.find_column(column);
                if (!c) fail("table \"" + name + "\" has no column \"" + column + "\"");
                return *c;
            };
            if (sub == "AT_AddConstraint") {
                constraint(t, cmd.at("def").at("Constraint"), "", next);
            } else if (sub == "AT_AddColumn") {
                column_def(t, cmd.at("def").at("ColumnDef"), next);
            } else if (sub == "AT_ColumnDefault") {
                Column& c = need_column();
                if (cmd.contains("def")) c.server_default = default_before(leftmost(cmd.at("def")));
                else
                    c.server_default.reset();
            } else if (sub == "AT_SetNotNull") {
                need_column().nullable = false;
            } else if (sub == "AT_DropNotNull") {
                need_column().nullable = true;
            } else if (sub == "AT_AddIdentity") {
                Column& c = need_column();
                const Json& con = cmd.at("def").at("Constraint");
                c.identity = con.value("generated_when", "a") == "d" ? Identity::by_default : Identity::always;
                c.nullable = false;
            } else {
                fail("ALTER TABLE \"" + name + "\": " + sub.substr(sub.rfind('_') + 1) +
                     " is not supported in the models SQL (write the table as it should be)");
            }
        }
    }

    /// The leftmost location in an expression tree (the start of its text, but for
    /// parentheses around its first operand).
    static std::size_t leftmost(const Json& node) {
        std::size_t best = std::string::npos;
        auto visit = [&](auto&& self, const Json& n) -> void {
            if (n.is_object()) {
                if (auto it = n.find("location"); it != n.end() && it->is_number_integer() && it->get<long long>() >= 0)
                    best = std::min(best, it->get<std::size_t>());
                for (const auto& [_, v] : n.items()) self(self, v);
            } else if (n.is_array()) {
                for (const auto& v : n) self(self, v);
            }
        };
        visit(visit, node);
        return best == std::string::npos ? 0 : best;
    }

    void create_index(const Json& node) {
        const std::string name = table_name(node.at("relation"));
        Table& t = table(name, location_of(node.at("relation")));
        Index idx;
        idx.name = node.value("idxname", "");
        idx.unique = node.value("unique", false);
        if (node.value("accessMethod", "btree") != "btree")
            fail("index \"" + idx.name + "\" uses " + node.value("accessMethod", "") +
                 ": the schema model holds btree indexes only");
        // The key list: the first parenthesis after ON <table> [USING method].
        std::size_t i = token_at(location_of(node.at("relation")));
        while (i < m_tokens.size() && !m_tokens[i].is_punct('(')) ++i;
        const std::size_t close = matching_paren(i);
        std::vector<std::pair<std::size_t, std::size_t>> elements;  // token ranges
        {
            std::size_t start = i + 1;
            int depth = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                if (m_tokens[k].is_punct('(')) ++depth;
                if (m_tokens[k].is_punct(')')) --depth;
                if (depth == 0 && m_tokens[k].is_punct(',')) {
                    elements.emplace_back(start, k);
                    start = k + 1;
                }
            }
            elements.emplace_back(start, close);
        }
        const Json params = node.value("indexParams", Json::array());
        if (params.size() != elements.size()) fail("cannot read the keys of index \"" + idx.name + "\"");
        for (std::size_t k = 0; k < params.size(); ++k) {
            const Json& elem = params[k].at("IndexElem");
            if (elem.value("ordering", "SORTBY_DEFAULT") != "SORTBY_DEFAULT" ||
                elem.value("nulls_ordering", "SORTBY_NULLS_DEFAULT") != "SORTBY_NULLS_DEFAULT" ||
                elem.contains("collation") || elem.contains("opclass"))
                fail("index \"" + idx.name + "\": ASC/DESC, NULLS, COLLATE and operator classes are not held by "
                                             "the schema model");
            if (elem.contains("name")) {
                idx.parts.push_back(IndexPart{elem.value("name", ""), false});
                continue;
            }
            auto [from, to] = elements[k];
            // (expression) or function(...): drop one pair of parentheses around it.
            if (to > from + 1 && m_tokens[from].is_punct('(') && matching_paren(from) == to - 1) {
                ++from;
                --to;
            }
            idx.parts.push_back(IndexPart{text(from, to), true});
        }
        if (node.contains("whereClause")) {
            for (std::size_t k = close; k < m_tokens.size() && m_tokens[k].offset < m_stmt_end; ++k)
                if (m_tokens[k].is("WHERE")) {
                    idx.where = expression_from(m_tokens[k + 1].offset, m_stmt_end);
                    break;
                }
        }
        if (!idx.name.empty() && t.find_index(idx.name)) fail("index \"" + idx.name + "\" is created twice");
        t.indexes.push_back(std::move(idx));
    }

    void comment(const Json& node) {
        const std::string type = node.value("objtype", "");
        std::vector<std::string> object = names(node.at("object").at("List").value("items", Json::array()));
        std::optional<std::string> text;
        if (node.contains("comment")) text = node.value("comment", "");
        auto strip_public = [&](std::size_t length) {
            if (object.size() == length + 1 && object.front() == "public") object.erase(object.begin());
            return object.size() == length;
        };
        if (type == "OBJECT_TABLE" && strip_public(1)) {
            table(object[0], m_stmt_begin).comment = text;
        } else if (type == "OBJECT_COLUMN" && strip_public(2)) {
            Table& t = table(object[0], m_stmt_begin);
            Column* c = t.find_column(object[1]);
            if (!c) fail("table \"" + object[0] + "\" has no column \"" + object[1] + "\"");
            c->comment = text;
        } else {
            m_result.skipped.push_back(statement_head() + " (line " + std::to_string(line()) + ")");
        }
    }

    std::string_view m_sql;
    std::vector<Token> m_tokens;
    std::size_t m_stmt_begin = 0;
    std::size_t m_stmt_end = 0;
    ReadResult m_result;
};

struct ParseResult {
    PgQueryParseResult result;
    ~ParseResult() { pg_query_free_parse_result(result); }
};

}  // namespace

ReadResult read(std::string_view sql) {
    const std::string text(sql);
    ParseResult parsed{pg_query_parse(text.c_str())};
    if (const PgQueryError* e = parsed.result.error) {
        std::size_t pos = e->cursorpos > 0 ? static_cast<std::size_t>(e->cursorpos - 1) : 0;
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw Error(ErrorKind::config,
                    "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
                        (e->message ? e->message : "syntax error"),
                    "the models SQL is parsed by PostgreSQL's own parser: fix the statement");
    }
    Json tree = Json::parse(parsed.result.parse_tree ? parsed.result.parse_tree : "{}");
    return Reader(sql).read(tree);
}

Schema read_schema(std::string_view sql) { return read(sql).schema; }

}  // namespace retort::pg_ddl
