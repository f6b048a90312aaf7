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
// maximum over all prices is reached at an order's price. A prune-and-search
// takes the median price of the orders still in play (std::nth_element),
// evaluates D and S there, and drops every order on one side of it, folding
// their lots into running totals; half the orders go each round. Two weighted
// selections of the same kind then find the marginal bid price (where the
// V*-th lot of demand sits) and the marginal ask price. Only orders exactly at
// a marginal price are visited again, for the pro-rata split.
//
// Complexity. O(n) expected time, O(n log n) worst case (introselect), over
// n = bids + offers; 16 bytes of scratch an order, reusable across calls
// through ConvexWorkspace.
//
// Caveats. Lot sums fit in int64 because a round has at most 2^32 - 1 orders
// of at most 10^9 lots (validate.h). Ids are compared only to break exact
// ties of pro-rata remainders.

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "jpclear/clearing/allocation.h"
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

/// V* = max_p min(D(p), S(p)); `work` holds bids (lots > 0) and offers (lots < 0).
inline std::int64_t crossing_volume(std::vector<PricedLots>& work) {
    std::int64_t demand_fixed = 0;  // bids priced above every price still in play
    std::int64_t supply_fixed = 0;  // offers priced below every price still in play
    std::int64_t best = 0;
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
        best = std::max(best, std::min(demand, supply));
        if (supply >= demand) {
            // Prices above p can only do worse; go below p. Bids at or above
            // p count in D of every lower price.
            auto kept = std::partition(first, last, [p](const PricedLots& e) { return e.price < p; });
            for (auto it = kept; it != last; ++it)
                if (it->lots > 0) demand_fixed += it->lots;
            last = kept;
        } else {
            // Go above p. Offers at or below p count in S of every higher price.
            auto kept = std::partition(first, last, [p](const PricedLots& e) { return e.price <= p; });
            for (auto it = first; it != kept; ++it)
                if (it->lots < 0) supply_fixed -= it->lots;
            first = kept;
        }
    }
    return best;
}

/// The smallest key K with (lots of keys <= K) >= volume, and the lots of keys
/// < K. Requires 0 < volume <= total lots in `work`.
inline std::pair<std::int64_t, std::int64_t> marginal_key(std::vector<PricedLots>& work, std::int64_t volume) {
    std::int64_t before = 0;  // lots of keys below every key still in play
    auto first = work.begin(), last = work.end();
    for (;;) {
        const std::int64_t k = median_of(first, last)->price;
        std::int64_t below = 0, at = 0;
        for (auto it = first; it != last; ++it) {
            if (it->price < k)
                below += it->lots;
            else if (it->price == k)
                at += it->lots;
        }
        if (before + below >= volume) {
            last = std::partition(first, last, [k](const PricedLots& e) { return e.price < k; });
        } else if (before + below + at >= volume) {
            return {k, before + below};
        } else {
            before += below + at;
            first = std::partition(first, last, [k](const PricedLots& e) { return e.price <= k; });
        }
    }
}

}  // namespace detail

/// Scratch memory for clear_convex(), kept between calls to avoid allocation.
struct ConvexWorkspace {
    std::vector<detail::PricedLots> priced;
    std::vector<std::uint32_t> group;
    std::vector<detail::Remainder> remainders;
};

/// One side's fills: everything strictly better than the marginal price in
/// full, the marginal group pro rata. `sign` = -1 for bids (higher is better).
inline void fill_side(const std::vector<std::int64_t>& price, const std::vector<std::int64_t>& lots,
                      const std::vector<std::string_view>& ids, std::int64_t volume, int sign,
                      std::vector<std::int64_t>& fill, ConvexWorkspace& ws) {
    const std::size_t n = price.size();
    fill.assign(n, 0);
    if (volume == 0) return;
    ws.priced.clear();
    ws.priced.reserve(n);
    for (std::size_t i = 0; i < n; ++i) ws.priced.push_back({sign * price[i], lots[i]});
    auto [key, in_full] = detail::marginal_key(ws.priced, volume);
    ws.group.clear();
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t k = sign * price[i];
        if (k < key)
            fill[i] = lots[i];
        else if (k == key)
            ws.group.push_back(static_cast<std::uint32_t>(i));
    }
    detail::share_pro_rata(ws.group, lots.data(), ids, volume - in_full, fill.data(), ws.remainders);
}

/// The welfare-maximal, then volume-maximal allocation of a convex book
/// (book.is_convex()); see the file comment.
inline Allocation clear_convex(const OrderBook& book, ConvexWorkspace& ws) {
    ws.priced.clear();
    ws.priced.reserve(book.bid_count() + book.offer_count());
    for (std::size_t i = 0; i < book.bid_count(); ++i) ws.priced.push_back({book.bid_price[i], book.bid_lots[i]});
    for (std::size_t i = 0; i < book.offer_count(); ++i)
        ws.priced.push_back({book.offer_price[i], -book.offer_lots[i]});
    Allocation a;
    a.volume = detail::crossing_volume(ws.priced);
    fill_side(book.bid_price, book.bid_lots, book.bid_id, a.volume, -1, a.bid_fill, ws);
    fill_side(book.offer_price, book.offer_lots, book.offer_id, a.volume, +1, a.offer_fill, ws);
    return a;
}

inline Allocation clear_convex(const OrderBook& book) {
    ConvexWorkspace ws;
    return clear_convex(book, ws);
}

}  // namespace jpclear
