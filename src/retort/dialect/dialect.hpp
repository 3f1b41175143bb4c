// What a database backend provides: a connection, op -> SQL, reflection, and the
// dialect's normal spelling of a schema. Core code talks to backends only through
// this interface and never tests a dialect's name; it reads capabilities instead.
#pragma once

#include <retort/connection.hpp>
#include <retort/dialect/url.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/schema.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

class Dialect;

struct Capabilities {
    bool transactional_ddl = true;     // DDL rolls back with the transaction
    bool table_comments = true;        // comments are stored
    bool native_alter_column = true;   // ALTER COLUMN type / null / default without a rebuild
    bool native_constraints = true;    // ADD / DROP CONSTRAINT without a rebuild
    bool outside_transaction = true;   // statements that must run outside a transaction exist
    bool concurrent_index = false;     // an index can be built without blocking writes (CREATE INDEX CONCURRENTLY)
};

/// One SQL statement of a rendered op.
struct Statement {
    std::string sql;
    bool outside_transaction = false;
};

using Row = std::vector<std::optional<std::string>>;

/// What connect() does when the database does not exist yet.
enum class OpenMode {
    /// Create it where the backend can (a SQLite file): verbs that write (upgrade,
    /// stamp, downgrade) and the embedded upgrade.
    create,
    /// It must exist: verbs that only read (current, history, check --against db,
    /// verify, ...). A missing SQLite file is an error naming it, and no empty file
    /// is left behind for a mistyped URL. PostgreSQL never creates a database.
    existing,
};

/// A live connection, as the runtime uses it. Errors are retort::Error (kind
/// database) carrying the statement and, when the driver gives one, the SQLSTATE.
class DbSession {
public:
    virtual ~DbSession();
    virtual const Dialect& dialect() const = 0;
    /// The URL without its password.
    virtual std::string describe() const = 0;

    /// Runs one or more statements.
    virtual void exec(const std::string& sql) = 0;
    /// Runs a query; every value as text (nullopt for NULL).
    virtual std::vector<Row> query(const std::string& sql) = 0;

    /// Begins a transaction that holds the database's write lock (SQLite: BEGIN
    /// IMMEDIATE), so the version table read next cannot change under us.
    virtual void begin() = 0;
    virtual void commit() = 0;
    /// Never throws: called from destructors.
    virtual void rollback() noexcept = 0;
    virtual bool in_transaction() const = 0;

    /// While on, statements may change rows but not the schema (SQLite authorizer).
    virtual void set_data_only(bool on) = 0;
    /// The connection data steps receive.
    virtual Connection& connection() = 0;
};

/// A transaction on a session that rolls back unless committed.
class Transaction {
public:
    explicit Transaction(DbSession& session) : m_session(session) { m_session.begin(); }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        m_session.commit();
        m_open = false;
    }
    // rollback() is noexcept: this runs while the error that ended the transaction
    // propagates, and that error is the one worth reporting.
    ~Transaction() {
        if (m_open) m_session.rollback();
    }

private:
    DbSession& m_session;
    bool m_open = true;
};

/// A lock held for a whole migration run (PostgreSQL: an advisory lock).
class RunLock {
public:
    virtual ~RunLock();
};

/// Runs around one migration's transaction: prepare() before BEGIN, check()
/// before COMMIT, the destructor after the transaction ended either way.
class MigrationGuard {
public:
    virtual ~MigrationGuard();
    virtual void check(DbSession& session);
};

/// What an offline script (`--sql`) writes around one migration (or, with
/// TxMode::whole_run, around the whole run: the first migration's that needs one):
/// the statements prepare() and its MigrationGuard run live, for whoever runs the
/// script. Each list may be empty; a dialect gives the same guard for any ops that
/// need one.
struct ScriptGuard {
    std::vector<std::string> before_begin;   // SQLite: PRAGMA foreign_keys = OFF (a no-op inside a transaction)
    std::vector<std::string> before_commit;  // SQLite: PRAGMA foreign_key_check
    std::vector<std::string> after_commit;   // SQLite: PRAGMA foreign_keys = ON

    bool empty() const { return before_begin.empty() && before_commit.empty() && after_commit.empty(); }
};

