// Delivered clearing (spec section 10): rounds with delivery places, ports and
// a freight table, as `generate_round` makes them with GenerateSpec::places
// (21 places, about 50 routes, some with a capacity). The generator keeps the
// orders' own draws apart from the places', so the same spec without places
// gives exactly the same orders: every comparison below is like with like,
// and the set-up checks that it is (prices and lots of every order).
//
//   BM_PlacesCore/n        solve(market) on the round with places (that is
//                          clear_network()) against clear_convex on the same
//                          orders without logistics, batches interleaved,
//                          medians of 7: what the places cost the core.
//   BM_PlacesClp/n         the delivered problem as an LP in COIN-OR CLP (a
//                          column per price level per place and per route, a
//                          balance row per port side and per delivery side)
//                          against solve(market); CLP's objective and its
//                          rounded allocation must equal the engine's welfare
//                          exactly. Built with CLP only.
//   BM_PlacesBlocks/n/bpm  blocks (block_per_mille 10 or 100) and the 0.65
//                          origin cap with places, through solve() (that is
//                          clear_network_with_blocks()): per seed the time,
//                          the branch-and-bound nodes and whether optimality
//                          was proven; against solve() on the same orders with
//                          no blocks and no cap.
//   BM_PlacesClear/n       the whole clear() (prepare, solve, build_result) on
//                          the round with places against the same round
//                          without, interleaved; the parts timed apart.
// n = bids + offers, about 10:1, as in the other benchmarks. As there, the
// convex sizes cycle through enough rounds (different seeds) to hold 10^5
// orders, so the branch predictor cannot learn one round.
//
// Performance is reported as ratios against a baseline run in the same
// process; absolute times are machine facts and asserted nowhere.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench_support.h"
#include "jpclear/clear.h"
#include "jpclear/clearing/solve.h"
#include "jpclear/report/result_builder.h"

#ifdef JPCLEAR_BENCH_HAVE_CLP
#include <ClpSimplex.hpp>
#endif
#ifdef JPCLEAR_BENCH_HAVE_CBC
#include "oracle/places_oracle.h"
#endif

