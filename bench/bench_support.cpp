// Shared parts of jpclear_bench; see bench_support.h.

#include "bench_support.h"

#include <cstdlib>
#include <ctime>
#include <map>
#include <string_view>

namespace jpclear::bench {

bool env_is_one(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && std::string_view(v) == "1";
}

std::int64_t env_positive(const char* name, std::int64_t fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr) return fallback;
    char* end = nullptr;
    const long long parsed = std::strtoll(v, &end, 10);
    return (end != v && *end == '\0' && parsed > 0) ? static_cast<std::int64_t>(parsed) : fallback;
}

GenerateSpec spec_for(std::int64_t n, std::uint64_t seed) {
    GenerateSpec spec;
    spec.offers = static_cast<std::uint64_t>((n + 5) / 11);
    spec.bids = static_cast<std::uint64_t>(n) - spec.offers;
    spec.seed = seed;
    spec.block_per_mille = 0;
    spec.origin_cap = false;
    return spec;
}

namespace {

/// Enough rounds to hold 10^5 orders in all. Timing the same small input over
/// and over lets the CPU's branch predictor learn its data-dependent
/// branches (sorting one fixed 10^3-order round measured ~4 ns an order but
/// ~45 ns once 16 rounds took turns); no real round is cleared twice.
/// JPCLEAR_BENCH_ONE_ROUND=1 goes back to one round per size, to see it.
std::size_t rounds_for(std::int64_t n) {
    constexpr std::int64_t orders_to_defeat_prediction = 100'000;
    if (env_is_one("JPCLEAR_BENCH_ONE_ROUND")) return 1;
    return static_cast<std::size_t>(std::max<std::int64_t>(1, (orders_to_defeat_prediction + n - 1) / n));
}

}  // namespace

// Benchmarks run one at a time on one thread, so the cache needs no lock.
const SizeSet& size_set(std::int64_t n) {
    static std::map<std::int64_t, SizeSet> cache;
    SizeSet& set = cache[n];
    if (set.cases.empty()) {
        set.ok = true;
        const std::size_t count = rounds_for(n);
        for (std::uint64_t seed = 1; seed <= count; ++seed) {
            auto c = std::make_unique<Case>();
            auto generated = heap_use_of([&] { return generate_round(spec_for(n, seed)); });
            c->round = std::move(generated.value);
            c->round_heap_bytes = generated.heap.held;
            Prepared prepared = prepare(c->round);
            set.ok = set.ok && prepared.problems.empty() && prepared.book.is_convex() &&
                     clear_convex(prepared.book).volume > 0;
            c->book = std::move(prepared.book);
            set.cases.push_back(std::move(c));
        }
        set.orders = static_cast<std::int64_t>(set.cases.front()->book.bid_count() +
                                               set.cases.front()->book.offer_count());
    }
    return set;
}

const SizeSet* usable_set(benchmark::State& state) {
    const SizeSet& set = size_set(state.range(0));
    if (!set.ok) {
        state.SkipWithError("a generated round is invalid, not convex or does not trade");
        return nullptr;
    }
    state.counters["rounds"] = static_cast<double>(set.cases.size());
    return &set;
}

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// ns_per_order is items_per_second turned round, because that is how people
// compare sizes; it is a plain counter in nanoseconds (an inverted rate
// counter would print as seconds and store 1e-9 scale values in the JSON).
void report_per_order(benchmark::State& state, std::int64_t orders, double cpu_s) {
    state.SetItemsProcessed(state.iterations() * orders);
    if (state.iterations() > 0 && orders > 0)
        state.counters["ns_per_order"] =
            cpu_s * 1e9 / (static_cast<double>(state.iterations()) * static_cast<double>(orders));
}

double median_value(std::vector<double> v) {
    if (v.empty()) return 0;
    const auto m = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), m, v.end());
    return *m;
}

PerCall median(const std::vector<PerCall>& v) {
    std::vector<double> wall, cpu;
    for (const PerCall& t : v) {
        wall.push_back(t.wall);
        cpu.push_back(t.cpu);
    }
    return {median_value(std::move(wall)), median_value(std::move(cpu))};
}

void report_core_vs_clp(benchmark::State& state, const CoreVsClp& t) {
    state.counters["core_us"] = t.core.wall * 1e6;
    state.counters["core_cpu_us"] = t.core.cpu * 1e6;
    state.counters["clp_solve_us"] = t.clp.solve.wall * 1e6;
    state.counters["clp_solve_cpu_us"] = t.clp.solve.cpu * 1e6;
    state.counters["clp_build_us"] = t.clp.build.wall * 1e6;
    state.counters["clp_build_cpu_us"] = t.clp.build.cpu * 1e6;
    state.counters["clp_over_core"] = t.clp.solve.wall / t.core.wall;
    state.counters["clp_over_core_cpu"] = t.clp.solve.cpu / t.core.cpu;
    state.counters["clp_with_build_over_core_cpu"] = (t.clp.build.cpu + t.clp.solve.cpu) / t.core.cpu;
}

void clear_core(const OrderBook& book, ConvexWorkspace& ws) {
    Allocation a = clear_convex(book, ws);
    benchmark::DoNotOptimize(a.volume);
    benchmark::DoNotOptimize(a.bid_fill.data());
    benchmark::DoNotOptimize(a.offer_fill.data());
}

int128 welfare_of(const OrderBook& book, const std::vector<std::int64_t>& bid_fill,
                  const std::vector<std::int64_t>& offer_fill) {
    int128 w = 0;
    for (std::size_t b = 0; b < book.bid_count(); ++b) w += static_cast<int128>(book.bid_price[b]) * bid_fill[b];
    for (std::size_t o = 0; o < book.offer_count(); ++o)
        w -= static_cast<int128>(book.offer_price[o]) * offer_fill[o];
    return w;
}

std::string int128_string(int128 v) {
    if (v == 0) return "0";
    const bool negative = v < 0;
    // Digits of the magnitude, taken from a negative value so that the most
    // negative int128 needs no special case.
    std::string digits;
    for (int128 x = negative ? v : -v; x != 0; x /= 10) digits.push_back(static_cast<char>('0' - x % 10));
    if (negative) digits.push_back('-');
    return {digits.rbegin(), digits.rend()};
}

void all_sizes(benchmark::internal::Benchmark* b) {
    for (std::int64_t n = 1'000; n <= 1'000'000; n *= 10) b->Arg(n);
    if (env_is_one("JPCLEAR_BENCH_HUGE")) b->Arg(10'000'000);
    b->Unit(benchmark::kMicrosecond);
}

}  // namespace jpclear::bench
