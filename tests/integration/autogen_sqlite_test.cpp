// Autogenerate on real SQLite files, one case per change kind of the corpus
// (tests/unit/autogen_corpus.hpp), through real migrations: the round trip of
// autogen_roundtrip.hpp (generated migrations compiled, run by the Migrator on a
// file with two rows in every table, reflected, rows compared) on a file of each
// case's own. Cases whose models SQLite does not store or refuses (identity,
// enum values, arrays) are checked for that instead. Then: models from SQL and
// the objects the model has no kind for.
#include "autogen_roundtrip.hpp"

#include <retort/autogen/models_source.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using namespace retort;
using namespace autogen_roundtrip;
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

/// Rows on SQLite: booleans as 0 and 1, blobs as x'..', enums as their TEXT; the
/// foreign_keys pragma; values in rowid order.
class SqliteBackend final : public Backend {
public:
    const Dialect& dialect() const override { return sqlite_dialect(); }
    std::string literal(const Schema&, const Type& type, int i) const override {
        if (type.kind == TypeKind::boolean) return i % 2 ? "1" : "0";
        if (type.kind == TypeKind::blob) return "x'0" + std::to_string(i) + "'";
        // An enum column is TEXT on SQLite; there are no arrays.
        return common_literal(type, i).value_or("'v" + std::to_string(i) + "'");
    }
    void enforce_foreign_keys(DbSession& session, bool on) const override {
        session.exec(on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
    }
    bool foreign_keys_hold(DbSession& session, const Schema&) const override {
        return session.query("PRAGMA foreign_key_check").empty();
    }
    std::string order_by(const std::string&) const override { return "rowid"; }
};

// ---- expectations ------------------------------------------------------------

const RowsRefusal rows_refusals[] = {
    {"adds a NOT NULL column of a custom type without a default and says why not safely", true, false, "NOT NULL"},
    {"adds a NOT NULL foreign key column without a default and says why not safely", true, false, "NOT NULL"},
    {"adds a NOT NULL unique column without a default and says why not safely", true, false, "NOT NULL"},
    // The downgrade brings back a NOT NULL unique column: no zero default can fill it.
    {"drops the foreign key referencing a column before the column", false, true, "NOT NULL constraint failed"},
};

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

const CompiledCorpus& compiled_corpus() {
    static const CompiledCorpus corpus(sqlite_dialect(), [](const ChangeCase& c) { return !uses_arrays(c); });
    return corpus;
}

class AutogenSqlite : public ::testing::TestWithParam<std::size_t> {};

TEST_P(AutogenSqlite, upgrades_to_after_and_downgrades_to_before_through_real_migrations) {
    const ChangeCase& c = autogen_corpus::change_corpus().at(GetParam());
    ASSERT_EQ(compiled_corpus().error(), "");
    if (uses_arrays(c)) {
        // SQLite refuses an array column with an error that names the type and what to do.
        try {
            generate(c, sqlite_dialect());
            ADD_FAILURE() << "an array column was accepted on SQLite";
        } catch (const Error& e) {
            EXPECT_NE(e.describe().find("no array types"), std::string::npos) << e.describe();
        }
        return;
    }
    if (sqlite_stores_nothing_of(c)) {
        const Generated g = generate(c, sqlite_dialect());
        EXPECT_TRUE(g.diff.empty()) << autogen::to_json(g.diff).dump(2);
        return;
    }
    TempDb db;
    auto session = sqlite_dialect().connect(Url::parse(db.url()), OpenMode::create);
    round_trip(SqliteBackend{}, compiled_corpus(), GetParam(), *session, refusal_for(c, rows_refusals));
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
    auto session = dialect.connect(Url::parse(db.url()), OpenMode::create);
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
