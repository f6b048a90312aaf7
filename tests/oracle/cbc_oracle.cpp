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
// optimum. Stage 2's solution is checked to have welfare exactly W1.

#include "oracle/cbc_oracle.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <CbcModel.hpp>
#include <CoinMessageHandler.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

namespace jpclear::oracle {

std::string to_string(int128 v) {
    if (v == 0) return "0";
    const bool negative = v < 0;
    // Work on the magnitude as unsigned: -INT128_MIN does not fit in int128.
    uint128 mag = negative ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
    std::string digits;
    while (mag != 0) {
        digits.push_back(static_cast<char>('0' + static_cast<int>(mag % 10)));
        mag /= 10;
    }
    if (negative) digits.push_back('-');
    std::reverse(digits.begin(), digits.end());
    return digits;
}

std::string OracleResult::welfare_string() const { return to_string(welfare); }

namespace {

/// max_origin_share as a reduced fraction num/den (0 < num <= den).
struct Fraction {
    int128 num = 1;
    int128 den = 1;
};

int128 gcd128(int128 a, int128 b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
        int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

Fraction share_fraction(const Decimal& s) {
    Fraction f;
    f.num = s.coefficient();
    f.den = 1;
    for (int i = 0; i < s.scale(); ++i) f.den *= 10;
    const int128 g = gcd128(f.num, f.den);
    f.num /= g;
    f.den /= g;
    return f;
}

}  // namespace

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
        const std::int64_t least = std::max<std::int64_t>(book.bid_min[b], 1);
        if (x != 0 && (x < least || x > book.bid_lots[b]))
            return fail("bid " + std::string(book.bid_id[b]) + " fills " + std::to_string(x) + " lots");
        bought += x;
        welfare += static_cast<int128>(book.bid_price[b]) * x;
    }
    for (std::size_t o = 0; o < book.offer_count(); ++o) {
        const std::int64_t y = offer_fill[o];
        const std::int64_t least = std::max<std::int64_t>(book.offer_min[o], 1);
        if (y != 0 && (y < least || y > book.offer_lots[o]))
            return fail("offer " + std::string(book.offer_id[o]) + " fills " + std::to_string(y) + " lots");
        sold += y;
        welfare -= static_cast<int128>(book.offer_price[o]) * y;
    }
    // Rule 2.
    if (bought != sold) return fail("bids buy " + to_string(bought) + " lots, offers sell " + to_string(sold));
    c.volume = static_cast<std::int64_t>(bought);
    c.welfare = welfare;

    // Rule 3: floor(s V) per origin; an origin at it is exempt from 4(c).
    std::vector<int128> origin_lots(book.origins.size(), 0);
    for (std::size_t o = 0; o < book.offer_count(); ++o) origin_lots[book.offer_origin[o]] += offer_fill[o];
    std::vector<bool> at_cap(book.origins.size(), false);
    if (book.max_origin_share) {
        const Fraction s = share_fraction(*book.max_origin_share);
        const int128 cap = s.num * c.volume / s.den;  // both non-negative: division floors
        for (std::size_t k = 0; k < origin_lots.size(); ++k) {
            if (origin_lots[k] > cap)
                return fail("origin " + book.origins[k] + " sells " + to_string(origin_lots[k]) + " lots, cap " +
                            to_string(cap));
            at_cap[k] = origin_lots[k] == cap;
        }
    }

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

/// The MIP as plain arrays, so that stage 2 can be the same model plus a row.
struct Mip {
    std::vector<double> col_lb, col_ub, obj;
    std::vector<int> integers;
    std::vector<CoinPackedVector> rows;
    std::vector<double> row_lb, row_ub;

    int col(double lb, double ub) {
        col_lb.push_back(lb);
        col_ub.push_back(ub);
        obj.push_back(0.0);
        const int j = static_cast<int>(col_lb.size()) - 1;
        integers.push_back(j);  // every variable of this model is integer
        return j;
    }
    int binary() { return col(0.0, 1.0); }

