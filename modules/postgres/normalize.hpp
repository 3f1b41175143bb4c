// The schema as PostgreSQL stores and reflects it, computed without a server:
// types in format_type's spelling, expressions in the normal form of
// expression.hpp, the names the server gives unnamed constraints, identifiers cut
// at 63 bytes, NOT NULL where the server implies it. Internal.
#pragma once

#include <retort/schema/schema.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace retort::postgres::detail {

/// makeObjectName(): `name1[_name2]_label`, the longer of the names shortened
/// until the whole fits in 63 bytes.
std::string object_name(std::string_view name1, std::optional<std::string_view> name2, std::string_view label);

/// Reuses the tables of `schema` (moved out of it).
Schema normalize_schema(Schema&& schema);

}  // namespace retort::postgres::detail
