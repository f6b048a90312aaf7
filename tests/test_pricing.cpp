// Unit tests of the price interval (spec 4(a)-(c)), the price rules (spec 6)
// and the money totals of the result (spec 8).

#include <gtest/gtest.h>

#include "round_builders.h"

#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/pricing/interval.h"
#include "jpclear/pricing/price.h"
#include "jpclear/report/result_builder.h"

namespace {

using jpclear::test::bid;
using jpclear::test::case_round;
using jpclear::test::offer;

using jpclear::Allocation;
using jpclear::dec;
using jpclear::Decimal;
using jpclear::OrderBook;
using jpclear::PriceInterval;
using jpclear::ReasonCode;
using jpclear::Round;

using jpclear::test::same;

::testing::AssertionResult interval_is(const std::optional<PriceInterval>& got, std::int64_t lo, std::int64_t hi) {
    if (!got) return ::testing::AssertionFailure() << "no interval, want [" << lo << ", " << hi << "]";
    if (got->low == lo && got->high == hi) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "got [" << got->low << ", " << got->high << "], want [" << lo << ", " << hi
                                         << "]";
}

// A book in ticks with blocks and origins; owns its id strings.
struct PricingBook {
    std::deque<std::string> ids;
    OrderBook book;

    PricingBook() {
        book.tick = dec("1");
        book.lot_tonnes = dec("1");
    }
    PricingBook& bid(std::string id, std::int64_t price, std::int64_t lots, std::int64_t min_lots = 0) {
        ids.push_back(std::move(id));
        book.bid_price.push_back(price);
        book.bid_lots.push_back(lots);
        book.bid_min.push_back(min_lots);
        book.bid_id.push_back(ids.back());
        return *this;
    }
    // `origin` indexes book.origins, which must be set up by the caller.
    PricingBook& offer(std::string id, std::int64_t price, std::int64_t lots, std::uint32_t origin = 0,
                       std::int64_t min_lots = 0) {
        ids.push_back(std::move(id));
        book.offer_price.push_back(price);
        book.offer_lots.push_back(lots);
        book.offer_min.push_back(min_lots);
        book.offer_origin.push_back(origin);
        book.offer_input.push_back(static_cast<std::uint32_t>(book.offer_input.size()));
        book.offer_id.push_back(ids.back());
        book.offer_eligibility.push_back(jpclear::Eligibility::eligible);
        while (book.origins.size() <= origin) book.origins.push_back("O" + std::to_string(book.origins.size()));
        return *this;
    }
};

Allocation alloc(std::vector<std::int64_t> bids, std::vector<std::int64_t> offers) {
    Allocation a;
    a.bid_fill = std::move(bids);
    a.offer_fill = std::move(offers);
    for (auto x : a.bid_fill) a.volume += x;
    return a;
}

// ================================================================= price_interval

TEST(PriceInterval, NoneWithoutVolume) {
    PricingBook h;
    h.bid("b", 100, 5).offer("o", 90, 5);
    EXPECT_FALSE(jpclear::price_interval(h.book, alloc({0}, {0})).has_value());
}

TEST(PriceInterval, RuleAFromTradingOrders) {
    // Everything trades in full: lo = dearest selling ask, hi = cheapest buying bid.
    PricingBook h;
    h.bid("b1", 150, 2).bid("b2", 140, 3).offer("o1", 100, 4).offer("o2", 120, 1);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({2, 3}, {4, 1})), 120, 140));
}

TEST(PriceInterval, RuleBBidsThatCouldTakeMoreRaiseLo) {
    PricingBook h;
    // b2 partially filled at 130, b3 rejected at 125: p >= 130.
    h.bid("b1", 150, 2).bid("b2", 130, 3).bid("b3", 125, 4).offer("o1", 100, 4);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({2, 2, 0}, {4})), 130, 130));
}

TEST(PriceInterval, RuleCOffersThatCouldSellMoreLowerHi) {
    PricingBook h;
    // o2 (110) sells 1 of 3 and o3 (115) nothing: p <= 110.
    h.bid("b1", 150, 3).offer("o1", 100, 2).offer("o2", 110, 3).offer("o3", 115, 5);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({3}, {2, 1, 0})), 110, 110));
}

