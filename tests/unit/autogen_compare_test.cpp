// Autogenerate's comparison: for every change kind of the corpus, the planned ops
// turn "before" into "after", their reverse turns it back, and a schema compared
// with itself gives nothing. Plus the differences `retort check` prints, notices,
// rename hints, exclusions and unnamed objects.
#include "autogen_corpus.hpp"

#include <retort/autogen/compare.hpp>
#include <retort/error.hpp>
#include <retort/ops/ops.hpp>
#include <retort/schema/fingerprint.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>

using namespace retort;
using autogen_corpus::ChangeCase;
using autogen_corpus::ModelsFn;
using autogen_corpus::models;

namespace {

/// The schema without the tables the options exclude.
Schema visible(const Schema& s, const autogen::CompareOptions& o) {
    Schema out;
    for (const auto& [name, t] : s.tables)
        if (!autogen::is_excluded(o, name)) out.tables.emplace(name, t);
    return out;
}

/// What autogenerate compares: the visible tables, primary keys by their columns
/// (a renamed table keeps the name `pk_<old name>`).
Schema comparable(const Schema& s, const autogen::CompareOptions& o) {
    Schema out = visible(s, o);
    for (auto& [_, t] : out.tables)
        if (t.primary_key) t.primary_key->name.clear();
    return out;
}

Schema applied(Schema s, const std::vector<autogen::PlannedOp>& ops) {
    for (const auto& p : ops) {
        Op op = p.op;
        apply(op, s);
    }
    return s;
}

std::string op_lines(const std::vector<autogen::PlannedOp>& ops) {
    std::string out;
    for (const auto& p : ops) out += (out.empty() ? "" : "\n") + describe(p.op);
    return out;
}

std::string notice_kinds(const std::vector<autogen::PlannedOp>& ops) {
    std::string out;
    for (const auto& p : ops)
        for (const auto& n : p.notices) out += (out.empty() ? "" : " ") + std::string(autogen::to_string(n.kind));
    return out;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

class ChangeCorpus : public ::testing::TestWithParam<ChangeCase> {};

TEST_P(ChangeCorpus, PlansTheExpectedOpsAndNotices) {
    const ChangeCase& c = GetParam();
    auto d = autogen::diff(models(c.before), models(c.after), autogen_corpus::options_for(c));
    EXPECT_EQ(op_lines(d.ops), c.ops);
    EXPECT_EQ(notice_kinds(d.ops), c.notices);
    if (c.warning) {
        bool found = false;
        for (const auto& w : d.warnings) found = found || w.find(c.warning) != std::string::npos;
        EXPECT_TRUE(found) << "no warning holds \"" << c.warning << "\"";
    } else {
        EXPECT_TRUE(d.warnings.empty()) << d.warnings.front();
    }
}

TEST_P(ChangeCorpus, UpgradeOpsTurnBeforeIntoAfter) {
    const ChangeCase& c = GetParam();
    auto o = autogen_corpus::options_for(c);
    Schema before = models(c.before);
    Schema after = models(c.after);
    auto d = autogen::diff(before, after, o);
    Schema result = applied(before, d.ops);
    EXPECT_EQ(canonical_json(comparable(result, o)), canonical_json(comparable(after, o)));
}

TEST_P(ChangeCorpus, DowngradeOpsTurnAfterBackIntoBefore) {
    const ChangeCase& c = GetParam();
    auto o = autogen_corpus::options_for(c);
    Schema before = models(c.before);
    auto d = autogen::diff(before, models(c.after), o);
    Schema after = applied(before, d.ops);
    Schema back = applied(after, autogen::downgrade(before, d.ops, o));
    EXPECT_EQ(canonical_json(back), canonical_json(before));
}

TEST_P(ChangeCorpus, ComparingASchemaWithItselfFindsNothing) {
    const ChangeCase& c = GetParam();
    auto o = autogen_corpus::options_for(c);
    o.rename_tables.clear();  // they would not apply, and say so
    o.rename_columns.clear();
    for (ModelsFn fn : {c.before, c.after}) {
        Schema s = models(fn);
        auto d = autogen::diff(s, s, o);
        EXPECT_TRUE(d.ops.empty()) << describe(d.ops.front().op);
        EXPECT_TRUE(d.differences.empty()) << d.differences.front().text;
        EXPECT_TRUE(d.warnings.empty());
    }
}

TEST_P(ChangeCorpus, NothingIsLeftToCompareAfterTheUpgrade) {
    const ChangeCase& c = GetParam();
    auto o = autogen_corpus::options_for(c);
    Schema before = models(c.before);
    Schema after = models(c.after);
    Schema result = applied(before, autogen::diff(before, after, o).ops);
    auto again = autogen::diff(result, after, o);
    EXPECT_TRUE(again.ops.empty()) << describe(again.ops.front().op);
}

TEST_P(ChangeCorpus, ReportsADifferenceExactlyWhenThereAreOps) {
    const ChangeCase& c = GetParam();
    auto o = autogen_corpus::options_for(c);
    auto d = autogen::diff(models(c.before), models(c.after), o);
    EXPECT_EQ(d.differences.empty(), d.ops.empty());
    // describe_diff gives the same lines as diff.
    auto lines = autogen::difference_lines(autogen::describe_diff(models(c.before), models(c.after), o));
    EXPECT_EQ(lines, autogen::difference_lines(d.differences));
}

std::string case_name(const ::testing::TestParamInfo<ChangeCase>& info) {
    std::string out;
    for (const char* p = info.param.name; *p; ++p) out += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
    return out;
}

INSTANTIATE_TEST_SUITE_P(Autogen, ChangeCorpus, ::testing::ValuesIn(autogen_corpus::change_corpus()), case_name);

TEST(AutogenCorpus, CoversAtLeastThirtyFiveChangeKinds) { EXPECT_GE(autogen_corpus::change_corpus().size(), 35u); }

// ---- differences, as `retort check` prints them ---------------------------------

TEST(AutogenDifferences, AreOneLinePerDifferenceInAStableOrder) {
    Schema before = models([](MetaData& m) {
        m.table("books", {col("id", integer()).primary_key(), col("isbn", varchar(20)), col("old", text()),
                          index("ix_books_isbn", {"isbn"})});
        m.table("zebras", {col("id", integer()).primary_key()});
    });
    Schema after = models([](MetaData& m) {
        m.table("books", {col("id", integer()).primary_key(), col("isbn", varchar(32)).not_null().server_default("''"),
                          col("pages", integer()), check("ck_books_pages", "pages > 0"),
                          index("ix_books_isbn", {"isbn"}).unique(), table_comment("what we sell")});
        m.table("authors", {col("id", integer()).primary_key()});
    });
    auto lines = autogen::difference_lines(autogen::describe_diff(before, after));
    std::vector<std::string> expected = {
        "added table authors",
        "table books: comment none -> 'what we sell'",
        "column books.isbn: type varchar(20) -> varchar(32)",
        "column books.isbn: nullable -> not null",
        "column books.isbn: default none -> ''",
        "removed column books.old",
        "added column books.pages integer",
        "added check constraint ck_books_pages on books: CHECK (pages > 0)",
        "changed index ix_books_isbn on books: (isbn) -> UNIQUE (isbn)",
        "removed table zebras",
    };
    EXPECT_EQ(lines, expected);
}

TEST(AutogenDifferences, DescribeKeysAndForeignKeys) {
    Schema before = models([](MetaData& m) {
        m.table("a", {col("id", integer()).primary_key()});
        m.table("b", {col("id", integer()).primary_key(), col("a_id", integer()).references("a")});
    });
    Schema after = models([](MetaData& m) {
        m.table("a", {col("id", integer()).primary_key()});
        m.table("b", {col("id", integer()).not_null(), col("a_id", integer()).not_null(),
                      primary_key("pk_b", {"id", "a_id"}),
                      foreign_key("fk_b_a_id_a", {"a_id"}, "a", {"id"}).on_delete(Action::cascade)});
    });
    auto lines = autogen::difference_lines(autogen::describe_diff(before, after));
    std::vector<std::string> expected = {
        "column b.a_id: nullable -> not null",
        "changed primary key pk_b on b: (id) -> (id, a_id)",
        "changed foreign key fk_b_a_id_a on b: (a_id) REFERENCES a (id) -> (a_id) REFERENCES a (id) ON DELETE CASCADE",
    };
    EXPECT_EQ(lines, expected);
}

TEST(AutogenDifferences, HaveAJsonForm) {
    Schema before = models([](MetaData& m) { m.table("t", {col("id", integer()).primary_key(), col("v", varchar(20))}); });
    Schema after = models([](MetaData& m) { m.table("t", {col("id", integer()).primary_key(), col("v", varchar(32))}); });
    auto d = autogen::diff(before, after);
    nlohmann::json j = autogen::to_json(d.differences);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["kind"], "column_changed");
    EXPECT_EQ(j[0]["table"], "t");
    EXPECT_EQ(j[0]["object"], "v");
    EXPECT_EQ(j[0]["field"], "type");
    EXPECT_EQ(j[0]["from"], "varchar(20)");
    EXPECT_EQ(j[0]["to"], "varchar(32)");
    EXPECT_EQ(j[0]["text"], "column t.v: type varchar(20) -> varchar(32)");
    nlohmann::json whole = autogen::to_json(d);
    EXPECT_EQ(whole["ops"][0]["op"], "alter_column t.v (type varchar(32))");
    EXPECT_TRUE(whole["warnings"].empty());
}

TEST(AutogenDifferences, RenamesAppearAsRenames) {
    Schema before = models(autogen_corpus::tags);
    Schema after = models([](MetaData& m) {
        m.table("labels", {col("id", integer()).primary_key(), col("text", varchar(50)).not_null()});
    });
    autogen::CompareOptions o;
    o.rename_tables = {autogen::parse_table_rename("tags=labels")};
    o.rename_columns = {autogen::parse_column_rename("labels.label=text")};
    EXPECT_EQ(autogen::difference_lines(autogen::describe_diff(before, after, o)),
              (std::vector<std::string>{"renamed table tags -> labels", "renamed column labels.label -> text"}));
}

// ---- notices -----------------------------------------------------------------------

TEST(AutogenNotices, ExplainWhatAReviewerMustCheck) {
    Schema before = models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("a", varchar(200)), col("gone", text())});
    });
    Schema after = models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("a", varchar(50)).not_null(),
                      col("n", integer()).not_null()});
    });
    auto d = autogen::diff(before, after);
    std::vector<std::string> messages;
    for (const auto& p : d.ops)
        for (const auto& n : p.notices) messages.push_back(n.message);
    std::vector<std::string> expected = {
        "t.n is NOT NULL without a server default and t may hold rows: it is added with DEFAULT 0, which fills the "
        "existing rows, and the default is dropped right after; if 0 is not the right value, backfill the rows with "
        "a data step in between",
        "drops column t.gone and its data",
        "narrows t.a from varchar(200) to varchar(50): values that do not fit make it fail, or are cut",
        "makes t.a NOT NULL: it fails if a row holds NULL there; fill them first",
    };
    EXPECT_EQ(messages, expected);
}

