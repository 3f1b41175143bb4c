// retort test: the round-trip tests CTest runs for a migration set, on real
// databases. retort_add_migrations() turns each step into a CTest case
// (docs/cmake.md, "CTest cases"):
//
//   retort test list [--fixtures <dir>]              the revisions: "<id> reversible|irreversible"
//   retort test setup --database <url> [--fixtures <dir>]
//        base -> head once, each revision's fixtures loaded after it, a snapshot of each revision
//   retort test up-down --database <url> [--fixtures <dir>]
//        base -> head -> base -> head, the schema checked at every step
//   retort test stairway <rev> --database <url>
//        from the snapshot of <rev>'s parent(s): upgrade, downgrade, upgrade, the schema checked
//        at every step and the parent's rows kept
//   retort test database <tag> --database <url>
//        an empty test database for <tag>, its URL printed (models_match_head migrates it)
//
// --database names where the test databases go, never a database to migrate: each
// test makes its own from it (SQLite: sqlite:///dir/test.db gives dir/test-<tag>.db;
// PostgreSQL: postgresql://.../prefix gives databases prefix_<tag> on that server,
// snapshots copied with CREATE DATABASE ... TEMPLATE), so the tests can run in
// parallel (ctest -j) and alone.
#include "commands.hpp"
#include "output.hpp"

#include <retort/error.hpp>
#include <retort/schema/fingerprint.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace retort::cli {

