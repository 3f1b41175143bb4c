// Lint on hand-built revision graphs (no database): every rule fires on a positive
// case and stays silent on a negative one; acknowledgements; where the lines come
// from (locate_upgrade_ops on migration text).
#include <retort/dialect/dialect.hpp>
#include <retort/lint/lint.hpp>
#include <retort/lint/locate.hpp>
#include <retort/ops/builder_data.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

using namespace retort;

/// SQLite, except that it says it can build indexes concurrently (as PostgreSQL
/// does): the capability RT201 reads, without a PostgreSQL build.
class ConcurrentIndexDialect final : public Dialect {
public:
    std::string_view name() const override { return "concurrent"; }
    const Capabilities& capabilities() const override {
        static const Capabilities caps{.concurrent_index = true};
        return caps;
    }
    std::unique_ptr<DbSession> connect(const Url& url, OpenMode mode) const override {
        return m_base->connect(url, mode);
    }
    std::vector<Statement> render(const Op& op, const Schema& before) const override { return m_base->render(op, before); }
    Schema reflect(DbSession& session, const ReflectOptions& options) const override {
        return m_base->reflect(session, options);
    }
    Schema normalize(const Schema& schema) const override { return m_base->normalize(schema); }
    std::string type_sql(const Type& type) const override { return m_base->type_sql(type); }

private:
    std::shared_ptr<const Dialect> m_base = sqlite::dialect();
};

Revision revision(const char* id, std::vector<std::string> parents, OpsFn up, OpsFn down = nullptr) {
    Revision r;
    r.id = id;
    r.down_revisions = std::move(parents);
    r.message = id;
    r.upgrade = up;
    r.downgrade = down;
    return r;
}

/// users(id, name varchar(200) NULL, email varchar(200) NOT NULL) and
/// orders(id, user_id -> users.id, total integer).
void base_tables(Ops& op) {
    op.create_table("users", {
        col("id", integer()).primary_key(),
        col("name", varchar(200)),
        col("email", varchar(200)).not_null(),
        col("age", integer()),
    });
    op.create_table("orders", {
        col("id", integer()).primary_key(),
        col("user_id", integer()).references("users", "id"),
        col("total", integer()),
    });
}

void no_down(Ops&) {}

struct Case {
    const char* name;
    OpsFn upgrade;
    const char* code;
    bool fires;
    OpsFn downgrade = nullptr;
    bool concurrent_dialect = false;
    bool irreversible = false;
};

std::vector<std::string> codes_of(const std::vector<LintFinding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings)
        if (!f.acknowledged) out.push_back(f.code);
    return out;
}

std::vector<LintFinding> lint_second(OpsFn upgrade, OpsFn downgrade = nullptr, bool concurrent = false,
                                     std::vector<std::string> acknowledge = {}, bool irreversible = false) {
    auto first = revision("000000000001", {}, base_tables, no_down);
    auto second = revision("000000000002", {"000000000001"}, upgrade, downgrade);
    second.acknowledge = std::move(acknowledge);
    second.irreversible = irreversible;
    auto graph = RevisionGraph::build({first, second});
    ConcurrentIndexDialect concurrent_dialect;
    const Dialect& dialect = concurrent ? static_cast<const Dialect&>(concurrent_dialect) : *sqlite::dialect();
    auto findings = lint(graph, dialect);
    std::vector<LintFinding> out;
    for (auto& f : findings)
        if (f.revision == "000000000002") out.push_back(std::move(f));
    return out;
}

