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
#include <optional>
#include <span>
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

namespace detail {

/// A block's state in the search over block decisions.
enum class BlockState : std::uint8_t { open, rejected, accepted };

class NetworkModel {
public:
    explicit NetworkModel(const Market& m) : m_(m) {
        places_ = static_cast<std::uint32_t>(m.nodes.size());
        // Bids by (place, P descending, divisible first, id); offers by
        // (origin, place, A ascending, divisible first, id). The origin key only
        // matters with a cap; without one offers of all origins share a curve.
        bids_.resize(m.bid_count());
        for (std::uint32_t b = 0; b < bids_.size(); ++b) bids_[b] = b;
        std::sort(bids_.begin(), bids_.end(), [&](std::uint32_t i, std::uint32_t j) {
            if (m.bid_node[i] != m.bid_node[j]) return m.bid_node[i] < m.bid_node[j];
            if (m.bid_price[i] != m.bid_price[j]) return m.bid_price[i] > m.bid_price[j];
            if ((m.bid_min[i] > 0) != (m.bid_min[j] > 0)) return m.bid_min[i] == 0;
            return m.bid_id[i] < m.bid_id[j];
        });
        offers_.resize(m.offer_count());
        for (std::uint32_t o = 0; o < offers_.size(); ++o) offers_[o] = o;
        const bool by_origin = m.max_origin_share.has_value();
        std::sort(offers_.begin(), offers_.end(), [&](std::uint32_t i, std::uint32_t j) {
            if (by_origin && m.offer_origin[i] != m.offer_origin[j]) return m.offer_origin[i] < m.offer_origin[j];
            if (m.offer_node[i] != m.offer_node[j]) return m.offer_node[i] < m.offer_node[j];
            if (m.offer_price[i] != m.offer_price[j]) return m.offer_price[i] < m.offer_price[j];
            if ((m.offer_min[i] > 0) != (m.offer_min[j] > 0)) return m.offer_min[i] == 0;
            return m.offer_id[i] < m.offer_id[j];
        });
        // Larger than the welfare any set of lots can gain or lose: forcing a
        // block's lots in is worth more than everything else together.
        int128 span = 1;
        for (std::int64_t p : m.bid_price) span += p;
        for (std::int64_t p : m.offer_price) span += p;
        for (const Arc& a : m.arcs) span += a.freight;
        big_m_ = span;
    }

    const Market& market() const { return m_; }

    /// Blocks of the market, in a fixed order: bids then offers, each by index.
    struct BlockRef {
        bool bid;
        std::uint32_t order;
    };
    std::vector<BlockRef> blocks() const {
        std::vector<BlockRef> out;
        for (std::uint32_t b = 0; b < m_.bid_count(); ++b)
            if (m_.bid_min[b] > 0) out.push_back({true, b});
        for (std::uint32_t o = 0; o < m_.offer_count(); ++o)
            if (m_.offer_min[o] > 0) out.push_back({false, o});
        return out;
    }

    struct Solved {
        NetworkAllocation allocation;
        int128 welfare = 0;            ///< tick-lots, without the big M of forced blocks
        int128 forced_shortfall = 0;   ///< forced block lots not taken (0: every forced block has its min)
        std::int64_t least_volume = 0; ///< least V among the welfare-optimal flows
    };

