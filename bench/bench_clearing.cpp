// Benchmarks of the clearing path (Google Benchmark).
//
// What is measured, smallest to largest:
//   BM_StreamFloor/n      one pass reading every order's price and lots: the
//                         least any clearer must pay, a memory-bandwidth floor.
//   BM_SortKeys/n         copy the price keys and sort each side: what a naive
//                         sort-based clearer pays before it has even started.
//   BM_SortDistinct/n     the same sort on distinct keys (price, then position):
//                         the n log n reference of the scaling table.
//   BM_ClearCore/n        clear_convex() alone on a prepared OrderBook.
//   BM_CoreVsBaselines/n  the three above timed in one interleaved loop;
//                         reports core_over_sort and core_over_stream, and
//                         each one's ns per order (the scaling table).
//   BM_CoreHistogramVsSearch/n  clear_convex() with its histogram first pass
//                         against the prune-and-search on all orders, in one
//                         interleaved loop: new_over_old_cpu and orders/s.
//   BM_CoreMemory/n       scratch bytes per order of clear_convex's workspace,
//                         and its peak heap use per order, counted.
//   BM_ClearMemory/n      the whole clear() call's heap peak per order, its
//                         parts (prepare, the book, build_result, the Result),
//                         and the Round's own heap, counted.
//   BM_ClearMemoryBlocks/n  the same on a round with blocks and the origin cap.
//   BM_PrepareOnly/n      prepare(): validation and conversion to ticks.
//   BM_FullPath/n         `jpclear clear` in-process: parse JSON, clear(),
//                         write the result JSON.
//   BM_JsonMemory/n       heap of reading the round JSON and of writing the
//                         result JSON, per order, counted.
//   BM_WriteThreads/n     the result JSON of a StreamedResult written (to a
//                         sink that drops it) by one thread and by two, in
//                         one interleaved loop: two_over_one (wall).
// Peers (other files of this binary): BM_ClpLp (bench_clp.cpp), BM_CbcMip
// and BM_BlockSearch (bench_blocks.cpp).
// Here n is bids + offers, about 10:1, no blocks, no cap (the convex fast
// path).
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
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "bench_support.h"
#include "jpclear/clear.h"
#include "jpclear/clearing/convex.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/clearing/solve.h"
#include "jpclear/io.h"
#include "jpclear/report/result_builder.h"

namespace {

using jpclear::OrderBook;
using namespace jpclear::bench;

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

/// Like sort_keys, but every key distinct: the price in the high 32 bits,
/// the order's position in the low ones, which is what a sort-based clearer
/// that breaks ties deterministically has to sort. On the generated rounds
/// the bare price keys repeat a lot (prices sit on a coarse grid), and once
/// a sort's partitions hold one price each its comparisons become
/// predictable, which appears to hide the log n factor (the price-key sort's
/// time per order stays flat from 10^4 to 10^7); distinct keys show it.
/// Requires 0 <= price < 2^31 (checked by the benchmark).
void sort_distinct_keys(const OrderBook& book, std::vector<std::uint64_t>& keys) {
    auto key = [](std::int64_t price, std::size_t i) {
        return (static_cast<std::uint64_t>(price) << 32) | static_cast<std::uint64_t>(i);
    };
    std::size_t j = 0;
    for (std::size_t i = 0; i < book.bid_count(); ++i) keys[j++] = key(book.bid_price[i], i);
    const auto mid = keys.begin() + static_cast<std::ptrdiff_t>(j);
    for (std::size_t i = 0; i < book.offer_count(); ++i) keys[j++] = key(book.offer_price[i], i);
    std::sort(keys.begin(), mid, std::greater<>{});
    std::sort(mid, keys.end());
    benchmark::DoNotOptimize(keys.data());
    benchmark::ClobberMemory();
}

/// Distinct prices of a book, bids and offers counted apart.
std::size_t distinct_prices(const OrderBook& book) {
    auto distinct = [](std::vector<std::int64_t> v) {
        std::sort(v.begin(), v.end());
        return static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
    };
    return distinct(book.bid_price) + distinct(book.offer_price);
}

/// The round as `jpclear.round/1` text, written on first need and kept: writing
/// it is `jpclear generate`'s cost, not what any benchmark measures.
const std::string& round_text(Case& c) {
    if (c.json.empty()) {
        std::ostringstream out;
        jpclear::write_round_json(out, c.round);
        c.json = std::move(out).str();
    }
    return c.json;
}

// --- sizes ------------------------------------------------------------------

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
    // Why this sort's time per order hardly grows with n: see sort_distinct_keys.
    state.counters["distinct_prices"] = static_cast<double>(distinct_prices(set->cases.front()->book));
}
BENCHMARK(BM_SortKeys)->Apply(all_sizes);