TEST(Lint, EveryRuleFiresOnItsCaseAndStaysSilentOnTheSafeOne) {
    const Case cases[] = {
        {"drop a table", [](Ops& op) { op.drop_table("orders"); }, "RT101", true},
        {"rename a table instead", [](Ops& op) { op.rename_table("orders", "purchases"); }, "RT101", false},
        {"drop a column", [](Ops& op) { op.drop_column("users", "age"); }, "RT102", true},
        {"rename a column instead", [](Ops& op) { op.rename_column("users", "age", "years"); }, "RT102", false},
        {"a shorter varchar", [](Ops& op) { op.alter_column("users", "name", change().type(varchar(50))); }, "RT103", true},
        {"a longer varchar", [](Ops& op) { op.alter_column("users", "name", change().type(varchar(500))); }, "RT103", false},
        {"integer to numeric(10,2)", [](Ops& op) { op.alter_column("orders", "total", change().type(numeric(10, 2))); },
         "RT103", true},
        {"integer to bigint", [](Ops& op) { op.alter_column("orders", "total", change().type(bigint())); }, "RT103", false},
        {"integer to numeric(12,2)", [](Ops& op) { op.alter_column("orders", "total", change().type(numeric(12, 2))); },
         "RT103", false},
        {"text to integer", [](Ops& op) { op.alter_column("users", "name", change().type(integer())); }, "RT103", true},
        {"NOT NULL on an existing nullable column", [](Ops& op) { op.alter_column("users", "name", change().not_null()); },
         "RT104", true},
        {"dropping NOT NULL", [](Ops& op) { op.alter_column("users", "email", change().nullable()); }, "RT104", false},
        {"a NOT NULL column without a default", [](Ops& op) { op.add_column("users", col("city", text()).not_null()); },
         "RT105", true},
        {"a NOT NULL column with a default",
         [](Ops& op) { op.add_column("users", col("city", text()).not_null().server_default("''")); }, "RT105", false},
        {"NOT NULL columns of a new table",
         [](Ops& op) { op.create_table("tags", {col("id", integer()).primary_key(), col("label", text()).not_null()}); },
         "RT105", false},
        {"drop and add of the same type",
         [](Ops& op) {
             op.drop_column("users", "name");
             op.add_column("users", col("full_name", varchar(200)));
         },
         "RT106", true},
        {"drop and add of another type",
         [](Ops& op) {
             op.drop_column("users", "name");
             op.add_column("users", col("born", date()));
         },
         "RT106", false},
        {"drop and create of a table with the same columns",
         [](Ops& op) {
             op.drop_table("orders");
             op.create_table("purchases", {
                 col("id", integer()).primary_key(),
                 col("user_id", integer()).references("users", "id"),
                 col("total", integer()),
             });
         },
         "RT106", true},
        {"an index on an existing table, without CONCURRENTLY",
         [](Ops& op) { op.create_index("users", index("ix_users_name", {"name"})); }, "RT201", true, nullptr, true},
        {"an index built concurrently",
         [](Ops& op) { op.create_index("users", index("ix_users_name", {"name"}).concurrently()); }, "RT201", false,
         nullptr, true},
        {"an index on a new table",
         [](Ops& op) {
             op.create_table("tags", {col("id", integer()).primary_key(), col("label", text())});
             op.create_index("tags", index("ix_tags_label", {"label"}));
         },
         "RT201", false, nullptr, true},
        {"an index where nothing builds concurrently (SQLite)",
         [](Ops& op) { op.create_index("users", index("ix_users_name", {"name"})); }, "RT201", false},
        {"rebuilding a referenced table (SQLite)",
         [](Ops& op) { op.alter_column("users", "age", change().type(bigint())); }, "RT202", true},
        {"rebuilding a table nothing references",
         [](Ops& op) { op.alter_column("orders", "total", change().type(bigint())); }, "RT202", false},
        {"a change SQLite makes in place", [](Ops& op) { op.add_column("users", col("city", text())); }, "RT202", false},
        {"raw SQL without a down, downgrade derived", [](Ops& op) { op.execute(sql("UPDATE users SET age = 0")); },
         "RT301", true},
        {"raw SQL with a down", [](Ops& op) { op.execute(sql("UPDATE users SET age = 0").down("SELECT 1")); }, "RT301",
         false},
        {"raw SQL without a down, downgrade written",
         [](Ops& op) { op.execute(sql("UPDATE users SET age = 0")); }, "RT301", false, [](Ops&) {}},
        {"a data step without a down", [](Ops& op) { op.run(data([](Connection&) {})); }, "RT301", true},
        {"raw SQL without a down in an irreversible migration",
         [](Ops& op) { op.execute(sql("UPDATE users SET age = 0")); }, "RT301", false, nullptr, false, true},
        {"schema and data in one migration",
         [](Ops& op) {
             op.add_column("users", col("city", text()));
             op.execute(sql("UPDATE users SET city = 'Paris'").down("UPDATE users SET city = NULL"));
         },
         "RT302", true},
        {"data alone", [](Ops& op) { op.execute(sql("UPDATE users SET age = 0").down("SELECT 1")); }, "RT302", false},
        {"schema alone", [](Ops& op) { op.add_column("users", col("city", text())); }, "RT302", false},
    };
    for (const auto& c : cases) {
        auto codes = codes_of(lint_second(c.upgrade, c.downgrade, c.concurrent_dialect, {}, c.irreversible));
        const bool fired = std::find(codes.begin(), codes.end(), c.code) != codes.end();
        std::string all;
        for (const auto& code : codes) all += code + " ";
        EXPECT_EQ(fired, c.fires) << c.name << ": " << c.code << (c.fires ? " should fire" : " should stay silent")
                                  << " (findings: " << all << ")";
    }
}

