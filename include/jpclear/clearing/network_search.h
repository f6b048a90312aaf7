#pragma once
// Exact delivered clearing with blocks and an origin cap, or with places
// whose one price per place the plain network cannot meet (spec 5 and 10).
//
// Problem. Choose fills and route flows (rules 1-3 of spec 5 and 10) that a
// vector of place prices supports under 4(a)-(d), where a rejected block is
// exempt from 4(b)/(c), an offer whose origin is at its cap K = floor(s V)
// from 4(c), and maximise welfare, then V. The supported allocations are not
// those of one linear program: the exemptions and the single price a place
// has for its bids, its offers and its routes make this a linear program with
// complementarity conditions, a mixed-integer problem.
//
// Algorithm. Branch-and-bound on the physical network of network.h (each
// place two nodes, lots along exactly one route). A node fixes some orders
// (to zero, to their lots, to at least min_lots), some routes (to zero or
// full) and some origins (to sell exactly K); its linear program, solved as a
// min-cost flow with the fixings as forced lots, bounds every allocation
// below it (welfare, then volume). Its flow is then checked:
//   - a block the flow splits (0 < x < min_lots): branch, rejected | accepted;
//   - the price constraints of the flow (support.h): when they contradict
//     each other there is a cycle of them, and every supported allocation
//     below differs from this flow in at least one constraint of the cycle,
//     so there is one child per such constraint with it switched off: an
//     order that buys or sells fixed to zero, one that could trade more fixed
//     to its lots (or a block rejected, or its origin put at its cap), a
//     route that carries fixed to zero, one that could carry more fixed full;
//   - otherwise the flow is supported: it is the node's optimum.
// With a cap, the search runs once per cap value K from the largest down,
// with V held to the volumes whose floor(s V) is K; a maximum flow bounds V
// (skipping, in one jump, the K that no allocation can reach), and K's own
// relaxation bounds every lower K, which ends the scan.
//
// Complexity. Exponential in the worst case (the problem is NP-hard), bounded
// by Options::node_limit and time_limit_ms; each node costs one flow solve
// (O(levels) to build plus the successive shortest paths). Rounds without
// blocks and caps whose places can be priced never come here
// (clear_network()); one-place rounds keep block_search.h.
//
// Caveats. A limit returns the best allocation found (supported, so feasible)
// with optimality `limit` and the root relaxation's welfare as bound. Before
// any search the incumbent is: without a cap, every block rejected (when its
// flow is supported); with a cap, no trade (always supported).

