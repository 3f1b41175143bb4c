// The SQLite session: SQLiteCpp for statements, the raw C API where SQLiteCpp has
// nothing (the authorizer behind data-only mode, the autocommit flag). Every SQLite
// failure leaves this file as a retort::Error carrying the statement and the
// extended result code.
#include "connection.hpp"

#include <retort/connection.hpp>
#include <retort/dialect/rows_impl.hpp>
#include <retort/error.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <type_traits>
#include <utility>

namespace retort::sqlite::detail {

namespace {

const char* code_name(int code) {
    switch (code) {
    case SQLITE_ERROR_MISSING_COLLSEQ: return "SQLITE_ERROR_MISSING_COLLSEQ";
    case SQLITE_ERROR_RETRY: return "SQLITE_ERROR_RETRY";
    case SQLITE_ERROR_SNAPSHOT: return "SQLITE_ERROR_SNAPSHOT";
    case SQLITE_LOCKED_SHAREDCACHE: return "SQLITE_LOCKED_SHAREDCACHE";
    case SQLITE_LOCKED_VTAB: return "SQLITE_LOCKED_VTAB";
    case SQLITE_BUSY_RECOVERY: return "SQLITE_BUSY_RECOVERY";
    case SQLITE_BUSY_SNAPSHOT: return "SQLITE_BUSY_SNAPSHOT";
    case SQLITE_BUSY_TIMEOUT: return "SQLITE_BUSY_TIMEOUT";
    case SQLITE_CANTOPEN_NOTEMPDIR: return "SQLITE_CANTOPEN_NOTEMPDIR";
    case SQLITE_CANTOPEN_ISDIR: return "SQLITE_CANTOPEN_ISDIR";
    case SQLITE_CANTOPEN_FULLPATH: return "SQLITE_CANTOPEN_FULLPATH";
    case SQLITE_CANTOPEN_CONVPATH: return "SQLITE_CANTOPEN_CONVPATH";
    case SQLITE_CANTOPEN_SYMLINK: return "SQLITE_CANTOPEN_SYMLINK";
    case SQLITE_CORRUPT_VTAB: return "SQLITE_CORRUPT_VTAB";
    case SQLITE_CORRUPT_SEQUENCE: return "SQLITE_CORRUPT_SEQUENCE";
    case SQLITE_CORRUPT_INDEX: return "SQLITE_CORRUPT_INDEX";
    case SQLITE_READONLY_RECOVERY: return "SQLITE_READONLY_RECOVERY";
    case SQLITE_READONLY_CANTLOCK: return "SQLITE_READONLY_CANTLOCK";
    case SQLITE_READONLY_ROLLBACK: return "SQLITE_READONLY_ROLLBACK";
    case SQLITE_READONLY_DBMOVED: return "SQLITE_READONLY_DBMOVED";
    case SQLITE_READONLY_CANTINIT: return "SQLITE_READONLY_CANTINIT";
    case SQLITE_READONLY_DIRECTORY: return "SQLITE_READONLY_DIRECTORY";
    case SQLITE_ABORT_ROLLBACK: return "SQLITE_ABORT_ROLLBACK";
    case SQLITE_CONSTRAINT_CHECK: return "SQLITE_CONSTRAINT_CHECK";
    case SQLITE_CONSTRAINT_COMMITHOOK: return "SQLITE_CONSTRAINT_COMMITHOOK";
    case SQLITE_CONSTRAINT_FOREIGNKEY: return "SQLITE_CONSTRAINT_FOREIGNKEY";
    case SQLITE_CONSTRAINT_FUNCTION: return "SQLITE_CONSTRAINT_FUNCTION";
    case SQLITE_CONSTRAINT_NOTNULL: return "SQLITE_CONSTRAINT_NOTNULL";
    case SQLITE_CONSTRAINT_PRIMARYKEY: return "SQLITE_CONSTRAINT_PRIMARYKEY";
    case SQLITE_CONSTRAINT_TRIGGER: return "SQLITE_CONSTRAINT_TRIGGER";
    case SQLITE_CONSTRAINT_UNIQUE: return "SQLITE_CONSTRAINT_UNIQUE";
    case SQLITE_CONSTRAINT_VTAB: return "SQLITE_CONSTRAINT_VTAB";
    case SQLITE_CONSTRAINT_ROWID: return "SQLITE_CONSTRAINT_ROWID";
    case SQLITE_CONSTRAINT_PINNED: return "SQLITE_CONSTRAINT_PINNED";
    case SQLITE_CONSTRAINT_DATATYPE: return "SQLITE_CONSTRAINT_DATATYPE";
    default: break;
    }
    switch (code & 0xff) {
    case SQLITE_ERROR: return "SQLITE_ERROR";
    case SQLITE_INTERNAL: return "SQLITE_INTERNAL";
    case SQLITE_PERM: return "SQLITE_PERM";
    case SQLITE_ABORT: return "SQLITE_ABORT";
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_INTERRUPT: return "SQLITE_INTERRUPT";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_NOTFOUND: return "SQLITE_NOTFOUND";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_PROTOCOL: return "SQLITE_PROTOCOL";
    case SQLITE_SCHEMA: return "SQLITE_SCHEMA";
    case SQLITE_TOOBIG: return "SQLITE_TOOBIG";
    case SQLITE_CONSTRAINT: return "SQLITE_CONSTRAINT";
    case SQLITE_MISMATCH: return "SQLITE_MISMATCH";
    case SQLITE_MISUSE: return "SQLITE_MISUSE";
    case SQLITE_AUTH: return "SQLITE_AUTH";
    case SQLITE_RANGE: return "SQLITE_RANGE";
    case SQLITE_NOTADB: return "SQLITE_NOTADB";
    default: return "SQLITE";
    }
}

/// "SQLITE_CONSTRAINT_FOREIGNKEY (787)"; empty when SQLiteCpp raised it without a code.
std::string sqlstate_of(const SQLite::Exception& e) {
    int code = e.getExtendedErrorCode() > 0 ? e.getExtendedErrorCode() : e.getErrorCode();
    if (code <= 0) return {};
    return std::string(code_name(code)) + " (" + std::to_string(code) + ")";
}

[[noreturn]] void raise(const SQLite::Exception& e, const std::string& sql) {
    std::string hint;
    int primary = e.getErrorCode() & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        hint = "another connection held the database lock for longer than the 30 s busy timeout; "
               "retry when it is done";
    else if (primary == SQLITE_READONLY)
        hint = "check that the database file and its directory are writable";
    Error err(ErrorKind::database, std::string("SQLite: ") + e.what(), hint);
    err.with_sql(sql).with_sqlstate(sqlstate_of(e));
    throw err;
}

const std::string data_only_message =
    "data-only SQL tried to change the schema; declare it with sql(...).schema_effect(...) or .opaque()";

class StatementRows final : public retort::detail::RowsImpl {
public:
    StatementRows(SQLite::Statement statement, std::string sql) : m_stmt(std::move(statement)), m_sql(std::move(sql)) {}

