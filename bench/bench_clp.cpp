// BM_ClpLp/n: the convex round as a linear program in COIN-OR CLP, the peer
// a reader would otherwise reach for, against clear_convex on the same rounds.
//
// The LP. One column per order, one row:
//     maximise  sum (P_b - m) x_b - sum (A_o - m) y_o
//     subject to sum x_b - sum y_o = 0,  0 <= x_b <= L_b,  0 <= y_o <= L_o
// with m the lowest price of the round. The shift changes nothing (the row
// makes sum x = sum y, so it subtracts m * 0) but keeps every coefficient
// small: then |objective| <= (max price - m) * total lots, which is checked
// to stay below 2^53, so every objective coefficient and every objective
// value CLP can reach is exact in a double. Continuous columns suffice: the
// single +-1 row with integral bounds is totally unimodular, so every basic
// solution, which simplex returns, is integral.
//
// Welfare is compared exactly, never on CLP's double objective: CLP's column
// values are rounded to whole lots (after checking each is within 1e-6 of
// one), checked against their bounds and the balance row, and priced in
// int128 with the original prices. Every round of the size is checked before
// anything is timed; one mismatch fails the benchmark (SkipWithError).
//
// Timing. Building the model (arrays and loadProblem) and solving it are
// timed apart; clp_over_core compares the solve alone with clear_convex,
// which is generous to CLP. As in BM_CoreVsBaselines, batches of the two are
// interleaved, kRepetitions times, order alternating, and medians compared;
// the *_cpu ratios use CPU time and are the ones to trust on a busy machine.
//
// CLP solves with initialSolve(), its default driver (presolve, then the
// method it picks automatically). When this was written, dual()
// alone and initialSolve forced to dual measured the same within noise, and
// primal() was 5-30x slower; the barrier returns interior, fractional points
// (no crossover), which the integrality check rejects. The label names the
// method, so a change here shows in the report.

#include <ClpSimplex.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bench_support.h"

