// The PostgreSQL dialect. Rendering lives in ddl.cpp, reflection in reflect.cpp,
// normalization in normalize.cpp (expressions in expression.cpp), the session in
// connection.cpp; this file ties them to the Dialect interface and holds the
// advisory lock and the autocommit block.
#include "dialect.hpp"

#include "connection.hpp"
#include "ddl.hpp"
#include "normalize.hpp"
#include "reflect.hpp"

#include <retort/autogen/pg_ddl.hpp>
#include <retort/error.hpp>
#include <retort/postgres/postgres.hpp>

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
    };
    return caps;
}

std::unique_ptr<DbSession> PostgresDialect::connect(const Url& url) const { return open_session(*this, url); }

std::vector<Statement> PostgresDialect::render(const Op& op, const Schema& before) const {
    return render_op(op, before);
}

void PostgresDialect::execute(DbSession& session, const Op& op, const Schema& before) const {
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
            throw;
        }
    }
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
                    "locktype = 'advisory' AND granted AND classid = " + std::to_string(bits >> 32) +
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

Schema PostgresDialect::normalize(const Schema& schema) const { return normalize_schema(schema); }

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

}  // namespace detail

std::shared_ptr<const Dialect> dialect() {
    static const std::shared_ptr<const Dialect> instance = std::make_shared<const detail::PostgresDialect>();
    return instance;
}

void register_dialect() { retort::register_dialect(dialect()); }

std::vector<UnmodeledObject> detail::PostgresDialect::unmodeled_objects(DbSession& session) const {
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
SELECT CASE t.typtype WHEN 'e' THEN 'enum' ELSE 'domain' END, t.typname, '' FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd')
ORDER BY 1, 2)";
    std::vector<UnmodeledObject> out;
    for (const auto& row : session.query(query))
        out.push_back({row.at(0).value_or(""), row.at(1).value_or(""), row.at(2).value_or("")});
    return out;
}

Schema detail::PostgresDialect::schema_from_ddl(std::string_view sql) const { return pg_ddl::read_schema(sql); }

}  // namespace retort::postgres