TEST(AutogenNotices, SayWhyTheSafePatternCannotBeUsed) {
    struct Case {
        autogen_corpus::ModelsFn after;
        const char* message;
    };
    const Case cases[] = {
        {[](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("h", sql_type("CITEXT")).not_null()});
         },
         "adds NOT NULL column tags.h without a server default: it fails if tags holds rows; add it nullable, fill "
         "it, then make it NOT NULL (type CITEXT has no zero value to use as a temporary default)"},
        {[](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("parent", integer()).not_null().references("tags")});
         },
         "adds NOT NULL column tags.parent without a server default: it fails if tags holds rows; add it nullable, "
         "fill it, then make it NOT NULL (a zero default would break foreign key fk_tags_parent_tags)"},
        {[](MetaData& m) {
             m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                              col("code", text()).not_null(), index("ix_code", {"code"}).unique()});
         },
         "adds NOT NULL column tags.code without a server default: it fails if tags holds rows; add it nullable, "
         "fill it, then make it NOT NULL (every row would get the same value in unique index ix_code)"},
    };
    for (const auto& c : cases) {
        auto d = autogen::diff(models(autogen_corpus::tags), models(c.after));
        ASSERT_FALSE(d.ops.empty());
        ASSERT_EQ(d.ops[0].notices.size(), 1u);
        EXPECT_EQ(d.ops[0].notices[0].message, c.message);
    }
}