void BM_SortDistinct(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    for (const std::unique_ptr<Case>& c : set->cases) {
        const OrderBook& b = c->book;
        auto fits = [](std::int64_t p) { return p >= 0 && p < (std::int64_t{1} << 31); };
        if (!std::all_of(b.bid_price.begin(), b.bid_price.end(), fits) ||
            !std::all_of(b.offer_price.begin(), b.offer_price.end(), fits) || set->orders >= (std::int64_t{1} << 32)) {
            state.SkipWithError("prices or positions do not fit the 32-bit halves of a key");
            return;
        }
    }
    std::vector<std::uint64_t> keys(static_cast<std::size_t>(set->orders));
    sort_distinct_keys(set->cases.front()->book, keys);  // faults `keys` in before timing
    std::size_t k = 0;
    const double start = cpu_seconds();
    for (auto _ : state) {
        sort_distinct_keys(set->cases[k]->book, keys);
        k = set->next(k);
    }
    report_per_order(state, set->orders, cpu_seconds() - start);
}
BENCHMARK(BM_SortDistinct)->Apply(all_sizes);

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

    constexpr double batch_seconds = 0.02;  // long enough to average out scheduler ticks
    PerCall core_t, stream_t, sort_t;
    for (auto _ : state) {
        // Each kind walks all the rounds in turn with its own cursor. Its
        // first call warms the workspace and faults `keys` in, and sizes the
        // batches.
        const Triple t = interleaved3(*set, core, stream, sort, batch_seconds);
        core_t = t.a;
        stream_t = t.b;
        sort_t = t.c;
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
    // Time per order of each kind at this size, in CPU time: across sizes a
    // linear algorithm keeps it flat (until the data leaves the caches), an
    // n log n one grows with log n. Taken from the same interleaved medians,
    // so the three columns of one size saw the same machine.
    state.counters["core_ns_per_order_cpu"] = core_t.cpu * 1e9 / n;
    state.counters["sort_ns_per_order_cpu"] = sort_t.cpu * 1e9 / n;
    state.counters["stream_ns_per_order_cpu"] = stream_t.cpu * 1e9 / n;
}
// One iteration: the benchmark repeats and takes medians itself.
BENCHMARK(BM_CoreVsBaselines)->Apply(all_sizes)->Iterations(1)->UseManualTime();