namespace {

struct TestOptions {
    std::string database;
    std::string fixtures;
    std::string revision;
};

std::string heads_or_base(const std::vector<std::string>& heads) { return heads.empty() ? "base" : join(heads); }

/// A revision id as it may appear in a file or database name.
std::string safe_tag(std::string_view id) {
    std::string out(id);
    for (char& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') c = '_';
    return out;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::config, "cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---- test databases ------------------------------------------------------------

/// Where a test run keeps its databases: one per tag ("snap-<rev>", "stairway-<rev>",
/// "up_down_full"), derived from the --database URL. This is the only code that
/// knows how a backend makes, copies and drops a whole database.
class TestDatabases {
public:
    virtual ~TestDatabases() = default;
    /// The URL of the database for a tag.
    virtual std::string url(std::string_view tag) const = 0;
    /// What to print for it: a file path, a database name and its server.
    virtual std::string where(std::string_view tag) const = 0;
    virtual bool exists(std::string_view tag) const = 0;
    /// Makes the database of a tag empty (SQLite: removes the file, which the next
    /// connection creates; a server: drops and creates it).
    virtual void make_empty(std::string_view tag) const = 0;
    /// Makes `to` a copy of `from`. No session may be open on either.
    virtual void copy(std::string_view from, std::string_view to) const = 0;
    /// A test that passed is done with its database: a server drops it, SQLite
    /// keeps the file for a look.
    virtual void done(std::string_view tag) const = 0;
    /// What the snapshots were made from (the plugin's files, the fixtures):
    /// cleared when `setup` starts, written for every snapshot when it ends, and
    /// checked by each stairway before it copies one.
    virtual void clear_stamp() const = 0;
    virtual void write_stamp(const std::vector<std::string>& tags, const std::string& text) const = 0;
    /// The stamp the snapshot of `tag` was made with ("" when none).
    virtual std::string stamp(std::string_view tag) const = 0;
};

/// SQLite: one file per tag beside the --database file: dir/test.db gives
/// dir/test-<tag>.db; a snapshot is a file copy; one stamp file for all snapshots.
class SqliteFiles final : public TestDatabases {
public:
    explicit SqliteFiles(const fs::path& base) {
        fs::path absolute = fs::absolute(base).lexically_normal();
        m_dir = absolute.parent_path();
        m_stem = absolute.stem().string();
        m_ext = absolute.has_extension() ? absolute.extension().string() : ".db";
        std::error_code ec;
        fs::create_directories(m_dir, ec);
        if (ec)
            throw Error(ErrorKind::config, "cannot create the folder of the test databases " + m_dir.string() + ": " +
                                               ec.message());
    }
    std::string url(std::string_view tag) const override { return "sqlite:///" + path(tag).string(); }
    std::string where(std::string_view tag) const override { return path(tag).string(); }
    bool exists(std::string_view tag) const override {
        std::error_code ec;
        return fs::exists(path(tag), ec);
    }
    void make_empty(std::string_view tag) const override {
        std::error_code ec;
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path(tag).string() + suffix, ec);
    }
    void copy(std::string_view from, std::string_view to) const override {
        make_empty(to);
        std::error_code ec;
        fs::copy_file(path(from), path(to), fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw Error(ErrorKind::database,
                        "cannot copy " + path(from).string() + " to " + path(to).string() + ": " + ec.message());
    }
    void done(std::string_view) const override {}
    void clear_stamp() const override {
        std::error_code ec;
        fs::remove(stamp_file(), ec);
    }
    void write_stamp(const std::vector<std::string>&, const std::string& text) const override {
        std::ofstream(stamp_file()) << text;
    }
    std::string stamp(std::string_view) const override {
        std::error_code ec;
        return fs::exists(stamp_file(), ec) ? read_file(stamp_file()) : std::string();
    }

private:
    fs::path path(std::string_view tag) const { return m_dir / (m_stem + "-" + std::string(tag) + m_ext); }
    fs::path stamp_file() const { return m_dir / (m_stem + "-snapshots.txt"); }

    fs::path m_dir;
    std::string m_stem;
    std::string m_ext;
};

/// A database server (PostgreSQL): the --database URL's database name is a
/// prefix; the database of a tag is <prefix>_<tag> on the same server, made with
/// CREATE DATABASE (a snapshot copy: CREATE DATABASE ... TEMPLATE <snapshot>) and
/// dropped with DROP DATABASE ... WITH (FORCE), through a session on the server's
/// `postgres` database. Each snapshot carries its stamp as the database's comment.
class ServerDatabases final : public TestDatabases {
public:
    explicit ServerDatabases(Url url) : m_url(std::move(url)) {
        if (m_url.database.empty())
            throw Error(ErrorKind::usage,
                        "--database " + m_url.masked() + " names no database: its name is the prefix of the test "
                        "databases",
                        "for example --database " + m_url.scheme + "://user@host/myapp_test (the tests make "
                        "myapp_test_snap_<rev>, myapp_test_stairway_<rev>, ...)");
    }

    std::string url(std::string_view tag) const override {
        Url u = m_url;
        u.database = name(tag);
        return u.str();
    }
    std::string where(std::string_view tag) const override {
        Url u = m_url;
        u.database = name(tag);
        return "database " + name(tag) + " (" + u.masked() + ")";
    }
    bool exists(std::string_view tag) const override {
        return !admin().query("SELECT 1 FROM pg_catalog.pg_database WHERE datname = " + literal(name(tag))).empty();
    }
    void make_empty(std::string_view tag) const override {
        drop(tag);
        admin().exec("CREATE DATABASE " + ident(name(tag)));
    }
    void copy(std::string_view from, std::string_view to) const override {
        drop(to);
        // The template must have no session: ours are closed, and the server waits
        // a few seconds for a backend that is still going away.
        admin().exec("CREATE DATABASE " + ident(name(to)) + " TEMPLATE " + ident(name(from)));
    }
    void done(std::string_view tag) const override { drop(tag); }
    void clear_stamp() const override {}  // each snapshot is stamped when it is made
    void write_stamp(const std::vector<std::string>& tags, const std::string& text) const override {
        for (const auto& tag : tags) admin().exec("COMMENT ON DATABASE " + ident(name(tag)) + " IS " + literal(text));
    }
    std::string stamp(std::string_view tag) const override {
        auto rows = admin().query("SELECT pg_catalog.shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database "
                                  "WHERE datname = " + literal(name(tag)));
        return rows.empty() || rows[0].empty() || !rows[0][0] ? std::string() : *rows[0][0];
    }

private:
    /// <prefix>_<tag>, '-' as '_'; a name longer than PostgreSQL's 63 bytes keeps
    /// the start and ends in a digest of the whole, so two tags never share one.
    std::string name(std::string_view tag) const {
        std::string out = m_url.database + "_" + std::string(tag);
        std::replace(out.begin(), out.end(), '-', '_');
        if (out.size() > 63) out = out.substr(0, 46) + "_" + sha256_hex(out).substr(0, 16);
        return out;
    }
    static std::string ident(std::string_view name) {
        std::string out = "\"";
        for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    }
    static std::string literal(std::string_view text) {
        std::string out = "'";
        for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
        return out + "'";
    }
    void drop(std::string_view tag) const {
        // FORCE (PostgreSQL 13+) ends sessions a failed test left behind.
        admin().exec("DROP DATABASE IF EXISTS " + ident(name(tag)) + " WITH (FORCE)");
    }
    /// A session on the server's maintenance database, opened once.
    DbSession& admin() const {
        if (!m_admin) {
            Url u = m_url;
            u.database = "postgres";
            try {
                m_admin = connect(u.str());
            } catch (const Error&) {
                u.database = "template1";  // servers without a `postgres` database
                m_admin = connect(u.str());
            }
        }
        return *m_admin;
    }

    Url m_url;
    mutable std::unique_ptr<DbSession> m_admin;
};

std::unique_ptr<TestDatabases> open_test_databases(const std::string& text) {
    if (text.empty())
        throw Error(ErrorKind::usage, "--database is required: where the test databases go",
                    "for example --database sqlite:///build/retort-tests/test.db");
    Url url = Url::parse(text);
    dialect_for(url);  // an unknown scheme fails here, listing the known ones
    if (url.scheme == "sqlite") {
        if (url.database == ":memory:")
            throw Error(ErrorKind::usage,
                        "--database " + url.masked() + ": round-trip tests keep snapshots, so they need files",
                        "give a file: sqlite:///<folder>/test.db (each test uses <folder>/test-<tag>.db)");
        return std::make_unique<SqliteFiles>(url.database);
    }
    return std::make_unique<ServerDatabases>(std::move(url));
}

// ---- fixtures --------------------------------------------------------------------

/// The FIXTURES folder: `<rev>_<anything>.sql` files, loaded right after revision <rev>.
class Fixtures {
public:
    static Fixtures scan(const std::string& dir, const RevisionGraph& graph) {
        Fixtures out;
        if (dir.empty()) return out;
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw Error(ErrorKind::config, "the fixtures folder " + dir + " does not exist",
                        "create it, or leave FIXTURES out of retort_add_migrations()");
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".sql") files.push_back(it->path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            const std::string name = f.filename().string();
            // The longest id followed by '_': ids may hold '_' themselves.
            const Revision* match = nullptr;
            for (const auto& r : graph.revisions())
                if (name.size() > r.id.size() && name.compare(0, r.id.size(), r.id) == 0 && name[r.id.size()] == '_' &&
                    (!match || r.id.size() > match->id.size()))
                    match = &r;
            if (!match)
                throw Error(ErrorKind::config,
                            "fixture file " + f.string() + " does not start with the id of a revision and '_'",
                            "name it <revision id>_<what>.sql, e.g. " +
                                (graph.empty() ? std::string("1a2b3c4d5e6f") : graph.revisions().front().id) +
                                "_authors.sql; `retort history` lists the ids");
            out.m_files[match->id].push_back(f);
        }
        return out;
    }

    std::size_t size() const {
        std::size_t n = 0;
        for (const auto& [_, files] : m_files) n += files.size();
        return n;
    }

    /// SHA-256 over the names and contents: what the snapshots were made with.
    std::string digest() const {
        std::string all;
        for (const auto& [rev, files] : m_files)
            for (const auto& f : files) all += f.filename().string() + '\n' + sha256_hex(read_file(f)) + '\n';
        return sha256_hex(all);
    }

    /// Runs the fixture files of a revision, each in its own transaction.
    void load(DbSession& session, const std::string& rev) const {
        auto it = m_files.find(rev);
        if (it == m_files.end()) return;
        for (const auto& f : it->second) {
            const std::string sql = read_file(f);
            try {
                Transaction tx(session);
                session.exec(sql);
                tx.commit();
            } catch (const Error& e) {
                Error err(ErrorKind::migration,
                          "fixture " + f.string() + " (loaded after revision " + rev + ") failed: " + e.what(),
                          "fixtures are SQL for the schema at their revision: fix the file or rename it to the "
                          "revision whose schema it fits");
                err.with_file(f.string()).with_revision(rev);
                if (!e.sql().empty()) err.with_sql(e.sql());
                throw err;
            }
        }
    }

private:
    std::map<std::string, std::vector<fs::path>> m_files;
};

// ---- schema and rows -----------------------------------------------------------

std::string describe_column(const Column& c) {
    std::string out = to_string(c.type);
    if (!c.nullable) out += " NOT NULL";
    if (c.server_default) out += " DEFAULT " + *c.server_default;
    if (c.autoincrement) out += " AUTOINCREMENT";
    if (c.identity == Identity::always) out += " GENERATED ALWAYS AS IDENTITY";
    if (c.identity == Identity::by_default) out += " GENERATED BY DEFAULT AS IDENTITY";
    if (c.comment) out += " COMMENT '" + *c.comment + "'";
    return out;
}

std::string name_or_unnamed(const std::string& name) { return name.empty() ? "(unnamed)" : name; }

/// Every key, constraint and index of a table, one line each.
std::vector<std::string> table_elements(const Table& t) {
    std::vector<std::string> out;
    if (t.primary_key)
        out.push_back("primary key " + name_or_unnamed(t.primary_key->name) + " (" + join(t.primary_key->columns) + ")");
    for (const auto& fk : t.foreign_keys)
        out.push_back("foreign key " + name_or_unnamed(fk.name) + " (" + join(fk.columns) + ") -> " + fk.ref_table + " (" +
                      join(fk.ref_columns) + ") ON DELETE " + std::string(to_string(fk.on_delete)) + " ON UPDATE " +
                      std::string(to_string(fk.on_update)));
    for (const auto& u : t.uniques) out.push_back("unique constraint " + name_or_unnamed(u.name) + " (" + join(u.columns) + ")");
    for (const auto& c : t.checks) out.push_back("check constraint " + name_or_unnamed(c.name) + " (" + c.expression + ")");
    for (const auto& i : t.indexes) {
        std::vector<std::string> parts;
        for (const auto& p : i.parts) parts.push_back(p.text);
        std::string line = std::string(i.unique ? "unique index " : "index ") + i.name + " (" + join(parts) + ")";
        if (i.where) line += " WHERE " + *i.where;
        out.push_back(line);
    }
    if (t.comment) out.push_back("comment '" + *t.comment + "'");
    std::sort(out.begin(), out.end());
    return out;
}

/// What `actual` lacks or has more than `expected`, one line each ("missing" is in
/// expected only).
std::vector<std::string> schema_differences(const Schema& expected, const Schema& actual) {
    std::vector<std::string> out;
    for (const auto& [name, t] : expected.tables)
        if (!actual.find_table(name)) out.push_back("table " + name + " is missing");
    for (const auto& [name, t] : actual.tables)
        if (!expected.find_table(name)) out.push_back("unexpected table " + name);
    for (const auto& [name, want] : expected.tables) {
        const Table* have = actual.find_table(name);
        if (!have) continue;
        for (const auto& c : want.columns) {
            const Column* hc = have->find_column(c.name);
            if (!hc)
                out.push_back("table " + name + ": column " + c.name + " " + describe_column(c) + " is missing");
            else if (describe_column(*hc) != describe_column(c))
                out.push_back("table " + name + ": column " + c.name + " is " + describe_column(*hc) + ", expected " +
                              describe_column(c));
        }
        for (const auto& c : have->columns)
            if (!want.find_column(c.name))
                out.push_back("table " + name + ": unexpected column " + c.name + " " + describe_column(c));
        auto w = table_elements(want);
        auto h = table_elements(*have);
        std::vector<std::string> missing, extra;
        std::set_difference(w.begin(), w.end(), h.begin(), h.end(), std::back_inserter(missing));
        std::set_difference(h.begin(), h.end(), w.begin(), w.end(), std::back_inserter(extra));
        for (const auto& m : missing) out.push_back("table " + name + ": " + m + " is missing");
        for (const auto& e : extra) out.push_back("table " + name + ": unexpected " + e);
    }
    if (out.empty() && canonical_json(expected) != canonical_json(actual)) {
        out.push_back("expected " + canonical_json(expected));
        out.push_back("found    " + canonical_json(actual));
    }
    return out;
}

/// A schema as the database holds it (dialect-normal) and its fingerprint.
struct Observed {
    Schema schema;
    std::string fingerprint;
};

Observed observe(Migrator& migrator, const Dialect& dialect) {
    Schema schema = dialect.normalize(migrator.reflect());
    std::string fp = fingerprint(schema);
    return {std::move(schema), std::move(fp)};
}

std::string short_fp(const std::string& fp) { return fp.substr(0, 12); }

/// The rows of every table of `at`, on `at`'s columns, each encoded as text, sorted.
using Rows = std::map<std::string, std::vector<std::string>>;

std::string encode_row(const Row& row) {
    std::string out = "(";
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) out += ", ";
        if (!row[i]) {
            out += "NULL";
            continue;
        }
        out += '\'';
        for (char c : *row[i]) {
            if (c == '\'') out += '\'';
            out += c;
        }
        out += '\'';
    }
    return out + ")";
}

