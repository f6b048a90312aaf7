#pragma once
// The first pass of clear_convex(): narrow the crossing search down to the
// orders of one to three price buckets.
//
// Problem. find_crossing() (convex.h) needs `above`, the smallest order price
// with S >= D, and `below`, the largest with S < D, with D and S there. Its
// prune-and-search runs nth_element over a copy of every order, which is most
// of the core's time; yet the answer depends only on the orders priced near
// the crossing and on the lot totals on either side of it.
//
// Algorithm. One pass finds the lowest and highest price of the book. The
// range between them is cut into at most kMaxBuckets buckets of 2^shift
// prices each (integer arithmetic only: bucket = (price - lowest) >> shift),
// and a second pass adds up each bucket's bid lots, offer lots and orders. For
// any price p in bucket j, S(p) lies between the supply of the buckets below j
// and that of the buckets up to j, and D(p) between the demand of the buckets
// above j and that of the buckets from j up. So bucket j holds only prices
// with S >= D when supply below j >= demand from j up ("all true"), only
// prices with S < D when supply up to j < demand above j ("all false"). Both
// tests are monotone in j, and at most one non-empty bucket passes neither
// (two would contradict each other). The window is the last non-empty
// all-false bucket through the first non-empty all-true one: it holds both
// `below` and `above` when they exist. A third pass copies the window's
// orders, and find_crossing() runs on them alone with the demand above the
// window and the supply below it folded in, so every D and S it evaluates is
// the exact one and it returns exactly the Crossing it returns on all orders.
//
// Complexity. Three passes, O(n + kMaxBuckets), plus the search on the window:
// a few price levels of the book when prices spread over many buckets. When
// they do not (every order at one or a few prices) the window is most of the
// book and the search costs what it does without the first pass, O(n)
// expected. Scratch: the buckets (24 bytes each) and the window's 16 bytes an
// order, both kept in ConvexWorkspace.
//
// Caveats. Bucket sums are lot sums, which fit in int64 (convex.h). Prices
// are int64 of either sign; differences are taken in uint64, where they are
// exact because the highest minus the lowest is below 2^64.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "jpclear/clearing/market.h"

namespace jpclear::detail {

/// Lots and orders of one price bucket.
struct PriceBucket {
    std::int64_t demand = 0;  ///< bid lots
    std::int64_t supply = 0;  ///< offer lots
    std::uint64_t orders = 0;
};

/// The most buckets the first pass uses. 4096 x 24 bytes stay in the L2
/// cache; fewer are used for small books, where clearing them would cost more
/// than the orders.
inline constexpr unsigned kMaxBucketsLog2 = 12;

/// What the first pass hands to find_crossing(): the orders of the window
/// (in `window`, bids with lots > 0, offers with lots < 0, as find_crossing
/// wants them), the demand priced above it and the supply priced below it.
struct CrossingWindow {
    std::int64_t demand_above = 0;
    std::int64_t supply_below = 0;
};

/// Builds the histogram and copies the window's orders into `window`
/// (cleared first). `buckets` is scratch. The book must have at least one order.
template <class PricedLots>
CrossingWindow histogram_window(const Market& book, std::vector<PriceBucket>& buckets,
                                std::vector<PricedLots>& window) {
    const std::size_t nb = book.bid_count(), no = book.offer_count();
    const std::int64_t* bp = book.bid_price.data();
    const std::int64_t* bl = book.bid_lots.data();
    const std::int64_t* op = book.offer_price.data();
    const std::int64_t* ol = book.offer_lots.data();

    // Pass 1: the price range.
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (std::size_t i = 0; i < nb; ++i) {
        lo = std::min(lo, bp[i]);
        hi = std::max(hi, bp[i]);
    }
    for (std::size_t i = 0; i < no; ++i) {
        lo = std::min(lo, op[i]);
        hi = std::max(hi, op[i]);
    }
    const std::uint64_t base = static_cast<std::uint64_t>(lo);
    const std::uint64_t range = static_cast<std::uint64_t>(hi) - base;
    // About one bucket per 16 orders, at most 2^kMaxBucketsLog2.
    const std::size_t n = nb + no;
    const unsigned want_log2 = std::min<unsigned>(kMaxBucketsLog2, static_cast<unsigned>(std::bit_width(n / 16)));
    const auto range_bits = static_cast<unsigned>(std::bit_width(range));
    const unsigned shift = range_bits > want_log2 ? range_bits - want_log2 : 0;
    const std::size_t count = static_cast<std::size_t>(range >> shift) + 1;
    buckets.assign(count, PriceBucket{});
    PriceBucket* h = buckets.data();

    // Pass 2: lots and orders per bucket.
    std::int64_t total_demand = 0;
    for (std::size_t i = 0; i < nb; ++i) {
        PriceBucket& b = h[(static_cast<std::uint64_t>(bp[i]) - base) >> shift];
        b.demand += bl[i];
        ++b.orders;
        total_demand += bl[i];
    }
    for (std::size_t i = 0; i < no; ++i) {
        PriceBucket& b = h[(static_cast<std::uint64_t>(op[i]) - base) >> shift];
        b.supply += ol[i];
        ++b.orders;
    }

    // The window: the last non-empty all-false bucket through the first
    // non-empty all-true one (see the file comment).
    std::size_t first = 0, last = count - 1;
    CrossingWindow w;
    std::int64_t supply_before = 0;          // supply of buckets < j
    std::int64_t demand_from = total_demand;  // demand of buckets >= j
    for (std::size_t j = 0; j < count; ++j) {
        const std::int64_t supply_through = supply_before + h[j].supply;
        const std::int64_t demand_after = demand_from - h[j].demand;
        if (h[j].orders != 0) {
            if (supply_before >= demand_from) {  // all true: the window ends here
                last = j;
                w.demand_above = demand_after;
                break;
            }
            if (supply_through < demand_after) {  // all false: the window starts here at the earliest
                first = j;
                w.supply_below = supply_before;
            }
        }
        supply_before = supply_through;
        demand_from = demand_after;
    }
    // Without an all-true bucket the window runs to the top and nothing is
    // above it; without an all-false one it starts at the bottom.

    // Pass 3: copy the window's orders.
    std::size_t in_window = 0;
    for (std::size_t j = first; j <= last; ++j) in_window += h[j].orders;
    window.clear();
    window.reserve(in_window);
    const std::uint64_t from = static_cast<std::uint64_t>(first) << shift;
    const std::uint64_t span = ((static_cast<std::uint64_t>(last - first) + 1) << shift) - 1;
    for (std::size_t i = 0; i < nb; ++i)
        if (static_cast<std::uint64_t>(bp[i]) - base - from <= span) window.push_back({bp[i], bl[i]});
    for (std::size_t i = 0; i < no; ++i)
        if (static_cast<std::uint64_t>(op[i]) - base - from <= span) window.push_back({op[i], -ol[i]});
    return w;
}

}  // namespace jpclear::detail
