// The PostgreSQL dialect. Rendering lives in ddl.cpp, reflection in reflect.cpp,
// normalization in normalize.cpp (expressions in expression.cpp), the session in
// connection.cpp; this file ties them to the Dialect interface and holds the
// advisory lock and the autocommit block.
#include "dialect.hpp"

#include "connection.hpp"
#include "ddl.hpp"
#include "expression.hpp"
#include "normalize.hpp"
#include "reflect.hpp"

#include <retort/autogen/pg_ddl.hpp>
#include <retort/error.hpp>
#include <retort/postgres/postgres.hpp>

#include <algorithm>
#include <cstring>

namespace retort::postgres {

namespace detail {

namespace {

/// A session-level advisory lock, released when the run ends.
class AdvisoryLock final : public RunLock {
public:
    AdvisoryLock(DbSession& session, std::int64_t key) : m_session(session), m_key(key) {}

    ~AdvisoryLock() override {
        // Runs while the run's result (or its error) propagates; if the connection is
        // gone the server has released the lock with the session, so a failure here
        // has nothing to add.
        try {
            m_session.query("SELECT pg_advisory_unlock(" + std::to_string(m_key) + ")");
        } catch (...) {
        }
    }

private:
    DbSession& m_session;
    std::int64_t m_key;
};

}  // namespace

std::int64_t advisory_key(std::string_view version_table) {
    std::uint64_t h = 14695981039346656037ull;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
    };
    mix("retort:");
    mix(version_table);
    std::int64_t key = 0;
    std::memcpy(&key, &h, sizeof key);
    return key;
}

const Capabilities& PostgresDialect::capabilities() const {
    static const Capabilities caps{
        .transactional_ddl = true,
        .table_comments = true,
        .native_alter_column = true,
        .native_constraints = true,
        .outside_transaction = true,  // CREATE INDEX CONCURRENTLY, VACUUM, ALTER TYPE ... ADD VALUE (before 12)
        .concurrent_index = true,     // lint RT201: a plain CREATE INDEX on an existing table blocks its writes
    };
    return caps;
}

// A missing database is an error whatever the mode ("create it with createdb"):
// Retort never creates a PostgreSQL database.
std::unique_ptr<DbSession> PostgresDialect::connect(const Url& url, OpenMode) const { return open_session(*this, url); }

std::unique_ptr<DbSession> PostgresDialect::connect_stoppable(const Url& url, OpenMode, std::stop_token stop) const {
    return open_session(*this, url, std::move(stop));
}

std::vector<Statement> PostgresDialect::render(const Op& op, const Schema& before) const {
    return render_op(op, before);
}

namespace {

/// The INVALID index a failed CREATE INDEX CONCURRENTLY leaves behind, if `op`
/// builds one and it is there: its name as SQL, schema-qualified when needed.
std::optional<std::string> invalid_index(DbSession& session, const Op& op) {
    const auto* create = std::get_if<CreateIndex>(&op.variant());
    if (!create || !create->concurrently) return std::nullopt;
    std::string_view bare = unqualified(create->table);
    std::string schema = bare.size() == create->table.size()
                             ? std::string("current_schema()")
                             : literal(create->table.substr(0, create->table.size() - bare.size() - 1));
    auto rows = session.query(
        "SELECT n.nspname = current_schema(), n.nspname FROM pg_catalog.pg_index i "
        "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT i.indisvalid AND c.relname = " + literal(create->index.name) + " AND n.nspname = " + schema);
    if (rows.empty()) return std::nullopt;
    const bool current = rows[0].at(0).value_or("") == "t";
    return current ? quote(create->index.name) : quote(rows[0].at(1).value_or("")) + "." + quote(create->index.name);
}

[[noreturn]] void report_invalid_index(Error& e, const std::string& index, bool left_by_this_run) {
    std::string message = left_by_this_run
                              ? "CREATE INDEX CONCURRENTLY failed and left the INVALID index " + index +
                                    " behind: " + e.what()
                              : "the index " + index + " exists but is INVALID: an earlier CREATE INDEX CONCURRENTLY "
                                                       "of it failed";
    Error out(ErrorKind::migration, message,
              "drop it with DROP INDEX CONCURRENTLY " + index + "; then run the upgrade again" +
                  (left_by_this_run ? " (once the cause above is fixed)" : ""));
    out.with_op(e.op()).with_sql(e.sql()).with_sqlstate(e.sqlstate());
    throw out;
}

}  // namespace

void PostgresDialect::execute(DbSession& session, const Op& op, const Schema& before) const {
    if (auto index = invalid_index(session, op)) {
        Error e(ErrorKind::migration, "");
        e.with_op(describe(op));
        report_invalid_index(e, *index, false);
    }
    for (const auto& st : render_op(op, before)) {
        try {
            if (st.outside_transaction && session.in_transaction()) {
                // The autocommit block: what ran before in this migration is committed
                // here, so such a statement is best alone in a migration of its own.
                session.commit();
                try {
                    session.exec(st.sql);
                } catch (...) {
                    session.begin();  // the runtime still holds (and rolls back) a transaction
                    throw;
                }
                session.begin();
            } else {
                session.exec(st.sql);
            }
        } catch (Error& e) {
            if (e.sql().empty()) e.with_sql(st.sql);
            if (e.op().empty()) e.with_op(describe(op));
            std::optional<std::string> index;
            try {
                index = invalid_index(session, op);
            } catch (const Error&) {
                // The session is gone (the server was stopped, the backend killed): the
                // next run finds the INVALID index, if any, and says what to do.
            }
            if (index) report_invalid_index(e, *index, true);
            throw;
        }
    }
}

namespace {

/// Whether `sql` holds more than one statement (a pipeline takes one per query).
bool several_statements(const std::string& sql) {
    if (sql.find(';') == std::string::npos) return false;
    Tokens tk = tokenize(sql);
    for (std::size_t i = 0; i + 1 < tk.tokens.size(); ++i)
        if (tk.tokens[i].kind == TokenKind::punct && tk.tokens[i].text == ";") return true;
    return false;
}

}  // namespace

void PostgresDialect::execute_all(DbSession& session, std::vector<Op>& ops, Schema& schema) const {
    // The statements go in a pipeline (exec_pipelined): on this machine a round trip
    // per statement was a fifth of a schema load. An op that execute() must run
    // itself goes alone: a concurrent index build (execute() checks for an INVALID
    // one left behind), a statement outside the transaction, several statements in
    // one.
    std::vector<std::string> batch;
    std::vector<std::size_t> op_of;  // batch[i] renders ops[op_of[i]]
    auto send = [&] {
        std::size_t failed = 0;
        try {
            exec_pipelined(session, batch, failed);
        } catch (Error& e) {
            if (failed < op_of.size() && e.op().empty()) e.with_op(describe(ops[op_of[failed]]));
            throw;
        }
        batch.clear();
        op_of.clear();
    };
    for (std::size_t i = 0; i < ops.size(); ++i) {
        Op& op = ops[i];
        resolve(op, schema);
        std::vector<Statement> statements = render_op(op, schema);
        const auto* index = std::get_if<CreateIndex>(&op.variant());
        const bool alone = (index && index->concurrently) ||
                           std::any_of(statements.begin(), statements.end(), [](const Statement& st) {
                               return st.outside_transaction || several_statements(st.sql);
                           });
        if (alone) {
            send();
            execute(session, op, schema);
        } else {
            for (auto& st : statements) {
                batch.push_back(std::move(st.sql));
                op_of.push_back(i);
            }
        }
        apply(op, schema);
    }
    send();
}

std::unique_ptr<RunLock> PostgresDialect::lock(DbSession& session, std::string_view version_table) const {
    const std::int64_t key = advisory_key(version_table);
    try {
        session.query("SELECT pg_advisory_lock(" + std::to_string(key) + ")");
    } catch (Error& e) {
        if (e.sqlstate() != "55P03") throw;  // lock_not_available: lock_timeout expired
        const std::uint64_t bits = static_cast<std::uint64_t>(key);
        throw Error(ErrorKind::database,
                    "another migration run holds the lock on version table \"" + std::string(version_table) +
                        "\" of " + session.describe() + ", and lock_timeout expired while waiting for it",
                    "wait for that run to finish and try again; its session is SELECT pid FROM pg_locks WHERE "
                    "locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database()) AND classid = " + std::to_string(bits >> 32) +
                        " AND objid = " + std::to_string(bits & 0xFFFFFFFFu))
            .with_sqlstate(e.sqlstate());
    }
    return std::make_unique<AdvisoryLock>(session, key);
}

Schema PostgresDialect::reflect(DbSession& session, const ReflectOptions& options) const {
    return reflect_schema(session, options);
}

bool PostgresDialect::table_exists(DbSession& session, std::string_view table) const {
    return detail::table_exists(session, table);
}

Schema PostgresDialect::normalize(const Schema& schema) const { return normalize_schema(Schema(schema)); }

Schema PostgresDialect::normalize_consuming(Schema&& schema) const { return normalize_schema(std::move(schema)); }

std::string PostgresDialect::quote_literal(std::string_view value) const {
    if (value.find('\\') == std::string_view::npos) return literal(value);
    std::string out = "E'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += c;
        out += c;
    }
    return out + "'";
}

