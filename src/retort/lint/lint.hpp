// Lint: what a migration's upgrade does that can lose data, block writes for long,
// fail on rows that exist, or stop a downgrade. Found on the replayed schema (no
// database), each finding with a stable code and the line of the op in the
// migration file. `retort lint` and the build's lint step print them; a migration
// acknowledges a finding it means with `.acknowledge = {"RT101"}`. docs/safety.md
// lists the rules with an example each.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/revision/graph.hpp>

#include <string>
#include <vector>

namespace retort {

/// A rule: a stable code ("RT102"), a short name ("drop-column") and what it finds.
struct LintRule {
    const char* code;
    const char* name;
    const char* summary;
};

/// Every rule, by code.
const std::vector<LintRule>& lint_rules();
/// The rule with this code, or nullptr.
const LintRule* find_lint_rule(std::string_view code);

struct LintFinding {
    std::string code;      // "RT102"
    std::string rule;      // "drop-column"
    std::string revision;  // the revision id
    std::string file;      // the migration file
    int line = 0;          // of the op in `file`; 0 when unknown
    std::string op;        // the op, described ("drop_column books.isbn"); "" for a whole migration
    std::string message;   // what it does and why that is a risk
    std::string hint;      // what to do instead, or how to acknowledge it
    bool acknowledged = false;  // listed in the migration's .acknowledge
};

struct LintOptions {
    /// Where to read a migration file when its recorded path (__FILE__) cannot be
    /// read (a plugin built elsewhere): this folder and the file's name.
    std::string migrations_dir;
};

/// Lints the upgrade of every revision (parents first), each against the schema
/// its parents leave (replayed). `dialect` decides the dialect-specific rules
/// through its capabilities and Dialect::rebuilt_table() (SQLite's table
/// rebuilds); ops only for another dialect are skipped. A migration whose ops do
/// not replay is left for the drift check to report. Findings are in revision
/// order, then line order; acknowledged ones are included, marked.
///
///     for (const auto& f : lint(graph, dialect)) if (!f.acknowledged) std::cout << f.message;
std::vector<LintFinding> lint(const RevisionGraph& graph, const Dialect& dialect, const LintOptions& options = {});

/// `file:line: warning: RT102: <message> [drop-column]` (`error:` with `as_error`),
/// the compiler format IDEs and CI annotate.
std::string format_finding(const LintFinding& finding, bool as_error);

}  // namespace retort
