// The SQLite dialect: capabilities, op rendering, live execution of table rebuilds,
// the foreign-key guard around migrations, reflection and normalization. Internal;
// users reach it through retort::sqlite::dialect() (sqlite.hpp).
#pragma once

#include <retort/dialect/dialect.hpp>

namespace retort::sqlite::detail {

class SqliteDialect final : public Dialect {
public:
    std::string_view name() const override { return "sqlite"; }
    const Capabilities& capabilities() const override;

    std::unique_ptr<DbSession> connect(const Url& url, OpenMode mode) const override;

    std::vector<Statement> render(const Op& op, const Schema& before) const override;

    /// Table rebuilds run against the live table: reflected (so columns added by hand
    /// survive), its triggers saved and recreated. Other ops render and execute.
    void execute(DbSession& session, const Op& op, const Schema& before) const override;

    /// When an op may rebuild a table (ours, or schema/opaque SQL that may do it by
    /// hand) and foreign keys are on, turns them off (outside the transaction, where
    /// the pragma works) and returns a guard whose check() runs PRAGMA
    /// foreign_key_check and whose destructor turns them back on. Must be called
    /// before BEGIN: inside a transaction it cannot, and execute() then refuses
    /// rebuilds that foreign keys would turn into cascading deletes.
    std::unique_ptr<MigrationGuard> prepare(DbSession& session, std::span<const Op> ops) const override;
    /// The same for an offline script: when an op may rebuild a table,
    /// `PRAGMA foreign_keys = OFF` before BEGIN, `PRAGMA foreign_key_check` before
    /// COMMIT (it lists violations; a script cannot roll back on them) and
    /// `PRAGMA foreign_keys = ON` after.
    ScriptGuard script_guard(std::span<const Op> ops) const override;

    /// TRUE and 1, FALSE and 0 (any case) on a boolean column: SQLite's TRUE and
    /// FALSE are the integers 1 and 0, so the stored value is the same.
    bool defaults_equal(const std::optional<std::string>& current, const std::optional<std::string>& target,
                        const Column& column) const override;

    /// The table of an op SQLite's ALTER TABLE cannot do (the 12-step rebuild).
    std::optional<std::string> rebuilt_table(const Op& op, const Schema& before) const override;

    Schema reflect(DbSession& session, const ReflectOptions& options) const override;
    /// One query of sqlite_master (the default reflects the whole schema).
    bool table_exists(DbSession& session, std::string_view table) const override;
    Schema normalize(const Schema& schema) const override;
    Schema normalize_consuming(Schema&& schema) const override;

    /// Views, triggers and virtual tables.
    std::vector<UnmodeledObject> unmodeled_objects(DbSession& session) const override;
    /// Runs the script in an in-memory database and reflects it.
    Schema schema_from_ddl(std::string_view sql) const override;

    std::string type_sql(const Type& type) const override;
};

}  // namespace retort::sqlite::detail
