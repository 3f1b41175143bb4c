// Printing: plain text on stdout, errors on stderr, colors only on a terminal and
// without NO_COLOR; shared revision formats (Alembic's, so users feel at home).
#pragma once

#include <retort/revision/graph.hpp>
#include <retort/runtime/migrator.hpp>

#include <string>
#include <vector>

namespace retort::cli {

/// Whether stdout gets colors.
bool use_color(bool no_color_flag);

/// "a1b2c3d4e5f6 (label) (head)" with optional (branchpoint)/(mergepoint)/(current).
std::string revision_tags(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current);
/// "<parent> -> <id> (head), message" as `history` prints it.
std::string history_line(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current);
/// The multi-line block `history --verbose` and `show` print.
std::string verbose_block(const RevisionGraph& graph, const Revision& r, const std::vector<std::string>& current);
/// "base" or the heads joined by ", ".
std::string heads_text(const std::vector<std::string>& heads);

/// Prints the steps of a run as they happen ("Running upgrade a -> b, message").
void print_step(const StepEvent& event, bool quiet);

}  // namespace retort::cli