/// An object of a live database that the schema model has no kind for (a view, a
/// trigger, a function, a policy): autogenerate leaves it alone, `retort check`
/// lists it once as "not compared".
struct UnmodeledObject {
    std::string kind;   // "view", "trigger", "function", "policy", ...
    std::string name;
    std::string table;  // the table it belongs to, when it has one ("" otherwise)

    friend bool operator==(const UnmodeledObject&, const UnmodeledObject&) = default;
};

/// "trigger trg_books_slug on books", "view recent_books".
std::string to_string(const UnmodeledObject& object);

/// What to leave out of reflection.
struct ReflectOptions {
    std::vector<std::string> exclude_tables;  // exact names (the version tables)
    /// Schemas read besides the current one (PostgreSQL), their tables and types
    /// named "schema.name". Dialects without schemas ignore it.
    std::vector<std::string> schemas;
    /// When not empty, only these tables, the tables whose foreign keys reference
    /// them, and the tables those foreign keys name (what an op on these tables is
    /// checked against). A dialect may read more; SQLite reads just that.
    std::vector<std::string> tables;
};

class Dialect {
public:
    virtual ~Dialect();
    /// "sqlite", "postgresql".
    virtual std::string_view name() const = 0;
    virtual const Capabilities& capabilities() const = 0;

    /// Opens a session; see OpenMode. Throws retort::Error (database).
    virtual std::unique_ptr<DbSession> connect(const Url& url, OpenMode mode) const = 0;
    /// connect(), given up when `stop` is requested while it waits for a server:
    /// throws retort::Error (database) then. For a session opened on another thread
    /// that may turn out not to be needed. The default: connect(), which waits for
    /// nobody (a SQLite file).
    virtual std::unique_ptr<DbSession> connect_stoppable(const Url& url, OpenMode mode, std::stop_token stop) const;

    /// The SQL for `op` (already resolved against `before`, the schema before it).
    /// Used offline (--sql) and by the default execute(). Throws retort::Error
    /// (kind migration) when the dialect cannot express the op.
    virtual std::vector<Statement> render(const Op& op, const Schema& before) const = 0;

    /// Runs `op` on a live database. The default renders and executes each
    /// statement; a dialect overrides it where the live database must be consulted
    /// (SQLite's table rebuild keeps the table's triggers and views).
    virtual void execute(DbSession& session, const Op& op, const Schema& before) const;

    /// Runs `ops` one after another on a live database, each resolved against
    /// `schema` first and applied to it after (the schema load: a new database's
    /// whole target schema). An error names the op and the statement, as execute()'s
    /// do; the ops before it have run. The default: resolve, execute() and apply each.
    /// A dialect may send the statements of many ops before reading any answer
    /// (PostgreSQL: a pipeline, one round trip for hundreds of statements).
    virtual void execute_all(DbSession& session, std::vector<Op>& ops, Schema& schema) const;

    /// Appends `rows` to `table` (a quoted name), each row's values in the order of
    /// `columns` (plain names), as text that the database converts to each column's
    /// type; nullopt is NULL. For the thousands of history rows of a schema load or a
    /// stamp. The default: INSERTs of quoted literals, 200 rows each; PostgreSQL: one
    /// COPY FROM STDIN. Errors as exec()'s.
    virtual void append_rows(DbSession& session, const std::string& table, const std::vector<std::string>& columns,
                             const std::vector<Row>& rows) const;

    /// A guard around a migration that will run `ops` (SQLite: foreign keys off
    /// before the transaction when a table is rebuilt, foreign_key_check before commit).
    virtual std::unique_ptr<MigrationGuard> prepare(DbSession& session, std::span<const Op> ops) const;

    /// prepare() for an offline script: the SQL written around a migration that
    /// will run `ops` (there is no session to ask, so no "if they are on").
    /// The default: nothing.
    virtual ScriptGuard script_guard(std::span<const Op> ops) const;

    /// The table `op` drops and recreates to make its change (SQLite's table
    /// rebuild), or nullopt when the change is made in place. `before` is the schema
    /// before the op. Lint uses it (a rebuilt table that other tables reference).
    /// The default: nullopt.
    virtual std::optional<std::string> rebuilt_table(const Op& op, const Schema& before) const;