/// The histogram first pass of clear_convex (histogram_crossing.h) against
/// the prune-and-search over all orders it narrows down, in one process, three
/// kinds interleaved as in BM_CoreVsBaselines (7 repetitions, medians, the
/// order rotating):
///   new        clear_convex(book, ws, out): histogram first pass, the
///              workspace and the output Allocation reused across calls;
///   new_fresh  the same returning a fresh Allocation each call, as
///              clear_convex(book, ws) does (what BM_ClearCore times);
///   old        the crossing by prune-and-search over all orders
///              (CrossingMethod::prune_and_search), a fresh Allocation each
///              call: the core as it was before the first pass, apart from
///              the fill loop, which both share.
/// New and old are checked to give the same allocation on every round first.
void BM_CoreHistogramVsSearch(benchmark::State& state) {
    using jpclear::detail::CrossingMethod;
    const SizeSet* set = usable_set(state);
    if (!set) return;
    jpclear::ConvexWorkspace ws_new, ws_fresh, ws_old;
    jpclear::Allocation out;
    for (const std::unique_ptr<Case>& c : set->cases) {
        jpclear::Allocation old;
        jpclear::clear_convex(c->book, ws_old, old, CrossingMethod::prune_and_search);
        jpclear::clear_convex(c->book, ws_new, out);
        if (old.volume != out.volume || old.bid_fill != out.bid_fill || old.offer_fill != out.offer_fill) {
            state.SkipWithError("the histogram path and the prune-and-search disagree");
            return;
        }
    }
    auto fresh_new = [&](const OrderBook& book) { clear_core(book, ws_fresh); };
    auto reused_new = [&](const OrderBook& book) {
        jpclear::clear_convex(book, ws_new, out);
        benchmark::DoNotOptimize(out.volume);
        benchmark::DoNotOptimize(out.bid_fill.data());
        benchmark::DoNotOptimize(out.offer_fill.data());
    };
    auto old = [&](const OrderBook& book) {
        jpclear::Allocation a;
        jpclear::clear_convex(book, ws_old, a, CrossingMethod::prune_and_search);
        benchmark::DoNotOptimize(a.volume);
        benchmark::DoNotOptimize(a.bid_fill.data());
        benchmark::DoNotOptimize(a.offer_fill.data());
    };
    Triple t;  // a: new, b: new with a fresh output, c: old
    for (auto _ : state) {
        t = interleaved3(*set, reused_new, fresh_new, old, 0.02);
        state.SetIterationTime(t.a.wall);
    }
    const PerCall& new_t = t.a;
    const PerCall& fresh_t = t.b;
    const PerCall& old_t = t.c;
    const double n = static_cast<double>(set->orders);
    state.counters["new_orders_per_cpu_s"] = n / new_t.cpu;
    state.counters["new_fresh_orders_per_cpu_s"] = n / fresh_t.cpu;
    state.counters["old_orders_per_cpu_s"] = n / old_t.cpu;
    state.counters["new_orders_per_s"] = n / new_t.wall;
    state.counters["old_orders_per_s"] = n / old_t.wall;
    state.counters["new_over_old_cpu"] = new_t.cpu / old_t.cpu;
    state.counters["new_fresh_over_old_cpu"] = fresh_t.cpu / old_t.cpu;
    state.counters["new_over_old"] = new_t.wall / old_t.wall;
    // How much of the book the first pass left to the search (round 1).
    jpclear::ConvexWorkspace probe;
    jpclear::detail::crossing_of(set->cases.front()->book, probe, CrossingMethod::histogram);
    state.counters["window_orders"] = static_cast<double>(probe.priced.size());
}
BENCHMARK(BM_CoreHistogramVsSearch)->Apply(all_sizes)->Iterations(1)->UseManualTime();

/// What clear_convex needs beyond its input, per order, two ways:
///  - workspace_bytes_per_order: the capacity of the ConvexWorkspace vectors
///    after one call with a fresh workspace, in bytes, over n. This is the
///    scratch a caller keeps when reusing the workspace.
///  - output_bytes_per_order: the Allocation's fill vectors (the result, not
///    scratch, but memory all the same).
///  - heap_peak_bytes_per_order: the most heap the call held at once above
///    what was live before it, counted by the replaced operator new of
///    bench_memory.cpp (glibc usable sizes, so allocator rounding counts).
///    With a fresh workspace this is scratch plus output, at its peak.
/// Not a timing: one call, Iterations(1); the Time column is meaningless.
void BM_CoreMemory(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    const OrderBook& book = set->cases.front()->book;
    double workspace = 0, output = 0, peak = 0;
    for (auto _ : state) {
        jpclear::ConvexWorkspace ws;
        heap_tracking_begin();
        jpclear::Allocation a = jpclear::clear_convex(book, ws);
        peak = static_cast<double>(heap_tracking_end().peak);
        benchmark::DoNotOptimize(a.volume);
        workspace = static_cast<double>(ws.priced.capacity() * sizeof(ws.priced[0]) +
                                        ws.group.capacity() * sizeof(ws.group[0]) +
                                        ws.remainders.capacity() * sizeof(ws.remainders[0]) +
                                        ws.buckets.capacity() * sizeof(ws.buckets[0]));
        output = static_cast<double>((a.bid_fill.capacity() + a.offer_fill.capacity()) * sizeof(std::int64_t));
    }
    const double n = static_cast<double>(set->orders);
    state.counters["workspace_bytes_per_order"] = workspace / n;
    state.counters["output_bytes_per_order"] = output / n;
    state.counters["heap_peak_bytes_per_order"] = peak / n;
    state.counters["heap_tracked"] = heap_tracking_works() ? 1 : 0;
}
BENCHMARK(BM_CoreMemory)->Apply(all_sizes)->Iterations(1);

/// Heap of the Result's reason texts. Orders keep their reasons as a
/// template and figures; only the parts shared by many orders are text
/// (ReasonFacts), so this stays small whatever the number of orders.
std::int64_t reason_text_bytes(const jpclear::Result& r) {
    const jpclear::ReasonFacts& f = r.reason_facts;
    std::int64_t bytes = heap_bytes(f.no_trade_bid) + heap_bytes(f.no_trade_offer);
    for (const jpclear::ReasonFacts::Place& p : f.places)
        for (const std::string* s : {&p.name, &p.reference_name, &p.bid_reference, &p.offer_reference, &p.route_in,
                                     &p.route_out})
            bytes += heap_bytes(*s);
    for (const auto* list : {&f.origin_cap, &f.excluded, &f.written})
        for (const std::string& s : *list) bytes += heap_bytes(s);
    return bytes;
}

