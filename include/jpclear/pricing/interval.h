#pragma once
// The interval of prices that support an allocation (spec 4(a)-(c), 6).
//
// For any allocation, the prices p meeting 4(a)-(c) are those with
//   lo = max( A of every offer that sells,
//             P of every bid that could take more, unless a rejected block )
//   hi = min( P of every bid that buys,
//             A of every offer that could sell more, unless a rejected block
//               or its origin is at its cap )
// and lo <= hi. Both ends are order prices, hence on the tick grid. One pass,
// O(n); with a cap, one more pass over the offers to total each origin.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/order_book.h"

namespace jpclear {

struct PriceInterval {
    std::int64_t low;   ///< ticks
    std::int64_t high;  ///< ticks
};

/// floor(s * V): the most lots one origin may supply (spec 4, rule 3).
inline std::int64_t origin_cap_lots(const Decimal& share, std::int64_t volume) {
    return static_cast<std::int64_t>(floor_quotient(share * Decimal::integer(volume), Decimal::integer(1)));
}

/// Per origin (book.origins order): lots sold in `a`.
inline std::vector<std::int64_t> origin_totals(const OrderBook& book, const Allocation& a) {
    std::vector<std::int64_t> per(book.origins.size(), 0);
    for (std::size_t o = 0; o < book.offer_count(); ++o) per[book.offer_origin[o]] += a.offer_fill[o];
    return per;
}

/// Per origin: whether it is at its cap (always false without a cap).
inline std::vector<bool> origins_at_cap(const OrderBook& book, const Allocation& a) {
    std::vector<bool> at(book.origins.size(), false);
    if (!book.max_origin_share) return at;
    const std::int64_t cap = origin_cap_lots(*book.max_origin_share, a.volume);
    auto per = origin_totals(book, a);
    for (std::size_t c = 0; c < per.size(); ++c) at[c] = per[c] >= cap;
    return at;
}

/// The supporting interval of `a`; nullopt when V = 0 or no price supports it.
inline std::optional<PriceInterval> price_interval(const OrderBook& book, const Allocation& a) {
    if (a.volume == 0) return std::nullopt;
    std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    for (std::size_t b = 0; b < book.bid_count(); ++b) {
        const std::int64_t x = a.bid_fill[b];
        if (x > 0) hi = std::min(hi, book.bid_price[b]);
        if (x < book.bid_lots[b] && !(book.bid_min[b] > 0 && x == 0)) lo = std::max(lo, book.bid_price[b]);
    }
    const std::vector<bool> capped = origins_at_cap(book, a);
    for (std::size_t o = 0; o < book.offer_count(); ++o) {
        const std::int64_t y = a.offer_fill[o];
        if (y > 0) lo = std::max(lo, book.offer_price[o]);
        if (y < book.offer_lots[o] && !(book.offer_min[o] > 0 && y == 0) && !capped[book.offer_origin[o]])
            hi = std::min(hi, book.offer_price[o]);
    }
    if (lo > hi) return std::nullopt;
    return PriceInterval{lo, hi};
}

}  // namespace jpclear
