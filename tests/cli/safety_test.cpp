// History you can trust, through the `retort` binary on real SQLite files: the
// checksums of applied migrations (an edited migration stops upgrade, check and
// verify with exit 4 before anything runs; --accept-changed; stamped rows and older
// layouts are not errors; the application records what the CLI does), lint output
// (file:line, --werror, acknowledgements), lossy downgrades, the --json shapes of
// the read verbs (docs/cli.md, "JSON output"), the revision graph against golden
// files, `retort docs`, and colors only on a terminal.
#include "scratch.hpp"

#include <retort/schema/fingerprint.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cli_files;
using Json = nlohmann::json;

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs a shell command line; stdout and stderr captured.
Result run(const std::string& command, const fs::path& cwd) {
    static int n = 0;
    const std::string tag = std::to_string(getpid()) + "_" + std::to_string(n++);
    fs::path out = fs::temp_directory_path() / ("retort_safety_out_" + tag);
    fs::path err = fs::temp_directory_path() / ("retort_safety_err_" + tag);
    std::string cmd = "cd " + shell_quote(cwd.string()) + " && " + command + " >" + shell_quote(out.string()) + " 2>" +
                      shell_quote(err.string());
    int status = std::system(cmd.c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

/// Runs retort with `args` (RETORT_* unset, output not a terminal).
Result retort(const std::vector<std::string>& args, const fs::path& cwd = fs::temp_directory_path(),
              const std::string& env = "") {
    std::string cmd = "env -u RETORT_DATABASE_URL -u RETORT_PLUGIN -u RETORT_CONFIG -u NO_COLOR " + env + " " +
                      shell_quote(RETORT_CLI);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    return run(cmd, cwd);
}

const std::map<std::string, std::string>& plugins() {
    static const std::map<std::string, std::string> p = {
        {"bookshop", BOOKSHOP_PLUGIN}, {"edited_v1", PLUGIN_edited_v1}, {"edited_v2", PLUGIN_edited_v2},
        {"lint", PLUGIN_lint},         {"lossy", PLUGIN_lossy},
    };
    return p;
}

std::string url_of(const fs::path& db) { return "sqlite:///" + db.string(); }

std::vector<std::string> with(const std::string& set, const fs::path& db, std::vector<std::string> args) {
    std::vector<std::string> out = {"--plugin", plugins().at(set), "--url", url_of(db)};
    out.insert(out.end(), args.begin(), args.end());
    return out;
}

std::string file_digest(const fs::path& p) { return fs::exists(p) ? retort::sha256_hex(read_text(p)) : "(missing)"; }

bool has_table(const fs::path& db, const std::string& table) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    return d.tableExists(table);
}

struct HistoryRow {
    std::string revision, checksum, sql_checksum, how, applied_at;
};

std::vector<HistoryRow> history_rows(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(d, "SELECT revision, COALESCE(checksum, ''), COALESCE(sql_checksum, ''), how, applied_at "
                           "FROM retort_version_history ORDER BY seq");
    std::vector<HistoryRow> rows;
    while (q.executeStep())
        rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                        q.getColumn(3).getString(), q.getColumn(4).getString()});
    return rows;
}

bool is_sha256(const std::string& s) { return std::regex_match(s, std::regex("[0-9a-f]{64}")); }

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "expected \"" << (needle) << "\" in:\n" << (haystack)
#define EXPECT_LACKS(haystack, needle) \
    EXPECT_EQ(std::string(haystack).find(needle), std::string::npos) << "did not expect \"" << (needle) << "\" in:\n" << (haystack)

// ---- checksums -------------------------------------------------------------------

TEST(Checksums, EveryUpgradeRecordsAChecksumAndAnSqlChecksum) {
    Scratch s;
    ASSERT_EQ(retort(with("bookshop", s / "db.sqlite", {"upgrade", "heads"})).code, 0);
    auto rows = history_rows(s / "db.sqlite");
    ASSERT_EQ(rows.size(), 7u);
    for (const auto& row : rows) {
        EXPECT_TRUE(is_sha256(row.checksum)) << row.revision << ": " << row.checksum;
        EXPECT_TRUE(is_sha256(row.sql_checksum)) << row.revision << ": " << row.sql_checksum;
        EXPECT_EQ(row.how, "upgrade");
    }
    EXPECT_NE(rows[0].checksum, rows[1].checksum);
}