    /// A cross-process lock held for a whole run; nullptr when begin() suffices.
    virtual std::unique_ptr<RunLock> lock(DbSession& session, std::string_view version_table) const;

    /// The live schema.
    virtual Schema reflect(DbSession& session, const ReflectOptions& options) const = 0;

    /// The objects of the live database reflect() leaves out because the schema
    /// model has no kind for them (SQLite: views and triggers), sorted by kind,
    /// then name. Autogenerate never compares them; `retort check` lists them as
    /// "not compared". The default: none.
    virtual std::vector<UnmodeledObject> unmodeled_objects(DbSession& session) const;
    /// unmodeled_objects(), asked now and answered when the returned function is
    /// called, so that the server works while the caller does (PostgreSQL sends the
    /// query and returns). Until the function has been called, the session runs
    /// nothing else; the function must not outlive the session. The default asks at
    /// once.
    virtual std::function<std::vector<UnmodeledObject>()> unmodeled_objects_later(DbSession& session) const;

    /// The schema a DDL script creates, read without a database server: the
    /// models given as SQL (`--models-sql`). SQLite runs the script in an
    /// in-memory database and reflects it. The default throws retort::Error
    /// (kind config) saying this dialect cannot read models from SQL.
    ///
    ///     Schema models = dialect.schema_from_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY);");
    virtual Schema schema_from_ddl(std::string_view sql) const;

    /// Whether a table exists. The default reflects; backends answer with one query.
    virtual bool table_exists(DbSession& session, std::string_view table) const;

    /// The schema as this dialect would store and reflect it: types in its own
    /// spelling, defaults and expressions in its normal form, features it does not
    /// store (comments on SQLite) dropped. Fingerprints and comparisons use this.
    virtual Schema normalize(const Schema& schema) const = 0;
    /// normalize(), reusing the tables of a schema the caller no longer needs
    /// instead of copying each (`retort check` normalizes three whole schemas).
    /// The default copies: normalize(schema).
    virtual Schema normalize_consuming(Schema&& schema) const;

    /// Whether two server defaults of `column`, both normalized and spelled apart,
    /// give the same value here: comparisons (`check`, autogenerate) ask before
    /// reporting a changed default. SQLite: TRUE and 1, FALSE and 0 on a boolean
    /// column. The default: false (normalize() already brought both to one spelling).
    virtual bool defaults_equal(const std::optional<std::string>& current, const std::optional<std::string>& target,
                                const Column& column) const;

    virtual std::string quote_identifier(std::string_view name) const;
    /// A table name as SQL: quote_identifier(), or on PostgreSQL "schema"."table"
    /// for a qualified name "schema.table".
    virtual std::string quote_table(std::string_view name) const;
    virtual std::string quote_literal(std::string_view value) const;
    /// The SQL for a column type.
    virtual std::string type_sql(const Type& type) const = 0;
};

/// Makes a dialect available to connect() by URL scheme. Idempotent per name.
void register_dialect(std::shared_ptr<const Dialect> dialect);
/// Makes a dialect available whose code is loaded on first use: `load` runs when
/// find_dialect() first asks for `name` (again on the next ask if it threw), and must
/// register_dialect() it or throw retort::Error saying why it cannot. The CLI loads the PostgreSQL backend so: its
/// libraries (libpq and some thirty more) cost every other command start-up time.
void register_dialect_loader(std::string name, std::function<void()> load);
/// The dialect for a URL's scheme; throws retort::Error (config) listing the known ones.
const Dialect& dialect_for(const Url& url);
/// The dialect registered (or loadable) as `name`, or nullptr.
const Dialect* find_dialect(std::string_view name);
/// The names of the registered and the loadable dialects, sorted.
std::vector<std::string> dialect_names();

/// Opens a session for a URL string. Throws retort::Error (config, database).
///
///     auto session = retort::connect("sqlite:///app.db", OpenMode::existing);  // never creates app.db
std::unique_ptr<DbSession> connect(const std::string& url, OpenMode mode = OpenMode::create);
/// The same, given up when `stop` is requested while waiting for a server
/// (Dialect::connect_stoppable). Loading the dialect's code is not interrupted.
std::unique_ptr<DbSession> connect(const std::string& url, OpenMode mode, std::stop_token stop);

}  // namespace retort
