// The one error type: what happened, where (revision, op, SQL, file) and what to do next.
#pragma once

#include <stdexcept>
#include <string>

namespace retort {

enum class ErrorKind : unsigned char {
    usage,        // bad arguments                                  -> exit 2
    config,       // retort.toml, URLs, environment                 -> exit 2
    build_state,  // plugin missing, stale or of another ABI         -> exit 2
    graph,        // broken revision graph (cycle, missing parent)   -> exit 2
    database,     // cannot connect, cannot read                    -> exit 1
    migration,    // a migration failed                              -> exit 1
    drift,        // models and migrations disagree                 -> exit 3
    integrity,    // edited history, unknown revision in database   -> exit 4
    lint,         // lint findings treated as errors (--werror)     -> exit 5
};

/// The process exit code the CLI uses for an error kind.
int exit_code(ErrorKind kind);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, std::string hint = {});

    ErrorKind kind() const { return m_kind; }
    /// What to do next; may be empty.
    const std::string& hint() const { return m_hint; }
    const std::string& revision() const { return m_revision; }
    const std::string& op() const { return m_op; }
    const std::string& sql() const { return m_sql; }
    const std::string& file() const { return m_file; }
    const std::string& sqlstate() const { return m_sqlstate; }

    Error& with_revision(std::string v) { m_revision = std::move(v); return *this; }
    Error& with_op(std::string v) { m_op = std::move(v); return *this; }
    Error& with_sql(std::string v) { m_sql = std::move(v); return *this; }
    Error& with_file(std::string v) { m_file = std::move(v); return *this; }
    Error& with_sqlstate(std::string v) { m_sqlstate = std::move(v); return *this; }
    Error& with_hint(std::string v) { m_hint = std::move(v); return *this; }

    /// The message, then the revision, op, file and statement when known, then the hint.
    std::string describe() const;

private:
    ErrorKind m_kind;
    std::string m_hint;
    std::string m_revision;
    std::string m_op;
    std::string m_sql;
    std::string m_file;
    std::string m_sqlstate;
};

}  // namespace retort
