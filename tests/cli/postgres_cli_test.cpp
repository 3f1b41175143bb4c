// The `retort` CLI against the suite's PostgreSQL server, as users run it: eight
// processes upgrading one database at once (50 times), bad input (a closed port,
// a wrong password, a missing database, a role without CREATE, a server process
// killed in the middle of a migration), timeouts from retort.toml, an
// environment that forbids downgrades, and `check` and `revision --autogenerate`
// finding nothing on a database upgraded to head. Each case asserts the exit
// code, the message and that nothing changed. Every test makes its own database
// (tests/postgres/test_database.hpp), so ctest -j is safe.
#include "../postgres/test_database.hpp"
#include "../stress_rounds.hpp"
#include "scratch.hpp"

#include <retort/dialect/dialect.hpp>
#include <retort/dialect/url.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace cli_files;
using retort::testing::TestDatabase;

#define EXPECT_CONTAINS(haystack, needle) \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "expected \"" << (needle) << "\" in:\n" << (haystack)

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

/// The environment without RETORT_* (the developer's settings never leak in).
std::vector<std::string> clean_environment() {
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "RETORT_", 7) != 0) out.emplace_back(*e);
    out.emplace_back("NO_COLOR=1");
    return out;
}

/// Starts `retort <args>` in `cwd`, its output in `out` and `err`; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& out, const fs::path& err) {
    std::vector<std::string> argv_text{RETORT_CLI};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text = clean_environment();
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    pid_t pid = -1;
    int rc = posix_spawn(&pid, RETORT_CLI, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + std::string(RETORT_CLI) + ": " + std::strerror(rc));
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Result retort(const std::vector<std::string>& args, const fs::path& cwd = fs::temp_directory_path()) {
    static int counter = 0;
    const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
    const fs::path out = fs::temp_directory_path() / ("retort_pg_cli_out_" + tag);
    const fs::path err = fs::temp_directory_path() / ("retort_pg_cli_err_" + tag);
    Result r;
    r.code = wait_for(spawn(args, cwd, out, err));
    r.out = read_text(out);
    r.err = read_text(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

std::vector<std::string> with_plugin(const char* plugin, const std::string& url, std::vector<std::string> args) {
    std::vector<std::string> out{"--plugin", plugin, "--url", url};
    out.insert(out.end(), args.begin(), args.end());
    return out;
}

std::string value(retort::DbSession& s, const std::string& sql) {
    auto rows = s.query(sql);
    if (rows.empty() || rows[0].empty() || !rows[0][0]) return "NULL";
    return *rows[0][0];
}

/// The state a run leaves: version table, history, tables.
std::string state_of(const std::string& url) {
    auto s = retort::connect(url);
    std::string out = "tables: " + value(*s, "SELECT coalesce(string_agg(tablename, ',' ORDER BY tablename), '') "
                                             "FROM pg_tables WHERE schemaname = 'public'");
    if (out.find("retort_version") != std::string::npos) {
        out += "; version: " + value(*s, "SELECT string_agg(version_num, ',' ORDER BY version_num) FROM retort_version");
        out += "; history: " + value(*s, "SELECT string_agg(revision || ' ' || how, ',' ORDER BY revision) FROM "
                                         "retort_version_history");
    }
    return out;
}

bool external_server() {
    const char* url = std::getenv("RETORT_TEST_POSTGRES_URL");
    return url && *url;
}

class PostgresCli : public ::testing::Test {
protected:
    void SetUp() override {
        retort::postgres::register_dialect();
        if (retort::testing::postgres_server_url().empty()) GTEST_FAIL() << retort::testing::postgres_server_missing();
    }
};

// ---- concurrency ------------------------------------------------------------------

TEST_F(PostgresCli, EightProcessesUpgradingOneDatabaseAtOnceApplyEachRevisionOnceFiftyTimesOver) {
    const int rounds = retort::testing::stress_rounds(50);
    constexpr int processes = 8;
    Scratch scratch;
    for (int round = 0; round < rounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        TestDatabase db("eight_at_once");
        std::vector<pid_t> pids;
        for (int p = 0; p < processes; ++p)
            pids.push_back(spawn(with_plugin(BOOKSHOP_PLUGIN, db.url(), {"--migrations", BOOKSHOP_MIGRATIONS, "upgrade", "head"}),
                                 scratch.dir(), scratch / ("out" + std::to_string(p)), scratch / ("err" + std::to_string(p))));
        int applied = 0;
        for (int p = 0; p < processes; ++p) {
            const int code = wait_for(pids[p]);
            const std::string out = read_text(scratch / ("out" + std::to_string(p)));
            ASSERT_EQ(code, 0) << "process " << p << ": " << read_text(scratch / ("err" + std::to_string(p)));
            if (out.find("migrations applied") != std::string::npos) ++applied;
        }
        EXPECT_EQ(applied, 1) << "one process applied the migrations; the others found nothing to do";
        auto s = retort::connect(db.url());
        EXPECT_EQ(value(*s, "SELECT string_agg(version_num, ',') FROM retort_version"), "7a8b9c0d1e2f");
        EXPECT_EQ(value(*s, "SELECT count(*) FROM retort_version_history"), "7");
        EXPECT_EQ(value(*s, "SELECT count(DISTINCT revision) FROM retort_version_history WHERE how = 'upgrade'"), "7");
        // The lock goes with the session: a backend may still be ending when its client
        // has exited, so the count is read until it settles (other tests' databases apart).
        std::string locks;
        for (int i = 0; i < 100 && locks != "0"; ++i) {
            if (i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            locks = value(*s, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                              "(SELECT oid FROM pg_database WHERE datname = current_database())");
        }
        EXPECT_EQ(locks, "0");
        if (HasFailure()) break;
    }
}

// ---- bad input ----------------------------------------------------------------------

TEST_F(PostgresCli, AClosedPortIsConnectionRefusedWithWhereTheServerShouldBe) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const std::string port = std::to_string(ntohs(addr.sin_port));
    ::close(fd);  // nothing listens there now
    const std::string url = "postgresql://app:pw-closed-77@127.0.0.1:" + port + "/shop";
    Result r = retort(with_plugin(BOOKSHOP_PLUGIN, url, {"upgrade", "head"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "cannot connect to PostgreSQL at postgresql://app:***@127.0.0.1:" + port +
                               "/shop: connection refused: is the server running on 127.0.0.1:" + port + "?");
    EXPECT_EQ((r.out + r.err).find("pw-closed-77"), std::string::npos) << r.err;
}

TEST_F(PostgresCli, AServerThatNeverAnswersDoesNotHoldUpACommandThatFailedForAnotherReason) {
    // These verbs start connecting before they load the plugin; a missing plugin
    // fails them meanwhile, and the attempt is given up instead of waited for.
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);  // not inherited: closing it resets the connections
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 16), 0);  // connections complete, and are never answered
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const std::string url = "postgresql://app:pw@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
                            "/shop?connect_timeout=0";  // libpq alone would wait forever
    Scratch scratch;
    const std::vector<std::vector<std::string>> commands{
        {"check", "--against", "db"}, {"current"}, {"upgrade", "head"}};
    for (const auto& command : commands) {
        SCOPED_TRACE(command.front());
        std::vector<std::string> args{"--plugin", (scratch / "missing_plugin.so").string(), "--url", url};
        args.insert(args.end(), command.begin(), command.end());
        const pid_t pid = spawn(args, scratch.dir(), scratch / "out", scratch / "err");
        // Only a hang detector: a command waiting for the server never ends, so after a
        // minute the server goes away to end it (and the test fails).
        int status = 0;
        bool ended = false;
        for (int i = 0; i < 600 && !ended; ++i) {
            ended = waitpid(pid, &status, WNOHANG) == pid;
            if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!ended) {
            ::close(fd);
            fd = -1;
            waitpid(pid, &status, 0);
        }
        ASSERT_TRUE(ended) << "retort " << command.front() << " waited for the server after it had failed";
        EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2) << read_text(scratch / "err");
        EXPECT_CONTAINS(read_text(scratch / "err"), "missing_plugin.so");
    }
    if (fd >= 0) ::close(fd);
}

