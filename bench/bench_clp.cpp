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
#include <chrono>
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

/// Per call of a CLP batch: building the model and solving it, apart.
struct ClpPerCall {
    PerCall build, solve;
};

/// `calls` CLP solves, rounds taken in turn from `*k`. Each call builds a
/// fresh model (a solved one would return at once); the two phases are timed
/// with separate clocks around each, and the sums divided by `calls`.
ClpPerCall time_clp(const SizeSet& set, std::size_t& k, std::int64_t calls) {
    ClpPerCall t;
    LpArrays lp;
    for (std::int64_t i = 0; i < calls; ++i) {
        ClpSimplex model;
        double c0 = cpu_seconds();
        auto w0 = std::chrono::steady_clock::now();
        fill_arrays(set.cases[k]->book, lp);
        load(lp, model);
        double c1 = cpu_seconds();
        auto w1 = std::chrono::steady_clock::now();
        solve(model);
        double c2 = cpu_seconds();
        auto w2 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(model.objectiveValue());
        t.build.wall += std::chrono::duration<double>(w1 - w0).count();
        t.build.cpu += c1 - c0;
        t.solve.wall += std::chrono::duration<double>(w2 - w1).count();
        t.solve.cpu += c2 - c1;
        k = set.next(k);
    }
    const double c = static_cast<double>(calls);
    for (PerCall* p : {&t.build, &t.solve}) {
        p->wall /= c;
        p->cpu /= c;
    }
    return t;
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
    constexpr double batch_seconds = 0.02;
    ClpPerCall clp_t;
    PerCall core_t;
    for (auto _ : state) {
        std::size_t core_k = 0, clp_k = 0;
        const std::int64_t core_calls = calls_for(*set, core_k, core, batch_seconds);
        const ClpPerCall once = time_clp(*set, clp_k, 1);
        const std::int64_t clp_calls = std::max<std::int64_t>(
            1, static_cast<std::int64_t>(std::ceil(batch_seconds / std::max(once.solve.wall, 1e-9))));
        std::vector<PerCall> core_v, build_v, solve_v;
        for (int r = 0; r < kRepetitions; ++r) {
            for (int kind = 0; kind < 2; ++kind) {
                if ((r + kind) % 2 == 0) {
                    core_v.push_back(time_per_call(*set, core_k, core, core_calls));
                } else {
                    const ClpPerCall t = time_clp(*set, clp_k, clp_calls);
                    build_v.push_back(t.build);
                    solve_v.push_back(t.solve);
                }
            }
        }
        core_t = median(core_v);
        clp_t = {median(build_v), median(solve_v)};
        // The Time column shows the median wall time of one CLP solve.
        state.SetIterationTime(clp_t.solve.wall);
    }
    state.counters["core_us"] = core_t.wall * 1e6;
    state.counters["core_cpu_us"] = core_t.cpu * 1e6;
    state.counters["clp_solve_us"] = clp_t.solve.wall * 1e6;
    state.counters["clp_solve_cpu_us"] = clp_t.solve.cpu * 1e6;
    state.counters["clp_build_us"] = clp_t.build.wall * 1e6;
    state.counters["clp_build_cpu_us"] = clp_t.build.cpu * 1e6;
    state.counters["clp_over_core"] = clp_t.solve.wall / core_t.wall;
    state.counters["clp_over_core_cpu"] = clp_t.solve.cpu / core_t.cpu;
    state.counters["clp_with_build_over_core_cpu"] = (clp_t.build.cpu + clp_t.solve.cpu) / core_t.cpu;
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
