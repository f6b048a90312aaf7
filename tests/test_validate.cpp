// Unit tests of validate_fields() (model/validate.h) and the checks prepare()
// (clearing/order_book.h) adds: every problem is reported, with its path.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/io.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/round.h"
#include "jpclear/model/validate.h"

namespace jpclear {
// Readable failure messages for problem lists.
inline void PrintTo(const Problem& p, std::ostream* os) { *os << p.to_string(); }
}  // namespace jpclear

namespace {

using jpclear::Bid;
using jpclear::dec;
using jpclear::Offer;
using jpclear::Problem;
using jpclear::Problems;
using jpclear::Round;

Bid make_bid(std::string id, std::string bloc, std::int64_t lots, const char* limit,
             std::optional<std::string> currency = std::nullopt) {
    Bid b;
    b.id = std::move(id);
    b.buyer = "Buyer " + b.id;
    b.bloc = std::move(bloc);
    b.lots = lots;
    b.limit = dec(limit);
    b.currency = std::move(currency);
    return b;
}

Offer make_offer(std::string id, std::string origin, std::int64_t lots, const char* ask, bool certified = true) {
    Offer o;
    o.id = std::move(id);
    o.supplier = "Supplier " + o.id;
    o.origin = std::move(origin);
    o.lots = lots;
    o.ask = dec(ask);
    o.certified = certified;
    return o;
}

// A valid round exercising every field.
Round valid_round() {
    Round r;
    r.id = "2026-Q4-lithium";
    r.material.code = "LI2CO3";
    r.material.name = "Lithium carbonate";
    r.material.lot_tonnes = dec("20");
    r.currency = "EUR";
    r.fx["JPY"] = dec("0.0061");
    r.rules.k = dec("0.5");
    r.rules.tick = dec("0.01");
    r.rules.max_origin_share = dec("0.65");
    r.rules.excluded_origins = {"XX"};
    r.bids.push_back(make_bid("eu-1", "EU", 12, "14500.00"));
    r.bids.push_back(make_bid("jp-1", "JP", 6, "2400000", "JPY"));
    r.bids.push_back(make_bid("eu-2", "EU", 3, "14000", "EUR"));
    r.bids.push_back(make_bid("eu-3", "EU", 4, "13900.5"));
    r.offers.push_back(make_offer("au-1", "AU", 10, "13200.00"));
    r.offers.push_back(make_offer("cl-1", "CL", 8, "14010.25"));
    r.offers.push_back(make_offer("xx-1", "XX", 8, "0"));
    return r;
}

Problems fields(const Round& r) {
    Problems out;
    jpclear::validate_fields(r, out);
    return out;
}

Problems prepared(const Round& r) { return jpclear::prepare(r).problems; }

// The problems at `path`.
std::vector<std::string> at(const Problems& ps, const std::string& path) {
    std::vector<std::string> out;
    for (const Problem& p : ps)
        if (p.path == path) out.push_back(p.message);
    return out;
}

// Exactly one problem, at `path`, with `message`.
::testing::AssertionResult only(const Problems& ps, const std::string& path, const std::string& message) {
    if (ps.size() == 1 && ps[0].path == path && ps[0].message == message) return ::testing::AssertionSuccess();
    auto f = ::testing::AssertionFailure() << "expected only {" << path << ": " << message << "}, got " << ps.size()
                                           << ":";
    for (const Problem& p : ps) f << "\n  " << p.to_string();
    return f;
}

// ---------------------------------------------------------------- a valid round

TEST(Validate, ValidRoundHasNoProblems) {
    Round r = valid_round();
    EXPECT_TRUE(fields(r).empty());
    EXPECT_TRUE(prepared(r).empty());
    EXPECT_TRUE(jpclear::validate(r).empty());
}

TEST(Validate, DefaultsAreValid) {
    Round r = valid_round();
    r.rules = jpclear::Rules{};
    r.fx.clear();
    r.bids.erase(r.bids.begin() + 1);  // the JPY bid needs fx
    EXPECT_TRUE(prepared(r).empty());
    EXPECT_EQ(r.rules.k, dec("0.5"));
    EXPECT_EQ(r.rules.tick, dec("0.01"));
}

TEST(Validate, EmptyOrderListsAreValid) {
    Round r = valid_round();
    r.bids.clear();
    r.offers.clear();
    EXPECT_TRUE(prepared(r).empty());
}

// ---------------------------------------------------------------- round-level fields

TEST(Validate, Format) {
    Round r = valid_round();
    r.format = "jpclear.round/2";
    EXPECT_TRUE(only(fields(r), "format", "\"jpclear.round/2\" is not \"jpclear.round/1\""));
    r.format = "";
    EXPECT_TRUE(only(fields(r), "format", "\"\" is not \"jpclear.round/1\""));
}

TEST(Validate, FormatIsQuotedWithEscapes) {
    Round r = valid_round();
    r.format = std::string("a\"b\\c\n");
    EXPECT_TRUE(only(fields(r), "format", "\"a\\\"b\\\\c\\u000a\" is not \"jpclear.round/1\""));
}

TEST(Validate, RoundId) {
    Round r = valid_round();
    r.id = "";
    EXPECT_TRUE(only(fields(r), "round", "must not be empty"));
}

TEST(Validate, MaterialCode) {
    Round r = valid_round();
    r.material.code = "";
    EXPECT_TRUE(only(fields(r), "material.code", "must not be empty"));
    r = valid_round();
    r.material.name.reset();  // optional
    EXPECT_TRUE(fields(r).empty());
}

TEST(Validate, LotTonnes) {
    Round r = valid_round();
    r.material.lot_tonnes = dec("0");
    EXPECT_TRUE(only(fields(r), "material.lot_tonnes", "0 must be greater than 0"));
    r.material.lot_tonnes = dec("-1.5");
    EXPECT_TRUE(only(fields(r), "material.lot_tonnes", "-1.5 must be greater than 0"));
    r.material.lot_tonnes = dec("0.0000000001");
    EXPECT_TRUE(fields(r).empty());
    r.material.lot_tonnes = dec("0.00000000001");
    EXPECT_TRUE(only(fields(r), "material.lot_tonnes", "0.00000000001 has more than 10 digits after the point"));
    r.material.lot_tonnes = dec("1000000000000");
    EXPECT_TRUE(only(fields(r), "material.lot_tonnes", "1000000000000 has more than 12 digits before the point"));
}

TEST(Validate, ClearingCurrencyCode) {
    for (const char* bad : {"eur", "EU", "EURO", "", "E1R", "Eur"}) {
        Round r = valid_round();
        r.currency = bad;
        Problems ps = fields(r);
        EXPECT_TRUE(only(ps, "currency",
                         "\"" + std::string(bad) + "\" is not a currency code (3 upper-case letters)"))
            << bad;
    }
}

TEST(Validate, FxCodeAndRate) {
    Round r = valid_round();
    r.fx["jpy"] = dec("0.0061");
    EXPECT_TRUE(only(fields(r), "fx.jpy", "\"jpy\" is not a currency code (3 upper-case letters)"));

    r = valid_round();
    r.fx["JPY"] = dec("0");
    EXPECT_TRUE(only(fields(r), "fx.JPY", "0 must be greater than 0"));
    r.fx["JPY"] = dec("-0.0061");
    EXPECT_TRUE(only(fields(r), "fx.JPY", "-0.0061 must be greater than 0"));
    r.fx["JPY"] = dec("0.00000000001");
    EXPECT_TRUE(only(fields(r), "fx.JPY", "0.00000000001 has more than 10 digits after the point"));
    r.fx["JPY"] = dec("0.0000000001");
    EXPECT_TRUE(fields(r).empty());
}

TEST(Validate, FxOwnCurrencyRateMustBeOne) {
    Round r = valid_round();
    r.fx["EUR"] = dec("1.00");
    EXPECT_TRUE(fields(r).empty());
    EXPECT_TRUE(prepared(r).empty());
    r.fx["EUR"] = dec("1.1");
    EXPECT_TRUE(only(fields(r), "fx.EUR", "the clearing currency's own rate must be 1 (or left out)"));
    r.fx["EUR"] = dec("0");
    Problems ps = fields(r);
    EXPECT_EQ(at(ps, "fx.EUR"),
              (std::vector<std::string>{"0 must be greater than 0",
                                        "the clearing currency's own rate must be 1 (or left out)"}));
    EXPECT_EQ(ps.size(), 2u);
}

TEST(Validate, PricingK) {
    Round r = valid_round();
    for (const char* ok : {"0", "1", "0.5", "0.0000000001", "0.9999999999", "1.000"}) {
        r.rules.k = dec(ok);
        EXPECT_TRUE(fields(r).empty()) << ok;
    }
    r.rules.k = dec("1.5");
    EXPECT_TRUE(only(fields(r), "rules.pricing.k", "1.5 must be at most 1"));
    r.rules.k = dec("1.0000000001");
    EXPECT_TRUE(only(fields(r), "rules.pricing.k", "1.0000000001 must be at most 1"));
    r.rules.k = dec("-0.1");
    EXPECT_TRUE(only(fields(r), "rules.pricing.k", "-0.1 must be at least 0"));
    r.rules.k = dec("0.12345678901");
    EXPECT_TRUE(only(fields(r), "rules.pricing.k", "0.12345678901 has more than 10 digits after the point"));
    // k is checked under pay-as-bid too.
    r.rules.pricing = jpclear::PricingRule::pay_as_bid;
    r.rules.k = dec("2");
    EXPECT_TRUE(only(fields(r), "rules.pricing.k", "2 must be at most 1"));
}

TEST(Validate, Tick) {
    Round r = valid_round();
    r.rules.tick = dec("0");
    EXPECT_TRUE(only(fields(r), "rules.tick", "0 must be greater than 0"));
    r.rules.tick = dec("-0.01");
    EXPECT_TRUE(only(fields(r), "rules.tick", "-0.01 must be greater than 0"));
    r.rules.tick = dec("0.00000000001");
    EXPECT_TRUE(only(fields(r), "rules.tick", "0.00000000001 has more than 10 digits after the point"));
    for (const char* ok : {"0.05", "5", "1", "0.0000000001", "100"}) {
        r.rules.tick = dec(ok);
        EXPECT_TRUE(fields(r).empty()) << ok;
    }
}

TEST(Validate, NonPositiveTickStopsConversionWithoutCrashing) {
    // prepare() reports the tick and converts no price, but still checks
    // every order's currency: a bad tick must not hide other problems.
    Round r = valid_round();
    r.rules.tick = dec("0");
    auto p = jpclear::prepare(r);
    EXPECT_TRUE(only(p.problems, "rules.tick", "0 must be greater than 0"));
    r.bids[0].currency = "USD";
    p = jpclear::prepare(r);
    ASSERT_EQ(p.problems.size(), 2u);
    EXPECT_EQ(p.problems[1].path, "bids[0].currency");
}

TEST(Validate, MaxOriginShare) {
    Round r = valid_round();
    for (const char* ok : {"1", "0.0000000001", "0.65", "1.0"}) {
        r.rules.max_origin_share = dec(ok);
        EXPECT_TRUE(fields(r).empty()) << ok;
    }
    r.rules.max_origin_share = dec("0");
    EXPECT_TRUE(only(fields(r), "rules.max_origin_share", "0 must be greater than 0"));
    r.rules.max_origin_share = dec("-0.5");
    EXPECT_TRUE(only(fields(r), "rules.max_origin_share", "-0.5 must be greater than 0"));
    r.rules.max_origin_share = dec("1.01");
    EXPECT_TRUE(only(fields(r), "rules.max_origin_share", "1.01 must be at most 1"));
    r.rules.max_origin_share.reset();
    EXPECT_TRUE(fields(r).empty());
}

TEST(Validate, ExcludedOrigins) {
    Round r = valid_round();
    r.rules.excluded_origins = {"XX", "xx", "XXX", "", "RU", "R1"};
    Problems ps = fields(r);
    ASSERT_EQ(ps.size(), 4u);
    EXPECT_EQ(ps[0], (Problem{"rules.excluded_origins[1]", "\"xx\" is not an ISO 3166 alpha-2 code"}));
    EXPECT_EQ(ps[1], (Problem{"rules.excluded_origins[2]", "\"XXX\" is not an ISO 3166 alpha-2 code"}));
    EXPECT_EQ(ps[2], (Problem{"rules.excluded_origins[3]", "\"\" is not an ISO 3166 alpha-2 code"}));
    EXPECT_EQ(ps[3], (Problem{"rules.excluded_origins[5]", "\"R1\" is not an ISO 3166 alpha-2 code"}));
}

// ---------------------------------------------------------------- ids

TEST(Validate, IdsMustNotBeEmpty) {
    Round r = valid_round();
    r.bids[2].id = "";
    r.offers[1].id = "";
    Problems ps = fields(r);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0], (Problem{"bids[2].id", "must not be empty"}));
    EXPECT_EQ(ps[1], (Problem{"offers[1].id", "must not be empty"}));
}

