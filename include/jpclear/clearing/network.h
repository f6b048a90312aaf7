#pragma once
// Delivered clearing of a Market with places (spec section 10): the market
// mapped onto a FlowNetwork and solved there.
//
// Mapping. Each place q is two nodes: out(q), where offers loaded at q enter,
// and in(q), where bids delivered to q leave; every route is an arc from
// out(from) to in(to) with cost F_r and its capacity. Bids at q form one curve
// in(q) -> T, offers at q one curve S -> out(q) (with a cap: origin(c) ->
// out(q) per origin, behind an arc S -> origin(c) of capacity K = floor(s V)).
// A curve's segments are price levels: all divisible orders of one place (and
// origin) at one converted price, which later share their level's lots pro
// rata (spec 5). A block (min_lots > 0) that the search has not rejected is a
// level of its own; an accepted block is *forced*: its first min_lots lots get
// a cost lower than any welfare difference (the big M below), so the flow
// takes them whenever any flow can.
//
// Welfare is -cost of the flow: sum P x - sum A y - sum F f, in tick-lots.
//
// Complexity. O(n log n) to sort the orders into levels (once per market,
// reused by every solve); each solve O(levels) to build plus the successive
// shortest paths of flow_network.h.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/flow_network.h"
#include "jpclear/clearing/market.h"
#include "jpclear/clearing/pro_rata.h"

namespace jpclear {

/// An allocation with places: fills, and the lots each route carries.
struct NetworkAllocation {
    Allocation fills;
    std::vector<std::int64_t> arc_flow;  ///< f_r per arc, in route order
};

/// Thrown when no allocation of a round meets rule 4 with one price per
/// place: lots cannot pass through a place, yet 4(d) links the prices of
/// places chained by routes, and a place's bids and offers share its price.
/// clear() reports it as a problem of the input.
struct NoPlacePrices : std::runtime_error {
    using std::runtime_error::runtime_error;
};

namespace detail {

inline constexpr const char* no_place_prices_text =
    "no allocation of this round meets rule 4 with one price per place: lots cannot pass through a place, yet "
    "rule 4(d) links the prices of places chained by routes, and a place's bids and offers share its price (a "
    "place that is both a port and a delivery place, or a place with orders but no route to trade over, can "
    "cause this); give the port side and the delivery side of such a place different ids, or add its self-route";

/// What a search node fixes about one order (network_search.h). The LP of a
/// node keeps every fixed order as a level of its own.
enum class Fix : std::uint8_t {
    free,          ///< anything from 0 to its lots (a block: divisible, the search decides later)
    zero,          ///< trades nothing (a block: rejected)
    at_least_min,  ///< trades min_lots or more (a block: accepted)
    full,          ///< trades all its lots
};

/// The fixings of a search node; empty vectors fix nothing.
struct Fixings {
    std::vector<Fix> bid, offer;     ///< per bid / per eligible offer
    std::vector<Fix> arc;            ///< per route: free, zero (carries nothing) or full (its whole capacity)
    std::vector<char> origin_at_cap; ///< per origin: sells exactly the cap K
};

/// The volume a node's LP must reach and may not pass (cap scan).
struct VolumeRange {
    std::int64_t low = 0, high = FlowNetwork::unlimited;
};

class NetworkModel {
public:
    explicit NetworkModel(const Market& m) : m_(m) {
        places_ = static_cast<std::uint32_t>(m.nodes.size());
        // Bids by (place, P descending), offers by ((origin,) place, A
        // ascending); at one price, divisible orders first (they form one
        // level, whose members' order does not matter: pro rata breaks its
        // ties by id), then blocks by id. The origin key only matters with a
        // cap; without one offers of all origins share a curve. Sorting flat
        // keys rather than indices into the Market keeps this a plain sort
        // over contiguous memory.
        const bool by_origin = m.max_origin_share.has_value();
        bids_ = sorted_orders(m.bid_count(), [&](std::uint32_t b) {
            return Key{m.bid_node[b], -m.bid_price[b], m.bid_min[b] > 0, b};
        }, m.bid_id);
        offers_ = sorted_orders(m.offer_count(), [&](std::uint32_t o) {
            const std::uint64_t group = by_origin ? (static_cast<std::uint64_t>(m.offer_origin[o]) << 32) | m.offer_node[o]
                                                  : m.offer_node[o];
            return Key{group, m.offer_price[o], m.offer_min[o] > 0, o};
        }, m.offer_id);
    }

