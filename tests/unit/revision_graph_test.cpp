// Unit tests for the revision graph, on hand-built revisions: structure, validation,
// specifier resolution, upgrade/downgrade paths and version-table head bookkeeping.
#include <retort/revision/graph.hpp>

#include <retort/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace retort {
namespace {

using Ids = std::vector<std::string>;

struct Rev {
    std::string id;
    Ids parents = {};
    Ids depends_on = {};
    Ids labels = {};
};

Revision make(const Rev& r) {
    Revision out;
    out.id = r.id;
    out.down_revisions = r.parents;
    out.depends_on = r.depends_on;
    out.branch_labels = r.labels;
    out.message = keep_text("add " + r.id);
    out.source_file = keep_text("migrations/" + r.id + ".cpp");
    return out;
}

std::vector<Revision> make_all(const std::vector<Rev>& revs) {
    std::vector<Revision> out;
    for (const auto& r : revs) out.push_back(make(r));
    return out;
}

RevisionGraph graph_of(const std::vector<Rev>& revs) { return RevisionGraph::build(make_all(revs)); }

Ids ids_of(const RevisionGraph& g) {
    Ids out;
    for (const auto& r : g.revisions()) out.push_back(r.id);
    return out;
}

/// Runs `f`, which must throw retort::Error; returns it (or a marker error after
/// recording a failure).
Error thrown(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a retort::Error";
    return Error(ErrorKind::drift, "<nothing was thrown>");
}

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\"" << text << "\"\n  does not contain \"" << part << "\"";
}

// ---- fixtures ------------------------------------------------------------------

// aa01 <- bb02 <- cc03 <- dd04
const std::vector<Rev> linear = {{"aa01"}, {"bb02", {"aa01"}}, {"cc03", {"bb02"}}, {"dd04", {"cc03"}}};

// a <- b, a <- c, d merges (b, c), e on top.
const std::vector<Rev> diamond = {{"a"}, {"b", {"a"}}, {"c", {"a"}}, {"d", {"b", "c"}}, {"e", {"d"}}};

// Two independent branches with labels on their bases.
const std::vector<Rev> two_bases = {
    {"a1", {}, {}, {"app"}}, {"a2", {"a1"}}, {"p1", {}, {}, {"plugins"}}, {"p2", {"p1"}}};

// Trunk t1 <- t2 <- t3; feature base f1 (label feat) <- f2, which also needs t2.
const std::vector<Rev> with_dependency = {
    {"t1"}, {"t2", {"t1"}}, {"t3", {"t2"}}, {"f1", {}, {}, {"feat"}}, {"f2", {"f1"}, {"t2"}}};

// Trunk a <- b <- c; a feature branch grows from a: x1 (label feat) <- x2.
const std::vector<Rev> side_branch = {{"a"}, {"b", {"a"}}, {"c", {"b"}}, {"x1", {"a"}, {}, {"feat"}}, {"x2", {"x1"}}};

// ---- structure -------------------------------------------------------------------

TEST(RevisionGraph, AnEmptySetOfRevisionsBuildsAnEmptyGraph) {
    auto g = RevisionGraph::build({});
    EXPECT_TRUE(g.empty());
    EXPECT_EQ(g.heads(), Ids{});
    EXPECT_EQ(g.bases(), Ids{});
    EXPECT_EQ(g.resolve_upgrade_target("head", {}), Ids{});
    EXPECT_EQ(g.upgrade_path({}, {}), Ids{});
    EXPECT_EQ(g.downgrade_path({}, {}), Ids{});
}

TEST(RevisionGraph, ALinearChainHasOneHeadOneBaseAndNoBranchOrMergePoints) {
    auto g = graph_of(linear);
    EXPECT_EQ(g.size(), 4u);
    EXPECT_EQ(g.heads(), Ids{"dd04"});
    EXPECT_EQ(g.bases(), Ids{"aa01"});
    EXPECT_EQ(g.branch_points(), Ids{});
    EXPECT_EQ(g.merge_points(), Ids{});
    EXPECT_EQ(g.children("bb02"), Ids{"cc03"});
    EXPECT_EQ(g.children("dd04"), Ids{});
}

TEST(RevisionGraph, RevisionsAreStoredParentsFirstWhateverTheRegistrationOrder) {
    std::vector<Rev> reversed(linear.rbegin(), linear.rend());
    EXPECT_EQ(ids_of(graph_of(reversed)), (Ids{"aa01", "bb02", "cc03", "dd04"}));
}

TEST(RevisionGraph, RevisionsThatAreReadyTogetherKeepTheirRegistrationOrder) {
    auto g = graph_of({{"z2", {"z1"}}, {"m"}, {"z1"}, {"b", {"m"}}, {"a", {"m"}}});
    EXPECT_EQ(ids_of(g), (Ids{"m", "z1", "z2", "b", "a"}));
    EXPECT_EQ(g.heads(), (Ids{"z2", "b", "a"}));
    EXPECT_EQ(g.children("m"), (Ids{"b", "a"}));
}

TEST(RevisionGraph, ADiamondHasABranchPointAndAMergePoint) {
    auto g = graph_of(diamond);
    EXPECT_EQ(g.heads(), Ids{"e"});
    EXPECT_EQ(g.bases(), Ids{"a"});
    EXPECT_EQ(g.branch_points(), Ids{"a"});
    EXPECT_EQ(g.merge_points(), Ids{"d"});
    EXPECT_EQ(g.children("a"), (Ids{"b", "c"}));
    EXPECT_EQ(g.children("b"), Ids{"d"});
}