TEST(Validate, DuplicateIdAcrossBidsAndOffers) {
    Round r = valid_round();
    r.offers[0].id = "eu-1";
    EXPECT_TRUE(only(fields(r), "offers[0].id", "id \"eu-1\" is already used by bids[0]"));
}

TEST(Validate, DuplicateIdWithinBids) {
    Round r = valid_round();
    r.bids[3].id = "jp-1";
    EXPECT_TRUE(only(fields(r), "bids[3].id", "id \"jp-1\" is already used by bids[1]"));
}

TEST(Validate, DuplicateIdWithinOffers) {
    Round r = valid_round();
    r.offers[2].id = "cl-1";
    EXPECT_TRUE(only(fields(r), "offers[2].id", "id \"cl-1\" is already used by offers[1]"));
}

TEST(Validate, EveryLaterUseNamesTheFirstUse) {
    Round r = valid_round();
    r.bids[2].id = "eu-1";
    r.bids[3].id = "eu-1";
    r.offers[1].id = "eu-1";
    Problems ps = fields(r);
    ASSERT_EQ(ps.size(), 3u);
    EXPECT_EQ(ps[0], (Problem{"bids[2].id", "id \"eu-1\" is already used by bids[0]"}));
    EXPECT_EQ(ps[1], (Problem{"bids[3].id", "id \"eu-1\" is already used by bids[0]"}));
    EXPECT_EQ(ps[2], (Problem{"offers[1].id", "id \"eu-1\" is already used by bids[0]"}));
}

