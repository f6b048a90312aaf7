// The CBC oracle; see cbc_oracle.h for what it is for.
//
// The MIP (all data whole numbers; bids b, eligible offers o, origins c):
//
//   x_b in [0, L_b], y_o in [0, L_o]   integer lots
//   u_b, v_o                           binary: the order trades
//   f_b, g_o                           binary: the order is full (may be 0 when full)
//   V in [0, Vmax]                     integer: lots cleared
//   r in [0, R-1]                      integer: the price, as a rank (see below)
//   K in [0, Vmax], a_c                only with a cap: K = floor(s V); origin c at cap
//
//   min(m,1) u <= x <= L u,  x >= L f               (rule 1; "full" is earned)
//   sum x = V = sum y                               (rule 2)
//   den K <= num V,  den K >= num V - den + 1       (K = floor(num/den * V), exact)
//   T_c := sum_{o in c} y_o <= K                    (rule 3)
//   T_c >= K - Vmax (1 - a_c)                       (a_c = 1 only when T_c = K)
//   4(a)  u_b = 1 -> rank(P_b) >= r;  v_o = 1 -> rank(A_o) <= r
//   4(b)  f_b = 0 -> rank(P_b) <= r           (bid without min_lots)
//         u_b = 1, f_b = 0 -> rank(P_b) <= r  (block: a rejected one is exempt)
//   4(c)  g_o = 0, a_c = 0 -> rank(A_o) >= r, and for blocks also v_o = 1
//
// Each implication is a big-M row with M = R - 1. The binaries only ever
// relax a condition when the allocation entitles them to (f = 1 needs a full
// order, a_c = 1 an origin at its cap, u = 0 a block with x = 0), so the
// feasible allocations are exactly those of spec rules 1-4.
//
// Why a rank and not the price in ticks: the conditions only compare p with
// order prices, so their solutions form an interval [lo, hi] whose ends, when
// finite, are order prices; if any integer p works, an order price works. With
// p restricted to the R distinct order prices, p can be the index into their
// sorted list, and big-M is R - 1 instead of a price range of up to 10^18
// ticks -- with M ~ 10^6 CBC's integrality tolerance (1e-6) alone would let a
// "zero" binary move the price by a tick.
//
// Objective: welfare sum P x - sum A y. Because sum x = sum y, subtracting the
// lowest order price q0 from every price leaves it unchanged, and the shifted
// prices share a factor G (their gcd) that can be divided out. The scaled
// objective is an integer well inside the 2^53 doubles hold exactly (checked).
//
// Lexicographic optimum, by solving twice: (1) maximise scaled welfare; W1 is
// that of the verified rounded solution; (2) add the row "scaled welfare >=
// W1 - 1/2" (the left side is an integer, so this is ">= W1" with room for
// tolerances), maximise V, starting from stage 1's solution. Both runs stop
// only when the gap is below 1/2 of an integral objective, which proves the
// optimum. Stage 2's solution is checked to have welfare exactly W1. The
// places oracle solves the same way: solve_lexicographic() (oracle_common.h).

#include "oracle/cbc_oracle.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oracle/oracle_common.h"

