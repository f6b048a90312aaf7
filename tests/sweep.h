#pragma once
// How much of each random sweep a test binary runs.
//
// JPCLEAR_SWEEP_PERCENT=p (1 to 100, default 100) runs p % of the rounds of
// every random sweep: a sanitized build sets it (tests/CMakeLists.txt),
// because sanitized code, CBC's above all, runs several times slower. Every
// test still runs; only the number of random rounds shrinks.

#include <algorithm>
#include <cstdlib>

namespace jpclear::test {

/// `full` rounds scaled by JPCLEAR_SWEEP_PERCENT, at least 1.
inline int sweep_rounds(int full) {
    static const int percent = [] {
        const char* v = std::getenv("JPCLEAR_SWEEP_PERCENT");
        return v && *v ? std::clamp(std::atoi(v), 1, 100) : 100;
    }();
    return std::max(1, full * percent / 100);
}

}  // namespace jpclear::test