namespace {

using jpclear::Market;
using jpclear::int128;
using namespace jpclear::bench;

// --- rounds ------------------------------------------------------------------

/// sum P x - sum A y - sum F f in tick-lots, exactly.
int128 delivered_welfare(const Market& m, const jpclear::Solution& s) {
    int128 w = welfare_of(m, s.allocation.bid_fill, s.allocation.offer_fill);
    for (std::size_t r = 0; r < m.arcs.size() && r < s.arc_flow.size(); ++r)
        w -= static_cast<int128>(m.arcs[r].freight) * s.arc_flow[r];
    return w;
}

/// Whether two books hold the same orders (prices in ticks, lots, minimums).
bool same_orders(const Market& a, const Market& b) {
    return a.bid_price == b.bid_price && a.bid_lots == b.bid_lots && a.bid_min == b.bid_min &&
           a.offer_price == b.offer_price && a.offer_lots == b.offer_lots && a.offer_min == b.offer_min;
}

/// Price levels the network sees: distinct (place, price) pairs, bids and
/// offers counted apart. The successive shortest paths augment about once
/// per level that trades, so this is the size the core's second phase scales
/// with.
std::size_t price_levels(const Market& m) {
    auto levels = [](const std::vector<std::uint32_t>& node, const std::vector<std::int64_t>& price) {
        std::vector<std::pair<std::uint32_t, std::int64_t>> keys(price.size());
        for (std::size_t i = 0; i < price.size(); ++i) keys[i] = {node[i], price[i]};
        std::sort(keys.begin(), keys.end());
        return static_cast<std::size_t>(std::unique(keys.begin(), keys.end()) - keys.begin());
    };
    return levels(m.bid_node, m.bid_price) + levels(m.offer_node, m.offer_price);
}

/// A SizeSet of rounds with places, and what the set-up found out about it.
struct PlacesSet {
    SizeSet set;
    std::string problem;  ///< why the rounds cannot be used; empty when fine
};

/// The rounds of size n with places: the seeds of size_set(n), the same
/// orders (checked), each valid, convex, priced by clear_network() and
/// trading. Made once per process and kept, like size_set().
const PlacesSet& places_set(std::int64_t n) {
    static std::map<std::int64_t, PlacesSet> cache;
    PlacesSet& p = cache[n];
    if (!p.set.cases.empty() || !p.problem.empty()) return p;
    const SizeSet& plain = size_set(n);
    for (std::uint64_t seed = 1; seed <= plain.cases.size(); ++seed) {
        const std::string where = "seed " + std::to_string(seed) + ": ";
        jpclear::GenerateSpec spec = spec_for(n, seed);
        spec.places = true;
        auto c = std::make_unique<Case>();
        c->round = jpclear::generate_round(spec);
        jpclear::Prepared prepared = jpclear::prepare(c->round);
        c->book = std::move(prepared.book);
        const Market& m = c->book;
        if (!prepared.problems.empty())
            p.problem = where + "invalid: " + prepared.problems.front().to_string();
        else if (!m.has_places() || !m.is_convex())
            p.problem = where + "no places, or not convex";
        else if (!same_orders(m, plain.cases[seed - 1]->book))
            p.problem = where + "the orders differ from the same round without places";
        if (p.problem.empty()) {
            try {
                if (jpclear::solve(m).allocation.volume == 0) p.problem = where + "does not trade";
            } catch (const std::exception& e) {
                p.problem = where + "clear_network() throws: " + e.what();
            }
        }
        p.set.cases.push_back(std::move(c));
        if (!p.problem.empty()) break;
    }
    p.set.ok = p.problem.empty();
    p.set.orders = plain.orders;
    return p;
}

/// The plain and the places rounds of the benchmark's size, or false after
/// marking it failed.
bool usable_pair(benchmark::State& state, const SizeSet*& plain, const SizeSet*& places) {
    plain = usable_set(state);
    if (!plain) return false;
    const PlacesSet& p = places_set(state.range(0));
    if (!p.set.ok) {
        state.SkipWithError(("a generated round with places cannot be used: " + p.problem).c_str());
        return false;
    }
    places = &p.set;
    const Market& m = places->cases.front()->book;
    state.counters["places"] = static_cast<double>(m.nodes.size());
    state.counters["routes"] = static_cast<double>(m.arcs.size());
    state.counters["capped_routes"] = static_cast<double>(
        std::count_if(m.arcs.begin(), m.arcs.end(), [](const jpclear::Arc& a) { return a.capacity.has_value(); }));
    return true;
}

// --- timing ------------------------------------------------------------------

void places_solve(const Market& m) {
    jpclear::Solution s = jpclear::solve(m);
    benchmark::DoNotOptimize(s.allocation.volume);
    benchmark::DoNotOptimize(s.allocation.bid_fill.data());
    benchmark::DoNotOptimize(s.arc_flow.data());
}

void places_sizes(benchmark::internal::Benchmark* b) {
    for (std::int64_t n = 1'000; n <= 1'000'000; n *= 10) b->Arg(n);
    b->Unit(benchmark::kMicrosecond);
}

/// The counters of an interleaved() comparison of `a` against `b` on rounds
/// of `orders` orders: each side's medians, a over b, and each side's CPU
/// time per order.
void report_pair(benchmark::State& state, const Pair& t, const std::string& a, const std::string& b,
                 std::int64_t orders) {
    const double n = static_cast<double>(orders);
    state.counters[a + "_us"] = t.a.wall * 1e6;
    state.counters[a + "_cpu_us"] = t.a.cpu * 1e6;
    state.counters[b + "_us"] = t.b.wall * 1e6;
    state.counters[b + "_cpu_us"] = t.b.cpu * 1e6;
    state.counters[a + "_over_" + b] = t.a.wall / t.b.wall;
    state.counters[a + "_over_" + b + "_cpu"] = t.a.cpu / t.b.cpu;
    state.counters[a + "_ns_per_order_cpu"] = t.a.cpu * 1e9 / n;
    state.counters[b + "_ns_per_order_cpu"] = t.b.cpu * 1e9 / n;
}

// --- BM_PlacesCore -----------------------------------------------------------

/// solve(market) with places against clear_convex without, on the same
/// orders. The places side runs NetworkModel's sort into levels, the
/// successive shortest paths and the pro-rata split on every call, as clear()
/// does; the baseline reuses its workspace, as in BM_CoreVsBaselines (so the
/// baseline is the page's "core" figure).
void BM_PlacesCore(benchmark::State& state) {
    const SizeSet *plain = nullptr, *places = nullptr;
    if (!usable_pair(state, plain, places)) return;

    const Market& m1 = places->cases.front()->book;
    const Market& p1 = plain->cases.front()->book;
    const jpclear::Solution with = jpclear::solve(m1);
    const jpclear::Allocation without = jpclear::clear_convex(p1);
    const int128 w_with = delivered_welfare(m1, with);
    const int128 w_without = welfare_of(p1, without.bid_fill, without.offer_fill);

    jpclear::ConvexWorkspace ws;
    auto convex = [&](const Case& c) { clear_core(c.book, ws); };
    auto network = [](const Case& c) { places_solve(c.book); };
    Pair t;
    for (auto _ : state) {
        t = interleaved(*places, network, *plain, convex, 0.02);
        // The Time column shows the median wall time of one solve with places.
        state.SetIterationTime(t.a.wall);
    }
    report_pair(state, t, "places", "convex", places->orders);
    state.counters["price_levels"] = static_cast<double>(price_levels(m1));
    // Round 1, for the reader: what freight and the routes cost in welfare
    // and volume (below 2^53, so exact in a double).
    state.counters["welfare_places"] = static_cast<double>(w_with);
    state.counters["welfare_one_place"] = static_cast<double>(w_without);
    state.counters["volume_places"] = static_cast<double>(with.allocation.volume);
    state.counters["volume_one_place"] = static_cast<double>(without.volume);
}
BENCHMARK(BM_PlacesCore)->Apply(places_sizes)->Iterations(1)->UseManualTime();

// --- BM_PlacesClp --------------------------------------------------------------

#ifdef JPCLEAR_BENCH_HAVE_CLP

// The LP of the delivered problem, as CLP is given it:
//     maximise  sum_l (P_l - m) x_l - sum_l (A_l - m) y_l - sum_r F_r f_r
//     port side of place q:      sum_{l at q} y_l - sum_{r from q} f_r = 0
//     delivery side of place q:  sum_{r to q} f_r - sum_{l at q} x_l = 0
//     0 <= x_l <= lots of bid level l, 0 <= y_l <= lots of offer level l,
//     0 <= f_r <= capacity of route r (none: unbounded)
// with a column per price level (all bids of one delivery place at one price,
// all offers of one port at one price) and per route. The shift by the
// round's lowest price m changes nothing (the rows make sum x = sum y) but
// keeps coefficients small: |objective| <= (max price - m + max F) * lots,
// checked below 2^53, so the optimum is exact in a double. The matrix is a
// network matrix (each column +1 in one row, -1 in another, or one entry),
// totally unimodular with integral bounds: simplex's basic solutions are
// whole lots. Aggregating the orders into levels is the LP's build (timed
// with it, apart from the solve); it gives CLP a small LP, a few thousand
// columns and 2 x 21 rows, whatever n.
//
// Checked on every round before timing: CLP proves optimality, its columns
// are whole lots within bounds (1e-6), every row balances exactly, and both
// the rounded objective and the allocation priced in int128 equal the
// engine's delivered welfare.

struct PlacesLp {
    std::vector<CoinBigIndex> start;
    std::vector<int> row;
    std::vector<double> element, lower, upper, objective;
    std::vector<std::int64_t> price;  ///< per column: P, A or F in ticks (unshifted)
    std::vector<int> kind;            ///< per column: +1 bid level, -1 offer level, 0 route
    std::size_t rows = 0;
    bool exact = true;
};

void build_lp(const Market& m, PlacesLp& lp) {
    const std::size_t places = m.nodes.size();
    lp.rows = 2 * places;  // port side q, then delivery side places + q
    lp.start.clear();
    lp.row.clear();
    lp.element.clear();
    lp.lower.clear();
    lp.upper.clear();
    lp.objective.clear();
    lp.price.clear();
    lp.kind.clear();

    std::int64_t low = INT64_MAX, high = INT64_MIN, freight = 0;
    int128 lots = 0;
    struct Key {
        std::uint32_t node;
        std::int64_t price, lots;
    };
    std::vector<Key> keys;
    auto levels = [&](const std::vector<std::uint32_t>& node, const std::vector<std::int64_t>& price,
                      const std::vector<std::int64_t>& size, int kind) {
        keys.resize(price.size());
        for (std::size_t i = 0; i < price.size(); ++i) {
            keys[i] = {node[i], price[i], size[i]};
            low = std::min(low, price[i]);
            high = std::max(high, price[i]);
            lots += size[i];
        }
        std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
            return a.node != b.node ? a.node < b.node : a.price < b.price;
        });
        for (std::size_t i = 0; i < keys.size();) {
            std::int64_t total = 0;
            std::size_t j = i;
            for (; j < keys.size() && keys[j].node == keys[i].node && keys[j].price == keys[i].price; ++j)
                total += keys[j].lots;
            lp.start.push_back(static_cast<CoinBigIndex>(lp.row.size()));
            lp.row.push_back(static_cast<int>(kind > 0 ? places + keys[i].node : keys[i].node));
            lp.element.push_back(kind > 0 ? -1.0 : 1.0);
            lp.lower.push_back(0.0);
            lp.upper.push_back(static_cast<double>(total));
            lp.price.push_back(keys[i].price);
            lp.kind.push_back(kind);
            i = j;
        }
    };
    levels(m.bid_node, m.bid_price, m.bid_lots, +1);
    levels(m.offer_node, m.offer_price, m.offer_lots, -1);
    for (const jpclear::Arc& a : m.arcs) {
        lp.start.push_back(static_cast<CoinBigIndex>(lp.row.size()));
        lp.row.push_back(static_cast<int>(a.from));
        lp.element.push_back(-1.0);
        lp.row.push_back(static_cast<int>(places + a.to));
        lp.element.push_back(1.0);
        lp.lower.push_back(0.0);
        lp.upper.push_back(a.capacity ? static_cast<double>(*a.capacity) : COIN_DBL_MAX);
        lp.price.push_back(a.freight);
        lp.kind.push_back(0);
        freight = std::max(freight, a.freight);
    }
    lp.start.push_back(static_cast<CoinBigIndex>(lp.row.size()));
    lp.objective.resize(lp.price.size());
    for (std::size_t j = 0; j < lp.price.size(); ++j)
        lp.objective[j] = lp.kind[j] > 0   ? static_cast<double>(lp.price[j] - low)
                          : lp.kind[j] < 0 ? -static_cast<double>(lp.price[j] - low)
                                           : -static_cast<double>(lp.price[j]);
    constexpr double two_to_53 = 9007199254740992.0;
    lp.exact = lots == 0 || static_cast<double>(static_cast<int128>(high - low + freight) * lots) < two_to_53;
}

