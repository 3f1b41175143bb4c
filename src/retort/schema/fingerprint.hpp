// A stable digest of a schema: SHA-256 of its canonical JSON. Column order and the
// order of constraints and indexes are left out; everything else is in. Callers
// normalize the schema for a dialect first (Dialect::normalize), so the digest of a
// replayed schema equals the digest of the database it describes.
#pragma once

#include <retort/schema/schema.hpp>

#include <string>
#include <string_view>

namespace retort {

/// The schema as canonical JSON text (sorted keys, sorted names, no spaces).
std::string canonical_json(const Schema& schema);
/// SHA-256 of canonical_json(schema), 64 lowercase hex digits.
std::string fingerprint(const Schema& schema);
/// SHA-256 of arbitrary bytes, 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace retort