TEST(Lint, TheFirstMigrationCreatingTablesHasNothingToSay) {
    auto graph = RevisionGraph::build({revision("000000000001", {}, base_tables)});
    EXPECT_TRUE(lint(graph, *sqlite::dialect()).empty());
}

TEST(Lint, AnAcknowledgedFindingIsKeptButMarked) {
    auto findings = lint_second([](Ops& op) { op.drop_column("users", "age"); }, nullptr, false, {"RT102"});
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].code, "RT102");
    EXPECT_TRUE(findings[0].acknowledged);
}

TEST(Lint, AcknowledgingACodeThatDoesNotExistIsReported) {
    auto findings = lint_second([](Ops& op) { op.add_column("users", col("city", text())); }, nullptr, false, {"RT999"});
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].code, "RT001");
    EXPECT_NE(findings[0].message.find("\"RT999\""), std::string::npos) << findings[0].message;
    EXPECT_FALSE(findings[0].acknowledged);
}

TEST(Lint, MessagesNameTheOpTheTypesAndWhatToDo) {
    // users is referenced by orders: on SQLite the type change rebuilds it (RT202) too.
    auto findings = lint_second([](Ops& op) { op.alter_column("users", "name", change().type(varchar(50))); });
    ASSERT_EQ(findings.size(), 2u);
    std::sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    EXPECT_EQ(findings[1].code, "RT202");
    EXPECT_EQ(findings[0].rule, "narrow-type");
    EXPECT_EQ(findings[0].message,
              "alter_column users.name changes its type from varchar(200) to varchar(50), which cannot hold every "
              "value of the old type: rows may fail to convert, or lose length or precision");
    EXPECT_NE(findings[0].hint.find(".acknowledge = {\"RT103\"}"), std::string::npos) << findings[0].hint;
}

TEST(Lint, ABranchIsLintedAgainstItsOwnParentAndAMergeAgainstBoth) {
    // left drops users.age; right, from the same parent, still has it and drops it too.
    auto base = revision("000000000001", {}, base_tables, no_down);
    auto left = revision("00000000000a", {"000000000001"}, [](Ops& op) { op.drop_column("users", "age"); }, no_down);
    auto right = revision("00000000000b", {"000000000001"}, [](Ops& op) { op.drop_column("users", "name"); }, no_down);
    auto merge = revision("00000000000c", {"00000000000a", "00000000000b"},
                          [](Ops& op) { op.drop_column("users", "email"); }, no_down);
    auto findings = lint(RevisionGraph::build({base, left, right, merge}), *sqlite::dialect());
    std::vector<std::string> got;
    for (const auto& f : findings) got.push_back(f.revision + " " + f.code + " " + f.op);
    EXPECT_EQ(got, (std::vector<std::string>{"00000000000a RT102 drop_column users.age",
                                             "00000000000b RT102 drop_column users.name",
                                             "00000000000c RT102 drop_column users.email"}));
}

