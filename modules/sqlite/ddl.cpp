// Ops to SQLite SQL. See https://www.sqlite.org/lang_altertable.html for what
// ALTER TABLE can do natively; everything else goes through rebuild_sql().
#include "ddl.hpp"

#include "reflect.hpp"

#include <retort/error.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cctype>

namespace retort::sqlite::detail {

namespace {

std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += quote(n);
    }
    return out;
}

std::string actions_sql(const ForeignKey& fk) {
    std::string out;
    if (fk.on_delete != Action::no_action) out += " ON DELETE " + std::string(to_string(fk.on_delete));
    if (fk.on_update != Action::no_action) out += " ON UPDATE " + std::string(to_string(fk.on_update));
    return out;
}

std::string constraint_prefix(const std::string& name) {
    return name.empty() ? std::string() : "CONSTRAINT " + quote(name) + " ";
}

std::string references_sql(const ForeignKey& fk) {
    return "REFERENCES " + quote(fk.ref_table) + " (" + name_list(fk.ref_columns) + ")" + actions_sql(fk);
}

bool in(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

/// Whether ALTER TABLE ADD COLUMN can add this column (lang_altertable.html#altertabaddcol).
bool native_add(const AddColumn& op) {
    const Column& c = op.column;
    if (c.autoincrement) return false;
    const auto& d = c.server_default;
    bool null_default = !d || upper(trim(*d)) == "NULL";
    if (d) {
        if (!is_literal(*d)) return false;  // expressions in parentheses
        std::string u = upper(trim(*d));
        if (u == "CURRENT_TIME" || u == "CURRENT_DATE" || u == "CURRENT_TIMESTAMP") return false;
    }
    if (!c.nullable && null_default) return false;  // NOT NULL needs a non-NULL default
    if (op.foreign_key && !null_default) return false;  // REFERENCES needs a NULL default
    return true;
}

/// The new name in RENAME COLUMN: bare when it may be, since SQLite then rewrites the
/// bare mentions in CHECKs and indexes bare (and the quoted ones quoted), exactly as
/// replay's word replacement does; quoted when it is a keyword or needs quotes.
std::string rename_target(std::string_view name) {
    bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char c : name) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (plain && !sqlite3_keyword_check(name.data(), static_cast<int>(name.size()))) return std::string(name);
    return quote(name);
}

/// Whether SQLite stores the two columns alike (names aside): then no rebuild is needed.
bool same_storage(const Column& a, const Column& b) {
    auto def = [](const Column& c) { return c.server_default ? std::optional(trim(*c.server_default)) : std::nullopt; };
    return type_sql(a.type) == type_sql(b.type) && a.nullable == b.nullable && def(a) == def(b);
}

}  // namespace

std::string quote(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
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
    case TypeKind::blob: return "BLOB";
    case TypeKind::json:
    case TypeKind::jsonb: return "JSON";
    case TypeKind::uuid: return "UUID";
    case TypeKind::custom: return type.name;
    // SQLite has no enum types: the column holds the value's text (values are not
    // checked; PostgreSQL checks them). docs/sqlite.md.
    case TypeKind::enumeration: return "TEXT";
    case TypeKind::array:
        throw Error(ErrorKind::migration, "SQLite has no array types (" + to_string(type) + ")",
                    "keep arrays to PostgreSQL: put this change in sql(...).only(\"postgresql\") with its "
                    "schema_effect, or store the values in a table of their own (or as JSON text)");
    }
    return type.name;
}

std::string default_sql(std::string_view expression) {
    std::string e = trim(expression);
    return is_literal(e) ? e : "(" + e + ")";
}

std::string column_sql(const Column& column, bool not_null) {
    std::string out = quote(column.name);
    std::string type = type_sql(column.type);
    if (!type.empty()) out += " " + type;
    if (not_null) out += " NOT NULL";
    if (column.server_default) out += " DEFAULT " + default_sql(*column.server_default);
    return out;
}

std::string create_table_sql(const Table& table, std::string_view as_name) {
    std::vector<std::string> items;
    const PrimaryKey* pk = table.primary_key ? &*table.primary_key : nullptr;
    bool inline_pk = false;
    for (const auto& c : table.columns) {
        bool in_pk = pk && in(pk->columns, c.name);
        std::string def = column_sql(c, !c.nullable || in_pk);
        if (c.autoincrement) {
            if (!pk || pk->columns.size() != 1 || !in_pk || upper(type_sql(c.type)) != "INTEGER")
                throw Error(ErrorKind::migration,
                            "column \"" + table.name + "." + c.name +
                                "\" has AUTOINCREMENT, which SQLite allows only on the table's one INTEGER "
                                "primary-key column",
                            "make it the only primary-key column with type integer(), or drop autoincrement()");
            // SQLite accepts AUTOINCREMENT only in the column-level form; the name stays on it.
            def += " " + constraint_prefix(pk->name) + "PRIMARY KEY AUTOINCREMENT";
            inline_pk = true;
        }
        items.push_back(std::move(def));
    }
    if (pk && !inline_pk) items.push_back(constraint_prefix(pk->name) + "PRIMARY KEY (" + name_list(pk->columns) + ")");
    for (const auto& fk : table.foreign_keys)
        items.push_back(constraint_prefix(fk.name) + "FOREIGN KEY (" + name_list(fk.columns) + ") " +
                        references_sql(fk));
    for (const auto& u : table.uniques)
        items.push_back(constraint_prefix(u.name) + "UNIQUE (" + name_list(u.columns) + ")");
    for (const auto& c : table.checks) items.push_back(constraint_prefix(c.name) + "CHECK (" + trim(c.expression) + ")");

    std::string out = "CREATE TABLE " + quote(as_name.empty() ? std::string_view(table.name) : as_name) + " (";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\n    " : "\n    ") + items[i];
    return out + "\n)";
}

