// Autogenerate on real SQLite files, one case per change kind of the corpus
// (tests/unit/autogen_corpus.hpp), through real migrations: for each case, the
// initial migration autogenerate writes for "before" and the migration it writes
// from the replayed "before" to "after" are rendered as C++ (exactly what
// `retort revision --autogenerate` writes), compiled into one module with the
// compiler that built the tests, loaded, and run by the Migrator on a real file
// with two rows in every table. The reflected database must equal
// normalize(after) after the upgrade and normalize(before) after the downgrade,
// and the rows stay where the change keeps them. Changes that cannot run on a
// table holding rows (and say so in a REVIEW notice) must fail cleanly, leaving
// the database at its revision with its rows; they then run on empty tables.
#include "../unit/autogen_corpus.hpp"

#include <retort/autogen/compare.hpp>
#include <retort/autogen/models_source.hpp>
#include <retort/autogen/render_cpp.hpp>
#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/runtime/migrator.hpp>
#include <retort/schema/fingerprint.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <unistd.h>

#ifndef RETORT_SOURCE_DIR
#error "define RETORT_SOURCE_DIR: the folder holding retort/migration.hpp"
#endif
#ifndef RETORT_CXX_COMPILER
#define RETORT_CXX_COMPILER "c++"
#endif
#ifndef RETORT_AUTOGEN_WORK_DIR
#define RETORT_AUTOGEN_WORK_DIR "/tmp/retort_autogen_corpus"
#endif

