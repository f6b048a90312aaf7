// The CBC oracle for rounds with places; see places_oracle.h for what it is for.
//
// The MIP (all data whole numbers; bids b at node q(b), eligible offers o at
// node q(o), arcs r from u(r) to v(r), places q, origins c):
//
//   x_b in [0, L_b], y_o in [0, L_o]   integer lots
//   u_b, v_o                           binary: the order trades
//   e_b, g_o                           binary: the order is full (may be 0 when full)
//   f_r in [0, U_r]                    integer lots carried; U_r <= capacity
//   h_r                                binary: the route is full (only with a capacity > 0)
//   w_r                                binary: the route carries lots
//   p_q in [B0, B1]                    integer: the place's price (shifted and scaled, below)
//   V in [0, Vmax]                     integer: lots cleared
//   K in [0, Vmax], a_c                only with a cap: K = floor(s V); origin c at cap
//
//   min(m,1) u <= x <= L u,  x >= L e                 (rule 1; "full" is earned)
//   sum_{o at q} y_o = sum_{r from q} f_r             (rule 2, at every place)
//   sum_{b at q} x_b = sum_{r to q} f_r,  V = sum x_b
//   f_r >= C_r h_r,  f_r <= U_r w_r                   (h = 1 needs a full route, w = 0 an empty one)
//   den K <= num V,  den K >= num V - den + 1         (K = floor(num/den * V), exact)
//   T_c := sum_{o in c} y_o <= K,  T_c >= K - Vmax (1 - a_c)   (rule 3; a_c = 1 only at the cap)
//   4(a)  u_b = 1 -> p_q(b) <= P_b;  v_o = 1 -> p_q(o) >= A_o
//   4(b)  e_b = 0 (and u_b = 1 for a block) -> p_q(b) >= P_b
//   4(c)  g_o = 0, a_c = 0 (and v_o = 1 for a block) -> p_q(o) <= A_o
//   4(d)  h_r = 0 -> p_v - p_u <= F_r   (a route with capacity 0 is always full)
//         w_r = 1 -> p_v - p_u >= F_r
//
// Each implication is a big-M row whose M is the least that relaxes it over
// the price box [B0, B1]. As in cbc_oracle.cpp the binaries only relax a
// condition when the allocation entitles them to, so the feasible points are
// exactly the allocations of the rules with a supporting price vector.
//
// Why the box loses nothing: every bound on a single price is an order price
// in [Pmin, Pmax], and the route rows bound differences by freights. Adding
// Pmin - S <= p_q <= Pmax + S for every place, S the sum of all freights (of
// routes between two places), creates no negative cycle in the system of
// difference constraints: a simple cycle through the reference node uses one
// bound out of it and one into it, and a simple path between places sums to
// at least -S. So the system with the box is feasible whenever the system
// without it is, and then it has an integer solution.
//
// Shift and scale: with sum x = sum y, subtracting the lowest order price q0
// from every order price leaves welfare unchanged; prices (shifted) and
// freights share a factor G (their gcd) that divides out of the objective and
// of every price row (a difference system with weights in G*Z has a solution
// in G*Z when it has any). So p_q here is (price - q0) / G: the box and the
// big-Ms are as small as the data allows, and the objective is an integer
// well inside the 2^53 doubles hold exactly (checked).
//
// Lexicographic optimum by solving twice, as cbc_oracle.cpp does (the same
// code: solve_lexicographic() in oracle_common.h): maximise scaled welfare,
// then keep it (row ">= W1 - 1/2") and maximise V.

#include "oracle/places_oracle.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oracle/oracle_common.h"