TEST(Checksums, AnEditedMigrationStopsTheUpgradeBeforeAnythingRuns) {
    Scratch s;
    ASSERT_EQ(retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("edited_v2", s / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 4) << r.err;
    EXPECT_CONTAINS(r.err, "revision ed1700000001 (create notes) changed after it was applied");
    EXPECT_CONTAINS(r.err, "edited_v2/20260101_0900-ed1700000001_create_notes.cpp");
    EXPECT_CONTAINS(r.err, "revert the edit and write a new migration");
    EXPECT_CONTAINS(r.err, "nothing was run");
    EXPECT_CONTAINS(r.err, "retort upgrade --accept-changed ed1700000001");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before) << "nothing ran: the database is byte for byte as it was";
    EXPECT_FALSE(has_table(s / "db.sqlite", "tags"));
    // Also when there is nothing to run.
    auto at = retort(with("edited_v2", s / "db.sqlite", {"upgrade", "ed1700000001"}));
    EXPECT_EQ(at.code, 4);
}

TEST(Checksums, VerifyNamesTheChangedMigrationAndExits4) {
    Scratch s;
    ASSERT_EQ(retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    auto ok = retort(with("edited_v1", s / "db.sqlite", {"verify"}));
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_CONTAINS(ok.out, "ok            ed1700000001  create notes");
    EXPECT_CONTAINS(ok.out, "1 applied: 1 verified");

    auto r = retort(with("edited_v2", s / "db.sqlite", {"verify"}));
    EXPECT_EQ(r.code, 4);
    EXPECT_CONTAINS(r.out, "CHANGED       ed1700000001  create notes");
    EXPECT_CONTAINS(r.out, "20260101_0900-ed1700000001_create_notes.cpp changed since it was applied");
    EXPECT_CONTAINS(r.out, "1 applied: 0 verified, 1 changed");
    EXPECT_CONTAINS(r.err, "ed1700000001");
}

TEST(Checksums, CheckAgainstTheDatabaseRefusesEditedHistory) {
    Scratch s;
    ASSERT_EQ(retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    auto r = retort(with("edited_v2", s / "db.sqlite", {"check", "--against", "db"}));
    EXPECT_EQ(r.code, 4) << r.out << r.err;
    EXPECT_CONTAINS(r.err, "ed1700000001");
    EXPECT_CONTAINS(r.err, "create_notes.cpp");
}

TEST(Checksums, AcceptChangedRecordsTheNewChecksumAndTheUpgradeGoesOn) {
    Scratch s;
    ASSERT_EQ(retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    const auto old_rows = history_rows(s / "db.sqlite");
    auto r = retort(with("edited_v2", s / "db.sqlite", {"upgrade", "head", "--accept-changed", "ed1700000001"}));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, "Now at ed1700000002");
    EXPECT_TRUE(has_table(s / "db.sqlite", "tags"));
    auto rows = history_rows(s / "db.sqlite");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_NE(rows[0].checksum, old_rows[0].checksum);
    EXPECT_EQ(rows[0].applied_at, old_rows[0].applied_at) << "the row is kept, only its checksum changes";
    EXPECT_EQ(retort(with("edited_v2", s / "db.sqlite", {"verify"})).code, 0);
}

TEST(Checksums, VerifyAcceptChangedRecordsWithoutUpgrading) {
    Scratch s;
    ASSERT_EQ(retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    auto r = retort(with("edited_v2", s / "db.sqlite", {"verify", "--accept-changed", "ed1700000001"}));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, "Recorded the new checksum of ed1700000001");
    EXPECT_CONTAINS(r.out, "1 applied: 1 verified");
    EXPECT_FALSE(has_table(s / "db.sqlite", "tags"));
    auto not_applied = retort(with("edited_v2", s / "db.sqlite", {"verify", "--accept-changed", "ed1700000002"}));
    EXPECT_EQ(not_applied.code, 2);
    EXPECT_CONTAINS(not_applied.err, "ed1700000002 is not applied");
}

TEST(Checksums, StampedRevisionsHaveNoChecksumAndThatIsNotAnError) {
    Scratch s;
    ASSERT_EQ(retort(with("bookshop", s / "db.sqlite", {"stamp", "heads"})).code, 0);
    auto r = retort(with("bookshop", s / "db.sqlite", {"verify"}));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, "no checksum   1a2b3c4d5e6f  create authors and books  (stamped, not run: nothing "
                           "recorded to verify (not an error))");
    EXPECT_CONTAINS(r.out, "7 applied: 0 verified, 7 without a checksum");
    auto json = Json::parse(retort(with("bookshop", s / "db.sqlite", {"verify", "--json"})).out);
    EXPECT_EQ(json["counts"]["no_checksum"], 7);
    EXPECT_EQ(json["revisions"][0]["status"], "no_checksum");
    EXPECT_EQ(json["revisions"][0]["how"], "stamp");
    EXPECT_TRUE(json["revisions"][0]["recorded_checksum"].is_null());
}

TEST(Checksums, AHistoryTableFromBeforeChecksumsIsUpgradedInPlaceAndNotAnError) {
    Scratch s;
    const auto db = s / "db.sqlite";
    ASSERT_EQ(retort(with("edited_v1", db, {"upgrade", "head"})).code, 0);
    {
        // The history table as an older release wrote it: no checksum columns.
        SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
        d.exec("CREATE TABLE old_history AS SELECT revision, parents, applied_at, duration_ms, source_file, how "
               "FROM retort_version_history; DROP TABLE retort_version_history; "
               "ALTER TABLE old_history RENAME TO retort_version_history");
    }
    auto r = retort(with("edited_v2", db, {"verify"}));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, "applied before Retort recorded checksums: not verified (not an error)");
    EXPECT_CONTAINS(r.out, "the history table predates checksums");
    // The next upgrade adds the columns and keeps the rows; the row without a
    // checksum does not block it, though edited_v2 changed that migration.
    auto up = retort(with("edited_v2", db, {"upgrade", "head"}));
    EXPECT_EQ(up.code, 0) << up.err;
    auto rows = history_rows(db);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].revision, "ed1700000001");
    EXPECT_EQ(rows[0].checksum, "");
    EXPECT_TRUE(is_sha256(rows[1].checksum));
}

