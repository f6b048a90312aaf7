#pragma once
// The price rules of spec section 6, on whole ticks.

#include <cstdint>

#include "jpclear/model/decimal.h"
#include "jpclear/pricing/interval.h"

namespace jpclear {

/// `uniform`: lo + k (hi - lo), rounded to the nearest tick, an exact half
/// toward lo. Exact: k (<= 10 fraction digits) times the width in 128 bits.
inline std::int64_t uniform_price(const PriceInterval& interval, const Decimal& k) {
    const int128 width = static_cast<int128>(interval.high) - interval.low;
    const int128 scale = detail::pow10(k.scale());
    const int128 scaled = detail::checked_mul(k.coefficient(), width);  // steps * 10^scale
    int128 steps = scaled / scale;
    if (2 * (scaled % scale) > scale) ++steps;
    return interval.low + static_cast<std::int64_t>(steps);
}

/// `pay-as-bid`: the buyers' pooled price, the volume-weighted mean of the
/// accepted asks rounded up to the tick. `cost` is sum A_o y_o in tick-lots.
inline std::int64_t pooled_mean_price(int128 cost, std::int64_t volume) {
    return static_cast<std::int64_t>(detail::ceil_div(cost, volume));
}

}  // namespace jpclear
