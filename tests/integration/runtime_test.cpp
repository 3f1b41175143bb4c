// The runtime on real SQLite files: every op kind upgraded and downgraded through
// the Migrator with rows in the tables, the database compared with the replayed
// schema (fingerprint) after each step; the example application's migrations base
// -> head -> base -> head; a migration failing halfway; stamp; offline SQL.
#include <retort/embed.hpp>
#include <retort/error.hpp>
#include <retort/migration.hpp>
#include <retort/runtime/migrator.hpp>
#include <retort/schema/fingerprint.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

using namespace retort;
namespace fs = std::filesystem;

class TempDb {
public:
    TempDb() {
        static int counter = 0;
        m_path = fs::temp_directory_path() /
                 ("retort_runtime_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db");
        fs::remove(m_path);
    }
    ~TempDb() { fs::remove(m_path); }
    std::string url() const { return "sqlite:///" + m_path.string(); }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

Revision rev(std::string id, std::vector<std::string> parents, OpsFn up, OpsFn down = nullptr) {
    Revision r;
    r.id = std::move(id);
    r.down_revisions = std::move(parents);
    r.message = keep_text("revision " + r.id);
    r.source_file = "runtime_test.cpp";
    r.upgrade = up;
    r.downgrade = down;
    return r;
}

long long count_rows(DbSession& s, const std::string& table) {
    auto rows = s.query("SELECT count(*) FROM \"" + table + "\"");
    return std::stoll(*rows.at(0).at(0));
}

/// The database's schema and the replayed one, both as the dialect normalizes them.
void expect_db_matches_replay(Migrator& m, DbSession& s, const std::string& where) {
    const Dialect& d = s.dialect();
    EXPECT_EQ(canonical_json(d.normalize(m.replayed_schema())), canonical_json(m.reflect())) << where;
    EXPECT_EQ(fingerprint(d.normalize(m.replayed_schema())), fingerprint(m.reflect())) << where;
}

// The base revision: two tables with rows. Every op revision below builds on it.
void base_up(Ops& op) {
    op.create_table("authors", {
                                   col("id", integer()).primary_key(),
                                   col("name", varchar(200)).not_null(),
                                   col("Mixed Case", text()),
                               });
    op.create_table("books", {
                                 col("id", integer()).primary_key(),
                                 col("author_id", integer()).not_null().references("authors").on_delete(Action::cascade),
                                 col("title", varchar(200)).not_null(),
                                 col("price", integer()).server_default("0"),
                                 col("isbn", varchar(20)).unique(),
                                 col("editor_id", integer()).references("authors"),
                                 check("ck_books_price", "price >= 0"),
                                 index("ix_books_title", {"title"}),
                             });
    op.execute(sql("INSERT INTO authors (id, name) VALUES (1, 'Le Guin'), (2, 'Jemisin');"
                   "INSERT INTO books (id, author_id, title, price, isbn) VALUES "
                   "(1, 1, 'The Dispossessed', 10, '111'), (2, 1, 'Lathe of Heaven', 8, '222'),"
                   "(3, 2, 'The Fifth Season', 12, NULL)")
                   .down("DELETE FROM books; DELETE FROM authors"));
}

struct OpCase {
    const char* name;
    OpsFn up;
    bool drops_books_rows = false;  // the downgrade cannot bring them back
};

const OpCase op_cases[] = {
    {"create_table", [](Ops& op) { op.create_table("tags", {col("id", integer()).primary_key(), col("tag", text())}); }},
    {"drop_table", [](Ops& op) { op.drop_table("books"); }, true},
    {"rename_table", [](Ops& op) { op.rename_table("authors", "writers"); }},
    {"set_table_comment", [](Ops& op) { op.set_table_comment("books", "for sale"); }},
    {"add_column", [](Ops& op) { op.add_column("books", col("pages", integer()).not_null().server_default("100")); }},
    {"add_column with a foreign key", [](Ops& op) { op.add_column("books", col("reviewer_id", integer()).references("authors")); }},
    {"add_column not null without a constant default",
     [](Ops& op) { op.add_column("books", col("added", timestamp()).not_null().server_default("CURRENT_TIMESTAMP")); }},
    {"drop_column", [](Ops& op) { op.drop_column("authors", "Mixed Case"); }},
    {"drop_column with a unique constraint", [](Ops& op) { op.drop_column("books", "isbn"); }},
    {"drop_column with a foreign key", [](Ops& op) { op.drop_column("books", "editor_id"); }},
    {"alter_column type", [](Ops& op) { op.alter_column("books", "price", change().type(numeric(10, 2))); }},
    {"alter_column not null with a default",
     [](Ops& op) { op.alter_column("books", "price", change().not_null().server_default("1")); }},
    {"alter_column rename", [](Ops& op) { op.rename_column("books", "title", "name"); }},
    {"alter the referenced parent's key type",
     [](Ops& op) { op.alter_column("authors", "id", change().type(bigint())); }},
    {"create_index", [](Ops& op) { op.create_index("books", index({"author_id", "title"}).unique()); }},
    {"create partial expression index",
     [](Ops& op) { op.create_index("books", index("ix_books_lower", {expr("lower(title)")}).where("price > 0")); }},
    {"drop_index", [](Ops& op) { op.drop_index("books", "ix_books_title"); }},
    {"add_constraint check", [](Ops& op) { op.add_constraint("authors", check("ck_authors_name", "length(name) > 0")); }},
    {"add_constraint unique", [](Ops& op) { op.add_constraint("authors", unique({"name"})); }},
    {"add_constraint foreign key",
     [](Ops& op) {
         op.add_column("authors", col("mentor_id", integer()));
         op.add_constraint("authors", foreign_key({"mentor_id"}, "authors", {"id"}).on_delete(Action::set_null));
     }},
    {"drop_constraint", [](Ops& op) { op.drop_constraint("books", "ck_books_price"); }},
    {"drop a foreign key", [](Ops& op) { op.drop_constraint("books", "fk_books_author_id_authors"); }},
    {"execute with a declared schema effect",
     [](Ops& op) {
         op.execute(sql("ALTER TABLE books ADD COLUMN pages INTEGER")
                        .down("ALTER TABLE books DROP COLUMN pages")
                        .schema_effect([](Ops& eq) { eq.add_column("books", col("pages", integer())); }));
     }},
    {"data step", [](Ops& op) {
         op.run(data([](Connection& c) { c.exec("UPDATE books SET price = price + ?", {1}); })
                    .down([](Connection& c) { c.exec("UPDATE books SET price = price - ?", {1}); }));
     }},
};

class EveryOpThroughTheRuntime : public ::testing::TestWithParam<OpCase> {
protected:
    static void SetUpTestSuite() { sqlite::register_dialect(); }
};

TEST_P(EveryOpThroughTheRuntime, UpgradesAndDowngradesKeepingRowsAndMatchingTheReplay) {
    TempDb db;
    // The op's downgrade is derived (no downgrade body): reverse of the upgrade.
    auto graph = RevisionGraph::build({rev("r0", {}, base_up), rev("change", {"r0"}, GetParam().up)});
    auto session = connect(db.url());
    Migrator m(graph, *session);

    m.upgrade("r0");
    expect_db_matches_replay(m, *session, "at base");
    const long long books = count_rows(*session, "books");
    const long long authors = count_rows(*session, "authors");
    ASSERT_EQ(books, 3);

    auto up = m.upgrade("head");
    ASSERT_EQ(up.steps.size(), 1u);
    EXPECT_EQ(m.current(), std::vector<std::string>{"change"});
    expect_db_matches_replay(m, *session, "after the upgrade");
    std::string authors_table = session->dialect().table_exists(*session, "authors") ? "authors" : "writers";
    EXPECT_EQ(count_rows(*session, authors_table), authors) << "rows of authors";
    if (session->dialect().table_exists(*session, "books")) {
        EXPECT_EQ(count_rows(*session, "books"), books);
    }

    auto down = m.downgrade("-1");
    ASSERT_EQ(down.steps.size(), 1u);
    EXPECT_EQ(m.current(), std::vector<std::string>{"r0"});
    expect_db_matches_replay(m, *session, "after the downgrade");
    EXPECT_EQ(count_rows(*session, "authors"), authors);
    EXPECT_EQ(count_rows(*session, "books"), GetParam().drops_books_rows ? 0 : books);
}

INSTANTIATE_TEST_SUITE_P(Runtime, EveryOpThroughTheRuntime, ::testing::ValuesIn(op_cases), [](const auto& param_info) {
    std::string name;
    for (const char* p = param_info.param.name; *p; ++p)
        name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
    return name;
});

class Runtime : public ::testing::Test {
protected:
    static void SetUpTestSuite() { sqlite::register_dialect(); }
};

TEST_F(Runtime, AMigrationFailingHalfwayLeavesTheLastGoodRevisionAndNoPartialSchema) {
    TempDb db;
    auto graph = RevisionGraph::build({
        rev("r0", {}, base_up),
        rev("good", {"r0"}, [](Ops& op) { op.add_column("books", col("pages", integer())); }),
        rev("bad", {"good"},
            [](Ops& op) {
                op.create_table("halfway", {col("id", integer()).primary_key()});
                op.add_column("books", col("isbn2", varchar(20)));
                op.execute(sql("UPDATE no_such_table SET x = 1").down("SELECT 1"));
            }),
    });
    auto session = connect(db.url());
    Migrator m(graph, *session);
    try {
        m.upgrade("head");
        FAIL() << "the upgrade should fail";
    } catch (const Error& e) {
        EXPECT_EQ(e.revision(), "bad");
        EXPECT_EQ(e.file(), "runtime_test.cpp");
        EXPECT_NE(e.op().find("execute"), std::string::npos) << e.op();
        EXPECT_NE(e.sql().find("no_such_table"), std::string::npos) << e.sql();
        EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
        EXPECT_NE(e.hint().find("still at good"), std::string::npos) << e.hint();
    }
    EXPECT_EQ(m.current(), std::vector<std::string>{"good"});
    expect_db_matches_replay(m, *session, "after the failure");
    EXPECT_FALSE(session->dialect().table_exists(*session, "halfway"));
    EXPECT_EQ(count_rows(*session, "books"), 3);
    auto history = m.history();
    ASSERT_EQ(history.size(), 2u);
}

TEST_F(Runtime, WholeRunModeRollsEverythingBackOnFailure) {
    TempDb db;
    auto graph = RevisionGraph::build({
        rev("r0", {}, base_up),
        rev("bad", {"r0"}, [](Ops& op) { op.execute(sql("UPDATE nope SET x = 1").down("SELECT 1")); }),
    });
    auto session = connect(db.url());
    MigratorOptions options;
    options.tx_mode = TxMode::whole_run;
    Migrator m(graph, *session, options);
    EXPECT_THROW(m.upgrade("head"), Error);
    EXPECT_TRUE(m.current().empty());
    EXPECT_FALSE(session->dialect().table_exists(*session, "books"));
}

TEST_F(Runtime, UpgradingWithNothingToDoChangesNothing) {
    TempDb db;
    auto graph = RevisionGraph::build({rev("r0", {}, base_up)});
    auto session = connect(db.url());
    Migrator m(graph, *session);
    m.upgrade("head");
    auto report = m.upgrade("head");
    EXPECT_TRUE(report.steps.empty());
    EXPECT_EQ(report.heads_after, std::vector<std::string>{"r0"});
}

// ---- the schema load (MigratorOptions::schema_load) ----------------------------------

/// A history of schema changes only, with the ops that rebuild a SQLite table.
RevisionGraph pure_ddl_history() {
    return RevisionGraph::build({
        rev("d0", {},
            [](Ops& op) {
                op.create_table("authors", {col("id", integer()).primary_key(), col("name", varchar(200)).not_null()});
                op.create_table("books", {col("id", integer()).primary_key(),
                                          col("author_id", integer()).not_null().references("authors"),
                                          col("title", varchar(200)), index("ix_books_title", {"title"})});
            }),
        rev("d1", {"d0"},
            [](Ops& op) {
                op.add_column("books", col("price", integer()).server_default("0"));
                op.alter_column("books", "title", change().type(text()).not_null());
                op.create_index("books", index("ix_books_price", {"price"}).unique());
            }),
        rev("d2", {"d1"},
            [](Ops& op) {
                op.rename_table("authors", "writers");
                op.alter_column("writers", "name", change().rename("full name"));
                op.create_table("tags", {col("name", text()).primary_key(), col("Weight", real()),
                                         check("ck_tags_weight", "\"Weight\" >= 0")});
            }),
        rev("d3", {"d2"},
            [](Ops& op) {
                op.drop_index("books", "ix_books_title");
                op.drop_column("books", "price");
                op.add_column("writers", col("born", date()));
            }),
    });
}

TEST_F(Runtime, TheSchemaLoadBuildsTheSameDatabaseAsSteppingThroughEachRevision) {
    auto graph = pure_ddl_history();
    TempDb stepped, loaded;
    auto a = connect(stepped.url());
    auto b = connect(loaded.url());
    Migrator step(graph, *a);
    MigratorOptions options;
    options.schema_load = true;
    Migrator load(graph, *b, options);
    auto stepped_report = step.upgrade("head");
    auto loaded_report = load.upgrade("head");
    EXPECT_EQ(stepped_report.steps.size(), 4u);
    EXPECT_EQ(loaded_report.steps.size(), 4u);
    EXPECT_EQ(canonical_json(load.reflect()), canonical_json(step.reflect()));
    EXPECT_EQ(load.current(), std::vector<std::string>{"d3"});
    expect_db_matches_replay(load, *b, "after the schema load");
    // Every revision is recorded, with its checksum, as loaded; verify and a
    // downgrade work from there as after any upgrade.
    auto history = load.history();
    ASSERT_EQ(history.size(), 4u);
    for (const auto& e : history) EXPECT_EQ(e.how, "load") << e.revision;
    EXPECT_EQ(history.front().revision, "d0");
    EXPECT_EQ(history.back().revision, "d3");
    auto stepped_history = step.history();
    ASSERT_EQ(stepped_history.size(), history.size());
    for (std::size_t i = 0; i < history.size(); ++i) {
        EXPECT_EQ(history[i].seq, static_cast<long long>(i + 1)) << history[i].revision;
        EXPECT_EQ(history[i].checksum, stepped_history[i].checksum) << history[i].revision;
    }
    load.downgrade("d1");
    step.downgrade("d1");
    EXPECT_EQ(canonical_json(load.reflect()), canonical_json(step.reflect()));
    // From a revision other than base, it steps (only base is loaded).
    load.upgrade("head");
    EXPECT_EQ(load.history().back().how, "upgrade");
}

TEST_F(Runtime, TheSchemaLoadRecordsALongHistoryInOrder) {
    // More revisions than one multi-row INSERT of the history takes.
    std::vector<Revision> revisions{rev("long0000", {}, [](Ops& op) {
        op.create_table("t", {col("id", integer()).primary_key()});
    })};
    for (int i = 1; i < 450; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "long%04d", i);
        revisions.push_back(rev(id, {revisions.back().id}, [](Ops&) {}));
    }
    auto graph = RevisionGraph::build(revisions);
    TempDb db;
    auto session = connect(db.url());
    MigratorOptions options;
    options.schema_load = true;
    Migrator m(graph, *session, options);
    EXPECT_EQ(m.upgrade("head").steps.size(), 450u);
    EXPECT_EQ(m.current(), std::vector<std::string>{"long0449"});
    auto history = m.history();
    ASSERT_EQ(history.size(), 450u);
    for (std::size_t i = 0; i < history.size(); ++i) {
        EXPECT_EQ(history[i].revision, revisions[i].id);
        EXPECT_EQ(history[i].seq, static_cast<long long>(i + 1));
        EXPECT_EQ(history[i].how, "load");
    }
}

