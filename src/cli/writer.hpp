// Writing new migration files: `revision`, `merge` and autogenerate.
#pragma once

#include <string>
#include <vector>

namespace retort::cli {

struct NewRevision {
    std::string id;
    std::vector<std::string> down_revisions;
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;
    std::string message;
    std::string create_date;  // "YYYY-MM-DD HH:MM:SS", local time
    std::string upgrade_body;    // statements, already indented by 8 spaces
    std::string downgrade_body;  // idem
};

/// 12 random hex digits.
std::string new_revision_id();
/// The current local time as "YYYY-MM-DD HH:MM:SS".
std::string local_now();
/// "<YYYYMMDD_HHMM>-<id>_<slug>.cpp".
std::string migration_file_name(const NewRevision& r);
/// The migration's C++ source.
std::string render_migration(const NewRevision& r);
/// Writes it into `dir` (created if needed) and returns the path. Throws
/// retort::Error (config) when the file exists or cannot be written.
std::string write_migration(const std::string& dir, const NewRevision& r);
/// A C++ string literal for `s`.
std::string cpp_literal(const std::string& s);

}  // namespace retort::cli
