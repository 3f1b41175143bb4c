// What a backend implements behind retort::Rows (see retort/connection.hpp).
#pragma once

#include <retort/connection.hpp>

namespace retort::detail {

class RowsImpl {
public:
    virtual ~RowsImpl();
    virtual bool next() = 0;
    virtual int columns() const = 0;
    virtual bool is_null(int column) const = 0;
    virtual long long integer(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual const char* text(int column) const = 0;
};

}  // namespace retort::detail