TEST_F(Runtime, AFailingSchemaLoadKeepsNothingAndSaysHowToFindTheMigration) {
    TempDb db;
    auto session = connect(db.url());
    session->exec("CREATE TABLE books (id INTEGER PRIMARY KEY)");  // made by hand: the load's CREATE fails
    MigratorOptions options;
    options.schema_load = true;
    auto graph = pure_ddl_history();
    Migrator m(graph, *session, options);
    try {
        m.upgrade("head");
        ADD_FAILURE() << "the schema load ran over an existing table";
    } catch (const Error& e) {
        EXPECT_NE(e.hint().find("without --schema-load"), std::string::npos) << e.describe();
    }
    EXPECT_TRUE(m.current().empty());
    EXPECT_TRUE(m.history().empty());
    EXPECT_FALSE(session->dialect().table_exists(*session, "authors"));
}

TEST_F(Runtime, TheSchemaLoadStepsThroughAHistoryWithRawSqlOrDataSteps) {
    TempDb db;
    auto graph = RevisionGraph::build({rev("r0", {}, base_up)});  // base_up inserts rows with raw SQL
    auto session = connect(db.url());
    MigratorOptions options;
    options.schema_load = true;
    Migrator m(graph, *session, options);
    m.upgrade("head");
    EXPECT_EQ(m.history().at(0).how, "upgrade");
    EXPECT_EQ(count_rows(*session, "authors"), 2);
}