    void row(std::vector<std::pair<int, double>> terms, double lb, double ub) {
        CoinPackedVector v;
        for (const auto& [j, a] : terms)
            if (a != 0.0) v.insert(j, a);
        rows.push_back(std::move(v));
        row_lb.push_back(lb);
        row_ub.push_back(ub);
    }
};

/// One CBC run on `mip` (minimising mip.obj). `start`, when given, is a
/// feasible point handed to CBC as its first incumbent.
struct Run {
    bool has_solution = false;
    bool proven = false;
    std::vector<double> values;
};

Run run_cbc(const Mip& mip, std::int64_t time_limit_ms, const std::vector<double>* start) {
    CoinPackedMatrix matrix(false, 0, 0);  // row-ordered
    matrix.setDimensions(0, static_cast<int>(mip.col_lb.size()));
    for (const CoinPackedVector& r : mip.rows) matrix.appendRow(r);

    OsiClpSolverInterface solver;
    solver.messageHandler()->setLogLevel(0);
    solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
    solver.loadProblem(matrix, mip.col_lb.data(), mip.col_ub.data(), mip.obj.data(), mip.row_lb.data(),
                       mip.row_ub.data());
    solver.setInteger(mip.integers.data(), static_cast<int>(mip.integers.size()));

    CbcModel model(solver);  // clones the solver
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.setNumberThreads(0);  // one thread: deterministic
    model.setRandomSeed(20260401);
    model.setUseElapsedTime(true);
    model.setMaximumSeconds(static_cast<double>(std::max<std::int64_t>(time_limit_ms, 1)) / 1000.0);
    // The objective is integral, so a gap below 1/2 proves the optimum; no
    // relative gap may end the search early.
    model.setAllowableGap(0.5);
    model.setAllowableFractionGap(0.0);
    model.setAllowablePercentageGap(0.0);

    model.initialSolve();
    if (start) {
        double value = 0.0;
        for (std::size_t j = 0; j < start->size(); ++j) value += mip.obj[j] * (*start)[j];
        model.setBestSolution(start->data(), static_cast<int>(start->size()), value, true);
    }
    model.branchAndBound();

    Run run;
    const double* best = model.bestSolution();
    if (best) {
        run.has_solution = true;
        run.values.assign(best, best + mip.col_lb.size());
    }
    run.proven = model.isProvenOptimal() && !model.isSecondsLimitReached();
    return run;
}

/// Indices of the MIP's columns.
struct Columns {
    std::vector<int> x, u, f, y, v, g, a;
    int volume = -1, rank = -1, cap = -1;
};

/// Rounds `values` to whole numbers; false when one is not near an integer.
bool round_all(const std::vector<double>& values, std::vector<std::int64_t>& out) {
    out.resize(values.size());
    for (std::size_t j = 0; j < values.size(); ++j) {
        const double r = std::nearbyint(values[j]);
        if (std::fabs(values[j] - r) > 1e-4) return false;
        out[j] = static_cast<std::int64_t>(r);
    }
    return true;
}

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
    if (objective_bound > (static_cast<int128>(1) << 50)) {
        out.failure = "the scaled welfare can reach " + to_string(objective_bound) +
                      ", too large to be exact in CBC's doubles";
        return out;
    }
    const std::int64_t vmax = static_cast<std::int64_t>(std::min(bid_total, offer_total));

    Fraction share;
    if (book.max_origin_share) {
        share = share_fraction(*book.max_origin_share);
        // den K and num V must stay exact in doubles as well.
        if (share.den * (vmax + 1) > (static_cast<int128>(1) << 50)) {
            out.failure = "max_origin_share has too many digits for an exact cap row in doubles";
            return out;
        }
    }

    Mip mip;
    Columns col;
    col.volume = mip.col(0.0, static_cast<double>(vmax));
    col.rank = mip.col(0.0, M);
    for (std::size_t b = 0; b < nb; ++b) {
        col.x.push_back(mip.col(0.0, static_cast<double>(book.bid_lots[b])));
        col.u.push_back(mip.binary());
        col.f.push_back(mip.binary());
    }
    for (std::size_t o = 0; o < no; ++o) {
        col.y.push_back(mip.col(0.0, static_cast<double>(book.offer_lots[o])));
        col.v.push_back(mip.binary());
        col.g.push_back(mip.binary());
    }
    if (book.max_origin_share) {
        col.cap = mip.col(0.0, static_cast<double>(vmax));
        for (std::size_t k = 0; k < book.origins.size(); ++k) col.a.push_back(mip.binary());
    }
    const double inf = COIN_DBL_MAX;
    const int r = col.rank;