void load(const PlacesLp& lp, ClpSimplex& model) {
    const std::vector<double> zero(lp.rows, 0.0);
    model.setLogLevel(0);
    model.loadProblem(static_cast<int>(lp.upper.size()), static_cast<int>(lp.rows), lp.start.data(), lp.row.data(),
                      lp.element.data(), lp.lower.data(), lp.upper.data(), lp.objective.data(), zero.data(),
                      zero.data());
    model.setOptimizationDirection(-1);  // maximise
}

constexpr const char* kClpMethod = "ClpSimplex::initialSolve (presolve, automatic method)";

/// CLP's solution checked and priced exactly; failure says why it is not an
/// allocation.
struct LpOutcome {
    int128 welfare = 0;             ///< the rounded columns priced in int128 (unshifted)
    std::int64_t objective = 0;     ///< CLP's objective, rounded
    std::int64_t volume = 0;
    std::string failure;
};

LpOutcome read_lp(const PlacesLp& lp, const ClpSimplex& model) {
    LpOutcome out;
    if (!model.isProvenOptimal()) {
        out.failure = "CLP did not prove optimality (status " + std::to_string(model.status()) + ")";
        return out;
    }
    const double* x = model.getColSolution();
    std::vector<std::int64_t> balance(lp.rows, 0);
    for (std::size_t j = 0; j < lp.price.size(); ++j) {
        const double r = std::nearbyint(x[j]);
        if (std::fabs(x[j] - r) > 1e-6 || r < 0 || r > lp.upper[j]) {
            out.failure = "CLP column " + std::to_string(j) + " = " + std::to_string(x[j]) +
                          " is not a whole number of lots within its bounds";
            return out;
        }
        const auto v = static_cast<std::int64_t>(r);
        for (CoinBigIndex e = lp.start[j]; e < lp.start[j + 1]; ++e)
            balance[static_cast<std::size_t>(lp.row[static_cast<std::size_t>(e)])] +=
                lp.element[static_cast<std::size_t>(e)] > 0 ? v : -v;
        const int128 value = static_cast<int128>(lp.price[j]) * v;
        out.welfare += lp.kind[j] > 0 ? value : -value;
        if (lp.kind[j] > 0) out.volume += v;
    }
    for (std::size_t i = 0; i < lp.rows; ++i)
        if (balance[i] != 0) {
            out.failure = "CLP's rounded allocation leaves " + std::to_string(balance[i]) + " lots at " +
                          (i < lp.rows / 2 ? "the port side" : "the delivery side") + " of place " +
                          std::to_string(i % (lp.rows / 2));
            return out;
        }
    out.objective = std::llround(model.objectiveValue());
    return out;
}

