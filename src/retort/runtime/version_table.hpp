// The version tables: `retort_version` holds one row per applied head (as
// Alembic's alembic_version does); `<version table>_history` one row per applied
// revision (when, how long, checksums). This file only builds their SQL, so the
// same statements serve live runs and offline --sql scripts.
#pragma once

#include <retort/dialect/dialect.hpp>

#include <string>
#include <vector>

namespace retort {

struct HistoryEntry {
    std::string revision;
    std::string parents;     // down revisions, comma-separated
    std::string applied_at;  // UTC, ISO 8601
    long long duration_ms = 0;
    std::string checksum;      // blocking: migration source + canonical ops
    std::string sql_checksum;  // informational: the SQL it rendered
    std::string source_file;
    std::string how = "upgrade";  // "upgrade", "stamp" or "load" (created by the schema load)
    long long seq = 0;            // order of application
};

class VersionTables {
public:
    VersionTables(const Dialect& dialect, std::string version_table);

    const std::string& version_table() const { return m_version; }
    const std::string& history_table() const { return m_history; }
    /// Both tables, for reflection to leave out.
    std::vector<std::string> names() const { return {m_version, m_history}; }

    std::vector<std::string> create_version_sql() const;
    std::vector<std::string> create_history_sql() const;
    /// The history table's columns, in order (used to upgrade older layouts in place).
    static const std::vector<Column>& history_columns();
    std::vector<std::string> add_history_column_sql(const Column& column) const;

    std::string select_heads_sql() const;
    /// A query every column of the current layout must answer (fails on an older layout).
    std::string probe_history_sql() const;
    /// A query that fails when the history table lacks `column`.
    std::string probe_column_sql(const std::string& column) const;
    std::string select_history_sql() const;

    /// Rewrites the heads: deletes what is gone, inserts what is new.
    std::vector<std::string> update_heads_sql(const std::vector<std::string>& before,
                                              const std::vector<std::string>& after) const;
    std::string insert_history_sql(const HistoryEntry& entry) const;
    /// Appends the entries as they are, their seq included (Dialect::append_rows:
    /// multi-row INSERTs, or PostgreSQL's COPY).
    void append_history(DbSession& session, const std::vector<HistoryEntry>& entries) const;
    /// COALESCE(MAX(seq), 0) of the history table.
    std::string select_max_seq_sql() const;
    std::string delete_history_sql(const std::string& revision) const;
    /// Records a new blocking checksum for an applied revision (--accept-changed).
    std::string update_checksum_sql(const std::string& revision, const std::string& checksum) const;

private:
    const Dialect& m_dialect;
    std::string m_version;
    std::string m_history;
};

/// The current time in UTC as "YYYY-MM-DD HH:MM:SS".
std::string utc_now();

}  // namespace retort
