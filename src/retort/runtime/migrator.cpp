#include <retort/runtime/migrator.hpp>

#include <retort/autogen/compare.hpp>
#include <retort/error.hpp>
#include <retort/runtime/checksum.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

namespace retort {

namespace {

/// Data-only mode for the duration of a data step.
class DataOnly {
public:
    explicit DataOnly(DbSession& session) : m_session(session) { m_session.set_data_only(true); }
    DataOnly(const DataOnly&) = delete;
    DataOnly& operator=(const DataOnly&) = delete;
    ~DataOnly() { m_session.set_data_only(false); }

private:
    DbSession& m_session;
};

/// Thrown inside a run when another process moved the database meanwhile.
struct HeadsChanged {
    std::vector<std::string> heads;
};

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::string heads_text(const std::vector<std::string>& heads) { return heads.empty() ? "base" : join(heads); }

/// The history row of `r` applied (or stamped) now; checksums and duration are the caller's.
HistoryEntry history_entry(const Revision& r, const char* how) {
    HistoryEntry e;
    e.revision = r.id;
    e.parents = join(r.down_revisions, ",");
    e.applied_at = utc_now();
    e.source_file = r.source_file;
    e.how = how;
    return e;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

Migrator::Migrator(const RevisionGraph& graph, DbSession& session, MigratorOptions options)
    : m_graph(graph),
      m_session(session),
      m_dialect(session.dialect()),
      m_options(std::move(options)),
      m_tables(m_dialect, m_options.version_table),
      m_replayer(graph) {}

Migrator::Migrator(const RevisionGraph& graph, DbSession& session, MigratorOptions options, Replayer replayer)
    : m_graph(graph),
      m_session(session),
      m_dialect(session.dialect()),
      m_options(std::move(options)),
      m_tables(m_dialect, m_options.version_table),
      m_replayer(std::move(replayer)) {}

std::vector<std::string> Migrator::read_heads() {
    std::vector<std::string> heads;
    for (const auto& row : m_session.query(m_tables.select_heads_sql()))
        if (!row.empty() && row[0]) heads.push_back(*row[0]);
    return heads;
}

void Migrator::validate_known(const std::vector<std::string>& heads) const {
    for (const auto& h : heads) {
        if (m_graph.find(h)) continue;
        throw Error(ErrorKind::integrity,
                    "the database " + m_session.describe() + " is at revision " + h +
                        ", which these migrations do not define",
                    "it was probably upgraded from another branch or a newer build: check out and build the "
                    "migrations that contain " + h + ", or, if " + h +
                        " was removed on purpose, record the right revision with `retort stamp <revision>`")
            .with_revision(h);
    }
}

std::vector<std::string> Migrator::current() {
    if (!m_dialect.table_exists(m_session, m_tables.version_table())) return {};
    auto heads = read_heads();
    validate_known(heads);
    return heads;
}

std::vector<HistoryEntry> Migrator::history() {
    std::vector<HistoryEntry> out;
    if (!m_dialect.table_exists(m_session, m_tables.history_table())) return out;
    for (const auto& row : m_session.query(m_tables.select_history_sql())) {
        auto get = [&](std::size_t i) { return i < row.size() && row[i] ? *row[i] : std::string(); };
        HistoryEntry e;
        e.revision = get(0);
        e.parents = get(1);
        e.applied_at = get(2);
        e.duration_ms = get(3).empty() ? 0 : std::stoll(get(3));
        e.checksum = get(4);
        e.sql_checksum = get(5);
        e.source_file = get(6);
        e.how = get(7);
        e.seq = get(8).empty() ? 0 : std::stoll(get(8));
        out.push_back(std::move(e));
    }
    return out;
}

const char* to_string(VerifiedRevision::Status status) {
    switch (status) {
    case VerifiedRevision::Status::ok: return "ok";
    case VerifiedRevision::Status::changed: return "changed";
    case VerifiedRevision::Status::no_checksum: return "no_checksum";
    case VerifiedRevision::Status::unverifiable: return "unverifiable";
    case VerifiedRevision::Status::unknown: return "unknown";
    }
    return "unknown";
}

std::size_t VerifyReport::count(VerifiedRevision::Status status) const {
    return static_cast<std::size_t>(std::count_if(revisions.begin(), revisions.end(),
                                                  [&](const VerifiedRevision& v) { return v.status == status; }));
}

std::vector<const VerifiedRevision*> VerifyReport::changed() const {
    std::vector<const VerifiedRevision*> out;
    for (const auto& v : revisions)
        if (v.status == VerifiedRevision::Status::changed) out.push_back(&v);
    return out;
}

std::string Migrator::checksum(const Revision& r) {
    auto file = source_sha256(r);
    if (!file) return {};
    return revision_checksum(*file, m_replayer.upgrade_ops(r), m_replayer.declared_downgrade_ops(r), r.irreversible);
}

VerifyReport Migrator::verify() {
    VerifyReport report;
    report.database = m_session.describe();
    if (!m_dialect.table_exists(m_session, m_tables.version_table())) return report;
    report.heads = read_heads();
    if (!m_dialect.table_exists(m_session, m_tables.history_table())) {
        // The layout before the history table: nothing recorded to verify.
        report.older_layout = true;
        return report;
    }
    std::vector<HistoryEntry> rows;
    bool current_layout = true;
    try {
        m_session.query(m_tables.probe_history_sql());
    } catch (const Error&) {
        current_layout = false;
    }
    if (current_layout) {
        rows = history();
    } else {
        // An older layout: its rows carry no checksum (the next upgrade adds the columns).
        report.older_layout = true;
        for (const auto& row : m_session.query("SELECT revision FROM " + m_dialect.quote_identifier(m_tables.history_table()) +
                                               " ORDER BY revision")) {
            HistoryEntry e;
            e.revision = !row.empty() && row[0] ? *row[0] : std::string();
            e.how = "";
            rows.push_back(std::move(e));
        }
    }
    for (const auto& e : rows) {
        VerifiedRevision v;
        v.revision = e.revision;
        v.how = e.how;
        v.applied_at = e.applied_at;
        v.recorded = e.checksum;
        v.file = e.source_file;
        const Revision* r = m_graph.find(e.revision);
        if (!r) {
            v.status = VerifiedRevision::Status::unknown;
            report.revisions.push_back(std::move(v));
            continue;
        }
        v.message = r->message;
        v.file = r->source_file;
        v.current = checksum(*r);
        if (v.recorded.empty())
            v.status = VerifiedRevision::Status::no_checksum;
        else if (v.current.empty())
            v.status = VerifiedRevision::Status::unverifiable;
        else
            v.status = v.current == v.recorded ? VerifiedRevision::Status::ok : VerifiedRevision::Status::changed;
        report.revisions.push_back(std::move(v));
    }
    return report;
}

void Migrator::accept_changed(const std::vector<std::string>& revisions) {
    if (revisions.empty()) return;
    std::set<std::string> applied;
    // An older layout gets its checksum columns first (nothing lost).
    if (m_dialect.table_exists(m_session, m_tables.version_table())) ensure_tables();
    if (m_dialect.table_exists(m_session, m_tables.history_table()))
        for (const auto& e : history()) applied.insert(e.revision);
    std::vector<std::pair<std::string, std::string>> updates;
    for (const auto& id : revisions) {
        if (!applied.count(id))
            throw Error(ErrorKind::usage,
                        "--accept-changed " + id + ": revision " + id + " is not applied to " + m_session.describe(),
                        "name a revision `retort verify` lists as changed")
                .with_revision(id);
        std::string sum = checksum(m_graph.at(id));
        if (sum.empty())
            throw Error(ErrorKind::build_state,
                        "--accept-changed " + id + ": the checksum of " + m_graph.at(id).source_file +
                            " cannot be computed here: its hash is not in the plugin and the file cannot be read")
                .with_revision(id);
        updates.emplace_back(id, std::move(sum));
    }
    Transaction tx(m_session);
    for (const auto& [id, sum] : updates) m_session.exec(m_tables.update_checksum_sql(id, sum));
    tx.commit();
}

void Migrator::check_history() {
    VerifyReport report = verify();
    auto changed = report.changed();
    if (changed.empty()) return;
    std::vector<std::string> accept;
    std::vector<const VerifiedRevision*> refused;
    for (const auto* v : changed) {
        if (std::find(m_options.accept_changed.begin(), m_options.accept_changed.end(), v->revision) !=
            m_options.accept_changed.end())
            accept.push_back(v->revision);
        else
            refused.push_back(v);
    }
    if (refused.empty()) {
        accept_changed(accept);
        return;
    }
    throw changed_migrations_error(refused, m_session.describe());
}

Error changed_migrations_error(const std::vector<const VerifiedRevision*>& changed, const std::string& database) {
    const VerifiedRevision& first = *changed.front();
    std::string what;
    if (changed.size() == 1) {
        what = "revision " + first.revision + " (" + first.message + ") changed after it was applied to " + database +
               ": its file " + first.file + " or its operations are not what ran (checksum " +
               first.recorded.substr(0, 12) + " when applied " + first.applied_at + ", " + first.current.substr(0, 12) +
               " now)";
    } else {
        what = std::to_string(changed.size()) + " migrations changed after they were applied to " + database + ":";
        for (const auto* v : changed)
            what += "\n  " + v->revision + " (" + v->message + "), file " + v->file + ", applied " + v->applied_at;
    }
    std::string ids;
    for (const auto* v : changed) ids += " --accept-changed " + v->revision;
    return Error(ErrorKind::integrity, what,
                 "an applied migration must not be edited: revert the edit and write a new migration for the "
                 "change (retort revision -m \"...\"); nothing was run. If the edit changes nothing that ran "
                 "(a comment, a fix for databases not yet at it), record it deliberately: retort upgrade" + ids)
        .with_revision(first.revision)
        .with_file(first.file);
}

void Migrator::ensure_tables() {
    if (!m_dialect.table_exists(m_session, m_tables.version_table())) {
        Transaction tx(m_session);
        // Another process may have created them while we waited for the lock.
        if (!m_dialect.table_exists(m_session, m_tables.version_table())) {
            for (const auto& sql : m_tables.create_version_sql()) m_session.exec(sql);
            if (!m_dialect.table_exists(m_session, m_tables.history_table()))
                for (const auto& sql : m_tables.create_history_sql()) m_session.exec(sql);
        }
        tx.commit();
        return;
    }
    if (!m_dialect.table_exists(m_session, m_tables.history_table())) {
        // A version table from before the history table existed: add it and record
        // what the version table says is applied, as stamped.
        Transaction tx(m_session);
        if (!m_dialect.table_exists(m_session, m_tables.history_table())) {
            for (const auto& sql : m_tables.create_history_sql()) m_session.exec(sql);
            auto heads = read_heads();
            validate_known(heads);
            std::vector<HistoryEntry> entries;
            for (const auto& id : m_graph.closure(heads)) entries.push_back(history_entry(m_graph.at(id), "stamp"));
            append_history(std::move(entries));
        }
        tx.commit();
        return;
    }
    // An older layout of the history table: add the columns it lacks, keeping its rows.
    // Probe outside a transaction: on PostgreSQL a failed statement aborts the
    // transaction it is in.
    try {
        m_session.query(m_tables.probe_history_sql());
        return;
    } catch (const Error&) {
    }
    std::vector<const Column*> missing;
    for (const auto& column : VersionTables::history_columns()) {
        try {
            m_session.query(m_tables.probe_column_sql(column.name));
        } catch (const Error&) {
            missing.push_back(&column);
        }
    }
    Transaction tx(m_session);
    for (const Column* column : missing)
        for (const auto& sql : m_tables.add_history_column_sql(*column)) m_session.exec(sql);
    tx.commit();
}

Schema Migrator::replayed_schema() { return m_replayer.schema_at(current()); }

namespace {

/// The schemas other than the current one in which `op` creates something
/// ("sales" for create_table("sales.orders", ...)).
void add_created_schemas(const Op& op, std::set<std::string>& out) {
    auto add = [&](const std::string& name) {
        if (auto dot = name.find('.'); dot != std::string::npos && dot > 0) out.insert(name.substr(0, dot));
    };
    if (const auto* create = std::get_if<CreateTable>(&op.variant())) add(create->table.name);
    if (const auto* rename = std::get_if<RenameTable>(&op.variant())) add(rename->to);
    if (const auto* create = std::get_if<CreateEnum>(&op.variant())) add(create->type.name);
    if (const auto* sql = std::get_if<ExecuteSql>(&op.variant()))
        for (const auto& inner : sql->equivalent) add_created_schemas(inner, out);
}

}  // namespace

Schema Migrator::reflect() { return m_dialect.reflect(m_session, reflect_options()); }

ReflectOptions Migrator::reflect_options() {
    ReflectOptions options;
    options.exclude_tables = m_tables.names();
    // Besides the current schema, the schemas the migrations create tables or types
    // in (qualified names, PostgreSQL): their objects are reflected as "schema.name".
    std::set<std::string> schemas;
    for (const auto& r : m_graph.revisions())
        for (const auto& op : m_replayer.upgrade_ops(r)) add_created_schemas(op, schemas);
    options.schemas.assign(schemas.begin(), schemas.end());
    return options;
}

void Migrator::run_ops(const Revision& r, std::span<const Op> ops, Schema& schema, bool& schema_stale,
                       std::vector<std::string>& sql) {
    // The SQL checksum is informational: the statements the offline renderer gives
    // for each op against the schema before it.
    auto rendered = [&](const Op& op) {
        try {
            for (auto& st : m_dialect.render(op, schema)) sql.push_back(std::move(st.sql));
        } catch (const std::exception&) {
            sql.push_back("-- not rendered: " + describe(op));
        }
    };
    for (const Op& op : ops) {
        if (!applies_to(op, m_dialect.name())) continue;
        try {
            if (const auto* data = std::get_if<RunData>(&op.variant())) {
                sql.push_back("-- C++ data step");
                DataOnly guard(m_session);
                data->up(m_session.connection());
                continue;
            }
            if (!replayable(op)) {
                rendered(op);
                m_dialect.execute(m_session, op, schema);
                schema_stale = true;
                continue;
            }
            Op resolved = op;
            if (!schema_stale) resolve(resolved, schema);
            rendered(resolved);
            if (is_data_op(resolved)) {
                DataOnly guard(m_session);
                m_dialect.execute(m_session, resolved, schema);
            } else {
                m_dialect.execute(m_session, resolved, schema);
            }
            if (!schema_stale) apply(resolved, schema);
        } catch (const std::exception& e) {
            Error err = dynamic_cast<const Error*>(&e) ? *dynamic_cast<const Error*>(&e)
                                                       : Error(ErrorKind::migration, e.what());
            if (err.op().empty()) err.with_op(describe(op));
            if (err.revision().empty()) err.with_revision(r.id);
            if (err.file().empty()) err.with_file(r.source_file);
            throw err;
        }
    }
}

RunReport Migrator::run(Direction direction, std::vector<std::string> heads, const std::vector<std::string>& path,
                        const OpsByRevision& ops_by_revision, Schema schema) {
    RunReport report;
    report.direction = direction;
    report.heads_before = heads;
    const bool up = direction == Direction::upgrade;
    bool schema_stale = false;

    auto next_heads = [&](const std::vector<std::string>& h, const std::string& id) {
        return up ? m_graph.heads_after_upgrade(h, id) : m_graph.heads_after_downgrade(h, id);
    };
    auto record = [&](const Revision& r, double seconds, const std::vector<std::string>& sql) {
        if (up) {
            HistoryEntry e = history_entry(r, "upgrade");
            e.duration_ms = static_cast<long long>(seconds * 1000);
            e.checksum = checksum(r);
            e.sql_checksum = sql_checksum(sql);
            m_session.exec(m_tables.insert_history_sql(e));
        } else {
            m_session.exec(m_tables.delete_history_sql(r.id));
        }
    };
    auto fail_hint = [&](Error& e, const std::vector<std::string>& at) {
        const std::string kept = "nothing of this migration was kept: the database is still at " + heads_text(at);
        if (e.hint().empty())
            e.with_hint(kept + ". Fix the migration or the data, then run the command again");
        else if (e.kind() == ErrorKind::database && e.hint().find(kept) == std::string::npos)
            e.with_hint(e.hint() + "; " + kept);  // the server's error, with what its SQLSTATE means
    };
    using Clock = std::chrono::steady_clock;

    if (m_options.tx_mode == TxMode::whole_run) {
        // Each migration's guard, held for the whole run: the first that needs one
        // (SQLite: one that rebuilds a table) turns foreign keys off, and the later
        // ones find them off already.
        std::vector<std::unique_ptr<MigrationGuard>> guards;
        guards.reserve(path.size());
        for (const auto& id : path) guards.push_back(m_dialect.prepare(m_session, ops_by_revision.at(id)));
        Transaction tx(m_session);
        if (sorted(read_heads()) != sorted(heads)) throw HeadsChanged{read_heads()};
        try {
            for (std::size_t i = 0; i < path.size(); ++i) {
                const Revision& r = m_graph.at(path[i]);
                if (m_options.on_step)
                    m_options.on_step({StepEvent::Phase::start, direction, &r, i + 1, path.size(), 0});
                auto start = Clock::now();
                std::vector<std::string> rendered;
                run_ops(r, ops_by_revision.at(r.id), schema, schema_stale, rendered);
                if (schema_stale) {
                    schema = reflect();
                    schema_stale = false;
                }
                auto after = next_heads(heads, r.id);
                for (const auto& sql : m_tables.update_heads_sql(heads, after)) m_session.exec(sql);
                double seconds = std::chrono::duration<double>(Clock::now() - start).count();
                record(r, seconds, rendered);
                heads = std::move(after);
                report.steps.push_back({r.id, r.message, seconds});
                if (m_options.on_step)
                    m_options.on_step({StepEvent::Phase::done, direction, &r, i + 1, path.size(), seconds});
            }
            for (auto& guard : guards) guard->check(m_session);
            tx.commit();
        } catch (Error& e) {
            fail_hint(e, report.heads_before);
            throw;
        }
    } else {
        for (std::size_t i = 0; i < path.size(); ++i) {
            const Revision& r = m_graph.at(path[i]);
            const std::span<const Op> ops = ops_by_revision.at(r.id);
            auto guard = m_dialect.prepare(m_session, ops);
            Transaction tx(m_session);
            // Another process may have moved the database since the last step. Under
            // the dialect's run lock (PostgreSQL's advisory lock) no Retort process
            // can, and the first step's check suffices: one round trip less per step.
            if (i == 0 || !m_run_locked) {
                auto now = read_heads();
                if (sorted(now) != sorted(heads)) throw HeadsChanged{now};
            }
            if (m_options.on_step) m_options.on_step({StepEvent::Phase::start, direction, &r, i + 1, path.size(), 0});
            auto start = Clock::now();
            try {
                std::vector<std::string> rendered;
                run_ops(r, ops, schema, schema_stale, rendered);
                guard->check(m_session);
                auto after = next_heads(heads, r.id);
                for (const auto& sql : m_tables.update_heads_sql(heads, after)) m_session.exec(sql);
                double seconds = std::chrono::duration<double>(Clock::now() - start).count();
                record(r, seconds, rendered);
                tx.commit();
                heads = std::move(after);
                report.steps.push_back({r.id, r.message, seconds});
                if (m_options.on_step)
                    m_options.on_step({StepEvent::Phase::done, direction, &r, i + 1, path.size(), seconds});
            } catch (Error& e) {
                fail_hint(e, heads);
                throw;
            }
            if (schema_stale) {
                schema = reflect();
                schema_stale = false;
            }
        }
    }
    report.heads_after = heads;
    for (const auto& w : m_replayer.warnings()) report.warnings.push_back(w);
    return report;
}

bool Migrator::loadable(const std::vector<std::string>& path, const OpsByRevision& ops_by_revision) const {
    // Raw SQL (whatever its declared effect) and data steps must run where they are.
    for (const auto& id : path)
        for (const Op& op : ops_by_revision.at(id))
            if (std::holds_alternative<ExecuteSql>(op.variant()) || std::holds_alternative<RunData>(op.variant()))
                return false;
    return true;
}

void Migrator::append_history(std::vector<HistoryEntry> entries) {
    if (entries.empty()) return;
    // All the rows at once (Dialect::append_rows), numbered in order from the
    // largest seq, read once under the run's lock and transaction.
    long long seq = 0;
    for (const auto& row : m_session.query(m_tables.select_max_seq_sql()))
        if (!row.empty() && row[0]) seq = std::stoll(*row[0]);
    for (HistoryEntry& e : entries) e.seq = ++seq;
    m_tables.append_history(m_session, entries);
}

RunReport Migrator::load(const std::vector<std::string>& path) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    RunReport report;
    report.direction = Direction::upgrade;
    std::vector<std::string> heads;
    for (const auto& id : path) heads = m_graph.heads_after_upgrade(heads, id);
    // The schema at the target, created as autogenerate writes an initial migration:
    // enum types first, tables in foreign-key order, a cycle's keys added after.
    autogen::CompareOptions options;
    options.detect_renames = false;
    const Schema target = m_replayer.schema_at(heads);
    std::vector<Op> ops = autogen::diff(Schema{}, target, options).plain_ops();
    auto guard = m_dialect.prepare(m_session, ops);
    Transaction tx(m_session);
    if (!read_heads().empty()) throw HeadsChanged{read_heads()};
    Schema schema;
    try {
        m_dialect.execute_all(m_session, ops, schema);
        guard->check(m_session);
        for (const auto& sql : m_tables.update_heads_sql({}, heads)) m_session.exec(sql);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        std::vector<HistoryEntry> entries;
        entries.reserve(path.size());
        for (std::size_t i = 0; i < path.size(); ++i) {
            const Revision& r = m_graph.at(path[i]);
            HistoryEntry e = history_entry(r, "load");
            e.checksum = checksum(r);
            entries.push_back(std::move(e));
            report.steps.push_back({r.id, r.message, 0});
        }
        append_history(std::move(entries));
        if (!report.steps.empty()) report.steps.back().seconds = seconds;
        tx.commit();
    } catch (Error& e) {
        if (e.hint().empty())
            e.with_hint("nothing was kept: the database is still at base. Run the upgrade without --schema-load to "
                        "step through each migration and see which one fails");
        throw;
    }
    report.heads_after = heads;
    return report;
}

RunReport Migrator::upgrade(std::string_view target) {
    auto lock = m_dialect.lock(m_session, m_tables.version_table());
    m_run_locked = lock != nullptr;
    // Edited history stops everything, also an upgrade with nothing to do.
    check_history();
    bool tables_ready = false;
    for (int attempt = 0;; ++attempt) {
        // Resolve and plan before creating anything: a bad target changes nothing.
        auto heads = current();
        auto targets = m_graph.resolve_upgrade_target(target, heads);
        auto path = m_graph.upgrade_path(heads, targets);
        if (path.empty()) {
            RunReport report;
            report.heads_before = report.heads_after = heads;
            return report;
        }
        if (!tables_ready) {
            ensure_tables();
            tables_ready = true;
            continue;  // plan again: another process may have moved the database meanwhile
        }
        OpsByRevision ops;
        for (const auto& id : path) ops[id] = m_replayer.upgrade_ops(m_graph.at(id));
        try {
            if (m_options.schema_load && heads.empty() && loadable(path, ops)) return load(path);
            return run(Direction::upgrade, heads, path, ops, m_replayer.schema_at(heads));
        } catch (const HeadsChanged&) {
            // Another process applied migrations while we waited for the lock:
            // plan again from where it left the database.
            if (attempt > 100) throw Error(ErrorKind::database, "the version table keeps changing under this upgrade");
        }
    }
}

RunReport Migrator::downgrade(std::string_view target) {
    auto lock = m_dialect.lock(m_session, m_tables.version_table());
    m_run_locked = lock != nullptr;
    for (int attempt = 0;; ++attempt) {
        auto heads = current();
        auto targets = m_graph.resolve_downgrade_target(target, heads);
        auto path = m_graph.downgrade_path(heads, targets);
        if (path.empty()) {
            RunReport report;
            report.direction = Direction::downgrade;
            report.heads_before = report.heads_after = heads;
            return report;
        }
        // Prepare every step before touching anything: an irreversible revision or
        // op on the way stops the downgrade here.
        std::unordered_map<std::string, std::vector<Op>> resolved;
        Schema schema = m_replayer.schema_at(heads, &resolved, path);
        std::unordered_map<std::string, std::vector<Op>> owned;
        OpsByRevision ops;
        for (const auto& id : path) {
            const Revision& r = m_graph.at(id);
            auto it = resolved.find(id);
            ops[id] = owned[id] = m_replayer.downgrade_ops(r, it == resolved.end() ? nullptr : &it->second);
        }
        // A lossy data step on the way: its downgrade runs, but cannot restore
        // everything its upgrade changed. Said before anything runs.
        std::vector<std::string> lossy;
        for (const auto& id : path) {
            const Revision& r = m_graph.at(id);
            bool is_lossy = false;
            for (const auto& op : m_replayer.upgrade_ops(r))
                if (const auto* data = std::get_if<RunData>(&op.variant()); data && data->lossy) is_lossy = true;
            for (const auto& op : ops.at(id))
                if (const auto* data = std::get_if<RunData>(&op.variant()); data && data->lossy) is_lossy = true;
            if (!is_lossy) continue;
            lossy.push_back("downgrading revision " + r.id + " (" + r.message + ", " + r.source_file +
                            ") runs a lossy data step: its downgrade cannot restore everything the upgrade changed");
            if (m_options.on_warning) m_options.on_warning(lossy.back());
        }
        {
            // Check the downgrade ops replay cleanly before running them.
            Schema scratch = schema;
            for (const auto& id : path)
                for (Op op : ops.at(id)) {
                    if (!replayable(op) || !applies_to(op, m_dialect.name())) continue;
                    try {
                        apply(op, scratch);
                    } catch (const std::exception& e) {
                        rethrow_in_revision(m_graph.at(id), e);
                    }
                }
        }
        try {
            RunReport report = run(Direction::downgrade, heads, path, ops, std::move(schema));
            report.warnings.insert(report.warnings.begin(), lossy.begin(), lossy.end());
            return report;
        } catch (const HeadsChanged&) {
            if (attempt > 100) throw Error(ErrorKind::database, "the version table keeps changing under this downgrade");
        }
    }
}

RunReport Migrator::stamp(std::string_view target) {
    auto lock = m_dialect.lock(m_session, m_tables.version_table());
    // Resolve first: a bad target changes nothing. The database may be at a revision
    // these migrations do not know: stamping is how that gets fixed.
    auto known_heads = [&] {
        std::vector<std::string> known;
        if (!m_dialect.table_exists(m_session, m_tables.version_table())) return known;
        for (const auto& h : read_heads())
            if (m_graph.find(h)) known.push_back(h);
        return known;
    };
    std::vector<std::string> targets;
    if (target != "base") targets = m_graph.resolve_upgrade_target(target, known_heads());
    ensure_tables();
    RunReport report;
    Transaction tx(m_session);
    auto heads = read_heads();
    // Keep only the targets no other target descends from.
    std::vector<std::string> after;
    for (const auto& t : targets) {
        bool covered = std::any_of(targets.begin(), targets.end(),
                                   [&](const std::string& o) { return o != t && m_graph.is_ancestor(t, o); });
        if (!covered && std::find(after.begin(), after.end(), t) == after.end()) after.push_back(t);
    }
    for (const auto& sql : m_tables.update_heads_sql(heads, after)) m_session.exec(sql);
    auto closure = m_graph.closure(after);
    std::set<std::string> wanted(closure.begin(), closure.end());
    std::set<std::string> have;
    for (const auto& e : history()) have.insert(e.revision);
    for (const auto& id : have)
        if (!wanted.count(id)) m_session.exec(m_tables.delete_history_sql(id));
    std::vector<HistoryEntry> entries;
    for (const auto& id : closure)
        if (!have.count(id)) entries.push_back(history_entry(m_graph.at(id), "stamp"));
    append_history(std::move(entries));
    tx.commit();
    report.heads_before = heads;
    report.heads_after = after;
    return report;
}

// ---- offline ---------------------------------------------------------------

std::string offline_sql(const RevisionGraph& graph, const Dialect& dialect, Direction direction,
                        std::string_view range, const OfflineOptions& options) {
    std::string_view from_spec = "base";
    std::string_view to_spec = range;
    if (auto colon = range.find(':'); colon != std::string_view::npos) {
        from_spec = range.substr(0, colon);
        to_spec = range.substr(colon + 1);
    } else if (direction == Direction::downgrade) {
        throw Error(ErrorKind::usage,
                    "an offline downgrade needs the revision to start from: give a range <from>:<to>",
                    "for example: retort downgrade head:base --sql");
    }
    const bool up = direction == Direction::upgrade;
    std::vector<std::string> heads =
        from_spec == "base" ? std::vector<std::string>{} : graph.resolve_upgrade_target(from_spec, {});
    std::vector<std::string> path;
    if (up) {
        path = graph.upgrade_path(heads, graph.resolve_upgrade_target(to_spec, heads));
    } else {
        path = graph.downgrade_path(heads, graph.resolve_downgrade_target(to_spec, heads));
    }

    Replayer replayer(graph);
    std::unordered_map<std::string, std::vector<Op>> resolved;
    Schema schema = replayer.schema_at(heads, &resolved, up ? std::vector<std::string>{} : path);
    VersionTables tables(dialect, options.version_table);

    std::ostringstream out;
    out << "-- Retort offline " << (up ? "upgrade" : "downgrade") << " " << from_spec << " -> " << to_spec << " ("
        << dialect.name() << "), generated " << utc_now() << " UTC\n";
    auto emit = [&](const std::string& sql) {
        out << sql;
        if (sql.empty() || sql.back() != ';') out << ';';
        out << '\n';
    };
    if (up && heads.empty()) {
        out << "\n";
        for (const auto& sql : tables.create_version_sql()) emit(sql);
        for (const auto& sql : tables.create_history_sql()) emit(sql);
    }
    // Transactions open lazily: a revision that only runs a statement outside any
    // transaction (CREATE INDEX CONCURRENTLY) gets no empty BEGIN; COMMIT; pair.
    const bool whole = options.tx_mode == TxMode::whole_run;
    bool in_tx = false;
    auto begin_tx = [&] {
        if (!in_tx) out << "BEGIN;\n";
        in_tx = true;
    };
    auto commit_tx = [&] {
        if (in_tx) out << "COMMIT;\n";
        in_tx = false;
    };
    // What the dialect's prepare() does live, as SQL around each migration (SQLite:
    // foreign keys off for a rebuild), or around the whole run in one transaction:
    // then the guard of the first migration that needs one (a dialect's guard does
    // not depend on which of its ops asked for it).
    std::vector<std::vector<Op>> ops_of;
    ops_of.reserve(path.size());
    ScriptGuard run_guard;
    for (const auto& id : path) {
        const Revision& r = graph.at(id);
        ops_of.push_back(up ? replayer.upgrade_ops(r)
                            : replayer.downgrade_ops(r, resolved.count(id) ? &resolved[id] : nullptr));
        if (whole && run_guard.empty()) run_guard = dialect.script_guard(ops_of.back());
    }
    if (whole && !path.empty()) {
        out << "\n";
        for (const auto& sql : run_guard.before_begin) emit(sql);
        begin_tx();
    }
    for (std::size_t i = 0; i < path.size(); ++i) {
        const Revision& r = graph.at(path[i]);
        const std::vector<Op>& ops = ops_of[i];
        const ScriptGuard guard = whole ? ScriptGuard{} : dialect.script_guard(ops);
        out << "\n-- " << (up ? "Running upgrade " : "Running downgrade ")
            << (up ? heads_text(r.down_revisions) + " -> " + r.id : r.id + " -> " + heads_text(r.down_revisions))
            << ", " << r.message << "\n";
        for (const auto& sql : guard.before_begin) emit(sql);  // before BEGIN: in_tx is false between migrations
        std::vector<std::string> rendered;  // for the history row's SQL checksum
        for (Op op : ops) {
            if (!applies_to(op, dialect.name())) continue;
            if (std::holds_alternative<RunData>(op.variant())) {
                rendered.push_back("-- C++ data step");
                if (!options.skip_data_steps)
                    throw Error(ErrorKind::usage,
                                "revision " + r.id + " has a C++ data step, which an offline script cannot contain",
                                "run it online, or pass --skip-data to leave data steps out of the script")
                        .with_revision(r.id)
                        .with_file(r.source_file);
                out << "-- skipped: C++ data step of revision " << r.id << "\n";
                continue;
            }
            try {
                if (replayable(op)) resolve(op, schema);
                for (const auto& st : dialect.render(op, schema)) {
                    rendered.push_back(st.sql);
                    if (st.outside_transaction) {
                        commit_tx();
                    } else {
                        begin_tx();
                    }
                    emit(st.sql);
                }
                if (replayable(op)) apply(op, schema);
            } catch (const std::exception& e) {
                rethrow_in_revision(r, e);
            }
        }
        auto after = up ? graph.heads_after_upgrade(heads, r.id) : graph.heads_after_downgrade(heads, r.id);
        begin_tx();
        for (const auto& sql : guard.before_commit) emit(sql);  // where Migrator::run() calls check()
        for (const auto& sql : tables.update_heads_sql(heads, after)) emit(sql);
        if (up) {
            HistoryEntry e = history_entry(r, "upgrade");
            if (auto file = source_sha256(r))
                e.checksum = revision_checksum(*file, replayer.upgrade_ops(r), replayer.declared_downgrade_ops(r),
                                               r.irreversible);
            e.sql_checksum = sql_checksum(rendered);
            emit(tables.insert_history_sql(e));
        } else {
            emit(tables.delete_history_sql(r.id));
        }
        heads = std::move(after);
        if (!whole) {
            commit_tx();
            for (const auto& sql : guard.after_commit) emit(sql);
        }
    }
    if (in_tx) {
        out << "\n";
        for (const auto& sql : run_guard.before_commit) emit(sql);  // whole run: its one COMMIT
    }
    commit_tx();
    for (const auto& sql : run_guard.after_commit) emit(sql);
    return out.str();
}

}  // namespace retort