// Many orders, many repeats, ids that differ in one byte: the id table
// must name every later use and its first use, in order, as a map would.
TEST(Validate, ManyRepeatedIdsAreAllNamedInOrder) {
    Round r = valid_round();
    const Bid bid = r.bids[0];
    const Offer offer = r.offers[0];
    r.bids.assign(30000, bid);
    r.offers.assign(30000, offer);
    for (std::size_t i = 0; i < r.bids.size(); ++i) r.bids[i].id = "x" + std::to_string(i % 20011);
    for (std::size_t i = 0; i < r.offers.size(); ++i) r.offers[i].id = "x" + std::to_string((i * 7) % 40009);
    std::map<std::string, std::string> first;
    Problems want;
    auto use = [&](const std::string& path, const std::string& id) {
        auto [it, fresh] = first.try_emplace(id, path);
        if (!fresh) want.push_back({path + ".id", "id \"" + id + "\" is already used by " + it->second});
    };
    for (std::size_t i = 0; i < r.bids.size(); ++i) use("bids[" + std::to_string(i) + "]", r.bids[i].id.str());
    for (std::size_t i = 0; i < r.offers.size(); ++i) use("offers[" + std::to_string(i) + "]", r.offers[i].id.str());
    ASSERT_GT(want.size(), 10000u);
    EXPECT_EQ(fields(r), want);
}