    struct Solved {
        NetworkAllocation allocation;
        int128 welfare = 0;            ///< tick-lots
        bool feasible = true;          ///< every forced lot flows (fixings and the volume range met)
        /// Lots on the detour arcs (with `one_price`): > 0 when no physical
        /// flow reaches the optimum under one price per place (then
        /// `allocation` does not balance and must not be used).
        int128 detour = 0;
    };

    /// Solves the LP of the market under `fix`, at most `cap_lots` per
    /// origin (none: no cap) and V within `volume`: the most forced lots,
    /// then the most welfare, then the most V (no detour), then the least
    /// freight. With `one_price`, each place's two nodes are also joined by
    /// detour arcs (see clear_network()).
    Solved solve(const Fixings& fix, std::optional<std::int64_t> cap_lots, VolumeRange volume = {},
                 bool one_price = false) const {
        using Cost = FlowNetwork::Cost;
        const std::uint32_t origins = cap_lots ? static_cast<std::uint32_t>(m_.origins.size()) : 0;
        const bool ranged = volume.low > 0 || volume.high != FlowNetwork::unlimited;
        const std::uint32_t start = ranged ? 2 + 2 * places_ + origins : FlowNetwork::source;  // where supply starts
        FlowNetwork net(2 + 2 * places_ + origins + (ranged ? 1 : 0));
        levels_.clear();
        members_.clear();
        int128 forced_lots = 0;
        auto bid_fix = [&](std::uint32_t b) { return fix.bid.empty() ? Fix::free : fix.bid[b]; };
        auto offer_fix = [&](std::uint32_t o) { return fix.offer.empty() ? Fix::free : fix.offer[o]; };
        // Orders that trade alone: blocks and fixed orders.
        auto alone_bid = [&](std::uint32_t b) { return m_.bid_min[b] > 0 || bid_fix(b) != Fix::free; };
        auto alone_offer = [&](std::uint32_t o) { return m_.offer_min[o] > 0 || offer_fix(o) != Fix::free; };

        // Bid curves: in(q) -> T, cost -P.
        for (std::size_t i = 0; i < bids_.size();) {
            const std::uint32_t q = m_.bid_node[bids_[i]];
            std::vector<FlowNetwork::Segment> segs;
            while (i < bids_.size() && m_.bid_node[bids_[i]] == q) {
                const std::uint32_t b = bids_[i];
                const Cost cost{0, -static_cast<int128>(m_.bid_price[b]), 0, 0};
                if (alone_bid(b)) {
                    ++i;
                    forced_lots += add_alone(segs, true, b, cost, m_.bid_lots[b], m_.bid_min[b], bid_fix(b));
                    continue;
                }
                const std::uint32_t level = open_level(true);
                std::int64_t lots = 0;
                for (; i < bids_.size() && m_.bid_node[bids_[i]] == q && m_.bid_price[bids_[i]] == m_.bid_price[b] &&
                       !alone_bid(bids_[i]);
                     ++i) {
                    members_.push_back(bids_[i]);
                    lots += m_.bid_lots[bids_[i]];
                }
                close_level(level);
                segs.push_back({cost, lots, 0, level});
            }
            sort_segments(segs);
            if (!segs.empty()) net.add_curve(in_node(q), FlowNetwork::sink, std::move(segs));
        }
        // Offer curves: S (or origin(c)) -> out(q), cost A.
        for (std::size_t i = 0; i < offers_.size();) {
            const std::uint32_t q = m_.offer_node[offers_[i]], c = m_.offer_origin[offers_[i]];
            auto same_curve = [&](std::uint32_t o) {
                return m_.offer_node[o] == q && (!cap_lots || m_.offer_origin[o] == c);
            };
            std::vector<FlowNetwork::Segment> segs;
            while (i < offers_.size() && same_curve(offers_[i])) {
                const std::uint32_t o = offers_[i];
                const Cost cost{0, m_.offer_price[o], 0, 0};
                if (alone_offer(o)) {
                    ++i;
                    forced_lots += add_alone(segs, false, o, cost, m_.offer_lots[o], m_.offer_min[o], offer_fix(o));
                    continue;
                }
                const std::uint32_t level = open_level(false);
                std::int64_t lots = 0;
                for (; i < offers_.size() && same_curve(offers_[i]) && m_.offer_price[offers_[i]] == m_.offer_price[o] &&
                       !alone_offer(offers_[i]);
                     ++i) {
                    members_.push_back(offers_[i]);
                    lots += m_.offer_lots[offers_[i]];
                }
                close_level(level);
                segs.push_back({cost, lots, 0, level});
            }
            sort_segments(segs);
            const std::uint32_t tail = cap_lots ? origin_node(c) : start;
            if (!segs.empty()) net.add_curve(tail, out_node(q), std::move(segs));
        }
        for (std::uint32_t c = 0; c < origins; ++c) {
            const bool at_cap = !fix.origin_at_cap.empty() && fix.origin_at_cap[c];
            net.add_edge(start, origin_node(c), Cost{at_cap ? -1 : 0, 0, 0, 0}, *cap_lots);
            if (at_cap) forced_lots += *cap_lots;
        }
        if (ranged) {
            net.add_edge(FlowNetwork::source, start, Cost{-1, 0, 0, 0}, volume.low);
            if (volume.high > volume.low) net.add_edge(FlowNetwork::source, start, Cost{}, volume.high - volume.low);
            forced_lots += volume.low;
        }
        // One price per place although lots never pass through a place: in(q)
        // and out(q) joined both ways by arcs that cost no welfare but count
        // as detour. The welfare optimum of this network is the optimum under
        // one price per place; an allocation meets rule 4 exactly when some
        // optimum needs no detour.
        std::vector<std::uint32_t> detour_edge;
        if (one_price)
            for (std::uint32_t q = 0; q < places_; ++q) {
                detour_edge.push_back(net.add_edge(in_node(q), out_node(q), Cost{0, 0, 1, 0}, FlowNetwork::unlimited));
                detour_edge.push_back(net.add_edge(out_node(q), in_node(q), Cost{0, 0, 1, 0}, FlowNetwork::unlimited));
            }
        // Routes, each one edge, or a forced one when fixed full.
        std::vector<std::uint32_t> arc_edge;
        arc_edge.reserve(m_.arcs.size());
        for (std::size_t k = 0; k < m_.arcs.size(); ++k) {
            const Arc& a = m_.arcs[k];
            const Fix f = fix.arc.empty() ? Fix::free : fix.arc[k];
            const std::int64_t cap = f == Fix::zero ? 0 : a.capacity.value_or(FlowNetwork::unlimited);
            const bool full = f == Fix::full;
            if (full) forced_lots += cap;
            arc_edge.push_back(net.add_edge(out_node(a.from), in_node(a.to), Cost{full ? -1 : 0, a.freight, 0, a.freight},
                                            cap));
        }

        const FlowNetwork::Outcome run = net.run(volume.high);
        Solved out;
        out.feasible = run.forced == forced_lots;
        for (std::uint32_t e : detour_edge) out.detour += net.edge_flow(e);
        NetworkAllocation& a = out.allocation;
        a.fills.bid_fill.assign(m_.bid_count(), 0);
        a.fills.offer_fill.assign(m_.offer_count(), 0);
        a.fills.volume = run.volume;
        std::vector<std::int64_t> level_flow(levels_.size(), 0);
        for (std::uint32_t c = 0; c < net.curve_count(); ++c)
            for (const FlowNetwork::Segment& s : net.segments(c)) level_flow[s.tag] += s.flow;
        std::vector<Remainder> scratch;
        for (std::uint32_t l = 0; l < levels_.size(); ++l) {
            const Level& lv = levels_[l];
            std::vector<std::int64_t>& fill = lv.bid ? a.fills.bid_fill : a.fills.offer_fill;
            const std::span<const std::uint32_t> group(members_.data() + lv.first, lv.count);
            if (lv.count == 1) {
                fill[group[0]] = level_flow[l];
                continue;
            }
            share_pro_rata(group, (lv.bid ? m_.bid_lots : m_.offer_lots).data(), lv.bid ? m_.bid_id : m_.offer_id,
                           level_flow[l], fill.data(), scratch);
        }
        a.arc_flow.reserve(arc_edge.size());
        for (std::uint32_t e : arc_edge) a.arc_flow.push_back(net.edge_flow(e));
        out.welfare = welfare_of(a);
        return out;
    }

