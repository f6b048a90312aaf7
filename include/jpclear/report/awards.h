#pragma once
// Awards: which offer delivers to which bid (spec section 7).
//
// Accepted bids in order of P descending then id, accepted offers in order of
// A ascending then id, filled against each other front to front: one award
// per (bid, offer) pair that shares lots. Sorting the accepted orders makes
// this O(a log a) for a accepted orders (the keys hold the id's first bytes, 24
// bytes an accepted order while sorting); it is report work, kept out of the
// clearing core.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/order_book.h"

namespace jpclear {

struct AwardLots {
    std::uint32_t bid;    ///< bid index (input order)
    std::uint32_t offer;  ///< eligible offer index (book order)
    std::int64_t lots;
};

namespace detail {

/// An accepted order as the award sort sees it: price first, then the id's
/// first 8 bytes as one big-endian number (shorter ids padded with zeros),
/// so that most ties of price are broken without a call to memcmp. Equal
/// prefixes fall back to the whole ids: the order is exactly (price, id).
struct AwardKey {
    std::int64_t price;
    std::uint64_t id_prefix;
    std::uint32_t order;
};

inline std::uint64_t id_prefix(std::string_view id) {
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < 8; ++i)
        key = key << 8 | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
    return key;
}

// `price` is negated for bids, so that both sides sort ascending.
inline void sort_awarded(std::vector<AwardKey>& keys, const std::vector<std::string_view>& ids) {
    std::sort(keys.begin(), keys.end(), [&](const AwardKey& a, const AwardKey& b) {
        if (a.price != b.price) return a.price < b.price;
        if (a.id_prefix != b.id_prefix) return a.id_prefix < b.id_prefix;
        return ids[a.order] < ids[b.order];
    });
}

}  // namespace detail

inline std::vector<AwardLots> match_awards(const OrderBook& book, const Allocation& a) {
    std::vector<detail::AwardKey> bid_keys, offer_keys;
    // Sized first: grown by doubling, a list and its copy are held at once.
    bid_keys.reserve(static_cast<std::size_t>(std::count_if(a.bid_fill.begin(), a.bid_fill.end(), [](std::int64_t x) { return x > 0; })));
    offer_keys.reserve(static_cast<std::size_t>(std::count_if(a.offer_fill.begin(), a.offer_fill.end(), [](std::int64_t x) { return x > 0; })));
    for (std::uint32_t b = 0; b < book.bid_count(); ++b)
        if (a.bid_fill[b] > 0) bid_keys.push_back({-book.bid_price[b], detail::id_prefix(book.bid_id[b]), b});
    for (std::uint32_t o = 0; o < book.offer_count(); ++o)
        if (a.offer_fill[o] > 0) offer_keys.push_back({book.offer_price[o], detail::id_prefix(book.offer_id[o]), o});
    detail::sort_awarded(bid_keys, book.bid_id);
    detail::sort_awarded(offer_keys, book.offer_id);
    std::vector<std::uint32_t> bids(bid_keys.size()), offers(offer_keys.size());
    for (std::size_t i = 0; i < bids.size(); ++i) bids[i] = bid_keys[i].order;
    for (std::size_t i = 0; i < offers.size(); ++i) offers[i] = offer_keys[i].order;
    bid_keys = {};
    offer_keys = {};
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