TEST_F(Runtime, StampRecordsWithoutRunningAndCanGoBackToBase) {
    TempDb db;
    auto graph = RevisionGraph::build({rev("r0", {}, base_up), rev("next", {"r0"}, [](Ops& op) {
                                           op.add_column("books", col("pages", integer()));
                                       })});
    auto session = connect(db.url());
    Migrator m(graph, *session);
    m.stamp("head");
    EXPECT_EQ(m.current(), std::vector<std::string>{"next"});
    EXPECT_FALSE(session->dialect().table_exists(*session, "books")) << "stamp runs nothing";
    ASSERT_EQ(m.history().size(), 2u);
    EXPECT_EQ(m.history()[0].how, "stamp");
    m.stamp("base");
    EXPECT_TRUE(m.current().empty());
    EXPECT_TRUE(m.history().empty());
}

TEST_F(Runtime, AnIrreversibleRevisionStopsADowngradeBeforeAnythingRuns) {
    TempDb db;
    auto graph = RevisionGraph::build({
        rev("r0", {}, base_up),
        rev("oneway", {"r0"}, [](Ops& op) { op.execute(sql("UPDATE books SET price = 0")); }),
        rev("top", {"oneway"}, [](Ops& op) { op.add_column("books", col("pages", integer())); }),
    });
    auto session = connect(db.url());
    Migrator m(graph, *session);
    m.upgrade("head");
    try {
        m.downgrade("base");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::integrity);
        EXPECT_EQ(e.revision(), "oneway");
    }
    EXPECT_EQ(m.current(), std::vector<std::string>{"top"}) << "top was not undone either";
}

