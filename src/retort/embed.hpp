// Migrating from inside an application: link the `<name>_migrations` library that
// retort_add_migrations() makes, and call upgrade_to_head() at start-up.
//
//     #include <retort/embed.hpp>
//     int main() {
//         retort::upgrade_to_head("sqlite:///bookshop.db");  // throws retort::Error
//     }
#pragma once

#include <string>
#include <vector>

namespace retort {

struct EmbedOptions {
    /// The migration set (retort_add_migrations' name); may be empty when the
    /// program links exactly one.
    std::string set;
    std::string version_table = "retort_version";
    /// One transaction for all pending migrations instead of one per migration.
    bool whole_run = false;
};

/// Upgrades the database at `url` to the head(s) of the linked migrations; safe
/// to call from several processes at once. Returns the heads after the upgrade.
/// Throws retort::Error (see retort/error.hpp) when a migration fails; the
/// database is then at the last revision that succeeded.
std::vector<std::string> upgrade_to_head(const std::string& url, const EmbedOptions& options = {});

/// The revision(s) the database is at ({} at base). Throws retort::Error when the
/// database does not exist: a SQLite file is never created just to be read.
std::vector<std::string> current_revision(const std::string& url, const EmbedOptions& options = {});

/// The number of migrations linked into this program for a set.
std::size_t linked_migration_count(const std::string& set = {});

}  // namespace retort
