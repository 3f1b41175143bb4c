// Checksums through the Migrator on real SQLite files: what an application that
// links its migrations statically records (the file hashes compiled into it), an
// edited migration refused before anything runs, --accept-changed, and the warning
// before a lossy downgrade.
#include <retort/error.hpp>
#include <retort/migration.hpp>
#include <retort/runtime/checksum.hpp>
#include <retort/runtime/migrator.hpp>
#include <retort/schema/fingerprint.hpp>
#include <retort/sqlite/sqlite.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
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
                 ("retort_checksum_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".db");
        fs::remove(m_path);
    }
    ~TempDb() { fs::remove(m_path); }
    std::string url() const { return "sqlite:///" + m_path.string(); }

private:
    fs::path m_path;
};

Revision rev(std::string id, std::vector<std::string> parents, OpsFn up, OpsFn down = nullptr) {
    Revision r;
    r.id = std::move(id);
    r.down_revisions = std::move(parents);
    r.message = keep_text("revision " + r.id);
    r.source_file = keep_text("/migrations/" + r.id + ".cpp");
    r.source_sha256 = keep_text(std::string(64, '1'));  // as a manifest would give it
    r.upgrade = up;
    r.downgrade = down;
    return r;
}

void create_notes(Ops& op) { op.create_table("notes", {col("id", integer()).primary_key(), col("body", text())}); }
void create_notes_edited(Ops& op) {
    op.create_table("notes", {col("id", integer()).primary_key(), col("body", text()).not_null()});
}
void create_tags(Ops& op) { op.create_table("tags", {col("id", integer()).primary_key()}); }

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Checksums, AnApplicationKnowsTheHashOfEveryMigrationFileItLinks) {
    const auto& revisions = registered_revisions("bookshop");
    ASSERT_EQ(revisions.size(), 7u);
    for (const auto& r : revisions) {
        EXPECT_EQ(r.source_sha256, sha256_hex(slurp(r.source_file))) << r.id << " " << r.source_file;
    }
}

TEST(Checksums, TheMigratorRefusesAnEditedMigrationBeforeRunningAnything) {
    sqlite::register_dialect();
    TempDb db;
    auto session = connect(db.url());
    {
        auto graph = RevisionGraph::build({rev("000000000001", {}, create_notes)});
        Migrator(graph, *session).upgrade("head");
    }
    auto graph = RevisionGraph::build({rev("000000000001", {}, create_notes_edited),
                                       rev("000000000002", {"000000000001"}, create_tags)});
    Migrator m(graph, *session);
    try {
        m.upgrade("head");
        FAIL() << "the edited migration was not noticed";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::integrity);
        EXPECT_EQ(e.revision(), "000000000001");
        EXPECT_EQ(e.file(), "/migrations/000000000001.cpp");
    }
    EXPECT_FALSE(session->dialect().table_exists(*session, "tags"));
    VerifyReport report = m.verify();
    ASSERT_EQ(report.revisions.size(), 1u);
    EXPECT_EQ(report.revisions[0].status, VerifiedRevision::Status::changed);

    MigratorOptions accept;
    accept.accept_changed = {"000000000001"};
    Migrator(graph, *session, accept).upgrade("head");
    EXPECT_TRUE(session->dialect().table_exists(*session, "tags"));
    EXPECT_EQ(Migrator(graph, *session).verify().count(VerifiedRevision::Status::ok), 2u);
}

TEST(Checksums, AMigrationWhoseSourceIsUnknownIsRecordedWithoutAChecksum) {
    sqlite::register_dialect();
    TempDb db;
    auto session = connect(db.url());
    auto r = rev("000000000001", {}, create_notes);
    r.source_sha256 = {};  // no manifest, and the file cannot be read
    auto graph = RevisionGraph::build({r});
    Migrator m(graph, *session);
    m.upgrade("head");
    auto rows = m.history();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].checksum, "");
    EXPECT_EQ(rows[0].sql_checksum.size(), 64u);
    EXPECT_EQ(m.verify().revisions[0].status, VerifiedRevision::Status::no_checksum);
}

void lossy_up(Ops& op) {
    op.run(data([](Connection&) {}).down([](Connection&) {}).lossy());
}

TEST(Downgrade, ALossyDataStepIsAWarningSaidBeforeAnythingRuns) {
    sqlite::register_dialect();
    TempDb db;
    auto session = connect(db.url());
    auto graph = RevisionGraph::build({rev("000000000001", {}, create_notes), rev("000000000002", {"000000000001"}, lossy_up)});
    Migrator(graph, *session).upgrade("head");
    std::vector<std::string> said;
    bool ran_before_warning = false;
    MigratorOptions options;
    options.on_warning = [&](const std::string& w) { said.push_back(w); };
    options.on_step = [&](const StepEvent&) { ran_before_warning = ran_before_warning || said.empty(); };
    RunReport report = Migrator(graph, *session, options).downgrade("base");
    ASSERT_EQ(said.size(), 1u);
    EXPECT_NE(said[0].find("revision 000000000002"), std::string::npos) << said[0];
    EXPECT_NE(said[0].find("lossy data step"), std::string::npos) << said[0];
    EXPECT_FALSE(ran_before_warning);
    EXPECT_EQ(report.warnings.front(), said[0]);
}

}  // namespace
