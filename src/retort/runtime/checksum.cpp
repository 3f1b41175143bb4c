#include <retort/runtime/checksum.hpp>

#include <retort/ops/canonical.hpp>
#include <retort/schema/fingerprint.hpp>

#include <fstream>
#include <memory>
#include <sstream>

namespace retort {

namespace {

/// canonical_ops(ops), hashed: the ops' texts between brackets, comma-separated.
void hash_ops(Sha256& sha, const std::vector<Op>& ops) {
    sha.update("[");
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (i) sha.update(",");
        sha.update(canonical_op(ops[i]));
    }
    sha.update("]");
}

}  // namespace

std::optional<std::string> source_sha256(const Revision& r) {
    if (!r.source_sha256.empty()) return r.source_sha256;
    if (r.source_file.empty()) return std::nullopt;
    std::ifstream in(r.source_file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return sha256_hex(ss.str());
}

std::string revision_checksum(std::string_view file_sha256, const std::vector<Op>& upgrade,
                              const std::optional<std::vector<Op>>& downgrade, bool irreversible) {
    // The text hashed: "retort checksum <version>\nfile <sha>\nupgrade <ops>\ndowngrade
    // <ops or derived>\n" with "irreversible\n" before the end when it is.
    Sha256 sha;
    sha.update("retort checksum " + std::to_string(canonical_ops_version) + "\n");
    sha.update("file ");
    sha.update(file_sha256);
    sha.update("\nupgrade ");
    hash_ops(sha, upgrade);
    sha.update("\ndowngrade ");
    if (downgrade)
        hash_ops(sha, *downgrade);
    else
        sha.update("derived");
    sha.update(irreversible ? "\nirreversible\n" : "\n");
    return sha.hex();
}

std::string sql_checksum(const std::vector<std::string>& statements) {
    std::string text;
    for (const auto& s : statements) text += s + ";\n";
    return sha256_hex(text);
}

}  // namespace retort
