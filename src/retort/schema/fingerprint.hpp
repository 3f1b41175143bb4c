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

/// SHA-256 fed piece by piece: the same digest as sha256_hex() of the pieces joined,
/// without building the joined text. Nettle's implementation (SHA-NI where the CPU
/// has it): a small library, cheap to load, where OpenSSL's libcrypto added 2.5 ms
/// of dynamic linking to every process (docs/performance.md).
class Sha256 {
public:
    Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    /// The digest as 64 lowercase hex digits; the object is reset afterwards.
    std::string hex();

private:
    alignas(8) unsigned char m_state[128];  // nettle's struct sha256_ctx
};

}  // namespace retort