Rows read_rows(DbSession& session, const Dialect& dialect, const Schema& at) {
    Rows out;
    for (const auto& [name, t] : at.tables) {
        if (t.columns.empty()) continue;
        std::vector<std::string> cols;
        for (const auto& c : t.columns) cols.push_back(dialect.quote_identifier(c.name));
        auto& rows = out[name];
        for (const auto& row : session.query("SELECT " + join(cols) + " FROM " + dialect.quote_table(name)))
            rows.push_back(encode_row(row));
        std::sort(rows.begin(), rows.end());
    }
    return out;
}

/// `before`'s tables and columns that `now` still has.
Schema surviving(const Schema& before, const Schema& now, std::vector<std::string>& gone) {
    Schema out;
    for (const auto& [name, t] : before.tables) {
        const Table* n = now.find_table(name);
        if (!n) {
            gone.push_back("table " + name + " is gone, and its rows with it");
            continue;
        }
        Table kept = t;
        kept.columns.clear();
        for (const auto& c : t.columns) {
            if (n->find_column(c.name))
                kept.columns.push_back(c);
            else
                gone.push_back("table " + name + ": column " + c.name + " is gone, and its values with it");
        }
        out.tables.emplace(name, std::move(kept));
    }
    return out;
}

enum class RowCheck : unsigned char { equal, contains };

