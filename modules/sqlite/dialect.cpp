// The SQLite dialect. Rendering lives in ddl.cpp, reflection in reflect.cpp, the
// session in connection.cpp; this file ties them to the Dialect interface and holds
// what needs a live database: rebuilds that keep triggers and hand-made columns,
// and the foreign-key guard around a migration.
#include "dialect.hpp"

#include "connection.hpp"
#include "ddl.hpp"
#include "reflect.hpp"

#include <retort/error.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <map>

namespace retort::sqlite {

namespace detail {

namespace {

std::string first_value(DbSession& session, const std::string& sql) {
    auto rows = session.query(sql);
    if (rows.empty() || rows[0].empty() || !rows[0][0]) return {};
    return *rows[0][0];
}

bool foreign_keys_on(DbSession& session) { return first_value(session, "PRAGMA foreign_keys") == "1"; }

/// Runs statements of `op`, naming the op in errors.
void run_all(DbSession& session, const Op& op, const std::vector<std::string>& statements) {
    for (const auto& sql : statements) {
        try {
            session.exec(sql);
        } catch (Error& e) {
            if (e.sql().empty()) e.with_sql(sql);
            if (e.op().empty()) e.with_op(describe(op));
            throw;
        }
    }
}

/// Foreign keys turned off for one migration; see SqliteDialect::prepare().
class ForeignKeysOff final : public MigrationGuard {
public:
    explicit ForeignKeysOff(DbSession& session) : m_session(session) {}

    ~ForeignKeysOff() override {
        // Runs after the transaction ended, possibly while an error unwinds: a failure
        // here must not replace that error, and every new session turns them on again.
        try {
            m_session.exec("PRAGMA foreign_keys = ON");
        } catch (...) {
        }
    }

