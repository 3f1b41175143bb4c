#include <retort/runtime/version_table.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace retort {

namespace {

Column make_column(const char* name, TypeSpec type, bool nullable, const char* server_default = nullptr) {
    Column c;
    c.name = name;
    c.type = Type::from(type);
    c.nullable = nullable;
    if (server_default) c.server_default = server_default;
    return c;
}

std::vector<std::string> statements(const Dialect& d, const Op& op) {
    std::vector<std::string> out;
    for (auto& st : d.render(op, Schema{})) out.push_back(std::move(st.sql));
    return out;
}

}  // namespace

VersionTables::VersionTables(const Dialect& dialect, std::string version_table)
    : m_dialect(dialect), m_version(std::move(version_table)), m_history(m_version + "_history") {}

std::vector<std::string> VersionTables::create_version_sql() const {
    Table t;
    t.name = m_version;
    t.columns.push_back(make_column("version_num", varchar(64), false));
    t.primary_key = PrimaryKey{m_version + "_pkc", {"version_num"}};
    return statements(m_dialect, CreateTable{t});
}

const std::vector<Column>& VersionTables::history_columns() {
    static const std::vector<Column> columns = {
        make_column("revision", varchar(64), false),
        make_column("parents", varchar(512), false, "''"),
        make_column("applied_at", varchar(32), false),
        make_column("duration_ms", bigint(), true),
        make_column("checksum", varchar(64), true),
        make_column("sql_checksum", varchar(64), true),
        make_column("source_file", varchar(1024), true),
        make_column("how", varchar(16), false, "'upgrade'"),
        make_column("seq", bigint(), true),
    };
    return columns;
}

std::vector<std::string> VersionTables::create_history_sql() const {
    Table t;
    t.name = m_history;
    t.columns = history_columns();
    t.primary_key = PrimaryKey{m_history + "_pkc", {"revision"}};
    return statements(m_dialect, CreateTable{t});
}

std::vector<std::string> VersionTables::add_history_column_sql(const Column& column) const {
    Schema before;
    Table t;
    t.name = m_history;
    t.columns = {history_columns().front()};
    before.tables.emplace(m_history, t);
    std::vector<std::string> out;
    for (auto& st : m_dialect.render(AddColumn{m_history, column, std::nullopt}, before)) out.push_back(st.sql);
    return out;
}

std::string VersionTables::select_heads_sql() const {
    return "SELECT version_num FROM " + m_dialect.quote_identifier(m_version) + " ORDER BY version_num";
}

// Column names stay unquoted here: they are plain lowercase words, and SQLite
// reads an unknown "quoted" name as a string literal, which would hide a missing
// column from the probe.
std::string VersionTables::probe_column_sql(const std::string& column) const {
    return "SELECT " + column + " FROM " + m_dialect.quote_identifier(m_history) + " WHERE 1 = 0";
}

std::string VersionTables::probe_history_sql() const {
    std::string cols;
    for (const auto& c : history_columns()) cols += (cols.empty() ? "" : ", ") + c.name;
    return "SELECT " + cols + " FROM " + m_dialect.quote_identifier(m_history) + " WHERE 1 = 0";
}

std::string VersionTables::select_history_sql() const {
    std::string cols;
    for (const auto& c : history_columns()) cols += (cols.empty() ? "" : ", ") + c.name;
    return "SELECT " + cols + " FROM " + m_dialect.quote_identifier(m_history) +
           " ORDER BY COALESCE(seq, 0), applied_at, revision";
}

std::vector<std::string> VersionTables::update_heads_sql(const std::vector<std::string>& before,
                                                         const std::vector<std::string>& after) const {
    const std::string table = m_dialect.quote_identifier(m_version);
    std::vector<std::string> removed, added;
    for (const auto& h : before)
        if (std::find(after.begin(), after.end(), h) == after.end()) removed.push_back(h);
    for (const auto& h : after)
        if (std::find(before.begin(), before.end(), h) == before.end()) added.push_back(h);
    // One head moved along its line (most steps): one UPDATE, as Alembic writes it.
    if (removed.size() == 1 && added.size() == 1)
        return {"UPDATE " + table + " SET version_num = " + m_dialect.quote_literal(added[0]) +
                " WHERE version_num = " + m_dialect.quote_literal(removed[0])};
    std::vector<std::string> out;
    for (const auto& h : removed)
        out.push_back("DELETE FROM " + table + " WHERE version_num = " + m_dialect.quote_literal(h));
    for (const auto& h : added)
        out.push_back("INSERT INTO " + table + " (version_num) VALUES (" + m_dialect.quote_literal(h) + ")");
    return out;
}

std::string VersionTables::insert_history_sql(const HistoryEntry& e) const {
    auto lit = [&](const std::string& s) { return m_dialect.quote_literal(s); };
    auto opt = [&](const std::string& s) { return s.empty() ? std::string("NULL") : lit(s); };
    // seq orders the rows as they were applied: one more than the largest so far,
    // computed under the migration's write lock.
    const std::string table = m_dialect.quote_identifier(m_history);
    return "INSERT INTO " + table +
           " (revision, parents, applied_at, duration_ms, checksum, sql_checksum, source_file, how, seq) SELECT " +
           lit(e.revision) + ", " + lit(e.parents) + ", " + lit(e.applied_at) + ", " + std::to_string(e.duration_ms) +
           ", " + opt(e.checksum) + ", " + opt(e.sql_checksum) + ", " + opt(e.source_file) + ", " + lit(e.how) +
           ", COALESCE(MAX(seq), 0) + 1 FROM " + table;
}

void VersionTables::append_history(DbSession& session, const std::vector<HistoryEntry>& entries) const {
    static const std::vector<std::string> columns{"revision", "parents",     "applied_at", "duration_ms", "checksum",
                                                  "sql_checksum", "source_file", "how",     "seq"};
    auto opt = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    std::vector<Row> rows;
    rows.reserve(entries.size());
    for (const HistoryEntry& e : entries)
        rows.push_back({e.revision, e.parents, e.applied_at, std::to_string(e.duration_ms), opt(e.checksum),
                        opt(e.sql_checksum), opt(e.source_file), e.how, std::to_string(e.seq)});
    m_dialect.append_rows(session, m_dialect.quote_identifier(m_history), columns, rows);
}

std::string VersionTables::select_max_seq_sql() const {
    return "SELECT COALESCE(MAX(seq), 0) FROM " + m_dialect.quote_identifier(m_history);
}

std::string VersionTables::delete_history_sql(const std::string& revision) const {
    return "DELETE FROM " + m_dialect.quote_identifier(m_history) +
           " WHERE revision = " + m_dialect.quote_literal(revision);
}

std::string VersionTables::update_checksum_sql(const std::string& revision, const std::string& checksum) const {
    return "UPDATE " + m_dialect.quote_identifier(m_history) + " SET checksum = " + m_dialect.quote_literal(checksum) +
           " WHERE revision = " + m_dialect.quote_literal(revision);
}

std::string utc_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

}  // namespace retort
