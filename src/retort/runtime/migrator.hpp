// The runtime: plans steps along the revision graph and runs them against a live
// database (one transaction per migration by default, or one for the whole run),
// keeping the version tables in the same transaction as the schema change; or
// writes the same steps as an offline SQL script.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/revision/graph.hpp>
#include <retort/runtime/replay.hpp>
#include <retort/runtime/version_table.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

enum class TxMode : unsigned char { per_migration, whole_run };

enum class Direction : unsigned char { upgrade, downgrade };

/// Reported before and after each step.
struct StepEvent {
    enum class Phase : unsigned char { start, done } phase;
    Direction direction;
    const Revision* revision;
    std::size_t index;  // 1-based
    std::size_t total;
    double seconds;  // done only
};

struct MigratorOptions {
    std::string version_table = "retort_version";
    TxMode tx_mode = TxMode::per_migration;
    std::function<void(const StepEvent&)> on_step;
};

struct StepReport {
    std::string revision;
    std::string message;
    double seconds = 0;
};

struct RunReport {
    Direction direction = Direction::upgrade;
    std::vector<std::string> heads_before;
    std::vector<std::string> heads_after;
    std::vector<StepReport> steps;
    std::vector<std::string> warnings;
};

class Migrator {
public:
    Migrator(const RevisionGraph& graph, DbSession& session, MigratorOptions options = {});

    /// The heads recorded in the version table ({} when it does not exist yet).
    /// Throws retort::Error (kind integrity) when one is unknown to the graph.
    std::vector<std::string> current();
    /// The rows of the history table, oldest first ({} when it does not exist).
    std::vector<HistoryEntry> history();

    /// Upgrades to a target specifier (head, heads, +N, <rev>, label@head, ...).
    RunReport upgrade(std::string_view target);
    /// Downgrades to a target specifier (base, -N, <rev>, label@-N, ...). Every
    /// downgrade step is prepared before anything runs, so an irreversible revision
    /// on the way stops it with the database untouched.
    RunReport downgrade(std::string_view target);
    /// Records `target` as the current revision(s) without running anything.
    RunReport stamp(std::string_view target);

    /// The schema the migrations say the database has now (replay).
    Schema replayed_schema();
    /// The live schema, version tables left out.
    Schema reflect();

    const VersionTables& tables() const { return m_tables; }

private:
    std::vector<std::string> read_heads();
    void ensure_tables();
    void validate_known(const std::vector<std::string>& heads) const;
    RunReport run(Direction direction, std::vector<std::string> heads, const std::vector<std::string>& path,
                  std::unordered_map<std::string, std::vector<Op>>& ops_by_revision, Schema schema);
    void run_ops(const Revision& r, const std::vector<Op>& ops, Schema& schema, bool& schema_stale);

    const RevisionGraph& m_graph;
    DbSession& m_session;
    const Dialect& m_dialect;
    MigratorOptions m_options;
    VersionTables m_tables;
    Replayer m_replayer;
};

struct OfflineOptions {
    std::string version_table = "retort_version";
    TxMode tx_mode = TxMode::per_migration;
    /// Leave C++ data steps out (with a comment) instead of failing.
    bool skip_data_steps = false;
};

/// The SQL an upgrade or downgrade would run, as a script; nothing is executed.
/// `range` is "<target>" (upgrade from base) or "<from>:<target>"; a downgrade
/// needs the from part. Throws retort::Error for data steps unless skipped.
std::string offline_sql(const RevisionGraph& graph, const Dialect& dialect, Direction direction,
                        std::string_view range, const OfflineOptions& options);

}  // namespace retort