    void check(DbSession& session) override {
        auto rows = session.query("PRAGMA foreign_key_check");
        if (rows.empty()) return;
        auto text = [](const Row& r, std::size_t i) { return i < r.size() && r[i] ? *r[i] : std::string("NULL"); };
        std::string details;
        const std::size_t shown = std::min<std::size_t>(rows.size(), 5);
        for (std::size_t i = 0; i < shown; ++i) {
            const Row& r = rows[i];
            std::string columns;
            for (const auto& c : session.query("SELECT \"from\" FROM pragma_foreign_key_list(" + literal(text(r, 0)) +
                                               ") WHERE id = " + text(r, 3) + " ORDER BY seq"))
                columns += (columns.empty() ? "" : ", ") + (c.empty() || !c[0] ? std::string() : *c[0]);
            details += "\n    table \"" + text(r, 0) + "\" rowid " + text(r, 1) + ": its " + columns +
                       " matches no row of \"" + text(r, 2) + "\"";
        }
        if (rows.size() > shown) details += "\n    ... and " + std::to_string(rows.size() - shown) + " more";
        throw Error(ErrorKind::migration,
                    "the migration leaves " + std::to_string(rows.size()) +
                        " row(s) violating foreign keys (checked with PRAGMA foreign_key_check):" + details,
                    "nothing was committed; fix those rows (or the migration) so every foreign key points at an "
                    "existing row");
    }

private:
    DbSession& m_session;
};

/// Columns the op leaves untouched keep their declared spelling ("DATETIME" stays
/// DATETIME, not the TIMESTAMP reflection maps it to).
void keep_declared_types(DbSession& session, Rebuild& plan) {
    std::map<std::string, std::string, std::less<>> declared;
    for (const auto& row : session.query("SELECT name, type FROM pragma_table_xinfo(" + literal(plan.from.name) + ")"))
        if (row.size() == 2 && row[0] && row[1]) declared[*row[0]] = *row[1];
    for (Column& c : plan.to.columns) {
        const Column* source = plan.from.find_column(c.name);
        auto d = declared.find(c.name);
        if (!source || d == declared.end() || source->type != c.type) continue;
        Type spelled;
        spelled.kind = TypeKind::custom;
        spelled.name = d->second;
        c.type = std::move(spelled);
    }
}

}  // namespace

const Capabilities& SqliteDialect::capabilities() const {
    static const Capabilities caps{
        .transactional_ddl = true,
        .table_comments = false,
        .native_alter_column = false,
        .native_constraints = false,
        .outside_transaction = true,  // VACUUM, PRAGMA journal_mode
    };
    return caps;
}

std::unique_ptr<DbSession> SqliteDialect::connect(const Url& url, OpenMode mode) const {
    return open_session(*this, url, mode);
}

std::vector<Statement> SqliteDialect::render(const Op& op, const Schema& before) const { return render_op(op, before); }

void SqliteDialect::execute(DbSession& session, const Op& op, const Schema& before) const {
    if (!rebuild_candidate(op)) {
        Dialect::execute(session, op, before);
        return;
    }
    // Decide on the live table, not the replay: it is what gets rebuilt. Dropping a
    // column needs only its table and the tables that reference it (most drops are
    // native, and reflecting a large schema for each would dominate a downgrade);
    // other changes are checked against every table.
    ReflectOptions scope;
    if (std::holds_alternative<DropColumn>(op.variant())) scope.tables.emplace_back(op_table(op));
    Schema live = reflect_schema(session, scope);
    std::optional<Rebuild> plan;
    try {
        plan = plan_rebuild(op, live);
    } catch (Error& e) {
        if (e.hint().empty())
            e.with_hint("the database differs from the schema the migrations describe; compare them with "
                        "`retort check`, or reflect the database");
        throw;
    }
    if (!plan) {
        std::vector<std::string> sql;
        for (auto& st : render_op(op, live)) sql.push_back(std::move(st.sql));
        run_all(session, op, sql);
        return;
    }

    const std::string table = plan->from.name;
    ParsedTable parsed = parse_create_table(table_sql(session, table));
    if (!parsed.unmodelled.empty()) {
        std::string features;
        for (const auto& f : parsed.unmodelled) features += (features.empty() ? "" : ", ") + f;
        throw Error(ErrorKind::migration,
                    "cannot rebuild table \"" + table + "\": it uses " + features +
                        ", which Retort's schema model does not represent, so the rebuild would drop it",
                    "write this change as raw SQL following https://www.sqlite.org/lang_altertable.html#otheralter "
                    "and declare it with sql(...).schema_effect(...)")
            .with_op(describe(op));
    }
    if (foreign_keys_on(session)) {
        std::vector<std::string> children;
        for (const Table* t : live.referencing(table)) children.push_back("\"" + t->name + "\"");
        for (const auto& fk : plan->from.foreign_keys)
            if (fk.ref_table == table) children.push_back("\"" + table + "\" itself");
        if (!children.empty()) {
            std::string list;
            for (const auto& c : children) list += (list.empty() ? "" : ", ") + c;
            throw Error(ErrorKind::migration,
                        "refusing to rebuild table \"" + table + "\" while foreign keys are on: dropping the old "
                        "table would delete or reject the rows of " + list + " that reference it",
                        "call Dialect::prepare() before BEGIN; it turns foreign keys off for the migration and "
                        "checks them before COMMIT")
                .with_op(describe(op));
        }
    }
    run_all(session, op, rename_sql(*plan));  // before reading what refers to the new names
    keep_declared_types(session, *plan);
    for (const auto& row : session.query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = " +
                                         literal(table) + " AND sql IS NOT NULL"))
        plan->index_sql[*row[0]] = *row[1];
    std::vector<std::string> triggers;
    for (const auto& row : session.query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = " +
                                         literal(table) + " AND sql IS NOT NULL ORDER BY name"))
        triggers.push_back(*row[0]);
    run_all(session, op, rebuild_sql(*plan));
    run_all(session, op, triggers);  // DROP TABLE dropped them with the old table
}

