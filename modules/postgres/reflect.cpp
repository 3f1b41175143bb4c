// PostgreSQL reflection from pg_catalog: one query each for enum types, tables,
// columns, constraints and indexes of current_schema(), joined to pg_description for the
// comments (what obj_description() and col_description() read), with
// format_type() and pg_get_expr() spelling types and expressions, and key and
// index columns resolved from their numbers on this side. The queries go in one
// pipeline (for_each_row): the server runs the next while this side reads the rows
// of the one before, in place from libpq's result, not copied into Rows first (at
// 2000 tables the columns query alone returns 16000 rows). The text the server prints is
// then brought to the normal form normalize() also produces (expression.hpp).
#include "reflect.hpp"

#include "connection.hpp"
#include "expression.hpp"

#include <retort/error.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>

namespace retort::postgres::detail {

namespace {

std::string_view text_of(const ResultRow& row, std::size_t i) { return row.text(i); }

std::string string_of(const ResultRow& row, std::size_t i) { return std::string(row.text(i)); }

bool null_at(const ResultRow& row, std::size_t i) { return row.is_null(i); }

bool flag_of(const ResultRow& row, std::size_t i) { return text_of(row, i) == "t"; }

long long int_of(const ResultRow& row, std::size_t i) {
    std::string_view s = text_of(row, i);
    long long v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

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

namespace {

/// A table being read: its columns by number until they are sorted.
struct Reading {
    Table table;
    std::vector<std::pair<int, Column>> columns;  // (attnum, column), generated columns left out
    std::vector<std::string> attnames;            // by attnum, generated columns included
    std::vector<std::pair<int, std::string>> defaults;  // (attnum, pg_get_expr text)

    const std::string* attname(long long attnum) const {
        if (attnum <= 0 || static_cast<std::size_t>(attnum) >= attnames.size()) return nullptr;
        const std::string& name = attnames[static_cast<std::size_t>(attnum)];
        return name.empty() ? nullptr : &name;
    }
};

}  // namespace

Schema reflect_schema(DbSession& session, const ReflectOptions& options) {
    const std::string cte = tables_cte(options);
    Schema schema;
    // Tables by oid; the server's oids are read as integers.
    std::unordered_map<long long, Reading> by_oid;
    auto find = [&](const ResultRow& row, std::size_t i) -> Reading* {
        auto it = by_oid.find(int_of(row, i));
        return it == by_oid.end() ? nullptr : &it->second;
    };

    // 1. Enum types, their values in sort order. Every enum type of the database
    //    is read, so that a column of one is named from pg_type rather than in
    //    format_type's quoted spelling; those of the schemas read (minus the types
    //    of extensions) are the schema's.
    std::unordered_map<long long, std::string> enum_types;  // by oid: the name as the model spells it
    const std::string enums_sql =
        "SELECT ty.oid, " + model_name_sql("n.nspname", "ty.typname") + ", " +
        schemas_condition(options, "n.nspname") +
        " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = "
        "'pg_catalog.pg_type'::regclass AND dep.objid = ty.oid AND dep.deptype = 'e'), e.enumlabel "
        "FROM pg_catalog.pg_type ty JOIN pg_catalog.pg_namespace n ON n.oid = ty.typnamespace "
        "JOIN pg_catalog.pg_enum e ON e.enumtypid = ty.oid "
        "WHERE ty.typtype = 'e' ORDER BY 2, e.enumsortorder";
    const auto read_enums = [&](const ResultRow& row) {
        enum_types.try_emplace(int_of(row, 0), string_of(row, 1));
        if (!flag_of(row, 2)) return;
        EnumType& e = schema.enums[string_of(row, 1)];
        e.name = string_of(row, 1);
        e.values.push_back(string_of(row, 3));
    };

    // 2. Tables and their comments.
    const std::string tables_sql =
        cte + "SELECT t.oid, t.relname, d.description FROM t "
              "LEFT JOIN pg_catalog.pg_description d ON d.objoid = t.oid "
              "AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0";
    const auto read_tables = [&](const ResultRow& row) {
        Reading& r = by_oid[int_of(row, 0)];
        r.table.name = string_of(row, 1);
        if (!null_at(row, 2)) r.table.comment = string_of(row, 2);
    };

    // 3. Columns: types as format_type() prints them, defaults as pg_get_expr() does.
    //    A default cannot mention a column, so it is printed without its table
    //    (relid 0): the server then need not open every table, which is most of the
    //    cost of a first reflection in a new session. A column of an enum type (or
    //    an array of one) is named from step 1. The server does not sort the rows:
    //    each table's columns are put in order here.
    std::map<std::string, Type, std::less<>> types;  // by format_type() spelling: each parsed once
    const std::string columns_sql =
        cte + "SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
              "a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0, true) END, "
              "a.attidentity, a.attgenerated, d.description, "
              "CASE WHEN ty.typcategory = 'A' THEN ty.typelem ELSE a.atttypid END, ty.typcategory = 'A' "
              "FROM t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid "
              "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
              "LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid "
              "AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum "
              "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
              "WHERE a.attnum > 0 AND NOT a.attisdropped";
    const auto read_columns = [&](const ResultRow& row) {
        Reading* r = find(row, 0);
        if (!r) return;
        const long long attnum = int_of(row, 1);
        if (attnum <= 0) return;
        const auto at = static_cast<std::size_t>(attnum);
        if (r->attnames.size() <= at) r->attnames.resize(at + 1);
        r->attnames[at] = string_of(row, 2);
        if (!text_of(row, 7).empty()) return;  // generated columns are not modelled
        Column c;
        c.name = string_of(row, 2);
        if (auto e = enum_types.find(int_of(row, 9)); e != enum_types.end()) {
            Type t;
            t.kind = TypeKind::enumeration;
            t.name = e->second;
            c.type = flag_of(row, 10) ? Type::array_of(t) : t;
        } else {
            const std::string_view spelling = text_of(row, 3);
            auto type = types.find(spelling);
            if (type == types.end()) type = types.emplace(std::string(spelling), parse_type(std::string(spelling))).first;
            c.type = type->second;
        }
        c.nullable = !flag_of(row, 4);
        const std::string_view identity = text_of(row, 6);
        c.identity = identity == "a" ? Identity::always : identity == "d" ? Identity::by_default : Identity::none;
        if (!null_at(row, 8)) c.comment = string_of(row, 8);
        if (!null_at(row, 5)) r->defaults.emplace_back(static_cast<int>(attnum), string_of(row, 5));
        r->columns.emplace_back(static_cast<int>(attnum), std::move(c));
    };
    const auto order_columns = [&] {
        for (auto& [oid, r] : by_oid) {
            std::sort(r.columns.begin(), r.columns.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            r.table.columns.reserve(r.columns.size());
            for (auto& [attnum, c] : r.columns) r.table.columns.push_back(std::move(c));
            for (const auto& [attnum, expression] : r.defaults) {
                const std::string* name = r.attname(attnum);
                Column* c = name ? r.table.find_column(*name) : nullptr;
                if (c) c->server_default = normal_default(expression, c->type, types_of(r.table));
            }
        }
    };
    auto column_names = [&](const Reading* r, std::string_view numbers) {
        std::vector<std::string> out;
        for (const auto& n : parse_array(numbers)) {
            const std::string* name = r && n ? r->attname(std::atoll(n->c_str())) : nullptr;
            out.push_back(name ? *name : std::string());
        }
        return out;
    };

    // 4. Constraints: keys, foreign keys, uniques and checks. Column numbers are
    //    named from step 3; only a foreign key to a table this query does not read
    //    (another schema, an excluded table) has its columns named by the server.
    const std::string constraints_sql =
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
              "WHERE con.contype IN ('p', 'u', 'f', 'c')";
    const auto read_constraints = [&](const ResultRow& row) {
        Reading* r = find(row, 0);
        if (!r) return;
        Table& table = r->table;
        const std::string name = string_of(row, 1);
        const std::string_view type = text_of(row, 2);
        std::vector<std::string> columns = column_names(r, text_of(row, 3));
        if (type == "p") {
            table.primary_key = PrimaryKey{name, std::move(columns)};
        } else if (type == "u") {
            table.uniques.push_back(UniqueConstraint{name, std::move(columns)    });
        } else if (type == "f") {
            ForeignKey fk;
            fk.name = name;
            fk.columns = std::move(columns);
            fk.ref_table = flag_of(row, 6) ? string_of(row, 5) : string_of(row, 7) + "." + string_of(row, 5);
            fk.ref_columns = null_at(row, 9) ? column_names(find(row, 4), text_of(row, 8)) : names_of(text_of(row, 9));
            fk.on_delete = action_of(text_of(row, 10));
            fk.on_update = action_of(text_of(row, 11));
            table.foreign_keys.push_back(std::move(fk));
        } else {
            table.checks.push_back(CheckConstraint{name, normal_expression(text_of(row, 12), types_of(table))});
        }
    };

    // 5. Indexes that back no constraint: key columns by number, expressions as
    //    pg_get_expr() prints the index's expression list, the predicate likewise.
    //    An INVALID index (a failed CREATE INDEX CONCURRENTLY) is left out: it is
    //    listed among the unmodeled objects, with the command that drops it.
    const std::string indexes_sql =
        cte + "SELECT i.indrelid, ic.relname, i.indisunique, i.indkey::text, i.indnkeyatts, "
              "pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true), "
              "pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) "
              "FROM t JOIN pg_catalog.pg_index i ON i.indrelid = t.oid "
              "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
              "WHERE i.indisvalid AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con "
              "WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))";
    const auto read_indexes = [&](const ResultRow& row) {
        Reading* r = find(row, 0);
        if (!r) return;
        Table& table = r->table;
        Index idx;
        idx.name = string_of(row, 1);
        idx.unique = flag_of(row, 2);
        std::vector<std::string> expressions = split_list(text_of(row, 5));
        std::size_t next_expression = 0;
        std::istringstream keys(string_of(row, 3));
        const long long key_count = int_of(row, 4);
        int attnum = 0;
        for (long long k = 0; k < key_count && keys >> attnum; ++k) {
            if (attnum != 0) {
                const std::string* n = r->attname(attnum);
                idx.parts.push_back(IndexPart{n ? *n : std::string(), false    });
            } else {
                std::string e = next_expression < expressions.size() ? expressions[next_expression] : std::string();
                ++next_expression;
                idx.parts.push_back(IndexPart{normal_expression(e, types_of(table)), true});
            }
        }
        if (!null_at(row, 6)) idx.where = normal_expression(text_of(row, 6), types_of(table));
        table.indexes.push_back(std::move(idx));
    };

    for_each_row(session, {{enums_sql, read_enums, {}},
                           {tables_sql, read_tables, {}},
                           {columns_sql, read_columns, order_columns},
                           {constraints_sql, read_constraints, {}},
                           {indexes_sql, read_indexes, {}}});

    for (auto& [oid, r] : by_oid) {
        canonical_order(r.table);
        std::string name = r.table.name;
        schema.tables.emplace(std::move(name), std::move(r.table));
    }
    return schema;
}

}  // namespace retort::postgres::detail
