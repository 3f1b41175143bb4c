// Autogenerate's C++ rendering: each op renders as the builder call that records
// it again, migrations are formatted the same every time (golden files), and the
// generated source compiles and replays to the planned schema.
//
// Golden files live in tests/unit/golden/; after an intended change of format,
// regenerate them with RETORT_UPDATE_GOLDEN=1 and review the diff.
#include "autogen_corpus.hpp"

#include <retort/autogen/compare.hpp>
#include <retort/autogen/render_cpp.hpp>
#include <retort/error.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/fingerprint.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace retort;
using autogen_corpus::models;

namespace fs = std::filesystem;

namespace {

#ifndef RETORT_SOURCE_DIR
#error "define RETORT_SOURCE_DIR: the folder holding retort/migration.hpp"
#endif
#ifndef RETORT_GOLDEN_DIR
#error "define RETORT_GOLDEN_DIR: tests/unit/golden"
#endif
#ifndef RETORT_CXX_COMPILER
#define RETORT_CXX_COMPILER "c++"
#endif

Schema applied(Schema s, const std::vector<Op>& ops) {
    for (Op op : ops) apply(op, s);
    return s;
}

std::vector<Op> plain(const std::vector<autogen::PlannedOp>& ops) {
    std::vector<Op> out;
    for (const auto& p : ops) out.push_back(p.op);
    return out;
}

// ---- one op, one statement ---------------------------------------------------------

struct StatementCase {
    const char* name;
    OpsFn body;  // records exactly one op
    const char* expected;
};

const StatementCase statement_cases[] = {
    {"drop_table", [](Ops& op) { op.drop_table("books"); }, "op.drop_table(\"books\");\n"},
    {"rename_table", [](Ops& op) { op.rename_table("authors", "writers"); },
     "op.rename_table(\"authors\", \"writers\");\n"},
    {"set_table_comment", [](Ops& op) { op.set_table_comment("books", "what we \"sell\""); },
     "op.set_table_comment(\"books\", \"what we \\\"sell\\\"\");\n"},
    {"drop a table comment", [](Ops& op) { op.set_table_comment("books", nullptr); },
     "op.set_table_comment(\"books\", nullptr);\n"},
    {"add_column with every modifier",
     [](Ops& op) {
         op.add_column("books", col("editor_id", bigint())
                                    .not_null()
                                    .server_default("0")
                                    .references("people", "pid", "fk_editor")
                                    .on_delete(Action::set_null)
                                    .on_update(Action::cascade)
                                    .comment("who edits"));
     },
     "op.add_column(\"books\", col(\"editor_id\", bigint()).not_null().server_default(\"0\").references(\"people\", "
     "\"pid\", \"fk_editor\").on_delete(Action::set_null).on_update(Action::cascade).comment(\"who edits\"));\n"},
    {"add_column with a conventionally named reference",
     [](Ops& op) { op.add_column("books", col("author_id", integer()).references("authors")); },
     "op.add_column(\"books\", col(\"author_id\", integer()).references(\"authors\", \"id\"));\n"},
    {"add_column of an identity", [](Ops& op) { op.add_column("t", col("n", bigint()).identity(true)); },
     "op.add_column(\"t\", col(\"n\", bigint()).identity(true));\n"},
    {"drop_column", [](Ops& op) { op.drop_column("books", "isbn"); },
     "op.drop_column(\"books\", \"isbn\");\n"},
    {"alter_column with every change",
     [](Ops& op) {
         op.alter_column("books", "price",
                         change().type(numeric(12, 4)).not_null().server_default("1").comment("c").identity());
     },
     "op.alter_column(\"books\", \"price\", change().type(numeric(12, 4)).not_null().server_default(\"1\")"
     ".comment(\"c\").identity());\n"},
    {"alter_column dropping things",
     [](Ops& op) {
         op.alter_column("books", "price", change().nullable().drop_server_default().drop_comment().drop_identity());
     },
     "op.alter_column(\"books\", \"price\", change().nullable().drop_server_default().drop_comment()"
     ".drop_identity());\n"},
    {"alter_column renaming and retyping",
     [](Ops& op) { op.alter_column("books", "title", change().type(text()).rename("name")); },
     "op.alter_column(\"books\", \"title\", change().type(text()).rename(\"name\"));\n"},
    {"rename_column", [](Ops& op) { op.rename_column("books", "title", "name"); },
     "op.rename_column(\"books\", \"title\", \"name\");\n"},
    {"create_index",
     [](Ops& op) {
         op.create_index("books", index("ix_books_x", {"title", expr("lower(isbn)")}).unique().where("isbn <> ''"));
     },
     "op.create_index(\"books\", index(\"ix_books_x\", {\"title\", expr(\"lower(isbn)\")}).unique()"
     ".where(\"isbn <> ''\"));\n"},
    {"drop_index", [](Ops& op) { op.drop_index("books", "ix_books_x"); },
     "op.drop_index(\"books\", \"ix_books_x\");\n"},
    {"add_constraint primary key", [](Ops& op) { op.add_constraint("lines", primary_key({"order_id", "line"})); },
     "op.add_constraint(\"lines\", primary_key(\"pk_lines\", {\"order_id\", \"line\"}));\n"},
    {"add_constraint foreign key",
     [](Ops& op) {
         op.add_constraint("lines", foreign_key("fk_l", {"a", "b"}, "p", {"x", "y"}).on_delete(Action::restrict));
     },
     "op.add_constraint(\"lines\", foreign_key(\"fk_l\", {\"a\", \"b\"}, \"p\", {\"x\", \"y\"})"
     ".on_delete(Action::restrict));\n"},
    {"add_constraint unique", [](Ops& op) { op.add_constraint("t", unique("uq_t", {"a"})); },
     "op.add_constraint(\"t\", unique(\"uq_t\", {\"a\"}));\n"},
    {"add_constraint check", [](Ops& op) { op.add_constraint("t", check("ck_t", "a <> 'x\\y'")); },
     "op.add_constraint(\"t\", check(\"ck_t\", \"a <> 'x\\\\y'\"));\n"},
    {"drop_constraint", [](Ops& op) { op.drop_constraint("t", "ck_t"); }, "op.drop_constraint(\"t\", \"ck_t\");\n"},
    {"execute with down SQL", [](Ops& op) { op.execute("UPDATE t SET a = 1", "UPDATE t SET a = 0"); },
     "op.execute(sql(\"UPDATE t SET a = 1\").down(\"UPDATE t SET a = 0\"));\n"},
    {"execute with a schema effect",
     [](Ops& op) {
         op.execute(sql("ALTER TABLE t ADD COLUMN b INTEGER")
                        .down("ALTER TABLE t DROP COLUMN b")
                        .only("postgresql")
                        .schema_effect([](Ops& effect) { effect.add_column("t", col("b", integer())); }));
     },
     "op.execute(sql(\"ALTER TABLE t ADD COLUMN b INTEGER\").down(\"ALTER TABLE t DROP COLUMN b\")"
     ".only(\"postgresql\").schema_effect([](Ops& effect) {\n"
     "    effect.add_column(\"t\", col(\"b\", integer()));\n"
     "}));\n"},
    {"create_table",
     [](Ops& op) {
         op.create_table("Order Items", {
                                            col("order", integer()).not_null(),
                                            col("line", integer()).not_null(),
                                            col("sku", varchar(20)).not_null().references("skus", "code").on_delete(
                                                Action::cascade),
                                            col("qty", numeric(10, 2)).server_default("1").comment("how many"),
                                            col("kind", sql_type("CITEXT")).unique(),
                                            primary_key({"order", "line"}),
                                            check("ck_qty", "qty > 0"),
                                            index("ix_sku", {"sku"}),
                                            table_comment("lines of an order"),
                                        });
     },
     "op.create_table(\"Order Items\", {\n"
     "    col(\"order\", integer()),\n"
     "    col(\"line\", integer()),\n"
     "    col(\"sku\", varchar(20)).not_null().references(\"skus\", \"code\").on_delete(Action::cascade),\n"
     "    col(\"qty\", numeric(10, 2)).server_default(\"1\").comment(\"how many\"),\n"
     "    col(\"kind\", sql_type(\"CITEXT\")),\n"
     "    primary_key(\"pk_Order Items\", {\"order\", \"line\"}),\n"
     "    unique(\"uq_Order Items_kind\", {\"kind\"}),\n"
     "    check(\"ck_qty\", \"qty > 0\"),\n"
     "    index(\"ix_sku\", {\"sku\"}),\n"
     "    table_comment(\"lines of an order\"),\n"
     "});\n"},
    {"create_table with an inline key and a named one",
     [](Ops& op) {
         op.create_table("t", {
                                  col("id", integer()).primary_key().autoincrement(),
                                  col("p", integer()).references("t", "id", "fk_self"),
                              });
     },
     "op.create_table(\"t\", {\n"
     "    col(\"id\", integer()).primary_key().autoincrement(),\n"
     "    col(\"p\", integer()).references(\"t\", \"id\", \"fk_self\"),\n"
     "});\n"},
};

class RenderStatement : public ::testing::TestWithParam<StatementCase> {};

TEST_P(RenderStatement, IsTheBuilderCallThatRecordsTheOpAgain) {
    const StatementCase& c = GetParam();
    auto ops = record_ops(c.body);
    ASSERT_EQ(ops.size(), 1u);
    std::string text = autogen::render_op(ops[0], 0);
    EXPECT_EQ(text, c.expected);
}

std::string statement_name(const ::testing::TestParamInfo<StatementCase>& info) {
    std::string out;
    for (const char* p = info.param.name; *p; ++p) out += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
    return out;
}

INSTANTIATE_TEST_SUITE_P(Autogen, RenderStatement, ::testing::ValuesIn(statement_cases), statement_name);

TEST(AutogenRender, IndentsEveryLine) {
    auto ops = record_ops([](Ops& op) { op.create_table("t", {col("id", integer()).primary_key()}); });
    EXPECT_EQ(autogen::render_op(ops[0], 8),
              "        op.create_table(\"t\", {\n"
              "            col(\"id\", integer()).primary_key(),\n"
              "        });\n");
}

TEST(AutogenRender, PutsAReviewLineAboveEachNotice) {
    std::vector<autogen::PlannedOp> ops;
    ops.push_back({record_ops([](Ops& op) { op.drop_table("t"); })[0],
                   {{autogen::NoticeKind::drop_table, "drops table t\nand every row"},
                    {autogen::NoticeKind::possible_rename, "looks like a rename"}}});
    EXPECT_EQ(autogen::render_ops(ops),
              "        // REVIEW: drops table t and every row\n"
              "        // REVIEW: looks like a rename\n"
              "        op.drop_table(\"t\");\n");
}

TEST(AutogenRender, WrapsLongReviewCommentsAtOneHundredColumns) {
    std::vector<autogen::PlannedOp> ops;
    std::string message = "drops table t and every row in it, which a reviewer must agree to before this "
                          "migration runs anywhere near production data";
    ops.push_back({record_ops([](Ops& op) { op.drop_table("t"); })[0], {{autogen::NoticeKind::drop_table, message}}});
    EXPECT_EQ(autogen::render_ops(ops),
              "        // REVIEW: drops table t and every row in it, which a reviewer must agree to before this\n"
              "        //         migration runs anywhere near production data\n"
              "        op.drop_table(\"t\");\n");
}

TEST(AutogenRender, EscapesStringLiterals) {
    EXPECT_EQ(autogen::cpp_literal("plain"), "\"plain\"");
    EXPECT_EQ(autogen::cpp_literal("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(autogen::cpp_literal("line\nnext\ttab\r"), "\"line\\nnext\\ttab\\r\"");
    // Octal escapes take three digits, so a following digit is not swallowed.
    EXPECT_EQ(autogen::cpp_literal(std::string("\x01") + "7"), "\"\\0017\"");
    EXPECT_EQ(autogen::cpp_literal("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
}

TEST(AutogenRender, RefusesWhatCppCannotExpress) {
    auto data = record_ops([](Ops& op) { op.run(retort::data([](Connection&) {})); });
    try {
        autogen::render_op(data[0]);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "cannot render a C++ data step (its function has no source) as C++");
        EXPECT_EQ(e.hint(), "write this step of the migration by hand");
    }
    Op unnamed_check = AddConstraint{"t", CheckConstraint{"", "a > 0"}};
    try {
        autogen::render_op(unnamed_check);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "cannot render an unnamed check constraint on table t as C++");
    }
}

TEST(AutogenRender, RendersNothingForNoChanges) {
    Schema s = models(autogen_corpus::bookshop);
    auto bodies = autogen::render_bodies(s, autogen::diff(s, s).ops);
    EXPECT_EQ(bodies.upgrade, "");
    EXPECT_EQ(bodies.downgrade, "");
}

// ---- whole migrations: golden files ---------------------------------------------------

void shop(MetaData& m) {
    m.table("authors", {
                           col("id", integer()).primary_key(),
                           col("name", varchar(200)).not_null(),
                           col("email", varchar(255)).unique(),
                           col("born", date()),
                           table_comment("people who write"),
                       });
    m.table("books", {
                         col("id", integer()).primary_key(),
                         col("author_id", integer()).not_null().references("authors", "id").on_delete(Action::cascade),
                         col("title", varchar(300)).not_null().comment("as printed"),
                         col("price", numeric(10, 2)).not_null().server_default("0"),
                         col("isbn", varchar(20)),
                         index("ix_books_author_id", {"author_id"}),
                         index("uq_books_isbn", {"isbn"}).unique().where("isbn IS NOT NULL"),
                     });
    m.table("reviews", {
                           col("id", integer()).primary_key(),
                           col("book_id", integer()).not_null().references("books", "id").on_delete(Action::cascade),
                           col("rating", smallint()).not_null(),
                           col("body", text()),
                           col("created_at", timestamp()).not_null().server_default("CURRENT_TIMESTAMP"),
                           check("ck_reviews_rating", "rating BETWEEN 1 AND 5"),
                           index("ix_reviews_book_id", {"book_id"}),
                           index("ix_reviews_lower_body", {expr("lower(body)")}),
                       });
}

void shop_altered(MetaData& m) {
    m.table("authors", {
                           col("id", integer()).primary_key(),
                           col("name", varchar(200)).not_null(),
                           col("email", varchar(255)).unique(),
                           col("born", date()),
                           table_comment("people who write books"),
                       });
    m.table("books", {
                         col("id", integer()).primary_key(),
                         col("author_id", integer()).not_null().references("authors", "id").on_delete(Action::restrict),
                         col("title", varchar(400)).not_null().comment("as printed"),
                         col("price", numeric(10, 2)).not_null().server_default("1"),
                         col("isbn", varchar(20)),
                         col("pages", integer()).not_null(),
                         col("language", varchar(8)).not_null().server_default("'en'"),
                         check("ck_books_pages", "pages >= 0"),
                         index("ix_books_author_id_title", {"author_id", "title"}),
                         index("uq_books_isbn", {"isbn"}).unique().where("isbn IS NOT NULL"),
                     });
    m.table("reviews", {
                           col("id", integer()).primary_key(),
                           col("book_id", integer()).not_null().references("books", "id").on_delete(Action::cascade),
                           col("rating", smallint()).not_null(),
                           col("body", text()),
                           col("created_at", timestamp()).not_null().server_default("CURRENT_TIMESTAMP"),
                           check("ck_reviews_rating", "rating BETWEEN 1 AND 5"),
                           index("ix_reviews_book_id", {"book_id"}),
                           index("ix_reviews_lower_body", {expr("lower(body)")}),
                       });
}

void shop_dropped(MetaData& m) {
    m.table("authors", {
                           col("id", integer()).primary_key(),
                           col("name", varchar(100)).not_null(),
                           col("email", varchar(255)).unique(),
                           col("born", date()).not_null(),
                           table_comment("people who write"),
                       });
    m.table("books", {
                         col("id", integer()).primary_key(),
                         col("author_id", integer()).not_null().references("authors", "id").on_delete(Action::cascade),
                         col("title", varchar(300)).not_null().comment("as printed"),
                         col("price", numeric(10, 2)).not_null().server_default("0"),
                         col("code", varchar(20)),
                         index("ix_books_author_id", {"author_id"}),
                     });
}

struct GoldenCase {
    const char* name;  // tests/unit/golden/<name>.cpp.golden
    const char* message;
    autogen_corpus::ModelsFn before;
    autogen_corpus::ModelsFn after;
};

const GoldenCase golden_cases[] = {
    {"autogen_initial_bookshop", "create the bookshop", nullptr, shop},
    {"autogen_alter_bookshop", "pages, languages and stricter authors", shop, shop_altered},
    {"autogen_drop_with_review", "drop reviews and isbn", shop, shop_dropped},
};

/// A migration file as `retort revision` writes it (src/cli/writer.cpp's format).
std::string migration_file(const GoldenCase& c, const autogen::MigrationBodies& b) {
    std::string out;
    out += std::string("// ") + c.message + "\n";
    out += "//\n";
    out += "// Revision ID: 0123456789ab\n";
    out += std::string("// Revises: ") + (c.before ? "ba9876543210" : "") + "\n";
    out += "// Create Date: 2026-11-22 15:30:00\n";
    out += "#include <retort/migration.hpp>\n\n";
    out += "using namespace retort;\n\n";
    out += "RETORT_MIGRATION{\n";
    out += "    .revision = \"0123456789ab\",\n";
    if (c.before) out += "    .down_revision = \"ba9876543210\",\n";
    out += "    .message = " + autogen::cpp_literal(c.message) + ",\n";
    out += "    .create_date = \"2026-11-22 15:30:00\",\n";
    out += "    .upgrade = [](Ops& op) {\n" + b.upgrade + "    },\n";
    out += "    .downgrade = [](Ops& op) {\n" + b.downgrade + "    },\n";
    out += "};\n";
    return out;
}

std::string render_golden(const GoldenCase& c) {
    Schema before = models(c.before);
    auto d = autogen::diff(before, models(c.after));
    return migration_file(c, autogen::render_bodies(before, d.ops));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class GoldenMigration : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenMigration, MatchesTheGoldenFile) {
    const GoldenCase& c = GetParam();
    fs::path path = fs::path(RETORT_GOLDEN_DIR) / (std::string(c.name) + ".cpp.golden");
    std::string text = render_golden(c);
    if (std::getenv("RETORT_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << text;
        GTEST_SKIP() << "wrote " << path;
    }
    ASSERT_TRUE(fs::exists(path)) << path << " is missing: run with RETORT_UPDATE_GOLDEN=1";
    EXPECT_EQ(text, read_file(path)) << "rendered differently from " << path;
}

TEST_P(GoldenMigration, IsFormattedTheSameEveryTime) {
    const GoldenCase& c = GetParam();
    EXPECT_EQ(render_golden(c), render_golden(c));
}

TEST_P(GoldenMigration, ReplaysToTheModelsAndBack) {
    // What the golden file's bodies record is what autogenerate planned: checked for
    // every corpus case by CompiledCorpus below; here the plan itself.
    const GoldenCase& c = GetParam();
    Schema before = models(c.before);
    Schema after = models(c.after);
    auto d = autogen::diff(before, after);
    Schema result = applied(before, plain(d.ops));
    EXPECT_EQ(canonical_json(result), canonical_json(after));
    EXPECT_EQ(canonical_json(applied(result, plain(autogen::downgrade(before, d.ops)))), canonical_json(before));
}

std::string golden_name(const ::testing::TestParamInfo<GoldenCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Autogen, GoldenMigration, ::testing::ValuesIn(golden_cases), golden_name);

// ---- the generated C++ compiles ----------------------------------------------------------

/// A scratch folder removed at the end of the test.
class TempDir {
public:
    TempDir() {
        m_path = fs::temp_directory_path() / ("retort-autogen-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(counter()++));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);  // best effort: a leftover temp folder is harmless
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return m_path; }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    fs::path m_path;
};

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs the compiler with `args`; returns its exit status and, on failure, its output.
int compile(const std::string& args, const fs::path& log, std::string& output) {
    std::string cmd = shell_quote(RETORT_CXX_COMPILER) + " -std=c++20 -Wall -Wextra -Wpedantic -Wshadow -Werror -I" +
                      shell_quote(RETORT_SOURCE_DIR) + " " + args + " > " + shell_quote(log.string()) + " 2>&1";
    int status = std::system(cmd.c_str());
    output = read_file(log);
    return status;
}

TEST(AutogenCompile, GeneratedMigrationFilesCompile) {
    TempDir dir;
    std::string files;
    for (const auto& c : golden_cases) {
        fs::path file = dir.path() / (std::string("20261122_1530-0123456789ab_") + c.name + ".cpp");
        std::ofstream(file) << render_golden(c);
        files += " " + shell_quote(file.string());
    }
    std::string output;
    int status = compile("-fsyntax-only" + files, dir.path() / "log.txt", output);
    EXPECT_EQ(status, 0) << output;
}

TEST(AutogenCompile, RenderedCorpusRecordsThePlannedOps) {
    // Every corpus case's upgrade and downgrade, rendered, compiled into one module,
    // loaded, recorded through the real builders and replayed: the schema must be
    // the one the planned ops give, and the downgrade must give "before" back.
    const auto& corpus = autogen_corpus::change_corpus();
    TempDir dir;
    std::string source = "#include <retort/migration.hpp>\n\nusing namespace retort;\n\n";
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        const auto& c = corpus[i];
        auto o = autogen_corpus::options_for(c);
        Schema before = models(c.before);
        auto bodies = autogen::render_bodies(before, autogen::diff(before, models(c.after), o).ops, o);
        source += "// " + std::string(c.name) + "\n";
        source += "extern \"C\" void retort_case_" + std::to_string(i) + "_up([[maybe_unused]] Ops& op) {\n" +
                  bodies.upgrade + "}\n";
        source += "extern \"C\" void retort_case_" + std::to_string(i) + "_down([[maybe_unused]] Ops& op) {\n" +
                  bodies.downgrade + "}\n\n";
    }
    fs::path file = dir.path() / "corpus.cpp";
    fs::path module = dir.path() / "corpus.so";
    std::ofstream(file) << source;
    std::string output;
    int status = compile("-shared -fPIC -o " + shell_quote(module.string()) + " " + shell_quote(file.string()),
                         dir.path() / "log.txt", output);
    ASSERT_EQ(status, 0) << output;

    // The module's builder calls resolve against the retort core already loaded.
    void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << dlerror();
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        const auto& c = corpus[i];
        SCOPED_TRACE(c.name);
        auto o = autogen_corpus::options_for(c);
        Schema before = models(c.before);
        auto planned = autogen::diff(before, models(c.after), o).ops;
        auto up = reinterpret_cast<OpsFn>(dlsym(handle, ("retort_case_" + std::to_string(i) + "_up").c_str()));
        auto down = reinterpret_cast<OpsFn>(dlsym(handle, ("retort_case_" + std::to_string(i) + "_down").c_str()));
        ASSERT_NE(up, nullptr);
        ASSERT_NE(down, nullptr);
        Schema expected = applied(before, plain(planned));
        Schema upgraded = applied(before, record_ops(up));
        EXPECT_EQ(canonical_json(upgraded), canonical_json(expected));
        EXPECT_EQ(canonical_json(applied(upgraded, record_ops(down))), canonical_json(before));
    }
    dlclose(handle);
}

}  // namespace
