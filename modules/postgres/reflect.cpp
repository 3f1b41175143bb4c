// PostgreSQL reflection from pg_catalog: one query each for tables, columns,
// constraints and indexes of current_schema(), joined to pg_description for the
// comments (what obj_description() and col_description() read), with
// format_type() and pg_get_expr() spelling types and expressions, and key and
// index columns resolved from their numbers on this side. The text the server
// prints is then brought to the normal form normalize() also produces
// (expression.hpp).
#include "reflect.hpp"

#include "expression.hpp"

#include <retort/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>
#include <tuple>

namespace retort::postgres::detail {

namespace {

const std::string& text_of(const Row& row, std::size_t i) {
    static const std::string empty;
    return i < row.size() && row[i] ? *row[i] : empty;
}

bool null_at(const Row& row, std::size_t i) { return i >= row.size() || !row[i]; }

bool flag_of(const Row& row, std::size_t i) { return text_of(row, i) == "t"; }

long long int_of(const Row& row, std::size_t i) { return std::atoll(text_of(row, i).c_str()); }

/// A comma-separated list of expressions (pg_get_expr() of an index's expression
/// list) split at the commas outside parentheses, brackets and quotes.
std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    Tokens tk = tokenize(text);
    int depth = 0;
    std::size_t start = 0;
    for (const auto& t : tk.tokens) {
        if (t.kind != TokenKind::punct) continue;
        if (t.text == "(" || t.text == "[") ++depth;
        if (t.text == ")" || t.text == "]") --depth;
        if (t.text == "," && depth == 0) {
            out.emplace_back(text.substr(start, t.offset - start));
            start = t.offset + 1;
        }
    }
    out.emplace_back(text.substr(start));
    return out;
}

Action action_of(std::string_view code) {
    if (code == "r") return Action::restrict;
    if (code == "c") return Action::cascade;
    if (code == "n") return Action::set_null;
    if (code == "d") return Action::set_default;
    return Action::no_action;  // "a"
}

std::vector<std::string> names_of(std::string_view array) {
    std::vector<std::string> out;
    for (auto& v : parse_array(array)) out.push_back(v ? std::move(*v) : std::string());
    return out;
}

std::string literal_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + literal(item);
    return out;
}

/// The schemas read: current_schema() and options.schemas, as an SQL condition on `column`.
std::string schemas_condition(const ReflectOptions& options, const std::string& column) {
    if (options.schemas.empty()) return column + " = current_schema()";
    return "(" + column + " = current_schema() OR " + column + " IN (" + literal_list(options.schemas) + "))";
}

/// An object's name as the model spells it: bare in the current schema, else "schema.name".
std::string model_name_sql(const std::string& nspname, const std::string& relname) {
    return "CASE WHEN " + nspname + " = current_schema() THEN " + relname + "::text ELSE " + nspname +
           "::text || '.' || " + relname + " END";
}

/// The tables reflection reads, as a CTE every query starts with.
std::string tables_cte(const ReflectOptions& options) {
    std::string sql = "WITH t AS (SELECT c.oid, " + model_name_sql("n.nspname", "c.relname") +
                      " AS relname FROM pg_catalog.pg_class c "
                      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE " + schemas_condition(options, "n.nspname") +
                      " AND c.relkind IN ('r', 'p') AND NOT c.relispartition";
    if (!options.exclude_tables.empty())
        sql += " AND " + model_name_sql("n.nspname", "c.relname") + " NOT IN (" + literal_list(options.exclude_tables) +
               ")";
    return sql + ") ";
}

ColumnTypes types_of(const Table& table) {
    return [&table](std::string_view name) -> const Type* {
        const Column* c = table.find_column(name);
        return c ? &c->type : nullptr;
    };
}

}  // namespace

std::vector<std::optional<std::string>> parse_array(std::string_view text) {
    std::vector<std::optional<std::string>> out;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') return out;
    std::string_view body = text.substr(1, text.size() - 2);
    std::size_t i = 0;
    while (i < body.size()) {
        if (body[i] == '"') {
            std::string value;
            ++i;
            while (i < body.size() && body[i] != '"') {
                if (body[i] == '\\' && i + 1 < body.size()) ++i;
                value += body[i++];
            }
            ++i;  // closing quote
            out.emplace_back(std::move(value));
        } else {
            std::size_t end = body.find(',', i);
            if (end == std::string_view::npos) end = body.size();
            std::string value(body.substr(i, end - i));
            if (value == "NULL")
                out.emplace_back(std::nullopt);
            else
                out.emplace_back(std::move(value));
            i = end;
        }
        if (i < body.size() && body[i] == ',') ++i;
    }
    return out;
}

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