/// `calls` CLP solves, rounds taken in turn from `*k`, each with a fresh
/// model; the build (levels and loadProblem) and the solve timed apart.
ClpPerCall time_clp(const SizeSet& set, std::size_t& k, std::int64_t calls) {
    PlacesLp lp;
    auto build = [&](const Market& m, ClpSimplex& model) {
        build_lp(m, lp);
        load(lp, model);
    };
    return time_lp<ClpSimplex>(set, k, calls, build, [](ClpSimplex& model) { model.initialSolve(); });
}

void BM_PlacesClp(benchmark::State& state) {
    const SizeSet *plain = nullptr, *places = nullptr;
    if (!usable_pair(state, plain, places)) return;

    // Welfare first, on every round: a peer that disagrees is not timed.
    int128 first_core = 0;
    std::int64_t first_objective = 0, first_volume_core = 0, first_volume_clp = 0;
    std::size_t columns = 0, rows = 0;
    for (std::size_t i = 0; i < places->cases.size(); ++i) {
        const Market& m = places->cases[i]->book;
        const std::string round = "round " + std::to_string(i + 1) + ": ";
        PlacesLp lp;
        build_lp(m, lp);
        if (!lp.exact) {
            state.SkipWithError((round + "prices * lots reach 2^53: CLP's double objective would not be exact").c_str());
            return;
        }
        ClpSimplex model;
        load(lp, model);
        model.initialSolve();
        const LpOutcome clp = read_lp(lp, model);
        if (!clp.failure.empty()) {
            state.SkipWithError((round + clp.failure).c_str());
            return;
        }
        const jpclear::Solution core = jpclear::solve(m);
        const int128 w_core = delivered_welfare(m, core);
        if (w_core != clp.welfare || w_core != static_cast<int128>(clp.objective)) {
            state.SkipWithError((round + "welfare solve() " + int128_string(w_core) + " != CLP " +
                                 int128_string(clp.welfare) + " (objective " + std::to_string(clp.objective) +
                                 ") tick-lots")
                                    .c_str());
            return;
        }
        if (i == 0) {
            first_core = w_core;
            first_objective = clp.objective;
            first_volume_core = core.allocation.volume;
            first_volume_clp = clp.volume;
            columns = lp.price.size();
            rows = lp.rows;
        }
    }

    auto core = [](const Market& m) { places_solve(m); };
    CoreVsClp t;
    for (auto _ : state) {
        // The LP's batches are sized by its build and solve together.
        t = core_vs_clp(*places, core, time_clp, LpBatch::build_and_solve, 0.02);
        // The Time column shows the median wall time of one CLP solve.
        state.SetIterationTime(t.clp.solve.wall);
    }
    report_core_vs_clp(state, t);
    state.counters["lp_columns"] = static_cast<double>(columns);
    state.counters["lp_rows"] = static_cast<double>(rows);
    state.counters["welfare_core"] = static_cast<double>(first_core);
    state.counters["welfare_clp"] = static_cast<double>(first_objective);
    state.counters["volume_core"] = static_cast<double>(first_volume_core);
    state.counters["volume_clp"] = static_cast<double>(first_volume_clp);
    state.counters["welfare_equal"] = 1;
    state.SetLabel(std::string(kClpMethod) + "; welfare equal on all " + std::to_string(places->cases.size()) +
                   " rounds; round 1: solve() " + int128_string(first_core) + " = CLP " +
                   std::to_string(first_objective) + " tick-lots");
}
BENCHMARK(BM_PlacesClp)->Apply(places_sizes)->Iterations(1)->UseManualTime();