std::string examples(const std::vector<std::string>& rows) {
    std::string out;
    for (std::size_t i = 0; i < rows.size() && i < 3; ++i) out += (i ? ", " : "") + rows[i];
    if (rows.size() > 3) out += ", ...";
    return out;
}

/// Compares the rows of `before` with `after` table by table.
std::vector<std::string> row_differences(const Rows& before, const Rows& after, RowCheck check) {
    std::vector<std::string> out;
    for (const auto& [table, rows] : before) {
        auto it = after.find(table);
        if (it == after.end()) continue;  // reported as gone
        std::vector<std::string> lost, added;
        std::set_difference(rows.begin(), rows.end(), it->second.begin(), it->second.end(), std::back_inserter(lost));
        std::set_difference(it->second.begin(), it->second.end(), rows.begin(), rows.end(), std::back_inserter(added));
        if (!lost.empty())
            out.push_back(fmt::format("table {}: {} of its {} row{} changed or lost: {}", table, lost.size(), rows.size(),
                                      rows.size() == 1 ? "" : "s", examples(lost)));
        if (check == RowCheck::equal && !added.empty())
            out.push_back(fmt::format("table {}: {} row{} that were not there before: {}", table, added.size(),
                                      added.size() == 1 ? "" : "s", examples(added)));
    }
    return out;
}