namespace {

using namespace retort;
using autogen_corpus::ChangeCase;
namespace fs = std::filesystem;

class TempDb {
public:
    TempDb() {
        static int counter = 0;
        m_path = fs::temp_directory_path() /
                 ("retort_autogen_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db");
        fs::remove(m_path);
    }
    ~TempDb() { fs::remove(m_path); }
    std::string url() const { return "sqlite:///" + m_path.string(); }

private:
    fs::path m_path;
};

const Dialect& sqlite_dialect() { return *retort::sqlite::dialect(); }

Schema without_excluded(Schema schema, const autogen::CompareOptions& options) {
    for (auto it = schema.tables.begin(); it != schema.tables.end();)
        it = autogen::is_excluded(options, it->first) ? schema.tables.erase(it) : std::next(it);
    return schema;
}

std::vector<Op> plain(const std::vector<autogen::PlannedOp>& planned) {
    std::vector<Op> out;
    for (const auto& p : planned) out.push_back(p.op);
    return out;
}

// ---- rows --------------------------------------------------------------------

std::string quote(std::string_view name) { return sqlite_dialect().quote_identifier(name); }

/// The value row `i` (1 or 2) gets in a column: distinct per row, never NULL, a
/// foreign key column taking the referenced column's value of the same row.
std::string value_sql(const Schema& schema, const Table& table, const Column& column, int i, int depth = 0) {
    for (const auto& fk : table.foreign_keys) {
        auto at = std::find(fk.columns.begin(), fk.columns.end(), column.name);
        if (at == fk.columns.end() || depth > 4) continue;
        const Table* parent = schema.find_table(fk.ref_table);
        std::string ref = fk.ref_columns.empty() ? std::string() : fk.ref_columns[at - fk.columns.begin()];
        if (parent)
            if (const Column* ref_column = parent->find_column(ref))
                return value_sql(schema, *parent, *ref_column, i, depth + 1);
    }
    const std::string n = std::to_string(i);
    switch (column.type.kind) {
    case TypeKind::integer:
    case TypeKind::smallint:
    case TypeKind::bigint: return n;
    case TypeKind::boolean: return i % 2 ? "1" : "0";
    case TypeKind::numeric:
    case TypeKind::real:
    case TypeKind::double_precision: return n + ".5";
    case TypeKind::date: return "'2020-01-0" + n + "'";
    case TypeKind::time: return "'10:00:0" + n + "'";
    case TypeKind::timestamp:
    case TypeKind::timestamptz: return "'2020-01-01 10:00:0" + n + "'";
    case TypeKind::blob: return "x'0" + n + "'";
    case TypeKind::json:
    case TypeKind::jsonb: return "'{\"n\": " + n + "}'";
    case TypeKind::uuid: return "'00000000-0000-0000-0000-00000000000" + n + "'";
    case TypeKind::text:
    case TypeKind::varchar:
    case TypeKind::custom:
    case TypeKind::enumeration:  // TEXT on SQLite
    case TypeKind::array: break;
    }
    // Short, so that a narrowed varchar still holds it, and a valid integer-free text.
    return "'v" + n + "'";
}

long long count_rows(DbSession& session, const std::string& table);

/// Two rows in every table (`only_empty`: in every empty table), foreign keys off
/// while inserting (tables may reference each other) and checked after.
void insert_rows(DbSession& session, const Schema& schema, bool only_empty = false) {
    session.exec("PRAGMA foreign_keys = OFF");
    for (const auto& [name, table] : schema.tables) {
        if (only_empty && count_rows(session, name) > 0) continue;
        std::string columns, values1, values2;
        for (const auto& c : table.columns) {
            columns += (columns.empty() ? "" : ", ") + quote(c.name);
            values1 += (values1.empty() ? "" : ", ") + value_sql(schema, table, c, 1);
            values2 += (values2.empty() ? "" : ", ") + value_sql(schema, table, c, 2);
        }
        session.exec("INSERT INTO " + quote(name) + " (" + columns + ") VALUES (" + values1 + "), (" + values2 + ")");
    }
    EXPECT_TRUE(session.query("PRAGMA foreign_key_check").empty()) << "the fixture rows break a foreign key";
    session.exec("PRAGMA foreign_keys = ON");
}

void delete_rows(DbSession& session, const Schema& schema) {
    session.exec("PRAGMA foreign_keys = OFF");
    for (const auto& [name, _] : schema.tables) session.exec("DELETE FROM " + quote(name));
    session.exec("PRAGMA foreign_keys = ON");
}

long long count_rows(DbSession& session, const std::string& table) {
    return std::stoll(*session.query("SELECT count(*) FROM " + quote(table)).at(0).at(0));
}

/// Every value of a column, ordered by rowid, as text.
std::vector<std::string> column_values(DbSession& session, const std::string& table, const std::string& column) {
    std::vector<std::string> out;
    for (const auto& row : session.query("SELECT " + quote(column) + " FROM " + quote(table) + " ORDER BY rowid"))
        out.push_back(row.at(0) ? *row.at(0) : std::string("NULL"));
    return out;
}

/// The table's name after the case's rename hints.
std::string renamed_table(const autogen::CompareOptions& o, const std::string& table) {
    for (const auto& r : o.rename_tables)
        if (r.from == table) return r.to;
    return table;
}

std::string renamed_column(const autogen::CompareOptions& o, const std::string& table, const std::string& column) {
    const std::string to_table = renamed_table(o, table);
    for (const auto& r : o.rename_columns)
        if ((r.table == table || r.table == to_table) && r.from == column) return r.to;
    return column;
}

/// The values of every column of `from` that `to` keeps under the same (or hinted)
/// name and an unchanged type, per table, for the tables both hold.
using Snapshot = std::map<std::string, std::vector<std::string>>;

Snapshot kept_values(DbSession& session, const Schema& from, const Schema& to, const autogen::CompareOptions& o,
                     bool forward) {
    Snapshot out;
    for (const auto& [name, table] : from.tables) {
        const std::string other_name = forward ? renamed_table(o, name) : name;
        const Table* other = to.find_table(other_name);
        if (!other) continue;
        out[name + ".count"] = {std::to_string(count_rows(session, name))};
        for (const auto& c : table.columns) {
            const Column* oc = other->find_column(forward ? renamed_column(o, name, c.name) : c.name);
            if (oc && oc->type == c.type) out[name + "." + c.name] = column_values(session, name, c.name);
        }
    }
    return out;
}

/// The same values read under the names of `to`.
Snapshot values_now(DbSession& session, const Snapshot& before, const Schema& from, const autogen::CompareOptions& o,
                    bool forward) {
    Snapshot out;
    for (const auto& [key, _] : before) {
        auto dot = key.find('.');
        std::string table = key.substr(0, dot), column = key.substr(dot + 1);
        const std::string now_table = forward ? renamed_table(o, table) : table;
        if (column == "count") {
            out[key] = {std::to_string(count_rows(session, now_table))};
            continue;
        }
        (void)from;
        out[key] = column_values(session, now_table, forward ? renamed_column(o, table, column) : column);
    }
    return out;
}

// ---- expectations ------------------------------------------------------------

/// Changes that cannot run on a table holding rows. Autogenerate says why in a
/// REVIEW notice; the migration must fail and leave the database as it was.
struct RowsRefusal {
    const char* name;
    bool upgrade;
    bool downgrade;
    const char* message;  // a substring of the error
};

const RowsRefusal rows_refusals[] = {
    {"adds a NOT NULL column of a custom type without a default and says why not safely", true, false, "NOT NULL"},
    {"adds a NOT NULL foreign key column without a default and says why not safely", true, false, "NOT NULL"},
    {"adds a NOT NULL unique column without a default and says why not safely", true, false, "NOT NULL"},
    // The downgrade brings back a NOT NULL unique column: no zero default can fill it.
    {"drops the foreign key referencing a column before the column", false, true, "NOT NULL constraint failed"},
};

const RowsRefusal* refusal_for(const ChangeCase& c) {
    for (const auto& r : rows_refusals)
        if (std::strcmp(r.name, c.name) == 0) return &r;
    return nullptr;
}

/// Cases whose change SQLite does not store: no op is planned there.
bool sqlite_stores_nothing_of(const ChangeCase& c) {
    return std::strcmp(c.name, "adds an identity to a column") == 0 ||
           std::strcmp(c.name, "ignores excluded tables") == 0 ||
           // an enum column is TEXT on SQLite: its values are not stored in the schema
           std::strcmp(c.name, "removes an enum value, which a reviewer must check") == 0;
}

/// Cases whose models hold an array column: SQLite has no array types, so the
/// dialect refuses them (tested below) and no migration is generated.
bool uses_arrays(const ChangeCase& c) {
    for (auto fn : {c.before, c.after})
        for (const auto& [_, t] : autogen_corpus::models(fn).tables)
            for (const auto& col : t.columns)
                if (col.type.kind == TypeKind::array) return true;
    return false;
}

// ---- the corpus --------------------------------------------------------------

/// The schema as compared: a table has one primary key, matched by its columns
/// whatever its name (a renamed table keeps `pk_<old name>`; no op renames it).
std::string comparable(Schema schema) {
    for (auto& [_, t] : schema.tables)
        if (t.primary_key) t.primary_key->name.clear();
    return canonical_json(schema);
}

// ---- the migrations, rendered and compiled ---------------------------------------

/// What autogenerate writes for a case, from the models alone (no database): the
/// initial migration of "before", then the migration from the replayed "before"
/// to "after" — as `retort revision --autogenerate` computes them.
struct Generated {
    Schema before;    // normalize(replay of the initial migration)
    Schema after;     // normalize(after)
    autogen::SchemaDiff diff;
    autogen::MigrationBodies initial;
    autogen::MigrationBodies change;
};

Generated generate(const ChangeCase& c) {
    const Dialect& dialect = sqlite_dialect();
    const autogen::CompareOptions options = autogen_corpus::options_for(c);
    Generated g;
    const Schema before_models = dialect.normalize(autogen_corpus::models(c.before));
    g.initial = autogen::render_initial(before_models, options);
    Schema replayed;
    for (auto& op : plain(autogen::diff(Schema{}, before_models, options).ops)) apply(op, replayed);
    g.before = dialect.normalize(replayed);
    g.after = dialect.normalize(autogen_corpus::models(c.after));
    g.diff = autogen::diff(g.before, g.after, options);
    if (!g.diff.empty()) g.change = autogen::render_bodies(g.before, g.diff.ops, options);
    return g;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

/// Every case's two migrations as C++ functions, compiled into one module (once).
class CompiledCorpus {
public:
    static CompiledCorpus& get() {
        static CompiledCorpus corpus;
        return corpus;
    }
    const std::string& error() const { return m_error; }
    OpsFn function(std::size_t i, const char* which) const {
        if (!m_handle) return nullptr;
        return reinterpret_cast<OpsFn>(dlsym(m_handle, ("retort_case_" + std::to_string(i) + "_" + which).c_str()));
    }

private:
    // CTest runs each case in a process of its own: the module is compiled once per
    // source text and kept in RETORT_AUTOGEN_WORK_DIR (written under a temporary
    // name, then renamed, so parallel cases never load half a file).
    CompiledCorpus() {
        std::string source = "// Generated by autogen_sqlite_test: each corpus case's migrations.\n"
                             "#include <retort/migration.hpp>\n\nusing namespace retort;\n\n";
        const auto& corpus = autogen_corpus::change_corpus();
        for (std::size_t i = 0; i < corpus.size(); ++i) {
            if (uses_arrays(corpus[i])) continue;
            Generated g = generate(corpus[i]);
            const std::string n = std::to_string(i);
            source += "// " + std::string(corpus[i].name) + "\n";
            auto function = [&](const char* which, const std::string& body) {
                source += "extern \"C\" void retort_case_" + n + "_" + which + "([[maybe_unused]] Ops& op) {\n" + body +
                          "}\n";
            };
            function("before_up", g.initial.upgrade);
            function("before_down", g.initial.downgrade);
            function("up", g.change.upgrade);
            function("down", g.change.downgrade);
            source += "\n";
        }
        const fs::path dir = RETORT_AUTOGEN_WORK_DIR;
        fs::create_directories(dir);
        const std::string stem = "corpus_" + std::to_string(std::hash<std::string>{}(source));
        const fs::path module = dir / (stem + ".so");
        if (!fs::exists(module)) {
            const std::string tmp = stem + "." + std::to_string(getpid());
            const fs::path file = dir / (tmp + ".cpp"), built = dir / (tmp + ".so"), log = dir / (tmp + ".log");
            std::ofstream(file) << source;
            std::string cmd = shell_quote(RETORT_CXX_COMPILER) +
                              " -std=c++20 -Wall -Wextra -Wpedantic -Wshadow -Werror -shared -fPIC -I" +
                              shell_quote(RETORT_SOURCE_DIR) + " -o " + shell_quote(built.string()) + " " +
                              shell_quote(file.string()) + " > " + shell_quote(log.string()) + " 2>&1";
            if (std::system(cmd.c_str()) != 0) {
                std::ifstream in(log);
                m_error = "the generated migrations do not compile (" + file.string() + "):\n" +
                          std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
                return;
            }
            fs::rename(built, module);
            fs::remove(file);
            fs::remove(log);
        }
        // The module's builder calls resolve against the retort core already loaded.
        m_handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!m_handle) m_error = dlerror();
    }
    ~CompiledCorpus() {
        if (m_handle) dlclose(m_handle);
    }

    void* m_handle = nullptr;
    std::string m_error;
};

Revision revision(std::string id, std::vector<std::string> parents, OpsFn up, OpsFn down, const char* message) {
    Revision r;
    r.id = std::move(id);
    r.down_revisions = std::move(parents);
    r.message = message;
    r.source_file = "corpus_migrations.cpp";
    r.upgrade = up;
    r.downgrade = down;
    return r;
}

class AutogenSqlite : public ::testing::TestWithParam<std::size_t> {};

std::string reflected_json(Migrator& m) { return canonical_json(m.reflect()); }

long long all_rows(DbSession& session, const Schema& schema) {
    long long n = 0;
    for (const auto& [name, _] : schema.tables) n += count_rows(session, name);
    return n;
}

/// Upgrades or downgrades to `target`. With a refusal, it must first fail on the
/// rows with that message and leave the database at its revision, schema and rows
/// unchanged, and then run once the tables are emptied.
void migrate(Migrator& m, DbSession& session, bool up, const std::string& target, const RowsRefusal* refusal,
             const char* step) {
    auto run = [&] {
        if (up)
            m.upgrade(target);
        else
            m.downgrade(target);
    };
    if (!refusal) {
        ASSERT_NO_THROW(run()) << step;
        return;
    }
    const auto heads = m.current();
    const Schema schema = m.reflect();
    const std::string before = canonical_json(schema);
    const long long rows = all_rows(session, schema);
    try {
        run();
        ADD_FAILURE() << step << " ran on tables holding rows, but should have been refused";
    } catch (const Error& e) {
        EXPECT_NE(e.describe().find(refusal->message), std::string::npos) << e.describe();
    }
    EXPECT_EQ(m.current(), heads) << step << ": the failed migration moved the version table";
    EXPECT_EQ(reflected_json(m), before) << step << ": the failed migration changed the schema";
    EXPECT_EQ(all_rows(session, schema), rows) << step << ": the failed migration changed rows";
    delete_rows(session, schema);
    ASSERT_NO_THROW(run()) << step << " on empty tables";
}

TEST_P(AutogenSqlite, upgrades_to_after_and_downgrades_to_before_through_real_migrations) {
    const ChangeCase& c = autogen_corpus::change_corpus().at(GetParam());
    const CompiledCorpus& compiled = CompiledCorpus::get();
    ASSERT_EQ(compiled.error(), "");
    const Dialect& dialect = sqlite_dialect();
    const autogen::CompareOptions options = autogen_corpus::options_for(c);
    if (uses_arrays(c)) {
        // SQLite refuses an array column with an error that names the type and what to do.
        try {
            generate(c);
            ADD_FAILURE() << "an array column was accepted on SQLite";
        } catch (const Error& e) {
            EXPECT_NE(e.describe().find("no array types"), std::string::npos) << e.describe();
        }
        return;
    }
    const Generated g = generate(c);
    if (sqlite_stores_nothing_of(c)) {
        EXPECT_TRUE(g.diff.empty()) << autogen::to_json(g.diff).dump(2);
        return;
    }
    ASSERT_FALSE(g.diff.empty()) << "no op planned";
    const RowsRefusal* refusal = refusal_for(c);

    // A change refused on rows says so in a REVIEW notice.
    auto warns_about_rows = [](const std::vector<autogen::PlannedOp>& ops) {
        for (const auto& p : ops)
            for (const auto& n : p.notices)
                if (n.kind == autogen::NoticeKind::not_null_column_added) return true;
        return false;
    };
    if (refusal && refusal->upgrade) {
        EXPECT_TRUE(warns_about_rows(g.diff.ops)) << autogen::to_json(g.diff).dump(2);
    }
    if (refusal && refusal->downgrade) {
        EXPECT_TRUE(warns_about_rows(autogen::downgrade(g.before, g.diff.ops, options)));
    }

    const std::size_t i = GetParam();
    RevisionGraph graph = RevisionGraph::build({
        revision("a00000000001", {}, compiled.function(i, "before_up"), compiled.function(i, "before_down"),
                 "before"),
        revision("b00000000002", {"a00000000001"}, compiled.function(i, "up"), compiled.function(i, "down"),
                 "autogenerated"),
    });
    TempDb db;
    auto session = dialect.connect(Url::parse(db.url()));
    Migrator m(graph, *session);

    // The database at "before", through its initial migration; rows in every table.
    ASSERT_NO_THROW(m.upgrade("a00000000001"));
    const Schema before = without_excluded(g.before, options);
    ASSERT_EQ(canonical_json(m.reflect()), canonical_json(before));
    insert_rows(*session, before);

    // Upgrade through the generated migration.
    Snapshot kept = kept_values(*session, before, g.after, options, true);
    migrate(m, *session, true, "head", refusal && refusal->upgrade ? refusal : nullptr, "upgrade");
    if (HasFatalFailure()) return;
    EXPECT_EQ(m.current(), std::vector<std::string>{"b00000000002"});
    EXPECT_EQ(comparable(m.reflect()), comparable(without_excluded(g.after, options)));
    EXPECT_EQ(comparable(dialect.normalize(m.replayed_schema())), comparable(without_excluded(g.after, options)));
    if (!refusal || !refusal->upgrade) {
        EXPECT_EQ(values_now(*session, kept, before, options, true), kept);
    }
    // Nothing left to do: autogenerate against the upgraded database finds nothing.
    EXPECT_TRUE(autogen::diff(dialect.normalize(m.reflect()), g.after, options).empty());

    // Downgrade through the generated migration's downgrade.
    const Schema after_now = m.reflect();
    insert_rows(*session, after_now, true);  // new tables, and tables a refused upgrade emptied
    Snapshot kept_back = kept_values(*session, after_now, before, options, false);
    migrate(m, *session, false, "a00000000001", refusal && refusal->downgrade ? refusal : nullptr, "downgrade");
    if (HasFatalFailure()) return;
    EXPECT_EQ(m.current(), std::vector<std::string>{"a00000000001"});
    EXPECT_EQ(canonical_json(m.reflect()), canonical_json(before));
    if (!refusal || !refusal->downgrade) {
        // Rows of the tables both sides hold stay; renamed tables read under their old name again.
        Snapshot now;
        for (const auto& [key, values] : kept_back) {
            auto dot = key.find('.');
            std::string table = key.substr(0, dot), column = key.substr(dot + 1);
            std::string old_table = table, old_column = column;
            for (const auto& r : options.rename_tables)
                if (r.to == table) old_table = r.from;
            for (const auto& r : options.rename_columns)
                if ((r.table == old_table || r.table == table) && r.to == column) old_column = r.from;
            if (!before.find_table(old_table)) continue;
            now[key] = column == "count" ? std::vector<std::string>{std::to_string(count_rows(*session, old_table))}
                                         : column_values(*session, old_table, old_column);
        }
        for (const auto& [key, values] : now) EXPECT_EQ(values, kept_back.at(key)) << key;
    }

    // And up again: the generated migration runs a second time on the same file.
    if (refusal && refusal->upgrade) delete_rows(*session, m.reflect());
    ASSERT_NO_THROW(m.upgrade("head")) << "second upgrade";
    EXPECT_EQ(comparable(m.reflect()), comparable(without_excluded(g.after, options)));
}

std::vector<std::size_t> corpus_indices() {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < autogen_corpus::change_corpus().size(); ++i) out.push_back(i);
    return out;
}

