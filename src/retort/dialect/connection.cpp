#include <retort/connection.hpp>
#include <retort/dialect/rows_impl.hpp>
#include <retort/error.hpp>

namespace retort {

namespace detail {
RowsImpl::~RowsImpl() = default;
}

Connection::~Connection() = default;

namespace {
const detail::RowsImpl& impl(const detail::RowsImpl* p) {
    if (!p) throw Error(ErrorKind::usage, "reading a Rows that was moved from");
    return *p;
}
}  // namespace

Rows& Rows::operator=(Rows&& other) noexcept {
    if (this != &other) {
        delete m_impl;
        m_impl = other.m_impl;
        other.m_impl = nullptr;
    }
    return *this;
}
Rows::~Rows() { delete m_impl; }
bool Rows::next() { return m_impl && m_impl->next(); }
int Rows::columns() const { return impl(m_impl).columns(); }
bool Rows::is_null(int column) const { return impl(m_impl).is_null(column); }
long long Rows::integer(int column) const { return impl(m_impl).integer(column); }
double Rows::real(int column) const { return impl(m_impl).real(column); }
const char* Rows::text(int column) const { return impl(m_impl).text(column); }

}  // namespace retort
