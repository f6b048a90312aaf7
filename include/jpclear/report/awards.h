#pragma once
// Awards: which offer delivers to which bid (spec section 7).
//
// Accepted bids in order of P descending then id, accepted offers in order of
// A ascending then id, filled against each other front to front: one award
// per (bid, offer) pair that shares lots. Sorting the accepted orders makes
// this O(a log a) for a accepted orders; it is report work, kept out of the
// clearing core.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/order_book.h"

namespace jpclear {

struct AwardLots {
    std::uint32_t bid;    ///< bid index (input order)
    std::uint32_t offer;  ///< eligible offer index (book order)
    std::int64_t lots;
};

inline std::vector<AwardLots> match_awards(const OrderBook& book, const Allocation& a) {
    std::vector<std::uint32_t> bids, offers;
    for (std::uint32_t b = 0; b < book.bid_count(); ++b)
        if (a.bid_fill[b] > 0) bids.push_back(b);
    for (std::uint32_t o = 0; o < book.offer_count(); ++o)
        if (a.offer_fill[o] > 0) offers.push_back(o);
    std::sort(bids.begin(), bids.end(), [&](std::uint32_t i, std::uint32_t j) {
        if (book.bid_price[i] != book.bid_price[j]) return book.bid_price[i] > book.bid_price[j];
        return book.bid_id[i] < book.bid_id[j];
    });
    std::sort(offers.begin(), offers.end(), [&](std::uint32_t i, std::uint32_t j) {
        if (book.offer_price[i] != book.offer_price[j]) return book.offer_price[i] < book.offer_price[j];
        return book.offer_id[i] < book.offer_id[j];
    });
    std::vector<AwardLots> out;
    out.reserve(bids.size() + offers.size());
    std::size_t i = 0, j = 0;
    std::int64_t bid_left = bids.empty() ? 0 : a.bid_fill[bids[0]];
    std::int64_t offer_left = offers.empty() ? 0 : a.offer_fill[offers[0]];
    while (i < bids.size() && j < offers.size()) {
        const std::int64_t lots = std::min(bid_left, offer_left);
        out.push_back({bids[i], offers[j], lots});
        bid_left -= lots;
        offer_left -= lots;
        if (bid_left == 0 && ++i < bids.size()) bid_left = a.bid_fill[bids[i]];
        if (offer_left == 0 && ++j < offers.size()) offer_left = a.offer_fill[offers[j]];
    }
    return out;
}

}  // namespace jpclear
