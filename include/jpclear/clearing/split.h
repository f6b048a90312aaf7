#pragma once
// The spec's pro-rata split, restored after a search (spec section 5).
//
// Orders at the same converted price (at one place) share their group's lots
// pro rata to `lots`; only where a cap or a block makes that split impossible
// may another deterministic split be used. The searches for blocks and caps
// find their optimum with a split of their own (block_search.h: a block at
// the price first gets its minimum; network_search.h: each block and fixed
// order its own flow). Welfare and volume depend only on each group's total,
// so this pass takes every price group whose split is not the plain pro-rata
// one, puts the plain split in its place, and keeps it when the allocation
// still meets the block rules, the cap and rule 4 (a supporting price, or
// price vector with places); otherwise it keeps the search's split. Passes
// repeat until nothing changes, so at the end every group is either pro rata
// or pro rata is impossible for it, given the others. The price interval then
// follows from the final allocation.
//
// Complexity. O(n log n) to group the orders; each group that is not already
// pro rata costs one O(n) support check. Groups filled in full or not at all
// are pro rata already, so in practice only the marginal groups are tried.
// Many marginal groups make that O(n) per group, so the pass takes a
// Deadline (limits.h): once it has passed, the remaining groups keep the
// search's split, which meets every rule (only the tie split differs).

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "jpclear/clearing/limits.h"
#include "jpclear/clearing/market.h"
#include "jpclear/clearing/pro_rata.h"
#include "jpclear/clearing/solution.h"
#include "jpclear/clearing/support.h"

namespace jpclear {

namespace detail {

/// Orders of one side grouped by (place, price): each group a run of `order`.
struct PriceGroups {
    std::vector<std::uint32_t> order;
    std::vector<std::size_t> start;  ///< group g is order[start[g], start[g + 1])
};

inline PriceGroups price_groups(const std::vector<std::int64_t>& price, const std::vector<std::uint32_t>* node) {
    PriceGroups g;
    g.order.resize(price.size());
    for (std::uint32_t i = 0; i < g.order.size(); ++i) g.order[i] = i;
    auto place = [&](std::uint32_t i) { return node ? (*node)[i] : 0u; };
    std::sort(g.order.begin(), g.order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (place(a) != place(b)) return place(a) < place(b);
        if (price[a] != price[b]) return price[a] < price[b];
        return a < b;
    });
    for (std::size_t k = 0; k < g.order.size(); ++k)
        if (k == 0 || place(g.order[k]) != place(g.order[k - 1]) || price[g.order[k]] != price[g.order[k - 1]])
            g.start.push_back(k);
    g.start.push_back(g.order.size());
    return g;
}

inline bool meets_rules(const Market& m, const Solution& s) {
    const Allocation& a = s.allocation;
    auto fits = [](std::int64_t fill, std::int64_t min) { return fill == 0 || fill >= min; };
    for (std::size_t b = 0; b < m.bid_count(); ++b)
        if (!fits(a.bid_fill[b], m.bid_min[b])) return false;
    for (std::size_t o = 0; o < m.offer_count(); ++o)
        if (!fits(a.offer_fill[o], m.offer_min[o])) return false;
    if (m.max_origin_share) {
        const std::int64_t cap = origin_cap_lots(*m.max_origin_share, a.volume);
        for (std::int64_t lots : origin_totals(m, a))
            if (lots > cap) return false;
    }
    if (m.has_places()) return price_conflict(m, a, s.arc_flow).empty();
    return a.volume == 0 || price_interval(m, a).has_value();
}

}  // namespace detail

/// Puts the plain pro-rata split back wherever it meets the rules; see the
/// file comment. Welfare, volume and route flows are unchanged. With a
/// `deadline` that passes, it stops early (the search's split stays).
inline void restore_pro_rata(const Market& m, Solution& s, const detail::Deadline* deadline = nullptr) {
    if (s.allocation.volume == 0) return;
    const std::vector<std::uint32_t>* bid_node = m.has_places() ? &m.bid_node : nullptr;
    const std::vector<std::uint32_t>* offer_node = m.has_places() ? &m.offer_node : nullptr;
    const detail::PriceGroups bids = detail::price_groups(m.bid_price, bid_node);
    const detail::PriceGroups offers = detail::price_groups(m.offer_price, offer_node);
    std::vector<std::int64_t> plain, kept, group_lots;
    std::vector<std::uint32_t> local;
    std::vector<std::string_view> group_ids;
    std::vector<detail::Remainder> scratch;
    bool out_of_time = false;
    // One side's groups; true when some group changed.
    auto pass = [&](const detail::PriceGroups& groups, std::vector<std::int64_t>& fill,
                    const std::vector<std::int64_t>& lots, const std::vector<std::string_view>& ids) {
        bool changed = false;
        for (std::size_t g = 0; g + 1 < groups.start.size(); ++g) {
            const std::span<const std::uint32_t> members(groups.order.data() + groups.start[g],
                                                         groups.start[g + 1] - groups.start[g]);
            if (members.size() < 2) continue;
            std::int64_t total = 0, room = 0;
            for (std::uint32_t i : members) {
                total += fill[i];
                room += lots[i];
            }
            if (total == 0 || total == room) continue;  // nothing or everything: pro rata already
            // The plain split, on the group's own indices.
            local.resize(members.size());
            group_lots.clear();
            group_ids.clear();
            for (std::uint32_t k = 0; k < members.size(); ++k) {
                local[k] = k;
                group_lots.push_back(lots[members[k]]);
                group_ids.push_back(ids[members[k]]);
            }
            plain.assign(members.size(), 0);
            detail::share_pro_rata(local, group_lots.data(), group_ids, total, plain.data(), scratch);
            bool same = true;
            for (std::size_t k = 0; k < members.size(); ++k) same = same && plain[k] == fill[members[k]];
            if (same) continue;
            if (deadline && deadline->passed()) {  // read once per O(n) check below
                out_of_time = true;
                return changed;
            }
            kept.clear();
            for (std::size_t k = 0; k < members.size(); ++k) {
                kept.push_back(fill[members[k]]);
                fill[members[k]] = plain[k];
            }
            if (detail::meets_rules(m, s)) {
                changed = true;
                continue;
            }
            for (std::size_t k = 0; k < members.size(); ++k) fill[members[k]] = kept[k];
        }
        return changed;
    };
    const std::size_t most_passes = bids.start.size() + offers.start.size();
    for (std::size_t round = 0; round < most_passes; ++round) {
        const bool bids_changed = pass(bids, s.allocation.bid_fill, m.bid_lots, m.bid_id);
        const bool offers_changed =
            !out_of_time && pass(offers, s.allocation.offer_fill, m.offer_lots, m.offer_id);
        if (out_of_time || (!bids_changed && !offers_changed)) break;
    }
}

}  // namespace jpclear
