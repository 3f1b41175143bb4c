// A revision: one migration's identity, its place in the graph and its bodies.
#pragma once

#include <retort/migration.hpp>

#include <string>
#include <vector>

namespace retort {

struct Revision {
    std::string id;
    std::vector<std::string> down_revisions;  // parents; several for a merge, none for a base
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;  // must be applied first, but are not parents
    std::string message;
    std::string create_date;
    std::string source_file;  // as the compiler saw it (__FILE__)
    /// SHA-256 of the source file as the build compiled it (from the plugin's
    /// manifest, or the manifest compiled into an application); "" when unknown.
    std::string source_sha256;
    OpsFn upgrade = nullptr;
    OpsFn downgrade = nullptr;  // nullptr: derived by reversing the upgrade
    bool irreversible = false;
    std::vector<std::string> acknowledge;  // lint codes
};

/// The migrations registered for a set (by RETORT_MIGRATION), in registration order.
const std::vector<Revision>& registered_revisions(std::string_view set);
/// The names of the sets that have registered migrations, sorted.
std::vector<std::string> registered_sets();

/// The file name part of a source path: "migrations/2026_x.cpp" -> "2026_x.cpp" (a
/// view into `path`).
std::string_view source_file_name(std::string_view path);

namespace detail {
/// Records the SHA-256 the build computed for one migration file of a set (by file
/// name), and fills Revision::source_sha256 of the revisions from that file,
/// registered before or after (static initializers run in no fixed order). Called
/// by the manifest compiled into an application's migrations library and by
/// Plugin::load with the plugin's manifest. Never throws.
void register_source_file(const char* set, const char* file_name, const char* sha256) noexcept;
/// Moves the revisions registered for a set out of the registry (a plugin's, once
/// loaded: Plugin keeps them), leaving the set empty.
std::vector<Revision> take_registered_revisions(std::string_view set);
}  // namespace detail

}  // namespace retort
