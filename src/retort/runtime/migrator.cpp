#include <retort/runtime/migrator.hpp>

#include <retort/error.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

namespace retort {

namespace {

/// A transaction that rolls back unless committed.
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

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

bool applies_to(const Op& op, std::string_view dialect) {
    if (const auto* sql = std::get_if<ExecuteSql>(&op.variant()))
        return sql->only_dialect.empty() || sql->only_dialect == dialect;
    if (const auto* data = std::get_if<RunData>(&op.variant()))
        return data->only_dialect.empty() || data->only_dialect == dialect;
    return true;
}

}  // namespace

Migrator::Migrator(const RevisionGraph& graph, DbSession& session, MigratorOptions options)
    : m_graph(graph),
      m_session(session),
      m_dialect(session.dialect()),
      m_options(std::move(options)),
      m_tables(m_dialect, m_options.version_table),
      m_replayer(graph) {}

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
            for (const auto& id : m_graph.closure(heads)) {
                const Revision& r = m_graph.at(id);
                HistoryEntry e;
                e.revision = id;
                e.parents = join(r.down_revisions, ",");
                e.applied_at = utc_now();
                e.source_file = r.source_file;
                e.how = "stamp";
                m_session.exec(m_tables.insert_history_sql(e));
            }
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

Schema Migrator::reflect() {
    ReflectOptions options;
    options.exclude_tables = m_tables.names();
    return m_dialect.reflect(m_session, options);
}

void Migrator::run_ops(const Revision& r, const std::vector<Op>& ops, Schema& schema, bool& schema_stale) {
    for (const Op& op : ops) {
        if (!applies_to(op, m_dialect.name())) continue;
        try {
            if (const auto* data = std::get_if<RunData>(&op.variant())) {
                DataOnly guard(m_session);
                data->up(m_session.connection());
                continue;
            }
            if (!replayable(op)) {
                m_dialect.execute(m_session, op, schema);
                schema_stale = true;
                continue;
            }
            Op resolved = op;
            if (!schema_stale) resolve(resolved, schema);
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
                        std::unordered_map<std::string, std::vector<Op>>& ops_by_revision, Schema schema) {
    RunReport report;
    report.direction = direction;
    report.heads_before = heads;
    const bool up = direction == Direction::upgrade;
    bool schema_stale = false;

    auto next_heads = [&](const std::vector<std::string>& h, const std::string& id) {
        return up ? m_graph.heads_after_upgrade(h, id) : m_graph.heads_after_downgrade(h, id);
    };
    auto record = [&](const Revision& r, double seconds) {
        if (up) {
            HistoryEntry e;
            e.revision = r.id;
            e.parents = join(r.down_revisions, ",");
            e.applied_at = utc_now();
            e.duration_ms = static_cast<long long>(seconds * 1000);
            e.source_file = r.source_file;
            m_session.exec(m_tables.insert_history_sql(e));
        } else {
            m_session.exec(m_tables.delete_history_sql(r.id));
        }
    };
    auto fail_hint = [&](Error& e, const std::vector<std::string>& at) {
        if (e.hint().empty())
            e.with_hint("nothing of this migration was kept: the database is still at " + heads_text(at) +
                        ". Fix the migration or the data, then run the command again");
    };
    using Clock = std::chrono::steady_clock;

    if (m_options.tx_mode == TxMode::whole_run) {
        std::vector<Op> all;
        for (const auto& id : path)
            for (const auto& op : ops_by_revision[id]) all.push_back(op);
        auto guard = m_dialect.prepare(m_session, all);
        Transaction tx(m_session);
        if (sorted(read_heads()) != sorted(heads)) throw HeadsChanged{read_heads()};
        try {
            for (std::size_t i = 0; i < path.size(); ++i) {
                const Revision& r = m_graph.at(path[i]);
                if (m_options.on_step)
                    m_options.on_step({StepEvent::Phase::start, direction, &r, i + 1, path.size(), 0});
                auto start = Clock::now();
                run_ops(r, ops_by_revision[r.id], schema, schema_stale);
                if (schema_stale) {
                    schema = reflect();
                    schema_stale = false;
                }
                auto after = next_heads(heads, r.id);
                for (const auto& sql : m_tables.update_heads_sql(heads, after)) m_session.exec(sql);
                double seconds = std::chrono::duration<double>(Clock::now() - start).count();
                record(r, seconds);
                heads = std::move(after);
                report.steps.push_back({r.id, r.message, seconds});
                if (m_options.on_step)
                    m_options.on_step({StepEvent::Phase::done, direction, &r, i + 1, path.size(), seconds});
            }
            guard->check(m_session);
            tx.commit();
        } catch (Error& e) {
            fail_hint(e, report.heads_before);
            throw;
        }
    } else {
        for (std::size_t i = 0; i < path.size(); ++i) {
            const Revision& r = m_graph.at(path[i]);
            const auto& ops = ops_by_revision[r.id];
            auto guard = m_dialect.prepare(m_session, ops);
            Transaction tx(m_session);
            auto now = read_heads();
            if (sorted(now) != sorted(heads)) throw HeadsChanged{now};
            if (m_options.on_step) m_options.on_step({StepEvent::Phase::start, direction, &r, i + 1, path.size(), 0});
            auto start = Clock::now();
            try {
                run_ops(r, ops, schema, schema_stale);
                guard->check(m_session);
                auto after = next_heads(heads, r.id);
                for (const auto& sql : m_tables.update_heads_sql(heads, after)) m_session.exec(sql);
                double seconds = std::chrono::duration<double>(Clock::now() - start).count();
                record(r, seconds);
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
    report.warnings = m_replayer.warnings();
    return report;
}

RunReport Migrator::upgrade(std::string_view target) {
    auto lock = m_dialect.lock(m_session, m_tables.version_table());
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
        std::unordered_map<std::string, std::vector<Op>> ops;
        for (const auto& id : path) ops[id] = m_replayer.upgrade_ops(m_graph.at(id));
        try {
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
        std::unordered_map<std::string, std::vector<Op>> ops;
        for (const auto& id : path) {
            const Revision& r = m_graph.at(id);
            auto it = resolved.find(id);
            ops[id] = m_replayer.downgrade_ops(r, it == resolved.end() ? nullptr : &it->second);
        }
        {
            // Check the downgrade ops replay cleanly before running them.
            Schema scratch = schema;
            for (const auto& id : path)
                for (Op op : ops[id]) {
                    if (!replayable(op) || !applies_to(op, m_dialect.name())) continue;
                    try {
                        apply(op, scratch);
                    } catch (const std::exception& e) {
                        rethrow_in_revision(m_graph.at(id), e);
                    }
                }
        }
        try {
            return run(Direction::downgrade, heads, path, ops, std::move(schema));
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
    for (const auto& id : closure) {
        if (have.count(id)) continue;
        const Revision& r = m_graph.at(id);
        HistoryEntry e;
        e.revision = id;
        e.parents = join(r.down_revisions, ",");
        e.applied_at = utc_now();
        e.source_file = r.source_file;
        e.how = "stamp";
        m_session.exec(m_tables.insert_history_sql(e));
    }
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
    const bool whole = options.tx_mode == TxMode::whole_run;
    if (whole && !path.empty()) out << "\nBEGIN;\n";
    for (const auto& id : path) {
        const Revision& r = graph.at(id);
        std::vector<Op> ops = up ? replayer.upgrade_ops(r)
                                 : replayer.downgrade_ops(r, resolved.count(id) ? &resolved[id] : nullptr);
        out << "\n-- " << (up ? "Running upgrade " : "Running downgrade ")
            << (up ? heads_text(r.down_revisions) + " -> " + r.id : r.id + " -> " + heads_text(r.down_revisions))
            << ", " << r.message << "\n";
        if (!whole) out << "BEGIN;\n";
        for (Op op : ops) {
            if (!applies_to(op, dialect.name())) continue;
            if (std::holds_alternative<RunData>(op.variant())) {
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
                    if (st.outside_transaction) {
                        out << "COMMIT;\n";
                        emit(st.sql);
                        out << "BEGIN;\n";
                    } else {
                        emit(st.sql);
                    }
                }
                if (replayable(op)) apply(op, schema);
            } catch (const std::exception& e) {
                rethrow_in_revision(r, e);
            }
        }
        auto after = up ? graph.heads_after_upgrade(heads, r.id) : graph.heads_after_downgrade(heads, r.id);
        for (const auto& sql : tables.update_heads_sql(heads, after)) emit(sql);
        if (up) {
            HistoryEntry e;
            e.revision = r.id;
            e.parents = join(r.down_revisions, ",");
            e.applied_at = utc_now();
            e.source_file = r.source_file;
            emit(tables.insert_history_sql(e));
        } else {
            emit(tables.delete_history_sql(r.id));
        }
        heads = std::move(after);
        if (!whole) out << "COMMIT;\n";
    }
    if (whole && !path.empty()) out << "\nCOMMIT;\n";
    return out.str();
}

}  // namespace retort
