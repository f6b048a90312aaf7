// Pins the bytes of written results: the JSON document (from a Result and
// from a StreamedResult), every CSV table and the summary with its orders, for generated rounds that between them reach
// every reason sentence (prices outside, the margin, blocks, origin caps,
// ineligible offers, places and full routes, pay-as-bid, no trade).
//
// The writers and the result builder are tuned for speed; a change there
// must not change one byte. A deliberate change of the output (or of the
// generator) updates these values.

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"

namespace jpclear {
namespace {

std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h;
}

struct Written {
    std::uint64_t json = 0, csv = 0, summary = 0;
    std::size_t json_bytes = 0;
    std::set<ReasonCode> reasons;
};

Written write_all(const Round& round) {
    const ClearOutcome out = clear(round);
    EXPECT_TRUE(out.ok());
    if (!out.ok()) return {};
    const Result& result = *out.result;
    Written w;
    for (const auto* side : {&result.bids, &result.offers})
        for (const OrderResult& o : *side) w.reasons.insert(o.reason_code);
    const std::string json = result_json(round, result);
    w.json = fnv1a(json);
    w.json_bytes = json.size();
    // The stream form must write what the string form does.
    std::ostringstream streamed;
    write_result_json(streamed, round, result);
    EXPECT_EQ(streamed.str(), json);
    // So must a StreamedResult, whose lines are made as they are written.
    const StreamedOutcome lazy = clear_streamed(round);
    EXPECT_TRUE(lazy.ok());
    if (lazy.ok()) {
        std::ostringstream made;
        write_result_json(made, round, *lazy.result);
        EXPECT_EQ(made.str(), json);
        EXPECT_EQ(result_json(round, *lazy.result), json);
        EXPECT_EQ(result_json(lazy.result->materialized()), json);
    }
    std::string csv;
    for (CsvTable table : csv_tables(result))
        for (const CsvStyle& style : {CsvStyle{}, CsvStyle::excel_eu()}) {
            std::ostringstream s;
            write_result_csv(s, table, round, result, style);
            csv += s.str();
        }
    w.csv = fnv1a(csv);
    SummaryOptions all;
    all.orders = true;
    all.order_rows = 0;
    w.summary = fnv1a(summary_table(round, result, all));
    return w;
}

// `reaches`: the reasons the round must give, so that a pin keeps covering them.
void expect_pinned(const char* name, const Round& round, std::initializer_list<ReasonCode> reaches,
                   std::uint64_t json, std::uint64_t csv, std::uint64_t summary) {
    const Written w = write_all(round);
    for (ReasonCode code : reaches) EXPECT_TRUE(w.reasons.count(code)) << name << ": no " << to_string(code);
    EXPECT_EQ(w.json, json) << name << std::hex << ": json 0x" << w.json << " (" << std::dec << w.json_bytes
                            << " bytes)";
    EXPECT_EQ(w.csv, csv) << name << std::hex << ": csv 0x" << w.csv;
    EXPECT_EQ(w.summary, summary) << name << std::hex << ": summary 0x" << w.summary;
}

TEST(ResultBytes, PlainRound) {
    expect_pinned("plain", generate_round({.bids = 3000, .offers = 900, .seed = 11}),
                  {ReasonCode::price_outside, ReasonCode::marginal_share},
                  0x77e311f98303d14aull, 0xd93b27dc997aa031ull, 0xdeb0896a2a78af08ull);
}

TEST(ResultBytes, BlocksAndCapWhereTheCapBinds) {
    // Small enough that the search proves its optimum: a round it ends at a
    // limit gives the search's best so far, which any change of the search's
    // order may move, and this test is about the writers, not the search.
    const GenerateSpec s{.bids = 120, .offers = 40, .seed = 12, .block_per_mille = 300, .origin_cap = true,
                         .cap_share = Decimal::from_units(50, 2),
                         .origin_weights = *scenario_weights("lithium-refined")};
    const ClearOutcome cleared = clear(generate_round(s));
    ASSERT_TRUE(cleared.ok());
    EXPECT_EQ(cleared.result->optimality, Optimality::proven);
    expect_pinned("blocks+cap", generate_round(s), {ReasonCode::block_not_placed, ReasonCode::origin_cap},
                  0xb81548a4acab70b5ull, 0x591648f37fcf82fbull, 0x4ad7e3bc3736f89dull);
}

TEST(ResultBytes, IneligibleOffersAndPayAsBid) {
    Round r = generate_round({.bids = 2000, .offers = 700, .seed = 13});
    r.rules.excluded_origins = {"CN"};
    r.rules.require_certified = true;
    r.rules.pricing = PricingRule::pay_as_bid;
    expect_pinned("ineligible+pay-as-bid", r,
                  {ReasonCode::excluded_origin, ReasonCode::not_certified, ReasonCode::marginal_share},
                  0xa59ec987391eb4e1ull, 0x6fe5f794643adc3eull, 0x87b616d307df2beaull);
}

TEST(ResultBytes, PlacesWithFullRoutes) {
    expect_pinned("places", generate_round({.bids = 3000, .offers = 900, .seed = 14, .places = true}),
                  {ReasonCode::route_full, ReasonCode::marginal_share},
                  0x2a7bab83eda2d6cull, 0xb7be596aad1783c9ull, 0x7d68b21f1cdecb77ull);
}

TEST(ResultBytes, PlacesBlocksCapPayAsBid) {
    Round r = generate_round({.bids = 1000, .offers = 300, .seed = 15, .block_per_mille = 300, .origin_cap = true,
                              .places = true, .cap_share = Decimal::from_units(40, 2),
                              .origin_weights = *scenario_weights("two-giants")});
    r.rules.pricing = PricingRule::pay_as_bid;
    expect_pinned("places+blocks+cap+pay-as-bid", r, {ReasonCode::price_outside, ReasonCode::marginal_share},
                  0xbccdcf3a0777a141ull, 0x9525a3c2026021feull, 0xad7d2256189f2d88ull);
}

TEST(ResultBytes, NoTrade) {
    Round r = generate_round({.bids = 300, .offers = 100, .seed = 16});
    for (Offer& o : r.offers) o.ask = o.ask * Decimal::integer(100);
    expect_pinned("no trade", r, {ReasonCode::no_trade},
                  0xae4e1ae1f33280c1ull, 0x1c32b361ae324b8aull, 0xe21c230eb47d1e95ull);
}

}  // namespace
}  // namespace jpclear
