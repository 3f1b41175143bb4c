// Autogenerate, part two: ops rendered as the C++ statements of a migration's
// upgrade and downgrade lambdas, in the style of hand-written migrations
// (`op.add_column("books", col("isbn", varchar(20)));`), with a
// `// REVIEW: ...` line above each op a reviewer must look at.
//
//     auto d = autogen::diff(head, models, options);
//     autogen::MigrationBodies body = autogen::render_bodies(head, d.ops, options);
//     // body.upgrade and body.downgrade go inside `[](Ops& op) { ... }`
#pragma once

#include <retort/autogen/compare.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort::autogen {

struct RenderOptions {
    /// Spaces before each statement: 8 inside RETORT_MIGRATION's lambdas.
    int indent = 8;
};

/// The statements of a migration's two lambdas, each line indented and ended by '\n'.
/// An empty list of ops renders as an empty string.
struct MigrationBodies {
    std::string upgrade;
    std::string downgrade;
};

/// A C++ string literal: quotes, backslashes and control characters escaped.
std::string cpp_literal(std::string_view text);

/// One op as C++ (one statement; create_table spans one line per element), each
/// line indented by `indent` spaces and ended by '\n'. Throws retort::Error (kind
/// migration) for what C++ cannot express: a data step's function, an unnamed
/// check constraint.
std::string render_op(const Op& op, int indent = 8);

/// Ops in order, a `// REVIEW: <notice>` comment above each op that carries
/// notices (one per notice, wrapped at 100 columns).
std::string render_ops(const std::vector<PlannedOp>& ops, const RenderOptions& options = {});

/// The upgrade renders `upgrade`; the downgrade renders autogen::downgrade()
/// of it: the reverse of each op resolved against `current`, last op first.
/// Throws retort::Error when an op does not apply to `current` or cannot be reversed.
MigrationBodies render_bodies(const Schema& current, const std::vector<PlannedOp>& upgrade,
                              const CompareOptions& compare_options = {}, const RenderOptions& options = {});

/// The initial migration: every table of `target` created (parents first) from
/// an empty schema; the downgrade drops them (children first).
MigrationBodies render_initial(const Schema& target, const CompareOptions& compare_options = {},
                               const RenderOptions& options = {});

}  // namespace retort::autogen
