// The PostgreSQL session: libpqxx for the wire, one pqxx::nontransaction per
// statement, and transactions driven by plain BEGIN / COMMIT / ROLLBACK so that the
// runtime's begin() and commit() can bracket any number of statements. Every
// libpqxx failure leaves this file as a retort::Error carrying the statement and
// the SQLSTATE; connection failures say why without the password. libpq itself
// (under libpqxx, through a connection policy of ours) for what libpqxx 6 cannot do:
// a connection attempt that can be given up, and statements sent in a pipeline.
#include "connection.hpp"

#include "expression.hpp"

#include <retort/connection.hpp>
#include <retort/dialect/rows_impl.hpp>
#include <retort/error.hpp>

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <system_error>
#include <utility>
#include <vector>

namespace retort::postgres::detail {

namespace {

// ---- text helpers -------------------------------------------------------------

std::string trim(std::string_view text) {
    std::size_t b = 0;
    std::size_t e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    return std::string(text.substr(b, e - b));
}

/// libpq's text with the password (if it ever appears) and URL passwords masked.
std::string scrub(std::string text, const Url& url) {
    if (url.password.size() >= 3) {
        for (std::size_t p = text.find(url.password); p != std::string::npos; p = text.find(url.password, p + 3))
            text.replace(p, url.password.size(), "***");
    }
    return mask_passwords(text);
}

/// A server message without its "ERROR:  " / "FATAL:  " prefix and trailing newlines.
std::string server_message(std::string_view what) {
    std::string text = trim(what);
    for (std::string_view prefix : {"ERROR:  ", "FATAL:  ", "PANIC:  "})
        if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
    return text;
}

/// The text between the first pair of double quotes after `marker`.
std::string quoted_after(std::string_view text, std::string_view marker) {
    auto at = text.find(marker);
    if (at == std::string_view::npos) return {};
    auto open = text.find('"', at + marker.size());
    if (open == std::string_view::npos) return {};
    auto close = text.find('"', open + 1);
    if (close == std::string_view::npos) return {};
    return std::string(text.substr(open + 1, close - open - 1));
}

/// A word for a shell command line, quoted when it needs to be.
std::string shell_word(std::string_view word) {
    bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    if (plain) return std::string(word);
    std::string out = "'";
    for (char c : word) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string conninfo_value(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

// ---- connecting ---------------------------------------------------------------

/// Where libpq will try to connect, for messages: "127.0.0.1:5432", "the socket in /run/pg (port 5432)".
std::string target_of(const Url& url) {
    auto env = [](const char* name) {
        const char* v = std::getenv(name);
        return v ? std::string(v) : std::string();
    };
    std::string host = url.query.count("host") ? url.query.at("host") : url.host;
    if (host.empty()) host = env("PGHOST");
    std::string port = url.query.count("port") ? url.query.at("port") : url.port ? std::to_string(url.port) : "";
    if (port.empty()) port = env("PGPORT");
    if (port.empty()) port = "5432";
    if (host.empty()) return "the default local socket (port " + port + ")";
    if (host.front() == '/' || host.front() == '@') return "the socket in " + host + " (port " + port + ")";
    return host + ":" + port;
}

[[noreturn]] void connect_failed(const Url& url, const std::string& libpq_message) {
    const std::string text = scrub(libpq_message, url);
    const std::string where = "cannot connect to PostgreSQL at " + url.masked() + ": ";
    const std::string target = target_of(url);
    auto fail = [&](const std::string& reason, const std::string& hint, ErrorKind kind = ErrorKind::database) {
        throw Error(kind, where + reason, hint);
    };
    if (text.find("Connection refused") != std::string::npos)
        fail("connection refused: is the server running on " + target + "?",
             "start PostgreSQL, or correct the host and port (in the URL, or PGHOST and PGPORT)");
    if (text.find("No such file or directory") != std::string::npos && text.find("socket") != std::string::npos)
        fail("no server socket: is the server running on " + target + "?",
             "start PostgreSQL, or give the socket directory with ?host=/path or the host and port in the URL");
    if (text.find("password authentication failed") != std::string::npos) {
        std::string user = quoted_after(text, "for user");
        fail("password authentication failed for user \"" + user + "\"",
             "check the password (in the URL, PGPASSWORD or ~/.pgpass); it is not shown here");
    }
    if (text.find("no password supplied") != std::string::npos)
        fail("the server asks for a password and none was given",
             "put it in the URL (postgresql://user:password@host/db), in PGPASSWORD or in ~/.pgpass");
    if (text.find("database \"") != std::string::npos && text.find("does not exist") != std::string::npos) {
        std::string db = quoted_after(text, "database");
        fail("database \"" + db + "\" does not exist; create it with createdb " + shell_word(db),
             "or correct the database name in the URL");
    }
    if (text.find("role \"") != std::string::npos && text.find("does not exist") != std::string::npos) {
        std::string role = quoted_after(text, "role");
        fail("role \"" + role + "\" does not exist",
             "create it with createuser " + shell_word(role) + ", or connect as another user");
    }
    if (text.find("could not translate host name") != std::string::npos)
        fail("unknown host: " + server_message(text), "correct the host name in the URL");
    if (text.find("timeout expired") != std::string::npos)
        fail("no answer from " + target + " (connect_timeout expired)",
             "check that the host is reachable and the port open; raise ?connect_timeout=<seconds> if it is slow");
    if (text.find("no pg_hba.conf entry") != std::string::npos)
        fail(server_message(text), "the server's pg_hba.conf does not allow this user, database or address");
    if (text.find("invalid connection option") != std::string::npos || text.find("invalid sslmode") != std::string::npos ||
        text.find("invalid integer value") != std::string::npos || text.find("invalid port") != std::string::npos)
        fail(server_message(text),
             "the URL's query parameters are passed to libpq as connection keywords: "
             "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS",
             ErrorKind::config);
    std::string reason = server_message(text);
    // libpq prefixes "connection to server at ... failed: "; keep what follows.
    if (auto failed = reason.find("failed: "); failed != std::string::npos && reason.rfind("connection to server", 0) == 0)
        reason = reason.substr(failed + 8);
    throw Error(ErrorKind::database, where + reason,
                "check the URL and that the server at " + target + " accepts connections");
}

/// What a Session being constructed on this thread hands its connection policy,
/// which libpqxx constructs from the connection string alone.
struct Opening {
    std::stop_token stop;
    PGconn* handle = nullptr;  // set by the policy: the connection under libpqxx
};
thread_local Opening* t_opening = nullptr;

/// An eventfd that becomes readable when `stop` is requested, for poll().
class StopFd {
public:
    explicit StopFd(const std::stop_token& stop)
        : m_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)), m_callback(std::in_place, stop, [fd = m_fd] {
              const std::uint64_t one = 1;
              if (fd >= 0 && ::write(fd, &one, sizeof one) < 0) {
                  // A full counter is readable as well: nothing to do.
              }
          }) {
        if (m_fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    }
    StopFd(const StopFd&) = delete;
    StopFd& operator=(const StopFd&) = delete;
    ~StopFd() {
        m_callback.reset();  // before the descriptor it writes to goes
        ::close(m_fd);
    }
    int fd() const { return m_fd; }

private:
    int m_fd;
    std::optional<std::stop_callback<std::function<void()>>> m_callback;
};

/// connect_timeout as PQconnectdb reads it (the URL's, else PGCONNECT_TIMEOUT's):
/// 0 waits forever, 1 is taken as 2.
std::chrono::seconds connect_timeout(PGconn* conn) {
    int seconds = 0;
    if (PQconninfoOption* options = PQconninfo(conn)) {
        for (PQconninfoOption* o = options; o->keyword; ++o)
            if (std::string_view(o->keyword) == "connect_timeout" && o->val) seconds = std::atoi(o->val);
        PQconninfoFree(options);
    }
    return std::chrono::seconds(seconds > 0 && seconds < 2 ? 2 : std::max(seconds, 0));
}

/// Connects as PQconnectdb does, by PQconnectStart and PQconnectPoll, waiting on
/// the socket and on `stop` at once: nothing else interrupts libpq while a server
/// does not answer. PQconnectPoll leaves connect_timeout to its caller; it is kept
/// here per socket (each address tried), as PQconnectdb keeps it per address. One
/// difference: when it expires, PQconnectdb goes on to the host's next address,
/// this fails. Throws pqxx::broken_connection with libpq's message, or retort::Error
/// when stopped.
PGconn* connect_stoppable(const std::string& conninfo, const std::stop_token& stop) {
    PGconn* conn = PQconnectStart(conninfo.c_str());
    if (!conn) throw std::bad_alloc();
    auto fail = [&](const std::string& message) {
        PQfinish(conn);
        throw pqxx::broken_connection(message);
    };
    if (PQstatus(conn) == CONNECTION_BAD) fail(PQerrorMessage(conn));
    StopFd stop_fd(stop);
    const std::chrono::seconds timeout = connect_timeout(conn);
    using Clock = std::chrono::steady_clock;
    int socket = -1;
    Clock::time_point deadline;
    PostgresPollingStatusType status = PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK) {
        if (status == PGRES_POLLING_FAILED) fail(PQerrorMessage(conn));
        if (PQsocket(conn) != socket) {  // a new address: its own timeout
            socket = PQsocket(conn);
            deadline = Clock::now() + timeout;
        }
        pollfd fds[2] = {{socket, static_cast<short>(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0},
                         {stop_fd.fd(), POLLIN, 0}};
        int wait = -1;
        if (timeout.count() > 0) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
            wait = static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
        }
        const int ready = ::poll(fds, 2, wait);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) fail(std::string("poll() failed: ") + std::strerror(errno));
        if (fds[1].revents) {
            PQfinish(conn);
            throw Error(ErrorKind::database, "gave up connecting to PostgreSQL: the session is not needed any more");
        }
        if (ready == 0) fail("timeout expired");
        status = PQconnectPoll(conn);
    }
    return conn;
}

/// libpqxx's connect_direct, connecting through connect_stoppable() when the
/// Session may be stopped (PQconnectdb otherwise), and telling the Session the
/// libpq connection it made.
class ConnectPolicy final : public pqxx::connectionpolicy {
public:
    explicit ConnectPolicy(const std::string& options) : pqxx::connectionpolicy(options) {}