std::string rows_summary(const Rows& rows) {
    std::vector<std::string> parts;
    for (const auto& [table, r] : rows)
        if (!r.empty()) parts.push_back(fmt::format("{} {}", table, r.size()));
    return parts.empty() ? "no rows" : "rows: " + join(parts);
}

// ---- the runs ----------------------------------------------------------------

/// The revisions a revision needs applied first (parents and dependencies), without
/// those implied by others: the heads of the database right before it.
std::vector<std::string> prerequisites(const RevisionGraph& graph, const Revision& r) {
    std::vector<std::string> all = r.down_revisions;
    for (const auto& d : r.depends_on) all.push_back(graph.resolve_revision(d));
    std::vector<std::string> out;
    for (const auto& a : all) {
        if (std::find(out.begin(), out.end(), a) != out.end()) continue;
        bool implied = std::any_of(all.begin(), all.end(), [&](const std::string& b) { return graph.is_ancestor(a, b); });
        if (!implied) out.push_back(a);
    }
    return out;
}

/// The database a revision's stairway starts from.
struct Before {
    std::vector<std::string> heads;  // the prerequisites
    std::string tag;                 // "": an empty database
    bool composite = false;          // several prerequisites: a snapshot of its own
};

Before before_state(const RevisionGraph& graph, const Revision& r) {
    Before b;
    b.heads = prerequisites(graph, r);
    if (b.heads.size() == 1) b.tag = "snap-" + safe_tag(b.heads.front());
    if (b.heads.size() > 1) {
        b.tag = "before-" + safe_tag(r.id);
        b.composite = true;
    }
    return b;
}

/// Collects the problems of a run and prints its steps.
class Checks {
public:
    Checks(Context& ctx, const RevisionGraph& graph) : m_ctx(ctx), m_graph(graph) {}

    void line(const std::string& step, const std::string& result) {
        if (!m_ctx.options().quiet) fmt::print("  {:<40} {}\n", step, result);
        std::fflush(stdout);
    }
    void problem(const std::string& where, const std::vector<std::string>& lines) {
        std::string text = where;
        for (const auto& l : lines) text += "\n      " + l;
        m_problems.push_back(std::move(text));
    }
    bool failed() const { return !m_problems.empty(); }
    std::string problems() const {
        std::string out;
        for (const auto& p : m_problems) out += "\n  - " + p;
        return out;
    }

    /// Compares the database with the replayed migrations at `heads`; returns the
    /// note for the step's line.
    std::string check_replay(const Observed& db, const Dialect& dialect, const std::vector<std::string>& heads,
                             const std::string& step) {
        Replayer replayer(m_graph);
        Schema replayed = replayer.schema_at(heads);
        if (!replayer.warnings().empty()) return "(replay skipped: opaque SQL)";
        replayed = dialect.normalize(replayed);
        if (fingerprint(replayed) == db.fingerprint) return "= replay";
        problem(step + ": the database differs from the replayed migrations (" + heads_or_base(heads) + ")",
                schema_differences(replayed, db.schema));
        return "DIFFERS from the replay";
    }

    /// Compares the database with an earlier state of it; returns the note.
    std::string check_same(const Observed& db, const Observed& earlier, const std::string& earlier_name,
                           const std::string& step) {
        if (db.fingerprint == earlier.fingerprint) return "= " + earlier_name;
        problem(step + ": the schema differs from " + earlier_name, schema_differences(earlier.schema, db.schema));
        return "DIFFERS from " + earlier_name;
    }

private:
    Context& m_ctx;
    const RevisionGraph& m_graph;
    std::vector<std::string> m_problems;
};

std::string plugin_digest(Context& ctx) {
    std::string all;
    for (const auto& f : ctx.plugin().info().files) {
        all += f.name;
        all += '\n';
        all += f.sha256;
        all += '\n';
    }
    return sha256_hex(all);
}

std::string stamp_text(Context& ctx, const Fixtures& fixtures) {
    return "plugin " + plugin_digest(ctx) + "\nfixtures " + fixtures.digest() + "\n";
}

std::string set_name(Context& ctx) { return ctx.plugin().info().set; }

/// `retort test database <tag>`: an empty database of the test databases, its URL
/// printed (for test scripts such as models_match_head, which then migrate it).
void run_database(const TestOptions& o) {
    auto dbs = open_test_databases(o.database);
    const std::string tag = safe_tag(o.revision);
    dbs->make_empty(tag);
    fmt::print("{}\n", dbs->url(tag));
}

