#include <retort/schema/fingerprint.hpp>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <algorithm>

namespace retort {

namespace {

using Json = nlohmann::json;

Json type_json(const Type& t) { return to_string(t); }

Json column_json(const Column& c) {
    Json j = Json::object();
    j["type"] = type_json(c.type);
    j["nullable"] = c.nullable;
    if (c.server_default) j["default"] = *c.server_default;
    if (c.comment) j["comment"] = *c.comment;
    if (c.identity != Identity::none) j["identity"] = c.identity == Identity::always ? "always" : "by default";
    if (c.autoincrement) j["autoincrement"] = true;
    return j;
}

template <class T, class F>
Json sorted_array(const std::vector<T>& items, F to_json) {
    std::vector<std::string> dumped;
    dumped.reserve(items.size());
    for (const auto& item : items) dumped.push_back(to_json(item).dump());
    std::sort(dumped.begin(), dumped.end());
    Json out = Json::array();
    for (const auto& d : dumped) out.push_back(Json::parse(d));
    return out;
}

Json table_json(const Table& t) {
    Json j = Json::object();
    Json cols = Json::object();
    for (const auto& c : t.columns) cols[c.name] = column_json(c);
    j["columns"] = std::move(cols);
    if (t.primary_key) j["primary_key"] = {{"name", t.primary_key->name}, {"columns", t.primary_key->columns}};
    j["foreign_keys"] = sorted_array(t.foreign_keys, [](const ForeignKey& fk) {
        return Json{{"name", fk.name},
                    {"columns", fk.columns},
                    {"ref_table", fk.ref_table},
                    {"ref_columns", fk.ref_columns},
                    {"on_delete", std::string(to_string(fk.on_delete))},
                    {"on_update", std::string(to_string(fk.on_update))}};
    });
    j["uniques"] = sorted_array(t.uniques, [](const UniqueConstraint& u) {
        return Json{{"name", u.name}, {"columns", u.columns}};
    });
    j["checks"] = sorted_array(t.checks, [](const CheckConstraint& c) {
        return Json{{"name", c.name}, {"expression", c.expression}};
    });
    j["indexes"] = sorted_array(t.indexes, [](const Index& i) {
        Json parts = Json::array();
        for (const auto& p : i.parts) parts.push_back(Json{{"text", p.text}, {"expression", p.expression}});
        Json ij{{"name", i.name}, {"parts", parts}, {"unique", i.unique}};
        if (i.where) ij["where"] = *i.where;
        return ij;
    });
    if (t.comment) j["comment"] = *t.comment;
    return j;
}

}  // namespace

std::string canonical_json(const Schema& schema) {
    Json tables = Json::object();
    for (const auto& [name, t] : schema.tables) tables[name] = table_json(t);
    Json out{{"tables", std::move(tables)}};
    // Only when there are some: schemas without enums keep the fingerprints they had.
    if (!schema.enums.empty()) {
        Json enums = Json::object();
        for (const auto& [name, e] : schema.enums) enums[name] = e.values;
        out["enums"] = std::move(enums);
    }
    return out.dump();
}

namespace {

/// SHA-256 fetched from OpenSSL's provider once: EVP_sha256() makes EVP_Digest
/// look the implementation up again on every call (OpenSSL 3's implicit fetch),
/// which cost more than hashing a migration's canonical ops.
const EVP_MD* sha256_md() {
    static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, sha256_md(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string fingerprint(const Schema& schema) { return sha256_hex(canonical_json(schema)); }

}  // namespace retort
