#pragma once
// Problems compared path by path and message by message, printed readably;
// shared by the CSV reader tests.

#include <gtest/gtest.h>

#include <string>

#include "jpclear/model/problem.h"

namespace jpclear::test {

inline std::string listed(const Problems& problems) {
    std::string out;
    for (const Problem& p : problems) out += "\n  [" + p.path + "] [" + p.message + "]";
    return out.empty() ? " (none)" : out;
}

inline ::testing::AssertionResult same_problems(const Problems& got, const Problems& want) {
    if (got == want) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "got:" << listed(got) << "\nwanted:" << listed(want);
}

}  // namespace jpclear::test
