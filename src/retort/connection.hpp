// The database connection a data step receives: run SQL with parameters, read rows.
// Light on purpose (no <string>, no driver types): migrations include it.
#pragma once

#include <initializer_list>

namespace retort {

namespace detail {
class RowsImpl;
}

/// A bound parameter: NULL, an integer, a double or text. Text is copied before
/// the statement runs, so a temporary buffer is fine.
class Param {
public:
    enum class Kind : unsigned char { null, integer, real, text };
    constexpr Param() : m_kind(Kind::null) {}
    constexpr Param(decltype(nullptr)) : m_kind(Kind::null) {}
    constexpr Param(int v) : m_kind(Kind::integer), m_int(v) {}
    constexpr Param(long v) : m_kind(Kind::integer), m_int(v) {}
    constexpr Param(long long v) : m_kind(Kind::integer), m_int(v) {}
    constexpr Param(double v) : m_kind(Kind::real), m_real(v) {}
    constexpr Param(const char* v) : m_kind(v ? Kind::text : Kind::null), m_text(v) {}

    constexpr Kind kind() const { return m_kind; }
    constexpr long long integer() const { return m_int; }
    constexpr double real() const { return m_real; }
    constexpr const char* text() const { return m_text; }

private:
    Kind m_kind;
    long long m_int = 0;
    double m_real = 0;
    const char* m_text = nullptr;
};

using Params = std::initializer_list<Param>;

/// A forward-only cursor over a query's rows.
///
///     auto rows = conn.query("SELECT id, name FROM authors WHERE id > ?", {10});
///     while (rows.next()) use(rows.integer(0), rows.text(1));
class Rows {
public:
    explicit Rows(detail::RowsImpl* impl) : m_impl(impl) {}
    Rows(Rows&& other) noexcept : m_impl(other.m_impl) { other.m_impl = nullptr; }
    Rows& operator=(Rows&& other) noexcept;
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;
    ~Rows();

    /// Advances to the next row; false when there is none.
    bool next();
    int columns() const;
    bool is_null(int column) const;
    long long integer(int column) const;
    double real(int column) const;
    /// The column as text; valid until the next call to next(). NULL gives "".
    const char* text(int column) const;

private:
    detail::RowsImpl* m_impl;
};

/// What a data step can do with the database. Placeholders are `?` on every
/// dialect. Failures throw retort::Error.
class Connection {
public:
    virtual ~Connection();
    virtual void exec(const char* sql, Params params = {}) = 0;
    virtual Rows query(const char* sql, Params params = {}) = 0;
    /// Number of rows changed by the last exec().
    virtual long long changes() const = 0;
    /// "sqlite" or "postgresql".
    virtual const char* dialect() const = 0;
};

}  // namespace retort