TEST(AutogenNotices, NoSafePatternWhenTheOptionIsOff) {
    Schema before = models(autogen_corpus::tags);
    Schema after = models([](MetaData& m) {
        m.table("tags", {col("id", integer()).primary_key(), col("label", varchar(50)).not_null(),
                         col("n", integer()).not_null()});
    });
    autogen::CompareOptions o;
    o.safe_not_null = false;
    auto d = autogen::diff(before, after, o);
    ASSERT_EQ(d.ops.size(), 1u);
    ASSERT_EQ(d.ops[0].notices.size(), 1u);
    EXPECT_EQ(d.ops[0].notices[0].message,
              "adds NOT NULL column tags.n without a server default: it fails if tags holds rows; add it nullable, "
              "fill it, then make it NOT NULL");
}

TEST(AutogenNotices, NewTablesNeedNoSafePattern) {
    auto d = autogen::diff(Schema{}, models(autogen_corpus::bookshop));
    for (const auto& p : d.ops) EXPECT_TRUE(p.notices.empty()) << describe(p.op);
}

TEST(AutogenNotices, TheDowngradeOfADropUsesTheSafePatternToo) {
    Schema before = models(autogen_corpus::tags);
    Schema after = models([](MetaData& m) { m.table("tags", {col("id", integer()).primary_key()}); });
    auto d = autogen::diff(before, after);
    auto down = autogen::downgrade(before, d.ops);
    ASSERT_EQ(down.size(), 2u);
    EXPECT_EQ(describe(down[0].op), "add_column tags.label varchar(50)");
    EXPECT_EQ(describe(down[1].op), "alter_column tags.label (drop default)");
    ASSERT_EQ(down[0].notices.size(), 1u);
    EXPECT_EQ(down[0].notices[0].kind, autogen::NoticeKind::not_null_column_added);
}

