#pragma once
// Which prices support an allocation: the check that an allocation meets
// rule 4 of the spec, beside the allocation it checks.
//
// One place (spec 4(a)-(c), 6). For any allocation, the prices p meeting
// 4(a)-(c) are those with
//   lo = max( A of every offer that sells,
//             P of every bid that could take more, unless a rejected block )
//   hi = min( P of every bid that buys,
//             A of every offer that could sell more, unless a rejected block
//               or its origin is at its cap )
// and lo <= hi. Both ends are order prices, hence on the tick grid. One pass,
// O(n); with a cap, one more pass over the offers to total each origin.
//
// Places (spec 10, 4(d)). The same bounds hold per place, and each route
// r: u -> v adds p_v - p_u <= F_r unless it is full, and p_v - p_u >= F_r
// when it carries lots. These are difference constraints: with a reference
// node fixed at 0, the highest price of each place is its shortest-path
// distance from the reference and the lowest is minus its distance to it
// (Bellman-Ford, O(places x (places + routes))); a negative cycle means that
// no price vector supports the allocation. The feasible vectors form a
// lattice, and the per-place lows (highs) are themselves a feasible vector.
// All bounds are order prices and freights in ticks, so every end is on the
// tick grid.
//
// Neither check depends on how the allocation was found: it can verify any.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/market.h"

