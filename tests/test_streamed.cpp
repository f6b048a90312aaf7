// clear_streamed() (clear.h): a StreamedResult must be the Result clear()
// gives, line for line and byte for byte (the JSON, and the summary, the CSV
// tables and the HTML report made from it), on every conformance case and on
// random rounds that reach every kind of line (blocks, caps, ineligible
// offers, places, pay-as-bid, no trade), and must fail as clear() fails.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "report/html_report.h"

namespace jpclear {
namespace {

namespace fs = std::filesystem;

void expect_same_line(const OrderResult& made, const OrderResult& held, const Result& result) {
    EXPECT_EQ(made.id, held.id);
    EXPECT_EQ(made.order.value, held.order.value);
    EXPECT_EQ(made.filled.count, held.filled.count);
    EXPECT_EQ(made.status, held.status);
    EXPECT_EQ(made.reason_code, held.reason_code);
    EXPECT_EQ(made.reason, held.reason);
    EXPECT_EQ(made.price.has_value(), held.price.has_value());
    if (made.price && held.price) {
        EXPECT_EQ(*made.price, *held.price);
    }
    EXPECT_EQ(reason_text(result, made), reason_text(result, held));
}

// Everything clear() says of `round`, said again by clear_streamed(). A
// node limit, not a time limit, bounds the searches: a search that ends at
// its limit must end at the same place both times.
void expect_streamed_as_held(const Round& round) {
    Options options;
    options.node_limit = 5'000;
    const ClearOutcome held = clear(round, options);
    StreamedOutcome lazy = clear_streamed(round, options);
    ASSERT_EQ(lazy.status, held.status);
    ASSERT_EQ(lazy.problems.size(), held.problems.size());
    for (std::size_t i = 0; i < held.problems.size(); ++i) {
        EXPECT_EQ(lazy.problems[i].path, held.problems[i].path);
        EXPECT_EQ(lazy.problems[i].message, held.problems[i].message);
    }
    if (!held.ok()) {
        EXPECT_FALSE(lazy.result.has_value());
        return;
    }
    // Moved before use: the lines refer to state the move must carry along.
    const StreamedResult streamed = std::move(*lazy.result);
    const Result& result = *held.result;
    EXPECT_TRUE(streamed.totals().bids.empty());
    EXPECT_TRUE(streamed.totals().offers.empty());
    ASSERT_EQ(streamed.bid_count(), result.bids.size());
    ASSERT_EQ(streamed.offer_count(), result.offers.size());
    for (std::size_t i = 0; i < result.bids.size(); ++i) expect_same_line(streamed.bid(i), result.bids[i], result);
    for (std::size_t i = 0; i < result.offers.size(); ++i)
        expect_same_line(streamed.offer(i), result.offers[i], result);
    const std::string json = result_json(round, result);
    EXPECT_EQ(result_json(round, streamed), json);
    std::ostringstream written;
    write_result_json(written, round, streamed);
    EXPECT_EQ(written.str(), json);
    EXPECT_EQ(result_json(streamed.materialized()), json);

    // What the command line writes beside the JSON reads the lines again:
    // the same text from the StreamedResult as from the Result.
    SummaryOptions every_order;
    every_order.orders = true;
    every_order.order_rows = 0;
    EXPECT_EQ(summary_table(round, streamed, every_order), summary_table(round, result, every_order));
    EXPECT_EQ(summary_table(round, streamed), summary_table(round, result));
    for (const CsvStyle& style : {CsvStyle{}, CsvStyle::excel_eu()})
        for (CsvTable table : csv_tables(streamed.totals())) {
            std::ostringstream made, held_csv;
            write_result_csv(made, table, round, streamed, style);
            write_result_csv(held_csv, table, round, result, style);
            EXPECT_EQ(made.str(), held_csv.str()) << csv_file_name(table);
        }
    EXPECT_EQ(csv_tables(streamed.totals()), csv_tables(result));
    std::ostringstream page_made, page_held;
    write_html_report(page_made, round, streamed);
    write_html_report(page_held, round, result);
    EXPECT_EQ(page_made.str(), page_held.str());
}

TEST(Streamed, EveryConformanceCaseAsClear) {
    const fs::path cases = fs::path(JPCLEAR_SHARED_DIR) / "cases";
    if (!fs::is_directory(cases)) GTEST_SKIP() << "no conformance cases under " << JPCLEAR_SHARED_DIR;
    std::vector<fs::path> rounds;
    for (const auto& entry : fs::recursive_directory_iterator(cases))
        if (entry.is_regular_file() && entry.path().filename() == "round.json") rounds.push_back(entry.path());
    std::sort(rounds.begin(), rounds.end());
    ASSERT_FALSE(rounds.empty());
    for (const fs::path& path : rounds) {
        SCOPED_TRACE(path.string());
        const RoundRead read = read_round_file(path.string());
        if (read.round) expect_streamed_as_held(*read.round);
    }
}

TEST(Streamed, RandomRoundsAsClear) {
    const char* scenarios[] = {"lithium-refined", "two-giants"};
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        GenerateSpec spec{.bids = 100 + 37 * (seed % 7), .offers = 30 + 11 * (seed % 5), .seed = seed};
        spec.block_per_mille = seed % 3 == 0 ? 250 : 0;
        spec.origin_cap = seed % 4 == 1;
        spec.places = seed % 5 == 2;
        if (spec.origin_cap) {
            spec.cap_share = Decimal::from_units(45, 2);
            spec.origin_weights = *scenario_weights(scenarios[seed % 2]);
        }
        Round round = generate_round(spec);
        if (seed % 2 == 0) round.rules.pricing = PricingRule::pay_as_bid;
        if (seed % 6 == 5) {
            round.rules.excluded_origins = {"CN"};
            round.rules.require_certified = true;
        }
        if (seed % 8 == 7)  // nothing trades
            for (Offer& o : round.offers) o.ask = o.ask * Decimal::integer(100);
        SCOPED_TRACE("seed " + std::to_string(seed));
        expect_streamed_as_held(round);
    }
}

TEST(Streamed, AnInvalidRoundGetsClearsProblems) {
    Round round = generate_round({.bids = 20, .offers = 8, .seed = 3});
    round.bids[2].lots = 0;
    round.offers[1].id = round.bids[0].id;
    round.rules.tick = Decimal();
    expect_streamed_as_held(round);
    EXPECT_EQ(clear_streamed(round).status, CallStatus::invalid_input);
}

TEST(Streamed, LinesOutOfRangeThrow) {
    const Round round = generate_round({.bids = 10, .offers = 4, .seed = 5});
    const StreamedOutcome out = clear_streamed(round);
    ASSERT_TRUE(out.ok());
    EXPECT_THROW((void)out.result->bid(10), std::out_of_range);
    EXPECT_THROW((void)out.result->offer(4), std::out_of_range);
    EXPECT_NO_THROW((void)out.result->offer(3));
}

}  // namespace
}  // namespace jpclear