    bool next() override {
        return guarded([&] { return m_stmt.executeStep(); });
    }
    int columns() const override { return m_stmt.getColumnCount(); }
    bool is_null(int column) const override {
        return guarded([&] { return m_stmt.isColumnNull(column); });
    }
    long long integer(int column) const override {
        return guarded([&] { return static_cast<long long>(m_stmt.getColumn(column).getInt64()); });
    }
    double real(int column) const override {
        return guarded([&] { return m_stmt.getColumn(column).getDouble(); });
    }
    const char* text(int column) const override {
        return guarded([&] { return m_stmt.getColumn(column).getText(""); });
    }

private:
    template <class F>
    std::invoke_result_t<F> guarded(F f) const {
        try {
            return f();
        } catch (const SQLite::Exception& e) {
            raise(e, m_sql);
        }
    }

    SQLite::Statement m_stmt;
    std::string m_sql;
};

class Session;

/// What data steps see: the session's database, with `?` parameters.
class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(Session& session) : m_session(session) {}
    void exec(const char* sql, Params params) override;
    retort::Rows query(const char* sql, Params params) override;
    long long changes() const override { return m_changes; }
    const char* dialect() const override { return "sqlite"; }

private:
    SQLite::Statement prepare(const std::string& sql, Params params);

    Session& m_session;
    long long m_changes = 0;
};

/// Whether `path` names an in-memory or temporary database rather than a file
/// (":memory:", or "" for a private temporary one): nothing to find on disk.
bool names_no_file(const std::string& path) { return path.empty() || path == ":memory:"; }

SQLite::Database open_database(const std::string& path, OpenMode mode) {
    // A read verb must not leave an empty file behind a mistyped URL: say which file
    // is missing instead. SQLite itself is told not to create it either (no
    // OPEN_CREATE), should the file vanish between this check and the open.
    if (mode == OpenMode::existing && !names_no_file(path)) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            std::string shown = path;
            if (std::filesystem::path(path).is_relative()) {
                auto full = std::filesystem::absolute(path, ec);
                if (!ec) shown += " (" + full.lexically_normal().string() + ")";
            }
            throw Error(ErrorKind::database, "SQLite database file " + shown + " does not exist",
                        "check the URL (sqlite:///relative/path, sqlite:////absolute/path), or run `retort upgrade` "
                        "to create the database");
        }
    }
    const int flags = SQLite::OPEN_READWRITE | (mode == OpenMode::create ? SQLite::OPEN_CREATE : 0);
    try {
        SQLite::Database db(path, flags, 30000);
        // SQLite falls back to read-only when the file is write-protected: refuse that here.
        if (sqlite3_db_readonly(db.getHandle(), "main") == 1)
            throw Error(ErrorKind::database, "cannot open SQLite database " + path + ": the file is read-only",
                        "check that the directory exists and is writable");
        // Read the header now, so a file that is not a database fails here, with its path.
        db.exec("SELECT count(*) FROM sqlite_master");
        return db;
    } catch (const SQLite::Exception& e) {
        Error err(ErrorKind::database, "cannot open SQLite database " + path + ": " + e.what(),
                  "check that the directory exists and is writable");
        err.with_sqlstate(sqlstate_of(e));
        throw err;
    }
}