void run_list(const TestOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    Fixtures::scan(o.fixtures, graph);  // a misnamed fixture file fails the build here
    for (const auto& r : graph.revisions()) fmt::print("{} {}\n", r.id, r.irreversible ? "irreversible" : "reversible");
}

void run_setup(const TestOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    auto dbs = open_test_databases(o.database);
    Fixtures fixtures = Fixtures::scan(o.fixtures, graph);
    Checks checks(ctx, graph);
    dbs->clear_stamp();
    std::vector<std::string> snapshots;  // the tags the stairways may start from
    if (!ctx.options().quiet)
        fmt::print("snapshots of the {} migrations: base -> head once, {} fixture file{} loaded\n", set_name(ctx),
                   fixtures.size(), fixtures.size() == 1 ? "" : "s");

    auto upgrade_one = [&](Migrator& m, DbSession& session, const std::string& id) {
        m.upgrade(id);
        fixtures.load(session, id);
    };
    for (const auto& r : graph.revisions()) {
        Before b = before_state(graph, r);
        if (b.composite) {
            // Several prerequisites (a merge): start from the one with the longest
            // history, then apply what the others add, fixtures included.
            std::string largest = b.heads.front();
            for (const auto& h : b.heads)
                if (graph.closure({h}).size() > graph.closure({largest}).size()) largest = h;
            dbs->copy("snap-" + safe_tag(largest), b.tag);
            snapshots.push_back(b.tag);
            auto session = connect(dbs->url(b.tag));
            Migrator m(graph, *session, ctx.migrator_options());
            auto have = graph.closure({largest});
            for (const auto& id : graph.closure(b.heads))
                if (std::find(have.begin(), have.end(), id) == have.end()) upgrade_one(m, *session, id);
        }
        const std::string tag = "snap-" + safe_tag(r.id);
        if (b.tag.empty())
            dbs->make_empty(tag);
        else
            dbs->copy(b.tag, tag);
        snapshots.push_back(tag);
        {
            auto session = connect(dbs->url(tag));
            Migrator m(graph, *session, ctx.migrator_options());
            try {
                upgrade_one(m, *session, r.id);
            } catch (Error& e) {
                checks.line("upgrade " + heads_or_base(b.heads) + " -> " + r.id, "FAILED");
                e.with_hint((e.hint().empty() ? std::string() : e.hint() + "; ") + "the database is kept at " +
                            dbs->where(tag) + " for a look");
                throw;
            }
        }
        checks.line("upgrade " + heads_or_base(b.heads) + " -> " + r.id, "snapshot " + dbs->where(tag));
    }
    dbs->write_stamp(snapshots, stamp_text(ctx, fixtures));
    if (!ctx.options().quiet) fmt::print("ok: {} snapshot{}\n", graph.size(), graph.size() == 1 ? "" : "s");
}

