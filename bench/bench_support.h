#pragma once
// What every benchmark source of jpclear_bench shares: the generated rounds of
// each size (made once per process, whichever source asks first), the clocks,
// the interleaved-median timing that ratio counters are built on, and the
// core-against-CLP comparison of BM_ClpLp and BM_PlacesClp.
//
// The rounds are cached in bench_support.cpp rather than in this header so
// that one 10^6-order round is generated once, not once per source file.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/convex.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/generate.h"
#include "jpclear/model/round.h"

namespace jpclear::bench {

/// True when environment variable `name` is exactly "1".
bool env_is_one(const char* name);
/// Environment variable `name` as a positive integer, or `fallback` when it
/// is unset or not one.
std::int64_t env_positive(const char* name, std::int64_t fallback);

// --- rounds ------------------------------------------------------------------

/// A generated round and its book. The book borrows the round's id strings,
/// so both live together behind a unique_ptr and never move.
struct Case {
    Round round;
    OrderBook book;
    std::string json;                  ///< the round as `jpclear.round/1`; filled on first need
    std::int64_t round_heap_bytes = 0;  ///< heap the Round holds (strings, order vectors)
};

/// The rounds of one size, taken in turn by every benchmark of that size.
struct SizeSet {
    std::vector<std::unique_ptr<Case>> cases;
    std::int64_t orders = 0;  ///< bids + offers of each round (all equal)
    bool ok = false;          ///< every round is valid and convex, and trades

    /// Index of the round after `k`, wrapping around.
    std::size_t next(std::size_t k) const { return k + 1 == cases.size() ? 0 : k + 1; }
};

/// Total orders n split about 10 bids to 1 offer, as in real procurement
/// rounds where many buyers pool demand against a few suppliers. No blocks,
/// no cap unless the caller changes the spec.
GenerateSpec spec_for(std::int64_t n, std::uint64_t seed);

/// The convex rounds of size n (bids + offers), generated on first use and
/// kept for the whole run: generating 10^6 orders costs as much as thousands
/// of clearings, and Google Benchmark calls each function several times.
const SizeSet& size_set(std::int64_t n);

/// The rounds of the benchmark's size (state.range(0)), or nullptr after
/// marking the benchmark failed: a round that is invalid, not convex or does
/// not trade would time an early return, not the clearing.
const SizeSet* usable_set(benchmark::State& state);

// --- clocks and counters -------------------------------------------------------

/// CPU seconds used so far by this process. Google Benchmark times the loop
/// in CPU time too, but keeps that figure to itself; reading the same kind of
/// clock around the loop lets ns_per_order agree with its CPU column.
double cpu_seconds();

/// Sets items_per_second (orders) and ns_per_order (CPU time) on `state`.
void report_per_order(benchmark::State& state, std::int64_t orders, double cpu_s);

/// Seconds per call, by the wall clock and in CPU time.
struct PerCall {
    double wall = 0;
    double cpu = 0;
};

/// Median of `v` (the upper of the two middle values for an even count), 0
/// when `v` is empty.
double median_value(std::vector<double> v);

/// Medians of the wall and CPU times, each taken on its own.
PerCall median(const std::vector<PerCall>& v);

/// Wall-clock seconds since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The wall and CPU time of one call of `fn()`.
template <class Fn>
PerCall time_once(Fn&& fn) {
    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    fn();
    return {seconds_since(start), cpu_seconds() - cpu_start};
}

/// `fn` called on one round: with the whole Case when it takes one (clear()
/// needs the Round), else with the round's book.
template <class Fn>
void call_on(Fn& fn, const Case& c) {
    if constexpr (std::is_invocable_v<Fn&, const Case&>)
        fn(c);
    else
        fn(c.book);
}

/// Time per call of `fn` over `calls` back-to-back calls, the rounds taken in
/// turn from `*k` (see call_on() for what `fn` is given), so that clock
/// resolution and call overhead vanish even at 10^3 orders.
template <class Fn>
PerCall time_per_call(const SizeSet& set, std::size_t& k, Fn&& fn, std::int64_t calls) {
    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
        call_on(fn, *set.cases[k]);
        k = set.next(k);
    }
    const auto stop = std::chrono::steady_clock::now();
    const double cpu_stop = cpu_seconds();
    const double c = static_cast<double>(calls);
    return {std::chrono::duration<double>(stop - start).count() / c, (cpu_stop - cpu_start) / c};
}

