#pragma once
// A small min-cost flow network with curves: the node problem of delivered
// clearing (spec section 10).
//
// Problem. Lots enter at a source S, pass through an offer (cost A), possibly
// an origin node that caps its origin's lots, a port, one route (cost F,
// optional capacity) and a bid (cost -P), and leave at a sink T. Each place q
// has two nodes, its port side out(q) and its delivery side in(q), and every
// route runs from an out side to an in side: lots move along exactly one
// route and never pass through a place. The minimum-cost flow is the
// welfare-maximal allocation (welfare = -cost).
//
// Structure. Few nodes (two per place, an origin node per origin when a cap
// binds, S and T) but very many parallel arcs: every price level of every
// place. All the parallel arcs between one pair of nodes form a *curve*, its
// segments sorted by cost. A shortest path always takes the cheapest segment
// with room forward and the dearest segment with lots backward, so each curve
// stays filled as a prefix of its segments and is represented by one cursor.
// The residual graph seen by a path search then has O(nodes + routes) arcs,
// whatever the number of orders.
//
// Algorithm. Successive shortest paths: label-correcting Bellman-Ford (a
// queue of changed nodes) from S on the residual graph (costs may be
// negative; min-cost flows keep it free of negative cycles), augment along
// the path by its bottleneck, repeat while the path costs < 0 (welfare
// grows); then, since the spec maximises V next, while it costs 0, up to an
// optional volume limit. Path costs never decrease, so the flow at the end
// is the welfare-optimal flow with the largest V (within the limit).
//
// Complexity. Each augmentation fills or empties a segment or a route, so
// there are O(segments + routes) of them in practice, each O(nodes x arcs)
// for the path search: for a few places this is linear in the price levels
// that trade, after an O(n log n) sort of the orders into curves.
//
// Costs are tuples (force, cost, detour, freight) compared lexicographically,
// and successive shortest paths work unchanged over them. `force` is -1 a lot
// on arcs whose lots must flow (a lower bound, network_search.h): the flow
// takes as many of them as it can before anything else. `detour` counts lots
// on arcs the caller marks as not physical (network.h: the arcs that give
// each place one price); paths that add detour are taken only while they
// gain welfare, so a flow with detour left is one where no physical flow is
// optimal. `freight` breaks the remaining ties: of several allocations with
// the same welfare and volume, the one that pays the least freight (spec 10
// leaves that choice open).
//
// Caveats. Costs are int128 ticks (prices and freight are int64, path sums
// cannot overflow 128 bits); capacities are int64 lots. A curve's segments
// must be sorted by cost and then by the tie order the caller wants filled
// first; equal-cost segments are filled in that order.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "jpclear/model/decimal.h"

namespace jpclear::detail {

class FlowNetwork {
public:
    static constexpr std::int64_t unlimited = std::numeric_limits<std::int64_t>::max();
    static constexpr std::uint32_t source = 0, sink = 1;

    /// A path or arc cost: forced lots first, then welfare, detour, freight.
    struct Cost {
        int128 force = 0, main = 0, detour = 0, freight = 0;
        friend bool operator<(const Cost& a, const Cost& b) {
            if (a.force != b.force) return a.force < b.force;
            if (a.main != b.main) return a.main < b.main;
            return a.detour != b.detour ? a.detour < b.detour : a.freight < b.freight;
        }
        friend Cost operator+(const Cost& a, const Cost& b) {
            return {a.force + b.force, a.main + b.main, a.detour + b.detour, a.freight + b.freight};
        }
        Cost operator-() const { return {-force, -main, -detour, -freight}; }
    };

    struct Segment {
        Cost cost;          ///< per lot
        std::int64_t cap;   ///< lots
        std::int64_t flow = 0;
        std::uint32_t tag;  ///< caller's handle (a price level or an order)
    };

    explicit FlowNetwork(std::uint32_t nodes) : node_count_(nodes) {}

    /// Adds an arc tail -> head with capacity `cap` (unlimited allowed).
    std::uint32_t add_edge(std::uint32_t tail, std::uint32_t head, Cost cost, std::int64_t cap) {
        edges_.push_back({tail, head, cost, cap, 0});
        return static_cast<std::uint32_t>(edges_.size() - 1);
    }
    /// Adds a curve tail -> head; its segments must be sorted by cost.
    std::uint32_t add_curve(std::uint32_t tail, std::uint32_t head, std::vector<Segment> segments) {
        curves_.push_back({tail, head, std::move(segments), 0});
        return static_cast<std::uint32_t>(curves_.size() - 1);
    }

    struct Outcome {
        int128 forced = 0;               ///< forced lots that flow
        std::int64_t volume = 0;         ///< flow from S to T
    };

    /// Successive shortest paths: every path that forces lots or gains
    /// welfare; then, at no cost in either, paths that add volume without
    /// detour, while volume < limit.
    Outcome run(std::int64_t volume_limit = unlimited) {
        Outcome out;
        std::vector<Cost> dist(node_count_);
        std::vector<Step> pred(node_count_);
        std::vector<char> reached(node_count_);
        for (;;) {
            if (!shortest_path(dist, pred, reached)) break;
            const Cost& c = dist[sink];
            const bool gains = c.force < 0 || (c.force == 0 && c.main < 0);
            if (!gains) {
                if (c.force > 0 || c.main > 0 || c.detour > 0) break;
                if (out.volume >= volume_limit) break;
            }
            std::int64_t amount = gains ? unlimited : volume_limit - out.volume;
            for (std::uint32_t v = sink; v != source; v = pred[v].from) amount = std::min(amount, residual(pred[v]));
            for (std::uint32_t v = sink; v != source; v = pred[v].from) push(pred[v], amount);
            out.volume += amount;
            out.forced -= c.force * amount;
        }
        return out;
    }