std::string case_name(const ::testing::TestParamInfo<std::size_t>& info) {
    std::string out;
    for (char ch : std::string(autogen_corpus::change_corpus().at(info.param).name))
        out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, AutogenSqlite, ::testing::ValuesIn(corpus_indices()), case_name);

TEST(AutogenSqliteCorpus, covers_at_least_35_change_kinds_that_sqlite_stores) {
    std::size_t stored = 0;
    for (const auto& c : autogen_corpus::change_corpus())
        if (!sqlite_stores_nothing_of(c)) ++stored;
    EXPECT_GE(stored, 35u);
}

// ---- models from SQL (MODELS_SQL) ---------------------------------------------

class TempFile {
public:
    explicit TempFile(const std::string& text) {
        static int counter = 0;
        m_path = fs::temp_directory_path() /
                 ("retort_models_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".sql");
        std::ofstream(m_path) << text;
    }
    ~TempFile() { fs::remove(m_path); }
    std::string path() const { return m_path.string(); }

private:
    fs::path m_path;
};

TEST(AutogenSqliteModelsSql, a_sql_file_read_in_memory_equals_the_same_models_in_cpp) {
    TempFile sql(R"sql(
        -- the bookshop's authors and books, as SQL
        CREATE TABLE authors (
            id INTEGER NOT NULL,
            name VARCHAR(200) NOT NULL,
            born DATE,
            CONSTRAINT pk_authors PRIMARY KEY (id)
        );
        CREATE TABLE books (
            id INTEGER NOT NULL,
            author_id INTEGER NOT NULL,
            title VARCHAR(300) NOT NULL,
            price NUMERIC(10, 2) DEFAULT 0 NOT NULL,
            notes TEXT,
            CONSTRAINT pk_books PRIMARY KEY (id),
            CONSTRAINT fk_books_author_id_authors FOREIGN KEY (author_id) REFERENCES authors (id)
        );
        CREATE INDEX ix_books_title ON books (title);
        CREATE VIEW cheap_books AS SELECT * FROM books WHERE price < 5;
    )sql");
    const Dialect& dialect = sqlite_dialect();
    Schema from_sql = autogen::read_models({autogen::ModelsKind::sql, sql.path()}, dialect);
    Schema from_cpp = autogen_corpus::models(autogen_corpus::bookshop);
    EXPECT_TRUE(autogen::describe_diff(dialect.normalize(from_cpp), dialect.normalize(from_sql)).empty())
        << autogen::to_json(autogen::describe_diff(dialect.normalize(from_cpp), dialect.normalize(from_sql))).dump(2);
}

TEST(AutogenSqliteModelsSql, a_statement_sqlite_refuses_is_a_config_error_naming_the_file) {
    TempFile sql("CREATE TABLE ok (id INTEGER PRIMARY KEY);\nCREATE TABLE broken (id INTEGER,, name TEXT);\n");
    try {
        autogen::read_models({autogen::ModelsKind::sql, sql.path()}, sqlite_dialect());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::config);
        EXPECT_NE(std::string(e.what()).find(sql.path()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not run on SQLite"), std::string::npos) << e.what();
    }
}

TEST(AutogenSqliteModelsSql, a_file_without_tables_is_a_config_error) {
    TempFile sql("-- nothing yet\n");
    try {
        autogen::read_models({autogen::ModelsKind::sql, sql.path()}, sqlite_dialect());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::config);
        EXPECT_NE(std::string(e.what()).find("declares no tables"), std::string::npos) << e.what();
    }
}

TEST(AutogenSqliteModelsSql, a_missing_file_is_a_config_error_naming_it) {
    try {
        autogen::read_models({autogen::ModelsKind::sql, "/nonexistent/schema.sql"}, sqlite_dialect());
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::config);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/schema.sql"), std::string::npos) << e.what();
    }
}

// ---- objects the model has no kind for -------------------------------------------

TEST(AutogenSqliteUnmodeled, views_triggers_and_virtual_tables_are_listed_and_not_reflected) {
    TempDb db;
    const Dialect& dialect = sqlite_dialect();
    auto session = dialect.connect(Url::parse(db.url()));
    session->exec("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, updated TEXT);"
                  "CREATE VIEW recent_books AS SELECT * FROM books ORDER BY id DESC LIMIT 10;"
                  "CREATE TRIGGER trg_books_touch AFTER UPDATE ON books BEGIN "
                  "UPDATE books SET updated = 'now' WHERE id = NEW.id; END;");
    auto objects = dialect.unmodeled_objects(*session);
    ASSERT_EQ(objects.size(), 2u);
    EXPECT_EQ(to_string(objects[0]), "trigger trg_books_touch on books");
    EXPECT_EQ(to_string(objects[1]), "view recent_books");
    Schema live = dialect.reflect(*session, {});
    EXPECT_EQ(live.tables.size(), 1u);
}

}  // namespace
