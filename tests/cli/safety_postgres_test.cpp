// The checksums of applied migrations on PostgreSQL, through the `retort` binary:
// a migration edited after it was applied stops the upgrade with exit 4 and nothing
// runs; --accept-changed lets it go on. Each test has a database of its own on the
// suite's server (tests/postgres).
#include "../postgres/test_database.hpp"
#include "scratch.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cli_files;

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

Result retort(const std::string& plugin, const std::string& url, const std::vector<std::string>& args) {
    static int n = 0;
    const std::string tag = std::to_string(getpid()) + "_" + std::to_string(n++);
    fs::path out = fs::temp_directory_path() / ("retort_pg_safety_out_" + tag);
    fs::path err = fs::temp_directory_path() / ("retort_pg_safety_err_" + tag);
    std::string cmd = "env -u RETORT_DATABASE_URL -u RETORT_PLUGIN -u RETORT_CONFIG " + shell_quote(RETORT_CLI) +
                      " --plugin " + shell_quote(plugin) + " --url " + shell_quote(url);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    int status = std::system(cmd.c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

bool has_table(const std::string& url, const std::string& table) {
    auto session = retort::connect(url);
    return session->dialect().table_exists(*session, table);
}

std::string history_checksums(const std::string& url) {
    auto session = retort::connect(url);
    std::string out;
    for (const auto& row : session->query("SELECT revision, COALESCE(checksum, '-') FROM retort_version_history ORDER BY seq"))
        out += *row[0] + "=" + *row[1] + "\n";
    return out;
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "expected \"" << (needle) << "\" in:\n" << (haystack)

TEST(PostgresChecksums, AnEditedMigrationStopsTheUpgradeAndNothingRuns) {
    retort::testing::TestDatabase db("edited_migration");
    auto first = retort(PLUGIN_edited_v1, db.url(), {"upgrade", "head"});
    ASSERT_EQ(first.code, 0) << first.err;
    const std::string recorded = history_checksums(db.url());
    EXPECT_EQ(recorded.size(), std::string("ed1700000001=").size() + 64 + 1) << recorded;

    auto r = retort(PLUGIN_edited_v2, db.url(), {"upgrade", "head"});
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_CONTAINS(r.err, "revision ed1700000001 (create notes) changed after it was applied");
    EXPECT_CONTAINS(r.err, "20260101_0900-ed1700000001_create_notes.cpp");
    EXPECT_CONTAINS(r.err, "--accept-changed ed1700000001");
    EXPECT_FALSE(has_table(db.url(), "tags")) << "the next migration did not run";
    EXPECT_EQ(history_checksums(db.url()), recorded) << "the history is untouched";

    auto verify = retort(PLUGIN_edited_v2, db.url(), {"verify"});
    EXPECT_EQ(verify.code, 4);
    EXPECT_CONTAINS(verify.out, "CHANGED");

    auto accepted = retort(PLUGIN_edited_v2, db.url(), {"upgrade", "head", "--accept-changed", "ed1700000001"});
    EXPECT_EQ(accepted.code, 0) << accepted.err;
    EXPECT_TRUE(has_table(db.url(), "tags"));
    EXPECT_EQ(retort(PLUGIN_edited_v2, db.url(), {"verify"}).code, 0);
}

}  // namespace
