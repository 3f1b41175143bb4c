// How many rounds the concurrency tests repeat. The full count by default (the
// default test preset, what the issues ask for: 20 rounds of 4 processes on SQLite,
// 50 of 8 on PostgreSQL); the asan test preset sets RETORT_TEST_STRESS_ROUNDS lower,
// since under ASan every process start costs a second or more.
#pragma once

#include <cstdlib>

namespace retort::testing {

inline int stress_rounds(int full) {
    if (const char* v = std::getenv("RETORT_TEST_STRESS_ROUNDS")) {
        const int n = std::atoi(v);
        if (n > 0 && n < full) return n;
    }
    return full;
}

}  // namespace retort::testing
