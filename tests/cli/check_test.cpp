// `retort check` through the built binary, on the example bookshop: exit 0 when
// the models match the migrations at head, 3 with one line per difference when
// they do not, the --json shape, the configuration errors (exit 2), and
// --against db on a real SQLite file: upgraded to head it matches; a column added
// by hand is caught; a view is listed as not compared, never as drift.
#include "cli_runner.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace cli_test;

class CheckCli : public ::testing::Test {
protected:
    CheckCli() : m_dir("check"), m_migrations(copy_bookshop_migrations(m_dir)) {}

    /// retort --plugin <bookshop> --migrations <copy> <args>
    Result run(std::vector<std::string> args) {
        std::vector<std::string> all = {"--plugin", RETORT_BOOKSHOP_PLUGIN, "--migrations", m_migrations.string()};
        all.insert(all.end(), args.begin(), args.end());
        return retort(m_dir.path(), all);
    }
    std::string db_url() const { return "sqlite:///" + (m_dir / "shop.db").string(); }
    fs::path db() const { return m_dir / "shop.db"; }
    /// A models SQL file: the bookshop at head, changed by `edit`.
    std::string models_sql(const std::string& from, const std::string& to, const std::string& name = "models.sql") {
        std::string sql = bookshop_models_sql();
        if (!from.empty()) {
            auto at = sql.find(from);
            EXPECT_NE(at, std::string::npos) << from;
            if (at != std::string::npos) sql.replace(at, from.size(), to);
        }
        write_text(m_dir / name, sql);
        return (m_dir / name).string();
    }

    TempDir m_dir;
    fs::path m_migrations;
};

TEST_F(CheckCli, exits_0_when_the_models_module_matches_the_migrations_at_head) {
    Result r = run({"check", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, std::string("No differences: models (models module ") + RETORT_BOOKSHOP_MODELS +
                         ") match migrations at head (7a8b9c0d1e2f)\n");
    EXPECT_EQ(r.err, "");
}

TEST_F(CheckCli, exits_0_when_the_models_sql_matches_the_migrations_at_head) {
    Result r = run({"check", "--models-sql", models_sql("", "")});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("No differences"), std::string::npos) << r.out;
}