    /// The most lots any allocation can move under `fix` (orders and routes
    /// fixed to zero left out) with at most `cap_lots` per origin, whatever
    /// the prices: a maximum flow on the aggregated network (origins, ports,
    /// places), Edmonds-Karp on a few dozen nodes. A bound on V for every
    /// allocation below a search node.
    std::int64_t most_volume(const Fixings& fix, std::optional<std::int64_t> cap_lots) const {
        const std::size_t origins = cap_lots ? m_.origins.size() : 0;
        const std::size_t n = 2 + 2 * places_ + origins;  // S, T, out(q), in(q), origin(c)
        std::vector<int128> cap(n * n, 0);
        auto arc = [&](std::size_t u, std::size_t v) -> int128& { return cap[u * n + v]; };
        for (std::size_t b = 0; b < m_.bid_count(); ++b)
            if (fix.bid.empty() || fix.bid[b] != Fix::zero) arc(in_node(m_.bid_node[b]), FlowNetwork::sink) += m_.bid_lots[b];
        for (std::size_t o = 0; o < m_.offer_count(); ++o) {
            if (!fix.offer.empty() && fix.offer[o] == Fix::zero) continue;
            const std::size_t tail = cap_lots ? origin_node(m_.offer_origin[o]) : FlowNetwork::source;
            arc(tail, out_node(m_.offer_node[o])) += m_.offer_lots[o];
        }
        for (std::size_t c = 0; c < origins; ++c) arc(FlowNetwork::source, origin_node(c)) = *cap_lots;
        int128 total_lots = 0;
        for (std::int64_t l : m_.bid_lots) total_lots += l;
        for (std::size_t k = 0; k < m_.arcs.size(); ++k) {
            const Arc& a = m_.arcs[k];
            if (!fix.arc.empty() && fix.arc[k] == Fix::zero) continue;
            arc(out_node(a.from), in_node(a.to)) += a.capacity ? *a.capacity : total_lots;
        }
        int128 flow = 0;
        std::vector<std::size_t> parent(n);
        for (;;) {
            std::fill(parent.begin(), parent.end(), n);
            parent[FlowNetwork::source] = FlowNetwork::source;
            std::vector<std::size_t> queue{FlowNetwork::source};
            for (std::size_t head = 0; head < queue.size() && parent[FlowNetwork::sink] == n; ++head)
                for (std::size_t v = 0; v < n; ++v)
                    if (parent[v] == n && arc(queue[head], v) > 0) {
                        parent[v] = queue[head];
                        queue.push_back(v);
                    }
            if (parent[FlowNetwork::sink] == n) break;
            int128 push = std::numeric_limits<std::int64_t>::max();
            for (std::size_t v = FlowNetwork::sink; v != FlowNetwork::source; v = parent[v])
                push = std::min(push, arc(parent[v], v));
            for (std::size_t v = FlowNetwork::sink; v != FlowNetwork::source; v = parent[v]) {
                arc(parent[v], v) -= push;
                arc(v, parent[v]) += push;
            }
            flow += push;
        }
        return static_cast<std::int64_t>(flow);
    }

