#pragma once
// The first pass of clear_convex(): narrow the crossing search down to the
// orders of the few price buckets around the crossing.
//
// Problem. find_crossing() (convex.h) needs `above`, the smallest order price
// with S >= D, and `below`, the largest with S < D, with D and S there. Its
// prune-and-search runs nth_element over a copy of every order, which is most
// of the core's time; yet the answer depends only on the orders priced near
// the crossing and on the lot totals on either side of it.
//
// Algorithm. One pass finds the lowest and highest price of the book. The
// range between them is cut into at most 2^kMaxBucketsLog2 = 4096 buckets
// (about one per 16 orders) of 2^shift prices each, integer arithmetic only:
// bucket = (price - lowest) >> shift. A second pass adds up each bucket's bid
// lots, offer lots and orders. For any price p in bucket j, S(p) lies between
// the supply of the buckets below j and that of the buckets up to j, and D(p)
// between the demand of the buckets above j and that of the buckets from j
// up. So bucket j holds only prices with S >= D when supply below j >= demand
// from j up ("all true"), only prices with S < D when supply up to j <
// demand above j ("all false"). Both tests are monotone in j, and at most one
// non-empty bucket passes neither (two would contradict each other). The
// window is the last non-empty all-false bucket through the first non-empty
// all-true one, widened by the next bucket above with bids and the next below
// with offers: it holds `below` and `above` when they exist, and the marginal
// prices clear_convex() looks for next to them. A third pass copies the
// window's orders, and find_crossing() runs on them alone with the demand
// above the window and the supply below it folded in, so every D and S it
// evaluates is the exact one and it returns exactly the Crossing it returns
// on all orders.
//
// Complexity. Three passes, O(n + 4096), plus the search on the window:
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
/// The window is a range of prices; it holds `above` and `below`, the lowest
/// bid priced at or above `above` and the highest offer at or below `below`.
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

    // Pass 1: the price range (four running minima and maxima, so that the
    // compare-and-move chains overlap).
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    auto range_of = [&lo, &hi](const std::int64_t* p, std::size_t n) {
        std::int64_t l[4] = {lo, lo, lo, lo}, h[4] = {hi, hi, hi, hi};
        std::size_t i = 0;
        for (; i + 4 <= n; i += 4)
            for (std::size_t j = 0; j < 4; ++j) {
                l[j] = std::min(l[j], p[i + j]);
                h[j] = std::max(h[j], p[i + j]);
            }
        for (; i < n; ++i) {
            l[0] = std::min(l[0], p[i]);
            h[0] = std::max(h[0], p[i]);
        }
        lo = std::min(std::min(l[0], l[1]), std::min(l[2], l[3]));
        hi = std::max(std::max(h[0], h[1]), std::max(h[2], h[3]));
    };
    range_of(bp, nb);
    range_of(op, no);
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
    std::int64_t supply_before = 0;          // supply of buckets < j
    std::int64_t demand_from = total_demand;  // demand of buckets >= j
    for (std::size_t j = 0; j < count; ++j) {
        const std::int64_t supply_through = supply_before + h[j].supply;
        const std::int64_t demand_after = demand_from - h[j].demand;
        if (h[j].orders != 0) {
            if (supply_before >= demand_from) {  // all true: the window ends here
                last = j;
                break;
            }
            if (supply_through < demand_after) first = j;  // all false: the window starts here at the earliest
        }
        supply_before = supply_through;
        demand_from = demand_after;
    }
    // Widened by the next bucket above with bids and the next below with
    // offers, so that the window also holds the lowest bid priced at or above
    // `above` and the highest offer at or below `below`: the margins
    // clear_convex() looks for.
    if (last + 1 < count) {
        ++last;
        while (last + 1 < count && h[last].demand == 0) ++last;
    }
    if (first > 0) {
        --first;
        while (first > 0 && h[first].supply == 0) --first;
    }
    CrossingWindow w;
    for (std::size_t j = 0; j < first; ++j) w.supply_below += h[j].supply;
    for (std::size_t j = last + 1; j < count; ++j) w.demand_above += h[j].demand;

    // Pass 3: copy the window's orders.
    std::size_t in_window = 0;
    for (std::size_t j = first; j <= last; ++j) in_window += h[j].orders;
    window.clear();
    window.reserve(in_window);
    const std::uint64_t from = static_cast<std::uint64_t>(first) << shift;
    const std::uint64_t span = ((static_cast<std::uint64_t>(last - first) + 1) << shift) - 1;
    // Eight orders a test: most blocks have none in the window, and one
    // well-predicted branch per block beats one per order.
    const std::uint64_t start = base + from;
    auto gather = [&](const std::int64_t* p, const std::int64_t* l, std::size_t n, std::int64_t sign) {
        auto in = [&](std::size_t i) { return static_cast<std::uint64_t>(p[i]) - start <= span; };
        std::size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            bool any = false;
            for (std::size_t j = 0; j < 8; ++j) any |= in(i + j);
            if (any) [[unlikely]]
                for (std::size_t j = i; j < i + 8; ++j)
                    if (in(j)) window.push_back({p[j], sign * l[j]});
        }
        for (; i < n; ++i)
            if (in(i)) window.push_back({p[i], sign * l[i]});
    };
    gather(bp, bl, nb, 1);
    gather(op, ol, no, -1);
    return w;
}

}  // namespace jpclear::detail