    handle do_startconnect(handle orig) override {
        if (orig) return orig;
        PGconn* conn = nullptr;
        if (t_opening && t_opening->stop.stop_possible()) {
            conn = connect_stoppable(options(), t_opening->stop);
        } else {
            conn = PQconnectdb(options().c_str());
            if (!conn) throw std::bad_alloc();
            if (PQstatus(conn) != CONNECTION_OK) {
                const std::string message = PQerrorMessage(conn);
                PQfinish(conn);
                throw pqxx::broken_connection(message);
            }
        }
        if (t_opening) t_opening->handle = conn;
        return conn;
    }
};

using Wire = pqxx::basic_connection_base<ConnectPolicy>;

/// Notices (NOTICE, WARNING) go nowhere: libpqxx would print them on stderr, in
/// the middle of the CLI's output. Errors are exceptions and reported.
class QuietNotices final : public pqxx::errorhandler {
public:
    explicit QuietNotices(pqxx::connection_base& connection) : pqxx::errorhandler(connection) {}
    bool operator()(const char[]) noexcept override { return false; }
};

// ---- parameters ------------------------------------------------------------------

std::string number_text(double v) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc{}) return std::to_string(v);
    return std::string(buf, p);
}

class Session;

/// What data steps see: the session, with `?` placeholders.
class PgConnection final : public Connection {
public:
    explicit PgConnection(Session& session) : m_session(session) {}
    void exec(const char* sql, Params params) override;
    retort::Rows query(const char* sql, Params params) override;
    long long changes() const override { return m_changes; }
    const char* dialect() const override { return "postgresql"; }

private:
    pqxx::result run(const char* sql, Params params);