std::string create_index_sql(std::string_view table, const Index& index) {
    std::string parts;
    for (const auto& p : index.parts) {
        if (!parts.empty()) parts += ", ";
        parts += p.expression ? trim(p.text) : quote(p.text);
    }
    std::string out = std::string(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + quote(index.name) +
                      " ON " + quote(table) + " (" + parts + ")";
    if (index.where) out += " WHERE " + trim(*index.where);
    return out;
}

std::string rebuild_table_name(std::string_view table) { return "_retort_new_" + std::string(table); }

namespace {

/// Ops that rebuild a table unless the schema shows SQLite can do them natively.
struct RebuildCandidate {
    bool operator()(const CreateTable&) const { return false; }
    bool operator()(const DropTable&) const { return false; }
    bool operator()(const RenameTable&) const { return false; }
    bool operator()(const SetTableComment&) const { return false; }
    bool operator()(const AddColumn& o) const { return !native_add(o); }
    bool operator()(const DropColumn&) const { return true; }  // native unless something goes with it
    bool operator()(const AlterColumn& o) const {
        return (o.fields & (field_type | field_nullable | field_default)) != 0;
    }
    bool operator()(const CreateIndex&) const { return false; }
    bool operator()(const DropIndex&) const { return false; }
    bool operator()(const AddConstraint&) const { return true; }
    bool operator()(const DropConstraint&) const { return true; }
    bool operator()(const ExecuteSql&) const { return false; }
    bool operator()(const RunData&) const { return false; }
    bool operator()(const CreateEnum&) const { return false; }
    bool operator()(const DropEnum&) const { return false; }
    bool operator()(const AlterEnum&) const { return false; }
};

bool drop_takes_more(const DropColumn& o) {
    return o.inline_foreign_key || !o.indexes.empty() || !o.constraints.empty();
}

}  // namespace

bool rebuild_candidate(const Op& op) { return std::visit(RebuildCandidate{}, op.variant()); }

bool may_rebuild(const Op& op) {
    if (const auto* drop = std::get_if<DropColumn>(&op.variant()))
        return !drop->column || drop_takes_more(*drop);  // unresolved: assume the worst
    return std::visit(RebuildCandidate{}, op.variant());
}

std::optional<Rebuild> plan_rebuild(const Op& op, const Schema& schema) {
    if (!rebuild_candidate(op)) return std::nullopt;
    std::string table(op_table(op));
    Schema after = schema;
    Op copy = op;
    apply(copy, after);  // throws, naming the op, when the schema does not fit it

    if (const auto* drop = std::get_if<DropColumn>(&copy.variant())) {
        if (!drop_takes_more(*drop)) return std::nullopt;
    } else if (const auto* alter = std::get_if<AlterColumn>(&copy.variant())) {
        if (same_storage(*alter->from, *alter->to)) return std::nullopt;
        if (alter->to->name != alter->from->name) {
            // Rename natively first, then rebuild the renamed table.
            Op rename = AlterColumn{alter->table, alter->from->name, field_name, *alter->to, std::nullopt, std::nullopt};
            Schema renamed = schema;
            apply(rename, renamed);
            Rebuild plan{{{alter->from->name, alter->to->name}}, *renamed.find_table(table), *after.find_table(table), {}};
            return plan;
        }
    }
    return Rebuild{{}, *schema.find_table(table), *after.find_table(table), {}};
}

std::vector<std::string> rename_sql(const Rebuild& plan) {
    std::vector<std::string> out;
    for (const auto& [from, to] : plan.renames)
        out.push_back("ALTER TABLE " + quote(plan.from.name) + " RENAME COLUMN " + quote(from) + " TO " +
                      rename_target(to));
    return out;
}

std::vector<std::string> rebuild_sql(const Rebuild& plan) {
    const std::string& name = plan.from.name;
    const std::string tmp = rebuild_table_name(name);
    std::vector<std::string> out;
    out.push_back(create_table_sql(plan.to, tmp));

    std::string targets;
    std::string sources;
    for (const Column& c : plan.to.columns) {
        const Column* source = plan.from.find_column(c.name);
        if (!source) continue;  // a new column: it takes its default
        bool not_null = !c.nullable || (plan.to.primary_key && in(plan.to.primary_key->columns, c.name));
        std::string value = quote(c.name);
        // Existing NULLs take the default when the column becomes NOT NULL.
        if (not_null && source->nullable && c.server_default)
            value = "coalesce(" + value + ", " + default_sql(*c.server_default) + ")";
        targets += (targets.empty() ? "" : ", ") + quote(c.name);
        sources += (sources.empty() ? "" : ", ") + value;
    }
    if (!targets.empty())
        out.push_back("INSERT INTO " + quote(tmp) + " (" + targets + ") SELECT " + sources + " FROM " + quote(name));

    bool autoincrement = std::any_of(plan.to.columns.begin(), plan.to.columns.end(),
                                     [](const Column& c) { return c.autoincrement; });
    if (autoincrement) {
        // Keep AUTOINCREMENT's high-water mark: ids of deleted rows are never reused.
        out.push_back("DELETE FROM sqlite_sequence WHERE name = " + literal(tmp));
        out.push_back("INSERT INTO sqlite_sequence (name, seq) SELECT " + literal(tmp) +
                      ", seq FROM sqlite_sequence WHERE name = " + literal(name));
    }
    out.push_back("DROP TABLE " + quote(name));
    out.push_back("PRAGMA legacy_alter_table = ON");
    out.push_back("ALTER TABLE " + quote(tmp) + " RENAME TO " + quote(name));
    out.push_back("PRAGMA legacy_alter_table = OFF");
    for (const Index& idx : plan.to.indexes) {
        const Index* old = plan.from.find_index(idx.name);
        auto stored = plan.index_sql.find(idx.name);
        bool unchanged = old && *old == idx && stored != plan.index_sql.end();
        out.push_back(unchanged ? stored->second : create_index_sql(name, idx));
    }
    return out;
}

namespace {

struct Renderer {
    const Op& self;
    const Schema& before;

    using Out = std::vector<Statement>;

    static Out of(std::vector<std::string> sql) {
        Out out;
        for (auto& s : sql) out.push_back(Statement{std::move(s), false});
        return out;
    }

    std::optional<Out> rebuilt() const {
        auto plan = plan_rebuild(self, before);
        if (!plan) return std::nullopt;
        auto sql = rename_sql(*plan);
        for (auto& s : rebuild_sql(*plan)) sql.push_back(std::move(s));
        return of(std::move(sql));
    }

    Out operator()(const CreateTable& op) const {
        std::vector<std::string> sql{create_table_sql(op.table)};
        for (const auto& idx : op.table.indexes) sql.push_back(create_index_sql(op.table.name, idx));
        return of(std::move(sql));
    }

    Out operator()(const DropTable& op) const { return of({"DROP TABLE " + quote(op.name)}); }

    Out operator()(const RenameTable& op) const {
        return of({"ALTER TABLE " + quote(op.from) + " RENAME TO " + quote(op.to)});
    }

    Out operator()(const SetTableComment&) const { return {}; }  // SQLite stores no comments

    Out operator()(const AddColumn& op) const {
        if (auto r = rebuilt()) return *r;
        std::string sql = "ALTER TABLE " + quote(op.table) + " ADD COLUMN " + column_sql(op.column, !op.column.nullable);
        if (op.foreign_key) sql += " " + constraint_prefix(op.foreign_key->name) + references_sql(*op.foreign_key);
        return of({std::move(sql)});
    }

    Out operator()(const DropColumn& op) const {
        if (auto r = rebuilt()) return *r;
        return of({"ALTER TABLE " + quote(op.table) + " DROP COLUMN " + quote(op.name)});
    }

    Out operator()(const AlterColumn& op) const {
        if (auto r = rebuilt()) return *r;
        // No storage change: a rename, or comment / identity changes SQLite does not store.
        if ((op.fields & field_name) && op.patch.name != op.column)
            return of({"ALTER TABLE " + quote(op.table) + " RENAME COLUMN " + quote(op.column) + " TO " +
                       rename_target(op.patch.name)});
        return {};
    }

    Out operator()(const CreateIndex& op) const { return of({create_index_sql(op.table, op.index)}); }

    Out operator()(const DropIndex& op) const { return of({"DROP INDEX " + quote(op.name)}); }

    Out operator()(const AddConstraint&) const { return *rebuilt(); }

    Out operator()(const DropConstraint&) const { return *rebuilt(); }

    Out operator()(const ExecuteSql& op) const {
        if (!op.only_dialect.empty() && op.only_dialect != "sqlite") return {};
        return {Statement{op.up, op.outside_transaction}};
    }

    Out operator()(const RunData&) const { return {}; }  // the runtime calls the function

    // SQLite has no enum types: their columns are TEXT, so the types need no SQL.
    Out operator()(const CreateEnum&) const { return {}; }
    Out operator()(const DropEnum&) const { return {}; }
    Out operator()(const AlterEnum&) const { return {}; }
};

}  // namespace

std::vector<Statement> render_op(const Op& op, const Schema& before) {
    try {
        return std::visit(Renderer{op, before}, op.variant());
    } catch (Error& e) {
        if (e.op().empty()) e.with_op(describe(op));
        throw;
    }
}

}  // namespace retort::sqlite::detail
