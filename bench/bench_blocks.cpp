// Rounds with blocks and origin caps: the exact search (clear_with_blocks).
//
//   BM_BlockSearch/10000  10^4 orders, 5% blocks (block_per_mille 50), the
//                         0.65 origin cap, several seeds: time per round,
//                         branch-and-bound nodes, and whether optimality was
//                         proven. The target: proven in under a second each.
//   BM_CappedSearch/n/b/c n orders, b blocks per mille, cap c %, on the
//                         lithium-refined mix (CN 65 %), where every cap from
//                         0.2 to 0.65 binds (issue 12): time, proven or not,
//                         the gap (bound - welfare) / welfare, and, up to
//                         1000 orders, CBC's time on the same round (up to
//                         JPCLEAR_BENCH_CBC_MAX_ORDERS, each of its two runs
//                         stopped after JPCLEAR_BENCH_CBC_TIME_LIMIT_MS,
//                         default 30000: at 10^4 orders CBC takes minutes).
//   BM_NodeCost/n         n orders, all blocks at two prices, cap 0.2: the CPU time of one
//                         node of the search, and its ratio to n = 1000.
//   BM_CbcMip/n           n = 20, 40, 80 orders: clear_with_blocks against
//                         the same rounds as a MIP in COIN-OR CBC (the test
//                         suite's oracle, tests/oracle), equal welfare and
//                         volume required. Only built when the oracle target
//                         jpclear_cbc_oracle exists (tests on, CBC installed).
//
// Unlike the convex rounds these are not cycled for the branch predictor's
// sake: one search takes far longer than the predictor's memory, and each
// seed is reported on its own because the search's cost depends on the round.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "bench_support.h"
#include "jpclear/clearing/block_search.h"

#ifdef JPCLEAR_BENCH_HAVE_CBC
#include "oracle/cbc_oracle.h"
#endif

namespace {

using jpclear::OrderBook;
using jpclear::int128;
using namespace jpclear::bench;

/// Generated rounds with blocks and a cap, made once per (size, blocks) and
/// kept: generation and preparation are not what is timed.
struct BlockRounds {
    std::vector<std::unique_ptr<Case>> cases;
    std::string problem;  ///< why the rounds cannot be used; empty when fine
};

const BlockRounds& block_rounds(std::int64_t n, std::uint32_t block_per_mille, std::uint64_t seeds) {
    struct Key {
        std::int64_t n;
        std::uint32_t per_mille;
        std::uint64_t seeds;
        bool operator==(const Key&) const = default;
    };
    static std::vector<std::pair<Key, std::unique_ptr<BlockRounds>>> cache;
    const Key key{n, block_per_mille, seeds};
    for (const auto& [k, rounds] : cache)
        if (k == key) return *rounds;
    auto rounds = std::make_unique<BlockRounds>();
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
        jpclear::GenerateSpec spec = spec_for(n, seed);
        spec.block_per_mille = block_per_mille;
        spec.origin_cap = true;
        auto c = std::make_unique<Case>();
        c->round = jpclear::generate_round(spec);
        jpclear::Prepared prepared = jpclear::prepare(c->round);
        if (!prepared.problems.empty() && rounds->problem.empty())
            rounds->problem = "seed " + std::to_string(seed) + ": " + prepared.problems.front().to_string();
        c->book = std::move(prepared.book);
        rounds->cases.push_back(std::move(c));
    }
    cache.emplace_back(key, std::move(rounds));
    return *cache.back().second;
}

/// Welfare of the round cleared as if it had no blocks and no cap: the
/// optimum of the relaxation, so the true optimum differs from it exactly
/// when the blocks or the cap bind.
int128 relaxed_welfare(const OrderBook& book) {
    OrderBook relaxed = book;
    relaxed.max_origin_share.reset();
    std::fill(relaxed.bid_min.begin(), relaxed.bid_min.end(), 0);
    std::fill(relaxed.offer_min.begin(), relaxed.offer_min.end(), 0);
    const jpclear::Allocation a = jpclear::clear_convex(relaxed);
    return welfare_of(relaxed, a.bid_fill, a.offer_fill);
}

// --- BM_BlockSearch ------------------------------------------------------------

constexpr std::uint64_t kSearchSeeds = 5;
constexpr int kSearchRuns = 3;  // per seed; the median is reported
// A safety net, not part of the target: a round the search cannot prove in
// this long is reported as not proven rather than holding up the whole suite.
constexpr std::int64_t kSearchTimeLimitMs = 20'000;