TEST(RevisionGraph, TwoBasesGiveTwoHeads) {
    auto g = graph_of(two_bases);
    EXPECT_EQ(g.heads(), (Ids{"a2", "p2"}));
    EXPECT_EQ(g.bases(), (Ids{"a1", "p1"}));
    EXPECT_EQ(g.branch_points(), Ids{});
}

TEST(RevisionGraph, ADependencyIsNeitherAChildNorAParentButCountsAsAnAncestor) {
    auto g = graph_of(with_dependency);
    EXPECT_EQ(g.heads(), (Ids{"t3", "f2"}));  // f2 needs t2 but is not its child
    EXPECT_EQ(g.bases(), (Ids{"t1", "f1"}));
    EXPECT_EQ(g.children("t2"), Ids{"t3"});
    EXPECT_EQ(g.branch_points(), Ids{});
    EXPECT_EQ(g.merge_points(), Ids{});
    EXPECT_TRUE(g.is_ancestor("t2", "f2"));
    EXPECT_TRUE(g.is_ancestor("t1", "f2"));
    EXPECT_FALSE(g.is_ancestor("t3", "f2"));
    EXPECT_EQ(g.closure({"f2"}), (Ids{"t1", "t2", "f1", "f2"}));
}

TEST(RevisionGraph, ADependencyMayNameABranchLabel) {
    auto g = graph_of({{"t1"}, {"f1", {}, {}, {"feat"}}, {"t2", {"t1"}, {"feat"}}});
    EXPECT_TRUE(g.is_ancestor("f1", "t2"));
    EXPECT_EQ(g.closure({"t2"}), (Ids{"t1", "f1", "t2"}));
}

TEST(RevisionGraph, IsAncestorFollowsParentsAndARevisionIsNotItsOwnAncestor) {
    auto g = graph_of(diamond);
    struct Case {
        std::string ancestor, id;
        bool expected;
    };
    const Case cases[] = {
        {"a", "e", true},  {"b", "d", true},  {"c", "e", true}, {"b", "c", false},
        {"e", "a", false}, {"d", "d", false}, {"a", "b", true},
    };
    for (const auto& c : cases) EXPECT_EQ(g.is_ancestor(c.ancestor, c.id), c.expected) << c.ancestor << " of " << c.id;
}

TEST(RevisionGraph, ClosureIsTheRevisionsAndTheirAncestorsInTopologicalOrder) {
    auto g = graph_of(diamond);
    EXPECT_EQ(g.closure({"c"}), (Ids{"a", "c"}));
    EXPECT_EQ(g.closure({"c", "b"}), (Ids{"a", "b", "c"}));
    EXPECT_EQ(g.closure({"e"}), (Ids{"a", "b", "c", "d", "e"}));
    EXPECT_EQ(g.closure({}), Ids{});
}

TEST(RevisionGraph, FindReturnsNullForAnUnknownRevisionAndAtThrowsAnIntegrityError) {
    auto g = graph_of(linear);
    EXPECT_EQ(g.find("nope"), nullptr);
    ASSERT_NE(g.find("bb02"), nullptr);
    EXPECT_EQ(g.find("bb02")->source_file, "migrations/bb02.cpp");
    EXPECT_EQ(g.at("cc03").id, "cc03");
    Error e = thrown([&] { g.at("nope"); });
    EXPECT_EQ(e.kind(), ErrorKind::integrity);
    EXPECT_TRUE(contains(e.what(), "revision nope is not in this set of migrations"));
    EXPECT_EQ(e.revision(), "nope");
    EXPECT_EQ(thrown([&] { g.closure({"nope"}); }).kind(), ErrorKind::integrity);
    EXPECT_EQ(thrown([&] { g.upgrade_path({"nope"}, {"dd04"}); }).kind(), ErrorKind::integrity);
}

// ---- validation ---------------------------------------------------------------------

