// Benchmarks of the clearing path (Google Benchmark).
//
// What is measured, smallest to largest:
//   BM_StreamFloor/n      one pass reading every order's price and lots: the
//                         least any clearer must pay, a memory-bandwidth floor.
//   BM_SortKeys/n         copy the price keys and sort each side: what a naive
//                         sort-based clearer pays before it has even started.
//   BM_ClearCore/n        clear_convex() alone on a prepared OrderBook.
//   BM_CoreVsBaselines/n  the three above timed in one interleaved loop;
//                         reports core_over_sort and core_over_stream.
//   BM_PrepareOnly/n      prepare(): validation and conversion to ticks.
//   BM_FullPath/n         `jpclear clear` in-process: parse JSON, clear(),
//                         write the result JSON.
// n is bids + offers, about 10:1, no blocks, no cap (the convex fast path).
//
// Performance is reported as ratios against baselines run in the same process
// (BM_CoreVsBaselines); absolute times depend on the machine and are never
// asserted anywhere.
//
// Several rounds per size. Timing the same small input over and over lets the
// CPU's branch predictor learn its data-dependent branches: on the machine
// this was written on, sorting one fixed 10^3-order round measured ~4 ns an
// order but ~45 ns once 16 different rounds took turns, and clear_convex went
// from ~10 to ~55. No real round is cleared twice, so every benchmark cycles
// through enough distinct rounds (different seeds, same size) to hold at
// least 10^5 orders; from 10^5 orders up one round is already too long to
// learn. JPCLEAR_BENCH_ONE_ROUND=1 goes back to one round per size, to see
// the effect.
//
// JPCLEAR_BENCH_HUGE=1 adds n = 10^7 (several GB and a minute to generate).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/clearing/convex.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"

namespace {

using jpclear::OrderBook;
using jpclear::Round;

bool env_is_one(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && std::string_view(v) == "1";
}

// --- rounds, built once per size --------------------------------------------

/// A generated round and its book. The book borrows the round's id strings,
/// so both live together behind a unique_ptr and never move.
struct Case {
    Round round;
    OrderBook book;
    std::string json;  ///< the round as `jpclear.round/1`; filled on first need
};

/// The rounds of one size, taken in turn by every benchmark of that size.
struct SizeSet {
    std::vector<std::unique_ptr<Case>> cases;
    std::int64_t orders = 0;  ///< bids + offers of each round (all equal)
    bool ok = false;          ///< every round is valid and convex

