// The PostgreSQL dialect: capabilities, op rendering, statements that must run
// outside a transaction, the advisory lock around a run, reflection and
// normalization. Internal; users reach it through retort::postgres::dialect()
// (postgres.hpp).
#pragma once

#include <retort/dialect/dialect.hpp>

#include <cstdint>

namespace retort::postgres::detail {

class PostgresDialect final : public Dialect {
public:
    std::string_view name() const override { return "postgresql"; }
    const Capabilities& capabilities() const override;

    std::unique_ptr<DbSession> connect(const Url& url, OpenMode mode) const override;
    std::unique_ptr<DbSession> connect_stoppable(const Url& url, OpenMode mode, std::stop_token stop) const override;

    std::vector<Statement> render(const Op& op, const Schema& before) const override;

    /// Renders and executes; a statement marked outside_transaction (an
    /// ExecuteSql op with outside_transaction set) runs in an autocommit block:
    /// the open transaction is committed, the statement runs on its own, and a new
    /// transaction begins for the rest of the migration.
    void execute(DbSession& session, const Op& op, const Schema& before) const override;
    void execute_all(DbSession& session, std::vector<Op>& ops, Schema& schema) const override;

    /// pg_advisory_lock(advisory_key(version_table)), a session-level lock released
    /// by the returned guard (or by the server when the session ends), so that
    /// concurrent upgrades of one database run one after the other.
    std::unique_ptr<RunLock> lock(DbSession& session, std::string_view version_table) const override;

    Schema reflect(DbSession& session, const ReflectOptions& options) const override;
    bool table_exists(DbSession& session, std::string_view table) const override;
    Schema normalize(const Schema& schema) const override;
    Schema normalize_consuming(Schema&& schema) const override;
    void append_rows(DbSession& session, const std::string& table, const std::vector<std::string>& columns,
                     const std::vector<Row>& rows) const override;
    std::vector<UnmodeledObject> unmodeled_objects(DbSession& session) const override;
    std::function<std::vector<UnmodeledObject>()> unmodeled_objects_later(DbSession& session) const override;
    /// A DDL script read with PostgreSQL's own parser (libpg_query): no server needed.
    Schema schema_from_ddl(std::string_view sql) const override;

    /// E'...' when the value holds a backslash, so it means the same whatever
    /// standard_conforming_strings says (as quote_literal() does).
    std::string quote_literal(std::string_view value) const override;
    std::string quote_table(std::string_view name) const override;
    std::string type_sql(const Type& type) const override;
};

/// The advisory lock key for a version table: the FNV-1a 64-bit hash of
/// "retort:" + the table name, as a signed bigint (the form pg_locks shows split
/// into classid / objid).
std::int64_t advisory_key(std::string_view version_table);

}  // namespace retort::postgres::detail
