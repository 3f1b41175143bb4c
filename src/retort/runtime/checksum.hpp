// The checksums recorded for each applied migration: the blocking one (the
// migration's source file and its canonical ops: edited history stops the next
// upgrade) and the informational SQL one (changes when Retort's rendering does,
// which must never block anyone). docs/safety.md explains both.
#pragma once

#include <retort/ops/ops.hpp>
#include <retort/revision/revision.hpp>

#include <optional>
#include <string>
#include <vector>

namespace retort {

/// SHA-256 of r's source file: the hash the build recorded (Revision::source_sha256,
/// from the plugin's manifest or the manifest compiled into an application), else
/// the file read now when it is readable; nullopt when neither is available.
std::optional<std::string> source_sha256(const Revision& r);

/// The blocking checksum: SHA-256 over the source file's hash, the canonical
/// upgrade ops, the canonical declared downgrade ops ("derived" when there is no
/// downgrade body) and the irreversible flag. 64 hex digits.
///
///     auto sum = revision_checksum(*source_sha256(r), record_ops(r.upgrade),
///                                  r.downgrade ? std::optional(record_ops(r.downgrade)) : std::nullopt, false);
std::string revision_checksum(std::string_view file_sha256, const std::vector<Op>& upgrade,
                              const std::optional<std::vector<Op>>& downgrade, bool irreversible);

/// The informational checksum: SHA-256 of the statements, each followed by ";\n".
std::string sql_checksum(const std::vector<std::string>& statements);

}  // namespace retort