std::optional<std::string> SqliteDialect::rebuilt_table(const Op& op, const Schema& before) const {
    if (!rebuild_candidate(op)) return std::nullopt;
    auto plan = plan_rebuild(op, before);
    if (!plan) return std::nullopt;
    return plan->from.name;
}

namespace {

/// Whether `op` may drop and recreate a table: a rebuild of ours, or schema SQL that
/// may hold a hand-written one (SQLite's procedure needs foreign keys off too).
bool may_recreate_tables(const Op& op) {
    if (may_rebuild(op)) return true;
    const auto* sql = std::get_if<ExecuteSql>(&op.variant());
    if (!sql || sql->effect == SqlEffect::data) return false;
    if (!sql->only_dialect.empty() && sql->only_dialect != "sqlite") return false;
    if (sql->effect == SqlEffect::opaque) return true;
    return std::any_of(sql->equivalent.begin(), sql->equivalent.end(), [](const Op& inner) {
        return may_recreate_tables(inner) || std::holds_alternative<DropTable>(inner.variant());
    });
}

}  // namespace

std::unique_ptr<MigrationGuard> SqliteDialect::prepare(DbSession& session, std::span<const Op> ops) const {
    bool rebuilds = std::any_of(ops.begin(), ops.end(), may_recreate_tables);
    // Inside a transaction the pragma is a no-op; execute() then refuses a rebuild
    // that foreign keys would turn into cascading deletes.
    if (!rebuilds || session.in_transaction() || !foreign_keys_on(session)) return std::make_unique<MigrationGuard>();
    session.exec("PRAGMA foreign_keys = OFF");
    return std::make_unique<ForeignKeysOff>(session);
}

ScriptGuard SqliteDialect::script_guard(std::span<const Op> ops) const {
    // The script's reader may run it with foreign keys on (every Retort session
    // does): a rebuild's DROP TABLE would then delete the children's rows (ON DELETE
    // CASCADE) or fail. Same rule, same statements as prepare() and ForeignKeysOff.
    if (!std::any_of(ops.begin(), ops.end(), may_recreate_tables)) return {};
    return {{"PRAGMA foreign_keys = OFF"}, {"PRAGMA foreign_key_check"}, {"PRAGMA foreign_keys = ON"}};
}

bool SqliteDialect::defaults_equal(const std::optional<std::string>& current, const std::optional<std::string>& target,
                                   const Column& column) const {
    if (column.type.kind != TypeKind::boolean || !current || !target) return false;
    auto value = [](const std::string& text) -> std::optional<char> {
        std::string t = trim(text);
        if (t == "1" || same_name(t, "TRUE")) return '1';
        if (t == "0" || same_name(t, "FALSE")) return '0';
        return std::nullopt;
    };
    auto a = value(*current);
    return a && a == value(*target);
}

Schema SqliteDialect::reflect(DbSession& session, const ReflectOptions& options) const {
    return reflect_schema(session, options);
}

namespace {

bool is_rowid_alias(const Table& t) {
    if (!t.primary_key || t.primary_key->columns.size() != 1) return false;
    const Column* c = t.find_column(t.primary_key->columns.front());
    if (!c) return false;
    std::string type = type_sql(c->type);
    return same_name(trim(type), "INTEGER");
}

bool same_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const std::string& x, const std::string& y) { return same_name(x, y); });
}

}  // namespace

Schema SqliteDialect::normalize(const Schema& schema) const { return normalize_consuming(Schema(schema)); }

