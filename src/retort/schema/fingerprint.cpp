#include <retort/schema/fingerprint.hpp>

#include <nlohmann/json.hpp>
#include <nettle/sha2.h>

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

static_assert(sizeof(sha256_ctx) <= 128 && alignof(sha256_ctx) <= 8, "Sha256::m_state holds a sha256_ctx");

Sha256::Sha256() { sha256_init(reinterpret_cast<sha256_ctx*>(m_state)); }

void Sha256::update(std::string_view bytes) {
    sha256_update(reinterpret_cast<sha256_ctx*>(m_state), bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
}

std::string Sha256::hex() {
    std::uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(reinterpret_cast<sha256_ctx*>(m_state), SHA256_DIGEST_SIZE, digest);
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(2 * SHA256_DIGEST_SIZE, '0');
    for (std::size_t i = 0; i < SHA256_DIGEST_SIZE; ++i) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.hex();
}

std::string fingerprint(const Schema& schema) { return sha256_hex(canonical_json(schema)); }

}  // namespace retort