#endif  // JPCLEAR_BENCH_HAVE_CLP

// --- BM_PlacesBlocks -------------------------------------------------------------

constexpr std::uint64_t kBlockSeeds = 3;
constexpr int kBlockRuns = 3;  // per seed and kind; the median is reported
// A safety net, as in BM_BlockSearch: a round the search cannot prove in this
// long shows as not proven (optimality limit) instead of holding up the suite.
constexpr std::int64_t kBlockTimeLimitMs = 20'000;

/// Rounds with places, blocks and the cap, per seed, with the same round
/// without blocks and cap (the same orders, all divisible) as the baseline.
struct BlockPair {
    std::unique_ptr<Case> with, relaxed;
};
struct PlacesBlockRounds {
    std::vector<BlockPair> seeds;
    std::string problem;
};

const PlacesBlockRounds& places_block_rounds(std::int64_t n, std::uint32_t block_per_mille) {
    static std::map<std::pair<std::int64_t, std::uint32_t>, PlacesBlockRounds> cache;
    PlacesBlockRounds& r = cache[{n, block_per_mille}];
    if (!r.seeds.empty() || !r.problem.empty()) return r;
    for (std::uint64_t seed = 1; seed <= kBlockSeeds; ++seed) {
        BlockPair pair;
        for (const bool blocks : {true, false}) {
            jpclear::GenerateSpec spec = spec_for(n, seed);
            spec.places = true;
            spec.block_per_mille = blocks ? block_per_mille : 0;
            spec.origin_cap = blocks;
            auto c = std::make_unique<Case>();
            c->round = jpclear::generate_round(spec);
            jpclear::Prepared prepared = jpclear::prepare(c->round);
            if (!prepared.problems.empty() && r.problem.empty())
                r.problem = "seed " + std::to_string(seed) + ": " + prepared.problems.front().to_string();
            c->book = std::move(prepared.book);
            (blocks ? pair.with : pair.relaxed) = std::move(c);
        }
        if (r.problem.empty() && pair.with->book.is_convex())
            r.problem = "seed " + std::to_string(seed) + ": the round has no blocks and no cap";
        r.seeds.push_back(std::move(pair));
    }
    return r;
}

