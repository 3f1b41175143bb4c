// The revision graph as DOT and Mermaid, checked against golden files: a history
// with a branch (and its label), a merge, a dependency, an irreversible revision,
// two heads and a current revision. When the output changes on purpose, regenerate
// the golden files with RETORT_UPDATE_GOLDEN=1 and review the diff.
#include <retort/revision/diagram.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace {

using namespace retort;

Revision rev(const char* id, std::vector<std::string> parents, const char* message) {
    Revision r;
    r.id = id;
    r.down_revisions = std::move(parents);
    r.message = message;
    return r;
}

RevisionGraph branch_and_merge() {
    auto users = rev("a1a1a1a1a1a1", {}, "create users");
    auto email = rev("b2b2b2b2b2b2", {"a1a1a1a1a1a1"}, "add email to users");
    auto audit = rev("c3c3c3c3c3c3", {"a1a1a1a1a1a1"}, "create \"audit\" log");
    audit.branch_labels = {"audit"};
    auto legacy = rev("d4d4d4d4d4d4", {"b2b2b2b2b2b2"}, "drop legacy columns");
    legacy.irreversible = true;
    auto merge = rev("e5e5e5e5e5e5", {"d4d4d4d4d4d4", "c3c3c3c3c3c3"}, "merge audit into the main line");
    auto tags = rev("f6f6f6f6f6f6", {}, "create tags");
    tags.branch_labels = {"tags"};
    auto tagged = rev("a7a7a7a7a7a7", {"e5e5e5e5e5e5"}, "tag users");
    tagged.depends_on = {"tags"};
    return RevisionGraph::build({users, email, audit, legacy, merge, tags, tagged});
}

/// The golden file's text; with RETORT_UPDATE_GOLDEN set, first writes `actual` to it.
std::string golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(RETORT_GOLDEN_DIR) + "/" + name;
    if (std::getenv("RETORT_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(RevisionDiagram, DotMatchesTheGoldenFile) {
    std::string dot = revision_diagram(branch_and_merge(), DiagramFormat::dot,
                                       {.title = "example", .current = {"e5e5e5e5e5e5", "f6f6f6f6f6f6"}});
    EXPECT_EQ(dot, golden("graph_branch_merge.dot", dot)) << dot;
}

TEST(RevisionDiagram, MermaidMatchesTheGoldenFile) {
    std::string mermaid = revision_diagram(branch_and_merge(), DiagramFormat::mermaid,
                                           {.title = "example", .current = {"e5e5e5e5e5e5", "f6f6f6f6f6f6"}});
    EXPECT_EQ(mermaid, golden("graph_branch_merge.mmd", mermaid)) << mermaid;
}

TEST(RevisionDiagram, WithoutADatabaseNothingIsCurrent) {
    std::string dot = revision_diagram(branch_and_merge(), DiagramFormat::dot);
    EXPECT_EQ(dot.find("current"), std::string::npos);
    EXPECT_EQ(dot.find("fillcolor"), std::string::npos);
    std::string mermaid = revision_diagram(branch_and_merge(), DiagramFormat::mermaid);
    EXPECT_EQ(mermaid.find("classDef current"), std::string::npos);
}

}  // namespace