namespace jpclear {

struct PriceInterval {
    std::int64_t low;   ///< ticks
    std::int64_t high;  ///< ticks
};

/// floor(s * V): the most lots one origin may supply (spec 4, rule 3).
inline std::int64_t origin_cap_lots(const Decimal& share, std::int64_t volume) {
    return static_cast<std::int64_t>(floor_quotient(share * Decimal::integer(volume), Decimal::integer(1)));
}

/// Per origin (book.origins order): lots sold in `a`.
inline std::vector<std::int64_t> origin_totals(const OrderBook& book, const Allocation& a) {
    std::vector<std::int64_t> per(book.origins.size(), 0);
    for (std::size_t o = 0; o < book.offer_count(); ++o) per[book.offer_origin[o]] += a.offer_fill[o];
    return per;
}

/// Per origin: whether it is at its cap (always false without a cap).
inline std::vector<bool> origins_at_cap(const OrderBook& book, const Allocation& a) {
    std::vector<bool> at(book.origins.size(), false);
    if (!book.max_origin_share) return at;
    const std::int64_t cap = origin_cap_lots(*book.max_origin_share, a.volume);
    auto per = origin_totals(book, a);
    for (std::size_t c = 0; c < per.size(); ++c) at[c] = per[c] >= cap;
    return at;
}

/// The supporting interval of `a`; nullopt when V = 0 or no price supports it.
inline std::optional<PriceInterval> price_interval(const OrderBook& book, const Allocation& a) {
    if (a.volume == 0) return std::nullopt;
    std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    for (std::size_t b = 0; b < book.bid_count(); ++b) {
        const std::int64_t x = a.bid_fill[b];
        if (x > 0) hi = std::min(hi, book.bid_price[b]);
        if (x < book.bid_lots[b] && !(book.bid_min[b] > 0 && x == 0)) lo = std::max(lo, book.bid_price[b]);
    }
    const std::vector<bool> capped = origins_at_cap(book, a);
    for (std::size_t o = 0; o < book.offer_count(); ++o) {
        const std::int64_t y = a.offer_fill[o];
        if (y > 0) lo = std::max(lo, book.offer_price[o]);
        if (y < book.offer_lots[o] && !(book.offer_min[o] > 0 && y == 0) && !capped[book.offer_origin[o]])
            hi = std::min(hi, book.offer_price[o]);
    }
    if (lo > hi) return std::nullopt;
    return PriceInterval{lo, hi};
}


/// The range of one place's price over the lattice; an end is absent where
/// nothing bounds it (possible only for a place where nothing trades).
struct PlaceInterval {
    std::optional<std::int64_t> low, high;  ///< ticks
};

/// Per node of `m`: the lowest and highest price over every price vector that
/// supports the allocation (`fills`, `arc_flow`) under 4(a)-(d); nullopt when
/// no vector does.
inline std::optional<std::vector<PlaceInterval>> price_lattice(const Market& m, const Allocation& fills,
                                                               const std::vector<std::int64_t>& arc_flow) {
    const std::size_t n = m.nodes.size();
    constexpr std::int64_t none_high = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t none_low = std::numeric_limits<std::int64_t>::min();
    std::vector<std::int64_t> upper(n, none_high), lower(n, none_low);
    for (std::size_t b = 0; b < m.bid_count(); ++b) {
        const std::int64_t x = fills.bid_fill[b], q = m.bid_node[b];
        if (x > 0) upper[q] = std::min(upper[q], m.bid_price[b]);
        if (x < m.bid_lots[b] && !(m.bid_min[b] > 0 && x == 0)) lower[q] = std::max(lower[q], m.bid_price[b]);
    }
    const std::vector<bool> capped = origins_at_cap(m, fills);
    for (std::size_t o = 0; o < m.offer_count(); ++o) {
        const std::int64_t y = fills.offer_fill[o], q = m.offer_node[o];
        if (y > 0) lower[q] = std::max(lower[q], m.offer_price[o]);
        if (y < m.offer_lots[o] && !(m.offer_min[o] > 0 && y == 0) && !capped[m.offer_origin[o]])
            upper[q] = std::min(upper[q], m.offer_price[o]);
    }
    // Edges (i, j, w) mean p_j - p_i <= w; node n is the reference, at 0.
    struct Edge {
        std::size_t i, j;
        int128 w;
    };
    std::vector<Edge> edges;
    for (std::size_t q = 0; q < n; ++q) {
        if (upper[q] != none_high) edges.push_back({n, q, upper[q]});
        if (lower[q] != none_low) edges.push_back({q, n, -static_cast<int128>(lower[q])});
    }
    for (std::size_t r = 0; r < m.arcs.size(); ++r) {
        const Arc& a = m.arcs[r];
        if (!a.capacity || arc_flow[r] < *a.capacity) edges.push_back({a.from, a.to, a.freight});
        if (arc_flow[r] > 0) edges.push_back({a.to, a.from, -static_cast<int128>(a.freight)});
    }
    // Shortest distances from the reference, over `edges` or their reverse.
    auto distances = [&](bool reverse) -> std::optional<std::vector<std::optional<int128>>> {
        std::vector<std::optional<int128>> d(n + 1);
        d[n] = 0;
        for (std::size_t round = 0; round <= n + 1; ++round) {
            bool changed = false;
            for (const Edge& e : edges) {
                const std::size_t from = reverse ? e.j : e.i, to = reverse ? e.i : e.j;
                if (d[from] && (!d[to] || *d[from] + e.w < *d[to])) {
                    d[to] = *d[from] + e.w;
                    changed = true;
                }
            }
            if (!changed) return d;
        }
        return std::nullopt;  // still improving after n + 1 rounds: a negative cycle
    };
    const auto high = distances(false);
    const auto neg_low = distances(true);
    if (!high || !neg_low) return std::nullopt;
    std::vector<PlaceInterval> out(n);
    for (std::size_t q = 0; q < n; ++q) {
        if ((*high)[q]) out[q].high = static_cast<std::int64_t>(*(*high)[q]);
        if ((*neg_low)[q]) out[q].low = static_cast<std::int64_t>(-*(*neg_low)[q]);
    }
    return out;
}

/// Which part of an allocation puts one constraint on the prices (spec 4).
struct PriceConstraintSource {
    enum class Kind : std::uint8_t {
        bid_buys,               ///< x > 0:        p <= P            (4(a))
        bid_could_buy_more,     ///< x < lots:     p >= P            (4(b))
        offer_sells,            ///< y > 0:        p >= A            (4(a))
        offer_could_sell_more,  ///< y < lots:     p <= A            (4(c))
        route_not_full,         ///< f < capacity: p_v - p_u <= F   (4(d))
        route_carries,          ///< f > 0:        p_v - p_u >= F   (4(d))
    };
    Kind kind;
    std::uint32_t index;  ///< bid, eligible offer or route
};

/// When no price vector supports the allocation: the sources of the
/// constraints on one cycle that contradict each other (a negative cycle of
/// the difference constraints). Every allocation that differs in none of
/// these sources is unsupported too, so a search can branch on them. Empty
/// when a price vector exists. One Bellman-Ford pass over all places.
inline std::vector<PriceConstraintSource> price_conflict(const Market& m, const Allocation& fills,
                                                         const std::vector<std::int64_t>& arc_flow) {
    using Kind = PriceConstraintSource::Kind;
    const std::size_t n = m.nodes.size();
    struct Edge {
        std::size_t i, j;  // p_j - p_i <= w
        int128 w;
        PriceConstraintSource source;
    };
    // Per place, only the tightest bound of each kind can close a cycle.
    std::vector<std::optional<Edge>> upper(n), lower(n);
    auto tighten_upper = [&](std::size_t q, std::int64_t price, PriceConstraintSource src) {
        if (!upper[q] || price < upper[q]->w) upper[q] = Edge{n, q, price, src};
    };
    auto tighten_lower = [&](std::size_t q, std::int64_t price, PriceConstraintSource src) {
        if (!lower[q] || -static_cast<int128>(price) < lower[q]->w) lower[q] = Edge{q, n, -static_cast<int128>(price), src};
    };
    for (std::uint32_t b = 0; b < m.bid_count(); ++b) {
        const std::int64_t x = fills.bid_fill[b];
        if (x > 0) tighten_upper(m.bid_node[b], m.bid_price[b], {Kind::bid_buys, b});
        if (x < m.bid_lots[b] && !(m.bid_min[b] > 0 && x == 0))
            tighten_lower(m.bid_node[b], m.bid_price[b], {Kind::bid_could_buy_more, b});
    }
    const std::vector<bool> capped = origins_at_cap(m, fills);
    for (std::uint32_t o = 0; o < m.offer_count(); ++o) {
        const std::int64_t y = fills.offer_fill[o];
        if (y > 0) tighten_lower(m.offer_node[o], m.offer_price[o], {Kind::offer_sells, o});
        if (y < m.offer_lots[o] && !(m.offer_min[o] > 0 && y == 0) && !capped[m.offer_origin[o]])
            tighten_upper(m.offer_node[o], m.offer_price[o], {Kind::offer_could_sell_more, o});
    }
    std::vector<Edge> edges;
    for (std::size_t q = 0; q < n; ++q) {
        if (upper[q]) edges.push_back(*upper[q]);
        if (lower[q]) edges.push_back(*lower[q]);
    }
    for (std::uint32_t r = 0; r < m.arcs.size(); ++r) {
        const Arc& a = m.arcs[r];
        if (!a.capacity || arc_flow[r] < *a.capacity) edges.push_back({a.from, a.to, a.freight, {Kind::route_not_full, r}});
        if (arc_flow[r] > 0) edges.push_back({a.to, a.from, -static_cast<int128>(a.freight), {Kind::route_carries, r}});
    }
    // Bellman-Ford from every node at once (all distances 0).
    std::vector<int128> d(n + 1, 0);
    std::vector<std::size_t> pred(n + 1, edges.size());
    std::size_t last = n + 1;
    for (std::size_t round = 0; round <= n + 1; ++round) {
        last = n + 1;
        for (std::size_t e = 0; e < edges.size(); ++e)
            if (d[edges[e].i] + edges[e].w < d[edges[e].j]) {
                d[edges[e].j] = d[edges[e].i] + edges[e].w;
                pred[edges[e].j] = e;
                last = edges[e].j;
            }
        if (last == n + 1) return {};
    }
    // Still relaxing: walk back into the cycle, then around it.
    std::size_t v = last;
    for (std::size_t k = 0; k <= n; ++k) v = edges[pred[v]].i;
    std::vector<PriceConstraintSource> cycle;
    for (std::size_t u = v;;) {
        const Edge& e = edges[pred[u]];
        cycle.push_back(e.source);
        u = e.i;
        if (u == v) break;
    }
    return cycle;
}

}  // namespace jpclear
