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

/// Turns off SQLite's memory statistics for the whole process
/// (SQLITE_CONFIG_MEMSTATUS): every allocation SQLite makes otherwise takes a global
/// mutex to count itself, a seventh of a long upgrade's time. sqlite3_memory_used()
/// and the soft heap limit stop working, so the `retort` command calls it and a
/// library leaves it to the application. Only before SQLite is first used (returns
/// false after).
bool disable_memory_statistics();

}  // namespace retort::sqlite