class Session final : public DbSession {
public:
    Session(const Dialect& dialect, const Url& url, OpenMode mode)
        : m_dialect(dialect), m_url(url), m_db(open_database(url.database, mode)), m_connection(*this) {
        exec("PRAGMA foreign_keys = ON");
    }

    ~Session() override {
        sqlite3_set_authorizer(m_db.getHandle(), nullptr, nullptr);
        rollback();
    }

    const Dialect& dialect() const override { return m_dialect; }
    std::string describe() const override { return m_url.masked(); }

    void exec(const std::string& sql) override {
        run(sql, [&] { m_db.exec(sql); });
    }

    std::vector<Row> query(const std::string& sql) override {
        std::vector<Row> rows;
        run(sql, [&] {
            SQLite::Statement stmt(m_db, sql);
            const int n = stmt.getColumnCount();
            while (stmt.executeStep()) {
                Row row;
                row.reserve(static_cast<std::size_t>(n));
                for (int i = 0; i < n; ++i) {
                    if (stmt.isColumnNull(i))
                        row.emplace_back(std::nullopt);
                    else
                        row.emplace_back(stmt.getColumn(i).getString());
                }
                rows.push_back(std::move(row));
            }
        });
        return rows;
    }

    void begin() override { exec("BEGIN IMMEDIATE"); }
    void commit() override { exec("COMMIT"); }

    void rollback() noexcept override {
        if (!in_transaction()) return;
        // Called from destructors and error paths: a failed ROLLBACK has nothing
        // better to do than leave SQLite to roll back when the connection closes.
        m_db.tryExec("ROLLBACK");
    }

    bool in_transaction() const override { return sqlite3_get_autocommit(m_db.getHandle()) == 0; }

    void set_data_only(bool on) override {
        sqlite3_set_authorizer(m_db.getHandle(), on ? &authorize : nullptr, on ? this : nullptr);
    }

    Connection& connection() override { return m_connection; }

    SQLite::Database& database() { return m_db; }

