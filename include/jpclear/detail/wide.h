#pragma once
// 256-bit unsigned integers, just enough for exact multiply-then-divide.
//
// Converting a price is floor(limit * fx / tick): the product of two input
// decimals can need up to 44 digits before the division brings it back into
// range. Rare, so simple shift-subtract long division is fast enough.

#include <optional>

#include "jpclear/model/decimal.h"

namespace jpclear::detail {

struct U256 {
    uint128 hi = 0, lo = 0;
};

inline U256 mul_wide(uint128 a, uint128 b) {
    const uint128 mask = ~static_cast<std::uint64_t>(0);
    uint128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
    uint128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint128 middle = (p00 >> 64) + (p01 & mask) + (p10 & mask);
    U256 r;
    r.lo = (middle << 64) | (p00 & mask);
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
    return r;
}

/// Quotient and remainder of n / d (d > 0); the quotient may need 256 bits.
inline U256 divmod_wide(U256 n, uint128 d, uint128& remainder) {
    U256 q;
    uint128 r = 0;
    for (int i = 255; i >= 0; --i) {
        const bool top = (r >> 127) != 0;
        r <<= 1;
        r |= (i >= 128 ? (n.hi >> (i - 128)) : (n.lo >> i)) & 1;
        if (top || r >= d) {
            r -= d;
            if (i >= 128) q.hi |= static_cast<uint128>(1) << (i - 128);
            else q.lo |= static_cast<uint128>(1) << i;
        }
    }
    remainder = r;
    return q;
}

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
