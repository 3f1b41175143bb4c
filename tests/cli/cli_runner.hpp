// Running the built `retort` binary from a test: the exit code, stdout and stderr
// of one command, in a working directory of the test's own, with the RETORT_*
// environment variables unset so the developer's settings never leak in.
#pragma once

#include "scratch.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

struct Result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

using cli_files::read_text;
using cli_files::shell_quote;

inline void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// A folder of its own, removed at the end.
using TempDir = cli_files::Scratch;

/// Runs `retort <args>` in `cwd`.
inline Result retort(const fs::path& cwd, const std::vector<std::string>& args) {
    const fs::path out = cwd / ".retort_stdout", err = cwd / ".retort_stderr";
    std::string command = "cd " + shell_quote(cwd.string()) +
                          " && env -u RETORT_DATABASE_URL -u RETORT_PLUGIN -u RETORT_CONFIG NO_COLOR=1 " +
                          shell_quote(RETORT_CLI);
    for (const auto& a : args) command += " " + shell_quote(a);
    command += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    int status = std::system(command.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

/// Compiles a generated migration file (syntax and warnings) with the compiler
/// that built the tests; returns "" or the compiler's output.
inline std::string compile_errors(const fs::path& file) {
    const fs::path log = file.string() + ".log";
    std::string cmd = shell_quote(RETORT_CXX_COMPILER) + " -std=c++20 -Wall -Wextra -Wpedantic -Wshadow -Werror "
                      "-Wno-unused-parameter -fsyntax-only -I" + shell_quote(RETORT_SOURCE_DIR) + " " +
                      shell_quote(file.string()) + " > " + shell_quote(log.string()) + " 2>&1";
    int status = std::system(cmd.c_str());
    std::string out = status == 0 ? std::string() : "exit " + std::to_string(status) + ": " + read_text(log);
    fs::remove(log);
    return out;
}

/// The lines of a text, without their '\n'.
inline std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// A copy of the example's migrations folder (the plugin accepts it: same files,
/// same hashes), so that nothing a test writes lands in the source tree.
inline fs::path copy_bookshop_migrations(const TempDir& dir) {
    fs::path to = dir / "migrations";
    fs::create_directories(to);
    for (const auto& entry : fs::directory_iterator(RETORT_BOOKSHOP_MIGRATIONS))
        if (entry.path().extension() == ".cpp") fs::copy_file(entry.path(), to / entry.path().filename());
    return to;
}

/// The bookshop schema at head as SQLite DDL: what MODELS_SQL would hold.
inline const char* bookshop_models_sql() {
    return R"sql(-- The bookshop at head, as the models in SQL.
CREATE TABLE authors (
    id INTEGER NOT NULL,
    name VARCHAR(200) NOT NULL,
    born DATE,
    CONSTRAINT pk_authors PRIMARY KEY (id)
);
CREATE TABLE books (
    id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    title VARCHAR(300) NOT NULL,
    price NUMERIC(10, 2) DEFAULT 0 NOT NULL,
    published DATE,
    isbn VARCHAR(20),
    slug VARCHAR(300),
    CONSTRAINT pk_books PRIMARY KEY (id),
    CONSTRAINT fk_books_author_id_authors FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE
);
CREATE INDEX ix_books_author_id ON books (author_id);
CREATE UNIQUE INDEX uq_books_isbn ON books (isbn) WHERE isbn IS NOT NULL;
CREATE TABLE reviews (
    id INTEGER NOT NULL,
    book_id INTEGER NOT NULL,
    rating SMALLINT NOT NULL,
    body TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT pk_reviews PRIMARY KEY (id),
    CONSTRAINT fk_reviews_book_id_books FOREIGN KEY (book_id) REFERENCES books (id) ON DELETE CASCADE,
    CONSTRAINT ck_reviews_rating CHECK (rating BETWEEN 1 AND 5)
);
CREATE INDEX ix_reviews_book_id ON reviews (book_id);
)sql";
}

/// Runs SQL on a SQLite file directly (changes made "by hand").
inline void exec_sql(const fs::path& db, const std::string& sql) {
    SQLite::Database d(db.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    d.exec(sql);
}

}  // namespace cli_test