void run_stairway(const TestOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    const Revision& r = graph.at(graph.resolve_revision(o.revision));
    const std::string test = set_name(ctx) + ".stairway." + r.id;
    if (r.irreversible)
        throw Error(ErrorKind::integrity, "revision " + r.id + " is irreversible: it has no stairway",
                    "its children's stairways start from its snapshot; CTest lists " + test + " as disabled")
            .with_revision(r.id)
            .with_file(r.source_file);
    auto dbs = open_test_databases(o.database);
    Fixtures fixtures = Fixtures::scan(o.fixtures, graph);
    Before b = before_state(graph, r);
    const std::string work = "stairway-" + safe_tag(r.id);
    if (!b.tag.empty()) {
        const bool exists = dbs->exists(b.tag);
        if (!exists || dbs->stamp(b.tag) != stamp_text(ctx, fixtures))
            throw Error(ErrorKind::build_state,
                        "the snapshot " + dbs->where(b.tag) + " is " +
                            (exists ? "from another build of the migrations or other fixtures"
                                                : "missing"),
                        "make the snapshots first: retort test setup (CTest runs it as " + set_name(ctx) +
                            ".snapshots, and before " + test + " on its own)");
        dbs->copy(b.tag, work);
    } else {
        dbs->make_empty(work);
    }

    Checks checks(ctx, graph);
    const std::string before_name = heads_or_base(b.heads);
    if (!ctx.options().quiet)
        fmt::print("stairway {} ({}): {} -> {} -> {} -> {}, database {}\n", r.id, r.message, before_name, r.id,
                   before_name, r.id, dbs->where(work));
    auto session = connect(dbs->url(work));
    const Dialect& dialect = session->dialect();
    Migrator m(graph, *session, ctx.migrator_options());
    auto keep_hint = [&](Error& e, const std::string& step) {
        checks.line(step, "FAILED");
        e.with_hint((e.hint().empty() ? std::string() : e.hint() + "; ") + "the database is kept at " +
                    dbs->where(work) + " for a look");
    };

    if (sorted(m.current()) != sorted(b.heads))
        throw Error(ErrorKind::build_state,
                    "the snapshot " + dbs->where(b.tag) + " is at " + heads_or_base(m.current()) + ", not at " +
                        before_name,
                    "make the snapshots again: retort test setup (CTest: " + set_name(ctx) + ".snapshots)");
    const std::string at_step = "at " + before_name;
    Observed before = observe(m, dialect);
    checks.line(at_step, "schema " + short_fp(before.fingerprint) + " " + checks.check_replay(before, dialect, b.heads, at_step));
    Rows rows_before = read_rows(*session, dialect, before.schema);

    const std::string up_step = "upgrade -> " + r.id;
    try {
        m.upgrade(r.id);
    } catch (Error& e) {
        keep_hint(e, up_step);
        throw;
    }
    Observed up = observe(m, dialect);
    checks.line(up_step, "schema " + short_fp(up.fingerprint) + " " + checks.check_replay(up, dialect, {r.id}, up_step));

    const std::string down_step = "downgrade -> " + before_name;
    try {
        m.downgrade(r.id + "@base");
    } catch (Error& e) {
        keep_hint(e, down_step);
        throw;
    }
    if (sorted(m.current()) != sorted(b.heads))
        checks.problem(down_step + ": the version table says " + heads_or_base(m.current()) + ", expected " + before_name, {});
    Observed down = observe(m, dialect);
    std::string note = checks.check_replay(down, dialect, b.heads, down_step);
    note += ", " + checks.check_same(down, before, "before the upgrade", down_step);
    std::vector<std::string> data;
    Schema kept = surviving(before.schema, down.schema, data);
    Rows rows_now = read_rows(*session, dialect, kept);
    for (auto& d : row_differences(rows_before, rows_now, RowCheck::equal)) data.push_back(std::move(d));
    if (data.empty()) {
        note += ", rows kept (" + rows_summary(rows_before) + ")";
    } else {
        note += ", ROWS CHANGED";
        checks.problem(down_step + ": the rows " + before_name + " had are not intact (compared on " + before_name +
                        "'s tables and columns)",
                    data);
    }
    checks.line(down_step, "schema " + short_fp(down.fingerprint) + " " + note);

    const std::string again_step = "upgrade -> " + r.id + " again";
    try {
        m.upgrade(r.id);
    } catch (Error& e) {
        keep_hint(e, again_step);
        throw;
    }
    Observed again = observe(m, dialect);
    note = checks.check_replay(again, dialect, {r.id}, again_step);
    note += ", " + checks.check_same(again, up, "the first upgrade", again_step);
    checks.line(again_step, "schema " + short_fp(again.fingerprint) + " " + note);

    if (checks.failed())
        throw Error(ErrorKind::migration, "stairway " + r.id + " (" + r.message + ") failed:" + checks.problems(),
                    "make the downgrade of " + r.source_file +
                        " undo exactly what its upgrade does; the database is kept at " + dbs->where(work) +
                        "; run this test alone: ctest -R '^" + set_name(ctx) + "\\.stairway\\." + r.id + "$'")
            .with_revision(r.id)
            .with_file(r.source_file);
    session.reset();  // the database goes next (no session may be open on it)
    dbs->done(work);
    if (!ctx.options().quiet) fmt::print("ok\n");
}

