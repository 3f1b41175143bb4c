#include <retort/error.hpp>

namespace retort {

int exit_code(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::config:
    case ErrorKind::build_state:
    case ErrorKind::graph: return 2;
    case ErrorKind::database:
    case ErrorKind::migration: return 1;
    case ErrorKind::drift: return 3;
    case ErrorKind::integrity: return 4;
    case ErrorKind::lint: return 5;
    }
    return 1;
}

Error::Error(ErrorKind kind, const std::string& message, std::string hint)
    : std::runtime_error(message), m_kind(kind), m_hint(std::move(hint)) {}

std::string Error::describe() const {
    std::string out = what();
    if (!m_revision.empty() && out.find(m_revision) == std::string::npos) out += "\n  revision: " + m_revision;
    if (!m_file.empty() && out.find(m_file) == std::string::npos) out += "\n  file: " + m_file;
    if (!m_op.empty()) out += "\n  op: " + m_op;
    if (!m_sql.empty()) out += "\n  statement: " + m_sql;
    if (!m_hint.empty()) out += "\n  hint: " + m_hint;
    return out;
}

}  // namespace retort