bool table_exists(DbSession& session, std::string_view table) {
    std::string_view bare = unqualified(table);
    std::string schema = bare.size() == table.size()
                             ? std::string("current_schema()")
                             : literal(table.substr(0, table.size() - bare.size() - 1));
    auto rows = session.query(
        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = " + schema + " AND c.relkind IN ('r', 'p') AND c.relname = " +
        literal(bare));
    return !rows.empty();
}

Schema reflect_schema(DbSession& session, const ReflectOptions& options) {
    const std::string cte = tables_cte(options);
    std::map<std::string, Table, std::less<>> by_oid;
    // Column names by table and attnum, generated columns included: constraints and
    // indexes name their columns by number.
    std::map<std::string, std::map<int, std::string>, std::less<>> attnames;

    // 1. Tables and their comments.
    for (const auto& row : session.query(
             cte + "SELECT t.oid, t.relname, d.description FROM t "
                   "LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid "
                   "AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0")) {
        Table table;
        table.name = text_of(row, 1);
        if (!null_at(row, 2)) table.comment = text_of(row, 2);
        by_oid.emplace(text_of(row, 0), std::move(table));
    }

    // 2. Columns: types as format_type() prints them, defaults as pg_get_expr() does.
    //    A default cannot mention a column, so it is printed without its table
    //    (relid 0): the server then need not open every table, which is most of the
    //    cost of a first reflection in a new session.
    struct PendingDefault {
        std::string oid;
        std::size_t column;
        std::string expression;
    };
    std::vector<PendingDefault> defaults;
    std::map<std::string, Type, std::less<>> types;  // by format_type() spelling: each parsed once
    //    Enum types (and arrays of them) are named from pg_type, so a column of enum
    //    "Mood" is that enum rather than format_type's quoted spelling.
    for (const auto& row : session.query(
             cte + "SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
                   "a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0, true) END, "
                   "a.attidentity, a.attgenerated, "
                   "d.description, " + model_name_sql("etn.nspname", "et.typname") + ", ty.typcategory = 'A' "
                   "FROM t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid "
                   "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
                   "LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid "
                   "AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum "
                   "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
                   "LEFT JOIN pg_catalog.pg_type ety ON ty.typcategory = 'A' AND ety.oid = ty.typelem "
                   "LEFT JOIN pg_catalog.pg_type et ON et.typtype = 'e' "
                   "AND et.oid = CASE WHEN ty.typcategory = 'A' THEN ety.oid ELSE ty.oid END "
                   "LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace "
                   "WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum")) {
        auto it = by_oid.find(text_of(row, 0));
        if (it == by_oid.end()) continue;
        attnames[it->first][int_of(row, 1)] = text_of(row, 2);
        if (!text_of(row, 7).empty()) continue;  // generated columns are not modelled
        Column c;
        c.name = text_of(row, 2);
        if (!null_at(row, 9)) {
            Type e;
            e.kind = TypeKind::enumeration;
            e.name = text_of(row, 9);
            c.type = flag_of(row, 10) ? Type::array_of(e) : e;
        } else {
            const std::string& spelling = text_of(row, 3);
            auto type = types.find(spelling);
            if (type == types.end()) type = types.emplace(spelling, parse_type(spelling)).first;
            c.type = type->second;
        }
        c.nullable = !flag_of(row, 4);
        const std::string& identity = text_of(row, 6);
        c.identity = identity == "a" ? Identity::always : identity == "d" ? Identity::by_default : Identity::none;
        if (!null_at(row, 8)) c.comment = text_of(row, 8);
        if (!null_at(row, 5)) defaults.push_back({it->first, it->second.columns.size(), text_of(row, 5)});
        it->second.columns.push_back(std::move(c));
    }
    for (const auto& d : defaults) {
        Table& table = by_oid.at(d.oid);
        Column& c = table.columns[d.column];
        c.server_default = normal_default(d.expression, c.type, types_of(table));
    }
    auto column_names = [&](const std::string& oid, std::string_view numbers) {
        std::vector<std::string> out;
        const auto& names = attnames[oid];
        for (const auto& n : parse_array(numbers)) {
            auto it = n ? names.find(std::atoi(n->c_str())) : names.end();
            out.push_back(it == names.end() ? std::string() : it->second);
        }
        return out;
    };

    // 3. Constraints: keys, foreign keys, uniques and checks. Column numbers are
    //    named from step 2; only a foreign key to a table this query does not read
    //    (another schema, an excluded table) has its columns named by the server.
    for (const auto& row : session.query(
             cte + "SELECT con.conrelid, con.conname, con.contype, con.conkey::text, con.confrelid, fc.relname, "
                   "fn.nspname = current_schema(), fn.nspname, con.confkey::text, "
                   "CASE WHEN con.contype = 'f' AND con.confrelid NOT IN (SELECT oid FROM t) THEN "
                   "ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, n) "
                   "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum "
                   "ORDER BY k.n) END, "
                   "con.confdeltype, con.confupdtype, "
                   "CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true) END "
                   "FROM t JOIN pg_catalog.pg_constraint con ON con.conrelid = t.oid "
                   "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid "
                   "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
                   "WHERE con.contype IN ('p', 'u', 'f', 'c')")) {
        auto it = by_oid.find(text_of(row, 0));
        if (it == by_oid.end()) continue;
        Table& table = it->second;
        const std::string& name = text_of(row, 1);
        const std::string& type = text_of(row, 2);
        std::vector<std::string> columns = column_names(it->first, text_of(row, 3));
        if (type == "p") {
            table.primary_key = PrimaryKey{name, std::move(columns)};
        } else if (type == "u") {
            table.uniques.push_back(UniqueConstraint{name, std::move(columns)});
        } else if (type == "f") {
            ForeignKey fk;
            fk.name = name;
            fk.columns = std::move(columns);
            fk.ref_table = flag_of(row, 6) ? text_of(row, 5) : text_of(row, 7) + "." + text_of(row, 5);
            fk.ref_columns = null_at(row, 9) ? column_names(text_of(row, 4), text_of(row, 8)) : names_of(text_of(row, 9));
            fk.on_delete = action_of(text_of(row, 10));
            fk.on_update = action_of(text_of(row, 11));
            table.foreign_keys.push_back(std::move(fk));
        } else {
            table.checks.push_back(CheckConstraint{name, normal_expression(text_of(row, 12), types_of(table))});
        }
    }

    // 4. Indexes that back no constraint: key columns by number, expressions as
    //    pg_get_expr() prints the index's expression list, the predicate likewise.
    //    An INVALID index (a failed CREATE INDEX CONCURRENTLY) is left out: it is
    //    listed among the unmodeled objects, with the command that drops it.
    for (const auto& row : session.query(
             cte + "SELECT i.indrelid, ic.relname, i.indisunique, i.indkey::text, i.indnkeyatts, "
                   "pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true), "
                   "pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) "
                   "FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid "
                   "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
                   "WHERE i.indisvalid AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con "
                   "WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))")) {
        auto it = by_oid.find(text_of(row, 0));
        if (it == by_oid.end()) continue;
        Table& table = it->second;
        Index idx;
        idx.name = text_of(row, 1);
        idx.unique = flag_of(row, 2);
        const auto& names = attnames[it->first];
        std::vector<std::string> expressions = split_list(text_of(row, 5));
        std::size_t next_expression = 0;
        std::istringstream keys(text_of(row, 3));
        const long long key_count = int_of(row, 4);
        int attnum = 0;
        for (long long k = 0; k < key_count && keys >> attnum; ++k) {
            if (attnum != 0) {
                auto n = names.find(attnum);
                idx.parts.push_back(IndexPart{n == names.end() ? std::string() : n->second, false});
            } else {
                std::string e = next_expression < expressions.size() ? expressions[next_expression] : std::string();
                ++next_expression;
                idx.parts.push_back(IndexPart{normal_expression(e, types_of(table)), true});
            }
        }
        if (!null_at(row, 6)) idx.where = normal_expression(text_of(row, 6), types_of(table));
        table.indexes.push_back(std::move(idx));
    }

    Schema schema;
    // 5. Enum types, their values in sort order (types of extensions left out).
    for (const auto& row : session.query(
             "SELECT " + model_name_sql("n.nspname", "ty.typname") + ", e.enumlabel FROM pg_catalog.pg_type ty "
             "JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace "
             "JOIN pg_catalog.pg_enum e ON e.enumtypid = ty.oid "
             "WHERE ty.typtype = 'e' AND " + schemas_condition(options, "n.nspname") +
             " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = "
             "'pg_catalog.pg_type'::regclass AND dep.objid = ty.oid AND dep.deptype = 'e') "
             "ORDER BY 1, e.enumsortorder")) {
        EnumType& e = schema.enums[text_of(row, 0)];
        e.name = text_of(row, 0);
        e.values.push_back(text_of(row, 1));
    }
    for (auto& [oid, table] : by_oid) {
        canonical_order(table);
        std::string name = table.name;
        schema.tables.emplace(std::move(name), std::move(table));
    }
    return schema;
}

}  // namespace retort::postgres::detail