void BM_PlacesBlocks(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    const auto per_mille = static_cast<std::uint32_t>(state.range(1));
    const PlacesBlockRounds& rounds = places_block_rounds(n, per_mille);
    if (!rounds.problem.empty()) {
        state.SkipWithError(("generated round cannot be used: " + rounds.problem).c_str());
        return;
    }
    jpclear::Options options;
    options.time_limit_ms = kBlockTimeLimitMs;

    struct SeedResult {
        PerCall search, relaxed;
        jpclear::Solution found;
        int128 welfare = 0, relaxed_welfare = 0;
        std::string failure;
    };
    std::vector<SeedResult> results;
    for (auto _ : state) {
        results.clear();
        double worst = 0;
        for (const BlockPair& pair : rounds.seeds) {
            SeedResult r;
            std::vector<PerCall> search_v, relaxed_v;
            jpclear::Solution relaxed;
            for (int run = 0; run < kBlockRuns; ++run) {
                // Interleaved, the order alternating, as everywhere else.
                for (int kind = 0; kind < 2; ++kind) {
                    try {
                        if ((run + kind) % 2 == 0)
                            search_v.push_back(time_once([&] { r.found = jpclear::solve(pair.with->book, options); }));
                        else
                            relaxed_v.push_back(time_once([&] { relaxed = jpclear::solve(pair.relaxed->book); }));
                    } catch (const std::exception& e) {
                        r.failure = e.what();
                    }
                }
                if (!r.failure.empty()) break;
                // A search that runs into seconds is timed once.
                if (!search_v.empty() && search_v.back().wall > 2.0) break;
            }
            if (r.failure.empty()) {
                r.search = median(search_v);
                r.relaxed = median(relaxed_v);
                r.welfare = delivered_welfare(pair.with->book, r.found);
                r.relaxed_welfare = delivered_welfare(pair.relaxed->book, relaxed);
                worst = std::max(worst, r.search.wall);
            }
            results.push_back(std::move(r));
        }
        // The Time column shows the slowest seed's median wall time.
        state.SetIterationTime(worst);
    }
    for (std::size_t i = 0; i < results.size(); ++i)
        if (!results[i].failure.empty()) {
            state.SkipWithError(("seed " + std::to_string(i + 1) + ": solve() throws: " + results[i].failure).c_str());
            return;
        }

#ifdef JPCLEAR_BENCH_HAVE_CBC
    // The places oracle's exact rule check (spec 10: bounds, minimums,
    // balance, the cap, a price vector meeting 4(a)-(d)) on every answer.
    for (std::size_t i = 0; i < results.size(); ++i) {
        const jpclear::Solution& s = results[i].found;
        const auto check = jpclear::oracle::check_places_allocation(rounds.seeds[i].with->book, s.allocation.bid_fill,
                                                                    s.allocation.offer_fill, s.arc_flow);
        if (!check.ok || check.welfare != results[i].welfare) {
            state.SkipWithError(("seed " + std::to_string(i + 1) + ": the allocation breaks a rule: " + check.reason)
                                    .c_str());
            return;
        }
    }
#endif

    double worst_cpu = 0, worst_wall = 0, worst_ratio = 0;
    std::int64_t proven = 0, most_nodes = 0, binding = 0;
    std::vector<double> cpus, ratios;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const SeedResult& r = results[i];
        const bool is_proven = r.found.optimality == jpclear::Optimality::proven;
        proven += is_proven ? 1 : 0;
        worst_cpu = std::max(worst_cpu, r.search.cpu);
        worst_wall = std::max(worst_wall, r.search.wall);
        most_nodes = std::max(most_nodes, r.found.nodes);
        const double ratio = r.search.cpu / r.relaxed.cpu;
        worst_ratio = std::max(worst_ratio, ratio);
        cpus.push_back(r.search.cpu);
        ratios.push_back(ratio);
        // Whether blocks or the cap change this round's optimum (against the
        // same orders, all divisible, no cap, solved by clear_network()).
        const bool binds = r.welfare != r.relaxed_welfare;
        binding += binds ? 1 : 0;
        const std::string seed = "seed" + std::to_string(i + 1) + "_";
        state.counters[seed + "cpu_ms"] = r.search.cpu * 1e3;
        state.counters[seed + "wall_ms"] = r.search.wall * 1e3;
        state.counters[seed + "relaxed_cpu_ms"] = r.relaxed.cpu * 1e3;
        state.counters[seed + "over_relaxed_cpu"] = ratio;
        state.counters[seed + "nodes"] = static_cast<double>(r.found.nodes);
        state.counters[seed + "caps"] = static_cast<double>(r.found.prices);
        state.counters[seed + "proven"] = is_proven ? 1 : 0;
        state.counters[seed + "volume"] = static_cast<double>(r.found.allocation.volume);
        state.counters[seed + "welfare"] = static_cast<double>(r.welfare);
        state.counters[seed + "binding"] = binds ? 1 : 0;
    }
    state.counters["seeds"] = static_cast<double>(results.size());
    state.counters["block_per_mille"] = static_cast<double>(per_mille);
    state.counters["proven"] = static_cast<double>(proven);
    state.counters["binding"] = static_cast<double>(binding);
    state.counters["worst_cpu_ms"] = worst_cpu * 1e3;
    state.counters["worst_wall_ms"] = worst_wall * 1e3;
    state.counters["median_cpu_ms"] = median_value(cpus) * 1e3;
    state.counters["median_over_relaxed_cpu"] = median_value(ratios);
    state.counters["worst_over_relaxed_cpu"] = worst_ratio;
    state.counters["most_nodes"] = static_cast<double>(most_nodes);