TEST_F(Runtime, ADatabaseAtAnUnknownRevisionIsAnIntegrityError) {
    TempDb db;
    auto graph = RevisionGraph::build({rev("r0", {}, base_up)});
    {
        auto session = connect(db.url());
        Migrator m(graph, *session);
        m.upgrade("head");
        session->exec("UPDATE retort_version SET version_num = 'elsewhere'");
    }
    auto session = connect(db.url());
    Migrator m(graph, *session);
    try {
        m.upgrade("head");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::integrity);
        EXPECT_NE(std::string(e.what()).find("elsewhere"), std::string::npos);
        EXPECT_NE(e.hint().find("another branch"), std::string::npos) << e.hint();
    }
}

TEST_F(Runtime, AVersionTableWithoutHistoryIsUpgradedInPlace) {
    TempDb db;
    auto graph = RevisionGraph::build({rev("r0", {}, base_up), rev("next", {"r0"}, [](Ops& op) {
                                           op.add_column("books", col("pages", integer()));
                                       })});
    {
        // A database from an earlier layout: the version table only.
        auto session = connect(db.url());
        Migrator m(graph, *session);
        m.upgrade("r0");
        session->exec("DROP TABLE retort_version_history");
    }
    auto session = connect(db.url());
    Migrator m(graph, *session);
    m.upgrade("head");
    auto history = m.history();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].revision, "r0");
    EXPECT_EQ(history[0].how, "stamp");
    EXPECT_EQ(history[1].revision, "next");
    EXPECT_EQ(history[1].how, "upgrade");
}

