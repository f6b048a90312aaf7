// plausibility_warnings(): valid rounds that are probably not what their
// owner meant, and the many that are fine.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "jpclear/plausibility.h"

#ifndef JPCLEAR_SOURCE_DIR
#define JPCLEAR_SOURCE_DIR "."
#endif

namespace jpclear {
namespace {

Decimal dec(const char* text) { return *Decimal::parse(text).value; }

Bid bid(std::string id, const char* limit, std::optional<std::string> currency = std::nullopt, std::int64_t lots = 5) {
    Bid b;
    b.id = id;
    b.buyer = "B-" + id;
    b.bloc = currency ? "JP" : "EU";
    b.lots = lots;
    b.limit = dec(limit);
    b.currency = std::move(currency);
    return b;
}

Offer offer(std::string id, const char* ask, std::string origin = "AU", std::int64_t lots = 5) {
    Offer o;
    o.id = id;
    o.supplier = "S-" + id;
    o.origin = std::move(origin);
    o.lots = lots;
    o.ask = dec(ask);
    return o;
}

// EU bids in EUR, JP bids in JPY at a sensible rate, offers in EUR.
Round pooled(const char* jpy_rate) {
    Round r;
    r.id = "pooled";
    r.material.code = "LI2CO3";
    r.material.lot_tonnes = Decimal::integer(20);
    r.currency = "EUR";
    r.fx["JPY"] = dec(jpy_rate);
    r.bids = {bid("eu-1", "14800.00"), bid("eu-2", "14050.50"), bid("jp-1", "2400000", "JPY"),
              bid("jp-2", "2300001", "JPY"), bid("jp-3", "2390000", "JPY")};
    r.offers = {offer("au-1", "13950.00"), offer("cl-1", "14010.25", "CL"), offer("ar-1", "14400", "AR")};
    return r;
}

std::string listed(const Warnings& ws) {
    std::string out;
    for (const Warning& w : ws) out += "\n  " + w.to_string();
    return out.empty() ? " (none)" : out;
}

TEST(Plausibility, ASensibleRoundHasNoWarnings) {
    const Round r = pooled("0.0061");
    ASSERT_TRUE(validate(r).empty());
    EXPECT_TRUE(plausibility_warnings(r).empty()) << listed(plausibility_warnings(r));
}

TEST(Plausibility, AnInvertedRateIsOneWarningOnItsFxEntryWithTheInverse) {
    const Round r = pooled("161.3");
    ASSERT_TRUE(validate(r).empty());
    const Warnings ws = plausibility_warnings(r);
    ASSERT_EQ(ws.size(), 1u) << listed(ws);
    EXPECT_EQ(ws[0].kind, WarningKind::fx_rate);
    EXPECT_EQ(ws[0].path, "fx.JPY");
    // Medians are order statistics: 2390000 JPY among the yen prices, 14050.50
    // EUR among the euro prices (lower median of 14800, 14050.50, 13950,
    // 14010.25, 14400), and 2390000 x 161.3 = 385507000 exactly.
    EXPECT_EQ(ws[0].message,
              "161.3 EUR per JPY makes the JPY prices about 27437 times those in EUR: their median 2390000 JPY "
              "converts to 385507000.00 EUR, the median in EUR is 14050.50 EUR; is the rate inverted? 1/161.3 = "
              "0.0062 would make it 14818.00 EUR");
    // The yen bids are not named one by one as well.
    for (const Warning& w : ws) EXPECT_NE(w.kind, WarningKind::price_outlier);
}

TEST(Plausibility, ARateOffByAFactorIsNamedWithoutGuessingTheInverse) {
    const Round r = pooled("0.061");  // a digit too few in the rate
    const Warnings ws = plausibility_warnings(r);
    ASSERT_EQ(ws.size(), 1u) << listed(ws);
    EXPECT_EQ(ws[0].path, "fx.JPY");
    EXPECT_NE(ws[0].message.find("about 10 times"), std::string::npos) << ws[0].message;
    EXPECT_TRUE(ws[0].message.ends_with("check the rate (the value of one JPY in EUR)")) << ws[0].message;

    const Warnings low = plausibility_warnings(pooled("0.00006"));
    ASSERT_EQ(low.size(), 1u) << listed(low);
    EXPECT_NE(low[0].message.find("about 1/"), std::string::npos) << low[0].message;
}

TEST(Plausibility, WithoutPricesInTheClearingCurrencyRatesAreNotJudged) {
    Round r = pooled("161.3");
    r.bids.erase(r.bids.begin(), r.bids.begin() + 2);
    for (Offer& o : r.offers) {
        o.currency = "JPY";
        o.ask = dec("2300000");
    }
    for (const Warning& w : plausibility_warnings(r)) EXPECT_NE(w.kind, WarningKind::fx_rate) << w.to_string();
}

TEST(Plausibility, APriceFarFromItsSideIsNamedWithItsPath) {
    Round r = pooled("0.0061");
    r.bids[1].limit = dec("1405050");  // a misplaced decimal mark
    r.offers.push_back(offer("pt-1", "1395", "PT"));
    r.offers.push_back(offer("zz-0", "0", "ZW"));  // at any price: fine
    const Warnings ws = plausibility_warnings(r);
    ASSERT_EQ(ws.size(), 2u) << listed(ws);
    EXPECT_EQ(ws[0].kind, WarningKind::price_outlier);
    EXPECT_EQ(ws[0].path, "bids[1].limit");
    EXPECT_EQ(ws[0].message, "1405050 EUR is about 95 times the median limit of the bids (14640.00 EUR); a typo or "
                             "a misplaced decimal mark?");
    EXPECT_EQ(ws[1].path, "offers[3].ask");
    EXPECT_EQ(ws[1].message, "1395 EUR is about 1/10 of the median ask of the offers (13950.00 EUR); a typo or a "
                             "misplaced decimal mark?");
}

TEST(Plausibility, ManyOutliersAreCountedAfterTheFirstFew) {
    Round r = pooled("0.0061");
    for (int i = 0; i < 20; ++i) r.bids.push_back(bid("x-" + std::to_string(i), "14500"));
    for (int i = 0; i < 8; ++i) r.bids.push_back(bid("y-" + std::to_string(i), "1450000"));
    PlausibilityOptions options;
    options.max_price_warnings = 3;
    const Warnings ws = plausibility_warnings(r, options);
    ASSERT_EQ(ws.size(), 4u) << listed(ws);
    EXPECT_EQ(ws[0].path, "bids[25].limit");
    EXPECT_EQ(ws[3].path, "bids");
    EXPECT_EQ(ws[3].message, "5 more bids have a limit at least 10 times above or below the median (14500.00 EUR); "
                             "the first 3 are named above");
}

TEST(Plausibility, ACapOfOneCannotBind) {
    Round r = pooled("0.0061");
    r.rules.max_origin_share = Decimal::integer(1);
    const Warnings ws = plausibility_warnings(r);
    ASSERT_EQ(ws.size(), 1u) << listed(ws);
    EXPECT_EQ(ws[0].kind, WarningKind::cap_cannot_bind);
    EXPECT_EQ(ws[0].path, "rules.max_origin_share");
    EXPECT_TRUE(ws[0].message.starts_with("1 cannot bind")) << ws[0].message;
}

TEST(Plausibility, ACapThatAllowsNoTradeIsSaidAndClearingAgrees) {
    Round r = pooled("0.0061");
    r.rules.max_origin_share = dec("0.3");  // three origins: 3 x 0.3 < 1
    Warnings ws = plausibility_warnings(r);
    ASSERT_EQ(ws.size(), 1u) << listed(ws);
    EXPECT_EQ(ws[0].kind, WarningKind::cap_forbids_trade);
    EXPECT_EQ(ws[0].message, "0.3 allows no trade: only 3 origins have eligible lots (AR, AU, CL), and 3 x 0.3 = "
                             "0.9 < 1 of the volume; the round will clear no trade");
    const ClearOutcome out = clear(r);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->cleared_lots.count, 0);