    Session& m_session;
    long long m_changes = 0;
};

class Session final : public DbSession {
public:
    Session(const Dialect& dialect, const Url& url, std::stop_token stop)
        : m_dialect(dialect), m_url(url), m_connection(*this) {
        Opening opening{std::move(stop)};
        t_opening = &opening;
        struct Reset {
            ~Reset() { t_opening = nullptr; }
        } reset;
        try {
            m_conn = std::make_unique<Wire>(connection_string(url));
            m_pq = opening.handle;
        } catch (const pqxx::broken_connection& e) {
            connect_failed(url, e.what());
        } catch (const pqxx::failure& e) {
            connect_failed(url, e.what());
        }
        m_notices = std::make_unique<QuietNotices>(*m_conn);
        // libpqxx 6 reconnects silently when a connection breaks. A transaction
        // driven by BEGIN / COMMIT would then continue in autocommit mode on a new
        // session, committing half a migration: turn that off (and fail instead).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        m_conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    }

    ~Session() override {
        rollback();
        m_notices.reset();
    }

    const Dialect& dialect() const override { return m_dialect; }
    std::string describe() const override { return m_url.masked(); }

    void exec(const std::string& sql) override { statement(sql, true); }

    std::vector<Row> query(const std::string& sql) override {
        pqxx::result r = statement(sql, true);
        std::vector<Row> rows;
        rows.reserve(r.size());
        const auto n = r.columns();
        for (const auto& tuple : r) {
            Row row;
            row.reserve(n);
            for (pqxx::row::size_type i = 0; i < n; ++i) {
                const pqxx::field f = tuple[i];
                if (f.is_null())
                    row.emplace_back(std::nullopt);
                else
                    row.emplace_back(std::string(f.c_str(), f.size()));
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

    void begin() override {
        if (m_in_tx)
            throw Error(ErrorKind::usage, "begin(): a transaction is already open on " + describe(),
                        "commit or roll it back first");
        statement("BEGIN", false);
        m_in_tx = true;
        m_tx_failed = false;
    }

    void commit() override {
        if (!m_in_tx) throw Error(ErrorKind::usage, "commit(): no transaction is open on " + describe());
        if (m_tx_failed) {
            // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK and no
            // error; say so instead of reporting success.
            rollback();
            throw Error(ErrorKind::database,
                        "the transaction on " + describe() + " was rolled back: a statement in it failed earlier",
                        "the first error is the one to fix; nothing of the transaction was kept");
        }
        m_in_tx = false;
        try {
            statement("COMMIT", false);
        } catch (Error& e) {
            if (m_broken)
                e.with_hint("the connection was lost during COMMIT, so the transaction may or may not have been "
                            "committed: check with `retort current` before running again");
            throw;
        }
    }

    void rollback() noexcept override {
        if (!m_in_tx) return;
        m_in_tx = false;
        m_tx_failed = false;
        // Called from destructors and while an error propagates: a failed ROLLBACK
        // (a lost connection) leaves the server to roll back when the session ends.
        try {
            statement("ROLLBACK", false);
        } catch (...) {
        }
    }

    bool in_transaction() const override { return m_in_tx; }

    void set_data_only(bool on) override { m_data_only = on; }

    Connection& connection() override { return m_connection; }

    /// Runs one SQL string (maybe several statements) and returns the last result.
    pqxx::result statement(const std::string& sql, bool checked) {
        return run(sql, checked, [&](pqxx::nontransaction& w) { return w.exec(sql); });
    }

    /// Runs `body` in a nontransaction, translating libpqxx failures for `sql`.
    template <class F>
    pqxx::result run(const std::string& sql, bool checked, F body) {
        if (checked && m_data_only) {
            if (auto change = schema_change(sql))
                throw Error(ErrorKind::migration,
                            "data-only SQL tried to change the schema; declare it with sql(...).schema_effect(...) or "
                            ".opaque() (it tried: " + *change + ")",
                            "data steps and sql(...) without a declared effect may change rows only")
                    .with_sql(sql);
        }
        if (m_broken)
            throw Error(ErrorKind::database, "the connection to PostgreSQL at " + describe() + " was lost earlier",
                        "open a new session; the server rolled back the transaction that was open")
                .with_sql(sql);
        try {
            pqxx::nontransaction w(*m_conn);
            pqxx::result r = body(w);
            w.commit();
            return r;
        } catch (const pqxx::broken_connection& e) {
            lost(sql, e.what());
        } catch (const pqxx::sql_error& e) {
            if (!m_conn->is_open()) lost(sql, e.what());
            if (m_in_tx) m_tx_failed = true;
            const std::string state = sqlstate_of(e);
            Error err(ErrorKind::database, "PostgreSQL: " + scrub(server_message(e.what()), m_url), hint_for(state));
            err.with_sql(sql).with_sqlstate(state);
            throw err;
        } catch (const pqxx::usage_error& e) {
            throw Error(ErrorKind::usage, std::string("libpqxx: ") + e.what()).with_sql(sql);
        } catch (const pqxx::failure& e) {
            if (!m_conn->is_open()) lost(sql, e.what());
            if (m_in_tx) m_tx_failed = true;
            throw Error(ErrorKind::database, "PostgreSQL: " + scrub(server_message(e.what()), m_url)).with_sql(sql);
        }
    }

    /// Runs the queries in one pipeline, through libpq directly, and calls their
    /// callbacks with the rows of each result, read in place (query() copies every
    /// value into a Row).
    void for_each_row(const std::vector<RowQuery>& queries) {
        if (!send_rows(queries)) return;
        receive_rows(queries);
    }

    /// The first half of for_each_row(): sends the queries in one pipeline and
    /// returns before any answer. False when nothing was sent: a session that cannot
    /// pipeline (data-only mode, a lost connection) has run them, callbacks called.
    bool send_rows(const std::vector<RowQuery>& queries) {
        if (m_data_only || !m_pq || m_broken || !m_conn->is_open()) {
            for (const RowQuery& q : queries) {
                for (const Row& row : query(q.sql)) q.each(ResultRow(row));
                if (q.done) q.done();
            }
            return false;
        }
        if (queries.empty()) return false;
        if (!PQenterPipelineMode(m_pq)) lost(queries.front().sql, PQerrorMessage(m_pq));
        for (const RowQuery& q : queries)
            if (!PQsendQueryParams(m_pq, q.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
                lost(q.sql, PQerrorMessage(m_pq));
        if (!PQpipelineSync(m_pq)) lost(queries.front().sql, PQerrorMessage(m_pq));
        return true;
    }

    /// The second half: reads the answers of the queries send_rows() sent, calling
    /// their callbacks, and leaves pipeline mode.
    void receive_rows(const std::vector<RowQuery>& queries) {
        // Every result is read, up to the sync, before leaving pipeline mode, also
        // after an error (the queries after it come back aborted) or while one
        // propagates from a callback.
        std::optional<Error> error;
        std::exception_ptr thrown;
        for (const RowQuery& q : queries) {
            for (PGresult* raw; (raw = PQgetResult(m_pq)) != nullptr;) {
                std::unique_ptr<PGresult, decltype(&PQclear)> result(raw, &PQclear);
                const ExecStatusType status = PQresultStatus(raw);
                if (status == PGRES_FATAL_ERROR && !error) error = server_error(q.sql, raw);
                if (status != PGRES_TUPLES_OK || error || thrown) continue;
                try {
                    const int rows = PQntuples(raw);
                    for (int i = 0; i < rows; ++i) q.each(ResultRow(raw, i));
                    if (q.done) q.done();
                } catch (...) {
                    thrown = std::current_exception();
                }
            }
            if (PQstatus(m_pq) == CONNECTION_BAD) lost(q.sql, PQerrorMessage(m_pq));
        }
        PGresult* sync = PQgetResult(m_pq);
        const bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
        PQclear(sync);
        if (!synced || !PQexitPipelineMode(m_pq)) lost(queries.back().sql, PQerrorMessage(m_pq));
        if (error) {
            if (m_in_tx) m_tx_failed = true;
            throw *error;
        }
        if (thrown) std::rethrow_exception(thrown);
    }

    /// COPY ... FROM STDIN with `data` (rows in COPY's text format), through libpq
    /// directly. False when this session cannot (data-only mode, a lost connection).
    bool copy_in(const std::string& copy_sql, const std::string& data) {
        if (m_data_only || !m_pq || m_broken || !m_conn->is_open()) return false;
        std::unique_ptr<PGresult, decltype(&PQclear)> started(PQexec(m_pq, copy_sql.c_str()), &PQclear);
        if (PQresultStatus(started.get()) != PGRES_COPY_IN) {
            if (PQstatus(m_pq) == CONNECTION_BAD) lost(copy_sql, PQerrorMessage(m_pq));
            if (m_in_tx) m_tx_failed = true;
            throw server_error(copy_sql, started.get());
        }
        constexpr std::size_t chunk = 1 << 20;
        for (std::size_t at = 0; at < data.size(); at += chunk) {
            const int n = static_cast<int>(std::min(chunk, data.size() - at));
            if (PQputCopyData(m_pq, data.data() + at, n) != 1) lost(copy_sql, PQerrorMessage(m_pq));
        }
        if (PQputCopyEnd(m_pq, nullptr) != 1) lost(copy_sql, PQerrorMessage(m_pq));
        // Every result is read, the error's included, so the session can go on.
        std::optional<Error> error;
        for (PGresult* raw; (raw = PQgetResult(m_pq)) != nullptr;) {
            std::unique_ptr<PGresult, decltype(&PQclear)> result(raw, &PQclear);
            if (PQresultStatus(raw) == PGRES_FATAL_ERROR && !error) error = server_error(copy_sql, raw);
        }
        if (PQstatus(m_pq) == CONNECTION_BAD) lost(copy_sql, PQerrorMessage(m_pq));
        if (error) {
            if (m_in_tx) m_tx_failed = true;
            throw *error;
        }
        return true;
    }

    /// Runs `statements` as exec() runs each, through libpq's pipeline mode: a batch
    /// of them is sent before any answer is read, so a batch costs one round trip.
    /// Stops at the first that fails (the server skips the rest of its batch) and
    /// throws as exec() does; `failed` is then its index.
    void exec_pipelined(const std::vector<std::string>& statements, std::size_t& failed) {
        failed = 0;
        if (m_data_only || !m_pq || m_broken || !m_conn->is_open()) {
            // Data-only mode checks each statement; a lost connection is reported
            // by statement() as usual.
            for (; failed < statements.size(); ++failed) statement(statements[failed], true);
            return;
        }
        // Each batch's answers (a few dozen bytes each) must fit the socket buffers
        // while the rest of the batch is sent: this connection blocks, and neither
        // side reads while it writes.
        constexpr std::size_t batch = 256;
        for (std::size_t start = 0; start < statements.size(); start += batch) {
            const std::size_t end = std::min(statements.size(), start + batch);
            if (!PQenterPipelineMode(m_pq)) lost(statements[start], PQerrorMessage(m_pq));
            for (std::size_t i = start; i < end; ++i)
                if (!PQsendQueryParams(m_pq, statements[i].c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
                    lost(statements[i], PQerrorMessage(m_pq));
            if (!PQpipelineSync(m_pq)) lost(statements[start], PQerrorMessage(m_pq));
            // Every answer is read, up to the sync, before leaving pipeline mode.
            std::optional<Error> error;
            for (std::size_t i = start; i < end; ++i) {
                for (PGresult* r; (r = PQgetResult(m_pq)) != nullptr;) {
                    const ExecStatusType status = PQresultStatus(r);
                    if (status == PGRES_FATAL_ERROR && !error) {
                        failed = i;
                        error = server_error(statements[i], r);
                    }
                    PQclear(r);
                }
                if (PQstatus(m_pq) == CONNECTION_BAD) lost(statements[i], PQerrorMessage(m_pq));
            }
            PGresult* sync = PQgetResult(m_pq);
            const bool synced = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
            PQclear(sync);
            if (!synced || !PQexitPipelineMode(m_pq)) lost(statements[end - 1], PQerrorMessage(m_pq));
            if (error) {
                if (m_in_tx) m_tx_failed = true;
                throw *error;
            }
        }
    }

private:
    /// A failed statement's error, as run() makes it from libpqxx's.
    Error server_error(const std::string& sql, const PGresult* result) const {
        const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        const std::string state = sqlstate ? sqlstate : "";
        Error err(ErrorKind::database, "PostgreSQL: " + scrub(server_message(PQresultErrorMessage(result)), m_url),
                  hint_for(state));
        err.with_sql(sql).with_sqlstate(state);
        return err;
    }

    [[noreturn]] void lost(const std::string& sql, const std::string& what) {
        m_broken = true;
        const bool was_in_tx = m_in_tx;
        m_in_tx = false;
        throw Error(ErrorKind::database,
                    "lost the connection to PostgreSQL at " + describe() + ": " + scrub(server_message(what), m_url),
                    was_in_tx ? "the server rolled back the open transaction, so nothing of it was kept; run the "
                                "command again once the server is back"
                              : "run the command again once the server is back")
            .with_sql(sql);
    }

    /// The error's SQLSTATE. libpqxx leaves it empty for some failures (seen on a
    /// CREATE refused for lack of privilege): then it is read off the server's message.
    static std::string sqlstate_of(const pqxx::sql_error& e) {
        if (!e.sqlstate().empty()) return e.sqlstate();
        const std::string what = e.what();
        static const std::pair<std::string_view, std::string_view> known[] = {
            {"permission denied", "42501"},
            {"must be owner of", "42501"},
            {"canceling statement due to statement timeout", "57014"},
            {"canceling statement due to lock timeout", "55P03"},
            {"deadlock detected", "40P01"},
            {"current transaction is aborted", "25P02"},
        };
        for (const auto& [text, state] : known)
            if (what.find(text) != std::string::npos) return std::string(state);
        return {};
    }

    static std::string hint_for(const std::string& sqlstate) {
        if (sqlstate == "42501")
            return "the database user lacks a privilege this statement needs: grant it (for example GRANT CREATE "
                   "ON SCHEMA ... TO ...), or run the migration as the owner of the schema";
        if (sqlstate == "55P03")
            return "another session holds a lock this statement waited for longer than lock_timeout allows; "
                   "retry when it is done";
        if (sqlstate == "57014") return "statement_timeout (or a cancel request) stopped the statement";
        if (sqlstate == "40P01") return "a deadlock with another session; retry";
        if (sqlstate == "25P02") return "an earlier statement of this transaction failed; its error is the one to fix";
        if (sqlstate == "3D000") return "create the database with createdb, or correct the URL";
        return {};
    }

    const Dialect& m_dialect;
    Url m_url;
    std::unique_ptr<Wire> m_conn;
    PGconn* m_pq = nullptr;  // the libpq connection under m_conn
    std::unique_ptr<QuietNotices> m_notices;
    PgConnection m_connection;
    bool m_in_tx = false;
    bool m_tx_failed = false;
    bool m_data_only = false;
    bool m_broken = false;
};

// ---- rows ------------------------------------------------------------------------

class ResultRows final : public retort::detail::RowsImpl {
public:
    ResultRows(pqxx::result result, std::string sql) : m_result(std::move(result)), m_sql(std::move(sql)) {}

    bool next() override { return ++m_row < static_cast<long long>(m_result.size()); }
    int columns() const override { return static_cast<int>(m_result.columns()); }
    bool is_null(int column) const override { return field(column).is_null(); }

    long long integer(int column) const override {
        const pqxx::field f = field(column);
        if (f.is_null()) return 0;
        std::string_view s(f.c_str(), f.size());
        if (s == "t") return 1;  // boolean
        if (s == "f") return 0;
        long long v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc{} && p == s.data() + s.size()) return v;
        double d = real(column);
        return static_cast<long long>(d);
    }

    double real(int column) const override {
        const pqxx::field f = field(column);
        if (f.is_null()) return 0;
        const char* begin = f.c_str();
        char* end = nullptr;
        errno = 0;
        double v = std::strtod(begin, &end);
        if (end == begin || *end != '\0')
            throw Error(ErrorKind::usage, "column " + std::to_string(column) + " holds \"" + std::string(begin) +
                                              "\", which is not a number")
                .with_sql(m_sql);
        return v;
    }

    const char* text(int column) const override { return field(column).c_str(); }

private:
    pqxx::field field(int column) const {
        if (m_row < 0 || m_row >= static_cast<long long>(m_result.size()))
            throw Error(ErrorKind::usage, "reading a row before next() or after the last row").with_sql(m_sql);
        if (column < 0 || column >= columns())
            throw Error(ErrorKind::usage, "the query has " + std::to_string(columns()) + " column(s); column " +
                                              std::to_string(column) + " does not exist")
                .with_sql(m_sql);
        return m_result[static_cast<pqxx::result::size_type>(m_row)][static_cast<pqxx::row::size_type>(column)];
    }

    pqxx::result m_result;
    std::string m_sql;
    long long m_row = -1;
};

pqxx::result PgConnection::run(const char* sql, Params params) {
    int count = 0;
    const std::string text = number_placeholders(sql ? sql : "", count);
    if (count != static_cast<int>(params.size()))
        throw Error(ErrorKind::usage, "the statement has " + std::to_string(count) + " placeholder(s) but " +
                                          std::to_string(params.size()) + " parameter(s) were given")
            .with_sql(text);
    if (count == 0) return m_session.statement(text, true);  // several statements may follow each other
    std::vector<std::string> storage;
    storage.reserve(params.size());  // no reallocation: values points into it
    std::vector<const char*> values;
    for (const Param& p : params) {
        switch (p.kind()) {
        case Param::Kind::null: storage.emplace_back(); break;
        case Param::Kind::integer: storage.push_back(std::to_string(p.integer())); break;
        case Param::Kind::real: storage.push_back(number_text(p.real())); break;
        case Param::Kind::text: storage.emplace_back(p.text()); break;
        }
    }
    std::size_t i = 0;  // storage holds one string per parameter, NULLs included
    for (const Param& p : params) {
        values.push_back(p.kind() == Param::Kind::null ? nullptr : storage[i].c_str());
        ++i;
    }
    return m_session.run(text, true, [&](pqxx::nontransaction& w) {
        return w.exec_params(text, pqxx::prepare::make_dynamic_params(values));
    });
}

void PgConnection::exec(const char* sql, Params params) {
    pqxx::result r = run(sql, params);
    m_changes = static_cast<long long>(r.affected_rows());
}

retort::Rows PgConnection::query(const char* sql, Params params) {
    pqxx::result r = run(sql, params);
    return retort::Rows(new ResultRows(std::move(r), sql ? sql : ""));
}

}  // namespace

// ---- public helpers ----------------------------------------------------------------

bool is_session_setting(std::string_view name) {
    return name == "lock_timeout" || name == "statement_timeout" || name == "idle_in_transaction_session_timeout" ||
           name == "search_path";
}

std::string connection_string(const Url& url) {
    std::map<std::string, std::string> keywords;
    if (!url.host.empty()) keywords["host"] = url.host;
    if (url.port) keywords["port"] = std::to_string(url.port);
    if (!url.user.empty()) keywords["user"] = url.user;
    if (!url.password.empty()) keywords["password"] = url.password;
    if (!url.database.empty()) keywords["dbname"] = url.database;
    // Server settings for the session, given as query parameters
    // (?lock_timeout=5s&statement_timeout=10min&search_path=app), travel in libpq's
    // `options` as -c name=value; every other parameter is a libpq keyword.
    std::string settings;
    for (const auto& [k, v] : url.query) {
        if (is_session_setting(k)) {
            std::string escaped;
            for (char c : v) {
                if (c == ' ' || c == '\\') escaped += '\\';
                escaped += c;
            }
            settings += (settings.empty() ? "" : " ") + std::string("-c ") + k + "=" + escaped;
        } else {
            keywords[k] = v;  // as in libpq's own URIs, the query wins
        }
    }
    if (!settings.empty()) keywords["options"] = keywords.count("options") ? keywords["options"] + " " + settings : settings;
    // Without a timeout libpq waits for TCP to give up (minutes) on an unreachable host.
    if (!keywords.count("connect_timeout") && !std::getenv("PGCONNECT_TIMEOUT")) keywords["connect_timeout"] = "10";
    if (!keywords.count("application_name") && !std::getenv("PGAPPNAME"))
        keywords["fallback_application_name"] = "retort";
    std::string out;
    for (const auto& [k, v] : keywords) out += (out.empty() ? "" : " ") + k + "=" + conninfo_value(v);
    return out;
}

bool ResultRow::is_null(std::size_t column) const {
    if (m_copy) return column >= m_copy->size() || !(*m_copy)[column];
    return static_cast<int>(column) >= PQnfields(m_result) || PQgetisnull(m_result, m_row, static_cast<int>(column));
}

std::string_view ResultRow::text(std::size_t column) const {
    if (is_null(column)) return {};
    if (m_copy) return *(*m_copy)[column];
    const int c = static_cast<int>(column);
    return std::string_view(PQgetvalue(m_result, m_row, c), static_cast<std::size_t>(PQgetlength(m_result, m_row, c)));
}

void for_each_row(DbSession& session, const std::vector<RowQuery>& queries) {
    if (auto* pg = dynamic_cast<Session*>(&session)) return pg->for_each_row(queries);
    for (const RowQuery& q : queries) {
        for (const Row& row : session.query(q.sql)) q.each(ResultRow(row));
        if (q.done) q.done();
    }
}

bool copy_in(DbSession& session, const std::string& copy_sql, const std::string& data) {
    auto* pg = dynamic_cast<Session*>(&session);
    return pg && pg->copy_in(copy_sql, data);
}

PendingRows::PendingRows(DbSession& session, std::vector<RowQuery> queries)
    : m_session(&session), m_queries(std::move(queries)) {
    if (auto* pg = dynamic_cast<Session*>(m_session)) {
        m_sent = pg->send_rows(m_queries);
        return;
    }
    for_each_row(session, m_queries);
}

PendingRows::~PendingRows() {
    // Not read (an error on the way): the answers are read and dropped, so that the
    // session leaves pipeline mode and can be used, or closed, as usual.
    if (!m_sent) return;
    for (RowQuery& q : m_queries) {
        q.each = [](const ResultRow&) {};
        q.done = nullptr;
    }
    try {
        finish();
    } catch (...) {
    }
}

void PendingRows::finish() {
    if (!m_sent) return;
    m_sent = false;
    static_cast<Session*>(m_session)->receive_rows(m_queries);
}

void exec_pipelined(DbSession& session, const std::vector<std::string>& statements, std::size_t& failed) {
    if (auto* pg = dynamic_cast<Session*>(&session)) return pg->exec_pipelined(statements, failed);
    for (failed = 0; failed < statements.size(); ++failed) session.exec(statements[failed]);
}

std::unique_ptr<DbSession> open_session(const Dialect& dialect, const Url& url, std::stop_token stop) {
    return std::make_unique<Session>(dialect, url, std::move(stop));
}

std::string number_placeholders(std::string_view sql, int& count) {
    std::string out;
    out.reserve(sql.size() + 8);
    count = 0;
    int native = 0;  // highest $n written by hand
    const std::size_t n = sql.size();
    std::size_t i = 0;
    auto copy_until = [&](std::size_t end) {
        out.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < n) {
        char c = sql[i];
        char next = i + 1 < n ? sql[i + 1] : '\0';
        if (c == '\'' || c == '"') {
            bool escapes = c == '\'' && i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E') &&
                           (i < 2 || !(std::isalnum(static_cast<unsigned char>(sql[i - 2])) || sql[i - 2] == '_'));
            std::size_t j = i + 1;
            while (j < n) {
                if (escapes && sql[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (sql[j] == c) {
                    if (j + 1 < n && sql[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            copy_until(std::min(j + 1, n));
            continue;
        }
        if (c == '-' && next == '-') {
            std::size_t end = sql.find('\n', i);
            copy_until(end == std::string_view::npos ? n : end);
            continue;
        }
        if (c == '/' && next == '*') {
            int depth = 0;
            std::size_t j = i;
            while (j < n) {
                if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
                    ++depth;
                    j += 2;
                } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
                    j += 2;
                    if (--depth == 0) break;
                } else {
                    ++j;
                }
            }
            copy_until(j);
            continue;
        }
        if (c == '$') {
            if (std::isdigit(static_cast<unsigned char>(next))) {
                std::size_t j = i + 1;
                int v = 0;
                while (j < n && std::isdigit(static_cast<unsigned char>(sql[j]))) v = v * 10 + (sql[j++] - '0');
                native = std::max(native, v);
                copy_until(j);
                continue;
            }
            bool word_before = i > 0 && (std::isalnum(static_cast<unsigned char>(sql[i - 1])) || sql[i - 1] == '_');
            std::size_t j = i + 1;
            while (j < n && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) ++j;
            if (!word_before && j < n && sql[j] == '$' && !(j > i + 1 && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
                std::string_view tag = sql.substr(i, j - i + 1);
                std::size_t end = sql.find(tag, j + 1);
                copy_until(end == std::string_view::npos ? n : end + tag.size());
                continue;
            }
        }
        if (c == '?') {
            if (next == '?') {
                out += '?';
                i += 2;
                continue;
            }
            out += "$" + std::to_string(++count);
            ++i;
            continue;
        }
        out += c;
        ++i;
    }
    if (count == 0) count = native;
    return out;
}

std::optional<std::string> schema_change(std::string_view sql) {
    Tokens tk = tokenize(sql);
    const auto& t = tk.tokens;
    std::size_t start = 0;
    while (start < t.size()) {
        std::size_t end = start;
        while (end < t.size() && !(t[end].kind == TokenKind::punct && t[end].text == ";")) ++end;
        if (end > start) {
            const Token& first = t[start];
            auto word = [&](std::size_t k, std::string_view kw) { return start + k < end && is_keyword(t[start + k], kw); };
            bool change = false;
            if (word(0, "CREATE")) {
                bool temp = word(1, "TEMP") || word(1, "TEMPORARY") ||
                            ((word(1, "LOCAL") || word(1, "GLOBAL")) && (word(2, "TEMP") || word(2, "TEMPORARY")));
                change = !temp;
            } else {
                for (std::string_view kw : {"ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "SECURITY", "IMPORT",
                                            "REASSIGN", "REINDEX", "CLUSTER"})
                    if (is_keyword(first, kw)) change = true;
            }
            if (change) {
                // The statement's leading words, up to its first parenthesis: "CREATE TABLE sneaky".
                std::size_t last = start;
                while (last + 1 < end && last - start < 5 && t[last + 1].kind != TokenKind::punct) ++last;
                return trim(sql.substr(t[start].offset, t[last].offset + t[last].length - t[start].offset));
            }
        }
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace retort::postgres::detail