    std::int64_t edge_flow(std::uint32_t e) const { return edges_[e].flow; }
    std::uint32_t curve_count() const { return static_cast<std::uint32_t>(curves_.size()); }
    const std::vector<Segment>& segments(std::uint32_t c) const { return curves_[c].segments; }

private:
    struct Edge {
        std::uint32_t tail, head;
        Cost cost;
        std::int64_t cap, flow;
    };
    struct Curve {
        std::uint32_t tail, head;
        std::vector<Segment> segments;
        std::size_t next;  ///< first segment with room; all before it are full
    };
    /// One residual arc: an edge or a curve, forward or backward.
    struct Step {
        std::uint32_t from = 0;
        std::uint32_t index = 0;
        bool curve = false, forward = true;
    };

    // The curve's segment a forward step fills and a backward step empties.
    static const Segment* forward_segment(const Curve& c) {
        return c.next < c.segments.size() ? &c.segments[c.next] : nullptr;
    }
    static const Segment* backward_segment(const Curve& c) {
        if (c.next < c.segments.size() && c.segments[c.next].flow > 0) return &c.segments[c.next];
        return c.next > 0 ? &c.segments[c.next - 1] : nullptr;
    }

    std::int64_t residual(const Step& s) const {
        if (!s.curve) {
            const Edge& e = edges_[s.index];
            return s.forward ? e.cap - e.flow : e.flow;
        }
        const Curve& c = curves_[s.index];
        const Segment* seg = s.forward ? forward_segment(c) : backward_segment(c);
        return s.forward ? seg->cap - seg->flow : seg->flow;
    }

    void push(const Step& s, std::int64_t amount) {
        if (!s.curve) {
            Edge& e = edges_[s.index];
            e.flow += s.forward ? amount : -amount;
            return;
        }
        Curve& c = curves_[s.index];
        if (s.forward) {
            Segment& seg = c.segments[c.next];
            seg.flow += amount;
            if (seg.flow == seg.cap) ++c.next;
        } else {
            if (!(c.next < c.segments.size() && c.segments[c.next].flow > 0)) --c.next;
            c.segments[c.next].flow -= amount;
        }
    }

    // Bellman-Ford from S; false when T cannot be reached.
    // Shortest paths from S by label correction (Bellman-Ford with a queue:
    // only nodes whose distance changed are scanned again); false when T
    // cannot be reached. Terminates because min-cost flows leave no negative
    // cycle in the residual graph.
    bool shortest_path(std::vector<Cost>& dist, std::vector<Step>& pred, std::vector<char>& reached) {
        if (adjacency_.empty()) build_adjacency();
        std::fill(reached.begin(), reached.end(), 0);
        std::vector<char>& queued = queued_;
        queued.assign(node_count_, 0);
        std::vector<std::uint32_t>& queue = queue_;
        queue.clear();
        reached[source] = 1;
        dist[source] = Cost{};
        queue.push_back(source);
        queued[source] = 1;
        for (std::size_t head = 0; head < queue.size(); ++head) {
            const std::uint32_t u = queue[head];
            queued[u] = 0;
            for (const Step& step : adjacency_[u]) {
                Cost cost;
                std::uint32_t v;
                if (!step.curve) {
                    const Edge& e = edges_[step.index];
                    if (step.forward ? e.flow >= e.cap : e.flow <= 0) continue;
                    cost = step.forward ? e.cost : -e.cost;
                    v = step.forward ? e.head : e.tail;
                } else {
                    const Curve& c = curves_[step.index];
                    const Segment* seg = step.forward ? forward_segment(c) : backward_segment(c);
                    if (!seg || (!step.forward && seg->flow <= 0)) continue;
                    cost = step.forward ? seg->cost : -seg->cost;
                    v = step.forward ? c.head : c.tail;
                }
                const Cost d = dist[u] + cost;
                if (reached[v] && !(d < dist[v])) continue;
                reached[v] = 1;
                dist[v] = d;
                pred[v] = step;
                if (!queued[v]) {
                    queued[v] = 1;
                    queue.push_back(v);
                }
            }
        }
        return reached[sink] != 0;
    }

    // Per node, every residual step that can leave it (whether it has room
    // is checked when scanned).
    void build_adjacency() {
        adjacency_.assign(node_count_, {});
        for (std::uint32_t i = 0; i < edges_.size(); ++i) {
            adjacency_[edges_[i].tail].push_back({edges_[i].tail, i, false, true});
            adjacency_[edges_[i].head].push_back({edges_[i].head, i, false, false});
        }
        for (std::uint32_t i = 0; i < curves_.size(); ++i) {
            adjacency_[curves_[i].tail].push_back({curves_[i].tail, i, true, true});
            adjacency_[curves_[i].head].push_back({curves_[i].head, i, true, false});
        }
    }

    std::uint32_t node_count_;
    std::vector<Edge> edges_;
    std::vector<Curve> curves_;
    std::vector<std::vector<Step>> adjacency_;
    std::vector<char> queued_;
    std::vector<std::uint32_t> queue_;
};

}  // namespace jpclear::detail
