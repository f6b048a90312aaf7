#pragma once
// Convex clearing: the fast path for rounds without blocks and origin caps.
//
// Problem. Bids (P_b, L_b) and eligible offers (A_o, L_o), in whole ticks and
// lots. Choose whole x_b in [0, L_b], y_o in [0, L_o] with sum x = sum y = V
// that maximise welfare sum P x - sum A y, then V (spec section 5). Without
// blocks and caps the answer is the crossing of the two curves:
//     V* = max over prices p of min(D(p), S(p)),
//     D(p) = lots of bids with P >= p,   S(p) = lots of offers with A <= p,
// with bids filled from the highest P down and offers from the lowest A up.
// Units with P = A add no welfare but are traded, since V is maximised next.
// The group at each marginal price shares what is left pro rata (pro_rata.h);
// such an allocation always admits a price meeting 4(a)-(c).
//
// Algorithm. No sort. min(D, S) is unimodal in p (D falls, S rises), and its
// maximum over all prices is reached at an order's price. A first pass
// (histogram_crossing.h) sums lots over price buckets and keeps only the
// orders of the few buckets around the crossing, with the demand above them
// and the supply below them as totals. On those orders a
// prune-and-search takes the median price of the orders still in play
// (std::nth_element), evaluates D and S there, and drops every order on one
// side of it, folding their lots into running totals; half the orders go each
// round. The search ends at two neighbouring order prices, the last with
// S < D and the first with S >= D; no order price lies between them, so the
// marginal bid price (where the V*-th lot of demand sits) and the marginal ask
// price follow from D and S there, with at most one more pass per side over
// the orders searched. One
// pass per side then fills every order better than its margin and gathers the
// marginal group for the pro-rata split. The first pass changes nothing in
// the result: the search sees the same D and S at every price it evaluates,
// and finds the same two prices, as on all orders (tests/test_clearing.cpp
// compares the two on thousands of rounds). Books under 2048 orders skip it.
//
// Complexity. O(n) expected time, O(n log n) worst case, over n = bids +
// offers: three passes for the first step, and the search on the window, O(m) expected and O(m log m) worst case
// (introselect) for its m orders. m is a few price levels when prices spread
// over many buckets; when they do not (all orders at one or two prices) m is
// about n and the search runs on all orders, as it did before the first pass
// existed. Then two passes to fill. Scratch, reusable across calls through
// ConvexWorkspace: up to 4096 buckets of 24 bytes, and 16 bytes an order of
// the window. The output vectors are reused too (the clear_convex overload
// that takes an Allocation&).
//
// Caveats. Lot sums fit in int64 because a round has at most 2^32 - 1 orders
// of at most 10^9 lots (validate.h). Ids are compared only to break exact
// ties of pro-rata remainders.

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/histogram_crossing.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/clearing/pro_rata.h"

