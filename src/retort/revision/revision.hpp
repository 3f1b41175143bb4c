// A revision: one migration's identity, its place in the graph and its bodies.
#pragma once

#include <retort/migration.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort {

/// Text a revision keeps as a view, not a copy: its migration's string literals, or
/// a plugin's constant data (a plugin is never unloaded). Thousands of revisions are
/// registered at start-up, and copying their texts was most of a read-only command's
/// memory. It cannot be made from a std::string, whose buffer would not outlive it.
class StaticText : public std::string_view {
public:
    constexpr StaticText() = default;
    constexpr StaticText(const char* text) : std::string_view(text ? text : "") {}
    /// For text that outlives the revision (say so where it is built).
    constexpr explicit StaticText(std::string_view text) : std::string_view(text) {}
    StaticText(const std::string&) = delete;
    StaticText(std::string&&) = delete;

    /// A copy, for the code (messages mostly) that builds strings from it.
    operator std::string() const { return std::string(data(), size()); }
};

/// A copy of `text` kept for the rest of the process: for a revision built at run
/// time (a test, a tool) rather than from a migration's literals.
StaticText keep_text(std::string_view text);

inline std::string operator+(std::string lhs, StaticText rhs) { return lhs.append(rhs); }
inline std::string operator+(const char* lhs, StaticText rhs) { return std::string(lhs).append(rhs); }
inline std::string operator+(StaticText lhs, std::string_view rhs) { return std::string(lhs).append(rhs); }
inline std::string operator+(StaticText lhs, const char* rhs) { return std::string(lhs).append(rhs); }

struct Revision {
    std::string id;
    std::vector<std::string> down_revisions;  // parents; several for a merge, none for a base
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;  // must be applied first, but are not parents
    StaticText message;
    StaticText create_date;
    StaticText source_file;  // as the compiler saw it (__FILE__)
    /// SHA-256 of the source file as the build compiled it (from the plugin's
    /// manifest, or the manifest compiled into an application); "" when unknown.
    StaticText source_sha256;
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
/// by the manifest compiled into an application's migrations library, with its
/// constant data: the revisions keep views of `sha256`. Never throws.
void register_source_file(const char* set, const char* file_name, const char* sha256) noexcept;
/// Moves the revisions registered for a set out of the registry (a plugin's, once
/// loaded: Plugin keeps them), leaving the set empty.
std::vector<Revision> take_registered_revisions(std::string_view set);
}  // namespace detail

}  // namespace retort