TEST(Validate, IdsAreCaseAndByteExact) {
    Round r = valid_round();
    r.offers[0].id = "EU-1";  // differs from "eu-1"
    r.offers[1].id = "eu-1 ";
    EXPECT_TRUE(fields(r).empty());
}

// ---------------------------------------------------------------- bid and offer fields

TEST(Validate, BuyerBlocSupplierNonEmpty) {
    Round r = valid_round();
    r.bids[1].buyer = "";
    r.bids[2].bloc = "";
    r.offers[0].supplier = "";
    Problems ps = fields(r);
    ASSERT_EQ(ps.size(), 3u);
    EXPECT_EQ(ps[0], (Problem{"bids[1].buyer", "must not be empty"}));
    EXPECT_EQ(ps[1], (Problem{"bids[2].bloc", "must not be empty"}));
    EXPECT_EQ(ps[2], (Problem{"offers[0].supplier", "must not be empty"}));
}

TEST(Validate, OfferOrigin) {
    for (const char* bad : {"au", "A", "AUS", "", "A1", "Au"}) {
        Round r = valid_round();
        r.offers[1].origin = bad;
        EXPECT_TRUE(only(fields(r), "offers[1].origin",
                         "\"" + std::string(bad) + "\" is not an ISO 3166 alpha-2 code"))
            << bad;
    }
}