namespace jpclear {

namespace detail {

/// A price with lots; in the crossing search negative lots mark an offer.
struct PricedLots {
    std::int64_t price;
    std::int64_t lots;
};

using PricedIter = std::vector<PricedLots>::iterator;

inline PricedIter median_of(PricedIter first, PricedIter last) {
    auto mid = first + (last - first) / 2;
    std::nth_element(first, mid, last, [](const PricedLots& a, const PricedLots& b) { return a.price < b.price; });
    return mid;
}

/// What the crossing search finds: V*, and the two candidate prices around
/// the crossing with D and S there. `above` is the smallest order price with
/// S >= D (absent when supply never catches up), `below` the largest with
/// S < D (absent when supply leads from the lowest price on).
struct Crossing {
    std::int64_t volume = 0;
    bool has_above = false, has_below = false;
    std::int64_t above = 0, demand_above = 0, supply_above = 0;
    std::int64_t below = 0, demand_below = 0, supply_below = 0;
};

/// V* = max_p min(D(p), S(p)); `work` holds bids (lots > 0) and offers (lots < 0).
/// `demand_fixed` and `supply_fixed` are the lots of bids priced above every
/// order in `work` and of offers priced below all of them, when `work` is a
/// window of the book (histogram_crossing.h); the window must then hold the
/// book's `above` and `below` prices.
inline Crossing find_crossing(std::vector<PricedLots>& work, std::int64_t demand_fixed = 0,
                              std::int64_t supply_fixed = 0) {
    Crossing c;
    auto first = work.begin(), last = work.end();
    while (first != last) {
        const std::int64_t p = median_of(first, last)->price;
        std::int64_t demand = demand_fixed, supply = supply_fixed;
        for (auto it = first; it != last; ++it) {
            if (it->lots > 0) {
                if (it->price >= p) demand += it->lots;
            } else if (it->price <= p) {
                supply -= it->lots;
            }
        }
        if (supply >= demand) {
            // Prices above p can only do worse; go below p. Bids at or above
            // p count in D of every lower price.
            c.has_above = true;
            c.above = p, c.demand_above = demand, c.supply_above = supply;
            auto kept = std::partition(first, last, [p](const PricedLots& e) { return e.price < p; });
            for (auto it = kept; it != last; ++it)
                if (it->lots > 0) demand_fixed += it->lots;
            last = kept;
        } else {
            // Go above p. Offers at or below p count in S of every higher price.
            c.has_below = true;
            c.below = p, c.demand_below = demand, c.supply_below = supply;
            auto kept = std::partition(first, last, [p](const PricedLots& e) { return e.price <= p; });
            for (auto it = first; it != kept; ++it)
                if (it->lots < 0) supply_fixed -= it->lots;
            first = kept;
        }
    }
    // min(D, S) rises to the crossing and falls after it: its maximum is at
    // one of the two prices next to it (D at `above`, S at `below`).
    c.volume = std::max(c.has_above ? c.demand_above : 0, c.has_below ? c.supply_below : 0);
    return c;
}

inline std::int64_t crossing_volume(std::vector<PricedLots>& work) { return find_crossing(work).volume; }

}  // namespace detail

/// Scratch memory for clear_convex(), kept between calls to avoid allocation.
/// One workspace serves rounds of any size in turn; it is not for two calls
/// at once (one per thread).
struct ConvexWorkspace {
    std::vector<detail::PricedLots> priced;
    std::vector<std::uint32_t> group;
    std::vector<detail::Remainder> remainders;
    std::vector<detail::PriceBucket> buckets;
};

namespace detail {

/// How clear_convex() finds the crossing. Both give the same Crossing, hence
/// the same allocation; `prune_and_search` (all orders into find_crossing) is
/// kept for small books, where the histogram's passes cost more than they
/// save, and for the tests that compare the two.
enum class CrossingMethod : std::uint8_t { automatic, histogram, prune_and_search };

/// Below this many orders `automatic` goes straight to the prune-and-search.
inline constexpr std::size_t kHistogramMinOrders = 2048;

inline Crossing crossing_of(const OrderBook& book, ConvexWorkspace& ws, CrossingMethod method) {
    const std::size_t n = book.bid_count() + book.offer_count();
    if (method == CrossingMethod::automatic)
        method = n >= kHistogramMinOrders ? CrossingMethod::histogram : CrossingMethod::prune_and_search;
    if (method == CrossingMethod::histogram && n > 0) {
        const CrossingWindow w = histogram_window(book, ws.buckets, ws.priced);
        return find_crossing(ws.priced, w.demand_above, w.supply_below);
    }
    ws.priced.clear();
    ws.priced.reserve(n);
    for (std::size_t i = 0; i < book.bid_count(); ++i) ws.priced.push_back({book.bid_price[i], book.bid_lots[i]});
    for (std::size_t i = 0; i < book.offer_count(); ++i)
        ws.priced.push_back({book.offer_price[i], -book.offer_lots[i]});
    return find_crossing(ws.priced);
}

}  // namespace detail

/// Fills one side given its marginal price (`sign` = -1 for bids: higher is
/// better): every order strictly better in full, the group at the marginal
/// price shares `volume - lots strictly better` pro rata. One pass, plus the
/// group. `fill` is overwritten (resized to the side's orders, its capacity
/// kept).
inline void fill_at_margin(const std::vector<std::int64_t>& price, const std::vector<std::int64_t>& lots,
                           const std::vector<std::string_view>& ids, std::int64_t volume, std::int64_t marginal,
                           int sign, std::vector<std::int64_t>& fill, ConvexWorkspace& ws) {
    const std::size_t n = price.size();
    if (volume == 0) {
        fill.assign(n, 0);
        return;
    }
    fill.resize(n);
    const std::int64_t key = sign * marginal;
    std::int64_t in_full = 0;
    ws.group.clear();
    const std::int64_t* p = price.data();
    const std::int64_t* l = lots.data();
    std::int64_t* f = fill.data();
    // Branch-free: whether an order is in full is a coin toss near the
    // margin, and a mispredicted branch costs more than the mask. The group's
    // indices go to a small buffer (written every time, kept when at the
    // margin) that is emptied into ws.group when full.
    constexpr std::size_t kChunk = 256;
    std::uint32_t chunk[kChunk + 1];
    std::size_t held = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t k = sign * p[i];
        const std::int64_t x = l[i] & -static_cast<std::int64_t>(k < key);
        f[i] = x;
        in_full += x;
        chunk[held] = static_cast<std::uint32_t>(i);
        held += k == key;
        if (held == kChunk) [[unlikely]] {
            ws.group.insert(ws.group.end(), chunk, chunk + held);
            held = 0;
        }
    }
    ws.group.insert(ws.group.end(), chunk, chunk + held);
    detail::share_pro_rata(ws.group, lots.data(), ids, volume - in_full, fill.data(), ws.remainders);
}