    /// Solves the market with block states `state` (indexed like blocks();
    /// empty: every block open), an origin cap of `cap_lots` per origin
    /// (none: no cap), zero-cost flow only up to `volume_limit`. With
    /// `force_accepted`, accepted blocks get their min_lots forced in;
    /// otherwise they are divisible like open ones.
    Solved solve(const std::vector<BlockState>& state, std::optional<std::int64_t> cap_lots,
                 bool force_accepted = false, std::int64_t volume_limit = FlowNetwork::unlimited) const {
        const std::uint32_t origins = cap_lots ? static_cast<std::uint32_t>(m_.origins.size()) : 0;
        FlowNetwork net(2 + 2 * places_ + origins);
        std::vector<BlockState> bid_state(m_.bid_count(), BlockState::open), offer_state(m_.offer_count(), BlockState::open);
        if (!state.empty()) {
            std::size_t k = 0;
            for (std::uint32_t b = 0; b < m_.bid_count(); ++b)
                if (m_.bid_min[b] > 0) bid_state[b] = state[k++];
            for (std::uint32_t o = 0; o < m_.offer_count(); ++o)
                if (m_.offer_min[o] > 0) offer_state[o] = state[k++];
        }
        levels_.clear();
        members_.clear();
        int128 forced_lots = 0;

        // Bid curves: in(q) -> T, cost -P.
        for (std::size_t i = 0; i < bids_.size();) {
            const std::uint32_t q = m_.bid_node[bids_[i]];
            std::vector<FlowNetwork::Segment> segs;
            for (; i < bids_.size() && m_.bid_node[bids_[i]] == q;) {
                const std::uint32_t b = bids_[i];
                const int128 cost = -static_cast<int128>(m_.bid_price[b]);
                if (m_.bid_min[b] > 0) {
                    ++i;
                    if (bid_state[b] == BlockState::rejected) continue;
                    forced_lots += add_block_level(segs, true, b, cost, m_.bid_lots[b], m_.bid_min[b],
                                                   force_accepted && bid_state[b] == BlockState::accepted);
                    continue;
                }
                const std::uint32_t level = open_level(true);
                std::int64_t lots = 0;
                for (; i < bids_.size() && m_.bid_node[bids_[i]] == q && m_.bid_price[bids_[i]] == m_.bid_price[b] &&
                       m_.bid_min[bids_[i]] == 0;
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
            auto same_curve = [&](std::uint32_t o) { return m_.offer_node[o] == q && (!cap_lots || m_.offer_origin[o] == c); };
            std::vector<FlowNetwork::Segment> segs;
            for (; i < offers_.size() && same_curve(offers_[i]);) {
                const std::uint32_t o = offers_[i];
                const int128 cost = m_.offer_price[o];
                if (m_.offer_min[o] > 0) {
                    ++i;
                    if (offer_state[o] == BlockState::rejected) continue;
                    forced_lots += add_block_level(segs, false, o, cost, m_.offer_lots[o], m_.offer_min[o],
                                                   force_accepted && offer_state[o] == BlockState::accepted);
                    continue;
                }
                const std::uint32_t level = open_level(false);
                std::int64_t lots = 0;
                for (; i < offers_.size() && same_curve(offers_[i]) && m_.offer_price[offers_[i]] == m_.offer_price[o] &&
                       m_.offer_min[offers_[i]] == 0;
                     ++i) {
                    members_.push_back(offers_[i]);
                    lots += m_.offer_lots[offers_[i]];
                }
                close_level(level);
                segs.push_back({cost, lots, 0, level});
            }
            sort_segments(segs);
            const std::uint32_t tail = cap_lots ? 2 + 2 * places_ + c : FlowNetwork::source;
            if (!segs.empty()) net.add_curve(tail, out_node(q), std::move(segs));
        }
        for (std::uint32_t c = 0; c < origins; ++c) net.add_edge(FlowNetwork::source, 2 + 2 * places_ + c, 0, *cap_lots);
        std::vector<std::uint32_t> arc_edge;
        arc_edge.reserve(m_.arcs.size());
        for (const Arc& a : m_.arcs)
            arc_edge.push_back(net.add_edge(out_node(a.from), in_node(a.to), a.freight,
                                            a.capacity.value_or(FlowNetwork::unlimited), a.freight));

        const FlowNetwork::Outcome run = net.run(volume_limit);
        Solved out;
        out.least_volume = run.least_volume;
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
        int128 freight = 0;
        for (std::size_t r = 0; r < arc_edge.size(); ++r) {
            a.arc_flow.push_back(net.edge_flow(arc_edge[r]));
            freight += static_cast<int128>(m_.arcs[r].freight) * a.arc_flow.back();
        }
        int128 taken_forced = 0;
        for (std::uint32_t l = 0; l < levels_.size(); ++l)
            if (levels_[l].forced_min > 0) taken_forced += std::min(level_flow[l], levels_[l].forced_min);
        out.forced_shortfall = forced_lots - taken_forced;
        out.welfare = welfare_of(a);
        return out;
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
    struct Level {
        bool bid;
        std::uint32_t first = 0, count = 0;  ///< members_[first, first + count)
        std::int64_t forced_min = 0;         ///< an accepted block's min_lots
    };

    std::uint32_t out_node(std::uint32_t q) const { return 2 + q; }
    std::uint32_t in_node(std::uint32_t q) const { return 2 + places_ + q; }

    std::uint32_t open_level(bool bid) const {
        levels_.push_back({bid, static_cast<std::uint32_t>(members_.size()), 0, 0});
        return static_cast<std::uint32_t>(levels_.size() - 1);
    }
    void close_level(std::uint32_t level) const {
        levels_[level].count = static_cast<std::uint32_t>(members_.size()) - levels_[level].first;
    }
    // A block as its own level; forced: its first min_lots lots at cost - M.
    std::int64_t add_block_level(std::vector<FlowNetwork::Segment>& segs, bool bid, std::uint32_t order, int128 cost,
                                 std::int64_t lots, std::int64_t min, bool forced) const {
        const std::uint32_t level = open_level(bid);
        members_.push_back(order);
        close_level(level);
        if (!forced) {
            segs.push_back({cost, lots, 0, level});
            return 0;
        }
        levels_[level].forced_min = min;
        segs.push_back({cost - big_m_, min, 0, level});
        if (lots > min) segs.push_back({cost, lots - min, 0, level});
        return min;
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
    int128 big_m_ = 0;
    mutable std::vector<Level> levels_;
    mutable std::vector<std::uint32_t> members_;
};

}  // namespace detail

/// The welfare-maximal, then volume-maximal allocation of a convex market
/// with places (no blocks, no cap); see the file comment.
inline NetworkAllocation clear_network(const Market& market) {
    return detail::NetworkModel(market).solve({}, std::nullopt).allocation;
}

}  // namespace jpclear
