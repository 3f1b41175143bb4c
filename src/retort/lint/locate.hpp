// Where a migration's ops are written: the line of each op's builder call in the
// migration file, found by reading the file's text, so lint can print
// `file:line: warning: ...` without the builders recording __LINE__ (a
// std::source_location default argument on every builder call would cost every
// migration file compile time; see docs/safety.md).
#pragma once

#include <retort/ops/ops.hpp>

#include <string_view>
#include <vector>

namespace retort {

/// The 1-based line of each op of a migration's upgrade body in `text` (the
/// migration file). The body is the `.upgrade = ...` of the RETORT_MIGRATION whose
/// `.revision` is `revision`, up to its `.downgrade` (comments left out). Ops are
/// matched to builder calls in order: the next `name(` call of the op's builder
/// (`drop_column`, `alter_column` or `rename_column`, `execute`, `run`, ...) whose
/// arguments hold the op's table as a string literal; the cursor then moves past
/// that call. An op a previous call made (the unique constraint or index of
/// `add_column(col(...).unique())`), or one built in a helper or a loop, gets the
/// line of the previous match, else the line of `.upgrade`, else 0.
///
///     auto lines = locate_upgrade_ops(read_file(r.source_file), r.id, record_ops(r.upgrade));
std::vector<int> locate_upgrade_ops(std::string_view text, std::string_view revision, const std::vector<Op>& ops);

}  // namespace retort