struct TypeChangeCase {
    TypeSpec from;
    TypeSpec to;
    autogen::TypeChange expected;
};

TEST(AutogenNotices, ClassifyTypeChanges) {
    using autogen::TypeChange;
    const TypeChangeCase cases[] = {
        {integer(), integer(), TypeChange::same},
        {smallint(), integer(), TypeChange::widening},
        {integer(), bigint(), TypeChange::widening},
        {bigint(), integer(), TypeChange::narrowing},
        {integer(), smallint(), TypeChange::narrowing},
        {integer(), numeric(12, 2), TypeChange::widening},
        {integer(), numeric(8, 2), TypeChange::narrowing},
        {numeric(10, 2), integer(), TypeChange::narrowing},
        {numeric(10, 2), numeric(12, 2), TypeChange::widening},
        {numeric(10, 2), numeric(10, 4), TypeChange::narrowing},
        {numeric(10, 2), numeric(8, 2), TypeChange::narrowing},
        {numeric(10, 2), numeric(), TypeChange::widening},
        {numeric(), numeric(10, 2), TypeChange::narrowing},
        {real(), double_precision(), TypeChange::widening},
        {double_precision(), real(), TypeChange::narrowing},
        {varchar(20), varchar(40), TypeChange::widening},
        {varchar(40), varchar(20), TypeChange::narrowing},
        {varchar(40), text(), TypeChange::widening},
        {text(), varchar(40), TypeChange::narrowing},
        {date(), timestamp(), TypeChange::widening},
        {timestamp(), date(), TypeChange::narrowing},
        {timestamp(), timestamptz(), TypeChange::conversion},
        {text(), integer(), TypeChange::conversion},
        {json(), jsonb(), TypeChange::conversion},
        {sql_type("CITEXT"), text(), TypeChange::conversion},
    };
    for (const auto& c : cases)
        EXPECT_EQ(autogen::classify_type_change(Type::from(c.from), Type::from(c.to)), c.expected)
            << to_string(Type::from(c.from)) << " -> " << to_string(Type::from(c.to));
}

// ---- options -----------------------------------------------------------------------

TEST(AutogenOptions, GlobPatternsMatchWholeNames) {
    struct Case {
        const char* pattern;
        const char* name;
        bool matches;
    };
    const Case cases[] = {
        {"retort_version", "retort_version", true}, {"retort_version", "retort_version_history", false},
        {"retort_*", "retort_version_history", true}, {"tmp_*", "tmp_", true},
        {"tmp_*", "xtmp_a", false},                  {"t?p", "tmp", true},
        {"t?p", "tp", false},                        {"*_log", "audit_log", true},
        {"*_log", "audit_logs", false},              {"a*b*c", "aXbYbZc", true},
        {"*", "", true},                             {"", "", true},
    };
    for (const auto& c : cases) EXPECT_EQ(autogen::glob_match(c.pattern, c.name), c.matches) << c.pattern << " " << c.name;
}

