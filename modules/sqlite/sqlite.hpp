// The SQLite backend's public entry points: the dialect object and its registration.
// Include as <retort/sqlite/sqlite.hpp>; SQLiteCpp and sqlite3 stay out of it.
//
//     #include <retort/sqlite/sqlite.hpp>
//     retort::sqlite::register_dialect();             // once, before connecting
//     auto session = retort::connect("sqlite:///app.db");
#pragma once

#include <memory>

namespace retort {
class Dialect;
}

namespace retort::sqlite {

/// The SQLite dialect (one shared instance). Include <retort/dialect/dialect.hpp>
/// to call it.
std::shared_ptr<const Dialect> dialect();

/// Makes "sqlite://" URLs connectable through retort::connect(). Idempotent.
void register_dialect();

}  // namespace retort::sqlite