TEST(Checksums, TheApplicationRecordsTheChecksumsTheCliVerifies) {
    Scratch s;
    auto app = run(shell_quote(BOOKSHOP_APP) + " " + shell_quote((s / "shop.db").string()), s.dir());
    ASSERT_EQ(app.code, 0) << app.out << app.err;
    auto r = retort(with("bookshop", s / "shop.db", {"verify"}));
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_CONTAINS(r.out, "7 applied: 7 verified");
}

TEST(Checksums, AnOfflineScriptRecordsTheChecksumsToo) {
    Scratch s;
    auto r = retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head", "--sql"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("INSERT INTO \"retort_version_history\" .* SELECT 'ed1700000001', '', "
                                                    "'[^']*', 0, '[0-9a-f]{64}', '[0-9a-f]{64}'")))
        << r.out;
}

// ---- irreversible and lossy ----------------------------------------------------------

TEST(Downgrade, PassingALossyDataStepWarnsBeforeItRuns) {
    Scratch s;
    ASSERT_EQ(retort(with("lossy", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    auto r = retort(with("lossy", s / "db.sqlite", {"downgrade", "base"}));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.err, "warning: downgrading revision 1055e0000002 (merge first and last names");
    EXPECT_CONTAINS(r.err, "runs a lossy data step: its downgrade cannot restore everything the upgrade changed");
    EXPECT_CONTAINS(r.out, "Now at base");
}

// ---- lint ----------------------------------------------------------------------------

std::string lint_dir() { return std::string(RETORT_CLI_SETS) + "/lint"; }

TEST(LintCli, PrintsCompilerStyleLinesWithTheFileAndTheLineOfEachOp) {
    auto r = retort({"--plugin", plugins().at("lint"), "lint", "--dialect", "sqlite"});
    EXPECT_EQ(r.code, 0) << r.err;
    const std::string file = lint_dir() + "/2_risky.cpp";
    EXPECT_CONTAINS(r.out, file + ":13: warning: RT102: drop_column users.age drops the column and its values [drop-column]\n" +
                               file + ":13: note: revision 11a700000002: drop it once nothing reads it");
    EXPECT_CONTAINS(r.out, file + ":14: warning: RT103: alter_column users.name changes its type from varchar(200) to "
                                  "varchar(50)");
    EXPECT_CONTAINS(r.out, file + ":14: warning: RT202: alter_column users.name (type varchar(50)) makes sqlite "
                                  "rebuild table users, which orders references by foreign key");
    EXPECT_CONTAINS(r.out, file + ":16: warning: RT301: raw SQL without a down");
    EXPECT_CONTAINS(r.out, file + ":16: warning: RT302: revision 11a700000002 mixes schema changes (3 ops) and data "
                                  "steps (1)");
    EXPECT_LACKS(r.out, "RT105");  // acknowledged in the migration
    EXPECT_LACKS(r.out, "RT201");  // SQLite has no concurrent index builds
    EXPECT_CONTAINS(r.out, "retort lint (sqlite): 5 warnings, 1 acknowledged");
    auto verbose = retort({"--plugin", plugins().at("lint"), "lint", "--dialect", "sqlite", "-v"});
    EXPECT_CONTAINS(verbose.out, file + ":15: acknowledged: RT105: add_column users.email text is NOT NULL without a "
                                        "server default");
}

TEST(LintCli, WerrorMakesFindingsErrorsAndExits5) {
    auto r = retort({"--plugin", plugins().at("lint"), "lint", "--dialect", "sqlite", "--werror"});
    EXPECT_EQ(r.code, 5);
    EXPECT_CONTAINS(r.out, "2_risky.cpp:13: error: RT102");
    EXPECT_CONTAINS(r.err, "5 lint findings are errors (--werror)");
    EXPECT_CONTAINS(r.err, ".acknowledge = {\"RTxxx\"}");
}

TEST(LintCli, TheExampleLintsCleanWithItsNarrowingAcknowledged) {
    auto r = retort({"--plugin", plugins().at("bookshop"), "lint", "--werror", "-v"});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_CONTAINS(r.out, "20261105_1300-5e6f7a8b9c0d_store_prices_as_numeric.cpp:21: acknowledged: RT103");
    EXPECT_CONTAINS(r.out, "retort lint (sqlite): no findings, 1 acknowledged");
}

TEST(LintCli, ListRulesNamesEveryCode) {
    auto r = retort({"lint", "--list-rules"});
    EXPECT_EQ(r.code, 0);
    for (const char* code : {"RT001", "RT101", "RT102", "RT103", "RT104", "RT105", "RT106", "RT201", "RT202", "RT301",
                             "RT302"})
        EXPECT_CONTAINS(r.out, code);
}

#ifdef RETORT_HAVE_POSTGRES
TEST(LintCli, OnPostgresqlAnIndexOnAnExistingTableWantsConcurrently) {
    auto r = retort({"--plugin", plugins().at("lint"), "lint", "--dialect", "postgresql"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, lint_dir() + "/3_index.cpp:11: warning: RT201: create_index ix_users_name on users (name) "
                                        "builds an index on an existing table without CONCURRENTLY");
    EXPECT_LACKS(r.out, "RT202");  // PostgreSQL alters in place
}
#endif

// ---- --json ----------------------------------------------------------------------------

void expect_revision_fields(const Json& r) {
    for (const char* key : {"id", "parents", "branch_labels", "depends_on", "message", "create_date", "file", "head",
                            "branch_point", "merge_point", "irreversible"})
        EXPECT_TRUE(r.contains(key)) << key << " missing in " << r.dump();
}

TEST(Json, EveryReadVerbPrintsItsDocumentedShape) {
    Scratch s;
    const auto db = s / "db.sqlite";
    ASSERT_EQ(retort(with("bookshop", db, {"upgrade", "5e6f"})).code, 0);
    auto json_of = [&](std::vector<std::string> args) {
        auto r = retort(with("bookshop", db, std::move(args)));
        EXPECT_EQ(r.code, 0) << r.err;
        return Json::parse(r.out);
    };

    auto current = json_of({"current", "--json"});
    EXPECT_CONTAINS(current["database"].get<std::string>(), "db.sqlite");
    ASSERT_EQ(current["current"].size(), 1u);
    expect_revision_fields(current["current"][0]);
    EXPECT_EQ(current["current"][0]["id"], "5e6f7a8b9c0d");

    auto history = json_of({"history", "--json"});
    EXPECT_TRUE(history["current"].is_null());
    ASSERT_EQ(history["revisions"].size(), 7u);
    EXPECT_EQ(history["revisions"][0]["id"], "7a8b9c0d1e2f") << "newest first";
    EXPECT_EQ(history["revisions"][0]["merge_point"], true);
    EXPECT_EQ(history["revisions"][0]["parents"], Json::array({"5e6f7a8b9c0d", "6f7a8b9c0d1e"}));
    for (const auto& r : history["revisions"]) expect_revision_fields(r);
    auto marked = json_of({"history", "--json", "-i"});
    EXPECT_EQ(marked["current"], Json::array({"5e6f7a8b9c0d"}));

    auto heads = json_of({"heads", "--json"});
    ASSERT_EQ(heads["heads"].size(), 1u);
    EXPECT_EQ(heads["heads"][0]["head"], true);

    auto branches = json_of({"branches", "--json"});
    ASSERT_EQ(branches["branch_points"].size(), 1u);
    EXPECT_EQ(branches["branch_points"][0]["revision"]["id"], "2b3c4d5e6f7a");
    EXPECT_EQ(branches["branch_points"][0]["branches"].size(), 2u);

    auto show = json_of({"show", "2b3c", "--json"});
    EXPECT_EQ(show["revision"]["id"], "2b3c4d5e6f7a");
    ASSERT_EQ(show["upgrade"].size(), 2u);
    EXPECT_EQ(show["upgrade"][0]["op"], "add_column");
    EXPECT_EQ(show["upgrade"][0]["table"], "books");
    EXPECT_EQ(show["upgrade"][0]["description"], "add_column books.isbn varchar(20)");
    EXPECT_EQ(show["downgrade"]["derived"], false);
    EXPECT_EQ(show["downgrade"]["ops"].size(), 2u);

    auto verify = json_of({"verify", "--json"});
    for (const char* key : {"database", "heads", "verified", "older_layout", "counts", "accepted", "revisions"})
        EXPECT_TRUE(verify.contains(key)) << key;
    EXPECT_EQ(verify["verified"], true);
    EXPECT_EQ(verify["counts"]["ok"], 5);
    for (const char* key : {"revision", "message", "file", "how", "applied_at", "status", "recorded_checksum",
                            "current_checksum"})
        EXPECT_TRUE(verify["revisions"][0].contains(key)) << key;

    auto lint = json_of({"lint", "--json", "--dialect", "sqlite"});
    EXPECT_EQ(lint["dialect"], "sqlite");
    EXPECT_EQ(lint["warning_count"], 0);
    EXPECT_EQ(lint["acknowledged_count"], 1);
    ASSERT_EQ(lint["findings"].size(), 1u);
    for (const char* key :
         {"code", "rule", "severity", "revision", "file", "line", "op", "message", "hint", "acknowledged"})
        EXPECT_TRUE(lint["findings"][0].contains(key)) << key;
    EXPECT_EQ(lint["findings"][0]["severity"], "acknowledged");
    EXPECT_EQ(lint["findings"][0]["line"], 21);

    auto check = json_of({"check", "--no-models", "--json"});
    EXPECT_EQ(check["equal"], true);
    EXPECT_EQ(check["revision"], Json::array({"7a8b9c0d1e2f"}));
}

TEST(Json, LintFindingsAsJsonCarryFileLineAndSeverity) {
    auto r = retort({"--plugin", plugins().at("lint"), "lint", "--json", "--werror", "--dialect", "sqlite"});
    EXPECT_EQ(r.code, 5);
    auto json = Json::parse(r.out);
    EXPECT_EQ(json["werror"], true);
    EXPECT_EQ(json["warning_count"], 5);
    const auto& first = json["findings"][0];
    EXPECT_EQ(first["code"], "RT102");
    EXPECT_EQ(first["rule"], "drop-column");
    EXPECT_EQ(first["severity"], "error");
    EXPECT_EQ(first["line"], 13);
    EXPECT_EQ(first["file"], lint_dir() + "/2_risky.cpp");
    EXPECT_EQ(first["op"], "drop_column users.age");
}

TEST(Json, VerifyOfAnEditedMigrationIsStillJsonAndExits4) {
    Scratch s;
    ASSERT_EQ(retort(with("edited_v1", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    auto r = retort(with("edited_v2", s / "db.sqlite", {"verify", "--json"}));
    EXPECT_EQ(r.code, 4);
    auto json = Json::parse(r.out);
    EXPECT_EQ(json["verified"], false);
    EXPECT_EQ(json["counts"]["changed"], 1);
    EXPECT_EQ(json["revisions"][0]["status"], "changed");
    EXPECT_NE(json["revisions"][0]["recorded_checksum"], json["revisions"][0]["current_checksum"]);
}

// ---- graph and docs ----------------------------------------------------------------------

std::string golden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(RETORT_CLI_GOLDEN) + "/" + name;
    if (std::getenv("RETORT_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
    return read_text(path);
}

TEST(Graph, TheExampleAsDotAndMermaidMatchesTheGoldenFiles) {
    auto dot = retort({"--plugin", plugins().at("bookshop"), "graph"});
    ASSERT_EQ(dot.code, 0) << dot.err;
    EXPECT_EQ(dot.out, golden("bookshop_graph.dot", dot.out));
    auto mermaid = retort({"--plugin", plugins().at("bookshop"), "graph", "--format", "mermaid"});
    ASSERT_EQ(mermaid.code, 0) << mermaid.err;
    EXPECT_EQ(mermaid.out, golden("bookshop_graph.mmd", mermaid.out));
}

TEST(Graph, GivenAUrlTheCurrentRevisionIsMarked) {
    Scratch s;
    ASSERT_EQ(retort(with("bookshop", s / "db.sqlite", {"upgrade", "6f7a"})).code, 0);
    auto r = retort(with("bookshop", s / "db.sqlite", {"graph"}));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, "\"6f7a8b9c0d1e\" [label=\"6f7a8b9c0d1e (reviews)\\ncreate reviews\\n(current)\", "
                           "style=\"rounded,filled,bold\", fillcolor=\"#fff2a8\"];");
    auto file = retort(with("bookshop", s / "db.sqlite", {"graph", "--format", "mermaid", "-o", (s / "g.mmd").string()}));
    ASSERT_EQ(file.code, 0) << file.err;
    EXPECT_CONTAINS(read_text(s / "g.mmd"), "class r_6f7a8b9c0d1e current");
}

TEST(Docs, DescribeTheSchemaAtHeadWithADiagramAndTheHistory) {
    Scratch s;
    auto r = retort({"--plugin", plugins().at("bookshop"), "docs", "-o", (s / "DATABASE.md").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string md = read_text(s / "DATABASE.md");
    EXPECT_CONTAINS(md, "# Database schema: bookshop\n");
    EXPECT_CONTAINS(md, "### books\n");
    EXPECT_CONTAINS(md, "| price | `numeric(10,2)` | NOT NULL | `0` |  |  |");
    EXPECT_CONTAINS(md, "| author_id | `integer` | NOT NULL |  | FK → authors.id |  |");
    EXPECT_CONTAINS(md, "- Foreign key `fk_books_author_id_authors`: (author_id) → [authors](#authors) (id), ON DELETE "
                        "CASCADE");
    EXPECT_CONTAINS(md, "- Unique index `uq_books_isbn`: (isbn) WHERE `isbn IS NOT NULL`");
    EXPECT_CONTAINS(md, "- Check `ck_reviews_rating`: `rating BETWEEN 1 AND 5`");
    EXPECT_CONTAINS(md, "```mermaid\nerDiagram\n");
    EXPECT_CONTAINS(md, "    authors ||--o{ books : \"author_id\"");
    EXPECT_CONTAINS(md, "        integer id PK \"integer, NOT NULL\"");
    EXPECT_CONTAINS(md, "## Migration history");
    EXPECT_CONTAINS(md, "| `7a8b9c0d1e2f` *head, merge* | `5e6f7a8b9c0d`, `6f7a8b9c0d1e` | merge reviews into the main line |");
    auto sqlite_types = retort({"--plugin", plugins().at("bookshop"), "docs", "--dialect", "sqlite"});
    EXPECT_CONTAINS(sqlite_types.out, "| price | `NUMERIC(10, 2)` |");
}

// ---- colors --------------------------------------------------------------------------------

TEST(Colors, OutputThatIsNotATerminalHasNoEscapeCodes) {
    auto r = retort({"--plugin", plugins().at("bookshop"), "heads"});
    EXPECT_EQ(r.out, "7a8b9c0d1e2f (head) (mergepoint)\n");
    auto err = retort({"--plugin", plugins().at("bookshop"), "show", "nope"});
    EXPECT_CONTAINS(err.err, "retort: error: ");
}

TEST(Colors, ATerminalGetsColorsUnlessNoColorIsSet) {
    // script(1) runs the command on a pseudo-terminal.
    auto on_tty = [&](const std::string& env) {
        std::string inner = env + " " + shell_quote(RETORT_CLI) + " --plugin " + shell_quote(plugins().at("bookshop")) + " heads";
        return run("env -u NO_COLOR script -qec " + shell_quote(inner) + " /dev/null", fs::temp_directory_path());
    };
    auto colored = on_tty("");
    ASSERT_EQ(colored.code, 0) << colored.err;
    EXPECT_CONTAINS(colored.out, "\x1b[33m7a8b9c0d1e2f\x1b[0m \x1b[32m(head)\x1b[0m");
    auto plain = on_tty("NO_COLOR=1");
    EXPECT_LACKS(plain.out, "\x1b[");
    EXPECT_CONTAINS(plain.out, "7a8b9c0d1e2f (head) (mergepoint)");
}

}  // namespace