/// Calls per timed batch so that one batch lasts about `target` seconds.
template <class Fn>
std::int64_t calls_for(const SizeSet& set, std::size_t& k, Fn&& fn, double target) {
    const double once = time_per_call(set, k, fn, 1).wall;
    if (once <= 0) return 1000;
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(target / once)));
}

/// Repetitions of every interleaved comparison: an odd count, so the median
/// is one measured batch, and enough that a burst of noise hitting one or two
/// repetitions is dropped.
inline constexpr int kRepetitions = 7;

/// `a()` and `b()` kRepetitions times each, interleaved, the order
/// alternating (a b, b a, a b, ...), so that neither always runs on caches
/// warmed or flushed by the other.
template <class A, class B>
void alternate(A&& a, B&& b) {
    for (int r = 0; r < kRepetitions; ++r)
        for (int kind = 0; kind < 2; ++kind) {
            if ((r + kind) % 2 == 0)
                a();
            else
                b();
        }
}

/// The medians of two kinds of call timed by interleaved().
struct Pair {
    PerCall a, b;
};

/// Batches of `fn_a` on `set_a` and of `fn_b` on `set_b` (each walking its
/// own rounds), interleaved by alternate(); the medians of each. The first
/// call of each warms it (workspace, caches) and sizes its batches to about
/// `batch_seconds`.
template <class FnA, class FnB>
Pair interleaved(const SizeSet& set_a, FnA&& fn_a, const SizeSet& set_b, FnB&& fn_b, double batch_seconds) {
    std::size_t ka = 0, kb = 0;
    const std::int64_t calls_a = calls_for(set_a, ka, fn_a, batch_seconds);
    const std::int64_t calls_b = calls_for(set_b, kb, fn_b, batch_seconds);
    std::vector<PerCall> va, vb;
    alternate([&] { va.push_back(time_per_call(set_a, ka, fn_a, calls_a)); },
              [&] { vb.push_back(time_per_call(set_b, kb, fn_b, calls_b)); });
    return {median(va), median(vb)};
}

/// The medians of three kinds of call timed by interleaved3().
struct Triple {
    PerCall a, b, c;
};

/// Batches of `fn_a`, `fn_b` and `fn_c` on the rounds of `set` (each with its
/// own cursor), kRepetitions of each, the order of the three rotating between
/// repetitions so that no kind always runs on caches warmed (or flushed) by
/// the same neighbour; the medians of each. The first call of each warms it
/// and sizes its batches to about `batch_seconds`.
template <class FnA, class FnB, class FnC>
Triple interleaved3(const SizeSet& set, FnA&& fn_a, FnB&& fn_b, FnC&& fn_c, double batch_seconds) {
    std::size_t ka = 0, kb = 0, kc = 0;
    const std::int64_t calls_a = calls_for(set, ka, fn_a, batch_seconds);
    const std::int64_t calls_b = calls_for(set, kb, fn_b, batch_seconds);
    const std::int64_t calls_c = calls_for(set, kc, fn_c, batch_seconds);
    std::vector<PerCall> va, vb, vc;
    for (int r = 0; r < kRepetitions; ++r) {
        for (int kind = 0; kind < 3; ++kind) {
            switch ((r + kind) % 3) {
                case 0: va.push_back(time_per_call(set, ka, fn_a, calls_a)); break;
                case 1: vb.push_back(time_per_call(set, kb, fn_b, calls_b)); break;
                default: vc.push_back(time_per_call(set, kc, fn_c, calls_c)); break;
            }
        }
    }
    return {median(va), median(vb), median(vc)};
}

// --- the core against an LP solver (BM_ClpLp, BM_PlacesClp) --------------------

/// Per call of an LP batch: building the model and solving it, apart.
struct ClpPerCall {
    PerCall build, solve;
};