TEST_F(PostgresCli, AWrongPasswordIsReportedWithoutAnyPasswordAndChangesNothing) {
    if (external_server()) GTEST_SKIP() << "an external server may trust every login";
    TestDatabase db("wrong_password");
    retort::Url url = retort::Url::parse(db.url());
    const std::string real = url.password;
    url.password = "not-the-password-42";
    Result r = retort(with_plugin(BOOKSHOP_PLUGIN, url.str(), {"upgrade", "head"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "password authentication failed for user \"" + url.user + "\"");
    EXPECT_CONTAINS(r.err, "it is not shown here");
    EXPECT_EQ((r.out + r.err).find("not-the-password-42"), std::string::npos) << r.err;
    EXPECT_EQ((r.out + r.err).find(real), std::string::npos) << r.err;
    EXPECT_EQ(state_of(db.url()), "tables: ");
}

TEST_F(PostgresCli, AMissingDatabaseSaysHowToCreateItAndIsNotCreated) {
    TestDatabase db("missing_database");  // for the server's address
    const std::string missing = "retort_missing_" + std::to_string(::getpid());
    Result r = retort(with_plugin(BOOKSHOP_PLUGIN, retort::testing::url_with_database(db.url(), missing), {"upgrade", "head"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "database \"" + missing + "\" does not exist; create it with createdb " + missing);
    auto admin = retort::connect(db.server_url());
    EXPECT_EQ(value(*admin, "SELECT count(*) FROM pg_database WHERE datname = '" + missing + "'"), "0");
}

TEST_F(PostgresCli, ARoleWithoutCreateIsDeniedWithTheGrantToAskForAndNothingChanges) {
    TestDatabase db("no_create");
    const std::string role = "retort_nocreate_" + std::to_string(::getpid());
    {
        auto admin = retort::connect(db.url());
        try {
            admin->exec("CREATE ROLE " + role + " LOGIN PASSWORD 'role-pw-5150'");
        } catch (const retort::Error& e) {
            GTEST_SKIP() << "the test user cannot create roles: " << e.what();
        }
        admin->exec("REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT CONNECT ON DATABASE \"" + db.name() + "\" TO " +
                    role);
    }
    retort::Url url = retort::Url::parse(db.url());
    url.user = role;
    url.password = "role-pw-5150";
    Result r = retort(with_plugin(BOOKSHOP_PLUGIN, url.str(), {"upgrade", "head"}));
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "PostgreSQL: permission denied for schema public");
    EXPECT_CONTAINS(r.err, "the database user lacks a privilege this statement needs");
    EXPECT_CONTAINS(r.err, "CREATE TABLE");
    EXPECT_EQ((r.out + r.err).find("role-pw-5150"), std::string::npos) << r.err;
    EXPECT_EQ(state_of(db.url()), "tables: ");
    auto admin = retort::connect(db.server_url());
    admin->exec("DROP DATABASE IF EXISTS \"" + db.name() + "\" WITH (FORCE)");
    admin->exec("DROP ROLE " + role);
}

TEST_F(PostgresCli, AServerProcessKilledMidMigrationLeavesTheLastGoodRevisionAndTheNextRunRecovers) {
    TestDatabase db("killed");
    Scratch scratch;
    // The second migration sleeps while this session setting says so.
    const std::string slow = db.url() + "?options=-c%20retort_test.sleep%3D300";
    pid_t pid = spawn(with_plugin(PLUGIN_pg_slow, slow, {"upgrade", "head"}), scratch.dir(), scratch / "out",
                      scratch / "err");
    auto admin = retort::connect(db.server_url());
    std::string backend;
    for (int i = 0; i < 1200 && backend.empty(); ++i) {
        auto rows = admin->query("SELECT pid FROM pg_stat_activity WHERE datname = '" + db.name() +
                                 "' AND state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
        if (!rows.empty() && rows[0][0]) backend = *rows[0][0];
        if (backend.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(backend.empty()) << "the slow migration never started: " << read_text(scratch / "err");
    admin->query("SELECT pg_terminate_backend(" + backend + ")");
    EXPECT_EQ(wait_for(pid), 1);
    const std::string err = read_text(scratch / "err");
    EXPECT_CONTAINS(err, "lost the connection to PostgreSQL at postgresql://");
    EXPECT_CONTAINS(err, ":***@");
    EXPECT_CONTAINS(err, "the server rolled back the open transaction, so nothing of it was kept");
    EXPECT_CONTAINS(err, "5a0000000002");
    // Nothing of the killed migration was kept: its table is not there.
    EXPECT_EQ(state_of(db.url()),
              "tables: orders,retort_version,retort_version_history; version: 5a0000000001; history: 5a0000000001 "
              "upgrade");

    // The next run says where the database is, then finishes the job.
    Result current = retort(with_plugin(PLUGIN_pg_slow, db.url(), {"current"}));
    EXPECT_EQ(current.code, 0) << current.err;
    EXPECT_CONTAINS(current.out, "5a0000000001");
    Result again = retort(with_plugin(PLUGIN_pg_slow, db.url(), {"upgrade", "head"}));
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_CONTAINS(again.out, "Now at 5a0000000003 (2 migrations applied)");
    EXPECT_EQ(state_of(db.url()),
              "tables: orders,payments,retort_version,retort_version_history; version: 5a0000000003; history: "
              "5a0000000001 upgrade,5a0000000002 upgrade,5a0000000003 upgrade");
}

TEST_F(PostgresCli, TimeoutsFromRetortTomlStopASlowMigrationAndKeepTheLastGoodRevision) {
    TestDatabase db("timeouts");
    Scratch scratch;
    std::ofstream(scratch / "retort.toml")
        << "[retort]\nenvironment = \"ci\"\n[environments.ci]\nurl = \"" << db.url()
        << "?options=-c%20retort_test.sleep%3D30\"\nstatement_timeout = \"300ms\"\nlock_timeout = \"2s\"\n";
    Result r = retort({"--plugin", PLUGIN_pg_slow, "upgrade", "head"}, scratch.dir());
    EXPECT_EQ(r.code, 1);
    EXPECT_CONTAINS(r.err, "canceling statement due to statement timeout");
    EXPECT_CONTAINS(r.err, "statement_timeout (or a cancel request) stopped the statement");
    EXPECT_CONTAINS(r.err, "the database is still at 5a0000000001");
    EXPECT_EQ(state_of(db.url()),
              "tables: orders,retort_version,retort_version_history; version: 5a0000000001; history: 5a0000000001 "
              "upgrade");
}

TEST_F(PostgresCli, AnEnvironmentThatForbidsDowngradesRefusesThemOnPostgresToo) {
    TestDatabase db("no_downgrade");
    Scratch scratch;
    std::ofstream(scratch / "retort.toml") << "[retort]\nenvironment = \"prod\"\n[environments.prod]\nurl = \""
                                           << db.url() << "\"\nallow_downgrade = false\n";
    Result up = retort({"--plugin", PLUGIN_pg_slow, "upgrade", "head"}, scratch.dir());
    ASSERT_EQ(up.code, 0) << up.err;
    const std::string before = state_of(db.url());
    Result r = retort({"--plugin", PLUGIN_pg_slow, "downgrade", "-1"}, scratch.dir());
    EXPECT_EQ(r.code, 2);
    EXPECT_CONTAINS(r.err, "not allowed");
    EXPECT_CONTAINS(r.err, "forward fix");
    EXPECT_EQ(state_of(db.url()), before);
}

// ---- one history, two dialects ---------------------------------------------------

TEST_F(PostgresCli, ARenderCheckNamesTheOpADialectCannotExpress) {
    // The pg_slow migrations use an array column: PostgreSQL renders every op,
    // SQLite cannot (DIALECTS sqlite postgresql fails the build with this).
    Result pg = retort({"--plugin", PLUGIN_pg_slow, "check", "--no-models", "--dialect", "postgresql"});
    EXPECT_EQ(pg.code, 0) << pg.err;
    Result lite = retort({"--plugin", PLUGIN_pg_slow, "check", "--no-models", "--dialect", "sqlite"});
    EXPECT_EQ(lite.code, 1);
    EXPECT_CONTAINS(lite.err, "1 op of the migrations cannot be expressed in sqlite:\n"
                              "  5a0000000001 upgrade: create_table orders: SQLite has no array types (text[])\n"
                              "    file: ");
    EXPECT_CONTAINS(lite.err, "20261201_0900-5a0000000001_orders.cpp");
}

// ---- boolean defaults -------------------------------------------------------------------

TEST_F(PostgresCli, BooleanDefaultsWrittenOneAndZeroUpgradeAndCheckClean) {
    // server_default("0") / ("1") on boolean columns, as the tutorial writes them for
    // SQLite: the server refuses DEFAULT 0 on a boolean, so Retort writes FALSE / TRUE.
    TestDatabase db("booleans");
    Result up = retort(with_plugin(PLUGIN_booleans, db.url(), {"upgrade", "head"}));
    ASSERT_EQ(up.code, 0) << up.err;
    auto s = retort::connect(db.url());
    s->exec("INSERT INTO tasks (id) VALUES (1)");
    EXPECT_EQ(value(*s, "SELECT done::text || ',' || starred::text FROM tasks"), "false,true");
    Result live = retort(with_plugin(PLUGIN_booleans, db.url(), {"check", "--against", "db"}));
    EXPECT_EQ(live.code, 0) << live.out << live.err;
    Result sql = retort(with_plugin(PLUGIN_booleans, db.url(), {"upgrade", "head", "--sql"}));
    EXPECT_CONTAINS(sql.out, "\"done\" BOOLEAN NOT NULL DEFAULT FALSE");
    EXPECT_CONTAINS(sql.out, "\"starred\" BOOLEAN DEFAULT TRUE");
}

// ---- autogenerate and check at head --------------------------------------------------

TEST_F(PostgresCli, AtHeadCheckFindsNoDifferenceEitherWayAndAutogenerateWritesNoFile) {
    TestDatabase db("idempotence");
    Scratch scratch;
    // A copy of the example's migrations (same files, same hashes: the plugin takes
    // it), so that a file autogenerate wrote would land there.
    const fs::path migrations = scratch / "migrations";
    fs::create_directories(migrations);
    for (const auto& entry : fs::directory_iterator(BOOKSHOP_MIGRATIONS))
        if (entry.path().extension() == ".cpp") fs::copy_file(entry.path(), migrations / entry.path().filename());
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--migrations", migrations.string()});
        return retort(with_plugin(BOOKSHOP_PLUGIN, db.url(), args), scratch.dir());
    };
    const std::string models = std::string("models (models module ") + BOOKSHOP_MODELS + ")";
    const std::string shown = retort::connect(db.url())->describe();

    Result up = run({"upgrade", "head"});
    ASSERT_EQ(up.code, 0) << up.err;

    // The models against the migrations replayed, spelled as PostgreSQL stores them.
    Result head = run({"check", "--models", BOOKSHOP_MODELS});
    EXPECT_EQ(head.code, 0) << head.out << head.err;
    EXPECT_EQ(head.out, "No differences: " + models + " match migrations at head (7a8b9c0d1e2f)\n");
    Result json = run({"check", "--models", BOOKSHOP_MODELS, "--json"});
    EXPECT_EQ(json.code, 0) << json.err;
    EXPECT_CONTAINS(json.out, "\"dialect\": \"postgresql\"");

    // The live database against its migrations, and the models against it.
    Result live = run({"check", "--against", "db", "--models", BOOKSHOP_MODELS});
    EXPECT_EQ(live.code, 0) << live.out << live.err;
    EXPECT_EQ(live.out, "No differences: database (" + shown +
                            ") match migrations at the database's revision (7a8b9c0d1e2f)\n"
                            "No differences: " + models + " match database (" + shown + ")\n");
    EXPECT_EQ(live.err, "") << "nothing unmodeled, skipped or warned about";

    // What the model has no kind for is listed once, never drift, also beside a
    // difference (it is asked for while the schemas are compared).
    auto s = retort::connect(db.url());
    s->exec("CREATE VIEW cheap_books AS SELECT * FROM books WHERE price < 5");
    s->exec("CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM books'");
    live = run({"check", "--against", "db", "--models", BOOKSHOP_MODELS});
    EXPECT_EQ(live.code, 0) << live.out << live.err;
    EXPECT_EQ(live.err, "retort: not compared: function book_count, view cheap_books\n");
    s->exec("ALTER TABLE books ADD COLUMN subtitle text");
    live = run({"check", "--against", "db", "--models", BOOKSHOP_MODELS});
    EXPECT_EQ(live.code, 3) << live.out << live.err;
    EXPECT_CONTAINS(live.out, "database: added column books.subtitle text");
    EXPECT_CONTAINS(live.err, "not compared: function book_count, view cheap_books");
    s->exec("DROP VIEW cheap_books; DROP FUNCTION book_count(); ALTER TABLE books DROP COLUMN subtitle");
    s.reset();

    // Nothing to generate: no file is written.
    Result gen = run({"revision", "--autogenerate", "-m", "x", "--models", BOOKSHOP_MODELS});
    EXPECT_EQ(gen.code, 0) << gen.out << gen.err;
    EXPECT_EQ(gen.out, "No changes detected: the models match the migrations at 7a8b9c0d1e2f\n");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(migrations)) files.push_back(entry.path().filename().string());
    EXPECT_EQ(files.size(), 7u) << "autogenerate wrote a file";
}

}  // namespace