    /// sum P x - sum A y - sum F f in tick-lots.
    int128 welfare_of(const NetworkAllocation& a) const {
        int128 w = 0;
        for (std::size_t b = 0; b < m_.bid_count(); ++b) w += static_cast<int128>(m_.bid_price[b]) * a.fills.bid_fill[b];
        for (std::size_t o = 0; o < m_.offer_count(); ++o)
            w -= static_cast<int128>(m_.offer_price[o]) * a.fills.offer_fill[o];
        for (std::size_t r = 0; r < m_.arcs.size(); ++r) w -= static_cast<int128>(m_.arcs[r].freight) * a.arc_flow[r];
        return w;
    }

private:
    struct Key {
        std::uint64_t group;  // place (and origin)
        std::int64_t price;   // ascending (bids negated)
        bool block;
        std::uint32_t order;
    };
    template <class MakeKey>
    static std::vector<std::uint32_t> sorted_orders(std::size_t count, MakeKey&& make_key,
                                                    const std::vector<std::string_view>& ids) {
        std::vector<Key> keys;
        keys.reserve(count);
        for (std::uint32_t i = 0; i < count; ++i) keys.push_back(make_key(i));
        std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
            if (a.group != b.group) return a.group < b.group;
            if (a.price != b.price) return a.price < b.price;
            if (a.block != b.block) return !a.block;
            return a.block && ids[a.order] < ids[b.order];  // blocks by id; divisible orders in any order
        });
        std::vector<std::uint32_t> out;
        out.reserve(count);
        for (const Key& k : keys) out.push_back(k.order);
        return out;
    }