TEST(Lint, FindingsCarryTheFileAndLineOfTheOp) {
    const auto dir = std::filesystem::temp_directory_path() / ("retort_lint_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "20260102_0900-000000000002_drop_age.cpp";
    std::ofstream(file) << "#include <retort/migration.hpp>\n"          // 1
                           "using namespace retort;\n"                  // 2
                           "RETORT_MIGRATION{\n"                        // 3
                           "    .revision = \"000000000002\",\n"        // 4
                           "    .down_revision = \"000000000001\",\n"   // 5
                           "    .upgrade = [](Ops& op) {\n"             // 6
                           "        // op.drop_column(\"users\", \"name\");\n"  // 7: a comment
                           "        op.add_column(\"users\", col(\"city\", text()));\n"  // 8
                           "        op.drop_column(\"users\",\n"        // 9
                           "                       \"age\");\n"         // 10
                           "    },\n"                                   // 11
                           "};\n";
    auto base = revision("000000000001", {}, base_tables, no_down);
    auto second = revision("000000000002", {"000000000001"}, [](Ops& op) {
        op.add_column("users", col("city", text()));
        op.drop_column("users", "age");
    }, no_down);
    second.source_file = keep_text(file.string());
    auto findings = lint(RevisionGraph::build({base, second}), *sqlite::dialect());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].file, file.string());
    EXPECT_EQ(findings[0].line, 9);
    EXPECT_EQ(format_finding(findings[0], false).substr(0, file.string().size() + 27),
              file.string() + ":9: warning: RT102: drop_co");
    EXPECT_NE(format_finding(findings[0], true).find(":9: error: RT102"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(Lint, EveryRuleHasAUniqueCode) {
    std::vector<std::string> codes;
    for (const auto& r : lint_rules()) codes.push_back(r.code);
    auto sorted = codes;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
    EXPECT_NE(find_lint_rule("RT101"), nullptr);
    EXPECT_EQ(find_lint_rule("RT999"), nullptr);
}

// ---- locate_upgrade_ops ------------------------------------------------------------

TEST(LocateOps, OpsAreMatchedToTheirCallsInOrderSkippingComments) {
    const char* source = R"(#include <retort/migration.hpp>
RETORT_MIGRATION{
    .revision = "abc",
    .upgrade = [](Ops& op) {
        /* op.create_table("users", {}); */
        op.create_table("users", {
            col("id", integer()).primary_key(),
        });
        op.add_column("users", col("email", text()).unique());
        op.execute(sql("UPDATE users SET email = ''")
                       .schema_effect([](Ops& eq) { eq.add_column("users", col("x", text())); }));
        op.add_column("users", col("name", text()));
    },
    .downgrade = [](Ops& op) { op.drop_table("users"); },
};
)";
    // The ops the upgrade records (their lines are what is tested).
    std::vector<Op> ops = record_ops([](Ops& op) {
        op.create_table("users", {col("id", integer()).primary_key()});
        op.add_column("users", col("email", text()).unique());  // add_column and the unique constraint
        op.execute(sql("UPDATE users SET email = ''"));
        op.add_column("users", col("name", text()));
    });
    ASSERT_EQ(ops.size(), 5u);
    ASSERT_TRUE(std::holds_alternative<AddConstraint>(ops[2].variant()));
    EXPECT_EQ(locate_upgrade_ops(source, "abc", ops), (std::vector<int>{6, 9, 9, 10, 12}));
}

TEST(LocateOps, AnOpBuiltElsewhereGetsThePreviousLineOrTheUpgradeLine) {
    const char* source = "RETORT_MIGRATION{\n    .revision = \"abc\",\n    .upgrade = [](Ops& op) { add_all(op); },\n};\n";
    std::vector<Op> ops = record_ops([](Ops& op) {
        op.drop_table("t");
        op.drop_table("u");
    });
    EXPECT_EQ(locate_upgrade_ops(source, "abc", ops), (std::vector<int>{3, 3}));
    EXPECT_EQ(locate_upgrade_ops("", "abc", ops), (std::vector<int>{0, 0}));
}

TEST(LocateOps, TheTableArgumentPicksTheRightCall) {
    const char* source = "RETORT_MIGRATION{ .revision = \"abc\", .upgrade = [](Ops& op) {\n"
                       "op.drop_column(\"a\", \"x\");\n"
                       "op.drop_column(\"b\", \"x\");\n"
                       "}, };\n";
    std::vector<Op> ops = record_ops([](Ops& op) { op.drop_column("b", "x"); });
    EXPECT_EQ(locate_upgrade_ops(source, "abc", ops), (std::vector<int>{3}));
}

}  // namespace
