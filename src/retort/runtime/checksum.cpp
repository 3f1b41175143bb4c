#include <retort/runtime/checksum.hpp>

#include <retort/ops/canonical.hpp>
#include <retort/schema/fingerprint.hpp>

#include <fstream>
#include <sstream>

namespace retort {

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
    std::string text = "retort checksum " + std::to_string(canonical_ops_version) + "\n";
    text += "file ";
    text += file_sha256;
    text += "\nupgrade ";
    text += canonical_ops(upgrade);
    text += "\ndowngrade ";
    text += downgrade ? canonical_ops(*downgrade) : std::string("derived");
    text += irreversible ? "\nirreversible\n" : "\n";
    return sha256_hex(text);
}

std::string sql_checksum(const std::vector<std::string>& statements) {
    std::string text;
    for (const auto& s : statements) text += s + ";\n";
    return sha256_hex(text);
}

}  // namespace retort
