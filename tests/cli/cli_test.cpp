// The `retort` command line, run as users run it: as a separate process, on real
// SQLite files. Bad input gets a clear message, the documented exit code, and the
// database file is left byte for byte as it was.
#include <retort/schema/fingerprint.hpp>

#include "../stress_rounds.hpp"
#include "scratch.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
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

/// Runs retort with `args` in `cwd`; stdout and stderr captured.
Result retort(const std::vector<std::string>& args, const fs::path& cwd = fs::temp_directory_path(),
              const std::string& env = "") {
    static int n = 0;
    fs::path out = fs::temp_directory_path() / ("retort_cli_out_" + std::to_string(getpid()) + "_" + std::to_string(n));
    fs::path err = fs::temp_directory_path() / ("retort_cli_err_" + std::to_string(getpid()) + "_" + std::to_string(n++));
    std::string cmd = "cd " + shell_quote(cwd.string()) + " && env -u RETORT_DATABASE_URL -u RETORT_PLUGIN -u RETORT_CONFIG " +
                      env + " " + shell_quote(RETORT_CLI);
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

std::string file_digest(const fs::path& p) { return fs::exists(p) ? retort::sha256_hex(read_text(p)) : "(missing)"; }

const std::map<std::string, std::string>& plugins() {
    static const std::map<std::string, std::string> p = {
        {"bookshop", BOOKSHOP_PLUGIN},
        {"cycle", PLUGIN_cycle},
        {"missing_parent", PLUGIN_missing_parent},
        {"duplicate", PLUGIN_duplicate},
        {"prefix", PLUGIN_prefix},
        {"failing", PLUGIN_failing},
        {"irreversible", PLUGIN_irreversible},
        {"branches", PLUGIN_branches},
        {"booleans", PLUGIN_booleans},
        {"abi", PLUGIN_abi},
    };
    return p;
}

std::vector<std::string> with(const std::string& set, const fs::path& db, std::vector<std::string> args) {
    std::vector<std::string> out = {"--plugin", plugins().at(set), "--url", "sqlite:///" + db.string()};
    out.insert(out.end(), args.begin(), args.end());
    return out;
}

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "expected \"" << (needle) << "\" in:\n" << (haystack)

// ---- bad input: message, exit code, database untouched -----------------------------

TEST(CliBadInput, AMissingPluginIsExit2NamingTheFile) {
    Scratch s;
    auto r = retort({"--plugin", (s / "nope.so").string(), "--url", "sqlite:///" + (s / "db.sqlite").string(), "current"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "nope.so does not exist");
    EXPECT_FALSE(fs::exists(s / "db.sqlite")) << "nothing was created";
}

TEST(CliBadInput, APluginBuiltForAnotherAbiIsRefusedWithTheRebuildCommand) {
    Scratch s;
    auto r = retort(with("abi", s / "db.sqlite", {"current"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "plugin ABI 999");
    EXPECT_CONTAINS(r.err, "rebuild");
}

TEST(CliBadInput, AnUnknownRevisionIsExit2AndChangesNothing) {
    Scratch s;
    ASSERT_EQ(retort(with("bookshop", s / "db.sqlite", {"upgrade", "2b3c"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("bookshop", s / "db.sqlite", {"upgrade", "zzzz"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "zzzz");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before);
}

TEST(CliBadInput, AnAmbiguousPrefixListsTheCandidates) {
    Scratch s;
    auto r = retort(with("prefix", s / "db.sqlite", {"upgrade", "abcd"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "abcd11110000");
    EXPECT_CONTAINS(r.err, "abcd22220000");
}

TEST(CliBadInput, ACycleIsExit2NamingTheRevisionsAndFiles) {
    Scratch s;
    auto r = retort(with("cycle", s / "db.sqlite", {"heads"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "cycle");
    EXPECT_CONTAINS(r.err, "c0c0c0c0c0c1");
    EXPECT_CONTAINS(r.err, "a.cpp");
}

TEST(CliBadInput, AMissingParentIsExit2NamingItAndTheFile) {
    Scratch s;
    auto r = retort(with("missing_parent", s / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "feedfeedfeed");
    EXPECT_CONTAINS(r.err, "b.cpp");
    EXPECT_FALSE(fs::exists(s / "db.sqlite"));
}

TEST(CliBadInput, ADuplicateRevisionIdNamesBothFiles) {
    Scratch s;
    auto r = retort(with("duplicate", s / "db.sqlite", {"history"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "d0d0d0d0d0d1");
    EXPECT_CONTAINS(r.err, "first.cpp");
    EXPECT_CONTAINS(r.err, "second.cpp");
}

TEST(CliBadInput, AMalformedUrlShowsTheAcceptedForms) {
    Scratch s;
    auto r = retort({"--plugin", plugins().at("bookshop"), "--url", "sqlite:/app.db", "current"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "malformed database URL");
    EXPECT_CONTAINS(r.err, "sqlite:///");
}

TEST(CliBadInput, AnUnwritableDatabasePathSaysWhatToCheck) {
    Scratch s;
    auto r = retort(with("bookshop", s / "no" / "such" / "dir" / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "cannot open SQLite database");
    EXPECT_FALSE(fs::exists(s / "no"));
}

TEST(CliBadInput, ReadVerbsOnAMissingSqliteFileNameItAndCreateNothing) {
    Scratch s;
    const fs::path typo = s / "typo.db";
    const std::vector<std::vector<std::string>> reads = {
        {"current"}, {"current", "--json"}, {"history", "-i"}, {"history", "-r", "current:"},
        {"check", "--against", "db"}, {"verify"}, {"graph", "--current"},
    };
    for (const auto& verb : reads) {
        std::string line;
        for (const auto& a : verb) line += a + " ";
        SCOPED_TRACE(line);
        auto r = retort(with("bookshop", typo, verb));
        EXPECT_EQ(r.code, 1);
        EXPECT_CONTAINS(r.err, "SQLite database file " + typo.string() + " does not exist");
        EXPECT_CONTAINS(r.err, "check the URL");
        EXPECT_CONTAINS(r.err, "retort upgrade");
        EXPECT_EQ(r.out, "");
        EXPECT_FALSE(fs::exists(typo)) << "no empty database file for a mistyped URL";
    }
    // A relative URL names the file the working directory makes of it.
    auto relative = retort({"--plugin", plugins().at("bookshop"), "--url", "sqlite:///typo.db", "current"}, s.dir());
    EXPECT_EQ(relative.code, 1);
    EXPECT_CONTAINS(relative.err, "typo.db (" + (s / "typo.db").string() + ") does not exist");
    EXPECT_FALSE(fs::exists(typo));

    // An existing empty file is a database at base, memory is memory, and writers create the file.
    std::ofstream(s / "empty.db").close();
    auto empty = retort(with("bookshop", s / "empty.db", {"current"}));
    EXPECT_EQ(empty.code, 0) << empty.err;
    EXPECT_EQ(empty.out, "");
    auto memory = retort({"--plugin", plugins().at("bookshop"), "--url", "sqlite:///:memory:", "current"});
    EXPECT_EQ(memory.code, 0) << memory.err;
    auto stamp = retort(with("bookshop", typo, {"stamp", "1a2b"}));
    EXPECT_EQ(stamp.code, 0) << stamp.err;
    EXPECT_EQ(retort(with("bookshop", typo, {"current"})).out, "1a2b3c4d5e6f\n");
}

TEST(CliBadInput, AMalformedRetortTomlNamesTheFileAndLine) {
    Scratch s;
    std::ofstream(s / "retort.toml") << "[retort]\nmigrations = \"migrations\"\nplugin = \n";
    auto r = retort({"current"}, s.dir());
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "retort.toml:3");
    EXPECT_CONTAINS(r.err, "malformed retort.toml");
}

TEST(CliBadInput, AnUnknownKeyInRetortTomlIsNamed) {
    Scratch s;
    std::ofstream(s / "retort.toml") << "[retort]\nmigratoins = \"migrations\"\n";
    auto r = retort({"current"}, s.dir());
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "unknown key \"migratoins\"");
}

TEST(CliBadInput, DowngradingBelowBaseIsExit2) {
    Scratch s;
    ASSERT_EQ(retort(with("bookshop", s / "db.sqlite", {"upgrade", "+1"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("bookshop", s / "db.sqlite", {"downgrade", "-2"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "only 1");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before);
}

TEST(CliBadInput, FailingSqlNamesTheRevisionOpAndStatementAndKeepsTheLastGoodRevision) {
    Scratch s;
    ASSERT_EQ(retort(with("failing", s / "db.sqlite", {"upgrade", "f1f1"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("failing", s / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "f2f2f2f2f2f2");
    EXPECT_CONTAINS(r.err, "2_broken.cpp");
    EXPECT_CONTAINS(r.err, "op: execute");
    EXPECT_CONTAINS(r.err, "statement: UPDATE missing_table SET price = 1");
    EXPECT_CONTAINS(r.err, "still at f1f1f1f1f1f1");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before) << "the failed migration left nothing behind";
    auto current = retort(with("failing", s / "db.sqlite", {"current"}));
    EXPECT_CONTAINS(current.out, "f1f1f1f1f1f1");
}

TEST(CliBadInput, DowngradingPastAnIrreversibleRevisionIsExit4AndTouchesNothing) {
    Scratch s;
    ASSERT_EQ(retort(with("irreversible", s / "db.sqlite", {"upgrade", "e2e2"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("irreversible", s / "db.sqlite", {"downgrade", "base"}));
    EXPECT_EQ(r.code, 4);
    EXPECT_CONTAINS(r.err, "e2e2e2e2e2e2");
    EXPECT_CONTAINS(r.err, "irreversible");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before);
}

TEST(CliBadInput, DowngradingRawSqlWithoutADownIsExit4AndTouchesNothing) {
    Scratch s;
    ASSERT_EQ(retort(with("irreversible", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("irreversible", s / "db.sqlite", {"downgrade", "-1"}));
    EXPECT_EQ(r.code, 4);
    EXPECT_CONTAINS(r.err, "e3e3e3e3e3e3");
    EXPECT_CONTAINS(r.err, "no reverse");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before);
}

TEST(CliBadInput, MergingASingleHeadIsExit2AndWritesNothing) {
    Scratch s;
    fs::copy(BOOKSHOP_MIGRATIONS, s / "migrations");
    auto r = retort({"--plugin", plugins().at("bookshop"), "--migrations", (s / "migrations").string(), "merge", "-m",
                     "nothing to merge", "heads"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "only one head");
    EXPECT_EQ(std::distance(fs::directory_iterator(s / "migrations"), fs::directory_iterator{}), 7);
}

TEST(CliBadInput, ADatabaseAtARevisionThePluginDoesNotKnowSaysHowToFixIt) {
    Scratch s;
    ASSERT_EQ(retort(with("branches", s / "db.sqlite", {"upgrade", "b1b1"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("bookshop", s / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 4);
    EXPECT_CONTAINS(r.err, "b1b1b1b1b1b1");
    EXPECT_CONTAINS(r.err, "another branch");
    EXPECT_CONTAINS(r.err, "retort stamp");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before);
}

TEST(CliBadInput, LibrariesInTheDirectoryItRunsInAreNeverLoaded) {
    // An empty RUNPATH entry means the current directory to the loader: the build
    // tree's binaries once had them (CMake's padding), so a file named like one of
    // their libraries, wherever the command ran, was loaded or broke the start.
    Scratch s;
    for (const char* name : {"libfmt.so.9", "libstdc++.so.6", "libsqlite3.so.0", "libretort_core.so.0.1"})
        std::ofstream(s / name) << "not a shared library\n";
    auto r = retort({"--plugin", plugins().at("bookshop"), "heads"}, s.dir());
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_CONTAINS(r.out, "7a8b9c0d1e2f");
}

#ifdef RETORT_POSTGRES_SONAME
TEST(CliBadInput, APostgresBackendThatCannotLoadIsExit2NamingItAndWhatToInstall) {
    // The CLI loads the PostgreSQL backend from beside libretort_core when a command
    // first needs it. Here that library is not one (a damaged install).
    Scratch s;
    const fs::path lib = s / "lib";
    fs::create_directory(lib);
    for (const char* l : {RETORT_CORE_LIBRARY, RETORT_SQLITE_LIBRARY})
        fs::copy_file(l, lib / fs::path(l).filename());
    std::ofstream(lib / RETORT_POSTGRES_SONAME) << "not a shared library\n";
    auto r = retort({"--plugin", plugins().at("bookshop"), "--url", "postgresql://nobody@127.0.0.1:1/none", "current"},
                    fs::temp_directory_path(), "LD_LIBRARY_PATH=" + shell_quote(lib.string()));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_CONTAINS(r.err, std::string("cannot load the PostgreSQL backend ") + RETORT_POSTGRES_SONAME);
    EXPECT_CONTAINS(r.err, (lib / RETORT_POSTGRES_SONAME).string());
    EXPECT_CONTAINS(r.err, "apt-get install libpqxx");
    // SQLite still works with the same libraries: the backend is loaded only when needed.
    auto ok = retort({"--plugin", plugins().at("bookshop"), "--url", "sqlite:///" + (s / "db.sqlite").string(),
                      "upgrade", "head"},
                     fs::temp_directory_path(), "LD_LIBRARY_PATH=" + shell_quote(lib.string()));
    EXPECT_EQ(ok.code, 0) << ok.err;
}
#endif

TEST(CliBadInput, APluginOlderThanTheMigrationFilesAsksForARebuild) {
    Scratch s;
    fs::copy(BOOKSHOP_MIGRATIONS, s / "migrations");
    std::ofstream(s / "migrations" / "20261202_0000-bbbbbbbbbbbb_newer.cpp") << "// not built yet\n";
    std::ofstream(s / "migrations" / "20261201_0000-0123456789ab_new.cpp") << "// not built yet\n";
    auto r = retort({"--plugin", plugins().at("bookshop"), "--migrations", (s / "migrations").string(), "--url",
                     "sqlite:///" + (s / "db.sqlite").string(), "upgrade", "head"});
    EXPECT_EQ(r.code, 2);
    // By name, whatever the folder's order.
    EXPECT_CONTAINS(r.err, "not in the plugin: 20261201_0000-0123456789ab_new.cpp\n"
                           "  not in the plugin: 20261202_0000-bbbbbbbbbbbb_newer.cpp");
    EXPECT_CONTAINS(r.err, "rebuild: cmake --build");
    EXPECT_FALSE(fs::exists(s / "db.sqlite"));
}

TEST(CliBadInput, AnEditedMigrationFileMakesThePluginStale) {
    Scratch s;
    fs::copy(BOOKSHOP_MIGRATIONS, s / "migrations");
    auto file = s / "migrations" / "20261102_1000-2b3c4d5e6f7a_add_isbn_to_books.cpp";
    std::ofstream(file, std::ios::app) << "// edited\n";
    auto r = retort({"--plugin", plugins().at("bookshop"), "--migrations", (s / "migrations").string(), "heads"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "changed since the plugin was built: 20261102_1000-2b3c4d5e6f7a_add_isbn_to_books.cpp");
}

TEST(CliBadInput, AMigrationFileRemovedFromTheFolderMakesThePluginStale) {
    Scratch s;
    fs::copy(BOOKSHOP_MIGRATIONS, s / "migrations");
    // Unchanged files (their mtime kept) and files that are not migrations pass.
    for (const auto& e : fs::directory_iterator(BOOKSHOP_MIGRATIONS))
        fs::last_write_time(s / "migrations" / e.path().filename(), fs::last_write_time(e.path()));
    std::ofstream(s / "migrations" / "README.md") << "not a migration\n";
    fs::create_directory(s / "migrations" / "old.cpp");  // a folder, not a file
    auto ok = retort({"--plugin", plugins().at("bookshop"), "--migrations", (s / "migrations").string(), "heads"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    fs::remove(s / "migrations" / "20261102_1000-2b3c4d5e6f7a_add_isbn_to_books.cpp");
    auto r = retort({"--plugin", plugins().at("bookshop"), "--migrations", (s / "migrations").string(), "heads"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err,
                    "in the plugin but no longer in the folder: 20261102_1000-2b3c4d5e6f7a_add_isbn_to_books.cpp");
}

TEST(CliBadInput, SeveralHeadsMakeUpgradeHeadAskWhichOrToMerge) {
    Scratch s;
    auto r = retort(with("branches", s / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "b1b1b1b1b1b1");
    EXPECT_CONTAINS(r.err, "retort merge");
    EXPECT_TRUE(!fs::exists(s / "db.sqlite") || fs::file_size(s / "db.sqlite") == 0)
        << "the target is resolved before any table is created";
}

TEST(CliBadInput, AnUnknownEnvironmentListsTheKnownOnes) {
    Scratch s;
    std::ofstream(s / "retort.toml") << "[environments.dev]\nurl = \"sqlite:///dev.db\"\n";
    auto r = retort({"--plugin", plugins().at("bookshop"), "--env", "prod", "current"}, s.dir());
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "environment \"prod\" is not defined");
    EXPECT_CONTAINS(r.err, "dev");
}

TEST(CliBadInput, AnEnvironmentThatForbidsDowngradesRefusesThem) {
    Scratch s;
    std::ofstream(s / "retort.toml") << "[retort]\nenvironment = \"prod\"\n[environments.prod]\nurl = \"sqlite:///prod.db\"\n"
                                        "allow_downgrade = false\n";
    ASSERT_EQ(retort({"--plugin", plugins().at("bookshop"), "upgrade", "head"}, s.dir()).code, 0);
    const auto before = file_digest(s / "prod.db");
    auto r = retort({"--plugin", plugins().at("bookshop"), "downgrade", "-1"}, s.dir());
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "not allowed");
    EXPECT_CONTAINS(r.err, "forward fix");
    EXPECT_EQ(file_digest(s / "prod.db"), before);
}

TEST(CliBadInput, PasswordsNeverAppearInMessages) {
    Scratch s;
    auto r = retort({"--plugin", plugins().at("bookshop"), "--url", "mysql://app:s3cr3t@db.internal/shop", "current"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "app:***@db.internal");
    EXPECT_EQ(r.err.find("s3cr3t"), std::string::npos) << r.err;
}

TEST(CliBadInput, AVerbWithoutItsArgumentIsAUsageError) {
    auto r = retort({"--plugin", plugins().at("bookshop"), "downgrade"});
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "target");
}

// ---- what works ---------------------------------------------------------------

TEST(Cli, UpgradeWithNothingToDoSaysAlreadyAtHeadAndChangesNothing) {
    Scratch s;
    ASSERT_EQ(retort(with("bookshop", s / "db.sqlite", {"upgrade", "head"})).code, 0);
    const auto before = file_digest(s / "db.sqlite");
    auto r = retort(with("bookshop", s / "db.sqlite", {"upgrade", "head"}));
    EXPECT_EQ(r.code, 0);
    EXPECT_CONTAINS(r.out, "Already at head");
    EXPECT_EQ(file_digest(s / "db.sqlite"), before);
}

TEST(Cli, EveryVerbHasHelp) {
    for (const char* verb : {"init", "revision", "merge", "upgrade", "downgrade", "stamp", "current", "history", "heads",
                             "branches", "show"}) {
        auto r = retort({verb, "--help"});
        EXPECT_EQ(r.code, 0) << verb;
        EXPECT_CONTAINS(r.out, "Usage");
    }
}

TEST(Cli, StepsAndSpecifiersWalkTheBranchesOfTheExample) {
    Scratch s;
    auto run = [&](std::vector<std::string> args) { return retort(with("bookshop", s / "db.sqlite", std::move(args))); };
    EXPECT_EQ(run({"upgrade", "+2"}).code, 0);
    EXPECT_CONTAINS(run({"current"}).out, "2b3c4d5e6f7a (branchpoint)");
    EXPECT_EQ(run({"upgrade", "6f7a"}).code, 0);
    auto current = run({"current"});
    EXPECT_CONTAINS(current.out, "6f7a8b9c0d1e (reviews)");
    EXPECT_EQ(run({"upgrade", "heads"}).code, 0);
    EXPECT_CONTAINS(run({"current"}).out, "7a8b9c0d1e2f (head) (mergepoint)");
    EXPECT_EQ(run({"downgrade", "-1"}).code, 0);
    current = run({"current"});
    EXPECT_CONTAINS(current.out, "5e6f7a8b9c0d");
    EXPECT_CONTAINS(current.out, "6f7a8b9c0d1e");
    EXPECT_EQ(run({"downgrade", "reviews@base"}).code, 0);
    EXPECT_EQ(run({"current"}).out, "5e6f7a8b9c0d\n");
    EXPECT_EQ(run({"downgrade", "base"}).code, 0);
    EXPECT_EQ(run({"current"}).out, "");
    EXPECT_EQ(run({"stamp", "head"}).code, 0);
    EXPECT_CONTAINS(run({"current"}).out, "7a8b9c0d1e2f");
}

TEST(Cli, HistoryListsNewestFirstAndHonoursARange) {
    Scratch s;
    auto all = retort(with("bookshop", s / "db.sqlite", {"history"}));
    ASSERT_EQ(all.code, 0);
    EXPECT_EQ(all.out.substr(0, all.out.find('\n')),
              "(5e6f7a8b9c0d, 6f7a8b9c0d1e) -> 7a8b9c0d1e2f (head) (mergepoint), merge reviews into the main line");
    EXPECT_CONTAINS(all.out, "<base> -> 1a2b3c4d5e6f, create authors and books");
    auto range = retort(with("bookshop", s / "db.sqlite", {"history", "-r", "3c4d:5e6f"}));
    EXPECT_EQ(range.out,
              "4d5e6f7a8b9c -> 5e6f7a8b9c0d, store prices as numeric\n"
              "3c4d5e6f7a8b -> 4d5e6f7a8b9c, backfill book slugs\n"
              "2b3c4d5e6f7a -> 3c4d5e6f7a8b, add slug to books\n");
    auto verbose = retort(with("bookshop", s / "db.sqlite", {"history", "--verbose", "-r", "1a2b:1a2b"}));
    EXPECT_CONTAINS(verbose.out, "Revision ID: 1a2b3c4d5e6f");
    EXPECT_CONTAINS(verbose.out, "Path: ");
}

TEST(Cli, ShowPrintsTheRevisionAndItsOperations) {
    auto r = retort({"--plugin", plugins().at("bookshop"), "show", "5e6f"});
    EXPECT_EQ(r.code, 0);
    EXPECT_CONTAINS(r.out, "Rev: 5e6f7a8b9c0d");
    EXPECT_CONTAINS(r.out, "alter_column books.price (type numeric(10,2))");
}

TEST(Cli, OfflineSqlExecutesNothing) {
    Scratch s;
    auto r = retort(with("bookshop", s / "db.sqlite", {"upgrade", "2b3c", "--sql"}));
    EXPECT_EQ(r.code, 0);
    EXPECT_CONTAINS(r.out, "CREATE TABLE \"authors\"");
    EXPECT_CONTAINS(r.out, "INSERT INTO \"retort_version\" (version_num) VALUES ('1a2b3c4d5e6f')");
    EXPECT_CONTAINS(r.out, "UPDATE \"retort_version\" SET version_num = '2b3c4d5e6f7a' WHERE version_num = '1a2b3c4d5e6f'");
    EXPECT_FALSE(fs::exists(s / "db.sqlite"));
    auto data = retort(with("bookshop", s / "db.sqlite", {"upgrade", "head", "--sql"}));
    EXPECT_EQ(data.code, 2);
    EXPECT_CONTAINS(data.err, "--skip-data");
    auto down = retort(with("bookshop", s / "db.sqlite", {"downgrade", "head:2b3c", "--sql", "--skip-data"}));
    EXPECT_EQ(down.code, 0);
    EXPECT_CONTAINS(down.out, "Running downgrade 7a8b9c0d1e2f");
}

/// Runs `sql` through the sqlite3 shell on `db`, stopping at the first error.
Result sqlite3_shell(const fs::path& db, const std::string& sql) {
    static int n = 0;
    const fs::path script = db.parent_path() / ("shell_" + std::to_string(n++) + ".sql");
    std::ofstream(script) << sql;
    const fs::path out = script.string() + ".out";
    const fs::path err = script.string() + ".err";
    int status = std::system(("sqlite3 -bail " + shell_quote(db.string()) + " < " + shell_quote(script.string()) + " >" +
                              shell_quote(out.string()) + " 2>" + shell_quote(err.string()))
                                 .c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

TEST(Cli, OfflineSqlOfATableRebuildTurnsForeignKeysOffSoChildRowsSurvive) {
    // 5e6f rebuilds "books"; "reviews" (from the other branch, 6f7a) references it
    // ON DELETE CASCADE. Run with foreign keys on, as every Retort session runs, a
    // DROP TABLE "books" without the pragma deletes the reviews.
    for (const bool whole_run : {false, true}) {
        SCOPED_TRACE(whole_run ? "--whole-run" : "per migration");
        Scratch s;
        const fs::path db = s / "db.sqlite";
        auto run = [&](std::vector<std::string> args) {
            if (whole_run) args.insert(args.begin(), "--whole-run");
            return retort(with("bookshop", db, args));
        };
        ASSERT_EQ(run({"upgrade", "4d5e"}).code, 0);
        ASSERT_EQ(run({"upgrade", "6f7a"}).code, 0);
        auto rows = sqlite3_shell(db, "INSERT INTO authors (id, name) VALUES (1, 'Le Guin');"
                                      "INSERT INTO books (id, author_id, title, price) VALUES (1, 1, 'Lathe', 12);"
                                      "INSERT INTO reviews (book_id, rating) VALUES (1, 4);");
        ASSERT_EQ(rows.code, 0) << rows.err;
        const std::string count =
            "SELECT count(*) FROM reviews; SELECT type FROM pragma_table_info('books') WHERE name = 'price';";

        auto up = run({"upgrade", "4d5e:5e6f", "--sql"});
        ASSERT_EQ(up.code, 0) << up.err;
        EXPECT_CONTAINS(up.out, "PRAGMA foreign_keys = OFF;\nBEGIN;\n");
        EXPECT_CONTAINS(up.out, "DROP TABLE \"books\";");
        EXPECT_CONTAINS(up.out, "COMMIT;\nPRAGMA foreign_keys = ON;\n");
        EXPECT_LT(up.out.find("PRAGMA foreign_key_check;"), up.out.find("COMMIT;"));
        EXPECT_LT(up.out.find("DROP TABLE \"books\""), up.out.find("PRAGMA foreign_key_check;"));
        auto applied = sqlite3_shell(db, "PRAGMA foreign_keys = ON;\n" + up.out + count);
        EXPECT_EQ(applied.code, 0) << applied.err;
        EXPECT_EQ(applied.out, "1\nNUMERIC(10, 2)\n") << "the review survives the rebuild of books; no violation listed";
        EXPECT_EQ(run({"current"}).out, "5e6f7a8b9c0d\n6f7a8b9c0d1e (reviews)\n");

        auto down = run({"downgrade", "5e6f:4d5e", "--sql"});
        ASSERT_EQ(down.code, 0) << down.err;
        EXPECT_CONTAINS(down.out, "PRAGMA foreign_keys = OFF;\nBEGIN;\n");
        EXPECT_CONTAINS(down.out, "PRAGMA foreign_key_check;\n");
        EXPECT_CONTAINS(down.out, "COMMIT;\nPRAGMA foreign_keys = ON;\n");
        auto reverted = sqlite3_shell(db, "PRAGMA foreign_keys = ON;\n" + down.out + count);
        EXPECT_EQ(reverted.code, 0) << reverted.err;
        EXPECT_EQ(reverted.out, "1\nINTEGER\n");
        EXPECT_EQ(run({"check", "--against", "db"}).code, 0) << "the database is what its migrations describe";
    }
    // A migration that rebuilds nothing gets no pragma.
    Scratch s;
    auto plain = retort(with("bookshop", s / "db.sqlite", {"upgrade", "1a2b:2b3c", "--sql"}));
    ASSERT_EQ(plain.code, 0) << plain.err;
    EXPECT_EQ(plain.out.find("PRAGMA foreign_keys"), std::string::npos) << plain.out;
}

TEST(Cli, CheckTakesABooleanDefaultOfZeroAndFalseAsOneValue) {
    // The migration says server_default("0") and ("1"); models saying FALSE and TRUE
    // describe the same column on SQLite (TRUE is the integer 1) and on PostgreSQL.
    Scratch s;
    auto check = [&](const std::string& dialect, const std::string& models) {
        std::ofstream(s / "models.sql") << models;
        return retort({"--plugin", plugins().at("booleans"), "check", "--dialect", dialect, "--models-sql",
                       (s / "models.sql").string()});
    };
    auto sqlite = check("sqlite", "CREATE TABLE tasks (id INTEGER NOT NULL, done BOOLEAN NOT NULL DEFAULT FALSE, "
                                  "starred BOOLEAN DEFAULT true, CONSTRAINT pk_tasks PRIMARY KEY (id));");
    EXPECT_EQ(sqlite.code, 0) << sqlite.out << sqlite.err;
    auto postgres = check("postgresql", "CREATE TABLE tasks (id integer NOT NULL, done boolean NOT NULL DEFAULT false, "
                                        "starred boolean DEFAULT 't', CONSTRAINT pk_tasks PRIMARY KEY (id));");
    EXPECT_EQ(postgres.code, 0) << postgres.out << postgres.err;
    // A default that does differ still does.
    auto differs = check("sqlite", "CREATE TABLE tasks (id INTEGER NOT NULL, done BOOLEAN NOT NULL DEFAULT TRUE, "
                                   "starred BOOLEAN DEFAULT 1, CONSTRAINT pk_tasks PRIMARY KEY (id));");
    EXPECT_EQ(differs.code, 3) << differs.out << differs.err;
    EXPECT_CONTAINS(differs.out, "tasks.done");
    EXPECT_EQ(differs.out.find("tasks.starred"), std::string::npos) << differs.out;
}

TEST(Cli, InitRevisionAndMergeWriteMigrationFiles) {
    Scratch s;
    auto init = retort({"init", "--name", "shop"}, s.dir());
    ASSERT_EQ(init.code, 0) << init.err;
    EXPECT_TRUE(fs::exists(s / "retort.toml"));
    EXPECT_TRUE(fs::is_directory(s / "migrations"));
    EXPECT_EQ(retort({"init"}, s.dir()).code, 2) << "init refuses to overwrite";

    auto first = retort({"revision", "-m", "Add orders!", "--rev-id", "aaaaaaaaaaaa"}, s.dir());
    ASSERT_EQ(first.code, 0) << first.err;
    EXPECT_CONTAINS(first.out, "aaaaaaaaaaaa_add_orders.cpp");
    fs::path file;
    for (const auto& e : fs::directory_iterator(s / "migrations")) file = e.path();
    std::string text = read_text(file);
    EXPECT_CONTAINS(text, ".revision = \"aaaaaaaaaaaa\"");
    EXPECT_CONTAINS(text, ".message = \"Add orders!\"");
    EXPECT_CONTAINS(text, ".upgrade = [](Ops& op) {");
    EXPECT_EQ(text.find(".down_revision"), std::string::npos) << "the first revision is a base";
    // With a file and no plugin built yet, the next revision asks for a build.
    auto second = retort({"revision", "-m", "next"}, s.dir());
    EXPECT_EQ(second.code, 2);
    EXPECT_CONTAINS(second.err, "build");
}

TEST(Cli, MergeJoinsTwoHeads) {
    Scratch s;
    fs::create_directories(s / "migrations");
    for (const auto& e : fs::directory_iterator(BRANCHES_MIGRATIONS)) fs::copy(e.path(), s / "migrations" / e.path().filename());
    auto r = retort({"--plugin", plugins().at("branches"), "--migrations", (s / "migrations").string(), "merge", "-m",
                     "join", "heads", "--rev-id", "bbbbbbbbbbbb"});
    ASSERT_EQ(r.code, 0) << r.err;
    fs::path merged;
    for (const auto& e : fs::directory_iterator(s / "migrations"))
        if (e.path().filename().string().find("bbbbbbbbbbbb") != std::string::npos) merged = e.path();
    ASSERT_FALSE(merged.empty());
    EXPECT_CONTAINS(read_text(merged), ".down_revision = {\"b1b1b1b1b1b1\", \"b2b2b2b2b2b2\"}");
}

TEST(Cli, FourProcessesUpgradingOneFileApplyEachRevisionOnce) {
    const int rounds = retort::testing::stress_rounds(20);
    for (int round = 0; round < rounds; ++round) {
        Scratch s;
        std::string db = (s / "db.sqlite").string();
        std::string cmd;
        for (int i = 0; i < 4; ++i) {
            cmd += shell_quote(RETORT_CLI) + " -q --plugin " + shell_quote(plugins().at("bookshop")) + " --url " +
                   shell_quote("sqlite:///" + db) + " upgrade heads > " + shell_quote((s / ("out" + std::to_string(i))).string()) +
                   " 2>&1; echo $? > " + shell_quote((s / ("rc" + std::to_string(i))).string()) + " &\n";
        }
        cmd += "wait\n";
        ASSERT_EQ(std::system(("sh -c " + shell_quote(cmd)).c_str()), 0);
        for (int i = 0; i < 4; ++i) {
            EXPECT_EQ(read_text(s / ("rc" + std::to_string(i))), "0\n")
                << "round " << round << ", process " << i << ": " << read_text(s / ("out" + std::to_string(i)));
        }
        auto history = retort(with("bookshop", s / "db.sqlite", {"current"}));
        EXPECT_EQ(history.out, "7a8b9c0d1e2f (head) (mergepoint)\n");
        // each revision exactly once in the history table
        std::string q = "sqlite3 " + shell_quote(db) +
                        " 'SELECT count(*), count(DISTINCT revision) FROM retort_version_history; SELECT count(*) FROM "
                        "retort_version' > " + shell_quote((s / "counts").string());
        ASSERT_EQ(std::system(q.c_str()), 0);
        EXPECT_EQ(read_text(s / "counts"), "7|7\n1\n") << "round " << round;
    }
}

}  // namespace
