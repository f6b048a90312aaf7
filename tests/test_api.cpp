// The public API around clear(): the compiled clear() / validate() of
// clear.h against the header-only clear_inline() / validate_inline() of
// clear_inline.h (both in one program, as a user may have them), the
// cooperative stop flag of Options, and the stream operators of Decimal and
// the strong types.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <thread>

#include "jpclear/clear.h"
#include "jpclear/clear_inline.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/units.h"

namespace {

using jpclear::dec;

std::string problems_text(const jpclear::Problems& problems) {
    std::string text;
    for (const jpclear::Problem& p : problems) text += p.to_string() + "\n";
    return text;
}

TEST(Api, CompiledAndInlineClearGiveTheSameResult) {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        jpclear::GenerateSpec spec;
        spec.bids = 30;
        spec.offers = 10;
        spec.seed = seed;
        spec.block_per_mille = seed % 2 ? 250 : 0;
        spec.places = seed % 3 == 0;
        const jpclear::Round round = jpclear::generate_round(spec);
        jpclear::Options options;
        options.node_limit = 3000;
        const jpclear::ClearOutcome compiled = jpclear::clear(round, options);
        const jpclear::ClearOutcome inlined = jpclear::clear_inline(round, options);
        ASSERT_TRUE(compiled.ok()) << problems_text(compiled.problems);
        ASSERT_TRUE(inlined.ok());
        EXPECT_EQ(jpclear::result_json(round, *compiled.result), jpclear::result_json(round, *inlined.result))
            << "seed " << seed;
        EXPECT_TRUE(jpclear::validate(round).empty());
        EXPECT_TRUE(jpclear::validate_inline(round).empty());
    }
}

TEST(Api, CompiledAndInlineClearReportTheSameProblems) {
    jpclear::Round round;  // no id, no material, no orders: several problems
    round.bids.emplace_back();
    const jpclear::ClearOutcome compiled = jpclear::clear(round);
    const jpclear::ClearOutcome inlined = jpclear::clear_inline(round);
    EXPECT_EQ(compiled.status, jpclear::CallStatus::invalid_input);
    EXPECT_FALSE(compiled.result);
    EXPECT_EQ(inlined.status, jpclear::CallStatus::invalid_input);
    EXPECT_GT(compiled.problems.size(), 1u);
    EXPECT_EQ(problems_text(compiled.problems), problems_text(inlined.problems));
    EXPECT_EQ(problems_text(jpclear::validate(round)), problems_text(compiled.problems));
    EXPECT_EQ(problems_text(jpclear::validate_inline(round)), problems_text(compiled.problems));
}

// A round whose exact search runs for minutes: an origin cap that binds, and
// in one place (block search) every order a block, with places (network
// search) half of them. (In one place, half of 260 orders as blocks at cap
// 0.5 is proven in milliseconds since the search prices the cap at its nodes.)
jpclear::Round long_search_round(bool places) {
    jpclear::GenerateSpec spec;
    spec.bids = places ? 300 : 400;
    spec.offers = places ? 80 : 100;
    spec.block_per_mille = places ? 500 : 1000;
    spec.origin_cap = true;
    spec.origin_weights = *jpclear::scenario_weights("lithium-refined");
    spec.cap_share = dec(places ? "0.5" : "0.2");
    spec.places = places;
    return jpclear::generate_round(spec);
}

// No node limit to speak of; a time limit far above what the test allows
// itself, so a stop flag that is not read shows as a slow call.
jpclear::Options unbounded(const std::atomic<bool>* stop) {
    jpclear::Options options;
    options.node_limit = std::numeric_limits<std::int64_t>::max();
    options.time_limit_ms = 120'000;
    options.stop = stop;
    return options;
}

constexpr auto allowed = std::chrono::seconds(60);

TEST(Cancel, AStopSetBeforeTheCallEndsTheSearchAtOnce) {
    for (const bool places : {false, true}) {
        const jpclear::Round round = long_search_round(places);
        const std::atomic<bool> stop{true};
        const auto start = std::chrono::steady_clock::now();
        const jpclear::ClearOutcome outcome = jpclear::clear(round, unbounded(&stop));
        EXPECT_LT(std::chrono::steady_clock::now() - start, allowed) << "places " << places;
        ASSERT_TRUE(outcome.ok()) << problems_text(outcome.problems);
        EXPECT_EQ(outcome.result->optimality, jpclear::Optimality::limit);
        EXPECT_TRUE(outcome.result->bound);
    }
}

TEST(Cancel, AnotherThreadStopsARunningSearch) {
    for (const bool places : {false, true}) {
        const jpclear::Round round = long_search_round(places);
        std::atomic<bool> stop{false};
        const auto start = std::chrono::steady_clock::now();
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            stop = true;
        });
        const jpclear::ClearOutcome outcome = jpclear::clear(round, unbounded(&stop));
        canceller.join();
        EXPECT_LT(std::chrono::steady_clock::now() - start, allowed) << "places " << places;
        ASSERT_TRUE(outcome.ok()) << problems_text(outcome.problems);
        EXPECT_EQ(outcome.result->optimality, jpclear::Optimality::limit) << "places " << places;
        EXPECT_TRUE(outcome.result->bound);  // the best found so far may still be no trade
    }
}

TEST(Cancel, AFlagLeftUnsetChangesNothing) {
    const jpclear::Round round = long_search_round(false);
    jpclear::Options plain;
    plain.node_limit = 20'000;
    const std::atomic<bool> stop{false};
    jpclear::Options with_flag = plain;
    with_flag.stop = &stop;
    const jpclear::ClearOutcome a = jpclear::clear(round, plain);
    const jpclear::ClearOutcome b = jpclear::clear(round, with_flag);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(jpclear::result_json(round, *a.result), jpclear::result_json(round, *b.result));
}

template <class T>
std::string streamed(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

TEST(Streams, DecimalWritesItsExactText) {
    EXPECT_EQ(streamed(dec("14050")), "14050");
    EXPECT_EQ(streamed(dec("14050.50")), "14050.5");
    EXPECT_EQ(streamed(dec("-0.05")), "-0.05");
    EXPECT_EQ(streamed(dec("0.000")), "0");
    EXPECT_EQ(streamed(dec("12345678901234567890.123456789012345678")), "12345678901234567890.123456789012345678");
}

TEST(Streams, DecimalTakesWidthFillAndAlignAsOneField) {
    std::ostringstream out;
    out << std::setw(8) << dec("1.5") << '|' << std::left << std::setfill('.') << std::setw(6) << dec("-2") << '|'
        << dec("3");
    EXPECT_EQ(out.str(), "     1.5|-2....|3");
}

TEST(Streams, StrongTypesWriteTheirNumber) {
    EXPECT_EQ(streamed(jpclear::Lots{12}), "12");
    EXPECT_EQ(streamed(jpclear::Lots{-3}), "-3");
    EXPECT_EQ(streamed(jpclear::Ticks{1405000}), "1405000");
    EXPECT_EQ(streamed(jpclear::OrderIndex{7}), "7");
    std::ostringstream out;
    out << std::setw(5) << jpclear::Lots{42};
    EXPECT_EQ(out.str(), "   42");
}

}  // namespace
