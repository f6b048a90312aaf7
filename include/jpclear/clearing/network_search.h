#pragma once
// Exact delivered clearing with blocks and an origin cap (spec 5 and 10).
//
// Problem. As in network.h, plus blocks (an order with min_lots > 0 trades 0
// or at least min_lots; a rejected block is exempt from 4(b)/(c)) and the cap
// (no origin above K = floor(s V); an origin at its cap is exempt from 4(c)).
//
// Why a search over block decisions is exact. Fix every block as rejected
// (removed) or accepted (an ordinary order that must trade >= min_lots), and
// fix K. The allocations that meet rule 4 are then exactly the
// welfare-optimal flows of that convex network (with origin arcs of capacity
// K) that meet the accepted blocks' minimums and have floor(s V) = K: rule 4
// is complementary slackness, and a place's price is its node's dual. So the
// leaf's best is found by two flow solves: the optimum W, and the optimum with
// the accepted minimums forced in (network.h's big M); the leaf is feasible
// exactly when forcing costs no welfare and V can be brought into K's range.
// An inner node, with some blocks open (divisible, non-exempt), bounds every
// leaf below it by its own flow optimum, and is solved outright when that
// optimum already meets every block rule.
//
// Algorithm. For each cap value K from the largest possible down (one pass
// without a cap), depth-first branch-and-bound over the open blocks: solve the
// node's relaxation; prune when it cannot beat the incumbent (welfare, then
// volume); accept it when its flow meets the block rules, the cap range and
// 4(a)-(d) (checked by price_lattice); otherwise branch on a block the flow
// splits (0 < x < min_lots), or else on any open block, the side the flow
// leans to first. K's bound (its relaxation) only falls as K falls, so the
// scan stops at the first K that cannot beat the incumbent.
//
// Complexity. Exponential in the number of blocks in the worst case (the
// problem is NP-hard), bounded by Options::node_limit and time_limit_ms; each
// node costs one or two flow solves. Made for the rounds of section 10 (few
// places); one-place rounds keep the price-decomposition search of
// block_search.h.
//
// Caveats. A limit returns the best allocation found (feasible and
// price-supported) with optimality `limit` and the root relaxation's welfare
// as bound. Before any search the incumbent is a trade that always meets the
// rules: without a cap every block rejected; with a cap, no trade.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "jpclear/clearing/network.h"
#include "jpclear/clearing/solution.h"
#include "jpclear/clearing/support.h"
#include "jpclear/options.h"

namespace jpclear {

namespace detail {

class NetworkSearch {
public:
    NetworkSearch(const Market& m, const Options& options)
        : m_(m), model_(m), options_(options), blocks_(model_.blocks()), start_(std::chrono::steady_clock::now()) {
        if (m.max_origin_share) {
            share_num_ = m.max_origin_share->coefficient();
            share_den_ = pow10(m.max_origin_share->scale());
        }
    }

    Solution run() {
        const std::vector<BlockState> open(blocks_.size(), BlockState::open);
        const NetworkModel::Solved root = model_.solve(open, std::nullopt, false);
        root_bound_ = root.welfare;
        if (!capped()) {
            // Every block rejected: the divisible orders alone, which meet the
            // rules unless the places admit no price vector at all.
            std::vector<BlockState> rejected(blocks_.size(), BlockState::rejected);
            NetworkAllocation first = model_.solve(rejected, std::nullopt, false).allocation;
            if (meets_rules(first, rejected, 0, FlowNetwork::unlimited)) offer(first);
            std::vector<BlockState> state = open;
            descend(state, std::nullopt, 0, FlowNetwork::unlimited);
        } else {
            NetworkAllocation none;
            none.fills.bid_fill.assign(m_.bid_count(), 0);
            none.fills.offer_fill.assign(m_.offer_count(), 0);
            none.arc_flow.assign(m_.arcs.size(), 0);
            offer(none);
            scan_caps();
        }
        Solution out;
        if (!best_) {  // nothing met rule 4: the builder reports the places that admit no price
            best_.emplace();
            best_->fills.bid_fill.assign(m_.bid_count(), 0);
            best_->fills.offer_fill.assign(m_.offer_count(), 0);
            best_->arc_flow.assign(m_.arcs.size(), 0);
        }
        out.allocation = std::move(best_->fills);
        out.arc_flow = std::move(best_->arc_flow);
        out.nodes = nodes_;
        out.prices = caps_;
        out.optimality = stopped_ ? Optimality::limit : Optimality::proven;
        out.bound = stopped_ ? std::max(root_bound_, best_welfare_) : best_welfare_;
        return out;
    }

private:
    bool capped() const { return share_den_ != 0; }