TEST_F(CheckCli, exits_3_and_prints_one_line_per_difference_in_a_stable_order) {
    std::string sql = models_sql("    slug VARCHAR(300),\n", "    slug VARCHAR(300),\n    subtitle TEXT,\n");
    // Two more changes on another table and an index, so the order shows.
    std::string text = read_text(sql);
    text.replace(text.find("CREATE INDEX ix_reviews_book_id ON reviews (book_id);\n"),
                 std::string("CREATE INDEX ix_reviews_book_id ON reviews (book_id);\n").size(), "");
    text.replace(text.find("    name VARCHAR(200) NOT NULL,"), std::string("    name VARCHAR(200) NOT NULL,").size(),
                 "    name VARCHAR(250) NOT NULL,");
    write_text(sql, text);
    Result r = run({"check", "--models-sql", sql});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(lines(r.out), (std::vector<std::string>{
                                "column authors.name: type varchar(200) -> varchar(250)",
                                "added column books.subtitle text",
                                "removed index ix_reviews_book_id on reviews: (book_id)",
                            }))
        << r.out;
    EXPECT_NE(r.err.find("retort: error: models (models SQL " + sql +
                         ") differs from migrations at head (7a8b9c0d1e2f): 3 differences"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("retort revision --autogenerate"), std::string::npos) << r.err;
    // The same order every time.
    Result again = run({"check", "--models-sql", sql});
    EXPECT_EQ(again.out, r.out);
}

TEST_F(CheckCli, json_lists_each_difference_with_its_fields) {
    std::string sql = models_sql("    slug VARCHAR(300),\n", "    slug VARCHAR(300),\n    subtitle TEXT,\n");
    Result r = run({"check", "--models-sql", sql, "--json"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["against"], "head");
    EXPECT_EQ(j["dialect"], "sqlite");
    EXPECT_EQ(j["revision"], nlohmann::json::array({"7a8b9c0d1e2f"}));
    EXPECT_EQ(j["equal"], false);
    EXPECT_EQ(j["difference_count"], 1);
    ASSERT_EQ(j["comparisons"].size(), 1u);
    const auto& c = j["comparisons"][0];
    EXPECT_EQ(c["name"], "models");
    EXPECT_EQ(c["current"], "migrations at head (7a8b9c0d1e2f)");
    ASSERT_EQ(c["differences"].size(), 1u);
    const auto& d = c["differences"][0];
    EXPECT_EQ(d["kind"], "column_added");
    EXPECT_EQ(d["table"], "books");
    EXPECT_EQ(d["object"], "subtitle");
    EXPECT_EQ(d["text"], "added column books.subtitle text");
    EXPECT_EQ(j["not_compared"], nlohmann::json::array());
    EXPECT_EQ(j["skipped"], nlohmann::json::array());
}

TEST_F(CheckCli, json_says_equal_when_nothing_differs) {
    Result r = run({"check", "--models", RETORT_BOOKSHOP_MODELS, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["equal"], true);
    EXPECT_EQ(j["comparisons"][0]["differences"], nlohmann::json::array());
}

TEST_F(CheckCli, without_models_exits_2_saying_how_to_give_them) {
    Result r = run({"check"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("no models to compare with"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--models"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("models_sql"), std::string::npos) << r.err;
}

TEST_F(CheckCli, empty_models_exit_2_asking_whether_the_library_is_linked) {
    Result r = run({"check", "--models", RETORT_EMPTY_MODELS});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("declare no tables: is the models library linked?"), std::string::npos) << r.err;
}

TEST_F(CheckCli, both_models_options_are_a_usage_error) {
    Result r = run({"check", "--models", RETORT_BOOKSHOP_MODELS, "--models-sql", models_sql("", "")});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--models and --models-sql both given"), std::string::npos) << r.err;
}

TEST_F(CheckCli, models_and_exclude_tables_come_from_retort_toml) {
    std::string sql = models_sql("", "");
    std::string text = read_text(sql) + "CREATE TABLE tmp_import (id INTEGER PRIMARY KEY, payload TEXT);\n";
    write_text(sql, text);
    write_text(m_dir / "retort.toml", "[retort]\nmodels_sql = \"models.sql\"\nexclude_tables = [\"tmp_*\"]\n");
    Result r = run({"check"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    write_text(m_dir / "retort.toml", "[retort]\nmodels_sql = \"models.sql\"\n");
    r = run({"check"});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(r.out, "added table tmp_import\n");
}

TEST_F(CheckCli, an_exclude_tables_that_is_not_a_list_is_exit_2_naming_the_line) {
    write_text(m_dir / "retort.toml", "[retort]\nexclude_tables = \"tmp_*\"\n");
    Result r = run({"check", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("retort.toml:2: \"exclude_tables\" must be a list of strings"), std::string::npos) << r.err;
}

TEST_F(CheckCli, an_unknown_dialect_is_exit_2_listing_the_known_ones) {
    Result r = run({"check", "--models", RETORT_BOOKSHOP_MODELS, "--dialect", "oracle"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("no backend for dialect \"oracle\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("sqlite"), std::string::npos) << r.err;
}

// ---- against a live database ----------------------------------------------------

TEST_F(CheckCli, against_db_after_upgrade_to_head_matches_then_catches_a_column_added_by_hand) {
    Result up = run({"--url", db_url(), "upgrade", "head"});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;

    // Idempotence: nothing to generate, check passes both ways.
    Result gen = run({"revision", "--autogenerate", "-m", "nothing", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(gen.exit_code, 0) << gen.out << gen.err;
    EXPECT_NE(gen.out.find("No changes detected"), std::string::npos) << gen.out;
    EXPECT_EQ(std::distance(fs::directory_iterator(m_migrations), fs::directory_iterator{}), 7);
    Result head = run({"check", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(head.exit_code, 0) << head.out << head.err;
    Result live = run({"--url", db_url(), "check", "--against", "db", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(live.exit_code, 0) << live.out << live.err;
    EXPECT_EQ(lines(live.out),
              (std::vector<std::string>{
                  "No differences: database (" + db_url() + ") match migrations at the database's revision "
                  "(7a8b9c0d1e2f)",
                  std::string("No differences: models (models module ") + RETORT_BOOKSHOP_MODELS + ") match database (" +
                      db_url() + ")",
              }))
        << live.out;

    // A view and a trigger: listed once, never drift.
    exec_sql(db(), "CREATE VIEW cheap_books AS SELECT * FROM books WHERE price < 5;"
                   "CREATE TRIGGER trg_books_slug AFTER INSERT ON books BEGIN SELECT 1; END;");
    live = run({"--url", db_url(), "check", "--against", "db", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(live.exit_code, 0) << live.out << live.err;
    EXPECT_EQ(live.err, "retort: not compared: trigger trg_books_slug on books, view cheap_books\n");

    // A change made outside the migrations.
    exec_sql(db(), "ALTER TABLE books ADD COLUMN subtitle TEXT");
    live = run({"--url", db_url(), "check", "--against", "db", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(live.exit_code, 3) << live.out << live.err;
    EXPECT_EQ(lines(live.out), (std::vector<std::string>{
                                   "database: added column books.subtitle text",
                                   "models: removed column books.subtitle",
                               }))
        << live.out;
    EXPECT_NE(live.err.find("differs from migrations at the database's revision (7a8b9c0d1e2f): 1 difference"),
              std::string::npos)
        << live.err;

    // Without models, only the database against its migrations.
    live = run({"--url", db_url(), "check", "--against", "db", "--json"});
    EXPECT_EQ(live.exit_code, 3) << live.err;
    nlohmann::json j = nlohmann::json::parse(live.out);
    EXPECT_EQ(j["against"], "db");
    EXPECT_EQ(j["revision"], nlohmann::json::array({"7a8b9c0d1e2f"}));
    ASSERT_EQ(j["comparisons"].size(), 1u);
    EXPECT_EQ(j["comparisons"][0]["name"], "database");
    EXPECT_EQ(j["comparisons"][0]["differences"][0]["text"], "added column books.subtitle text");
    EXPECT_EQ(j["not_compared"].size(), 2u);
    EXPECT_EQ(j["not_compared"][1], (nlohmann::json{{"kind", "view"}, {"name", "cheap_books"}, {"table", ""},
                                                    {"text", "view cheap_books"}}));
}

TEST_F(CheckCli, against_db_below_head_compares_with_the_migrations_at_its_revision_and_skips_the_models) {
    Result up = run({"--url", db_url(), "upgrade", "2b3c4d5e6f7a"});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
    Result live = run({"--url", db_url(), "check", "--against", "db", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(live.exit_code, 0) << live.out << live.err;
    EXPECT_NE(live.err.find("retort: skipped: models vs database: the database is at 2b3c4d5e6f7a, not at head "
                            "(7a8b9c0d1e2f); upgrade it first"),
              std::string::npos)
        << live.err;
    exec_sql(db(), "DROP INDEX uq_books_isbn");
    live = run({"--url", db_url(), "check", "--against", "db"});
    EXPECT_EQ(live.exit_code, 3) << live.out << live.err;
    EXPECT_EQ(live.out, "database: removed index uq_books_isbn on books: UNIQUE (isbn) WHERE isbn IS NOT NULL\n");
}

TEST_F(CheckCli, against_db_ignores_the_version_tables_and_excluded_tables) {
    ASSERT_EQ(run({"--url", db_url(), "upgrade", "head"}).exit_code, 0);
    exec_sql(db(), "CREATE TABLE tmp_scratch (x INTEGER)");
    write_text(m_dir / "retort.toml", "[retort]\nexclude_tables = [\"tmp_*\"]\n");
    Result live = run({"--url", db_url(), "check", "--against", "db"});
    EXPECT_EQ(live.exit_code, 0) << live.out << live.err;
}

TEST_F(CheckCli, against_db_on_a_database_never_migrated_lists_its_tables) {
    exec_sql(db(), "CREATE TABLE legacy (id INTEGER PRIMARY KEY)");
    Result live = run({"--url", db_url(), "check", "--against", "db"});
    EXPECT_EQ(live.exit_code, 3) << live.out << live.err;
    EXPECT_EQ(live.out, "database: added table legacy\n");
}

}  // namespace
