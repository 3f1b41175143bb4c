// The render pass of `retort check --dialect D`: every op of every revision, up
// and down, rendered in one dialect against the schema replay gives before it, so
// that a migration a dialect cannot express (an array column on SQLite) fails the
// build naming the op instead of failing a deploy.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/error.hpp>
#include <retort/revision/graph.hpp>

#include <string>
#include <vector>

namespace retort {

/// One op a dialect could not render.
struct RenderProblem {
    std::string revision;
    std::string file;
    std::string direction;  // "upgrade" or "downgrade"
    std::string op;         // describe() of the op
    std::string message;    // the dialect's reason
};

/// Renders the upgrade and downgrade ops of every revision of `graph` (parents
/// first, each against the replayed schema before it; downgrades of irreversible
/// revisions are left out) with `dialect`, executing nothing. Returns what did not
/// render, in order; an op that does not replay is reported too.
std::vector<RenderProblem> check_renders(const RevisionGraph& graph, const Dialect& dialect);

/// The error for a non-empty list: kind migration, each problem on a line of its
/// own with its revision, file and op.
Error render_problems_error(const std::vector<RenderProblem>& problems, const Dialect& dialect);

}  // namespace retort