void run_up_down(const TestOptions& o, Context& ctx) {
    const RevisionGraph& graph = ctx.graph();
    auto dbs = open_test_databases(o.database);
    Fixtures fixtures = Fixtures::scan(o.fixtures, graph);
    const std::string work = "up_down_full";
    dbs->make_empty(work);

    // The floor: what can never be undone (irreversible revisions and their
    // ancestors). The walk applies it first, so coming back down ends there.
    std::vector<std::string> irreversible;
    for (const auto& r : graph.revisions())
        if (r.irreversible) irreversible.push_back(r.id);
    const std::vector<std::string> fixed = graph.closure(irreversible);
    auto is_fixed = [&](const std::string& id) { return std::find(fixed.begin(), fixed.end(), id) != fixed.end(); };
    std::vector<std::string> order = fixed;
    for (const auto& r : graph.revisions())
        if (!is_fixed(r.id)) order.push_back(r.id);

    Checks checks(ctx, graph);
    if (!ctx.options().quiet)
        fmt::print("up_down_full ({}): base -> head{} -> head, database {}\n", set_name(ctx),
                   fixed.empty() ? " -> base" : " -> the irreversible part (" + join(irreversible) + ")",
                   dbs->where(work));
    auto session = connect(dbs->url(work));
    const Dialect& dialect = session->dialect();
    Migrator m(graph, *session, ctx.migrator_options());
    auto keep_hint = [&](Error& e, const std::string& step) {
        checks.line(step, "FAILED");
        e.with_hint((e.hint().empty() ? std::string() : e.hint() + "; ") + "the database is kept at " +
                    dbs->where(work) + " for a look");
    };

    // Up, one revision at a time, each one's fixtures right after it.
    std::vector<Observed> states{observe(m, dialect)};  // states[i]: after order[i-1]
    Rows fixed_rows;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::string step = "upgrade -> " + order[i];
        try {
            m.upgrade(order[i]);
            fixtures.load(*session, order[i]);
        } catch (Error& e) {
            keep_hint(e, step);
            throw;
        }
        states.push_back(observe(m, dialect));
        checks.line(step, "schema " + short_fp(states.back().fingerprint) + " " +
                           checks.check_replay(states.back(), dialect, m.current(), step));
        if (i + 1 == fixed.size()) fixed_rows = read_rows(*session, dialect, states.back().schema);
    }

    // Down to the floor, one revision at a time: each state must be the one the
    // walk up passed through.
    for (std::size_t i = order.size(); i-- > fixed.size();) {
        const std::string step = "downgrade " + order[i];
        try {
            m.downgrade(order[i] + "@base");
        } catch (Error& e) {
            keep_hint(e, step);
            throw;
        }
        Observed now = observe(m, dialect);
        std::string note = checks.check_replay(now, dialect, m.current(), step);
        note += ", " + checks.check_same(now, states[i], "the way up", step);
        checks.line(step, "schema " + short_fp(now.fingerprint) + " " + note);
    }
    if (!fixed.empty()) {
        Observed now = observe(m, dialect);
        std::vector<std::string> data;
        Schema kept = surviving(states[fixed.size()].schema, now.schema, data);
        for (auto& d : row_differences(fixed_rows, read_rows(*session, dialect, kept), RowCheck::contains))
            data.push_back(std::move(d));
        if (!data.empty()) checks.problem("back at the irreversible part: its rows are not intact", data);
        checks.line("rows of the irreversible part", data.empty() ? "kept (" + rows_summary(fixed_rows) + ")" : "CHANGED");
    }

    // Up again, in one run.
    const std::string step = "upgrade -> heads again";
    try {
        m.upgrade("heads");
    } catch (Error& e) {
        keep_hint(e, step);
        throw;
    }
    Observed head = observe(m, dialect);
    std::string note = checks.check_replay(head, dialect, m.current(), step);
    note += ", " + checks.check_same(head, states.back(), "the first time", step);
    checks.line(step, "schema " + short_fp(head.fingerprint) + " " + note);

    if (checks.failed())
        throw Error(ErrorKind::migration, "up_down_full of the " + set_name(ctx) + " migrations failed:" + checks.problems(),
                    "the stairway of the first revision named above tells which downgrade is wrong; the database is "
                    "kept at " + dbs->where(work));
    session.reset();
    dbs->done(work);
    if (!ctx.options().quiet) fmt::print("ok\n");
}

}  // namespace

void setup_test(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<TestOptions>();
    auto* cmd = app.add_subcommand("test", "Round-trip tests on real databases, as CTest runs them (docs/cmake.md)");
    cmd->require_subcommand(1);
    auto add_database = [&](CLI::App* sub) {
        sub->add_option("--database", o->database,
                        "where the test databases go, e.g. sqlite:///build/tests/test.db (each test uses "
                        "test-<tag>.db); never the database you work on")
            ->required();
    };
    auto add_fixtures = [&](CLI::App* sub) {
        sub->add_option("--fixtures", o->fixtures, "folder of <revision>_<what>.sql files, loaded after their revision");
    };

    auto* list = cmd->add_subcommand("list", "List the revisions a stairway is made for: \"<id> reversible|irreversible\"");
    add_fixtures(list);
    list->callback([o, &ctx] { run_list(*o, ctx); });

    auto* setup = cmd->add_subcommand("setup", "Walk base -> head once, loading fixtures; snapshot every revision");
    add_database(setup);
    add_fixtures(setup);
    setup->callback([o, &ctx] { run_setup(*o, ctx); });

    auto* up_down = cmd->add_subcommand("up-down", "base -> head -> base -> head, the schema checked at every step");
    add_database(up_down);
    add_fixtures(up_down);
    up_down->callback([o, &ctx] { run_up_down(*o, ctx); });

    auto* stairway = cmd->add_subcommand(
        "stairway", "From the snapshot of a revision's parent(s): upgrade, downgrade, upgrade, checked at every step");
    stairway->add_option("revision", o->revision, "the revision (id or unique prefix)")->required();
    add_database(stairway);
    add_fixtures(stairway);
    stairway->callback([o, &ctx] { run_stairway(*o, ctx); });

    auto* database = cmd->add_subcommand(
        "database", "Make an empty test database for a tag and print its URL (test scripts migrate it themselves)");
    database->add_option("tag", o->revision, "the tag, e.g. models_match_head: sqlite test-<tag>.db, a server "
                                             "<prefix>_<tag>")
        ->required();
    add_database(database);
    database->callback([o] { run_database(*o); });
}

}  // namespace retort::cli
