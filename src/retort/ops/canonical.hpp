// The canonical form of recorded ops: one JSON text per op list, the same for the
// same declarations on every machine and build. The blocking checksum of an applied
// migration hashes it (with the migration file's hash); `retort show --json` prints it.
#pragma once

#include <retort/ops/ops.hpp>

#include <string>
#include <vector>

namespace retort {

/// Bumped when the canonical form changes in a way that changes existing
/// checksums (docs/safety.md says how such a change is rolled out).
inline constexpr int canonical_ops_version = 1;

/// The ops as compact JSON: an array with one object per op, keys sorted, each
/// object naming its op (`{"op":"add_column","table":"books","column":{...}}`).
/// Only what the migration declares is written (never the before-state replay
/// fills in), and a field is left out while it has its default value, so a field
/// Retort adds later does not change the checksums of existing migrations. C++
/// data steps appear as `{"op":"run_data","down":true}`: their code is covered by
/// the file's hash.
///
///     std::string text = canonical_ops(record_ops(revision.upgrade));
std::string canonical_ops(const std::vector<Op>& ops);

/// One op, as an element of canonical_ops().
std::string canonical_op(const Op& op);

}  // namespace retort