TEST(PriceInterval, UnsupportedAllocationHasNoInterval) {
    PricingBook h;
    // A bid at 100 buys from an offer at 120: no p satisfies 4(a).
    h.bid("b", 100, 1).offer("o", 120, 1);
    EXPECT_FALSE(jpclear::price_interval(h.book, alloc({1}, {1})).has_value());
    // A cheap offer left out while a dear one sells.
    PricingBook g;
    g.bid("b", 200, 1).offer("cheap", 100, 1).offer("dear", 150, 1);
    EXPECT_FALSE(jpclear::price_interval(g.book, alloc({1}, {0, 1})).has_value());
    // A rich bid left out while a poor one buys.
    PricingBook k;
    k.bid("rich", 200, 1).bid("poor", 150, 1).offer("o", 100, 1);
    EXPECT_FALSE(jpclear::price_interval(k.book, alloc({0, 1}, {1})).has_value());
}

TEST(PriceInterval, RejectedBlockBidIsExempt) {
    PricingBook h;
    // The all-or-none bid at 180 is rejected although p <= 180 would suit it.
    h.bid("b1", 200, 5).bid("aon", 180, 10, 10).offer("o1", 100, 5).offer("o2", 170, 5);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({5, 0}, {5, 0})), 100, 170));
    // The same bid without min_lots would force p >= 180 > 170: unsupported.
    PricingBook g;
    g.bid("b1", 200, 5).bid("plain", 180, 10).offer("o1", 100, 5).offer("o2", 170, 5);
    EXPECT_FALSE(jpclear::price_interval(g.book, alloc({5, 0}, {5, 0})).has_value());
}

TEST(PriceInterval, PartlyFilledBlockBidIsNotExempt) {
    PricingBook h;
    // min_lots 2 of 6, filled 3: it could take more, so p >= its P = 150.
    h.bid("b1", 200, 2).bid("blk", 150, 6, 2).offer("o1", 100, 5);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({2, 3}, {5})), 150, 150));
}

TEST(PriceInterval, RejectedBlockOfferIsExempt) {
    PricingBook h;
    // The block offer at 90 sells nothing although p >= 90 would suit it.
    h.bid("b1", 200, 5).offer("o1", 120, 5).offer("blk", 90, 8, 0, 8);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({5}, {5, 0})), 120, 200));
    PricingBook g;
    g.bid("b1", 200, 5).offer("o1", 120, 5).offer("plain", 90, 8);
    EXPECT_FALSE(jpclear::price_interval(g.book, alloc({5}, {5, 0})).has_value());
}

TEST(PriceInterval, PartlySoldBlockOfferIsNotExempt) {
    PricingBook h;
    h.bid("b1", 200, 5).offer("o1", 100, 2).offer("blk", 130, 8, 0, 3);
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, alloc({5}, {2, 3})), 130, 130));
}

TEST(PriceInterval, OfferAtCappedOriginIsExempt) {
    // Origins: 0 = AU, 1 = CL. Cap 0.5 of V = 10: 5 lots each.
    PricingBook h;
    h.bid("b", 300, 10);
    h.offer("au-1", 100, 8, 0).offer("au-2", 105, 5, 0).offer("cl-1", 200, 10, 1);
    h.book.max_origin_share = dec("0.5");
    Allocation a = alloc({10}, {5, 0, 5});
    EXPECT_EQ(jpclear::origin_cap_lots(dec("0.5"), 10), 5);
    EXPECT_EQ(jpclear::origins_at_cap(h.book, a), (std::vector<bool>{true, true}));
    // Both origins at their caps: only 4(a) binds.
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, a), 200, 300));
    // Without the cap, au-1 and au-2 could sell more at p >= 200: unsupported.
    h.book.max_origin_share.reset();
    EXPECT_FALSE(jpclear::price_interval(h.book, a).has_value());
}

TEST(PriceInterval, OfferBelowItsCapStillBinds) {
    PricingBook h;
    h.bid("b", 300, 10);
    h.offer("au-1", 100, 8, 0).offer("cl-1", 150, 10, 1);
    h.book.max_origin_share = dec("0.6");  // cap 6
    Allocation a = alloc({10}, {6, 4});
    EXPECT_EQ(jpclear::origins_at_cap(h.book, a), (std::vector<bool>{true, false}));
    EXPECT_EQ(jpclear::origin_totals(h.book, a), (std::vector<std::int64_t>{6, 4}));
    EXPECT_TRUE(interval_is(jpclear::price_interval(h.book, a), 150, 150));
}

