// A live PostgreSQL session (libpqxx underneath, kept out of this header), the
// libpq connection string built from a retort::Url, and the translation of
// libpqxx failures into retort::Error. Internal.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/dialect/url.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

struct pg_result;  // libpq's PGresult

namespace retort::postgres::detail {

/// A row of a query's result, read in place: its values are views into the result,
/// valid while the callback of for_each_row() runs.
class ResultRow {
public:
    ResultRow(const pg_result* result, int row) : m_result(result), m_row(row) {}
    explicit ResultRow(const Row& row) : m_copy(&row) {}
    bool is_null(std::size_t column) const;
    /// The value as text; "" for NULL and for a column the query does not have.
    std::string_view text(std::size_t column) const;

private:
    const pg_result* m_result = nullptr;
    int m_row = 0;
    const Row* m_copy = nullptr;  // a row of another session's query() (a test's wrapper)
};

/// A query for for_each_row(): `each` is called with every row of its result, then
/// `done` (when given).
struct RowQuery {
    std::string sql;
    std::function<void(const ResultRow&)> each;
    std::function<void()> done;
};

/// Runs the queries and calls each one's callbacks with its rows, in order, without
/// copying the values out of the results (reflection reads tens of thousands of
/// them). The queries go in one pipeline: the server runs the next while the rows
/// of the one before are read here. Errors as DbSession::query()'s. A session of
/// another kind is asked with query(), one query after the other.
void for_each_row(DbSession& session, const std::vector<RowQuery>& queries);

/// for_each_row() in two halves, for work to do while the server runs the queries:
/// they are sent on construction, and finish() reads the rows, calling the
/// callbacks, and throws as for_each_row(). Until then the session is in libpq's
/// pipeline mode and runs nothing else (libpq refuses): finish() before using it
/// again. Destroyed unfinished (an error on the way), it reads and drops the rows.
/// A session of another kind (or one that cannot pipeline) runs the queries, and
/// calls the callbacks, on construction.
class PendingRows {
public:
    PendingRows(DbSession& session, std::vector<RowQuery> queries);
    ~PendingRows();
    PendingRows(const PendingRows&) = delete;
    PendingRows& operator=(const PendingRows&) = delete;

    void finish();

private:
    DbSession* m_session;
    std::vector<RowQuery> m_queries;
    bool m_sent = false;
};

/// Runs `copy_sql` (a COPY ... FROM STDIN) with `data`, its rows in COPY's text
/// format. False when the session cannot (another kind of session, data-only mode,
/// a lost connection): nothing was sent. Errors as exec()'s, naming `copy_sql`.
bool copy_in(DbSession& session, const std::string& copy_sql, const std::string& data);

/// The libpq connection string for `url`, with only the fields the URL gives, so
/// that libpq fills the others from PGHOST, PGPORT, PGUSER, PGPASSWORD,
/// PGDATABASE, ~/.pgpass and its defaults. Query parameters are libpq keywords
/// (sslmode, host for a socket directory, connect_timeout, ...), except the
/// session settings of is_session_setting(), which go in `options` as -c
/// name=value. Holds the password: never print it.
std::string connection_string(const Url& url);

/// The server settings a URL may set for the session as query parameters:
/// lock_timeout, statement_timeout, idle_in_transaction_session_timeout, search_path.
bool is_session_setting(std::string_view name);

/// Opens a session. Throws retort::Error (database) saying why, password left out:
/// "connection refused: is the server running on 127.0.0.1:5432?", "password
/// authentication failed for user \"app\"", "database \"shop\" does not exist;
/// create it with createdb shop", ... When `stop` is requested while the server has
/// not answered yet, gives up: throws retort::Error (database) saying so.
std::unique_ptr<DbSession> open_session(const Dialect& dialect, const Url& url, std::stop_token stop = {});

/// Runs `statements` one after another as session.exec() runs each, sending a
/// batch of them before reading any answer (libpq's pipeline mode): one round trip
/// per batch instead of one per statement. Each must be a single statement. Stops
/// at the first that fails and throws as exec() does, `failed` set to its index.
void exec_pipelined(DbSession& session, const std::vector<std::string>& statements, std::size_t& failed);

/// `?` placeholders turned into $1, $2, ... outside quotes, quoted names, dollar
/// quotes and comments; `??` is a literal `?` (for the jsonb operators). Sets
/// `count` to the number of placeholders.
std::string number_placeholders(std::string_view sql, int& count);

/// The first statement of `sql` that changes the schema ("CREATE TABLE x"), or
/// nullopt when every statement only reads or writes rows. A lexical check of each
/// statement's leading words: CREATE (but CREATE TEMP ...), ALTER, DROP, COMMENT,
/// GRANT, REVOKE, TRUNCATE is allowed, ... See docs/postgresql.md.
std::optional<std::string> schema_change(std::string_view sql);

}  // namespace retort::postgres::detail