TEST(Validate, LotsRange) {
    Round r = valid_round();
    r.bids[0].lots = 0;
    EXPECT_TRUE(only(fields(r), "bids[0].lots", "0 is outside 1 to 1000000000"));
    r.bids[0].lots = -5;
    EXPECT_TRUE(only(fields(r), "bids[0].lots", "-5 is outside 1 to 1000000000"));
    r.bids[0].lots = 1'000'000'001;
    EXPECT_TRUE(only(fields(r), "bids[0].lots", "1000000001 is outside 1 to 1000000000"));
    r.bids[0].lots = 1'000'000'000;
    EXPECT_TRUE(fields(r).empty());
    r.bids[0].lots = 1;
    EXPECT_TRUE(fields(r).empty());

    r = valid_round();
    r.offers[2].lots = 0;
    EXPECT_TRUE(only(fields(r), "offers[2].lots", "0 is outside 1 to 1000000000"));
    r.offers[2].lots = INT64_MAX;
    EXPECT_TRUE(only(fields(r), "offers[2].lots", "9223372036854775807 is outside 1 to 1000000000"));
}

TEST(Validate, MinLotsRange) {
    Round r = valid_round();  // bids[0].lots = 12, offers[0].lots = 10
    r.bids[0].min_lots = 12;  // all-or-none
    EXPECT_TRUE(fields(r).empty());
    r.bids[0].min_lots = 13;
    EXPECT_TRUE(only(fields(r), "bids[0].min_lots", "13 is outside 0 to lots (12)"));
    r.bids[0].min_lots = -1;
    EXPECT_TRUE(only(fields(r), "bids[0].min_lots", "-1 is outside 0 to lots (12)"));
    r = valid_round();
    r.offers[0].min_lots = 11;
    EXPECT_TRUE(only(fields(r), "offers[0].min_lots", "11 is outside 0 to lots (10)"));
    r.offers[0].min_lots = 10;
    EXPECT_TRUE(fields(r).empty());
    r.offers[0].min_lots = 1;
    EXPECT_TRUE(fields(r).empty());
    // Above the lot limit, a min_lots above lots is still reported.
    r.offers[0].lots = 2'000'000'000;
    r.offers[0].min_lots = 3'000'000'000;
    Problems ps = fields(r);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].path, "offers[0].lots");
    EXPECT_EQ(ps[1], (Problem{"offers[0].min_lots", "3000000000 is outside 0 to lots (2000000000)"}));
}