TEST(PriceInterval, OriginCapLots) {
    EXPECT_EQ(jpclear::origin_cap_lots(dec("0.65"), 37), 24);  // 24.05
    EXPECT_EQ(jpclear::origin_cap_lots(dec("0.65"), 20), 13);  // exact
    EXPECT_EQ(jpclear::origin_cap_lots(dec("1"), 7), 7);
    EXPECT_EQ(jpclear::origin_cap_lots(dec("0.1"), 9), 0);
    EXPECT_EQ(jpclear::origin_cap_lots(dec("0.0000000001"), 4'000'000'000'000'000'000), 400'000'000);
    EXPECT_EQ(jpclear::origin_cap_lots(dec("0.3333333333"), 3'000'000'000), 999'999'999);
}

TEST(PriceInterval, NoCapMeansNoOriginAtCap) {
    PricingBook h;
    h.bid("b", 300, 10).offer("au-1", 100, 10, 0);
    EXPECT_EQ(jpclear::origins_at_cap(h.book, alloc({10}, {10})), (std::vector<bool>{false}));
}

// ================================================================= uniform_price

TEST(UniformPrice, KZeroAndOne) {
    EXPECT_EQ(jpclear::uniform_price({1300000, 1500000}, dec("0")), 1300000);
    EXPECT_EQ(jpclear::uniform_price({1300000, 1500000}, dec("1")), 1500000);
    EXPECT_EQ(jpclear::uniform_price({1300000, 1500000}, dec("1.000")), 1500000);
    EXPECT_EQ(jpclear::uniform_price({7, 7}, dec("0")), 7);
    EXPECT_EQ(jpclear::uniform_price({7, 7}, dec("1")), 7);
}

TEST(UniformPrice, KHalfWithExactHalfTowardLo) {
    EXPECT_EQ(jpclear::uniform_price({100, 102}, dec("0.5")), 101);
    EXPECT_EQ(jpclear::uniform_price({100, 101}, dec("0.5")), 100);  // 100.5 -> 100
    EXPECT_EQ(jpclear::uniform_price({100, 103}, dec("0.5")), 101);  // 101.5 -> 101
    EXPECT_EQ(jpclear::uniform_price({100, 100}, dec("0.5")), 100);
    EXPECT_EQ(jpclear::uniform_price({1300000, 1500000}, dec("0.5")), 1400000);
}

TEST(UniformPrice, RoundsToNearestTick) {
    EXPECT_EQ(jpclear::uniform_price({0, 10}, dec("0.26")), 3);   // 2.6
    EXPECT_EQ(jpclear::uniform_price({0, 10}, dec("0.24")), 2);   // 2.4
    EXPECT_EQ(jpclear::uniform_price({0, 10}, dec("0.25")), 2);   // 2.5 -> lo side
    EXPECT_EQ(jpclear::uniform_price({0, 10}, dec("0.75")), 7);   // 7.5 -> lo side
    EXPECT_EQ(jpclear::uniform_price({0, 2}, dec("0.75")), 1);    // 1.5 -> lo side
    EXPECT_EQ(jpclear::uniform_price({0, 2}, dec("0.76")), 2);    // 1.52
    EXPECT_EQ(jpclear::uniform_price({50, 60}, dec("0.05")), 50); // 50.5 -> 50
    EXPECT_EQ(jpclear::uniform_price({50, 60}, dec("0.051")), 51);
}

TEST(UniformPrice, KWithManyDigits) {
    EXPECT_EQ(jpclear::uniform_price({0, 3}, dec("0.3333333333")), 1);  // 0.9999999999
    EXPECT_EQ(jpclear::uniform_price({0, 3}, dec("0.6666666667")), 2);  // 2.0000000001
    EXPECT_EQ(jpclear::uniform_price({0, 1}, dec("0.5000000001")), 1);  // just above half
    EXPECT_EQ(jpclear::uniform_price({0, 1}, dec("0.4999999999")), 0);
    EXPECT_EQ(jpclear::uniform_price({0, 1'000'000'000}, dec("0.1234567891")), 123'456'789);  // .1
    EXPECT_EQ(jpclear::uniform_price({0, 2'000'000'000}, dec("0.1234567891")), 246'913'578);  // .2
    EXPECT_EQ(jpclear::uniform_price({0, 200'000}, dec("0.3333333333")), 66'667);  // 66666.66666
    EXPECT_EQ(jpclear::uniform_price({0, 20}, dec("0.0250000000")), 0);            // 0.5 -> lo
}

TEST(UniformPrice, WidestIntervalIsExact) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(jpclear::uniform_price({0, max}, dec("1")), max);
    EXPECT_EQ(jpclear::uniform_price({0, max}, dec("0.5")), max / 2);  // x.5 -> lo side
    EXPECT_EQ(jpclear::uniform_price({0, max}, dec("0.9999999999")), 9223372035932438603);
    EXPECT_EQ(jpclear::uniform_price({max - 1, max}, dec("0.5")), max - 1);
}

// ================================================================= pooled_mean_price

TEST(PooledMeanPrice, RoundsUpToTheTick) {
    EXPECT_EQ(jpclear::pooled_mean_price(10, 3), 4);
    EXPECT_EQ(jpclear::pooled_mean_price(9, 3), 3);
    EXPECT_EQ(jpclear::pooled_mean_price(11, 3), 4);
    EXPECT_EQ(jpclear::pooled_mean_price(1, 1000), 1);
    EXPECT_EQ(jpclear::pooled_mean_price(0, 5), 0);
    EXPECT_EQ(jpclear::pooled_mean_price(16063332, 12), 1338611);  // case 08, exact
    EXPECT_EQ(jpclear::pooled_mean_price(16063333, 12), 1338612);
    EXPECT_EQ(jpclear::pooled_mean_price(30002, 3), 10001);
}

TEST(PooledMeanPrice, HugeCostIn128Bits) {
    // 9.2e18 ticks * 10^9 lots: the cost needs 128 bits.
    const jpclear::int128 cost = static_cast<jpclear::int128>(9'000'000'000'000'000'000) * 1'000'000'000 + 1;
    EXPECT_EQ(jpclear::pooled_mean_price(cost, 1'000'000'000), 9'000'000'000'000'000'001);
    EXPECT_EQ(jpclear::pooled_mean_price(cost - 1, 1'000'000'000), 9'000'000'000'000'000'000);
}

// ================================================================= result totals

jpclear::Result cleared(const Round& r) {
    auto out = jpclear::clear(r);
    for (const auto& p : out.problems) ADD_FAILURE() << p.to_string();
    if (!out.result) throw std::runtime_error("no result");
    return *out.result;
}

// buyer_surplus + supplier_surplus + rounding_residual == welfare, and the
// blocs pay what the buyers pay.
void expect_totals_add_up(const Round& r, const jpclear::Result& res) {
    EXPECT_EQ(res.buyer_surplus + res.supplier_surplus + res.rounding_residual, res.welfare)
        << res.buyer_surplus.to_string() << " + " << res.supplier_surplus.to_string() << " + "
        << res.rounding_residual.to_string() << " != " << res.welfare.to_string();
    Decimal bloc_cost, paid;
    std::int64_t bloc_lots = 0;
    for (const auto& [code, t] : res.blocs) {
        bloc_cost = bloc_cost + t.cost;
        bloc_lots += t.filled.count;
    }
    EXPECT_EQ(bloc_lots, res.cleared_lots.count);
    if (res.clearing_price)
        paid = *res.clearing_price * Decimal::integer(res.cleared_lots.count) * r.material.lot_tonnes;
    EXPECT_EQ(bloc_cost, paid) << bloc_cost.to_string() << " vs " << paid.to_string();
    std::int64_t origin_lots = 0;
    for (const auto& [code, t] : res.origins) origin_lots += t.lots.count;
    EXPECT_EQ(origin_lots, res.cleared_lots.count);
    // The suppliers receive what the awards say.
    Decimal received;
    for (const auto& a : res.awards) received = received + a.price * Decimal::integer(a.lots.count);
    received = received * r.material.lot_tonnes;
    EXPECT_EQ(paid - res.rounding_residual, received);
}

TEST(ResultTotals, UniformSurplusesSplitWelfare) {
    Round r = case_round("uniform-split");
    r.bids = {bid("b", "EU", 3, "200")};
    r.offers = {offer("o1", "AU", 1, "100.00"), offer("o2", "CL", 1, "100.01"), offer("o3", "CL", 1, "100.01")};
    auto res = cleared(r);
    EXPECT_TRUE(same(res.price_low, "100.01"));
    EXPECT_TRUE(same(res.price_high, "200"));
    // 100.01 + 0.5 * 9999 ticks = 4999.5 -> 4999 ticks: 149.99 + 0.01 = 150.00.
    EXPECT_TRUE(same(res.clearing_price, "150.00"));
    EXPECT_TRUE(same(res.welfare, "5999.6"));  // (600 - 300.02) * 20
    EXPECT_TRUE(same(res.buyer_surplus, "3000"));
    EXPECT_TRUE(same(res.supplier_surplus, "2999.6"));
    EXPECT_TRUE(same(res.rounding_residual, "0"));
    EXPECT_TRUE(same(res.blocs.at("EU").cost, "9000"));
    expect_totals_add_up(r, res);
}

TEST(ResultTotals, PayAsBidResidualFromRoundingUp) {
    Round r = case_round("pab-residual");
    r.rules.pricing = jpclear::PricingRule::pay_as_bid;
    r.bids = {bid("b", "EU", 3, "200")};
    r.offers = {offer("o1", "AU", 1, "100.00"), offer("o2", "CL", 1, "100.01"), offer("o3", "CL", 1, "100.01")};
    auto res = cleared(r);
    // Mean ask 100.00666..., rounded up to 100.01: 0.01 * 20 t collected.
    EXPECT_TRUE(same(res.clearing_price, "100.01"));
    EXPECT_TRUE(same(res.price_low, "100.01"));
    EXPECT_TRUE(same(res.price_high, "200"));
    EXPECT_TRUE(same(res.welfare, "5999.6"));
    EXPECT_TRUE(same(res.rounding_residual, "0.2"));
    EXPECT_TRUE(same(res.buyer_surplus, "5999.4"));
    EXPECT_TRUE(same(res.supplier_surplus, "0"));
    EXPECT_TRUE(same(res.blocs.at("EU").cost, "6000.6"));  // 3 * 100.01 * 20
    // Each supplier gets its own ask; each buyer the pooled price.
    ASSERT_EQ(res.offers.size(), 3u);
    EXPECT_TRUE(same(res.offers[0].price, "100"));
    EXPECT_TRUE(same(res.offers[1].price, "100.01"));
    EXPECT_TRUE(same(res.bids[0].price, "100.01"));
    ASSERT_EQ(res.awards.size(), 3u);
    EXPECT_TRUE(same(res.awards[0].price, "100"));
    EXPECT_TRUE(same(res.awards[1].price, "100.01"));
    expect_totals_add_up(r, res);
}

TEST(ResultTotals, PayAsBidReasonsUseTheMarginalPrice) {
    Round r = case_round("pab-reasons");
    r.rules.pricing = jpclear::PricingRule::pay_as_bid;
    r.bids = {bid("b1", "EU", 4, "150"), bid("low", "JP", 2, "110")};
    r.offers = {offer("o1", "AU", 2, "100"), offer("o2", "AU", 2, "120"), offer("o3", "CL", 3, "130")};
    auto res = cleared(r);
    // V = 4 at [120, 130]: low (110) is below lo, o3 (130) is not above hi.
    EXPECT_EQ(res.cleared_lots.count, 4);
    EXPECT_TRUE(same(res.price_low, "120"));
    EXPECT_TRUE(same(res.price_high, "130"));
    EXPECT_TRUE(same(res.clearing_price, "110"));  // (2 * 100 + 2 * 120) / 4
    EXPECT_EQ(res.bids[1].reason_code, ReasonCode::price_outside);
    EXPECT_EQ(reason_text(res, res.bids[1]),
              "limit 110.00 EUR/t (converted to the tick grid) is below the marginal price 120.00 EUR/t");
    // o3 (130) equals hi and sells nothing: no lots were left for its price
    // group, so it was not rationed but not reached.
    EXPECT_EQ(res.offers[2].status, jpclear::FillStatus::rejected);
    EXPECT_NE(res.offers[2].reason_code, ReasonCode::none);
    EXPECT_EQ(reason_text(res, res.offers[2]),
              "not reached: its price 130.00 EUR/t equals the marginal price, but cheaper offers covered all the "
              "demand at that price");
    expect_totals_add_up(r, res);
}

TEST(ResultTotals, UniformReasonTexts) {
    Round r = case_round("uniform-reasons");
    r.bids = {bid("eu-a", "EU", 10, "15000"), bid("eu-b", "EU", 10, "14000")};
    r.offers = {offer("au-1", "AU", 15, "13000"), offer("cl-1", "CL", 10, "14500")};
    auto res = cleared(r);
    EXPECT_EQ(reason_text(res, res.bids[1]),
              "rationed at the margin: its price 14000.00 EUR/t equals the clearing price, and the bids at that "
              "price shared the remaining lots pro rata to size (got 5 of 10)");
    EXPECT_EQ(reason_text(res, res.offers[1]),
              "ask 14500.00 EUR/t (converted to the tick grid) is above the clearing price 14000.00 EUR/t");
}

TEST(ResultTotals, NotReachedAtTheClearingPrice) {
    // Interval [120, 130]. With k = 0 the price is 120, the bid at 120 got
    // nothing because the bid at 150 took all four lots; with k = 1 the price
    // is 130 and the offer at 130 sold nothing because the one at 100 sufficed.
    Round r = case_round("not-reached");
    r.rules.k = dec("0");
    r.bids = {bid("b1", "EU", 4, "150"), bid("b2", "EU", 2, "120")};
    r.offers = {offer("o1", "AU", 4, "100"), offer("o2", "AU", 3, "130")};
    auto res = cleared(r);
    EXPECT_TRUE(same(res.price_low, "120"));
    EXPECT_TRUE(same(res.price_high, "130"));
    EXPECT_TRUE(same(res.clearing_price, "120"));
    EXPECT_EQ(reason_text(res, res.bids[1]),
              "not reached: its price 120.00 EUR/t equals the clearing price, but higher bids took all the lots "
              "offered at that price");
    EXPECT_EQ(res.offers[1].reason_code, ReasonCode::price_outside);
    r.rules.k = dec("1");
    res = cleared(r);
    EXPECT_TRUE(same(res.clearing_price, "130"));
    EXPECT_EQ(res.bids[1].reason_code, ReasonCode::price_outside);
    EXPECT_EQ(reason_text(res, res.offers[1]),
              "not reached: its price 130.00 EUR/t equals the clearing price, but cheaper offers covered all the "
              "demand at that price");
}

TEST(ResultTotals, BlocCostsPerBloc) {
    Round r = case_round("blocs");
    r.bids = {bid("eu-a", "EU", 8, "14800.00"), bid("jp-a", "JP", 6, "2400000", "JPY"),
              bid("jp-b", "JP", 4, "2300001", "JPY"), bid("eu-b", "EU", 5, "14050.50"),
              bid("kr-a", "KR", 3, "10000")};
    r.offers = {offer("au-1", "AU", 10, "13950.00"), offer("cl-1", "CL", 6, "14010.25"),
                offer("ar-1", "AR", 8, "14400")};
    auto res = cleared(r);
    ASSERT_TRUE(same(res.clearing_price, "14050.50"));
    ASSERT_EQ(res.blocs.size(), 3u);
    EXPECT_EQ(res.blocs.at("EU").bids, 2);
    EXPECT_EQ(res.blocs.at("EU").requested.count, 13);
    EXPECT_EQ(res.blocs.at("EU").filled.count, 10);
    EXPECT_TRUE(same(res.blocs.at("EU").cost, "2810100"));
    EXPECT_EQ(res.blocs.at("JP").filled.count, 6);
    EXPECT_TRUE(same(res.blocs.at("JP").cost, "1686060"));
    EXPECT_EQ(res.blocs.at("KR").bids, 1);
    EXPECT_EQ(res.blocs.at("KR").filled.count, 0);
    EXPECT_TRUE(same(res.blocs.at("KR").cost, "0"));
    expect_totals_add_up(r, res);
}

TEST(ResultTotals, OriginSharesWithSixDecimals) {
    Round r = case_round("shares");
    r.bids = {bid("b", "EU", 3, "200")};
    r.offers = {offer("o1", "AU", 1, "100"), offer("o2", "CL", 1, "100"), offer("o3", "CL", 1, "100")};
    auto res = cleared(r);
    EXPECT_EQ(res.origins.at("AU").share.to_string(6), "0.333333");
    EXPECT_EQ(res.origins.at("CL").share.to_string(6), "0.666667");
    EXPECT_FALSE(res.origins.at("AU").cap.has_value());
    EXPECT_FALSE(res.origins.at("AU").cap_lots.has_value());
}

TEST(ResultTotals, OriginShareExactHalfRoundsUp) {
    // 1 / 128 = 0.0078125 and 127 / 128 = 0.9921875.
    Round r = case_round("shares-half");
    r.bids = {bid("b", "EU", 128, "200")};
    r.offers = {offer("o1", "AU", 1, "100"), offer("o2", "CL", 127, "100"), offer("o3", "ZA", 5, "300")};
    auto res = cleared(r);
    EXPECT_EQ(res.cleared_lots.count, 128);
    EXPECT_EQ(res.origins.at("AU").share.to_string(6), "0.007813");
    EXPECT_EQ(res.origins.at("CL").share.to_string(6), "0.992188");
    EXPECT_EQ(res.origins.at("ZA").share.to_string(6), "0.000000");
    EXPECT_EQ(res.origins.at("ZA").lots.count, 0);
}

TEST(ResultTotals, KWithManyDigitsEndToEnd) {
    Round r = case_round("k-digits");
    r.rules.k = dec("0.3333333333");
    r.bids = {bid("eu-a", "EU", 10, "15000")};
    r.offers = {offer("au-1", "AU", 10, "13000")};
    auto res = cleared(r);
    // 200000 ticks * 0.3333333333 = 66666.66666 -> 66667 ticks.
    EXPECT_TRUE(same(res.clearing_price, "13666.67"));
    EXPECT_TRUE(same(res.buyer_surplus, "266666"));   // (15000 - 13666.67) * 200
    EXPECT_TRUE(same(res.supplier_surplus, "133334"));
    expect_totals_add_up(r, res);
}

TEST(ResultTotals, BuildResultWithBlocksAndCapByHand) {
    // clear() does not place blocks or caps yet; build_result() reports a
    // hand-made allocation of such a round.
    Round r = case_round("hand");
    r.rules.max_origin_share = dec("0.6");
    r.bids = {bid("b1", "EU", 10, "200"), bid("aon", "JP", 5, "180")};
    r.bids[1].min_lots = 5;
    r.offers = {offer("au-1", "AU", 8, "100"), offer("au-2", "AU", 5, "105"), offer("cl-1", "CL", 10, "150"),
                offer("ar-1", "AR", 6, "90")};
    r.offers[3].min_lots = 6;
    auto prep = jpclear::prepare(r);
    ASSERT_TRUE(prep.problems.empty());
    const OrderBook& book = prep.book;
    ASSERT_EQ(book.origins, (std::vector<std::string>{"AR", "AU", "CL"}));
    Allocation a = alloc({10, 0}, {6, 0, 4, 0});  // cap floor(0.6 * 10) = 6
    auto iv = jpclear::price_interval(book, a);
    ASSERT_TRUE(interval_is(iv, 15000, 15000));
    jpclear::Result res = jpclear::build_result(r, book, a);
    EXPECT_TRUE(same(res.clearing_price, "150"));
    EXPECT_EQ(res.bids[1].status, jpclear::FillStatus::rejected);
    EXPECT_EQ(res.bids[1].reason_code, ReasonCode::block_not_placed);
    EXPECT_NE(reason_text(res, res.bids[1]).find("all-or-none order of 5 lots"), std::string::npos) << reason_text(res, res.bids[1]);
    EXPECT_EQ(res.offers[0].reason_code, ReasonCode::origin_cap);
    EXPECT_EQ(reason_text(res, res.offers[0]),
              "origin AU is at its cap: it supplies 6 of 10 cleared lots, and max_origin_share 0.6 allows at most 6 "
              "(got 6 of 8)");
    EXPECT_EQ(res.offers[1].reason_code, ReasonCode::origin_cap);
    EXPECT_EQ(res.offers[2].reason_code, ReasonCode::marginal_share);
    EXPECT_EQ(res.offers[3].reason_code, ReasonCode::block_not_placed);
    EXPECT_NE(reason_text(res, res.offers[3]).find("all-or-none order of 6 lots"), std::string::npos) << reason_text(res, res.offers[3]);
    ASSERT_TRUE(res.origins.at("AU").cap.has_value());
    EXPECT_EQ(*res.origins.at("AU").cap, dec("0.6"));
    EXPECT_EQ(res.origins.at("AU").cap_lots->count, 6);
    EXPECT_EQ(res.origins.at("AU").share.to_string(6), "0.600000");
    EXPECT_EQ(res.origins.at("CL").share.to_string(6), "0.400000");
    EXPECT_EQ(res.origins.at("AR").lots.count, 0);
    // Welfare: 20 t * (200 * 10 - 100 * 6 - 150 * 4) = 16000.
    EXPECT_TRUE(same(res.welfare, "16000"));
    expect_totals_add_up(r, res);
}

TEST(ResultTotals, BuildResultRefusesAnUnsupportedAllocation) {
    Round r = case_round("bad");
    r.bids = {bid("b", "EU", 1, "100")};
    r.offers = {offer("o", "AU", 1, "120")};
    auto prep = jpclear::prepare(r);
    ASSERT_TRUE(prep.problems.empty());
    EXPECT_THROW(jpclear::build_result(r, prep.book, alloc({1}, {1})), std::logic_error);
}

TEST(ResultTotals, LimitOptimalityCarriesTheBound) {
    Round r = case_round("bound");
    r.bids = {bid("b", "EU", 1, "200")};
    r.offers = {offer("o", "AU", 1, "100")};
    auto prep = jpclear::prepare(r);
    jpclear::Result res =
        jpclear::build_result(r, prep.book, alloc({1}, {1}), jpclear::Optimality::limit, jpclear::int128{12345});
    EXPECT_EQ(res.optimality, jpclear::Optimality::limit);
    // 12345 tick-lots * 0.01 * 20 t.
    EXPECT_TRUE(same(res.bound, "2469"));
    jpclear::Result proven = jpclear::build_result(r, prep.book, alloc({1}, {1}));
    EXPECT_FALSE(proven.bound.has_value());
}

TEST(ResultTotals, TotalsAddUpOnRandomRounds) {
    std::mt19937_64 rng(99);
    const char* ks[] = {"0", "1", "0.5", "0.3333333333", "0.75", "0.0000000001"};
    const char* blocs[] = {"EU", "JP", "KR"};
    const char* origins[] = {"AU", "CL", "AR", "ZA"};
    for (int t = 0; t < 300; ++t) {
        Round r = case_round("random");
        r.rules.pricing = t % 2 ? jpclear::PricingRule::pay_as_bid : jpclear::PricingRule::uniform;
        r.rules.k = dec(ks[t % 6]);
        r.rules.tick = dec(t % 3 == 0 ? "0.01" : (t % 3 == 1 ? "0.05" : "5"));
        std::vector<std::string> prices;
        const int nb = 1 + static_cast<int>(rng() % 6), no = 1 + static_cast<int>(rng() % 6);
        for (int i = 0; i < nb; ++i) {
            std::string id = "b" + std::to_string(i);
            std::string price = std::to_string(12000 + rng() % 3000) + "." + std::to_string(10 + rng() % 90);
            bool yen = rng() % 3 == 0;
            if (yen) price = std::to_string(2000000 + rng() % 400000);
            jpclear::Bid b = bid("x", blocs[rng() % 3], 1 + static_cast<std::int64_t>(rng() % 9), "1");
            b.id = id;
            b.limit = dec(price);
            if (yen) b.currency = "JPY";
            r.bids.push_back(b);
        }
        for (int i = 0; i < no; ++i) {
            jpclear::Offer o = offer("x", origins[rng() % 4], 1 + static_cast<std::int64_t>(rng() % 9), "1");
            o.id = "o" + std::to_string(i);
            o.ask = dec(std::to_string(11000 + rng() % 3000) + "." + std::to_string(rng() % 10));
            r.offers.push_back(o);
        }
        auto res = cleared(r);
        SCOPED_TRACE("round " + std::to_string(t));
        expect_totals_add_up(r, res);
        if (res.cleared_lots.count > 0) {
            ASSERT_TRUE(res.price_low && res.price_high && res.clearing_price);
            EXPECT_LE(*res.price_low, *res.price_high);
            if (r.rules.pricing == jpclear::PricingRule::uniform) {
                EXPECT_GE(*res.clearing_price, *res.price_low);
                EXPECT_LE(*res.clearing_price, *res.price_high);
                EXPECT_TRUE(res.rounding_residual.is_zero());
            } else {
                EXPECT_LE(*res.clearing_price, *res.price_low);  // mean of asks <= dearest accepted ask
                EXPECT_TRUE(res.supplier_surplus.is_zero());
                EXPECT_GE(res.rounding_residual.sign(), 0);
            }
            // The price is on the tick grid.
            EXPECT_EQ(floor_quotient(*res.clearing_price, r.rules.tick),
                      ceil_quotient(*res.clearing_price, r.rules.tick));
        }
    }
}

}  // namespace