/// `calls` LP solves, rounds taken in turn from `*k`. Each call makes a fresh
/// Model (a solved one would return at once); `build(book, model)` and
/// `solve(model)` are timed with separate clocks around each, and the sums
/// divided by `calls`. Model is ClpSimplex; a template so that this header
/// needs no CLP.
template <class Model, class Build, class Solve>
ClpPerCall time_lp(const SizeSet& set, std::size_t& k, std::int64_t calls, Build&& build, Solve&& solve) {
    ClpPerCall t;
    for (std::int64_t i = 0; i < calls; ++i) {
        Model model;
        const double c0 = cpu_seconds();
        const auto w0 = std::chrono::steady_clock::now();
        build(set.cases[k]->book, model);
        const double c1 = cpu_seconds();
        const auto w1 = std::chrono::steady_clock::now();
        solve(model);
        const double c2 = cpu_seconds();
        const auto w2 = std::chrono::steady_clock::now();
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

/// What an LP batch is sized by: one call's solve alone, or its build and
/// solve together.
enum class LpBatch { solve, build_and_solve };

/// The medians of core_vs_clp().
struct CoreVsClp {
    PerCall core;
    ClpPerCall clp;
};

/// Batches of the core (`core`, as for time_per_call()) and of the LP solver
/// (`time_clp(set, k, calls)`, returning a ClpPerCall) on the same rounds,
/// each kind walking them with its own cursor, interleaved by alternate();
/// the medians of the core and of the LP's build and solve, each taken on
/// its own. The core's batches last about `batch_seconds`, and so do the
/// LP's, judged by one call as `sizing` says.
template <class Core, class TimeClp>
CoreVsClp core_vs_clp(const SizeSet& set, Core&& core, TimeClp&& time_clp, LpBatch sizing, double batch_seconds) {
    std::size_t core_k = 0, clp_k = 0;
    const std::int64_t core_calls = calls_for(set, core_k, core, batch_seconds);
    const ClpPerCall once = time_clp(set, clp_k, std::int64_t{1});
    const double once_s = sizing == LpBatch::solve ? once.solve.wall : once.solve.wall + once.build.wall;
    const std::int64_t clp_calls =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(batch_seconds / std::max(once_s, 1e-9))));
    std::vector<PerCall> core_v, build_v, solve_v;
    alternate([&] { core_v.push_back(time_per_call(set, core_k, core, core_calls)); },
              [&] {
                  const ClpPerCall t = time_clp(set, clp_k, clp_calls);
                  build_v.push_back(t.build);
                  solve_v.push_back(t.solve);
              });
    return {median(core_v), {median(build_v), median(solve_v)}};
}

/// The counters both LP benchmarks report from core_vs_clp()'s medians:
/// core_us, core_cpu_us, clp_solve_us, clp_solve_cpu_us, clp_build_us,
/// clp_build_cpu_us, clp_over_core, clp_over_core_cpu (the solve alone) and
/// clp_with_build_over_core_cpu.
void report_core_vs_clp(benchmark::State& state, const CoreVsClp& t);

/// The core as a caller uses it: the Allocation it returns (two fill vectors)
/// is made and freed each call, and counts.
void clear_core(const OrderBook& book, ConvexWorkspace& ws);

// --- exact welfare -------------------------------------------------------------

/// sum P x - sum A y in tick-lots, exactly: every peer is checked against the
/// core on this number, never on a floating-point objective.
int128 welfare_of(const OrderBook& book, const std::vector<std::int64_t>& bid_fill,
                  const std::vector<std::int64_t>& offer_fill);

/// Decimal digits of an int128 (no standard stream prints one).
std::string int128_string(int128 v);

// --- heap use (bench_memory.cpp) -----------------------------------------------

/// Starts counting heap bytes (glibc usable sizes) allocated and freed through
/// operator new and delete, from zero.
void heap_tracking_begin();

/// Heap bytes counted between heap_tracking_begin() and heap_tracking_end(),
/// both above what was live at the beginning.
struct HeapUse {
    std::int64_t peak = 0;  ///< the most held at once
    std::int64_t held = 0;  ///< still held at the end: what the tracked code kept
};

/// Stops counting.
HeapUse heap_tracking_end();

/// fn()'s value and the heap its call used. The value is still alive when
/// counting stops, so `held` is what it owns (plus anything leaked).
template <class Fn>
auto heap_use_of(Fn&& fn) {
    struct Tracked {
        decltype(fn()) value;
        HeapUse heap;
    };
    heap_tracking_begin();
    auto value = fn();
    const HeapUse heap = heap_tracking_end();
    return Tracked{std::move(value), heap};
}

/// Heap a string's text takes (glibc usable size); 0 when it fits the
/// string's own small buffer.
std::int64_t heap_bytes(const std::string& s);

/// Whether the counting operator new is the one in use (checked by counting a
/// known allocation), so a 0 from heap_tracking_end() can be trusted.
bool heap_tracking_works();

// --- sizes ---------------------------------------------------------------------

/// 10^3 .. 10^6 orders, and 10^7 only with JPCLEAR_BENCH_HUGE=1: that round
/// alone takes several GB and most of a minute to generate.
void all_sizes(benchmark::internal::Benchmark* b);

}  // namespace jpclear::bench