TEST(Validate, LimitMustBePositive) {
    Round r = valid_round();
    r.bids[3].limit = dec("0");
    EXPECT_TRUE(only(fields(r), "bids[3].limit", "0 must be greater than 0"));
    r.bids[3].limit = dec("-14000");
    EXPECT_TRUE(only(fields(r), "bids[3].limit", "-14000 must be greater than 0"));
    r.bids[3].limit = dec("0.0000000001");
    EXPECT_TRUE(fields(r).empty());
}

TEST(Validate, AskMayBeZeroNotNegative) {
    Round r = valid_round();
    r.offers[1].ask = dec("0");
    EXPECT_TRUE(fields(r).empty());
    r.offers[1].ask = dec("-0.01");
    EXPECT_TRUE(only(fields(r), "offers[1].ask", "-0.01 must be at least 0"));
}

TEST(Validate, PriceDigitLimits) {
    Round r = valid_round();
    r.bids[0].limit = dec("999999999999.9999999999");  // 12 + 10: allowed
    r.offers[0].ask = dec("999999999999.9999999999");
    EXPECT_TRUE(fields(r).empty());
    EXPECT_TRUE(prepared(r).empty());
    r.bids[0].limit = dec("1000000000000");
    EXPECT_TRUE(only(fields(r), "bids[0].limit", "1000000000000 has more than 12 digits before the point"));
    r.bids[0].limit = dec("1.12345678901");
    EXPECT_TRUE(only(fields(r), "bids[0].limit", "1.12345678901 has more than 10 digits after the point"));
    r.bids[0].limit = dec("14000");
    r.offers[0].ask = dec("1234567890123.5");
    EXPECT_TRUE(only(fields(r), "offers[0].ask", "1234567890123.5 has more than 12 digits before the point"));
    // Trailing zeros are not digits of the value.
    r.offers[0].ask = dec("13000.000000000000000");
    EXPECT_TRUE(fields(r).empty());
}

TEST(Validate, BothDigitLimitsAndRangeAtOnce) {
    Round r = valid_round();
    r.offers[0].ask = dec("-1234567890123.12345678901");
    Problems ps = fields(r);
    EXPECT_EQ(at(ps, "offers[0].ask"),
              (std::vector<std::string>{"-1234567890123.12345678901 has more than 12 digits before the point",
                                        "-1234567890123.12345678901 has more than 10 digits after the point",
                                        "-1234567890123.12345678901 must be at least 0"}));
    EXPECT_EQ(ps.size(), 3u);
}

TEST(Validate, OrderCurrencyCode) {
    Round r = valid_round();
    r.bids[0].currency = "eur";
    Problems f = fields(r);
    EXPECT_TRUE(only(f, "bids[0].currency", "\"eur\" is not a currency code (3 upper-case letters)"));
    r = valid_round();
    r.offers[1].currency = "EURO";
    EXPECT_TRUE(only(fields(r), "offers[1].currency", "\"EURO\" is not a currency code (3 upper-case letters)"));
}

// ---------------------------------------------------------------- prepare()

TEST(Prepare, UnknownCurrencyNamesIt) {
    Round r = valid_round();
    r.bids[0].currency = "USD";
    EXPECT_TRUE(fields(r).empty());  // a code it cannot check without converting
    EXPECT_TRUE(only(prepared(r), "bids[0].currency",
                     "currency \"USD\" is neither the clearing currency \"EUR\" nor given in fx"));
    r = valid_round();
    r.offers[2].currency = "GBP";  // an ineligible offer is still checked
    EXPECT_TRUE(only(prepared(r), "offers[2].currency",
                     "currency \"GBP\" is neither the clearing currency \"EUR\" nor given in fx"));
}

TEST(Prepare, MalformedCurrencyCodeIsReportedOnce) {
    Round r = valid_round();
    r.bids[1].currency = "jpy";
    EXPECT_TRUE(only(prepared(r), "bids[1].currency", "\"jpy\" is not a currency code (3 upper-case letters)"));
}