#include <algorithm>
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
        : m_(m), model_(m), options_(options), start_(std::chrono::steady_clock::now()) {
        if (m.max_origin_share) {
            share_num_ = m.max_origin_share->coefficient();
            share_den_ = pow10(m.max_origin_share->scale());
        }
    }

    Solution run() {
        root_bound_ = model_.solve(free(), std::nullopt).welfare;
        if (!capped()) {
            // Every block rejected: the divisible orders alone.
            Fixings rejected = free();
            for (std::uint32_t b = 0; b < m_.bid_count(); ++b)
                if (m_.bid_min[b] > 0) rejected.bid[b] = Fix::zero;
            for (std::uint32_t o = 0; o < m_.offer_count(); ++o)
                if (m_.offer_min[o] > 0) rejected.offer[o] = Fix::zero;
            const NetworkModel::Solved first = model_.solve(rejected, std::nullopt);
            if (first.feasible && supported(first.allocation)) offer(first.allocation);
            Fixings fix = free();
            descend(fix, std::nullopt, {});
        } else {
            NetworkAllocation none;
            none.fills.bid_fill.assign(m_.bid_count(), 0);
            none.fills.offer_fill.assign(m_.offer_count(), 0);
            none.arc_flow.assign(m_.arcs.size(), 0);
            offer(none);
            scan_caps();
        }
        Solution out;
        if (!best_) {
            if (!stopped_) throw NoPlacePrices(no_place_prices_text);  // searched everything: none exists
            best_.emplace();  // stopped before finding one: no trade, which the builder checks
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
    using Range = VolumeRange;

    bool capped() const { return share_den_ != 0; }

    Fixings free() const {
        Fixings f;
        f.bid.assign(m_.bid_count(), Fix::free);
        f.offer.assign(m_.offer_count(), Fix::free);
        f.arc.assign(m_.arcs.size(), Fix::free);
        f.origin_at_cap.assign(m_.origins.size(), 0);
        return f;
    }

    // floor(s V) = k  <=>  k den <= num V < (k + 1) den.
    Range volumes_of(std::int64_t k) const {
        return {static_cast<std::int64_t>(ceil_div(static_cast<int128>(k) * share_den_, share_num_)),
                static_cast<std::int64_t>((static_cast<int128>(k + 1) * share_den_ - 1) / share_num_)};
    }

    // A good first incumbent: the cap value the relaxation settles on
    // (K -> floor(s V(K)) until it stops falling), searched with a small
    // share of the node budget. The scan then proves or improves it.
    void settle_cap(std::int64_t k) {
        const Fixings open = free();
        for (int steps = 0; steps < 64 && k > 0; ++steps) {
            const std::int64_t next = largest_cap_reaching(model_.solve(open, k).allocation.fills.volume);
            if (next >= k) break;
            k = next;
        }
        const std::int64_t budget = node_budget_;
        node_budget_ = std::min(node_budget_, nodes_ + 256);
        Fixings fix = open;
        descend(fix, k, volumes_of(k));
        if (stopped_ && nodes_ < options_.node_limit && !time_is_up()) stopped_ = false;  // only the share ran out
        node_budget_ = budget;
    }

    // Cap values K, searched as intervals [lo, hi] from the top down: every
    // allocation with floor(s V) in the interval has V within the volumes of
    // lo and hi and at most hi lots per origin, so one relaxation (and one
    // maximum flow) bounds the whole interval; an interval that cannot beat
    // the incumbent is dropped whole, others are halved, upper half first,
    // down to single values, each searched with its V held to its range.
    void scan_caps() {
        const Fixings open = free();
        const std::int64_t top = largest_cap_reaching(model_.most_volume(open, std::nullopt));
        settle_cap(top);
        std::vector<std::pair<std::int64_t, std::int64_t>> stack{{0, top}};
        while (!stack.empty() && !stopped_) {
            auto [lo, hi] = stack.back();
            stack.pop_back();
            if (out_of_budget()) {
                stopped_ = true;
                break;
            }
            ++nodes_;
            const Range range{volumes_of(lo).low, volumes_of(hi).high};
            const std::int64_t reach = model_.most_volume(open, hi);
            if (reach < range.low) continue;
            hi = std::min(hi, largest_cap_reaching(reach));  // no K above can reach its own volumes
            const NetworkModel::Solved bound = model_.solve(open, hi, range);
            if (!bound.feasible || cannot_improve(bound.welfare, bound.allocation.fills.volume)) continue;
            if (lo < hi) {
                const std::int64_t mid = lo + (hi - lo) / 2;
                stack.push_back({lo, mid});
                stack.push_back({mid + 1, hi});
                continue;
            }
            ++caps_;
            Fixings fix = open;
            descend(fix, hi, volumes_of(hi));
        }
    }

    // The largest K = floor(s V) over V <= volume.
    std::int64_t largest_cap_reaching(std::int64_t volume) const {
        return static_cast<std::int64_t>(share_num_ * volume / share_den_);
    }

    // Every node costs a flow solve, so the clock is read at every one.
    bool out_of_budget() const { return nodes_ >= node_budget_ || time_is_up(); }
    bool time_is_up() const {
        if (options_.stop && options_.stop->load(std::memory_order_relaxed)) return true;  // asked to stop: as a limit
        if (!options_.time_limit_ms) return false;
        const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
        return spent.count() >= *options_.time_limit_ms;
    }

    bool supported(const NetworkAllocation& a) const {
        for (std::size_t b = 0; b < m_.bid_count(); ++b)
            if (a.fills.bid_fill[b] > 0 && a.fills.bid_fill[b] < m_.bid_min[b]) return false;
        for (std::size_t o = 0; o < m_.offer_count(); ++o)
            if (a.fills.offer_fill[o] > 0 && a.fills.offer_fill[o] < m_.offer_min[o]) return false;
        return price_conflict(m_, a.fills, a.arc_flow).empty();
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

    // Sets `slot` to `to` unless that contradicts what it is; false then.
    static bool tighten(Fix& slot, Fix to) {
        if (slot == to || slot == Fix::free) {
            slot = to;
            return true;
        }
        if (to == Fix::full && slot == Fix::at_least_min) {
            slot = to;
            return true;
        }
        return to == Fix::at_least_min && slot == Fix::full;  // already stronger
    }

    void descend(Fixings& fix, std::optional<std::int64_t> cap, Range range) {
        if (stopped_) return;
        if (out_of_budget()) {
            stopped_ = true;
            return;
        }
        ++nodes_;
        if (cap && model_.most_volume(fix, cap) < range.low) return;  // no allocation below reaches K's range
        const NetworkModel::Solved node = model_.solve(fix, cap, range);
        if (!node.feasible) return;
        const NetworkAllocation& a = node.allocation;
        if (cannot_improve(node.welfare, a.fills.volume)) return;

        // A block the flow splits: rejected or accepted.
        for (int side = 0; side < 2; ++side) {
            const bool bids = side == 0;
            const std::size_t count = bids ? m_.bid_count() : m_.offer_count();
            for (std::uint32_t i = 0; i < count; ++i) {
                const std::int64_t got = bids ? a.fills.bid_fill[i] : a.fills.offer_fill[i];
                const std::int64_t min = bids ? m_.bid_min[i] : m_.offer_min[i];
                if (!(got > 0 && got < min)) continue;
                Fix& slot = bids ? fix.bid[i] : fix.offer[i];
                const Fix was = slot;
                for (Fix to : {Fix::at_least_min, Fix::zero}) {
                    slot = was;
                    if (tighten(slot, to)) descend(fix, cap, range);
                }
                slot = was;
                return;
            }
        }

        const std::vector<PriceConstraintSource> conflict = price_conflict(m_, a.fills, a.arc_flow);
        if (conflict.empty()) return offer(a);  // supported: the node's optimum
        using Kind = PriceConstraintSource::Kind;
        for (const PriceConstraintSource& src : conflict) {
            // The ways to switch this constraint off; each is one child.
            const std::uint32_t i = src.index;
            switch (src.kind) {
                case Kind::bid_buys: child(fix.bid[i], Fix::zero, fix, cap, range); break;
                case Kind::bid_could_buy_more:
                    child(fix.bid[i], Fix::full, fix, cap, range);
                    if (m_.bid_min[i] > 0) child(fix.bid[i], Fix::zero, fix, cap, range);
                    break;
                case Kind::offer_sells: child(fix.offer[i], Fix::zero, fix, cap, range); break;
                case Kind::offer_could_sell_more:
                    child(fix.offer[i], Fix::full, fix, cap, range);
                    if (m_.offer_min[i] > 0) child(fix.offer[i], Fix::zero, fix, cap, range);
                    if (cap) {
                        char& at = fix.origin_at_cap[m_.offer_origin[i]];
                        if (!at) {
                            at = 1;
                            descend(fix, cap, range);
                            at = 0;
                        }
                    }
                    break;
                case Kind::route_carries: child(fix.arc[i], Fix::zero, fix, cap, range); break;
                case Kind::route_not_full:
                    if (m_.arcs[i].capacity) child(fix.arc[i], Fix::full, fix, cap, range);
                    break;
            }
            if (stopped_) return;
        }
    }

    void child(Fix& slot, Fix to, Fixings& fix, std::optional<std::int64_t> cap, Range range) {
        const Fix was = slot;
        if (tighten(slot, to)) descend(fix, cap, range);
        slot = was;
    }

    const Market& m_;
    NetworkModel model_;
    const Options& options_;
    std::chrono::steady_clock::time_point start_;
    int128 share_num_ = 0, share_den_ = 0;
    std::optional<NetworkAllocation> best_;
    int128 best_welfare_ = 0, root_bound_ = 0;
    std::int64_t best_volume_ = 0;
    std::int64_t nodes_ = 0, caps_ = 0;
    std::int64_t node_budget_ = options_.node_limit;
    bool stopped_ = false;
};

}  // namespace detail

/// The exact optimum of a market with places that clear_network() cannot
/// solve alone (blocks, a cap, or places it cannot price); see the file
/// comment.
inline Solution clear_network_with_blocks(const Market& market, const Options& options = {}) {
    return detail::NetworkSearch(market, options).run();
}

}  // namespace jpclear
