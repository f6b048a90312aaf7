#pragma once
// What the fuzz targets share: a check that stops the run loudly, and the
// reader limits they use.
//
// A broken invariant must be a crash to libFuzzer (so it saves the input),
// and must say which invariant broke, so a plain abort() after a message.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "jpclear/io.h"

namespace jpclear::fuzz {

[[noreturn]] inline void invariant_broken(const char* what, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    std::abort();
}

// Small limits keep every execution fast and let the fuzzer reach them.
inline ReadLimits fuzz_limits() {
    ReadLimits limits;
    limits.max_bytes = 1 << 20;
    limits.max_orders = 2000;
    limits.max_depth = 64;
    return limits;
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace jpclear::fuzz

#define JPCLEAR_FUZZ_REQUIRE(cond) \
    ((cond) ? void(0) : ::jpclear::fuzz::invariant_broken(#cond, __FILE__, __LINE__))