TEST(Prepare, NegativeAskIsNotAlsoTooManyTicks) {
    // The ask is reported once, for its sign; its tick count is not the problem.
    Round r = valid_round();
    r.offers[1].ask = dec("-0.01");
    EXPECT_TRUE(only(prepared(r), "offers[1].ask", "-0.01 must be at least 0"));
}

TEST(Prepare, BadFxRateIsReportedOnlyAtFx) {
    // bids[1] is in JPY: a zero or negative rate is the fx entry's problem,
    // not a "too many ticks" problem of every JPY order.
    Round r = valid_round();
    r.fx["JPY"] = dec("0");
    EXPECT_TRUE(only(prepared(r), "fx.JPY", "0 must be greater than 0"));
    r.fx["JPY"] = dec("-0.0061");
    EXPECT_TRUE(only(prepared(r), "fx.JPY", "-0.0061 must be greater than 0"));
}

TEST(Prepare, PriceWithThirtyEightFractionDigits) {
    // Reported for its digits; converting it must not misbehave (run under
    // -fsanitize=undefined to see signed overflow in the conversion).
    Round r = valid_round();
    r.bids[1].limit = jpclear::Decimal::from_units(1, 38);  // a JPY bid: rate scale 4
    EXPECT_TRUE(only(prepared(r), "bids[1].limit",
                     "0.00000000000000000000000000000000000001 has more than 10 digits after the point"));
}

TEST(Prepare, ConvertedPriceTooLargeForTicks) {
    // The spec's e9 case: 31 digits. The digit limit names it; the tick count
    // may or may not be reported again, but only at the same path.
    Round r = valid_round();
    r.bids[0].limit = dec("1000000000000000000000000000000");
    Problems ps = prepared(r);
    std::vector<std::string> msgs = at(ps, "bids[0].limit");
    ASSERT_FALSE(msgs.empty());
    EXPECT_EQ(msgs[0], "1000000000000000000000000000000 has more than 12 digits before the point");
    EXPECT_EQ(msgs.size(), ps.size());
    // Within the digit limits, only the tick count is wrong: 10^12 / 10^-10.
    r.bids[0].limit = dec("999999999999");
    r.rules.tick = dec("0.0000000001");
    EXPECT_TRUE(only(prepared(r), "bids[0].limit", "limit 999999999999 converts to more ticks than fit in 64 bits"));
}

TEST(Prepare, TickCountBoundaryOfSixtyFourBits) {
    // With a tick of 10^-7, 922337203685.4775807 is exactly INT64_MAX ticks.
    Round r = valid_round();
    r.rules.tick = dec("0.0000001");
    r.bids[0].limit = dec("922337203685.4775807");
    r.offers[0].ask = dec("922337203685.4775807");
    auto p = jpclear::prepare(r);
    EXPECT_TRUE(p.problems.empty());
    EXPECT_EQ(p.book.bid_price[0], INT64_MAX);
    EXPECT_EQ(p.book.offer_price[0], INT64_MAX);

    r.bids[0].limit = dec("922337203685.4775808");
    EXPECT_TRUE(only(prepared(r), "bids[0].limit", "limit 922337203685.4775808 converts to more ticks than fit in 64 bits"));
    r.bids[0].limit = dec("922337203685.47758079");  // floors to INT64_MAX: fits
    EXPECT_TRUE(prepared(r).empty());
    r.bids[0].limit = dec("14000");
    r.offers[0].ask = dec("922337203685.47758071");  // ceils to INT64_MAX + 1
    EXPECT_TRUE(only(prepared(r), "offers[0].ask", "ask 922337203685.47758071 converts to more ticks than fit in 64 bits"));
}

TEST(Prepare, TooLargeAfterFx) {
    Round r = valid_round();
    r.fx["JPY"] = dec("999999999999");
    r.bids[1].limit = dec("999999999999");  // JPY: 10^24 EUR
    EXPECT_TRUE(fields(r).empty());
    EXPECT_TRUE(only(prepared(r), "bids[1].limit", "limit 999999999999 converts to more ticks than fit in 64 bits"));
}

// ---------------------------------------------------------------- all at once