    struct Level {
        bool bid;
        std::uint32_t first = 0, count = 0;  ///< members_[first, first + count)
    };

    std::uint32_t out_node(std::uint32_t q) const { return 2 + q; }
    std::uint32_t in_node(std::uint32_t q) const { return 2 + places_ + q; }
    std::uint32_t origin_node(std::uint32_t c) const { return 2 + 2 * places_ + c; }

    std::uint32_t open_level(bool bid) const {
        levels_.push_back({bid, static_cast<std::uint32_t>(members_.size()), 0});
        return static_cast<std::uint32_t>(levels_.size() - 1);
    }
    void close_level(std::uint32_t level) const {
        levels_[level].count = static_cast<std::uint32_t>(members_.size()) - levels_[level].first;
    }
    // An order as a level of its own, its fixing applied: zero leaves it out;
    // full forces all its lots, at_least_min its min_lots (or 1 for a
    // divisible order: it trades). Returns the lots forced.
    std::int64_t add_alone(std::vector<FlowNetwork::Segment>& segs, bool bid, std::uint32_t order,
                           FlowNetwork::Cost cost, std::int64_t lots, std::int64_t min, Fix fix) const {
        if (fix == Fix::zero) return 0;
        const std::uint32_t level = open_level(bid);
        members_.push_back(order);
        close_level(level);
        const std::int64_t forced = fix == Fix::full ? lots : fix == Fix::at_least_min ? std::max<std::int64_t>(min, 1) : 0;
        if (forced > 0) {
            FlowNetwork::Cost must = cost;
            must.force = -1;
            segs.push_back({must, forced, 0, level});
        }
        if (lots > forced) segs.push_back({cost, lots - forced, 0, level});
        return forced;
    }
    // By cost; equal costs keep the order they were added in (divisible
    // level first, then blocks by id), so ties fill deterministically.
    static void sort_segments(std::vector<FlowNetwork::Segment>& segs) {
        std::stable_sort(segs.begin(), segs.end(),
                         [](const FlowNetwork::Segment& a, const FlowNetwork::Segment& b) { return a.cost < b.cost; });
    }

    const Market& m_;
    std::uint32_t places_ = 0;
    std::vector<std::uint32_t> bids_, offers_;
    mutable std::vector<Level> levels_;
    mutable std::vector<std::uint32_t> members_;
};

}  // namespace detail

/// The welfare-maximal, then volume-maximal allocation of a convex market
/// with places (no blocks, no cap); see the file comment.
inline NetworkAllocation clear_network(const Market& market) {
    detail::NetworkModel::Solved found = detail::NetworkModel(market).solve({}, std::nullopt, {}, true);
    if (found.detour > 0) throw NoPlacePrices(detail::no_place_prices_text);
    return std::move(found.allocation);
}

}  // namespace jpclear
