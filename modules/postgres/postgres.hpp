// The PostgreSQL backend's public entry points: the dialect object and its
// registration. Include as <retort/postgres/postgres.hpp>; libpqxx and libpq stay
// out of it.
//
//     #include <retort/postgres/postgres.hpp>
//     retort::postgres::register_dialect();           // once, before connecting
//     auto session = retort::connect("postgresql://app@db.internal/shop");
#pragma once

#include <memory>

namespace retort {
class Dialect;
}

namespace retort::postgres {

/// The PostgreSQL dialect (one shared instance). Include <retort/dialect/dialect.hpp>
/// to call it.
std::shared_ptr<const Dialect> dialect();

/// Makes "postgresql://" (and "postgres://") URLs connectable through
/// retort::connect(). Idempotent.
void register_dialect();

}  // namespace retort::postgres