    void scan_caps() {
        int128 demand = 0, supply = 0;
        for (std::int64_t l : m_.bid_lots) demand += l;
        for (std::int64_t l : m_.offer_lots) supply += l;
        const auto most_volume = static_cast<std::int64_t>(std::min(demand, supply));
        const std::vector<BlockState> open(blocks_.size(), BlockState::open);
        for (std::int64_t k = static_cast<std::int64_t>(share_num_ * most_volume / share_den_); k >= 0 && !stopped_;
             --k) {
            // floor(s V) = k  <=>  k den <= num V < (k + 1) den.
            const std::int64_t v_low = static_cast<std::int64_t>(ceil_div(static_cast<int128>(k) * share_den_, share_num_));
            const std::int64_t v_high =
                static_cast<std::int64_t>((static_cast<int128>(k + 1) * share_den_ - 1) / share_num_);
            if (v_low > most_volume) continue;
            ++caps_;
            // The relaxation at k bounds every k' <= k too: fewer lots per origin.
            const NetworkModel::Solved bound = model_.solve(open, k, false, v_high);
            if (bound.welfare < best_welfare_) break;
            std::vector<BlockState> state = open;
            descend(state, k, v_low, v_high);
        }
    }

    bool out_of_budget() {
        if (nodes_ >= options_.node_limit) return true;
        if (options_.time_limit_ms && (nodes_ & 63) == 0) {
            const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
            if (spent.count() >= *options_.time_limit_ms) return true;
        }
        return false;
    }

    // Whether `a` meets the block rules of `state`, the cap range and rule 4.
    bool meets_rules(const NetworkAllocation& a, const std::vector<BlockState>& state, std::int64_t v_low,
                     std::int64_t v_high) const {
        if (a.fills.volume < v_low || a.fills.volume > v_high) return false;
        for (std::size_t k = 0; k < blocks_.size(); ++k) {
            const std::int64_t got = fill_of(a, k), min = min_of(k);
            if (state[k] == BlockState::accepted ? got < min : (got > 0 && got < min)) return false;
        }
        if (capped()) {
            const std::int64_t cap = origin_cap_lots(*m_.max_origin_share, a.fills.volume);
            for (std::int64_t lots : origin_totals(m_, a.fills))
                if (lots > cap) return false;
        }
        return price_lattice(m_, a.fills, a.arc_flow).has_value();
    }

    std::int64_t fill_of(const NetworkAllocation& a, std::size_t k) const {
        return blocks_[k].bid ? a.fills.bid_fill[blocks_[k].order] : a.fills.offer_fill[blocks_[k].order];
    }
    std::int64_t min_of(std::size_t k) const {
        return blocks_[k].bid ? m_.bid_min[blocks_[k].order] : m_.offer_min[blocks_[k].order];
    }

    bool cannot_improve(int128 welfare, std::int64_t volume) const {
        return best_ && (welfare < best_welfare_ || (welfare == best_welfare_ && volume <= best_volume_));
    }

    void offer(const NetworkAllocation& a) {
        const int128 w = model_.welfare_of(a);
        if (cannot_improve(w, a.fills.volume)) return;
        best_ = a;
        best_welfare_ = w;
        best_volume_ = a.fills.volume;
    }

    void descend(std::vector<BlockState>& state, std::optional<std::int64_t> cap, std::int64_t v_low,
                 std::int64_t v_high) {
        if (stopped_) return;
        if (out_of_budget()) {
            stopped_ = true;
            return;
        }
        ++nodes_;
        const NetworkModel::Solved relaxed = model_.solve(state, cap, false, v_high);
        if (cannot_improve(relaxed.welfare, relaxed.allocation.fills.volume)) return;
        if (meets_rules(relaxed.allocation, state, v_low, v_high)) return offer(relaxed.allocation);
        const NetworkAllocation* guide = &relaxed.allocation;
        std::optional<NetworkModel::Solved> forced;
        if (std::find(state.begin(), state.end(), BlockState::accepted) != state.end()) {
            forced = model_.solve(state, cap, true, v_high);
            if (forced->forced_shortfall == 0 && forced->welfare == relaxed.welfare) {
                if (meets_rules(forced->allocation, state, v_low, v_high)) return offer(forced->allocation);
                guide = &forced->allocation;
            }
        }
        // Branch on a block the flow splits, else on any open block.
        std::optional<std::size_t> pick;
        for (std::size_t k = 0; k < blocks_.size() && !pick; ++k)
            if (state[k] == BlockState::open && fill_of(*guide, k) > 0 && fill_of(*guide, k) < min_of(k)) pick = k;
        for (std::size_t k = 0; k < blocks_.size() && !pick; ++k)
            if (state[k] == BlockState::open) pick = k;
        if (!pick) return;  // a leaf that no allocation meets
        const bool accept_first = fill_of(*guide, *pick) > 0;
        for (int side = 0; side < 2; ++side) {
            state[*pick] = (side == 0) == accept_first ? BlockState::accepted : BlockState::rejected;
            descend(state, cap, v_low, v_high);
        }
        state[*pick] = BlockState::open;
    }

    const Market& m_;
    NetworkModel model_;
    const Options& options_;
    std::vector<NetworkModel::BlockRef> blocks_;
    std::chrono::steady_clock::time_point start_;
    int128 share_num_ = 0, share_den_ = 0;
    std::optional<NetworkAllocation> best_;
    int128 best_welfare_ = 0, root_bound_ = 0;
    std::int64_t best_volume_ = 0;
    std::int64_t nodes_ = 0, caps_ = 0;
    bool stopped_ = false;
};

}  // namespace detail

/// The exact optimum of a market with places and blocks and/or a cap; see
/// the file comment.
inline Solution clear_network_with_blocks(const Market& market, const Options& options = {}) {
    return detail::NetworkSearch(market, options).run();
}

}  // namespace jpclear