/// What a library caller pays for one clear() call, beside the Round it
/// passes in. Per order (n = bids + offers), all counted by the replaced
/// operator new:
///  - round_bytes_per_order: heap the Round holds (its order vectors, and
///    strings too long for the small-string buffer). The caller holds it
///    before and after; it is in none of the figures below.
///  - prepare_peak_bytes_per_order, book_bytes_per_order: prepare() at its
///    peak, and the OrderBook it hands on.
///  - build_peak_bytes_per_order: build_result() at its peak, given the
///    allocation (convex rounds only: the block search's own scratch shows in
///    the clear() peak instead).
///  - result_bytes_per_order: the Result clear() returns;
///    reason_text_bytes_per_order the part of it that is reason texts.
///  - clear_peak_bytes_per_order, clear_peak_bytes: the whole call at its
///    peak, Result included.
/// The parts are measured one after another, each alone, so the process never
/// holds two books at once (10^7 orders is several GB already).
void report_clear_memory(benchmark::State& state, const jpclear::Round& round, std::int64_t round_bytes,
                         const jpclear::Options& options) {
    HeapUse prepare_use, build_use, clear_use;
    std::int64_t reason_text = 0;
    bool convex = false, cleared = false;
    for (auto _ : state) {
        {
            auto prepared = heap_use_of([&] { return jpclear::prepare(round); });
            prepare_use = prepared.heap;
            const OrderBook& book = prepared.value.book;
            convex = book.is_convex();
            if (convex) {
                const jpclear::Allocation a = jpclear::clear_convex(book);
                build_use = heap_use_of([&] { return jpclear::build_result(round, book, a); }).heap;
            }
        }
        auto outcome = heap_use_of([&] { return jpclear::clear(round, options); });
        clear_use = outcome.heap;
        cleared = outcome.value.ok() && outcome.value.result->status == jpclear::RoundStatus::cleared;
        if (cleared) reason_text = reason_text_bytes(*outcome.value.result);
    }
    // A round that is invalid or does not trade would measure an early return.
    if (!cleared) {
        state.SkipWithError("the round does not clear with a trade");
        return;
    }
    const double n = static_cast<double>(round.bids.size() + round.offers.size());
    auto per_order = [n](std::int64_t bytes) { return static_cast<double>(bytes) / n; };
    state.counters["round_bytes_per_order"] = per_order(round_bytes);
    state.counters["prepare_peak_bytes_per_order"] = per_order(prepare_use.peak);
    state.counters["book_bytes_per_order"] = per_order(prepare_use.held);
    if (convex) state.counters["build_peak_bytes_per_order"] = per_order(build_use.peak);
    state.counters["result_bytes_per_order"] = per_order(clear_use.held);
    state.counters["reason_text_bytes_per_order"] = per_order(reason_text);
    state.counters["clear_peak_bytes_per_order"] = per_order(clear_use.peak);
    state.counters["clear_peak_bytes"] = static_cast<double>(clear_use.peak);
    state.counters["heap_tracked"] = heap_tracking_works() ? 1 : 0;
}

void BM_ClearMemory(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    const Case& c = *set->cases.front();
    report_clear_memory(state, c.round, c.round_heap_bytes, {});
}
BENCHMARK(BM_ClearMemory)->Apply(all_sizes)->Iterations(1);

