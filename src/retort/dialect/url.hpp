// Database URLs: sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory:,
// postgresql://user:password@host:port/db?sslmode=require, postgresql:///db?host=/run/pg.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace retort {

struct Url {
    std::string scheme;  // "sqlite", "postgresql" ("postgres" is accepted and normalized)
    std::string user;
    std::string password;
    std::string host;
    int port = 0;  // 0: default
    /// SQLite: the file path (relative or absolute, or ":memory:"); PostgreSQL: the database name.
    std::string database;
    std::map<std::string, std::string> query;

    /// Throws retort::Error (kind config) naming the URL, password masked, and the
    /// accepted forms.
    static Url parse(std::string_view text);

    /// The URL with the password replaced by "***": safe to print.
    std::string masked() const;
    /// The full URL (password included): never print it.
    std::string str() const;
};

/// Replaces the password of every URL inside `text` with "***".
std::string mask_passwords(std::string_view text);

}  // namespace retort