TEST_F(Runtime, AHistoryTableMissingColumnsGetsThemAndKeepsItsRows) {
    TempDb db;
    auto graph = RevisionGraph::build({rev("r0", {}, base_up)});
    {
        auto session = connect(db.url());
        session->exec(
            "CREATE TABLE retort_version (version_num VARCHAR(64) NOT NULL PRIMARY KEY);"
            "CREATE TABLE retort_version_history (revision VARCHAR(64) NOT NULL PRIMARY KEY, parents VARCHAR(512) "
            "NOT NULL DEFAULT '', applied_at VARCHAR(32) NOT NULL);"
            "INSERT INTO retort_version_history (revision, applied_at) VALUES ('old', '2020-01-01 00:00:00')");
    }
    auto session = connect(db.url());
    Migrator m(graph, *session);
    m.upgrade("head");
    auto history = m.history();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].revision, "old");
    EXPECT_EQ(history[1].revision, "r0");
}

TEST_F(Runtime, OfflineSqlRunsNothingAndReplaysThroughARebuild) {
    auto graph = RevisionGraph::build({rev("r0", {}, base_up), rev("retype", {"r0"}, [](Ops& op) {
                                           op.alter_column("books", "price", change().type(numeric(10, 2)));
                                       })});
    std::string script =
        offline_sql(graph, *sqlite::dialect(), Direction::upgrade, "head", OfflineOptions{});
    EXPECT_NE(script.find("CREATE TABLE \"retort_version\""), std::string::npos);
    EXPECT_NE(script.find("_retort_new_books"), std::string::npos) << script;
    EXPECT_NE(script.find("UPDATE \"retort_version\" SET version_num = 'retype' WHERE version_num = 'r0'"), std::string::npos);
    // and the script works on a real database
    TempDb db;
    SQLite::Database raw(db.path().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA foreign_keys = OFF");
    raw.exec(script);
    auto session = connect(db.url());
    Migrator m(graph, *session);
    EXPECT_EQ(m.current(), std::vector<std::string>{"retype"});
    expect_db_matches_replay(m, *session, "after the offline script");
    EXPECT_EQ(count_rows(*session, "books"), 3);
}

// ---- the example application --------------------------------------------------

TEST_F(Runtime, TheExampleApplicationSeesAllItsLinkedMigrations) {
    EXPECT_EQ(linked_migration_count("bookshop"), 7u) << "every migration survives static linking";
}

TEST_F(Runtime, SqliteMemoryStatisticsCannotBeTurnedOffOnceSqliteIsInUse) {
    // sqlite3_config() refuses once SQLite is initialized; the setting is then kept,
    // and the call says so instead of pretending.
    TempDb db;
    auto session = connect(db.url());
    EXPECT_FALSE(retort::sqlite::disable_memory_statistics());
    EXPECT_EQ(session->query("SELECT 1").size(), 1u);
}

TEST_F(Runtime, TheEmbeddedApiUpgradesAndReadsButNeverCreatesADatabaseJustToReadIt) {
    TempDb db;
    EmbedOptions options;
    options.set = "bookshop";
    // Reading a database that does not exist is an error naming it, and leaves no
    // empty file behind (a mistyped path must not look like a database at base).
    try {
        current_revision(db.url(), options);
        ADD_FAILURE() << "current_revision() of a missing database did not throw";
    } catch (const Error& e) {
        EXPECT_NE(e.describe().find(db.path().string()), std::string::npos) << e.describe();
    }
    EXPECT_FALSE(fs::exists(db.path()));
    // The upgrade creates it; then both agree on the head.
    const auto heads = upgrade_to_head(db.url(), options);
    EXPECT_EQ(heads, std::vector<std::string>{"7a8b9c0d1e2f"});
    EXPECT_EQ(current_revision(db.url(), options), heads);
}

TEST_F(Runtime, TheExampleGoesBaseHeadBaseHeadWithIdenticalFingerprintsAndRowsIntact) {
    TempDb db;
    auto graph = RevisionGraph::build(registered_revisions("bookshop"));
    auto session = connect(db.url());
    Migrator m(graph, *session);
    m.upgrade("heads");
    const std::string head_print = fingerprint(m.reflect());
    expect_db_matches_replay(m, *session, "at head");
    session->exec("INSERT INTO authors (id, name) VALUES (1, 'Le Guin');"
                  "INSERT INTO books (id, author_id, title, price, slug) VALUES (1, 1, 'Always Coming Home', 12.5, 'a');"
                  "INSERT INTO reviews (book_id, rating) VALUES (1, 4)");
    // down to just before the rebuild and the branch, and back: rows stay
    m.downgrade("2b3c4d5e6f7a");
    expect_db_matches_replay(m, *session, "at 2b3c4d5e6f7a");
    EXPECT_EQ(count_rows(*session, "books"), 1);
    m.upgrade("heads");
    EXPECT_EQ(fingerprint(m.reflect()), head_print);
    EXPECT_EQ(count_rows(*session, "reviews"), 0) << "the reviews table was dropped and created again";
    EXPECT_EQ(count_rows(*session, "books"), 1);
    auto price = session->query("SELECT price, slug FROM books");
    EXPECT_EQ(*price.at(0).at(0), "12.5");
    EXPECT_EQ(*price.at(0).at(1), "always-coming-home") << "the data step ran again on the way up";
    m.downgrade("base");
    EXPECT_TRUE(m.reflect().tables.empty());
    m.upgrade("heads");
    EXPECT_EQ(fingerprint(m.reflect()), head_print);
}

}  // namespace