namespace jpclear::oracle {

using namespace detail;  // the pieces both oracles share (oracle_common.h)

std::string OracleResult::welfare_string() const { return to_string(welfare); }

AllocationCheck check_allocation(const OrderBook& book, const std::vector<std::int64_t>& bid_fill,
                                 const std::vector<std::int64_t>& offer_fill) {
    AllocationCheck c;
    auto fail = [&c](std::string why) {
        c.ok = false;
        c.reason = std::move(why);
        return c;
    };
    if (bid_fill.size() != book.bid_count() || offer_fill.size() != book.offer_count())
        return fail("fill vectors do not match the book");

    // Rule 1 and the totals, in 128 bits so that no sum can wrap.
    int128 bought = 0, sold = 0, welfare = 0;
    for (std::size_t b = 0; b < book.bid_count(); ++b) {
        const std::int64_t x = bid_fill[b];
        if (std::string why = fill_error("bid", book.bid_id[b], x, book.bid_lots[b], book.bid_min[b]); !why.empty())
            return fail(std::move(why));
        bought += x;
        welfare += static_cast<int128>(book.bid_price[b]) * x;
    }
    for (std::size_t o = 0; o < book.offer_count(); ++o) {
        const std::int64_t y = offer_fill[o];
        if (std::string why = fill_error("offer", book.offer_id[o], y, book.offer_lots[o], book.offer_min[o]);
            !why.empty())
            return fail(std::move(why));
        sold += y;
        welfare -= static_cast<int128>(book.offer_price[o]) * y;
    }
    // Rule 2.
    if (bought != sold) return fail("bids buy " + to_string(bought) + " lots, offers sell " + to_string(sold));
    c.volume = static_cast<std::int64_t>(bought);
    c.welfare = welfare;

    // Rule 3: floor(s V) per origin; an origin at it is exempt from 4(c).
    std::vector<bool> at_cap;
    if (std::string why = origin_cap_error(book, offer_fill, c.volume, at_cap); !why.empty())
        return fail(std::move(why));

    // Rule 4: each condition bounds p from one side.
    std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    for (std::size_t b = 0; b < book.bid_count(); ++b) {
        const std::int64_t x = bid_fill[b];
        const bool rejected_block = book.bid_min[b] > 0 && x == 0;
        if (x > 0) hi = std::min(hi, book.bid_price[b]);                                 // 4(a)
        if (x < book.bid_lots[b] && !rejected_block) lo = std::max(lo, book.bid_price[b]);  // 4(b)
    }
    for (std::size_t o = 0; o < book.offer_count(); ++o) {
        const std::int64_t y = offer_fill[o];
        const bool rejected_block = book.offer_min[o] > 0 && y == 0;
        if (y > 0) lo = std::max(lo, book.offer_price[o]);  // 4(a)
        if (y < book.offer_lots[o] && !rejected_block && !at_cap[book.offer_origin[o]])
            hi = std::min(hi, book.offer_price[o]);  // 4(c)
    }
    c.price_low = lo;
    c.price_high = hi;
    if (lo > hi)
        return fail("no price meets 4(a)-(c): it would have to be >= " + std::to_string(lo) + " and <= " +
                    std::to_string(hi) + " ticks");
    c.ok = true;
    return c;
}

namespace {

/// Indices of the MIP's columns.
struct Columns {
    std::vector<OrderColumns> bids, offers;  ///< x, u, f per bid; y, v, g per offer
    CapColumns cap;                          ///< K and a_c, only with a cap
    int volume = -1, rank = -1;
};

}  // namespace

OracleResult solve_with_cbc(const OrderBook& book, std::int64_t time_limit_ms) {
    OracleResult out;
    const std::size_t nb = book.bid_count(), no = book.offer_count();
    out.bid_fill.assign(nb, 0);
    out.offer_fill.assign(no, 0);

    // Distinct order prices, ascending; the price variable is an index here.
    std::vector<std::int64_t> prices;
    prices.insert(prices.end(), book.bid_price.begin(), book.bid_price.end());
    prices.insert(prices.end(), book.offer_price.begin(), book.offer_price.end());
    std::sort(prices.begin(), prices.end());
    prices.erase(std::unique(prices.begin(), prices.end()), prices.end());
    if (prices.empty()) prices.push_back(0);  // no orders: any price, nothing trades
    auto rank = [&prices](std::int64_t p) {
        return static_cast<double>(std::lower_bound(prices.begin(), prices.end(), p) - prices.begin());
    };
    const double M = static_cast<double>(prices.size() - 1);

    // Scaled welfare coefficients (see the file comment).
    const std::int64_t q0 = prices.front();
    std::int64_t G = 0;
    for (std::int64_t p : prices) G = std::gcd(G, p - q0);
    if (G == 0) G = 1;
    int128 bid_total = 0, offer_total = 0, objective_bound = 0;
    for (std::size_t b = 0; b < nb; ++b) {
        bid_total += book.bid_lots[b];
        objective_bound += static_cast<int128>((book.bid_price[b] - q0) / G) * book.bid_lots[b];
    }
    for (std::size_t o = 0; o < no; ++o) {
        offer_total += book.offer_lots[o];
        objective_bound += static_cast<int128>((book.offer_price[o] - q0) / G) * book.offer_lots[o];
    }
    if (objective_bound > kExact) {
        out.failure = "the scaled welfare can reach " + to_string(objective_bound) +
                      ", too large to be exact in CBC's doubles";
        return out;
    }
    const std::int64_t vmax = static_cast<std::int64_t>(std::min(bid_total, offer_total));
    const std::optional<Fraction> share = exact_share(book, vmax, out.failure);
    if (!share) return out;

    Mip mip;
    Columns col;
    col.volume = mip.col(0.0, static_cast<double>(vmax));
    col.rank = mip.col(0.0, M);
    for (std::size_t b = 0; b < nb; ++b) col.bids.push_back(add_order(mip, book.bid_lots[b]));
    for (std::size_t o = 0; o < no; ++o) col.offers.push_back(add_order(mip, book.offer_lots[o]));
    if (book.max_origin_share) col.cap = add_cap(mip, vmax, book.origins.size());
    const int r = col.rank;

    // Rule 1, "full", and 4(a)/(b) for bids.
    Terms demand{{col.volume, -1.0}}, supply{{col.volume, -1.0}};
    for (std::size_t b = 0; b < nb; ++b) {
        const double rp = rank(book.bid_price[b]);
        const int x = col.bids[b].fill, u = col.bids[b].trades, f = col.bids[b].full;
        add_order_rows(mip, col.bids[b], book.bid_lots[b], book.bid_min[b]);
        mip.row({{r, 1.0}, {u, M}}, -kInf, rp + M);  // 4(a): u = 1 -> r <= rank(P)
        if (book.bid_min[b] > 0)
            mip.row({{r, 1.0}, {u, -M}, {f, M}}, rp - M, kInf);  // 4(b): u = 1, f = 0 -> r >= rank(P)
        else
            mip.row({{r, 1.0}, {f, M}}, rp, kInf);  // 4(b): f = 0 -> r >= rank(P)
        demand.push_back({x, 1.0});
    }
    // Rule 1, "full", and 4(a)/(c) for offers.
    for (std::size_t o = 0; o < no; ++o) {
        const double ra = rank(book.offer_price[o]);
        const int y = col.offers[o].fill, v = col.offers[o].trades, g = col.offers[o].full;
        add_order_rows(mip, col.offers[o], book.offer_lots[o], book.offer_min[o]);
        mip.row({{r, 1.0}, {v, -M}}, ra - M, kInf);  // 4(a): v = 1 -> r >= rank(A)
        // 4(c): not full, not capped (and, for a block, trading) -> r <= rank(A).
        Terms terms{{r, 1.0}, {g, -M}};
        if (book.max_origin_share) terms.push_back({col.cap.at_cap[book.offer_origin[o]], -M});
        if (book.offer_min[o] > 0) {
            terms.push_back({v, M});
            mip.row(terms, -kInf, ra + M);
        } else {
            mip.row(terms, -kInf, ra);
        }
        supply.push_back({y, 1.0});
    }
    // Rule 2.
    mip.row(demand, 0.0, 0.0);
    mip.row(supply, 0.0, 0.0);
    // Rule 3 and "at cap".
    if (book.max_origin_share) add_cap_rows(mip, *share, col.cap, col.volume, book, col.offers, vmax);

    // Stage 1's objective: scaled welfare.
    Terms welfare_terms;
    for (std::size_t b = 0; b < nb; ++b)
        add_welfare(mip, welfare_terms, col.bids[b].fill, static_cast<double>((book.bid_price[b] - q0) / G));
    for (std::size_t o = 0; o < no; ++o)
        add_welfare(mip, welfare_terms, col.offers[o].fill, -static_cast<double>((book.offer_price[o] - q0) / G));

    // Reads a run's rounded solution and checks it exactly; fills `out` on success.
    auto accept = [&](const std::vector<std::int64_t>& ints, const char* stage) -> bool {
        for (std::size_t b = 0; b < nb; ++b) out.bid_fill[b] = ints[static_cast<std::size_t>(col.bids[b].fill)];
        for (std::size_t o = 0; o < no; ++o) out.offer_fill[o] = ints[static_cast<std::size_t>(col.offers[o].fill)];
        const AllocationCheck c = check_allocation(book, out.bid_fill, out.offer_fill);
        if (!c.ok) {
            out.failure = std::string(stage) + ": CBC's allocation breaks the rules: " + c.reason;
            return false;
        }
        const std::int64_t p = prices[static_cast<std::size_t>(ints[static_cast<std::size_t>(col.rank)])];
        if (p < c.price_low || p > c.price_high) {
            out.failure = std::string(stage) + ": the MIP's price " + std::to_string(p) +
                          " is outside the allocation's interval";
            return false;
        }
        out.welfare = c.welfare;
        out.volume = c.volume;
        out.price_ticks = p;
        out.price_low = c.price_low;
        out.price_high = c.price_high;
        return true;
    };
    solve_lexicographic(mip, welfare_terms, col.volume, G, time_limit_ms, std::nullopt, out, accept);
    return out;
}

}  // namespace jpclear::oracle
