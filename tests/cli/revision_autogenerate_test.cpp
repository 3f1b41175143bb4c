// `retort revision --autogenerate` through the built binary: the file it writes
// (name, parent, exact ops, REVIEW comments), "No changes detected" with nothing
// written, rename warnings and hints, the initial migration of a new project from
// models SQL, and --from-db adopting an existing database.
#include "cli_runner.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace {

using namespace cli_test;

class RevisionAutogenerateCli : public ::testing::Test {
protected:
    RevisionAutogenerateCli() : m_dir("autogen"), m_migrations(copy_bookshop_migrations(m_dir)) {}

    Result run(std::vector<std::string> args) {
        std::vector<std::string> all = {"--plugin", RETORT_BOOKSHOP_PLUGIN, "--migrations", m_migrations.string()};
        all.insert(all.end(), args.begin(), args.end());
        return retort(m_dir.path(), all);
    }
    std::string models_sql(const std::string& from, const std::string& to) {
        std::string sql = bookshop_models_sql();
        auto at = sql.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        if (at != std::string::npos) sql.replace(at, from.size(), to);
        write_text(m_dir / "models.sql", sql);
        return (m_dir / "models.sql").string();
    }
    /// The files the test wrote into the migrations copy.
    std::vector<fs::path> new_files() const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(m_migrations))
            if (!fs::exists(fs::path(RETORT_BOOKSHOP_MIGRATIONS) / e.path().filename())) out.push_back(e.path());
        return out;
    }

    TempDir m_dir;
    fs::path m_migrations;
};

TEST_F(RevisionAutogenerateCli, writes_the_ops_from_head_to_the_models_on_top_of_the_head) {
    std::string sql = models_sql("    slug VARCHAR(300),\n", "    slug VARCHAR(300),\n    subtitle TEXT,\n");
    Result r = run({"revision", "--autogenerate", "-m", "add subtitle", "--models-sql", sql});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto files = new_files();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(std::regex_match(files[0].filename().string(),
                                 std::regex(R"(\d{8}_\d{4}-[0-9a-f]{12}_add_subtitle\.cpp)")))
        << files[0];
    EXPECT_NE(r.out.find("Detected added column books.subtitle text\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Generating " + files[0].string() + " ... done\n"), std::string::npos) << r.out;
    std::string text = read_text(files[0]);
    EXPECT_NE(text.find("    .down_revision = \"7a8b9c0d1e2f\",\n"), std::string::npos) << text;
    EXPECT_NE(text.find("    .message = \"add subtitle\",\n"), std::string::npos) << text;
    EXPECT_NE(text.find("    .upgrade = [](Ops& op) {\n"
                        "        op.add_column(\"books\", col(\"subtitle\", text()));\n"
                        "    },\n"
                        "    .downgrade = [](Ops& op) {\n"
                        "        // REVIEW: "),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("        op.drop_column(\"books\", \"subtitle\");\n    },\n"), std::string::npos) << text;
    EXPECT_EQ(compile_errors(files[0]), "");
}

