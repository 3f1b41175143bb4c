// The runtime: plans steps along the revision graph and runs them against a live
// database (one transaction per migration by default, or one for the whole run),
// keeping the version tables in the same transaction as the schema change; or
// writes the same steps as an offline SQL script.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/revision/graph.hpp>
#include <retort/runtime/replay.hpp>
#include <retort/runtime/version_table.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <span>
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
    /// Called with each warning as soon as it is known (before anything runs for
    /// a lossy downgrade); the warnings are in RunReport::warnings too.
    std::function<void(const std::string&)> on_warning;
    /// Revision ids whose changed checksum upgrade() records instead of refusing
    /// (`--accept-changed`).
    std::vector<std::string> accept_changed;
    /// From base, when every migration on the path is schema changes only (no raw
    /// SQL, no data step): create the schema at the target directly, in one
    /// transaction, and record every revision (history `how` = "load") — like
    /// Rails' schema load. Otherwise the upgrade steps through each revision.
    bool schema_load = false;
};

/// One applied revision checked against the migrations as they are now.
struct VerifiedRevision {
    enum class Status : unsigned char {
        ok,            // the checksum recorded when it was applied matches
        changed,       // the migration changed since it was applied
        no_checksum,   // stamped, or recorded by a layout without checksums: not verified
        unverifiable,  // its source file's hash is unknown here (no manifest, file unreadable)
        unknown,       // the migrations do not define this revision
    };
    std::string revision;
    std::string message;
    std::string file;        // the migration file (the history's source_file when unknown)
    std::string how;         // "upgrade" or "stamp"
    std::string applied_at;  // UTC
    std::string recorded;    // the checksum in the history table ("" when none)
    std::string current;     // the checksum of the migration now ("" when it cannot be computed)
    Status status = Status::ok;
};

/// "ok", "changed", "no_checksum", "unverifiable", "unknown" (the --json spelling).
const char* to_string(VerifiedRevision::Status status);

struct VerifyReport {
    std::string database;             // the URL without its password
    std::vector<std::string> heads;   // the version table's
    std::vector<VerifiedRevision> revisions;  // in the order they were applied
    /// The history table predates checksums (its columns are added by the next upgrade).
    bool older_layout = false;

    std::size_t count(VerifiedRevision::Status status) const;
    std::vector<const VerifiedRevision*> changed() const;
};

/// The error for migrations changed after they were applied (kind integrity, exit
/// 4): names each revision and its file, and says what to do (revert the edit and
/// write a new migration, or record the change with --accept-changed).
Error changed_migrations_error(const std::vector<const VerifiedRevision*>& changed, const std::string& database);

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
    /// The same, with a replayer of `graph` that may have recorded ops already (the
    /// CLI records them while the session opens).
    Migrator(const RevisionGraph& graph, DbSession& session, MigratorOptions options, Replayer replayer);

    /// The heads recorded in the version table ({} when it does not exist yet).
    /// Throws retort::Error (kind integrity) when one is unknown to the graph.
    std::vector<std::string> current();
    /// The rows of the history table, oldest first ({} when it does not exist).
    std::vector<HistoryEntry> history();

    /// Compares the checksum recorded for every applied revision with the
    /// migration as it is now. Changes nothing.
    VerifyReport verify();
    /// Records the current checksum of applied revisions whose migration changed on
    /// purpose. Throws retort::Error (usage) for a revision that is not applied.
    void accept_changed(const std::vector<std::string>& revisions);
    /// The blocking checksum of r as it is now; "" when its file's hash is unknown.
    std::string checksum(const Revision& r);

    /// Upgrades to a target specifier (head, heads, +N, <rev>, label@head, ...).
    /// First verifies the checksums of the applied revisions: a migration changed
    /// since it was applied (and not in MigratorOptions::accept_changed) stops it
    /// with retort::Error (kind integrity) before anything runs.
    RunReport upgrade(std::string_view target);
    /// Downgrades to a target specifier (base, -N, <rev>, label@-N, ...). Every
    /// downgrade step is prepared before anything runs, so an irreversible revision
    /// on the way stops it with the database untouched. Passing a lossy data step
    /// is a warning (MigratorOptions::on_warning, RunReport::warnings).
    RunReport downgrade(std::string_view target);
    /// Records `target` as the current revision(s) without running anything.
    RunReport stamp(std::string_view target);

    /// The schema the migrations say the database has now (replay).
    Schema replayed_schema();
    /// The live schema, version tables left out.
    Schema reflect();
    /// What reflect() asks the dialect for: the version tables left out, and the
    /// schemas the migrations create tables or types in. Reads the recorded ops.
    ReflectOptions reflect_options();

    const VersionTables& tables() const { return m_tables; }
    /// The replayer verify() and reflect() record the revisions' ops with: a
    /// replay through it records each revision once.
    Replayer& replayer() { return m_replayer; }

private:
    std::vector<std::string> read_heads();
    void ensure_tables();
    /// Adds history rows, numbered after the last one (a schema load, a stamp).
    void append_history(std::vector<HistoryEntry> entries);
    void validate_known(const std::vector<std::string>& heads) const;
    /// verify(), accept the revisions the options name, refuse any other change.
    void check_history();
    /// Each revision's ops for a run, viewed where they are kept (the replayer's
    /// recordings, or a downgrade's own list): a run copies no op.
    using OpsByRevision = std::unordered_map<std::string, std::span<const Op>>;
    RunReport run(Direction direction, std::vector<std::string> heads, const std::vector<std::string>& path,
                  const OpsByRevision& ops_by_revision, Schema schema);
    void run_ops(const Revision& r, std::span<const Op> ops, Schema& schema, bool& schema_stale,
                 std::vector<std::string>& sql);
    /// Whether the schema load (MigratorOptions::schema_load) can take `path`.
    bool loadable(const std::vector<std::string>& path, const OpsByRevision& ops_by_revision) const;
    RunReport load(const std::vector<std::string>& path);

    const RevisionGraph& m_graph;
    DbSession& m_session;
    const Dialect& m_dialect;
    MigratorOptions m_options;
    VersionTables m_tables;
    Replayer m_replayer;
    /// The current upgrade or downgrade holds the dialect's run lock.
    bool m_run_locked = false;
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