    /// Index of the round after `k`, wrapping around.
    std::size_t next(std::size_t k) const { return k + 1 == cases.size() ? 0 : k + 1; }
};

/// Total orders n split about 10 bids to 1 offer, as in real procurement
/// rounds where many buyers pool demand against a few suppliers.
jpclear::GenerateSpec spec_for(std::int64_t n, std::uint64_t seed) {
    jpclear::GenerateSpec spec;
    spec.offers = static_cast<std::uint64_t>((n + 5) / 11);
    spec.bids = static_cast<std::uint64_t>(n) - spec.offers;
    spec.seed = seed;
    spec.block_per_mille = 0;
    spec.origin_cap = false;
    return spec;
}

/// Enough rounds to hold 10^5 orders in all; see the file comment.
std::size_t rounds_for(std::int64_t n) {
    constexpr std::int64_t orders_to_defeat_prediction = 100'000;
    if (env_is_one("JPCLEAR_BENCH_ONE_ROUND")) return 1;
    return static_cast<std::size_t>(std::max<std::int64_t>(1, (orders_to_defeat_prediction + n - 1) / n));
}

/// Generating 10^6 orders takes about as long as thousands of clearings, and
/// Google Benchmark calls each benchmark function several times while it
/// picks an iteration count; so rounds are made once and kept for the whole
/// run. Benchmarks run one at a time on one thread, so no lock is needed.
const SizeSet& size_set(std::int64_t n) {
    static std::map<std::int64_t, SizeSet> cache;
    SizeSet& set = cache[n];
    if (set.cases.empty()) {
        set.ok = true;
        const std::size_t count = rounds_for(n);
        for (std::uint64_t seed = 1; seed <= count; ++seed) {
            auto c = std::make_unique<Case>();
            c->round = jpclear::generate_round(spec_for(n, seed));
            jpclear::Prepared prepared = jpclear::prepare(c->round);
            // A round that does not trade would time the core's early exit.
            set.ok = set.ok && prepared.problems.empty() && prepared.book.is_convex() &&
                     jpclear::clear_convex(prepared.book).volume > 0;
            c->book = std::move(prepared.book);
            set.cases.push_back(std::move(c));
        }
        set.orders = static_cast<std::int64_t>(set.cases.front()->book.bid_count() +
                                               set.cases.front()->book.offer_count());
    }
    return set;
}

/// The rounds of the benchmark's size, or nullptr after marking it failed:
/// a round that is invalid, not convex or does not trade would time an early
/// return, not the clearing.
const SizeSet* usable_set(benchmark::State& state) {
    const SizeSet& set = size_set(state.range(0));
    if (!set.ok) {
        state.SkipWithError("a generated round is invalid, not convex or does not trade");
        return nullptr;
    }
    state.counters["rounds"] = static_cast<double>(set.cases.size());
    return &set;
}

/// CPU seconds used so far by this process. Google Benchmark times the loop
/// in CPU time too, but keeps that figure to itself; reading the same kind of
/// clock around the loop lets ns_per_order agree with its CPU column.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

/// items_per_second counts orders. ns_per_order is the same figure turned
/// round, because that is how people compare sizes; it is a plain counter in
/// nanoseconds (an inverted rate counter would print as seconds and store
/// 1e-9 scale values in the JSON output).
void report_per_order(benchmark::State& state, std::int64_t orders, double cpu_s) {
    state.SetItemsProcessed(state.iterations() * orders);
    if (state.iterations() > 0 && orders > 0)
        state.counters["ns_per_order"] =
            cpu_s * 1e9 / (static_cast<double>(state.iterations()) * static_cast<double>(orders));
}

// --- the work ---------------------------------------------------------------

/// Reads every order's price and lots once. The sums are kept apart so the
/// compiler cannot merge the two loads into something cheaper than a read.
void stream_pass(const OrderBook& book) {
    std::int64_t prices = 0, lots = 0;
    for (std::size_t i = 0; i < book.bid_count(); ++i) {
        prices += book.bid_price[i];
        lots += book.bid_lots[i];
    }
    for (std::size_t i = 0; i < book.offer_count(); ++i) {
        prices += book.offer_price[i];
        lots += book.offer_lots[i];
    }
    benchmark::DoNotOptimize(prices);
    benchmark::DoNotOptimize(lots);
}

/// Bids best-first (descending) and offers best-first (ascending), as a
/// sort-based clearer walks them. Keys only, no lots or indices: this is a
/// lower bound on such a clearer, which makes the baseline a strict one.
/// `keys` is preallocated to bids + offers so no allocation is timed.
void sort_keys(const OrderBook& book, std::vector<std::int64_t>& keys) {
    auto mid = std::copy(book.bid_price.begin(), book.bid_price.end(), keys.begin());
    std::copy(book.offer_price.begin(), book.offer_price.end(), mid);
    std::sort(keys.begin(), mid, std::greater<>{});
    std::sort(mid, keys.end());
    benchmark::DoNotOptimize(keys.data());
    benchmark::ClobberMemory();
}

/// The core as a caller uses it: the Allocation it returns (two fill vectors)
/// is made and freed each call, and counts.
void clear_core(const OrderBook& book, jpclear::ConvexWorkspace& ws) {
    jpclear::Allocation a = jpclear::clear_convex(book, ws);
    benchmark::DoNotOptimize(a.volume);
    benchmark::DoNotOptimize(a.bid_fill.data());
    benchmark::DoNotOptimize(a.offer_fill.data());
}

// --- sizes ------------------------------------------------------------------

/// 10^3 .. 10^6 orders, and 10^7 only on request: that round alone takes
/// several GB and most of a minute to generate.
void all_sizes(benchmark::internal::Benchmark* b) {
    for (std::int64_t n = 1'000; n <= 1'000'000; n *= 10) b->Arg(n);
    if (env_is_one("JPCLEAR_BENCH_HUGE")) b->Arg(10'000'000);
    b->Unit(benchmark::kMicrosecond);
}

/// The JSON path holds the text, the parsed round and the result at once;
/// 10^5 orders already shows its per-order cost, beyond that it only costs
/// memory and minutes.
void json_sizes(benchmark::internal::Benchmark* b) {
    for (std::int64_t n = 1'000; n <= 100'000; n *= 10) b->Arg(n);
    b->Unit(benchmark::kMicrosecond);
}

// --- benchmarks -------------------------------------------------------------

void BM_ClearCore(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    // One workspace for all iterations, as a caller clearing many rounds
    // would keep one: its scratch vectors are allocated by this first call.
    jpclear::ConvexWorkspace ws;
    clear_core(set->cases.front()->book, ws);
    std::size_t k = 0;
    const double start = cpu_seconds();
    for (auto _ : state) {
        clear_core(set->cases[k]->book, ws);
        k = set->next(k);
    }
    report_per_order(state, set->orders, cpu_seconds() - start);
}
BENCHMARK(BM_ClearCore)->Apply(all_sizes);

void BM_StreamFloor(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    std::size_t k = 0;
    const double start = cpu_seconds();
    for (auto _ : state) {
        stream_pass(set->cases[k]->book);
        k = set->next(k);
    }
    report_per_order(state, set->orders, cpu_seconds() - start);
}
BENCHMARK(BM_StreamFloor)->Apply(all_sizes);

void BM_SortKeys(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    std::vector<std::int64_t> keys(static_cast<std::size_t>(set->orders));
    sort_keys(set->cases.front()->book, keys);  // faults `keys` in before timing
    std::size_t k = 0;
    const double start = cpu_seconds();
    for (auto _ : state) {
        sort_keys(set->cases[k]->book, keys);
        k = set->next(k);
    }
    report_per_order(state, set->orders, cpu_seconds() - start);
}
BENCHMARK(BM_SortKeys)->Apply(all_sizes);

/// Seconds per call, by the wall clock and in CPU time.
struct PerCall {
    double wall = 0;
    double cpu = 0;
};

/// Time per call of `fn(book)` over `calls` back-to-back calls, the rounds
/// taken in turn from `*k`, so that clock resolution and call overhead vanish
/// even at 10^3 orders.
template <class Fn>
PerCall time_per_call(const SizeSet& set, std::size_t& k, Fn&& fn, std::int64_t calls) {
    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
        fn(set.cases[k]->book);
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

/// Medians of the wall and CPU times, each taken on its own.
PerCall median(const std::vector<PerCall>& v) {
    std::vector<double> wall, cpu;
    for (const PerCall& t : v) {
        wall.push_back(t.wall);
        cpu.push_back(t.cpu);
    }
    auto mid = [](std::vector<double>& x) {
        auto m = x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2);
        std::nth_element(x.begin(), m, x.end());
        return *m;
    };
    return {mid(wall), mid(cpu)};
}

/// Google Benchmark cannot divide one benchmark's time by another's, and two
/// benchmarks run seconds apart see different machine noise (other builds,
/// frequency changes). So this one times all three itself: batches of each
/// kind interleaved, 7 repetitions, medians per kind. A burst of noise then
/// hits one repetition of each alike and the median drops it. The order of
/// the three rotates between repetitions, so no kind always runs on caches
/// warmed (or flushed) by the same neighbour.
///
/// The ratios are by the wall clock (steady_clock), which is what a user
/// waits for. On a machine shared with other work every batch of a few ms is
/// preempted and no median removes that, so the same ratios are also given in
/// CPU time (`*_cpu`), which only counts time this process ran; when the two
/// disagree, the machine was busy and the CPU-time ratios are the ones to use.
void BM_CoreVsBaselines(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    jpclear::ConvexWorkspace ws;
    std::vector<std::int64_t> keys(static_cast<std::size_t>(set->orders));

    auto core = [&](const OrderBook& book) { clear_core(book, ws); };
    auto stream = [](const OrderBook& book) { stream_pass(book); };
    auto sort = [&](const OrderBook& book) { sort_keys(book, keys); };

    constexpr int repetitions = 7;
    constexpr double batch_seconds = 0.02;  // long enough to average out scheduler ticks
    PerCall core_t, stream_t, sort_t;
    for (auto _ : state) {
        // Each kind walks all the rounds in turn with its own cursor. Its
        // first call warms the workspace and faults `keys` in, and sizes the
        // batches.
        std::size_t core_k = 0, stream_k = 0, sort_k = 0;
        const std::int64_t core_calls = calls_for(*set, core_k, core, batch_seconds);
        const std::int64_t stream_calls = calls_for(*set, stream_k, stream, batch_seconds);
        const std::int64_t sort_calls = calls_for(*set, sort_k, sort, batch_seconds);
        std::vector<PerCall> core_v, stream_v, sort_v;
        for (int r = 0; r < repetitions; ++r) {
            for (int kind = 0; kind < 3; ++kind) {
                switch ((r + kind) % 3) {
                    case 0: core_v.push_back(time_per_call(*set, core_k, core, core_calls)); break;
                    case 1: stream_v.push_back(time_per_call(*set, stream_k, stream, stream_calls)); break;
                    default: sort_v.push_back(time_per_call(*set, sort_k, sort, sort_calls)); break;
                }
            }
        }
        core_t = median(core_v);
        stream_t = median(stream_v);
        sort_t = median(sort_v);
        // The Time column then shows the median wall time of one clear_convex call.
        state.SetIterationTime(core_t.wall);
    }
    const double n = static_cast<double>(set->orders);
    state.counters["core_over_sort"] = core_t.wall / sort_t.wall;
    state.counters["core_over_stream"] = core_t.wall / stream_t.wall;
    state.counters["core_orders_per_s"] = n / core_t.wall;
    state.counters["core_over_sort_cpu"] = core_t.cpu / sort_t.cpu;
    state.counters["core_over_stream_cpu"] = core_t.cpu / stream_t.cpu;
    state.counters["core_orders_per_cpu_s"] = n / core_t.cpu;
}
// One iteration: the benchmark repeats and takes medians itself.
BENCHMARK(BM_CoreVsBaselines)->Apply(all_sizes)->Iterations(1)->UseManualTime();

void BM_PrepareOnly(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    std::size_t k = 0;
    const double start = cpu_seconds();
    for (auto _ : state) {
        jpclear::Prepared p = jpclear::prepare(set->cases[k]->round);
        benchmark::DoNotOptimize(p.book.bid_price.data());
        k = set->next(k);
    }
    report_per_order(state, set->orders, cpu_seconds() - start);
}
BENCHMARK(BM_PrepareOnly)->Apply(all_sizes);

void BM_FullPath(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    for (const std::unique_ptr<Case>& c : set->cases) {
        // The input text is made once: writing it is `jpclear generate`'s
        // cost, not `jpclear clear`'s.
        if (c->json.empty()) {
            std::ostringstream out;
            jpclear::write_round_json(out, c->round);
            c->json = std::move(out).str();
        }
        // Checked outside the timed loop: an input that fails to parse or
        // clear would time the error path.
        jpclear::RoundRead read = jpclear::read_round_json(c->json);
        if (!read.round) {
            state.SkipWithError("generated round JSON does not read back");
            return;
        }
        if (!jpclear::clear(*read.round).ok()) {
            state.SkipWithError("generated round does not clear");
            return;
        }
    }
    std::size_t k = 0;
    const double start = cpu_seconds();
    for (auto _ : state) {
        jpclear::RoundRead read = jpclear::read_round_json(set->cases[k]->json);
        jpclear::ClearOutcome outcome = jpclear::clear(*read.round);
        std::string text = jpclear::result_json(*read.round, *outcome.result);
        benchmark::DoNotOptimize(text.data());
        k = set->next(k);
    }
    report_per_order(state, set->orders, cpu_seconds() - start);
    state.counters["json_bytes"] = static_cast<double>(set->cases.front()->json.size());
}
BENCHMARK(BM_FullPath)->Apply(json_sizes);

}  // namespace

BENCHMARK_MAIN();