namespace {

using jpclear::OrderBook;
using jpclear::int128;
using namespace jpclear::bench;

/// The LP's arrays in CLP's column-major form, kept apart from the
/// ClpSimplex so that building them can be timed with the build.
struct LpArrays {
    std::vector<CoinBigIndex> start;
    std::vector<int> row;
    std::vector<double> element, lower, upper, objective;
    bool exact = true;  ///< every objective value is exact in a double
};

constexpr double two_to_53 = 9007199254740992.0;

void fill_arrays(const OrderBook& book, LpArrays& lp) {
    const std::size_t nb = book.bid_count(), no = book.offer_count(), n = nb + no;
    std::int64_t low = INT64_MAX, high = INT64_MIN;
    int128 lots = 0;
    for (std::size_t b = 0; b < nb; ++b) {
        low = std::min(low, book.bid_price[b]);
        high = std::max(high, book.bid_price[b]);
        lots += book.bid_lots[b];
    }
    for (std::size_t o = 0; o < no; ++o) {
        low = std::min(low, book.offer_price[o]);
        high = std::max(high, book.offer_price[o]);
        lots += book.offer_lots[o];
    }
    lp.exact = n == 0 || static_cast<double>(static_cast<int128>(high - low) * lots) < two_to_53;
    lp.start.resize(n + 1);
    lp.row.assign(n, 0);
    lp.element.resize(n);
    lp.lower.assign(n, 0.0);
    lp.upper.resize(n);
    lp.objective.resize(n);
    for (std::size_t j = 0; j <= n; ++j) lp.start[j] = static_cast<CoinBigIndex>(j);
    for (std::size_t b = 0; b < nb; ++b) {
        lp.element[b] = 1.0;
        lp.upper[b] = static_cast<double>(book.bid_lots[b]);
        lp.objective[b] = static_cast<double>(book.bid_price[b] - low);
    }
    for (std::size_t o = 0; o < no; ++o) {
        lp.element[nb + o] = -1.0;
        lp.upper[nb + o] = static_cast<double>(book.offer_lots[o]);
        lp.objective[nb + o] = -static_cast<double>(book.offer_price[o] - low);
    }
}

void load(const LpArrays& lp, ClpSimplex& model) {
    const double zero = 0.0;
    model.setLogLevel(0);
    model.loadProblem(static_cast<int>(lp.upper.size()), 1, lp.start.data(), lp.row.data(), lp.element.data(),
                      lp.lower.data(), lp.upper.data(), lp.objective.data(), &zero, &zero);
    model.setOptimizationDirection(-1);  // maximise
}

constexpr const char* kMethod = "ClpSimplex::initialSolve (presolve, automatic method)";

void solve(ClpSimplex& model) { model.initialSolve(); }

/// The solved model's allocation in whole lots, or a reason it is not one.
struct LpAllocation {
    std::vector<std::int64_t> bid_fill, offer_fill;
    std::string failure;  ///< empty when the allocation is integral and feasible
};

LpAllocation read_allocation(const OrderBook& book, const ClpSimplex& model) {
    LpAllocation a;
    if (!model.isProvenOptimal()) {
        a.failure = "CLP did not prove optimality (status " + std::to_string(model.status()) + ")";
        return a;
    }
    const double* x = model.getColSolution();
    auto whole = [&](std::size_t j, std::int64_t upper, std::int64_t& out) {
        const double r = std::nearbyint(x[j]);
        if (std::fabs(x[j] - r) > 1e-6 || r < 0 || r > static_cast<double>(upper)) {
            a.failure = "CLP column " + std::to_string(j) + " = " + std::to_string(x[j]) +
                        " is not a whole lot within its bounds";
            return false;
        }
        out = static_cast<std::int64_t>(r);
        return true;
    };
    const std::size_t nb = book.bid_count();
    a.bid_fill.resize(nb);
    a.offer_fill.resize(book.offer_count());
    std::int64_t bought = 0, sold = 0;
    for (std::size_t b = 0; b < nb; ++b) {
        if (!whole(b, book.bid_lots[b], a.bid_fill[b])) return a;
        bought += a.bid_fill[b];
    }
    for (std::size_t o = 0; o < a.offer_fill.size(); ++o) {
        if (!whole(nb + o, book.offer_lots[o], a.offer_fill[o])) return a;
        sold += a.offer_fill[o];
    }
    if (bought != sold)
        a.failure = "CLP's rounded allocation buys " + std::to_string(bought) + " lots but sells " +
                    std::to_string(sold);
    return a;
}

/// `calls` CLP solves, rounds taken in turn from `*k`, each with a fresh
/// model; the build (arrays and loadProblem) and the solve timed apart.
ClpPerCall time_clp(const SizeSet& set, std::size_t& k, std::int64_t calls) {
    LpArrays lp;
    auto build = [&](const OrderBook& book, ClpSimplex& model) {
        fill_arrays(book, lp);
        load(lp, model);
    };
    return time_lp<ClpSimplex>(set, k, calls, build, solve);
}

void BM_ClpLp(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;

    // Welfare first, on every round: a peer that disagrees is not timed.
    int128 first_core = 0, first_clp = 0;
    for (std::size_t i = 0; i < set->cases.size(); ++i) {
        const OrderBook& book = set->cases[i]->book;
        LpArrays lp;
        fill_arrays(book, lp);
        if (!lp.exact) {
            state.SkipWithError("prices * lots reach 2^53: CLP's double objective would not be exact");
            return;
        }
        ClpSimplex model;
        load(lp, model);
        solve(model);
        const LpAllocation clp = read_allocation(book, model);
        if (!clp.failure.empty()) {
            state.SkipWithError(("round " + std::to_string(i + 1) + ": " + clp.failure).c_str());
            return;
        }
        const jpclear::Allocation core = jpclear::clear_convex(book);
        const int128 w_core = welfare_of(book, core.bid_fill, core.offer_fill);
        const int128 w_clp = welfare_of(book, clp.bid_fill, clp.offer_fill);
        if (w_core != w_clp) {
            state.SkipWithError(("round " + std::to_string(i + 1) + ": welfare clear_convex " + int128_string(w_core) +
                                 " != CLP " + int128_string(w_clp) + " tick-lots")
                                    .c_str());
            return;
        }
        if (i == 0) {
            first_core = w_core;
            first_clp = w_clp;
        }
    }

    jpclear::ConvexWorkspace ws;
    auto core = [&](const OrderBook& book) { clear_core(book, ws); };
    CoreVsClp t;
    for (auto _ : state) {
        // The LP's batches are sized by its solve alone.
        t = core_vs_clp(*set, core, time_clp, LpBatch::solve, 0.02);
        // The Time column shows the median wall time of one CLP solve.
        state.SetIterationTime(t.clp.solve.wall);
    }
    report_core_vs_clp(state, t);
    // Welfare of the first round in tick-lots; below 2^53, so the double
    // counters hold them exactly. Equality was checked on every round above.
    state.counters["welfare_core"] = static_cast<double>(first_core);
    state.counters["welfare_clp"] = static_cast<double>(first_clp);
    state.counters["welfare_equal"] = 1;
    state.SetLabel(std::string(kMethod) + "; welfare equal on all " + std::to_string(set->cases.size()) +
                   " rounds; round 1: clear_convex " + int128_string(first_core) + " = CLP " +
                   int128_string(first_clp) + " tick-lots");
}
BENCHMARK(BM_ClpLp)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(1)
    ->UseManualTime();

}  // namespace