std::string PostgresDialect::type_sql(const Type& type) const { return detail::type_sql(type); }

std::string PostgresDialect::quote_table(std::string_view name) const { return qualified(name); }

}  // namespace detail

std::shared_ptr<const Dialect> dialect() {
    static const std::shared_ptr<const Dialect> instance = std::make_shared<const detail::PostgresDialect>();
    return instance;
}

void register_dialect() { retort::register_dialect(dialect()); }

std::function<std::vector<UnmodeledObject>()> detail::PostgresDialect::unmodeled_objects_later(
    DbSession& session) const {
    // What the schema model has no kind for, in the current schema: listed once by
    // `retort check` as "not compared", never counted as drift.
    static const std::string query = R"(
SELECT 'view', c.relname, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')
UNION ALL
SELECT 'trigger', t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND NOT t.tgisinternal
UNION ALL
SELECT 'function', p.proname, '' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = current_schema() AND NOT EXISTS (
   SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'policy', pol.polname, c.relname FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()
UNION ALL
SELECT 'sequence', c.relname, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind = 'S' AND NOT EXISTS (
   SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'invalid index', ic.relname, c.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND NOT i.indisvalid
UNION ALL
SELECT 'domain', t.typname, '' FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = current_schema() AND t.typtype = 'd'
ORDER BY 1, 2)";
    struct Asked {
        std::vector<UnmodeledObject> objects;
        std::optional<PendingRows> rows;
    };
    auto asked = std::make_shared<Asked>();
    auto each = [objects = &asked->objects](const ResultRow& row) {
        objects->push_back({std::string(row.text(0)), std::string(row.text(1)), std::string(row.text(2))});
    };
    asked->rows.emplace(session, std::vector<RowQuery>{{query, each, nullptr}});
    return [asked] {
        asked->rows->finish();
        return std::move(asked->objects);
    };
}

void detail::PostgresDialect::append_rows(DbSession& session, const std::string& table,
                                          const std::vector<std::string>& columns, const std::vector<Row>& rows) const {
    if (rows.empty()) return;
    // One COPY instead of INSERTs: the server parses a multi-row INSERT's literals
    // one by one (about 45 µs a row here, 11 ms per 200 history rows).
    const std::string sql = "COPY " + table + " (" + name_list(columns) + ") FROM STDIN";
    std::string data;
    for (const Row& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c) data += '\t';
            if (!row[c]) {
                data += "\\N";
                continue;
            }
            for (char ch : *row[c]) {
                switch (ch) {
                case '\\': data += "\\\\"; break;
                case '\t': data += "\\t"; break;
                case '\n': data += "\\n"; break;
                case '\r': data += "\\r"; break;
                default: data += ch;
                }
            }
        }
        data += '\n';
    }
    if (!copy_in(session, sql, data)) Dialect::append_rows(session, table, columns, rows);
}

std::vector<UnmodeledObject> detail::PostgresDialect::unmodeled_objects(DbSession& session) const {
    return unmodeled_objects_later(session)();
}

Schema detail::PostgresDialect::schema_from_ddl(std::string_view sql) const { return pg_ddl::read_schema(sql); }

}  // namespace retort::postgres

/// The entry point the CLI looks up after loading this library with dlopen.
extern "C" [[gnu::visibility("default")]] void retort_postgres_register_dialect() {
    retort::postgres::register_dialect();
}