TEST(AutogenOptions, RenameHintsAreParsed) {
    auto t = autogen::parse_table_rename("authors=writers");
    EXPECT_EQ(t.from, "authors");
    EXPECT_EQ(t.to, "writers");
    auto c = autogen::parse_column_rename("books.title=name");
    EXPECT_EQ(c.table, "books");
    EXPECT_EQ(c.from, "title");
    EXPECT_EQ(c.to, "name");
}

TEST(AutogenOptions, MalformedRenameHintsSayHowToWriteThem) {
    EXPECT_EQ(message_of([] { autogen::parse_table_rename("authors"); }), "bad table rename hint \"authors\"");
    EXPECT_EQ(message_of([] { autogen::parse_column_rename("title=name"); }), "bad column rename hint \"title=name\"");
    try {
        autogen::parse_column_rename("books.title");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        EXPECT_EQ(e.hint(), "write it as table.old=new, e.g. --rename-column books.title=name");
    }
}

TEST(AutogenOptions, RenameHintsThatDoNotApplyAreReported) {
    Schema s = models(autogen_corpus::tags);
    autogen::CompareOptions o;
    o.rename_tables = {{"nope", "other"}};
    o.rename_columns = {{"tags", "missing", "x"}};
    auto d = autogen::diff(s, s, o);
    EXPECT_TRUE(d.ops.empty());
    EXPECT_EQ(d.warnings, (std::vector<std::string>{
                              "rename hint nope=other ignored: the current schema has no table nope",
                              "rename hint tags.missing=x ignored: the current table tags has no column missing",
                          }));
}

TEST(AutogenOptions, TypeAndDefaultHooksDecideEquivalence) {
    Schema before = models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("v", sql_type("INT4")).server_default("(0)")});
    });
    Schema after = models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("v", integer()).server_default("0")});
    });
    EXPECT_EQ(autogen::describe_diff(before, after).size(), 2u);
    autogen::CompareOptions o;
    o.types_equal = [](const Type& a, const Type& b) {
        return (a.kind == TypeKind::custom && a.name == "INT4" && b.kind == TypeKind::integer) || a == b;
    };
    o.defaults_equal = [](const std::optional<std::string>& a, const std::optional<std::string>& b, const Column&) {
        return a && b && (*a == "(" + *b + ")" || *b == "(" + *a + ")");
    };
    EXPECT_TRUE(autogen::diff(before, after, o).empty());
}

TEST(AutogenOptions, ExpressionHookAppliesToChecksAndIndexes) {
    Schema before = models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("v", text()), check("ck_t_v", "length(v)>0"),
                      index("ix_t_v", {expr("lower(v)")}).where("v IS NOT NULL")});
    });
    Schema after = models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("v", text()), check("ck_t_v", "length(v) > 0"),
                      index("ix_t_v", {expr("LOWER(v)")}).where("v is not null")});
    });
    EXPECT_EQ(autogen::describe_diff(before, after).size(), 2u);
    autogen::CompareOptions o;
    o.expressions_equal = [](std::string_view a, std::string_view b) {
        auto squash = [](std::string_view s) {
            std::string out;
            for (char c : s)
                if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return out;
        };
        return squash(a) == squash(b);
    };
    EXPECT_TRUE(autogen::diff(before, after, o).empty());
}

// ---- unnamed objects (reflected from hand-made databases) --------------------------

Schema strip_names(Schema s) {
    for (auto& [_, t] : s.tables) {
        if (t.primary_key) t.primary_key->name.clear();
        for (auto& fk : t.foreign_keys) fk.name.clear();
        for (auto& u : t.uniques) u.name.clear();
        for (auto& c : t.checks) c.name.clear();
    }
    return s;
}