    // Rule 1, "full", and 4(a)/(b) for bids.
    std::vector<std::pair<int, double>> demand{{col.volume, -1.0}}, supply{{col.volume, -1.0}};
    for (std::size_t b = 0; b < nb; ++b) {
        const double L = static_cast<double>(book.bid_lots[b]);
        const double least = static_cast<double>(std::max<std::int64_t>(book.bid_min[b], 1));
        const double rp = rank(book.bid_price[b]);
        const int x = col.x[b], u = col.u[b], f = col.f[b];
        mip.row({{x, 1.0}, {u, -least}}, 0.0, inf);        // u = 1 -> x >= max(min, 1)
        mip.row({{x, 1.0}, {u, -L}}, -inf, 0.0);           // u = 0 -> x = 0
        mip.row({{x, 1.0}, {f, -L}}, 0.0, inf);            // f = 1 -> x = L
        mip.row({{r, 1.0}, {u, M}}, -inf, rp + M);         // 4(a): u = 1 -> r <= rank(P)
        if (book.bid_min[b] > 0)
            mip.row({{r, 1.0}, {u, -M}, {f, M}}, rp - M, inf);  // 4(b): u = 1, f = 0 -> r >= rank(P)
        else
            mip.row({{r, 1.0}, {f, M}}, rp, inf);               // 4(b): f = 0 -> r >= rank(P)
        demand.push_back({x, 1.0});
    }
    // Rule 1, "full", and 4(a)/(c) for offers.
    for (std::size_t o = 0; o < no; ++o) {
        const double L = static_cast<double>(book.offer_lots[o]);
        const double least = static_cast<double>(std::max<std::int64_t>(book.offer_min[o], 1));
        const double ra = rank(book.offer_price[o]);
        const int y = col.y[o], v = col.v[o], g = col.g[o];
        mip.row({{y, 1.0}, {v, -least}}, 0.0, inf);
        mip.row({{y, 1.0}, {v, -L}}, -inf, 0.0);
        mip.row({{y, 1.0}, {g, -L}}, 0.0, inf);
        mip.row({{r, 1.0}, {v, -M}}, ra - M, inf);  // 4(a): v = 1 -> r >= rank(A)
        // 4(c): not full, not capped (and, for a block, trading) -> r <= rank(A).
        std::vector<std::pair<int, double>> terms{{r, 1.0}, {g, -M}};
        if (book.max_origin_share) terms.push_back({col.a[book.offer_origin[o]], -M});
        if (book.offer_min[o] > 0) {
            terms.push_back({v, M});
            mip.row(terms, -inf, ra + M);
        } else {
            mip.row(terms, -inf, ra);
        }
        supply.push_back({y, 1.0});
    }
    // Rule 2.
    mip.row(demand, 0.0, 0.0);
    mip.row(supply, 0.0, 0.0);
    // Rule 3 and "at cap".
    if (book.max_origin_share) {
        const double num = static_cast<double>(share.num), den = static_cast<double>(share.den);
        mip.row({{col.cap, den}, {col.volume, -num}}, 1.0 - den, 0.0);  // K = floor(num V / den)
        std::vector<std::vector<std::pair<int, double>>> origin_terms(book.origins.size());
        for (std::size_t o = 0; o < no; ++o) origin_terms[book.offer_origin[o]].push_back({col.y[o], 1.0});
        const double big = static_cast<double>(vmax);
        for (std::size_t k = 0; k < book.origins.size(); ++k) {
            auto t = origin_terms[k];
            t.push_back({col.cap, -1.0});
            mip.row(t, -inf, 0.0);  // T_c <= K
            t.push_back({col.a[k], -big});
            mip.row(t, -big, inf);  // a_c = 1 -> T_c >= K
        }
    }

    // Stage 1: maximise scaled welfare (CBC minimises, hence the signs).
    std::vector<std::pair<int, double>> welfare_terms;
    for (std::size_t b = 0; b < nb; ++b) {
        const double w = static_cast<double>((book.bid_price[b] - q0) / G);
        mip.obj[static_cast<std::size_t>(col.x[b])] = -w;
        welfare_terms.push_back({col.x[b], w});
    }
    for (std::size_t o = 0; o < no; ++o) {
        const double w = static_cast<double>((book.offer_price[o] - q0) / G);
        mip.obj[static_cast<std::size_t>(col.y[o])] = w;
        welfare_terms.push_back({col.y[o], -w});
    }

    // Rounds a run's solution and checks it exactly; fills `out` on success.
    std::vector<std::int64_t> ints;
    auto accept = [&](const Run& run, const char* stage) -> bool {
        if (!run.has_solution) {
            out.failure = std::string(stage) + ": CBC found no solution";
            return false;
        }
        if (!round_all(run.values, ints)) {
            out.failure = std::string(stage) + ": CBC returned a value that is not near an integer";
            return false;
        }
        for (std::size_t b = 0; b < nb; ++b) out.bid_fill[b] = ints[static_cast<std::size_t>(col.x[b])];
        for (std::size_t o = 0; o < no; ++o) out.offer_fill[o] = ints[static_cast<std::size_t>(col.y[o])];
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

    const Run first = run_cbc(mip, time_limit_ms, nullptr);
    if (!accept(first, "stage 1 (welfare)")) return out;
    const int128 w1 = out.welfare;
    const std::int64_t v1 = out.volume;

    // Stage 2: keep welfare at W1 (scaled: W1 / G, exact), maximise V.
    const double w1_scaled = static_cast<double>(w1 / G);
    mip.row(welfare_terms, w1_scaled - 0.5, inf);
    std::fill(mip.obj.begin(), mip.obj.end(), 0.0);
    mip.obj[static_cast<std::size_t>(col.volume)] = -1.0;
    std::vector<double> start(ints.begin(), ints.end());
    const Run second = run_cbc(mip, time_limit_ms, &start);
    if (!accept(second, "stage 2 (volume)")) return out;
    if (out.welfare != w1) {
        out.failure = "stage 2 changed welfare from " + to_string(w1) + " to " + to_string(out.welfare) +
                      " tick-lots: stage 1 was not optimal";
        return out;
    }
    if (out.volume < v1) {
        out.failure = "stage 2 lowered the volume from " + std::to_string(v1) + " to " + std::to_string(out.volume);
        return out;
    }
    out.feasible = true;
    out.optimal = first.proven && second.proven;
    return out;
}

}  // namespace jpclear::oracle