/// The same with 5% blocks and the 0.65 origin cap, so clear() takes the block
/// search instead of clear_convex. One size: generating and searching such a
/// round is cheap at 10^5 orders, and the question is only whether the search
/// changes the memory per order.
void BM_ClearMemoryBlocks(benchmark::State& state) {
    jpclear::GenerateSpec spec = spec_for(state.range(0), 1);
    spec.block_per_mille = 50;
    spec.origin_cap = true;
    const auto generated = heap_use_of([&] { return jpclear::generate_round(spec); });
    jpclear::Options options;
    // A safety net for the suite, as in BM_BlockSearch; memory is what is measured.
    options.time_limit_ms = 20'000;
    report_clear_memory(state, generated.value, generated.heap.held, options);
}
BENCHMARK(BM_ClearMemoryBlocks)->Arg(100'000)->Iterations(1)->Unit(benchmark::kMicrosecond);

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
        // Checked outside the timed loop: an input that fails to parse or
        // clear would time the error path.
        jpclear::RoundRead read = jpclear::read_round_json(round_text(*c));
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

/// The JSON ends of `jpclear clear`, which BM_ClearMemory leaves out, per
/// order, counted like it:
///  - json_bytes_per_order: the round's text (held by the caller, not counted
///    below).
///  - read_peak_bytes_per_order, read_round_bytes_per_order:
///    read_round_json() at its peak, and the Round it returns (the reader's
///    vectors grow as orders arrive, so it may hold more than a generated one).
///  - write_peak_bytes_per_order, output_bytes_per_order: result_json() at its
///    peak, its text included, and that text's length.
/// 10^6 at most: at 10^7 the text, a second Round and the Result would add
/// several GB to the cached round; bench/peak_memory.sh measures that size in
/// the CLI instead.
void BM_JsonMemory(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    Case& c = *set->cases.front();
    const std::string& text = round_text(c);
    const jpclear::ClearOutcome outcome = jpclear::clear(c.round);
    if (!outcome.ok()) {
        state.SkipWithError("generated round does not clear");
        return;
    }
    HeapUse read_use, write_use;
    std::size_t output = 0;
    bool read_ok = false;
    for (auto _ : state) {
        {
            auto read = heap_use_of([&] { return jpclear::read_round_json(text); });
            read_use = read.heap;
            read_ok = read.value.round.has_value();
        }
        auto written = heap_use_of([&] { return jpclear::result_json(c.round, *outcome.result); });
        write_use = written.heap;
        output = written.value.size();
    }
    if (!read_ok) {
        state.SkipWithError("generated round JSON does not read back");
        return;
    }
    const double n = static_cast<double>(set->orders);
    state.counters["json_bytes_per_order"] = static_cast<double>(text.size()) / n;
    state.counters["read_peak_bytes_per_order"] = static_cast<double>(read_use.peak) / n;
    state.counters["read_round_bytes_per_order"] = static_cast<double>(read_use.held) / n;
    state.counters["write_peak_bytes_per_order"] = static_cast<double>(write_use.peak) / n;
    state.counters["output_bytes_per_order"] = static_cast<double>(output) / n;
    state.counters["heap_tracked"] = heap_tracking_works() ? 1 : 0;
}
BENCHMARK(BM_JsonMemory)->Apply(json_sizes)->Arg(1'000'000)->Iterations(1);

/// Drops what it is given: the writer's own cost, without the kernel's.
class DroppingBuffer : public std::streambuf {
protected:
    int_type overflow(int_type c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

void BM_WriteThreads(benchmark::State& state) {
    const SizeSet* set = usable_set(state);
    if (!set) return;
    std::vector<const Case*> cases;
    std::vector<jpclear::StreamedResult> results;
    for (const std::unique_ptr<Case>& c : set->cases) {
        jpclear::StreamedOutcome outcome = jpclear::clear_streamed(c->round);
        if (!outcome.ok()) {
            state.SkipWithError("generated round does not clear");
            return;
        }
        cases.push_back(c.get());
        results.push_back(std::move(*outcome.result));
    }
    const auto result_of = [&](const Case& c) -> const jpclear::StreamedResult& {
        return results[static_cast<std::size_t>(std::find(cases.begin(), cases.end(), &c) - cases.begin())];
    };
    DroppingBuffer dropped;
    std::ostream sink(&dropped);
    const auto write_with = [&](unsigned threads) {
        return [&, threads](const Case& c) {
            jpclear::write_result_json(sink, c.round, result_of(c), jpclear::WriteOptions{.threads = threads});
        };
    };
    Pair t;
    for (auto _ : state) {
        t = interleaved(*set, write_with(1), *set, write_with(2), 0.2);
        state.SetIterationTime(t.b.wall);
    }
    const double n = static_cast<double>(set->orders);
    state.counters["one_thread_ns_per_order"] = t.a.wall / n * 1e9;
    state.counters["two_threads_ns_per_order"] = t.b.wall / n * 1e9;
    state.counters["two_over_one"] = t.b.wall / t.a.wall;
}
BENCHMARK(BM_WriteThreads)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1)->UseManualTime();

}  // namespace

BENCHMARK_MAIN();