TEST(AutogenUnnamed, UnnamedConstraintsMatchNamedOnesByContent) {
    Schema named = models([](MetaData& m) {
        m.table("p", {col("id", integer()).primary_key(), col("code", text()).unique()});
        m.table("c", {col("id", integer()).primary_key(), col("p_id", integer()).references("p"),
                      check("ck_c_id", "id > 0")});
    });
    Schema reflected = strip_names(named);
    EXPECT_TRUE(autogen::diff(reflected, named).empty());
    EXPECT_TRUE(autogen::diff(named, reflected).empty());
}

TEST(AutogenUnnamed, NewTablesWithUnnamedConstraintsGetConventionalNames) {
    Schema target = strip_names(models([](MetaData& m) {
        m.table("p", {col("id", integer()).primary_key(), col("code", text()).unique(), check("ck", "id > 0"),
                      check("ck2", "id < 100")});
    }));
    auto d = autogen::diff(Schema{}, target);
    ASSERT_EQ(d.ops.size(), 1u);
    const Table& t = std::get<CreateTable>(d.ops[0].op.variant()).table;
    EXPECT_EQ(t.primary_key->name, "pk_p");
    EXPECT_EQ(t.uniques.at(0).name, "uq_p_code");
    EXPECT_EQ(t.checks.at(0).name, "ck_p_1");
    EXPECT_EQ(t.checks.at(1).name, "ck_p_2");
    Schema result = applied(Schema{}, d.ops);
    EXPECT_TRUE(autogen::diff(result, target).empty());
}

TEST(AutogenUnnamed, AnUnnamedPrimaryKeyIsDroppedAndAnUnnamedCheckToo) {
    Schema before = strip_names(models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("v", integer()), check("ck", "v > 0")});
    }));
    Schema after = models([](MetaData& m) { m.table("t", {col("id", integer()).not_null(), col("v", integer())}); });
    auto d = autogen::diff(before, after);
    EXPECT_TRUE(d.warnings.empty()) << d.warnings.front();
    Schema result = applied(before, d.ops);
    EXPECT_EQ(canonical_json(result), canonical_json(after));
}

TEST(AutogenUnnamed, AnUnnamedConstraintThatCannotBeDroppedByNameIsReported) {
    // Two unnamed uniques: dropping "" would take the first, so the second one is
    // reported as not generated instead of dropping the wrong one.
    Schema before = strip_names(models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("a", integer()).unique(), col("b", integer()).unique()});
    }));
    Schema after = strip_names(models([](MetaData& m) {
        m.table("t", {col("id", integer()).primary_key(), col("a", integer()).unique(), col("b", integer())});
    }));
    auto d = autogen::diff(before, after);
    EXPECT_TRUE(d.ops.empty());
    ASSERT_EQ(d.warnings.size(), 1u);
    EXPECT_EQ(d.warnings[0],
              "not generated: removed unique constraint (unnamed) on t: (b) (unnamed objects are dropped by name: "
              "give it a name, or write this change by hand)");
}

TEST(AutogenLimits, AutoincrementChangesAreReportedNotGenerated) {
    Schema before = models([](MetaData& m) { m.table("t", {col("id", integer()).primary_key()}); });
    Schema after = models([](MetaData& m) { m.table("t", {col("id", integer()).primary_key().autoincrement()}); });
    auto d = autogen::diff(before, after);
    EXPECT_TRUE(d.ops.empty());
    EXPECT_EQ(autogen::difference_lines(d.differences),
              (std::vector<std::string>{"column t.id: autoincrement off -> on"}));
    ASSERT_EQ(d.warnings.size(), 1u);
    EXPECT_EQ(d.warnings[0],
              "not generated: column t.id: autoincrement off -> on (no op changes AUTOINCREMENT: write this change by "
              "hand)");
}

TEST(AutogenLimits, AnOpThatDoesNotApplyIsAnErrorNamingIt) {
    // A foreign key to a table the comparison excludes cannot be created.
    Schema after = models([](MetaData& m) {
        m.table("ext", {col("id", integer()).primary_key()});
        m.table("t", {col("id", integer()).primary_key(), col("e", integer()).references("ext")});
    });
    autogen::CompareOptions o;
    o.exclude_tables = {"ext"};
    std::string message = message_of([&] { autogen::diff(Schema{}, after, o); });
    EXPECT_NE(message.find("autogenerate produced an op that does not apply: add_constraint t.fk_t_e_ext"),
              std::string::npos)
        << message;
}

}  // namespace