TEST(RevisionGraph, BuildRejectsABrokenGraphNamingTheRevisionsAndTheirFiles) {
    struct Case {
        std::string name;
        std::vector<Revision> revisions;
        std::vector<std::string> message_parts;
        std::vector<std::string> absent = {};
    };
    auto revs = make_all;
    std::vector<Revision> empty_id = revs({{"a"}, {""}});
    empty_id[1].source_file = "migrations/0002_orphan.cpp";
    std::vector<Revision> duplicate = revs({{"a"}, {"b", {"a"}}, {"a"}});
    duplicate[2].source_file = "migrations/a_copy.cpp";

    const std::vector<Case> cases = {
        {"empty id", empty_id, {"migration in migrations/0002_orphan.cpp has no revision id"}},
        {"duplicate id", duplicate, {"revision a is defined twice: in migrations/a.cpp and in migrations/a_copy.cpp"}},
        {"missing parent",
         revs({{"a"}, {"b", {"zz"}}}),
         {"revision b (migrations/b.cpp) names parent zz, which no migration defines"}},
        {"missing parent of a merge",
         revs({{"a"}, {"m", {"a", "gone"}}}),
         {"revision m (migrations/m.cpp) names parent gone, which no migration defines"}},
        {"missing dependency",
         revs({{"a"}, {"b", {"a"}, {"qq"}}}),
         {"revision b (migrations/b.cpp) depends on qq, which no migration defines"}},
        {"parent named twice",
         revs({{"a"}, {"b", {"a", "a"}}}),
         {"revision b (migrations/b.cpp) names parent a twice"}},
        {"cycle of three",
         revs({{"a", {"c"}}, {"b", {"a"}}, {"c", {"b"}}}),
         {"revisions form a cycle: a (migrations/a.cpp) -> c (migrations/c.cpp) -> b (migrations/b.cpp) -> a"}},
        {"revision that is its own parent",
         revs({{"root"}, {"s", {"s"}}}),
         {"revisions form a cycle: s (migrations/s.cpp) -> s"}},
        {"cycle through a dependency",
         revs({{"a", {}, {"b"}}, {"b", {"a"}}}),
         {"revisions form a cycle: a (migrations/a.cpp) -> b (migrations/b.cpp) -> a"}},
        {"cycle reached from outside it",
         revs({{"tail", {"p"}}, {"p", {"q"}}, {"q", {"p"}}}),
         {"revisions form a cycle: p (migrations/p.cpp) -> q (migrations/q.cpp) -> p"},
         {"tail"}},
        {"branch label used twice",
         revs({{"a", {}, {}, {"feat"}}, {"b", {"a"}, {}, {"feat"}}}),
         {"branch label 'feat' is used by both a (migrations/a.cpp) and b (migrations/b.cpp)"}},
        {"branch label equal to an id",
         revs({{"a", {}, {}, {"b"}}, {"b", {"a"}}}),
         {"branch label 'b' of revision a (migrations/a.cpp) is also the id of revision b (migrations/b.cpp)"}},
        {"empty branch label",
         revs({{"a", {}, {}, {""}}}),
         {"revision a (migrations/a.cpp) has an empty branch label"}},
        {"id with an at sign", revs({{"a@b"}}), {"revision id 'a@b' in migrations/a@b.cpp contains '@'"}},
        {"reserved id", revs({{"head"}}), {"revision id 'head'", "is a reserved word"}},
        {"id that looks like a step", revs({{"-1"}}), {"revision id '-1'", "starts with '-'"}},
        {"label that looks like a step",
         revs({{"a", {}, {}, {"+x"}}}),
         {"branch label '+x' of revision a (migrations/a.cpp) starts with '+'"}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Error e = thrown([&] { RevisionGraph::build(c.revisions); });
        EXPECT_EQ(e.kind(), ErrorKind::graph);
        for (const auto& part : c.message_parts) EXPECT_TRUE(contains(e.what(), part));
        for (const auto& part : c.absent) EXPECT_FALSE(contains(e.what(), part));
    }
}

TEST(RevisionGraph, AGraphErrorCarriesTheRevisionAndFileItIsAbout) {
    Error e = thrown([] { graph_of({{"a"}, {"b", {"zz"}}}); });
    EXPECT_EQ(e.revision(), "b");
    EXPECT_EQ(e.file(), "migrations/b.cpp");
    EXPECT_FALSE(e.hint().empty());
}

TEST(RevisionGraph, ALabelRepeatedOnTheSameRevisionIsHarmless) {
    auto g = graph_of({{"a", {}, {}, {"feat", "feat"}}});
    EXPECT_EQ(g.resolve_revision("feat"), "a");
}

// ---- resolve_revision ---------------------------------------------------------------

TEST(RevisionGraph, ResolveRevisionAcceptsAnIdALabelOrAUniquePrefix) {
    auto g = graph_of({{"ab12"}, {"ab34", {"ab12"}}, {"c", {"ab34"}, {}, {"ab"}}, {"cd56", {"c"}}});
    struct Case {
        std::string spec, expected;
    };
    const Case cases[] = {
        {"ab12", "ab12"},  // full id
        {"ab3", "ab34"},   // unique prefix
        {"ab", "c"},       // a label wins over a prefix
        {"c", "c"},        // an exact id wins over being a prefix of cd56
        {"cd", "cd56"},
    };
    for (const auto& c : cases) EXPECT_EQ(g.resolve_revision(c.spec), c.expected) << c.spec;
}

TEST(RevisionGraph, AnAmbiguousPrefixListsEveryCandidateWithItsMessage) {
    auto g = graph_of({{"ab12"}, {"ab34", {"ab12"}}, {"cd56", {"ab34"}}});
    Error e = thrown([&] { g.resolve_revision("ab"); });
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_TRUE(contains(e.what(),
                         "revision prefix 'ab' is ambiguous; it matches 2 revisions: ab12 (add ab12), "
                         "ab34 (add ab34)"));
    EXPECT_TRUE(contains(e.hint(), "more characters"));
}

TEST(RevisionGraph, AnUnknownRevisionPointsToHistory) {
    auto g = graph_of(linear);
    Error e = thrown([&] { g.resolve_revision("xyz"); });
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_TRUE(contains(e.what(), "no revision matches 'xyz'"));
    EXPECT_TRUE(contains(e.hint(), "retort history"));
    EXPECT_TRUE(contains(thrown([&] { g.resolve_revision(""); }).what(), "empty revision specifier"));
}

// ---- resolve_upgrade_target -----------------------------------------------------------

struct TargetCase {
    std::string spec;
    Ids current;
    Ids expected;
};

void expect_upgrade_targets(const RevisionGraph& g, const std::vector<TargetCase>& cases) {
    for (const auto& c : cases) {
        SCOPED_TRACE("upgrade " + c.spec);
        try {
            EXPECT_EQ(g.resolve_upgrade_target(c.spec, c.current), c.expected);
        } catch (const Error& e) {
            ADD_FAILURE() << "threw: " << e.what();
        }
    }
}

void expect_downgrade_targets(const RevisionGraph& g, const std::vector<TargetCase>& cases) {
    for (const auto& c : cases) {
        SCOPED_TRACE("downgrade " + c.spec);
        try {
            EXPECT_EQ(g.resolve_downgrade_target(c.spec, c.current), c.expected);
        } catch (const Error& e) {
            ADD_FAILURE() << "threw: " << e.what();
        }
    }
}

struct ErrorCase {
    std::string spec;
    Ids current;
    std::vector<std::string> message_parts;
    std::string hint_part = {};
};

void expect_upgrade_errors(const RevisionGraph& g, const std::vector<ErrorCase>& cases) {
    for (const auto& c : cases) {
        SCOPED_TRACE("upgrade " + c.spec);
        Error e = thrown([&] { g.resolve_upgrade_target(c.spec, c.current); });
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        for (const auto& part : c.message_parts) EXPECT_TRUE(contains(e.what(), part));
        EXPECT_TRUE(contains(e.hint(), c.hint_part));
    }
}

void expect_downgrade_errors(const RevisionGraph& g, const std::vector<ErrorCase>& cases) {
    for (const auto& c : cases) {
        SCOPED_TRACE("downgrade " + c.spec);
        Error e = thrown([&] { g.resolve_downgrade_target(c.spec, c.current); });
        EXPECT_EQ(e.kind(), ErrorKind::usage);
        for (const auto& part : c.message_parts) EXPECT_TRUE(contains(e.what(), part));
        EXPECT_TRUE(contains(e.hint(), c.hint_part));
    }
}

TEST(RevisionGraph, UpgradeTargetsOnALinearChain) {
    expect_upgrade_targets(graph_of(linear), {
                                                 {"head", {}, {"dd04"}},
                                                 {"heads", {"aa01"}, {"dd04"}},
                                                 {"base", {"bb02"}, {}},
                                                 {"cc03", {}, {"cc03"}},
                                                 {"cc", {}, {"cc03"}},
                                                 {"bb02", {"dd04"}, {"bb02"}},  // already applied
                                                 {"+1", {}, {"aa01"}},
                                                 {"+4", {}, {"dd04"}},
                                                 {"+2", {"aa01"}, {"cc03"}},
                                                 {"+1", {"aa01", "bb02"}, {"cc03"}},  // bb02 implies aa01
                                                 {"bb02@+2", {}, {"dd04"}},
                                                 {"aa@+1", {"dd04"}, {"bb02"}},
                                                 {"aa01@head", {}, {"dd04"}},
                                             });
}

TEST(RevisionGraph, UpgradeTargetsOnBranchesFollowLabels) {
    expect_upgrade_targets(graph_of(two_bases), {
                                                    {"heads", {}, {"a2", "p2"}},
                                                    {"app", {}, {"a1"}},
                                                    {"app@head", {}, {"a2"}},
                                                    {"plugins@head", {"a2"}, {"p2"}},
                                                    {"app@+1", {}, {"a1"}},
                                                    {"app@+2", {}, {"a2"}},
                                                    {"app@+1", {"a1", "p2"}, {"a2"}},
                                                    {"plugins@+1", {"a2"}, {"p1"}},
                                                    {"p1@+1", {"a2"}, {"p2"}},
                                                    {"+1", {"p1"}, {"p2"}},
                                                });
    // A labelled branch that grows from the trunk starts where it leaves it.
    expect_upgrade_targets(graph_of(side_branch), {
                                                      {"feat@+1", {"c"}, {"x1"}},
                                                      {"feat@+2", {"b"}, {"x2"}},
                                                      {"feat@+1", {"c", "x1"}, {"x2"}},
                                                      {"feat@+1", {}, {"a"}},
                                                      {"feat@head", {}, {"x2"}},
                                                      {"b@+1", {}, {"c"}},
                                                  });
    expect_upgrade_targets(graph_of(diamond), {
                                                  {"head", {"b"}, {"e"}},
                                                  {"+1", {"d"}, {"e"}},
                                                  {"b@+1", {}, {"d"}},
                                                  {"c@+2", {"b", "c"}, {"e"}},
                                              });
}

TEST(RevisionGraph, HeadWithSeveralHeadsNamesThemAndSuggestsHowToProceed) {
    auto g = graph_of(two_bases);
    Error e = thrown([&] { g.resolve_upgrade_target("head", {}); });
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_TRUE(contains(e.what(), "there are 2 heads: a2 (add a2), p2 (add p2)"));
    EXPECT_TRUE(contains(e.hint(), "`heads`"));
    EXPECT_TRUE(contains(e.hint(), "`<label>@head`"));
    EXPECT_TRUE(contains(e.hint(), "retort merge -m \"merge heads\" a2 p2"));
}

TEST(RevisionGraph, AmbiguousOrImpossibleUpgradeTargetsAreUsageErrors) {
    expect_upgrade_errors(graph_of(linear),
                          {
                              {"+5", {"bb02"}, {"cannot upgrade '+5': only 2 revisions after bb02"}},
                              {"+9", {}, {"cannot upgrade '+9': only 4 revisions from base"}},
                              {"cc03@+2", {}, {"cannot upgrade 'cc03@+2': only 1 revision after cc03"}},
                              {"+1", {"dd04"}, {"only 0 revisions after dd04"}, "retort heads"},
                              {"-1", {"dd04"}, {"'-1' goes back"}, "retort downgrade -1"},
                              {"+0", {}, {"step count in '+0' must be at least 1"}},
                              {"+99999999999999999999999", {}, {"too large"}},
                              {"bb02@base", {}, {"unknown upgrade target 'bb02@base'"}, "<rev>@+N"},
                              {"bb02@-1", {}, {"unknown upgrade target 'bb02@-1'"}},
                              {"nope", {}, {"no revision matches 'nope'"}},
                          });
    expect_upgrade_errors(
        graph_of(diamond),
        {
            {"+1", {"a"}, {"cannot upgrade '+1' from a: a branches into b (add b), c (add c)"}, "<label>@+N"},
            {"a@+3", {}, {"cannot upgrade 'a@+3' from a: a branches into b (add b), c (add c)"}},
            // Even where both sides lead to one merge: "+N" needs one current head.
            {"+1", {"b", "c"}, {"the database is at several heads: b (add b), c (add c)"}},
        });
    expect_upgrade_errors(graph_of(side_branch), {
                                                     {"a@+1", {}, {"from a: a branches into b (add b), x1 (add x1)"}},
                                                 });
    expect_upgrade_errors(
        graph_of({{"r"}, {"s", {"r"}}, {"t1", {"s"}}, {"t2", {"s"}}}),
        {
            {"+3", {}, {"cannot upgrade '+3' from base: after s the history branches into t1 (add t1), t2 (add t2)"}},
        });
    expect_upgrade_errors(
        graph_of(two_bases),
        {
            {"+1", {}, {"cannot upgrade '+1' from base: there are several bases: a1 (add a1), p1 (add p1)"}},
            {"+1", {"a1", "p1"}, {"the database is at several heads: a1 (add a1), p1 (add p1)"}, "<label>@+1"},
            {"app@+3", {"a1"}, {"only 1 revision after a1"}},
        });
}

TEST(RevisionGraph, LabelAtHeadIsAnErrorWhenTheBranchForks) {
    auto g = graph_of({{"a"}, {"f", {"a"}, {}, {"feat"}}, {"g1", {"f"}}, {"g2", {"f"}}});
    Error e = thrown([&] { g.resolve_upgrade_target("feat@head", {}); });
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_TRUE(contains(e.what(), "'feat@head' is ambiguous: feat leads to 2 heads: g1 (add g1), g2 (add g2)"));
    EXPECT_TRUE(contains(e.hint(), "retort merge -m \"merge heads\" g1 g2"));
}

TEST(RevisionGraph, UpgradingFromAnUnknownCurrentHeadIsAnIntegrityError) {
    auto g = graph_of(linear);
    Error e = thrown([&] { g.resolve_upgrade_target("+1", {"deadbeef"}); });
    EXPECT_EQ(e.kind(), ErrorKind::integrity);
    EXPECT_TRUE(contains(e.what(), "revision deadbeef is not in this set of migrations"));
}

// ---- resolve_downgrade_target -----------------------------------------------------------

TEST(RevisionGraph, DowngradeTargetsOnALinearChain) {
    expect_downgrade_targets(graph_of(linear), {
                                                   {"base", {"dd04"}, {}},
                                                   {"-1", {"dd04"}, {"cc03"}},
                                                   {"-3", {"dd04"}, {"aa01"}},
                                                   {"-4", {"dd04"}, {}},
                                                   {"-1", {"bb02"}, {"aa01"}},
                                                   {"bb02", {"dd04"}, {"bb02"}},
                                                   {"bb", {"dd04"}, {"bb02"}},
                                                   {"dd04", {"dd04"}, {"dd04"}},  // nothing to do
                                                   {"cc03@-1", {"dd04"}, {"bb02"}},
                                                   {"cc03@-3", {"dd04"}, {}},
                                                   {"cc03@base", {"dd04"}, {"bb02"}},
                                               });
}

TEST(RevisionGraph, DowngradeTargetsOnBranchesKeepTheOtherBranches) {
    expect_downgrade_targets(graph_of(side_branch),
                             {
                                 {"feat@-1", {"c", "x2"}, {"c", "x1"}},
                                 {"feat@-2", {"c", "x2"}, {"c"}},
                                 {"feat@-3", {"c", "x2"}, {}},  // below the branch point: the trunk goes too
                                 {"feat@base", {"c", "x2"}, {"c"}},
                                 {"x1@base", {"c", "x2"}, {"c"}},
                                 {"feat@base", {"c"}, {"c"}},  // branch not applied: nothing to do
                                 {"b", {"c", "x2"}, {"b", "x2"}},
                                 {"c@-1", {"c", "x2"}, {"b", "x2"}},
                                 {"x2@-1", {"c", "x2"}, {"c", "x1"}},
                                 {"a", {"c", "x2"}, {"a"}},
                                 {"base", {"c", "x2"}, {}},
                             });
    expect_downgrade_targets(graph_of(two_bases), {
                                                      {"plugins@-1", {"a2", "p2"}, {"a2", "p1"}},
                                                      {"plugins@base", {"a2", "p2"}, {"a2"}},
                                                      {"app@-2", {"a2", "p2"}, {"p2"}},
                                                      {"a1", {"a2", "p2"}, {"a1", "p2"}},
                                                  });
}

TEST(RevisionGraph, DowngradingAMergeLeavesItsParentsAsHeads) {
    expect_downgrade_targets(graph_of(diamond), {
                                                    {"-1", {"e"}, {"d"}},
                                                    {"-2", {"e"}, {"b", "c"}},
                                                    {"d@-1", {"e"}, {"b", "c"}},
                                                    {"b", {"e"}, {"b", "c"}},
                                                    {"a", {"e"}, {"a"}},
                                                    {"c@base", {"e"}, {"b"}},
                                                });
}

TEST(RevisionGraph, DowngradingARevisionAlsoUndoesWhatDependsOnIt) {
    expect_downgrade_targets(graph_of(with_dependency), {
                                                            {"t2", {"t3", "f2"}, {"t2", "f1"}},
                                                            {"t1", {"t3", "f2"}, {"t1", "f1"}},
                                                            {"feat@base", {"t3", "f2"}, {"t3"}},
                                                            {"feat@-1", {"t3", "f2"}, {"t3", "f1"}},
                                                            {"f2@-1", {"t2", "f2"}, {"t2", "f1"}},
                                                            {"-1", {"f2"}, {"t2", "f1"}},
                                                        });
}

TEST(RevisionGraph, AmbiguousOrImpossibleDowngradeTargetsAreUsageErrors) {
    expect_downgrade_errors(
        graph_of(linear),
        {
            {"-5", {"cc03"}, {"cannot downgrade 5 revisions: only 3 applied"}},
            {"-1", {}, {"cannot downgrade 1 revision: only 0 applied"}},
            {"cc03@-4", {"dd04"}, {"cannot downgrade 4 revisions from cc03: it is only 3 revisions"}},
            {"dd04", {"bb02"}, {"revision dd04 is not applied; nothing to downgrade to"}, "retort current"},
            {"dd04@-1", {"bb02"}, {"revision dd04 is not applied"}},
            {"+1", {"dd04"}, {"'+1' goes forward"}, "retort upgrade +1"},
            {"head", {"dd04"}, {"'head' is an upgrade target"}, "<label>@base"},
            {"cc03@head", {"dd04"}, {"unknown downgrade target 'cc03@head'"}},
            {"-0", {"dd04"}, {"must be at least 1"}},
            {"zz", {"dd04"}, {"no revision matches 'zz'"}},
        });
    expect_downgrade_errors(graph_of(diamond), {
                                                   {"-3",
                                                    {"e"},
                                                    {"downgrade '-3' is ambiguous: undoing d leaves several heads "
                                                     "(b (add b), c (add c)) and 1 step remains"},
                                                    "retort downgrade b"},
                                               });
    expect_downgrade_errors(graph_of(side_branch),
                            {
                                {"-1",
                                 {"c", "x2"},
                                 {"downgrade '-1' is ambiguous: the database is at several heads: "
                                  "c (add c), x2 (add x2)"},
                                 "<label>@-1"},
                                {"feat@-1", {"c"}, {"no revision of branch 'feat' is applied; nothing to downgrade"}},
                            });
}

// ---- paths -----------------------------------------------------------------------------

TEST(RevisionGraph, UpgradePathIsWhatTheTargetsNeedMinusWhatIsApplied) {
    struct Case {
        std::string name;
        const std::vector<Rev>& revs;
        Ids current, targets, expected;
    };
    const Case cases[] = {
        {"linear from base", linear, {}, {"dd04"}, {"aa01", "bb02", "cc03", "dd04"}},
        {"linear from the middle", linear, {"bb02"}, {"dd04"}, {"cc03", "dd04"}},
        {"already applied", linear, {"dd04"}, {"bb02"}, {}},
        {"into a merge", diamond, {"b"}, {"e"}, {"c", "d", "e"}},
        {"one side of a branch", diamond, {"a"}, {"c"}, {"c"}},
        {"both bases", two_bases, {"a1"}, {"a2", "p2"}, {"a2", "p1", "p2"}},
        {"pulls in a dependency on another branch", with_dependency, {}, {"f2"}, {"t1", "t2", "f1", "f2"}},
        {"dependency already applied", with_dependency, {"t3"}, {"f2"}, {"f1", "f2"}},
    };
    for (const auto& c : cases) {
        auto g = graph_of(c.revs);
        EXPECT_EQ(g.upgrade_path(c.current, c.targets), c.expected) << c.name;
    }
}

TEST(RevisionGraph, DowngradePathUndoesEverythingOutsideTheTargetsChildrenFirst) {
    struct Case {
        std::string name;
        const std::vector<Rev>& revs;
        Ids current;
        std::string spec;
        Ids expected;
    };
    const Case cases[] = {
        {"linear to the middle", linear, {"dd04"}, "bb02", {"dd04", "cc03"}},
        {"linear to base", linear, {"dd04"}, "base", {"dd04", "cc03", "bb02", "aa01"}},
        {"to the current head", linear, {"dd04"}, "dd04", {}},
        {"through a merge", diamond, {"e"}, "-2", {"e", "d"}},
        {"to one side of a merge", diamond, {"e"}, "b", {"e", "d"}},
        {"one side of a merge to base", diamond, {"e"}, "c@base", {"e", "d", "c"}},
        {"one branch of two", side_branch, {"c", "x2"}, "feat@base", {"x2", "x1"}},
        {"trunk under a branch", side_branch, {"c", "x2"}, "b", {"c"}},
        {"one base of two", two_bases, {"a2", "p2"}, "app@base", {"a2", "a1"}},
        {"what depends on the target's descendants", with_dependency, {"t3", "f2"}, "t1", {"f2", "t3", "t2"}},
    };
    for (const auto& c : cases) {
        auto g = graph_of(c.revs);
        auto targets = g.resolve_downgrade_target(c.spec, c.current);
        EXPECT_EQ(g.downgrade_path(c.current, targets), c.expected) << c.name;
    }
}

TEST(RevisionGraph, DowngradePathToARevisionThatIsNotAppliedIsAUsageError) {
    auto g = graph_of(side_branch);
    Error e = thrown([&] { g.downgrade_path({"c"}, {"x1"}); });
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_TRUE(contains(e.what(), "revision x1 is not applied; nothing to downgrade to"));
    EXPECT_TRUE(contains(e.hint(), "retort current"));
    EXPECT_EQ(e.revision(), "x1");
}

// ---- version-table heads -------------------------------------------------------------------

TEST(RevisionGraph, HeadsAfterUpgradeReplaceTheParentsWithTheRevision) {
    struct Case {
        const std::vector<Rev>& revs;
        Ids heads;
        std::string id;
        Ids expected;
    };
    const Case cases[] = {
        {linear, {}, "aa01", {"aa01"}},
        {linear, {"aa01"}, "bb02", {"bb02"}},
        {diamond, {"a"}, "b", {"b"}},
        {diamond, {"b"}, "c", {"b", "c"}},  // a branch point's second child adds a head
        {diamond, {"b", "c"}, "d", {"d"}},  // a merge joins them
        {two_bases, {"a2"}, "p1", {"a2", "p1"}},
        {with_dependency, {"t2", "f1"}, "f2", {"f2"}},        // a dependency head is absorbed
        {with_dependency, {"t3", "f1"}, "f2", {"t3", "f2"}},  // t2 was not a head
    };
    for (const auto& c : cases) {
        auto g = graph_of(c.revs);
        EXPECT_EQ(g.heads_after_upgrade(c.heads, c.id), c.expected) << c.id;
    }
}

TEST(RevisionGraph, HeadsAfterDowngradeGiveBackTheParentsNoRemainingHeadImplies) {
    struct Case {
        const std::vector<Rev>& revs;
        Ids heads;
        std::string id;
        Ids expected;
    };
    const Case cases[] = {
        {linear, {"bb02"}, "bb02", {"aa01"}},
        {linear, {"aa01"}, "aa01", {}},
        {diamond, {"e"}, "e", {"d"}},
        {diamond, {"d"}, "d", {"b", "c"}},  // undoing a merge splits the heads
        {diamond, {"b", "c"}, "c", {"b"}},  // a is still implied by b
        {diamond, {"b"}, "b", {"a"}},
        {two_bases, {"a2", "p1"}, "p1", {"a2"}},
        {with_dependency, {"f2"}, "f2", {"t2", "f1"}},
        {with_dependency, {"t3", "f2"}, "f2", {"t3", "f1"}},
    };
    for (const auto& c : cases) {
        auto g = graph_of(c.revs);
        EXPECT_EQ(g.heads_after_downgrade(c.heads, c.id), c.expected) << c.id;
    }
}

TEST(RevisionGraph, UndoingARevisionThatIsNotAHeadIsAnIntegrityError) {
    auto g = graph_of(linear);
    Error e = thrown([&] { g.heads_after_downgrade({"dd04"}, "bb02"); });
    EXPECT_EQ(e.kind(), ErrorKind::integrity);
    EXPECT_TRUE(contains(e.what(), "cannot undo revision bb02: it is not one of the current heads (dd04)"));
    EXPECT_EQ(e.revision(), "bb02");
}

// Applies every path step by step with heads_after_upgrade/downgrade, checking at
// each step that the heads imply exactly what has been applied.
void round_trip(const RevisionGraph& g, const std::string& name, std::size_t check_every = 1) {
    SCOPED_TRACE(name);
    Ids heads;
    std::set<std::string> applied;
    std::size_t steps = 0;
    auto expect_consistent = [&](const std::string& step) {
        if (++steps % check_every != 0) return;
        auto c = g.closure(heads);
        EXPECT_EQ(std::set<std::string>(c.begin(), c.end()), applied) << "after " << step;
        for (const auto& h : heads)
            for (const auto& o : heads) EXPECT_FALSE(g.is_ancestor(h, o)) << h << " is implied by " << o;
    };
    for (const auto& id : g.upgrade_path(heads, g.resolve_upgrade_target("heads", heads))) {
        heads = g.heads_after_upgrade(heads, id);
        applied.insert(id);
        expect_consistent("upgrading " + id);
    }
    EXPECT_EQ(applied.size(), g.size());
    for (const auto& id : g.downgrade_path(heads, g.resolve_downgrade_target("base", heads))) {
        heads = g.heads_after_downgrade(heads, id);
        applied.erase(id);
        expect_consistent("downgrading " + id);
    }
    EXPECT_EQ(heads, Ids{});
}

TEST(RevisionGraph, UpgradingEverythingAndDowngradingToBaseKeepsTheHeadsConsistent) {
    round_trip(graph_of(linear), "linear");
    round_trip(graph_of(diamond), "diamond");
    round_trip(graph_of(two_bases), "two bases");
    round_trip(graph_of(with_dependency), "with a dependency");
    round_trip(graph_of(side_branch), "side branch");
    // A dependency of one revision that is also the parent of another, registered so
    // that the dependent comes between them: undoing must bring it back as a head.
    round_trip(graph_of({{"a"}, {"r", {"a"}}, {"h", {"a"}, {"r"}}, {"x", {"r"}}}), "dependency and parent");
    round_trip(graph_of({{"a"}, {"b", {"a"}}, {"m", {"a", "b"}}}), "merge of a parent and its child");
}

TEST(RevisionGraph, DowngradeStepsOnlyEverUndoCurrentHeads) {
    auto g = graph_of(side_branch);
    Ids heads = {"c", "x2"};
    for (const auto& spec : {"feat@-1", "b", "base"}) {
        for (const auto& id : g.downgrade_path(heads, g.resolve_downgrade_target(spec, heads)))
            heads = g.heads_after_downgrade(heads, id);  // throws when `id` is not a head
        EXPECT_EQ(heads, g.resolve_downgrade_target(spec, {"c", "x2"})) << spec;
        heads = {"c", "x2"};
    }
}

// ---- size ------------------------------------------------------------------------------------

std::string numbered(std::size_t i) {
    std::string s = std::to_string(i);
    return "r" + std::string(5 - s.size(), '0') + s;
}

TEST(RevisionGraph, AChainOfThreeThousandRevisionsRegisteredBackwardsWorksEndToEnd) {
    constexpr std::size_t n = 3000;
    std::vector<Revision> revs;
    for (std::size_t i = n; i-- > 0;)
        revs.push_back(make(i == 0 ? Rev{numbered(0)} : Rev{numbered(i), {numbered(i - 1)}}));
    auto g = RevisionGraph::build(std::move(revs));
    ASSERT_EQ(g.size(), n);
    EXPECT_EQ(g.revisions().front().id, numbered(0));
    EXPECT_EQ(g.revisions().back().id, numbered(n - 1));
    EXPECT_EQ(g.heads(), Ids{numbered(n - 1)});
    EXPECT_EQ(g.bases(), Ids{numbered(0)});
    EXPECT_EQ(g.closure({numbered(n - 1)}).size(), n);
    EXPECT_EQ(g.upgrade_path({numbered(999)}, g.heads()).size(), n - 1000);
    EXPECT_TRUE(g.is_ancestor(numbered(0), numbered(n - 1)));
    EXPECT_EQ(g.resolve_upgrade_target("+3000", {}), Ids{numbered(n - 1)});
    EXPECT_EQ(g.resolve_downgrade_target("-2999", g.heads()), Ids{numbered(0)});
    EXPECT_EQ(g.resolve_revision(numbered(1234)), numbered(1234));
    auto down = g.downgrade_path(g.heads(), {});
    ASSERT_EQ(down.size(), n);
    EXPECT_EQ(down.front(), numbered(n - 1));
    Ids heads = g.heads();
    for (const auto& id : down) heads = g.heads_after_downgrade(heads, id);
    EXPECT_EQ(heads, Ids{});
}

TEST(RevisionGraph, AWideGraphOfThreeThousandRevisionsWithBranchesAndMergesWorks) {
    // Ten parallel lanes of 300 revisions; every 50 levels the lanes merge pairwise.
    constexpr std::size_t lanes = 10, depth = 300;
    auto id = [](std::size_t lane, std::size_t level) {
        return "l" + std::to_string(lane) + "_" + std::to_string(level);
    };
    std::vector<Rev> spec;
    for (std::size_t level = 0; level < depth; ++level)
        for (std::size_t lane = 0; lane < lanes; ++lane) {
            Rev r{id(lane, level)};
            if (level > 0) r.parents.push_back(id(lane, level - 1));
            if (level > 0 && level % 50 == 0 && lane % 2 == 1) r.parents.push_back(id(lane - 1, level - 1));
            if (level == 1 && lane == 0) r.depends_on.push_back(id(9, 0));
            spec.push_back(r);
        }
    auto g = graph_of(spec);
    ASSERT_EQ(g.size(), lanes * depth);
    EXPECT_EQ(g.heads().size(), lanes);
    EXPECT_EQ(g.bases().size(), lanes);
    EXPECT_EQ(g.merge_points().size(), 5u * 5u);
    EXPECT_EQ(g.branch_points().size(), 5u * 5u);
    EXPECT_EQ(g.upgrade_path({}, g.heads()).size(), lanes * depth);
    EXPECT_EQ(g.closure({id(0, 1)}), (Ids{id(0, 0), id(9, 0), id(0, 1)}));
    round_trip(g, "wide", 97);
}

}  // namespace
}  // namespace retort