Schema SqliteDialect::normalize_consuming(Schema&& schema) const {
    // Table by table in place: the names do not change.
    Schema out;
    out.tables = std::move(schema.tables);
    // A schema uses a few types many times: each is spelled and parsed once.
    std::map<Type, Type> spelled;
    for (auto& [name, t] : out.tables) {
        t.comment.reset();
        for (Column& c : t.columns) {
            c.comment.reset();
            c.identity = Identity::none;
            // Enum columns are TEXT here; arrays have no SQLite spelling.
            if (c.type.kind == TypeKind::array)
                throw Error(ErrorKind::migration,
                            "column \"" + name + "." + c.name + "\" is an array (" + to_string(c.type) +
                                "), and SQLite has no array types",
                            "keep arrays to PostgreSQL (a models target per dialect), or store the values in a "
                            "table of their own or as JSON text");
            auto it = spelled.find(c.type);
            if (it == spelled.end()) it = spelled.emplace(c.type, parse_type(type_sql(c.type))).first;
            c.type = it->second;
            // Reflection reports a default as written, without the parentheses
            // render() puts around expressions.
            if (c.server_default) c.server_default = trim(*c.server_default);
            if (t.primary_key && std::find(t.primary_key->columns.begin(), t.primary_key->columns.end(), c.name) !=
                                     t.primary_key->columns.end())
                c.nullable = false;
        }
        for (auto& check : t.checks) check.expression = trim(check.expression);
        for (auto& idx : t.indexes) {
            for (auto& part : idx.parts) {
                if (!part.expression) continue;
                part.text = trim(part.text);
                // A bare column written as an expression is a plain column to SQLite.
                auto tokens = tokenize(part.text);
                if (tokens.size() == 1 && (tokens[0].kind == TokenKind::word || tokens[0].kind == TokenKind::quoted))
                    for (const auto& c : t.columns)
                        if (same_name(c.name, tokens[0].name())) part = IndexPart{c.name, false};
            }
            if (idx.where) idx.where = trim(*idx.where);
        }
        // SQLite keeps one index per distinct key: a UNIQUE on the primary key of a
        // table that has a key index, or a second UNIQUE on the same columns, vanishes.
        std::vector<UniqueConstraint> uniques;
        for (auto& u : t.uniques) {
            bool on_key = t.primary_key && !is_rowid_alias(t) && same_names(u.columns, t.primary_key->columns);
            bool repeated = std::any_of(uniques.begin(), uniques.end(),
                                        [&](const UniqueConstraint& k) { return same_names(k.columns, u.columns); });
            if (!on_key && !repeated) uniques.push_back(std::move(u));
        }
        t.uniques = std::move(uniques);
        canonical_order(t);
    }
    // No enum types: their columns hold text (above).
    return out;
}

bool SqliteDialect::table_exists(DbSession& session, std::string_view table) const {
    // The exact name, as Schema::find_table on the reflected schema would match it.
    return !session.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = " + quote_literal(table))
                .empty();
}

std::vector<UnmodeledObject> SqliteDialect::unmodeled_objects(DbSession& session) const {
    std::vector<UnmodeledObject> out;
    for (const auto& row : session.query(
             "SELECT CASE WHEN type = 'table' THEN 'virtual table' ELSE type END AS kind, name, "
             "CASE WHEN type = 'trigger' THEN tbl_name ELSE '' END FROM sqlite_master "
             "WHERE type IN ('view', 'trigger') OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL%') "
             "ORDER BY kind, name")) {
        auto text = [&](std::size_t i) { return i < row.size() && row[i] ? *row[i] : std::string(); };
        out.push_back(UnmodeledObject{text(0), text(1), text(2)});
    }
    return out;
}

Schema SqliteDialect::schema_from_ddl(std::string_view sql) const {
    auto session = connect(Url::parse("sqlite:///:memory:"), OpenMode::create);
    try {
        session->exec(std::string(sql));
    } catch (const Error& e) {
        throw Error(ErrorKind::config, std::string("the models SQL does not run on SQLite: ") + e.what(),
                    "fix the statement; the file is run as it is in an empty in-memory SQLite database");
    }
    return reflect_schema(*session, {});
}

std::string SqliteDialect::type_sql(const Type& type) const { return detail::type_sql(type); }

}  // namespace detail

std::shared_ptr<const Dialect> dialect() {
    static const std::shared_ptr<const Dialect> instance = std::make_shared<const detail::SqliteDialect>();
    return instance;
}

void register_dialect() { retort::register_dialect(dialect()); }

bool disable_memory_statistics() { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }

}  // namespace retort::sqlite
