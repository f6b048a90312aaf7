#pragma once
// 256-bit unsigned integers, just enough for exact multiply-then-divide.
//
// Converting a price is floor(limit * fx / tick): the product of two input
// decimals can need up to 44 digits before the division brings it back into
// range. Rare, so simple shift-subtract long division is fast enough.

#include <optional>

#include "jpclear/model/decimal.h"

namespace jpclear::detail {

/// floor or ceil of (a * b) / (c * d) for a, b >= 0 and c, d > 0, with a 256-bit
/// intermediate; nullopt when the quotient does not fit int128.
inline std::optional<int128> mul_div(uint128 a, uint128 b, uint128 c, uint128 d, bool round_up) {
    U256 n = mul_wide(a, b);
    uint128 r1 = 0, r2 = 0;
    U256 q = divmod_wide(n, c, r1);
    // ceil(ceil(n / c) / d) == ceil(n / (c d)), and likewise for floor.
    if (round_up && r1 != 0) {
        q.lo += 1;
        if (q.lo == 0) q.hi += 1;
    }
    q = divmod_wide(q, d, r2);
    if (round_up && r2 != 0) {
        q.lo += 1;
        if (q.lo == 0) q.hi += 1;
    }
    if (q.hi != 0 || (q.lo >> 127) != 0) return std::nullopt;
    return static_cast<int128>(q.lo);
}

}  // namespace jpclear::detail