/// The welfare-maximal, then volume-maximal allocation of a convex book
/// (book.is_convex()); see the file comment. Writes into `out`, reusing its
/// vectors' memory: a caller clearing many rounds with one Allocation and one
/// workspace allocates nothing once both have grown to the largest round.
inline void clear_convex(const OrderBook& book, ConvexWorkspace& ws, Allocation& out,
                         detail::CrossingMethod method = detail::CrossingMethod::automatic) {
    const detail::Crossing c = detail::crossing_of(book, ws, method);
    out.volume = c.volume;
    if (out.volume == 0) {
        out.bid_fill.assign(book.bid_count(), 0);
        out.offer_fill.assign(book.offer_count(), 0);
        return;
    }
    // No order price lies strictly between `below` and `above`, so the V*-th
    // lot of demand is either at `below` (when D(above) < V*) or in the
    // lowest bid group at or above `above`; likewise for supply.
    // Both margins are looked for among the orders the search ran on: all
    // of them, or a window that holds the ones needed (histogram_crossing.h).
    const std::int64_t demand_above = c.has_above ? c.demand_above : 0;
    std::int64_t bid_margin = c.below;
    if (demand_above == c.volume) {
        bid_margin = INT64_MAX;
        for (const detail::PricedLots& e : ws.priced)
            if (e.lots > 0 && e.price >= c.above && e.price < bid_margin) bid_margin = e.price;
    }
    const std::int64_t supply_below = c.has_below ? c.supply_below : 0;
    std::int64_t ask_margin = c.above;
    if (supply_below == c.volume) {
        ask_margin = INT64_MIN;
        for (const detail::PricedLots& e : ws.priced)
            if (e.lots < 0 && e.price <= c.below && e.price > ask_margin) ask_margin = e.price;
    }
    fill_at_margin(book.bid_price, book.bid_lots, book.bid_id, out.volume, bid_margin, -1, out.bid_fill, ws);
    fill_at_margin(book.offer_price, book.offer_lots, book.offer_id, out.volume, ask_margin, +1, out.offer_fill, ws);
}

inline Allocation clear_convex(const OrderBook& book, ConvexWorkspace& ws) {
    Allocation a;
    clear_convex(book, ws, a);
    return a;
}

inline Allocation clear_convex(const OrderBook& book) {
    ConvexWorkspace ws;
    return clear_convex(book, ws);
}

}  // namespace jpclear