    /// Runs `body`, translating SQLite failures (and authorizer denials) for `sql`.
    template <class F>
    void run(const std::string& sql, F body) {
        m_denied.clear();
        try {
            body();
        } catch (const SQLite::Exception& e) {
            if (!m_denied.empty()) {
                Error err(ErrorKind::migration, data_only_message + " (it tried: " + m_denied + ")",
                          "data steps and sql(...) without a declared effect may change rows only");
                err.with_sql(sql).with_sqlstate(sqlstate_of(e));
                m_denied.clear();
                throw err;
            }
            raise(e, sql);
        }
    }

private:
    /// The authorizer of data-only mode: rows may change, the schema may not. TEMP
    /// objects are allowed; they are not part of the schema and vanish on close.
    /// Direct writes to sqlite_schema need PRAGMA writable_schema, refused here too.
    static int authorize(void* self, int action, const char* a1, const char* a2, const char*, const char*) {
        auto* session = static_cast<Session*>(self);
        auto s = [](const char* p) { return p ? std::string(p) : std::string(); };
        std::string what;
        switch (action) {
        case SQLITE_CREATE_TABLE: what = "CREATE TABLE " + s(a1); break;
        case SQLITE_CREATE_INDEX: what = "CREATE INDEX " + s(a1); break;
        case SQLITE_CREATE_TRIGGER: what = "CREATE TRIGGER " + s(a1); break;
        case SQLITE_CREATE_VIEW: what = "CREATE VIEW " + s(a1); break;
        case SQLITE_CREATE_VTABLE: what = "CREATE VIRTUAL TABLE " + s(a1); break;
        case SQLITE_DROP_TABLE: what = "DROP TABLE " + s(a1); break;
        case SQLITE_DROP_INDEX: what = "DROP INDEX " + s(a1); break;
        case SQLITE_DROP_TRIGGER: what = "DROP TRIGGER " + s(a1); break;
        case SQLITE_DROP_VIEW: what = "DROP VIEW " + s(a1); break;
        case SQLITE_DROP_VTABLE: what = "DROP VIRTUAL TABLE " + s(a1); break;
        case SQLITE_ALTER_TABLE: what = "ALTER TABLE " + s(a2); break;
        case SQLITE_PRAGMA:
            if (sqlite3_stricmp(s(a1).c_str(), "writable_schema") == 0 && a2) what = "PRAGMA writable_schema";
            break;
        default: break;
        }
        if (what.empty()) return SQLITE_OK;
        session->m_denied = what;
        return SQLITE_DENY;
    }

    const Dialect& m_dialect;
    Url m_url;
    SQLite::Database m_db;
    SqliteConnection m_connection;
    std::string m_denied;  // what the authorizer refused during the current statement
};

SQLite::Statement SqliteConnection::prepare(const std::string& sql, Params params) {
    SQLite::Statement stmt(m_session.database(), sql);
    const int expected = stmt.getBindParameterCount();
    if (expected != static_cast<int>(params.size()))
        throw Error(ErrorKind::usage,
                    "the statement has " + std::to_string(expected) + " ? placeholder(s) but " +
                        std::to_string(params.size()) + " parameter(s) were given")
            .with_sql(sql);
    int i = 1;
    for (const Param& p : params) {
        switch (p.kind()) {
        case Param::Kind::null: stmt.bind(i); break;
        case Param::Kind::integer: stmt.bind(i, static_cast<int64_t>(p.integer())); break;
        case Param::Kind::real: stmt.bind(i, p.real()); break;
        case Param::Kind::text: stmt.bind(i, p.text()); break;  // copied (SQLITE_TRANSIENT)
        }
        ++i;
    }
    return stmt;
}

void SqliteConnection::exec(const char* sql, Params params) {
    const std::string text = sql ? sql : "";
    m_session.run(text, [&] {
        if (params.size() == 0) {
            // No parameters: several statements may follow each other.
            m_session.database().exec(text);
        } else {
            SQLite::Statement stmt = prepare(text, params);
            while (stmt.executeStep()) {
            }
        }
        m_changes = m_session.database().getChanges();
    });
}

retort::Rows SqliteConnection::query(const char* sql, Params params) {
    const std::string text = sql ? sql : "";
    StatementRows* rows = nullptr;
    m_session.run(text, [&] { rows = new StatementRows(prepare(text, params), text); });
    return retort::Rows(rows);
}

}  // namespace

std::unique_ptr<DbSession> open_session(const Dialect& dialect, const Url& url, OpenMode mode) {
    return std::make_unique<Session>(dialect, url, mode);
}

}  // namespace retort::sqlite::detail
