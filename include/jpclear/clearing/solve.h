#pragma once
// solve(): a Market in, a Solution out. The one entry to the clearing
// algorithms, each chosen for the shape of the market:
//
//   one place,  no blocks, no cap   clear_convex()               convex.h
//   one place,  blocks or a cap     clear_with_blocks()          block_search.h
//   places,     no blocks, no cap   clear_network()              network.h
//   places,     blocks or a cap     clear_network_with_blocks()  network_search.h
//
// The one-place market is the one-node, free-self-route case of the network
// problem; it keeps its own algorithms because they exploit that shape (a
// crossing found by selection, a price decomposition) and are much faster.
// After a search (blocks or a cap), restore_pro_rata() (split.h) puts the
// spec's plain pro-rata split back in every price group where it meets the
// rules; the convex paths split pro rata already.
//
// Limits. Options::time_limit_ms and the stop flag bound the search and the
// pass after it: the search stops at the limit, restore_pro_rata() at a
// quarter of it later. Before any search, caps_admit_only_no_trade()
// (round_facts.h) answers a round whose cap admits no volume at all.

#include "jpclear/clearing/block_search.h"
#include "jpclear/clearing/convex.h"
#include "jpclear/clearing/limits.h"
#include "jpclear/clearing/market.h"
#include "jpclear/clearing/network.h"
#include "jpclear/clearing/network_search.h"
#include "jpclear/clearing/round_facts.h"
#include "jpclear/clearing/solution.h"
#include "jpclear/clearing/split.h"
#include "jpclear/options.h"

namespace jpclear {

inline Solution solve(const Market& market, const Options& options = {}) {
    const detail::Deadline after_search = detail::Deadline(options).extended(0.25);
    if (market.has_places()) {
        if (!market.is_convex()) {
            if (detail::caps_admit_only_no_trade(market)) {
                Solution s;  // no trade, proven: see round_facts.h
                s.allocation.bid_fill.assign(market.bid_count(), 0);
                s.allocation.offer_fill.assign(market.offer_count(), 0);
                s.arc_flow.assign(market.arcs.size(), 0);
                return s;
            }
            Solution s = clear_network_with_blocks(market, options);
            restore_pro_rata(market, s, &after_search);
            return s;
        }
        NetworkAllocation found = clear_network(market);
        Solution s;
        s.allocation = std::move(found.fills);
        s.arc_flow = std::move(found.arc_flow);
        return s;
    }
    Solution s;
    if (market.is_convex()) {
        s.allocation = clear_convex(market);
        return s;
    }
    BlockSearchOutcome found = clear_with_blocks(market, options);
    s.allocation = std::move(found.allocation);
    s.optimality = found.optimality;
    s.bound = found.bound;
    s.nodes = found.nodes;
    s.prices = found.prices;
    restore_pro_rata(market, s, &after_search);
    return s;
}

}  // namespace jpclear