#ifdef JPCLEAR_BENCH_HAVE_CBC
    state.counters["rules_checked"] = 1;  // by the places oracle's check_places_allocation
#else
    state.counters["rules_checked"] = 0;
#endif
    state.SetLabel(std::to_string(proven) + "/" + std::to_string(results.size()) + " proven; block_per_mille " +
                   std::to_string(per_mille) + ", cap 0.65, places; search time limit " +
                   std::to_string(kBlockTimeLimitMs) + " ms");
}
BENCHMARK(BM_PlacesBlocks)
    ->Args({10'000, 10})
    ->Args({10'000, 100})
    ->Args({100'000, 10})
    ->Args({100'000, 100})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseManualTime();

// --- BM_PlacesClear --------------------------------------------------------------

/// The parts of clear() on one round, timed one after another.
struct Parts {
    PerCall prepare, solve, build;
};

Parts time_parts(const Case& c) {
    Parts p;
    jpclear::Prepared prepared;
    jpclear::Solution solution;
    p.prepare = time_once([&] { prepared = jpclear::prepare(c.round); });
    p.solve = time_once([&] { solution = jpclear::solve(prepared.book); });
    p.build = time_once([&] {
        jpclear::Result r = jpclear::build_result(c.round, prepared.book, solution);
        benchmark::DoNotOptimize(r.bids.data());
    });
    return p;
}

/// Medians of each part over kBlockRuns rounds of `set`, taken in turn.
Parts median_parts(const SizeSet& set) {
    std::vector<PerCall> prepare, solve, build;
    std::size_t k = 0;
    for (int r = 0; r < kBlockRuns; ++r) {
        const Parts p = time_parts(*set.cases[k]);
        k = set.next(k);
        prepare.push_back(p.prepare);
        solve.push_back(p.solve);
        build.push_back(p.build);
    }
    return {median(prepare), median(solve), median(build)};
}

/// The whole clear() as a library caller makes it, with places and without,
/// on the same orders; then its three parts, so the ratio can be explained.
void BM_PlacesClear(benchmark::State& state) {
    const SizeSet *plain = nullptr, *places = nullptr;
    if (!usable_pair(state, plain, places)) return;
    for (const SizeSet* set : {places, plain})
        for (const std::unique_ptr<Case>& c : set->cases) {
            // Checked outside the timed loop: an input that fails would time
            // the error path.
            const jpclear::ClearOutcome o = jpclear::clear(c->round);
            if (!o.ok() || o.result->status != jpclear::RoundStatus::cleared) {
                state.SkipWithError("a generated round does not clear with a trade");
                return;
            }
        }
    auto clear = [](const Case& c) {
        jpclear::ClearOutcome o = jpclear::clear(c.round);
        benchmark::DoNotOptimize(o.result->bids.data());
    };
    Pair t;
    Parts with, without;
    for (auto _ : state) {
        t = interleaved(*places, clear, *plain, clear, 0.05);
        with = median_parts(*places);
        without = median_parts(*plain);
        // The Time column shows the median wall time of clear() with places.
        state.SetIterationTime(t.a.wall);
    }
    report_pair(state, t, "places", "one_place", places->orders);
    for (const auto& [prefix, p] : {std::pair{"places_", &with}, std::pair{"one_place_", &without}}) {
        const std::string s = prefix;
        state.counters[s + "prepare_cpu_us"] = p->prepare.cpu * 1e6;
        state.counters[s + "solve_cpu_us"] = p->solve.cpu * 1e6;
        state.counters[s + "build_cpu_us"] = p->build.cpu * 1e6;
    }
}
BENCHMARK(BM_PlacesClear)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1)->UseManualTime();

}  // namespace
