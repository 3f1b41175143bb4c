// A live SQLite session (SQLiteCpp underneath, kept out of this header) and the
// translation of SQLite failures into retort::Error. Internal.
#pragma once

#include <retort/dialect/dialect.hpp>
#include <retort/dialect/url.hpp>

#include <memory>

namespace retort::sqlite::detail {

/// Opens `url.database` (a path relative to the working directory, absolute, or
/// ":memory:") read-write, creating it with OpenMode::create, with a 30 s busy
/// timeout and foreign keys on. Throws retort::Error (database) "cannot open SQLite
/// database <path>: <reason>", or with OpenMode::existing and no such file
/// "SQLite database file <path> does not exist".
std::unique_ptr<DbSession> open_session(const Dialect& dialect, const Url& url, OpenMode mode);

}  // namespace retort::sqlite::detail