    // Excluded origins do not count; nor do uncertified ones when certification is required.
    r.rules.max_origin_share = dec("0.4");
    EXPECT_TRUE(plausibility_warnings(r).empty());
    r.rules.excluded_origins = {"AR"};
    EXPECT_EQ(plausibility_warnings(r).size(), 1u);

    // Too few lots to trade: a share of 0.1 of at most 6 lots is no lot at all.
    Round small = pooled("0.0061");
    small.bids = {bid("eu-1", "14800", std::nullopt, 6)};
    small.offers.clear();
    for (const char* o : {"AU", "CL", "AR", "PT", "CA", "BR", "CN", "ZW", "US", "DE", "FI"})
        small.offers.push_back(offer(std::string("o-") + o, "13950", o, 1));
    small.rules.max_origin_share = dec("0.1");
    ws = plausibility_warnings(small);
    ASSERT_EQ(ws.size(), 1u) << listed(ws);
    EXPECT_EQ(ws[0].message, "0.1 allows no trade: at most 6 lots can trade, and a share of 0.1 of them is less "
                             "than one lot; the round will clear no trade");
    ASSERT_TRUE(clear(small).ok());
    EXPECT_EQ(clear(small).result->cleared_lots.count, 0);
}

TEST(Plausibility, InvalidRoundsDoNotThrow) {
    Round r = pooled("0.0061");
    r.rules.tick = Decimal();
    r.bids[0].currency = "XXX";
    r.bids[1].limit = dec("-5");
    r.rules.max_origin_share = dec("0.00000000000000000001");
    EXPECT_NO_THROW(plausibility_warnings(r));
    r.rules.tick = dec("0.01");
    r.fx["JPY"] = dec("999999999999.9999999999");
    r.bids[2].limit = dec("999999999999.9999999999");
    EXPECT_NO_THROW(plausibility_warnings(r));
}

TEST(Plausibility, GeneratedAndExampleRoundsHaveNoWarnings) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        GenerateSpec spec;
        spec.bids = 400;
        spec.offers = 60;
        spec.seed = seed;
        spec.origin_cap = true;
        spec.places = seed % 2 == 0;
        const Round r = generate_round(spec);
        EXPECT_TRUE(plausibility_warnings(r).empty()) << "seed " << seed << listed(plausibility_warnings(r));
    }
    for (const char* example : {"/examples/eu-japan-lithium/round.json", "/examples/eu-japan-delivered/round.json"}) {
        const RoundRead read = read_round_file(std::string(JPCLEAR_SOURCE_DIR) + example);
        ASSERT_TRUE(read.round) << example;
        EXPECT_TRUE(plausibility_warnings(*read.round).empty()) << example << listed(plausibility_warnings(*read.round));
    }
}

}  // namespace
}  // namespace jpclear