void BM_BlockSearch(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    const BlockRounds& rounds = block_rounds(n, 50, kSearchSeeds);
    if (!rounds.problem.empty()) {
        state.SkipWithError(("generated round is invalid: " + rounds.problem).c_str());
        return;
    }
    jpclear::Options options;
    options.time_limit_ms = kSearchTimeLimitMs;

    struct SeedResult {
        PerCall time;
        jpclear::BlockSearchOutcome outcome;
        int128 welfare = 0;
    };
    std::vector<SeedResult> results;
    for (auto _ : state) {
        results.clear();
        for (const auto& c : rounds.cases) {
            std::vector<PerCall> runs;
            SeedResult r;
            for (int run = 0; run < kSearchRuns; ++run) {
                runs.push_back(time_once([&] { r.outcome = jpclear::clear_with_blocks(c->book, options); }));
                // A search that runs into seconds is timed once: repeating it
                // would only make the suite slower, not the figure better.
                if (runs.back().wall > 2.0) break;
            }
            r.time = median(runs);
            r.welfare = welfare_of(c->book, r.outcome.allocation.bid_fill, r.outcome.allocation.offer_fill);
            results.push_back(std::move(r));
        }
        double worst = 0;
        for (const SeedResult& r : results) worst = std::max(worst, r.time.wall);
        // The Time column shows the slowest seed's median wall time.
        state.SetIterationTime(worst);
    }

#ifdef JPCLEAR_BENCH_HAVE_CBC
    // The oracle's exact rule check (spec section 5) on every answer: a fast
    // search that breaks a rule would not be worth reporting.
    for (std::size_t i = 0; i < results.size(); ++i) {
        const jpclear::Allocation& a = results[i].outcome.allocation;
        const auto check = jpclear::oracle::check_allocation(rounds.cases[i]->book, a.bid_fill, a.offer_fill);
        if (!check.ok) {
            state.SkipWithError(("seed " + std::to_string(i + 1) + ": clear_with_blocks' allocation breaks a rule: " +
                                 check.reason)
                                    .c_str());
            return;
        }
    }
#endif

    double worst_cpu = 0, worst_wall = 0;
    std::int64_t proven = 0, most_nodes = 0, binding = 0;
    std::vector<double> cpus;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const SeedResult& r = results[i];
        const bool is_proven = r.outcome.optimality == jpclear::Optimality::proven;
        proven += is_proven ? 1 : 0;
        worst_cpu = std::max(worst_cpu, r.time.cpu);
        worst_wall = std::max(worst_wall, r.time.wall);
        most_nodes = std::max(most_nodes, r.outcome.nodes);
        cpus.push_back(r.time.cpu);
        const std::string seed = "seed" + std::to_string(i + 1) + "_";
        state.counters[seed + "cpu_ms"] = r.time.cpu * 1e3;
        state.counters[seed + "wall_ms"] = r.time.wall * 1e3;
        state.counters[seed + "nodes"] = static_cast<double>(r.outcome.nodes);
        state.counters[seed + "prices"] = static_cast<double>(r.outcome.prices);
        state.counters[seed + "proven"] = is_proven ? 1 : 0;
        state.counters[seed + "volume"] = static_cast<double>(r.outcome.allocation.volume);
        // Below 2^53 for these rounds (~10^6 lots times ~10^6 ticks), so exact.
        state.counters[seed + "welfare"] = static_cast<double>(r.welfare);
        // Whether the blocks or the cap change this round's optimum at all:
        // when they do not, the search can prove optimality from its bounds
        // alone, and a reader should know which kind of round was timed.
        const bool binds = r.welfare != relaxed_welfare(rounds.cases[i]->book);
        binding += binds ? 1 : 0;
        state.counters[seed + "binding"] = binds ? 1 : 0;
    }
    state.counters["seeds"] = static_cast<double>(results.size());
    state.counters["proven"] = static_cast<double>(proven);
    state.counters["binding"] = static_cast<double>(binding);
    state.counters["worst_cpu_ms"] = worst_cpu * 1e3;
    state.counters["worst_wall_ms"] = worst_wall * 1e3;
    state.counters["median_cpu_ms"] = median_value(cpus) * 1e3;
    state.counters["most_nodes"] = static_cast<double>(most_nodes);
#ifdef JPCLEAR_BENCH_HAVE_CBC
    state.counters["rules_checked"] = 1;  // by the CBC oracle's check_allocation
#else
    state.counters["rules_checked"] = 0;