namespace jpclear::oracle {

using namespace detail;  // the pieces both oracles share (oracle_common.h)

std::string PlacesOracleResult::welfare_string() const { return to_string(welfare); }

namespace {

/// A difference constraint p_to - p_from <= weight (ticks).
struct Edge {
    std::size_t from, to;
    int128 weight;
};

/// Shortest distances from `source` (nullopt: unreachable); nullopt overall
/// when a negative cycle is reachable. With `source` = npos every node starts
/// at 0 (a virtual source), which finds every negative cycle.
std::optional<std::vector<std::optional<int128>>> shortest(std::size_t nodes, const std::vector<Edge>& edges,
                                                           std::size_t source) {
    std::vector<std::optional<int128>> d(nodes);
    if (source < nodes)
        d[source] = 0;
    else
        std::fill(d.begin(), d.end(), int128{0});
    bool changed = true;
    for (std::size_t pass = 0; pass <= nodes && changed; ++pass) {
        changed = false;
        for (const Edge& e : edges) {
            if (!d[e.from]) continue;
            const int128 via = *d[e.from] + e.weight;
            if (!d[e.to] || via < *d[e.to]) {
                d[e.to] = via;
                changed = true;
            }
        }
    }
    if (changed) return std::nullopt;
    return d;
}

std::optional<std::int64_t> to_int64(const std::optional<int128>& v) {
    if (!v) return std::nullopt;
    if (*v > std::numeric_limits<std::int64_t>::max() || *v < std::numeric_limits<std::int64_t>::min())
        return std::nullopt;
    return static_cast<std::int64_t>(*v);
}

bool fits_int64(int128 v) {
    return v <= std::numeric_limits<std::int64_t>::max() && v >= std::numeric_limits<std::int64_t>::min();
}

}  // namespace

PlacesCheck check_places_allocation(const Market& m, const std::vector<std::int64_t>& bid_fill,
                                    const std::vector<std::int64_t>& offer_fill,
                                    const std::vector<std::int64_t>& arc_flow) {
    PlacesCheck c;
    auto fail = [&c](std::string why) {
        c.ok = false;
        c.reason = std::move(why);
        c.price_low.clear();
        c.price_high.clear();
        return c;
    };
    const std::size_t nn = m.nodes.size(), na = m.arcs.size();
    if (bid_fill.size() != m.bid_count() || offer_fill.size() != m.offer_count() || arc_flow.size() != na)
        return fail("fill vectors do not match the market");
    if (m.bid_node.size() != m.bid_count() || m.offer_node.size() != m.offer_count())
        return fail("the market has no node for some order (network not prepared)");
    for (std::uint32_t q : m.bid_node)
        if (q >= nn) return fail("a bid's node is out of range");
    for (std::uint32_t q : m.offer_node)
        if (q >= nn) return fail("an offer's node is out of range");
    for (const Arc& a : m.arcs)
        if (a.from >= nn || a.to >= nn) return fail("an arc's node is out of range");

    auto place = [&m](std::size_t q) { return m.nodes[q]; };
    auto route = [&m, &place](std::size_t r) {
        return "route " + std::to_string(r) + " (" + place(m.arcs[r].from) + " -> " + place(m.arcs[r].to) + ")";
    };

    // Rule 1 and the totals, in 128 bits so that no sum can wrap.
    std::vector<int128> bought(nn, 0), sold(nn, 0), carried_in(nn, 0), carried_out(nn, 0);
    int128 volume = 0, supplied = 0, carried = 0, welfare = 0;
    c.traded.assign(nn, false);
    for (std::size_t b = 0; b < m.bid_count(); ++b) {
        const std::int64_t x = bid_fill[b];
        if (std::string why = fill_error("bid", m.bid_id[b], x, m.bid_lots[b], m.bid_min[b]); !why.empty())
            return fail(std::move(why));
        bought[m.bid_node[b]] += x;
        volume += x;
        welfare += static_cast<int128>(m.bid_price[b]) * x;
        if (x > 0) c.traded[m.bid_node[b]] = true;
    }
    for (std::size_t o = 0; o < m.offer_count(); ++o) {
        const std::int64_t y = offer_fill[o];
        if (std::string why = fill_error("offer", m.offer_id[o], y, m.offer_lots[o], m.offer_min[o]); !why.empty())
            return fail(std::move(why));
        sold[m.offer_node[o]] += y;
        supplied += y;
        welfare -= static_cast<int128>(m.offer_price[o]) * y;
        if (y > 0) c.traded[m.offer_node[o]] = true;
    }
    for (std::size_t r = 0; r < na; ++r) {
        const std::int64_t f = arc_flow[r];
        const Arc& a = m.arcs[r];
        if (f < 0 || (a.capacity && f > *a.capacity))
            return fail(route(r) + " carries " + std::to_string(f) + " lots, capacity " +
                        (a.capacity ? std::to_string(*a.capacity) : std::string("none")));
        carried_out[a.from] += f;
        carried_in[a.to] += f;
        carried += f;
        welfare -= static_cast<int128>(a.freight) * f;
    }
    // Rule 2: balance at every place.
    for (std::size_t q = 0; q < nn; ++q) {
        if (sold[q] != carried_out[q] || bought[q] != carried_in[q])
            return fail("balance at " + place(q) + ": sold " + to_string(sold[q]) + ", carried out " +
                        to_string(carried_out[q]) + ", bought " + to_string(bought[q]) + ", carried in " +
                        to_string(carried_in[q]));
    }
    if (volume != supplied || volume != carried)
        return fail("bids buy " + to_string(volume) + " lots, offers sell " + to_string(supplied) + ", routes carry " +
                    to_string(carried));
    if (!fits_int64(volume)) return fail("volume does not fit 64 bits");
    c.volume = static_cast<std::int64_t>(volume);
    c.welfare = welfare;

    // Rule 3: floor(s V) per origin; an origin at it is exempt from 4(c).
    if (std::string why = origin_cap_error(m, offer_fill, volume, c.origin_at_cap); !why.empty())
        return fail(std::move(why));

    // Rule 4 as difference constraints p_to - p_from <= w; node nn is the
    // reference (price 0), so "p_q <= P" is an edge nn -> q of weight P.
    const std::size_t zero = nn;
    std::vector<Edge> edges;
    for (std::size_t b = 0; b < m.bid_count(); ++b) {
        const std::int64_t x = bid_fill[b];
        const std::size_t q = m.bid_node[b];
        const bool rejected_block = m.bid_min[b] > 0 && x == 0;
        if (x > 0) edges.push_back({zero, q, m.bid_price[b]});                                   // 4(a)
        if (x < m.bid_lots[b] && !rejected_block) edges.push_back({q, zero, -int128{m.bid_price[b]}});  // 4(b)
    }
    for (std::size_t o = 0; o < m.offer_count(); ++o) {
        const std::int64_t y = offer_fill[o];
        const std::size_t q = m.offer_node[o];
        const bool rejected_block = m.offer_min[o] > 0 && y == 0;
        if (y > 0) edges.push_back({q, zero, -int128{m.offer_price[o]}});  // 4(a)
        if (y < m.offer_lots[o] && !rejected_block && !c.origin_at_cap[m.offer_origin[o]])
            edges.push_back({zero, q, m.offer_price[o]});  // 4(c)
    }
    for (std::size_t r = 0; r < na; ++r) {
        const Arc& a = m.arcs[r];
        const std::int64_t f = arc_flow[r];
        if (!a.capacity || f < *a.capacity) edges.push_back({a.from, a.to, a.freight});  // 4(d), not full
        if (f > 0) edges.push_back({a.to, a.from, -int128{a.freight}});                  // 4(d), used
    }
    if (!shortest(nn + 1, edges, std::numeric_limits<std::size_t>::max()))
        return fail("no place prices meet 4(a)-(d): the difference constraints have a negative cycle");
    std::vector<Edge> reversed;
    reversed.reserve(edges.size());
    for (const Edge& e : edges) reversed.push_back({e.to, e.from, e.weight});
    const auto up = shortest(nn + 1, edges, zero);        // hi_q = dist(zero -> q)
    const auto down = shortest(nn + 1, reversed, zero);   // lo_q = -dist(q -> zero)
    if (!up || !down) return fail("no place prices meet 4(a)-(d) (negative cycle from the reference)");
    c.price_low.assign(nn, std::nullopt);
    c.price_high.assign(nn, std::nullopt);
    for (std::size_t q = 0; q < nn; ++q) {
        if ((*up)[q] && !fits_int64(*(*up)[q])) return fail("price bound at " + place(q) + " out of range");
        if ((*down)[q] && !fits_int64(-*(*down)[q])) return fail("price bound at " + place(q) + " out of range");
        c.price_high[q] = to_int64((*up)[q]);
        if ((*down)[q]) c.price_low[q] = to_int64(-*(*down)[q]);
    }
    if ((*up)[zero] != int128{0} || (*down)[zero] != int128{0})
        return fail("the reference price is not 0 (checker bug)");
    c.ok = true;
    return c;
}

PlacesOracleResult solve_places_with_cbc(const Market& m, std::int64_t time_limit_ms) {
    PlacesOracleResult out;
    const std::size_t nb = m.bid_count(), no = m.offer_count(), nn = m.nodes.size(), na = m.arcs.size();
    out.bid_fill.assign(nb, 0);
    out.offer_fill.assign(no, 0);
    out.arc_flow.assign(na, 0);
    if (nn == 0 || na == 0) {
        out.failure = "the market has no network (nodes and arcs empty): not a round with places";
        return out;
    }
    if (m.bid_node.size() != nb || m.offer_node.size() != no) {
        out.failure = "the market has no node for some order (bid_node/offer_node not filled)";
        return out;
    }

    // Shift and scale (see the file comment).
    std::int64_t q0 = 0, pmax = 0;
    bool any = false;
    auto see = [&](std::int64_t p) {
        q0 = any ? std::min(q0, p) : p;
        pmax = any ? std::max(pmax, p) : p;
        any = true;
    };
    for (std::int64_t p : m.bid_price) see(p);
    for (std::int64_t p : m.offer_price) see(p);
    int128 G = 0;
    for (std::int64_t p : m.bid_price) G = gcd128(G, int128{p} - q0);
    for (std::int64_t p : m.offer_price) G = gcd128(G, int128{p} - q0);
    for (const Arc& a : m.arcs) G = gcd128(G, a.freight);
    if (G == 0) G = 1;
    auto scaled = [&](std::int64_t p) { return (int128{p} - q0) / G; };
    int128 S = 0;
    for (const Arc& a : m.arcs)
        if (a.from != a.to) S += a.freight / G;
    const int128 B0 = -S, B1 = scaled(pmax) + S, width = B1 - B0;
    if (width > kExact) {
        out.failure = "the price box is too wide to be exact in CBC's doubles";
        return out;
    }
    const double b0 = static_cast<double>(B0), b1 = static_cast<double>(B1), wd = static_cast<double>(width);

    // Supply per port, demand per delivery place, for the route bounds.
    std::vector<int128> supply_at(nn, 0), demand_at(nn, 0);
    int128 bid_total = 0, offer_total = 0, objective_bound = 0;
    for (std::size_t b = 0; b < nb; ++b) {
        demand_at[m.bid_node[b]] += m.bid_lots[b];
        bid_total += m.bid_lots[b];
        objective_bound += scaled(m.bid_price[b]) * m.bid_lots[b];
    }
    for (std::size_t o = 0; o < no; ++o) {
        supply_at[m.offer_node[o]] += m.offer_lots[o];
        offer_total += m.offer_lots[o];
        objective_bound += scaled(m.offer_price[o]) * m.offer_lots[o];
    }
    const std::int64_t vmax = static_cast<std::int64_t>(std::min(bid_total, offer_total));
    std::vector<std::int64_t> arc_ub(na);
    for (std::size_t r = 0; r < na; ++r) {
        const Arc& a = m.arcs[r];
        int128 ub = std::min(supply_at[a.from], demand_at[a.to]);
        if (a.capacity) ub = std::min<int128>(ub, *a.capacity);
        if (a.from == a.to && a.freight > 0) ub = 0;  // p_v - p_u = 0 < F: can never carry (invalid input anyway)
        arc_ub[r] = static_cast<std::int64_t>(ub);
        objective_bound += (int128{a.freight} / G) * ub;
    }
    if (objective_bound > kExact) {
        out.failure = "the scaled welfare can reach " + to_string(objective_bound) +
                      ", too large to be exact in CBC's doubles";
        return out;
    }
    const std::optional<Fraction> share = exact_share(m, vmax, out.failure);
    if (!share) return out;
    // A binary within the integer tolerance t of 1 relaxes a big-M row by
    // M t; keep that well below the half tick that integral prices absorb.
    const double big_m = std::max(2.0 * wd, static_cast<double>(vmax));  // the largest M of any row
    const double integer_tolerance = std::min(1e-6, 0.1 / std::max(big_m, 1.0));

    Mip mip;
    std::vector<OrderColumns> bids, offers;  // x, u, e per bid; y, v, g per offer
    std::vector<int> f(na), h(na, -1), w(na), p(nn);
    const int volume = mip.col(0.0, static_cast<double>(vmax));
    for (std::size_t q = 0; q < nn; ++q) p[q] = mip.col(b0, b1);
    for (std::size_t b = 0; b < nb; ++b) bids.push_back(add_order(mip, m.bid_lots[b]));
    for (std::size_t o = 0; o < no; ++o) offers.push_back(add_order(mip, m.offer_lots[o]));
    for (std::size_t r = 0; r < na; ++r) {
        f[r] = mip.col(0.0, static_cast<double>(arc_ub[r]));
        if (m.arcs[r].capacity && *m.arcs[r].capacity > 0) h[r] = mip.binary();
        w[r] = mip.binary();
    }
    CapColumns cap;
    if (m.max_origin_share) cap = add_cap(mip, vmax, m.origins.size());

    // Bids: rule 1, "full", 4(a), 4(b).
    Terms demand{{volume, -1.0}};
    std::vector<Terms> sold_at(nn), bought_at(nn);
    for (std::size_t b = 0; b < nb; ++b) {
        const double c = static_cast<double>(scaled(m.bid_price[b]));
        const double m_le = b1 - c, m_ge = c - b0;  // least M relaxing p <= c, p >= c over the box
        const int pq = p[m.bid_node[b]], x = bids[b].fill, u = bids[b].trades, e = bids[b].full;
        add_order_rows(mip, bids[b], m.bid_lots[b], m.bid_min[b]);
        mip.row({{pq, 1.0}, {u, m_le}}, -kInf, c + m_le);  // 4(a)
        if (m.bid_min[b] > 0)
            mip.row({{pq, 1.0}, {u, -m_ge}, {e, m_ge}}, c - m_ge, kInf);  // 4(b), block
        else
            mip.row({{pq, 1.0}, {e, m_ge}}, c, kInf);  // 4(b)
        demand.push_back({x, 1.0});
        bought_at[m.bid_node[b]].push_back({x, 1.0});
    }
    // Offers: rule 1, "full", 4(a), 4(c).
    for (std::size_t o = 0; o < no; ++o) {
        const double c = static_cast<double>(scaled(m.offer_price[o]));
        const double m_le = b1 - c, m_ge = c - b0;
        const int pq = p[m.offer_node[o]], y = offers[o].fill, v = offers[o].trades, g = offers[o].full;
        add_order_rows(mip, offers[o], m.offer_lots[o], m.offer_min[o]);
        mip.row({{pq, 1.0}, {v, -m_ge}}, c - m_ge, kInf);  // 4(a)
        Terms terms{{pq, 1.0}, {g, -m_le}};
        if (m.max_origin_share) terms.push_back({cap.at_cap[m.offer_origin[o]], -m_le});
        if (m.offer_min[o] > 0) {
            terms.push_back({v, m_le});
            mip.row(terms, -kInf, c + m_le);  // 4(c), block
        } else {
            mip.row(terms, -kInf, c);  // 4(c)
        }
        sold_at[m.offer_node[o]].push_back({y, 1.0});
    }
    // Routes: capacity, "full", "used", 4(d).
    for (std::size_t r = 0; r < na; ++r) {
        const Arc& arc = m.arcs[r];
        const double F = static_cast<double>(int128{arc.freight} / G);
        sold_at[arc.from].push_back({f[r], -1.0});
        bought_at[arc.to].push_back({f[r], -1.0});
        if (h[r] >= 0) mip.row({{f[r], 1.0}, {h[r], -static_cast<double>(*arc.capacity)}}, 0.0, kInf);  // h = 1 -> full
        mip.row({{f[r], 1.0}, {w[r], -static_cast<double>(arc_ub[r])}}, -kInf, 0.0);  // w = 0 -> f = 0
        if (arc.from == arc.to) continue;  // p_v - p_u = 0: 4(d) holds for F = 0 (and F > 0 cannot carry)
        const int pu = p[arc.from], pv = p[arc.to];
        const bool always_full = arc.capacity && *arc.capacity == 0;
        if (!always_full) {
            if (h[r] >= 0) {
                const double big = std::max(wd - F, 0.0);
                mip.row({{pv, 1.0}, {pu, -1.0}, {h[r], -big}}, -kInf, F);  // h = 0 -> p_v - p_u <= F
            } else {
                mip.row({{pv, 1.0}, {pu, -1.0}}, -kInf, F);
            }
        }
        const double big = F + wd;
        mip.row({{pv, 1.0}, {pu, -1.0}, {w[r], -big}}, F - big, kInf);  // w = 1 -> p_v - p_u >= F
    }
    // Rule 2 at every place, and V.
    for (std::size_t q = 0; q < nn; ++q) {
        mip.row(sold_at[q], 0.0, 0.0);
        mip.row(bought_at[q], 0.0, 0.0);
    }
    mip.row(demand, 0.0, 0.0);
    // Rule 3 and "at cap".
    if (m.max_origin_share) add_cap_rows(mip, *share, cap, volume, m, offers, vmax);

    // Stage 1's objective: scaled welfare.
    Terms welfare_terms;
    for (std::size_t b = 0; b < nb; ++b)
        add_welfare(mip, welfare_terms, bids[b].fill, static_cast<double>(scaled(m.bid_price[b])));
    for (std::size_t o = 0; o < no; ++o)
        add_welfare(mip, welfare_terms, offers[o].fill, -static_cast<double>(scaled(m.offer_price[o])));
    for (std::size_t r = 0; r < na; ++r)
        add_welfare(mip, welfare_terms, f[r], -static_cast<double>(int128{m.arcs[r].freight} / G));

    // Reads a run's rounded solution and checks it exactly; fills `out` on success.
    auto accept = [&](const std::vector<std::int64_t>& ints, const char* stage) -> bool {
        for (std::size_t b = 0; b < nb; ++b) out.bid_fill[b] = ints[static_cast<std::size_t>(bids[b].fill)];
        for (std::size_t o = 0; o < no; ++o) out.offer_fill[o] = ints[static_cast<std::size_t>(offers[o].fill)];
        for (std::size_t r = 0; r < na; ++r) out.arc_flow[r] = ints[static_cast<std::size_t>(f[r])];
        const PlacesCheck c = check_places_allocation(m, out.bid_fill, out.offer_fill, out.arc_flow);
        if (!c.ok) {
            out.failure = std::string(stage) + ": CBC's allocation breaks the rules: " + c.reason;
            return false;
        }
        out.place_price.assign(nn, 0);
        for (std::size_t q = 0; q < nn; ++q) {
            const int128 price = q0 + G * int128{ints[static_cast<std::size_t>(p[q])]};
            if ((c.price_low[q] && price < *c.price_low[q]) || (c.price_high[q] && price > *c.price_high[q])) {
                out.failure = std::string(stage) + ": the MIP's price " + to_string(price) + " at " + m.nodes[q] +
                              " is outside the allocation's lattice";
                return false;
            }
            out.place_price[q] = static_cast<std::int64_t>(price);
        }
        if (ints[static_cast<std::size_t>(volume)] != c.volume) {
            out.failure = std::string(stage) + ": the MIP's V differs from the allocation's";
            return false;
        }
        out.welfare = c.welfare;
        out.volume = c.volume;
        out.price_low = c.price_low;
        out.price_high = c.price_high;
        return true;
    };
    solve_lexicographic(mip, welfare_terms, volume, G, time_limit_ms, integer_tolerance, out, accept);
    return out;
}

}  // namespace jpclear::oracle
