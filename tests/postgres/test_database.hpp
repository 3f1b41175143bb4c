// The PostgreSQL server of the test suite, for C++ tests: where it is, and a
// database of a test's own, created on construction and dropped on destruction,
// so tests can run in parallel (ctest -j). Header-only; link retort_postgres.
//
//     retort::testing::TestDatabase db("my_test");
//     auto session = retort::connect(db.url());
//
// The server is RETORT_TEST_POSTGRES_URL when set, else the URL in the file named by
// RETORT_TEST_POSTGRES_URL_FILE (written by the CTest fixture of
// tests/postgres/PostgresFixture.cmake).
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/dialect/url.hpp>
#include <retort/error.hpp>
#include <retort/postgres/postgres.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

namespace retort::testing {

/// The server URL, or "" when the tests were not given one.
inline std::string postgres_server_url() {
    if (const char* url = std::getenv("RETORT_TEST_POSTGRES_URL"); url && *url) return url;
    if (const char* file = std::getenv("RETORT_TEST_POSTGRES_URL_FILE"); file && *file) {
        std::ifstream in(file);
        std::string url;
        if (in && std::getline(in, url) && !url.empty()) return url;
    }
    return {};
}

/// Why there is no server URL, with what to do.
inline std::string postgres_server_missing() {
    return "no PostgreSQL server for the tests: run them through ctest (the fixture test "
           "retort_postgres_server_start starts one), or set RETORT_TEST_POSTGRES_URL to a server where the "
           "user may CREATE DATABASE";
}

/// `url` with its database replaced.
inline std::string url_with_database(const std::string& url, const std::string& database) {
    Url parsed = Url::parse(url);
    parsed.database = database;
    return parsed.str();
}

/// A database for one test. Throws std::runtime_error when there is no server.
class TestDatabase {
public:
    explicit TestDatabase(std::string_view label) {
        retort::postgres::register_dialect();
        m_server = postgres_server_url();
        if (m_server.empty()) throw std::runtime_error(postgres_server_missing());
        static std::atomic<int> counter{0};
        auto stamp = std::chrono::steady_clock::now().time_since_epoch().count() % 1000000;
        std::string name = "retort_t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                           std::to_string(stamp) + "_";
        for (char c : label) {
            if (name.size() >= 63) break;
            name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
        }
        m_name = name;
        auto admin = retort::connect(m_server);
        // FILE_COPY (PostgreSQL 15+) copies the small template faster than logging it.
        try {
            admin->exec("CREATE DATABASE \"" + m_name + "\" STRATEGY = FILE_COPY");
        } catch (const retort::Error&) {
            admin->exec("CREATE DATABASE \"" + m_name + "\"");
        }
        m_url = url_with_database(m_server, m_name);
    }

    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    ~TestDatabase() {
        // Best effort: a database left behind goes with the cluster when the fixture
        // stops the server; an exception here would hide the test's own failure.
        try {
            auto admin = retort::connect(m_server);
            try {
                admin->exec("DROP DATABASE IF EXISTS \"" + m_name + "\" WITH (FORCE)");
            } catch (const retort::Error&) {
                admin->exec("DROP DATABASE IF EXISTS \"" + m_name + "\"");  // servers before 13
            }
        } catch (...) {
        }
    }

    const std::string& name() const { return m_name; }
    /// The URL of this database.
    const std::string& url() const { return m_url; }
    /// The URL of the server's maintenance database (for CREATE DATABASE and the like).
    const std::string& server_url() const { return m_server; }

private:
    std::string m_server;
    std::string m_name;
    std::string m_url;
};

}  // namespace retort::testing