#endif
    state.counters["target_met"] =
        proven == static_cast<std::int64_t>(results.size()) && worst_cpu < 1.0 ? 1 : 0;
    state.SetLabel(std::to_string(proven) + "/" + std::to_string(results.size()) +
                   " proven; 5% blocks, cap 0.65; search time limit " + std::to_string(kSearchTimeLimitMs) + " ms");
}
BENCHMARK(BM_BlockSearch)->Arg(10'000)->Unit(benchmark::kMillisecond)->Iterations(1)->UseManualTime();

// --- BM_CappedSearch -------------------------------------------------------------

// A round that is not proven in this long is reported with its gap (no node
// limit: issue 12's targets are times).
constexpr std::int64_t kCappedTimeLimitMs = 10'000;
constexpr std::int64_t kCappedCbcMaxOrders = 1'000;  // CBC on more takes minutes
constexpr std::int64_t kCappedCbcTimeLimitMs = 30'000;

void BM_CappedSearch(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    jpclear::GenerateSpec spec = spec_for(n, 1);
    spec.block_per_mille = static_cast<std::uint32_t>(state.range(1));
    spec.origin_cap = true;
    spec.cap_share = jpclear::Decimal::from_units(state.range(2), 2);
    spec.origin_weights = *jpclear::scenario_weights("lithium-refined");
    const jpclear::Round round = jpclear::generate_round(spec);
    jpclear::Prepared prepared = jpclear::prepare(round);
    if (!prepared.problems.empty()) {
        state.SkipWithError(("generated round is invalid: " + prepared.problems.front().to_string()).c_str());
        return;
    }
    const OrderBook& book = prepared.book;
    jpclear::Options options;
    options.time_limit_ms = kCappedTimeLimitMs;
    options.node_limit = std::numeric_limits<std::int64_t>::max();  // the target is a time: 10 s
    jpclear::BlockSearchOutcome outcome;
    PerCall t;
    for (auto _ : state) {
        t = time_once([&] { outcome = jpclear::clear_with_blocks(book, options); });
        state.SetIterationTime(t.wall);
    }
    const int128 welfare = welfare_of(book, outcome.allocation.bid_fill, outcome.allocation.offer_fill);
    state.counters["proven"] = outcome.optimality == jpclear::Optimality::proven ? 1 : 0;
    state.counters["wall_ms"] = t.wall * 1e3;
    state.counters["nodes"] = static_cast<double>(outcome.nodes);
    state.counters["gap_ppm"] =
        welfare > 0 ? static_cast<double>(outcome.bound - welfare) / static_cast<double>(welfare) * 1e6 : 0.0;
    state.counters["binding"] = welfare != relaxed_welfare(book) ? 1 : 0;
#ifdef JPCLEAR_BENCH_HAVE_CBC
    const auto check = jpclear::oracle::check_allocation(book, outcome.allocation.bid_fill, outcome.allocation.offer_fill);
    if (!check.ok) {
        state.SkipWithError(("clear_with_blocks' allocation breaks a rule: " + check.reason).c_str());
        return;
    }
    if (n <= env_positive("JPCLEAR_BENCH_CBC_MAX_ORDERS", kCappedCbcMaxOrders)) {
        jpclear::oracle::OracleResult o;
        const std::int64_t cbc_limit_ms = env_positive("JPCLEAR_BENCH_CBC_TIME_LIMIT_MS", kCappedCbcTimeLimitMs);
        const PerCall cbc = time_once([&] { o = jpclear::oracle::solve_with_cbc(book, cbc_limit_ms); });
        state.counters["cbc_ms"] = cbc.wall * 1e3;
        state.counters["cbc_proven"] = o.optimal ? 1 : 0;
        // CBC's best welfare against the search's, parts per million (0: the
        // same; below 0: CBC stopped short of it).
        state.counters["cbc_vs_search_ppm"] =
            !o.feasible ? -1e6
            : welfare > 0 ? static_cast<double>(o.welfare - welfare) / static_cast<double>(welfare) * 1e6
                          : 0.0;
        // Where both prove an optimum they must agree.
        if (o.optimal && outcome.optimality == jpclear::Optimality::proven && o.welfare != welfare) {
            state.SkipWithError(("welfare " + int128_string(welfare) + " != CBC " + int128_string(o.welfare)).c_str());
            return;
        }
    }
#endif
    state.SetLabel(std::string(outcome.optimality == jpclear::Optimality::proven ? "proven" : "limit") +
                   "; lithium-refined, time limit " + std::to_string(kCappedTimeLimitMs) + " ms");
}
BENCHMARK(BM_CappedSearch)
    ->ArgsProduct({{1'000, 10'000, 100'000}, {10, 100}, {20, 30, 40, 50, 65}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseManualTime();

// --- BM_NodeCost -------------------------------------------------------------------

// What one node of the search costs as the blocks grow (issue 12: it used to
// be O(blocks), about 23 us a node at 10^5 blocks). Every order is a block,
// cap 0.2 on the lithium-refined mix, and every bid bids 15000 and every
// offer asks 14000: two candidate prices, so that few set-ups (O(n log n)
// each, once per price and widening round) fall between the two limits.
// Each round is searched with node limits of 20,000 and 220,000; the
// difference of the two (CPU) over the difference of their nodes is the cost
// of a node, reported as ns_per_node, and as a ratio to the 10^3-order round
// measured in the same process.
constexpr std::int64_t kFewNodes = 20'000, kManyNodes = 220'000;

double node_cost_ns(std::int64_t n) {
    jpclear::GenerateSpec spec = spec_for(n, 1);
    spec.block_per_mille = 1000;
    spec.origin_cap = true;
    spec.cap_share = jpclear::Decimal::from_units(20, 2);
    spec.origin_weights = *jpclear::scenario_weights("lithium-refined");
    jpclear::Round round = jpclear::generate_round(spec);
    for (jpclear::Bid& b : round.bids) {
        b.limit = jpclear::Decimal::from_units(15000, 0);
        b.currency.reset();
    }
    for (jpclear::Offer& o : round.offers) {
        o.ask = jpclear::Decimal::from_units(14000, 0);
        o.currency.reset();
    }
    const jpclear::Prepared prepared = jpclear::prepare(round);
    if (!prepared.problems.empty()) return -1;
    auto search = [&](std::int64_t limit, jpclear::BlockSearchOutcome& out) {
        jpclear::Options options;
        options.node_limit = limit;
        return time_once([&] { out = jpclear::clear_with_blocks(prepared.book, options); }).cpu;
    };
    std::vector<double> per_node;
    for (int rep = 0; rep < 3; ++rep) {
        jpclear::BlockSearchOutcome few, many;
        const double t_few = search(kFewNodes, few), t_many = search(kManyNodes, many);
        if (many.optimality == jpclear::Optimality::proven || many.nodes <= few.nodes) return -1;
        per_node.push_back((t_many - t_few) / static_cast<double>(many.nodes - few.nodes) * 1e9);
    }
    return median_value(per_node);
}

void BM_NodeCost(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    double ns = 0, baseline = 0;
    for (auto _ : state) {
        baseline = node_cost_ns(1'000);
        ns = node_cost_ns(n);
        state.SetIterationTime(ns * 1e-9);
    }
    if (ns < 0 || baseline < 0) {
        state.SkipWithError("a round was proven inside the node limit: no node cost to measure");
        return;
    }
    state.counters["ns_per_node"] = ns;
    state.counters["vs_1000_orders"] = ns / baseline;
    state.SetLabel("all blocks at two prices, cap 0.2; ns a node (CPU) between node limits 20,000 and 220,000");
}
BENCHMARK(BM_NodeCost)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMicrosecond)->Iterations(1)->UseManualTime();

// --- BM_CbcMip -----------------------------------------------------------------

#ifdef JPCLEAR_BENCH_HAVE_CBC

constexpr std::uint64_t kMipSeeds = 10;
// One in five orders a block, so even 20 orders have a few. How often blocks
// or the cap change the optimum is counted (rounds_binding): often at 20
// orders, rarely at 80, where the marginal orders are mostly divisible.
// Raising this to 500 was tried and barely moved that count.
constexpr std::uint32_t kMipBlockPerMille = 200;
constexpr std::int64_t kCbcTimeLimitMs = 60'000;

/// One pass over all rounds with `fn(book)`; time per round.
template <class Fn>
PerCall time_pass(const BlockRounds& rounds, Fn&& fn, int passes) {
    const PerCall all = time_once([&] {
        for (int p = 0; p < passes; ++p)
            for (const auto& c : rounds.cases) fn(c->book);
    });
    const double calls = static_cast<double>(passes) * static_cast<double>(rounds.cases.size());
    return {all.wall / calls, all.cpu / calls};
}

void BM_CbcMip(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    const BlockRounds& rounds = block_rounds(n, kMipBlockPerMille, kMipSeeds);
    if (!rounds.problem.empty()) {
        state.SkipWithError(("generated round is invalid: " + rounds.problem).c_str());
        return;
    }

    // Agreement first, on every round: equal welfare and volume, both proven,
    // and the search's allocation passes the oracle's exact rule check.
    int128 total_welfare = 0;
    std::int64_t trading = 0, binding = 0;
    for (std::size_t i = 0; i < rounds.cases.size(); ++i) {
        const OrderBook& book = rounds.cases[i]->book;
        const std::string round = "round " + std::to_string(i + 1) + ": ";
        const jpclear::BlockSearchOutcome s = jpclear::clear_with_blocks(book);
        const jpclear::oracle::OracleResult o = jpclear::oracle::solve_with_cbc(book, kCbcTimeLimitMs);
        if (!o.feasible || !o.optimal || !o.failure.empty()) {
            state.SkipWithError((round + "CBC did not prove an optimum: " + o.failure).c_str());
            return;
        }
        if (s.optimality != jpclear::Optimality::proven) {
            state.SkipWithError((round + "clear_with_blocks did not prove an optimum").c_str());
            return;
        }
        const auto check = jpclear::oracle::check_allocation(book, s.allocation.bid_fill, s.allocation.offer_fill);
        if (!check.ok) {
            state.SkipWithError((round + "clear_with_blocks' allocation breaks a rule: " + check.reason).c_str());
            return;
        }
        if (check.welfare != o.welfare || s.allocation.volume != o.volume) {
            state.SkipWithError((round + "clear_with_blocks welfare " + int128_string(check.welfare) + " V " +
                                 std::to_string(s.allocation.volume) + " != CBC welfare " +
                                 int128_string(o.welfare) + " V " + std::to_string(o.volume))
                                    .c_str());
            return;
        }
        total_welfare += o.welfare;
        trading += o.volume > 0 ? 1 : 0;
        // When the blocks or the cap bind, the MIP is not a disguised LP.
        binding += relaxed_welfare(book) != o.welfare ? 1 : 0;
    }

    auto search = [](const OrderBook& book) {
        jpclear::BlockSearchOutcome s = jpclear::clear_with_blocks(book);
        benchmark::DoNotOptimize(s.allocation.volume);
    };
    auto cbc = [](const OrderBook& book) {
        jpclear::oracle::OracleResult o = jpclear::oracle::solve_with_cbc(book, kCbcTimeLimitMs);
        benchmark::DoNotOptimize(o.volume);
    };
    PerCall search_t, cbc_t;
    for (auto _ : state) {
        // The search takes microseconds a round, CBC milliseconds: the search
        // makes enough passes to fill about as long as one CBC pass.
        const PerCall cbc_once = time_pass(rounds, cbc, 1);
        const PerCall search_once = time_pass(rounds, search, 1);
        const int search_passes = static_cast<int>(std::clamp(
            std::ceil(cbc_once.wall / std::max(search_once.wall, 1e-9)), 1.0, 10'000.0));
        // CBC passes can take seconds; fewer repetitions keep the suite short.
        const int repetitions = cbc_once.wall * static_cast<double>(rounds.cases.size()) > 1.0 ? 3 : kRepetitions;
        std::vector<PerCall> search_v, cbc_v;
        for (int r = 0; r < repetitions; ++r) {
            for (int kind = 0; kind < 2; ++kind) {
                if ((r + kind) % 2 == 0)
                    search_v.push_back(time_pass(rounds, search, search_passes));
                else
                    cbc_v.push_back(time_pass(rounds, cbc, 1));
            }
        }
        search_t = median(search_v);
        cbc_t = median(cbc_v);
        // The Time column shows the median wall time of clear_with_blocks.
        state.SetIterationTime(search_t.wall);
    }
    state.counters["rounds"] = static_cast<double>(rounds.cases.size());
    state.counters["rounds_trading"] = static_cast<double>(trading);
    state.counters["rounds_binding"] = static_cast<double>(binding);
    state.counters["search_us"] = search_t.wall * 1e6;
    state.counters["search_cpu_us"] = search_t.cpu * 1e6;
    state.counters["cbc_us"] = cbc_t.wall * 1e6;
    state.counters["cbc_cpu_us"] = cbc_t.cpu * 1e6;
    state.counters["cbc_over_search"] = cbc_t.wall / search_t.wall;
    state.counters["cbc_over_search_cpu"] = cbc_t.cpu / search_t.cpu;
    state.counters["welfare_equal"] = 1;
    state.SetLabel("welfare and volume equal on all " + std::to_string(rounds.cases.size()) +
                   " rounds; total welfare " + int128_string(total_welfare) + " tick-lots");
}
BENCHMARK(BM_CbcMip)->Arg(20)->Arg(40)->Arg(80)->Unit(benchmark::kMicrosecond)->Iterations(1)->UseManualTime();

#endif  // JPCLEAR_BENCH_HAVE_CBC

}  // namespace
