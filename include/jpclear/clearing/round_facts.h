#pragma once
// Cheap whole-round facts, found before any search (issue 12).
//
// A search with a cap can spend its whole limit proving what one pass over
// the orders shows: that the cap admits no volume at all. This file holds
// such O(n) facts; solve() and clear_with_blocks() ask them first.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/clearing/support.h"

namespace jpclear::detail {

/// Whether the round's cap admits no trade only (V = 0 the one feasible
/// volume), so that no trade is the proven optimum.
///
/// Rule. Let s = num/den < 1 be the cap, Vmax = min(total bid lots, total
/// offer lots) and Kmax = floor(s Vmax). An offer o can sell only if it can
/// sell its least positive fill, max(min_lots, 1); call origin c *able* when
/// one of its offers has max(min_lots, 1) <= min(lots, Kmax). Let m be the
/// number of able origins. If m s < 1 (m num < den), no V > 0 is feasible.
///
/// Proof. Take a feasible allocation with V > 0. Then V <= Vmax (each side
/// trades V lots) and the cap is K = floor(s V) <= Kmax. An origin that sells
/// sells >= max(min_lots, 1) of some offer of its own, and at most K <= Kmax,
/// so it is able; hence at most m origins sell, each at most K <= s V lots,
/// and V = (sum over them) <= m s V < V: a contradiction. So V = 0. The
/// one-origin case of issue 12 (cap 0.5, every offer from one origin) is
/// m = 1, s < 1. The argument uses only the lot rules and the cap, never the
/// prices or places, so it holds with logistics too.
inline bool caps_admit_only_no_trade(const Market& m) {
    if (!m.max_origin_share) return false;
    const int128 num = m.max_origin_share->coefficient();
    const int128 den = pow10(m.max_origin_share->scale());
    if (num >= den) return false;  // s >= 1: the cap never binds alone
    int128 demand = 0, supply = 0;
    for (std::int64_t lots : m.bid_lots) demand += lots;
    for (std::int64_t lots : m.offer_lots) supply += lots;
    const int128 vmax = std::min(demand, supply);
    if (vmax <= 0) return false;  // nothing can trade anyway; the search says so at once
    const int128 kmax = num * vmax / den;
    // vector<bool>, not vector<char>: GCC 12 at -O3 warns falsely
    // (-Wfree-nonheap-object) on the char vector once this is inlined.
    std::vector<bool> able(m.origins.size(), false);
    for (std::size_t o = 0; o < m.offer_count(); ++o) {
        const int128 least = std::max<std::int64_t>(m.offer_min[o], 1);
        if (least <= std::min<int128>(m.offer_lots[o], kmax)) able[m.offer_origin[o]] = true;
    }
    const auto count = static_cast<int128>(std::count(able.begin(), able.end(), true));
    return count * num < den;
}

}  // namespace jpclear::detail