TEST_F(RevisionAutogenerateCli, with_no_difference_prints_no_changes_detected_and_writes_nothing) {
    Result r = run({"revision", "--autogenerate", "-m", "nothing", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "No changes detected: the models match the migrations at 7a8b9c0d1e2f\n");
    EXPECT_TRUE(new_files().empty());
}

TEST_F(RevisionAutogenerateCli, a_dropped_column_gets_a_review_comment) {
    std::string sql = models_sql("    published DATE,\n", "");
    Result r = run({"revision", "--autogenerate", "-m", "drop published", "--models-sql", sql});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    ASSERT_EQ(new_files().size(), 1u);
    std::string text = read_text(new_files()[0]);
    std::regex review(R"(        // REVIEW: [^\n]*published[^\n]*\n        op\.drop_column\("books", "published"\);)");
    EXPECT_TRUE(std::regex_search(text, review)) << text;
}

TEST_F(RevisionAutogenerateCli, warns_when_a_drop_and_an_add_look_like_a_rename_and_follows_a_hint) {
    std::string sql = models_sql("    title VARCHAR(300) NOT NULL,\n", "    name VARCHAR(300) NOT NULL,\n");
    Result r = run({"revision", "--autogenerate", "-m", "rename title", "--models-sql", sql});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("retort: warning: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--rename-column books.title=name"), std::string::npos) << r.err;
    for (const auto& f : new_files()) fs::remove(f);

    r = run({"revision", "--autogenerate", "-m", "rename title", "--models-sql", sql, "--rename-column",
             "books.title=name"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    ASSERT_EQ(new_files().size(), 1u);
    std::string text = read_text(new_files()[0]);
    EXPECT_NE(text.find("op.rename_column(\"books\", \"title\", \"name\");"), std::string::npos) << text;
    EXPECT_EQ(text.find("drop_column"), std::string::npos) << text;
}

TEST_F(RevisionAutogenerateCli, a_malformed_rename_hint_is_a_usage_error) {
    Result r = run({"revision", "--autogenerate", "-m", "x", "--models", RETORT_BOOKSHOP_MODELS, "--rename-column",
                    "books.title"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("books.title"), std::string::npos) << r.err;
    EXPECT_TRUE(new_files().empty());
}

TEST_F(RevisionAutogenerateCli, autogenerate_options_without_autogenerate_are_a_usage_error) {
    Result r = run({"revision", "-m", "x", "--models", RETORT_BOOKSHOP_MODELS});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("add --autogenerate"), std::string::npos) << r.err;
    EXPECT_TRUE(new_files().empty());
}

TEST(RevisionAutogenerateNewProject, writes_the_full_initial_migration_from_an_empty_history) {
    TempDir dir("initial");
    write_text(dir / "schema.sql", bookshop_models_sql());
    Result r = retort(dir.path(), {"--migrations", (dir / "migrations").string(), "revision", "--autogenerate", "-m",
                                   "initial", "--models-sql", (dir / "schema.sql").string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir / "migrations")) files.push_back(e.path());
    ASSERT_EQ(files.size(), 1u);
    std::string text = read_text(files[0]);
    EXPECT_EQ(text.find(".down_revision"), std::string::npos) << text;
    // Parents first, children dropped first.
    auto authors = text.find("op.create_table(\"authors\""), books = text.find("op.create_table(\"books\""),
         reviews = text.find("op.create_table(\"reviews\"");
    ASSERT_NE(authors, std::string::npos) << text;
    EXPECT_LT(authors, books);
    EXPECT_LT(books, reviews);
    auto drop_reviews = text.find("op.drop_table(\"reviews\")"), drop_authors = text.find("op.drop_table(\"authors\")");
    ASSERT_NE(drop_reviews, std::string::npos) << text;
    EXPECT_LT(drop_reviews, drop_authors);
    EXPECT_NE(text.find("index(\"uq_books_isbn\", {\"isbn\"}).unique().where(\"isbn IS NOT NULL\")"), std::string::npos)
        << text;
    EXPECT_EQ(compile_errors(files[0]), "");
}

TEST(RevisionAutogenerateFromDb, writes_the_initial_migration_from_a_live_database) {
    TempDir dir("fromdb");
    exec_sql(dir / "legacy.db", bookshop_models_sql());
    exec_sql(dir / "legacy.db", "CREATE VIEW cheap_books AS SELECT * FROM books WHERE price < 5");
    Result r = retort(dir.path(), {"--url", "sqlite:///" + (dir / "legacy.db").string(), "--migrations",
                                   (dir / "migrations").string(), "revision", "--autogenerate", "--from-db", "-m",
                                   "baseline"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("retort stamp head"), std::string::npos) << r.out;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir / "migrations")) files.push_back(e.path());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_NE(files[0].filename().string().find("_baseline.cpp"), std::string::npos);
    std::string text = read_text(files[0]);
    EXPECT_NE(text.find("op.create_table(\"authors\""), std::string::npos) << text;
    EXPECT_NE(text.find("op.create_table(\"reviews\""), std::string::npos) << text;
    EXPECT_NE(text.find("check(\"ck_reviews_rating\", \"rating BETWEEN 1 AND 5\")"), std::string::npos) << text;
    EXPECT_EQ(text.find("cheap_books"), std::string::npos) << text;
    EXPECT_EQ(compile_errors(files[0]), "");
}

TEST(RevisionAutogenerateFromDb, with_models_is_a_usage_error) {
    TempDir dir("fromdb_models");
    Result r = retort(dir.path(), {"--url", "sqlite:///" + (dir / "x.db").string(), "revision", "--autogenerate",
                                   "--from-db", "-m", "baseline", "--models-sql", "schema.sql"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--from-db takes the live database as the desired schema"), std::string::npos) << r.err;
}

}  // namespace