TEST(Validate, EveryProblemReportedAtOnceWithPaths) {
    Round r = valid_round();
    r.currency = "Eur";
    r.rules.k = dec("1.5");
    r.rules.tick = dec("0.01");
    r.bids[0].lots = -5;
    r.bids[1].currency = "USD";
    r.bids[3].limit = dec("0");
    r.offers[0].id = "eu-2";
    r.offers[1].min_lots = 9;
    r.offers[2].origin = "xx";
    Problems ps = prepared(r);
    std::vector<std::string> got;
    for (const Problem& p : ps) got.push_back(p.to_string());
    std::vector<std::string> want = {
        "currency: \"Eur\" is not a currency code (3 upper-case letters)",
        "rules.pricing.k: 1.5 must be at most 1",
        "bids[0].lots: -5 is outside 1 to 1000000000",
        "bids[3].limit: 0 must be greater than 0",
        "offers[0].id: id \"eu-2\" is already used by bids[2]",
        "offers[1].min_lots: 9 is outside 0 to lots (8)",
        "offers[2].origin: \"xx\" is not an ISO 3166 alpha-2 code",
        "bids[1].currency: currency \"USD\" is neither the clearing currency \"Eur\" nor given in fx",
        // bids[2] names "EUR" explicitly, which is not the clearing currency "Eur".
        "bids[2].currency: currency \"EUR\" is neither the clearing currency \"Eur\" nor given in fx",
    };
    EXPECT_EQ(got, want);
}

TEST(Validate, ProblemToString) {
    EXPECT_EQ((Problem{"bids[3].limit", "\"12,5\" is not a decimal"}).to_string(),
              "bids[3].limit: \"12,5\" is not a decimal");
    EXPECT_EQ((Problem{"", "whole round"}).to_string(), "whole round");
}

TEST(Validate, ClearRefusesInvalidInputWithoutResult) {
    Round r = valid_round();
    r.bids[2].lots = 0;
    auto out = jpclear::clear(r);
    EXPECT_EQ(out.status, jpclear::CallStatus::invalid_input);
    EXPECT_FALSE(out.ok());
    EXPECT_FALSE(out.result.has_value());
    EXPECT_TRUE(only(out.problems, "bids[2].lots", "0 is outside 1 to 1000000000"));
}

}  // namespace

// ---------------------------------------------------------------- id length

TEST(Validate, IdsHaveAtMost256Bytes) {
    Round r = valid_round();
    r.bids[0].id = std::string(256, 'b');
    r.offers[0].id = std::string(256, 'o');
    EXPECT_TRUE(fields(r).empty());
    r.bids[0].id = std::string(257, 'b');
    r.offers[0].id = std::string(1 << 20, 'o');
    const Problems ps = fields(r);
    EXPECT_EQ(at(ps, "bids[0].id"), std::vector<std::string>{"is 257 bytes long; an id has at most 256 bytes"});
    EXPECT_EQ(at(ps, "offers[0].id"), std::vector<std::string>{"is 1048576 bytes long; an id has at most 256 bytes"});
}

// One bid whose awards repeat its id 2,000 times: with ids bounded, the
// result stays within a small factor of the round it came from.
TEST(Validate, ResultOfLongIdsStaysNearTheSizeOfItsInput) {
    Round r = valid_round();
    r.rules.max_origin_share.reset();
    r.bids = {make_bid(std::string(256, 'b'), "EU", 2000, "15000")};
    r.offers.clear();
    for (int i = 0; i < 2000; ++i)
        r.offers.push_back(make_offer(("o" + std::to_string(i)).c_str(), "AU", 1, "13000"));
    const jpclear::ClearOutcome out = jpclear::clear(r);
    ASSERT_TRUE(out.ok());
    ASSERT_EQ(out.result->awards.size(), 2000u);
    std::ostringstream round_text;
    jpclear::write_round_json(round_text, r);
    const std::string result = jpclear::result_json(*out.result);
    EXPECT_LT(result.size(), 5 * round_text.str().size()) << result.size() << " bytes from " << round_text.str().size();
}
