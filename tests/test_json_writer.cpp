// result_json(), write_result_json() and write_round_json(): the writers.
//
// The result document is compared byte for byte with hand-written text, so
// key order, layout and number format are pinned; hostile strings must come
// out as JSON that an independent parser (nlohmann) reads back to the same
// bytes; and a written round must read back as the same round.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "round_builders.h"

namespace jpclear {
namespace {

using ordered_json = nlohmann::ordered_json;
using test::bid;
using test::offer;

OrderResult order(std::uint32_t index, std::int64_t filled, FillStatus status, const char* price,
                  Reason reason = {}) {
    OrderResult o;
    o.order = OrderIndex{index};
    o.filled = Lots{filled};
    o.status = status;
    if (*price) o.price = dec(price);
    o.reason = reason;
    return o;
}

// Two bids, two offers, every optional part of a result present.
Round small_round() {
    Round r;
    r.id = "r-1";
    r.currency = "EUR";
    r.material.code = "LI2CO3";
    r.material.lot_tonnes = dec("20");
    r.bids = {bid("b-1", "EU", 10, "14100.5"), bid("b-2", "JP", 8, "14050")};
    r.offers = {offer("o-1", "AU", 10, "14000"), offer("o-2", "CL", 5, "13900")};
    return r;
}

Result small_result() {
    Result r;
    r.round = "r-1";
    r.currency = "EUR";
    r.status = RoundStatus::cleared;
    r.clearing_price = dec("14050");
    r.price_low = dec("14000");
    r.price_high = dec("14100.5");
    r.cleared_lots = Lots{15};
    r.cleared_tonnes = dec("300");
    r.optimality = Optimality::limit;
    r.bound = dec("1000.5");
    r.welfare = dec("1000.25");
    r.buyer_surplus = dec("600");
    r.supplier_surplus = dec("400.25");
    r.rounding_residual = Decimal();
    r.bids = {order(0, 10, FillStatus::filled, "14050"),
              order(1, 5, FillStatus::partial, "14050", written_reason(r, "at the margin: got its pro-rata share"))};
    r.offers = {order(0, 10, FillStatus::filled, "14050"), order(1, 5, FillStatus::filled, "14050")};
    r.awards = {Award{OrderIndex{0}, OrderIndex{0}, Lots{10}, dec("14050")},
                Award{OrderIndex{1}, OrderIndex{1}, Lots{5}, dec("14050")}};
    r.blocs["EU"] = BlocTotals{1, Lots{10}, Lots{10}, dec("2810000"), dec("150")};
    r.blocs["JP"] = BlocTotals{1, Lots{8}, Lots{5}, dec("1405000"), dec("450")};
    r.origins["AU"] = OriginTotals{Lots{10}, dec("0.666667"), dec("0.70"), Lots{10}, dec("300")};
    r.origins["CL"] = OriginTotals{Lots{5}, dec("0.333333"), dec("0.7"), Lots{10}, dec("100.25")};
    r.price_digits = 2;
    return r;
}

std::string written_round(const Round& round) {
    std::ostringstream out;
    write_round_json(out, round);
    return out.str();
}

// The output must be JSON to any reader, not just to ours.
ordered_json parsed(const std::string& text) {
    try {
        return ordered_json::parse(text);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not valid JSON: " << e.what() << "\n" << text.substr(0, 2000);
        return ordered_json();
    }
}

// Digits after the point of a decimal string `-?digits(.digits)?`, or -1 for anything else.
int fraction_digits(const ordered_json& value) {
    if (!value.is_string()) return -1;
    const std::string text = value.get<std::string>();
    const std::size_t start = text.starts_with('-') ? 1 : 0;
    const std::size_t point = text.find('.');
    const std::size_t int_end = point == std::string::npos ? text.size() : point;
    if (int_end == start || text.find_first_not_of("0123456789", start) != int_end) return -1;
    if (point == std::string::npos) return 0;
    const std::size_t fraction = text.size() - point - 1;
    if (fraction == 0 || text.find_first_not_of("0123456789", point + 1) != std::string::npos) return -1;
    return static_cast<int>(fraction);
}

std::vector<std::string> keys_of(const ordered_json& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) keys.push_back(item.key());
    return keys;
}

// --- the result document ------------------------------------------------------

TEST(JsonWriter, ResultHasFixedKeyOrderLayoutAndNumberFormat) {
    const std::string want = R"({
  "format": "jpclear.result/1",
  "round": "r-1",
  "currency": "EUR",
  "status": "cleared",
  "clearing_price": "14050.00",
  "price_interval": ["14000.00", "14100.50"],
  "cleared_lots": 15,
  "cleared_tonnes": "300",
  "optimality": "limit",
  "bound": "1000.50",
  "welfare": "1000.25",
  "buyer_surplus": "600.00",
  "supplier_surplus": "400.25",
  "rounding_residual": "0.00",
  "bids": [
    {"id": "b-1", "filled_lots": 10, "status": "filled", "price": "14050.00"},
    {"id": "b-2", "filled_lots": 5, "status": "partial", "price": "14050.00", "reason": "at the margin: got its pro-rata share"}
  ],
  "offers": [
    {"id": "o-1", "filled_lots": 10, "status": "filled", "price": "14050.00"},
    {"id": "o-2", "filled_lots": 5, "status": "filled", "price": "14050.00"}
  ],
  "awards": [
    {"bid": "b-1", "offer": "o-1", "lots": 10, "price": "14050.00"},
    {"bid": "b-2", "offer": "o-2", "lots": 5, "price": "14050.00"}
  ],
  "blocs": {
    "EU": {"bids": 1, "requested_lots": 10, "filled_lots": 10, "cost": "2810000.00", "buyer_surplus": "150.00"},
    "JP": {"bids": 1, "requested_lots": 8, "filled_lots": 5, "cost": "1405000.00", "buyer_surplus": "450.00"}
  },
  "origins": {
    "AU": {"lots": 10, "share": "0.666667", "cap": "0.7", "cap_lots": 10, "supplier_surplus": "300.00"},
    "CL": {"lots": 5, "share": "0.333333", "cap": "0.7", "cap_lots": 10, "supplier_surplus": "100.25"}
  }
}
)";
    EXPECT_EQ(result_json(small_round(), small_result()), want);
}

TEST(JsonWriter, NoTradeResultWritesNullsAndEmptyLists) {
    Round round;
    round.id = "empty";
    round.currency = "JPY";
    Result r;
    r.round = "empty";
    r.currency = "JPY";
    r.price_digits = 0;
    const std::string want = R"({
  "format": "jpclear.result/1",
  "round": "empty",
  "currency": "JPY",
  "status": "no-trade",
  "clearing_price": null,
  "price_interval": null,
  "cleared_lots": 0,
  "cleared_tonnes": "0",
  "optimality": "proven",
  "welfare": "0",
  "buyer_surplus": "0",
  "supplier_surplus": "0",
  "rounding_residual": "0",
  "bids": [],
  "offers": [],
  "awards": [],
  "blocs": {},
  "origins": {}
}
)";
    EXPECT_EQ(result_json(round, r), want);
    // Half an interval is no interval.
    r.price_low = dec("5");
    EXPECT_NE(result_json(round, r).find("\"price_interval\": null,"), std::string::npos);
}

TEST(JsonWriter, MoneyAndPricesHaveTheTicksDigitsAndNeverLoseAny) {
    Round round = small_round();
    Result r = small_result();
    struct Case {
        int digits;
        const char* value;
        const char* written;
    };
    const Case cases[] = {
        {0, "14050", "\"14050\""},        {1, "14050", "\"14050.0\""},       {2, "14050", "\"14050.00\""},
        {4, "14050.5", "\"14050.5000\""}, {2, "0", "\"0.00\""},              {2, "0.05", "\"0.05\""},
        {2, "-3.5", "\"-3.50\""},         {2, "14050.125", "\"14050.125\""},  // never rounded away
        {0, "0.5", "\"0.5\""},            {10, "1", "\"1.0000000000\""},
        {2, "12345678901234567890123456.78", "\"12345678901234567890123456.78\""},
        {2, "-0.0000000001", "\"-0.0000000001\""},
    };
    for (const Case& c : cases) {
        r.price_digits = c.digits;
        r.clearing_price = dec(c.value);
        r.welfare = dec(c.value);
        const std::string json = result_json(round, r);
        EXPECT_NE(json.find(std::string("\"clearing_price\": ") + c.written + ","), std::string::npos)
            << c.value << " at " << c.digits << " digits:\n" << json.substr(0, 400);
        EXPECT_NE(json.find(std::string("\"welfare\": ") + c.written + ","), std::string::npos)
            << c.value << " at " << c.digits << " digits";
    }
    // Tonnes are written as they are; shares always with 6 digits; caps as given.
    r.cleared_tonnes = dec("0.5");
    r.origins["AU"].share = Decimal::integer(1);
    r.origins["AU"].cap = Decimal::integer(1);
    r.origins["AU"].cap_lots.reset();
    r.origins["CL"].cap.reset();
    r.origins["CL"].share = Decimal();
    const std::string json = result_json(round, r);
    EXPECT_NE(json.find("\"cleared_tonnes\": \"0.5\","), std::string::npos);
    EXPECT_NE(json.find(R"("AU": {"lots": 10, "share": "1.000000", "cap": "1", "supplier_surplus": "300.00"})"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("CL": {"lots": 5, "share": "0.000000", "cap_lots": 10, "supplier_surplus": "100.25"})"), std::string::npos) << json;
    // bound only under limit.
    r.bound.reset();
    EXPECT_EQ(result_json(round, r).find("\"bound\""), std::string::npos);
}

TEST(JsonWriter, WholeNumbersCoverTheirWholeRange) {
    Round round = small_round();
    Result r = small_result();
    r.cleared_lots = Lots{INT64_MAX};
    r.bids[0].filled = Lots{INT64_MIN};
    r.blocs["EU"].bids = 0;
    const ordered_json doc = parsed(result_json(round, r));
    EXPECT_EQ(doc["cleared_lots"].get<std::int64_t>(), INT64_MAX);
    EXPECT_EQ(doc["bids"][0]["filled_lots"].get<std::int64_t>(), INT64_MIN);
    EXPECT_EQ(doc["blocs"]["EU"]["bids"].get<std::int64_t>(), 0);
}

// The stream writers hand their text over in 1 MiB chunks; documents of
// several chunks must come out byte for byte as the string writer makes them.
TEST(JsonWriter, StreamedDocumentsOfManyChunksAreTheSameBytes) {
    GenerateSpec spec;
    spec.bids = 30000;
    spec.offers = 3000;
    spec.seed = 3;
    const Round round = generate_round(spec);
    const ClearOutcome out = clear(round);
    ASSERT_TRUE(out.ok());
    const std::string whole = result_json(round, *out.result);
    ASSERT_GT(whole.size(), 3u << 20);  // several chunks
    std::ostringstream streamed;
    write_result_json(streamed, round, *out.result);
    EXPECT_TRUE(streamed.str() == whole);  // not EXPECT_EQ: no 5 MB diff on failure

    std::ostringstream round_text;
    write_round_json(round_text, round);
    ASSERT_GT(round_text.str().size(), 3u << 20);
    const RoundRead back = read_round_json(round_text.str());
    ASSERT_TRUE(back.round.has_value());
    std::ostringstream again;
    write_round_json(again, *back.round);
    EXPECT_TRUE(again.str() == round_text.str());
}

TEST(JsonWriter, ClearedResultIsByteIdenticalOnEveryCallAndValidJson) {
    GenerateSpec spec;
    spec.bids = 400;
    spec.offers = 80;
    spec.seed = 7;
    spec.block_per_mille = 50;
    spec.origin_cap = true;
    const Round round = generate_round(spec);
    const ClearOutcome a = clear(round);
    ASSERT_TRUE(a.ok()) << (a.problems.empty() ? "" : a.problems[0].to_string());
    const std::string first = result_json(round, *a.result);
    EXPECT_EQ(result_json(round, *a.result), first);
    std::ostringstream streamed;
    write_result_json(streamed, round, *a.result);
    EXPECT_EQ(streamed.str(), first);
    const ClearOutcome b = clear(round);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(result_json(round, *b.result), first);

    // The spec's keys in the spec's order, each order's too.
    const ordered_json doc = parsed(first);
    std::vector<std::string> top = {"format", "round", "currency", "status", "clearing_price", "price_interval",
                                    "cleared_lots", "cleared_tonnes", "optimality"};
    if (a.result->bound) top.push_back("bound");
    for (const char* key : {"welfare", "buyer_surplus", "supplier_surplus", "rounding_residual", "bids", "offers",
                            "awards", "blocs", "origins"})
        top.push_back(key);
    EXPECT_EQ(keys_of(doc), top);
    ASSERT_EQ(doc["bids"].size(), round.bids.size());
    ASSERT_EQ(doc["offers"].size(), round.offers.size());
    const int digits = a.result->price_digits;
    for (std::size_t i = 0; i < round.bids.size(); ++i) {
        const ordered_json& o = doc["bids"][i];
        EXPECT_EQ(o["id"], round.bids[i].id.str());
        std::vector<std::string> keys = {"id", "filled_lots", "status"};
        if (o.contains("price")) {
            keys.push_back("price");
            EXPECT_EQ(fraction_digits(o["price"]), digits) << o.dump();
        }
        if (o.contains("reason")) keys.push_back("reason");
        EXPECT_EQ(keys_of(o), keys) << o.dump();
    }
    for (const auto& award : doc["awards"]) {
        EXPECT_EQ(keys_of(award), (std::vector<std::string>{"bid", "offer", "lots", "price"}));
        EXPECT_EQ(fraction_digits(award["price"]), digits) << award.dump();
    }
    // Prices with exactly the tick's digits, money with at least as many, shares with 6.
    EXPECT_EQ(fraction_digits(doc["clearing_price"]), digits) << doc["clearing_price"].dump();
    for (const char* money : {"welfare", "buyer_surplus", "supplier_surplus", "rounding_residual"})
        EXPECT_GE(fraction_digits(doc[money]), digits) << money << ": " << doc[money].dump();
    for (const auto& [bloc, totals] : doc["blocs"].items())
        EXPECT_GE(fraction_digits(totals["cost"]), digits) << bloc << ": " << totals.dump();
    for (const auto& [code, origin] : doc["origins"].items())
        EXPECT_EQ(fraction_digits(origin["share"]), 6) << code << ": " << origin.dump();
}

// --- strings ------------------------------------------------------------------

// Ids, codes and texts a person or a CSV file might give, all of them legal.
const std::vector<std::string> awkward_strings = {
    "plain",
    "say \"hi\"",
    "back\\slash\\",
    "comma, and; semicolon",
    std::string("nul\0inside", 10),
    "\x01\x02\x1f tab\t cr\r lf\n bs\b ff\f",
    "del\x7f",
    "東京バッテリー",
    "Müller & Söhne",
    "🔋⚡",
    "line\xE2\x80\xA8sep\xE2\x80\xA9",  // U+2028, U+2029: fine in JSON
    "\xF4\x8F\xBF\xBF",                 // U+10FFFF
    "</script>",
    "",
};

TEST(JsonWriter, StringsAreEscapedSoAnyParserReadsThemBack) {
    for (const std::string& s : awkward_strings) {
        Round round = small_round();
        Result r = small_result();
        round.bids[0].id = s;
        round.offers[1].id = s + "#o";
        r.round = s;
        r.bids[1].reason = written_reason(r, s);
        r.blocs.clear();
        r.blocs[s] = BlocTotals{};
        r.origins.clear();
        r.origins[s + "#o"] = OriginTotals{};
        const std::string json = result_json(round, r);
        // Control characters are never written raw.
        SCOPED_TRACE(::testing::PrintToString(s));
        std::string raw_controls;
        for (char c = 0; c < 0x20; ++c)
            if (c != '\n') raw_controls += c;
        EXPECT_EQ(json.find_first_of(raw_controls), std::string::npos);
        const ordered_json doc = parsed(json);
        EXPECT_EQ(doc["round"], s);
        EXPECT_EQ(doc["bids"][0]["id"], s);
        if (s.empty()) EXPECT_FALSE(doc["bids"][1].contains("reason"));  // an empty reason is left out
        else EXPECT_EQ(doc["bids"][1]["reason"], s);
        EXPECT_EQ(doc["offers"][1]["id"], s + "#o");
        EXPECT_EQ(doc["awards"][0]["bid"], s);
        EXPECT_EQ(doc["awards"][1]["offer"], s + "#o");
        EXPECT_EQ(keys_of(doc["blocs"]), std::vector<std::string>{s});
        EXPECT_EQ(keys_of(doc["origins"]), std::vector<std::string>{s + "#o"});
    }
    // The escapes themselves are the short ones, in lower-case hex.
    Round round = small_round();
    round.bids[0].id = std::string("q\"b\\c\x01\x1f\0", 8);
    const std::string json = result_json(round, small_result());
    EXPECT_NE(json.find(R"({"id": "q\"b\\c\u0001\u001f\u0000", "filled_lots")"), std::string::npos) << json;
}

// The writer passes plain text eight bytes at a time: a byte that needs care
// must be caught wherever it falls in or after those words.
TEST(JsonWriter, EscapesAreFoundAtEveryPositionOfALongString) {
    const std::vector<std::string> specials = {"\"", "\\", std::string(1, '\0'), "\x01", "\x1f", " ", "\x7f",
                                               "\xC3\xA9", "\xE6\x9D\xB1", "\xF0\x9F\x98\x80", "\xFF"};
    for (const std::string& special : specials)
        for (std::size_t at = 0; at <= 24; ++at) {
            std::string id(24, 'a');
            id.insert(at, special);
            SCOPED_TRACE(::testing::PrintToString(id));
            Round round = small_round();
            round.bids[0].id = id;
            const std::string json = result_json(round, small_result());
            const ordered_json doc = parsed(json);
            const std::string want = special == "\xFF" ? std::string(id).replace(at, 1, "\xEF\xBF\xBD") : id;
            EXPECT_EQ(doc["bids"][0]["id"], want);
            for (char c = 0; c < 0x20; ++c) {
                if (c != '\n') {
                    EXPECT_EQ(json.find(c), std::string::npos);
                }
            }
        }
}

TEST(JsonWriter, BytesThatAreNotUtf8BecomeReplacementCharacters) {
    // Ids from a CSV file are not checked for UTF-8; the JSON written must
    // still be valid, each stray byte becoming U+FFFD, and valid text around it kept.
    const std::string replacement = "\xEF\xBF\xBD";
    const std::pair<std::string, std::string> cases[] = {
        {"b\xFF", "b" + replacement},
        {"\x80x", replacement + "x"},
        {"\xC3", replacement},                                  // cut short at the end
        {"\xC3(", replacement + "("},                            // no continuation
        {"\xC0\xAF", replacement + replacement},                // overlong '/'
        {"\xE0\x80\xAF", replacement + replacement + replacement},  // overlong, 3 bytes
        {"\xED\xA0\x80", replacement + replacement + replacement},  // a surrogate
        {"\xF4\x90\x80\x80", replacement + replacement + replacement + replacement},  // beyond U+10FFFF
        {"\xF5\x80", replacement + replacement},
        {"\xE6\x9D", replacement + replacement},                // 東 cut short
        {"\xE6\x9D\xB1\xFF\xE4\xBA\xAC", "東" + replacement + "京"},
    };
    for (const auto& [bytes, want] : cases) {
        SCOPED_TRACE(::testing::PrintToString(bytes));
        Round round = small_round();
        round.bids[0].id = bytes;
        round.offers[0].supplier = bytes;
        const ordered_json result = parsed(result_json(round, small_result()));
        EXPECT_EQ(result["bids"][0]["id"], want);
        const ordered_json written = parsed(written_round(round));
        EXPECT_EQ(written["bids"][0]["id"], want);
        EXPECT_EQ(written["offers"][0]["supplier"], want);
    }
}

// --- the round document -------------------------------------------------------

TEST(JsonWriter, RoundHasFixedKeyOrderAndExactDecimals) {
    Round r = small_round();
    r.material.name = "Lithium carbonate";
    r.fx["JPY"] = dec("0.0061");
    r.fx["USD"] = dec("0.92");
    r.rules.pricing = PricingRule::pay_as_bid;
    r.rules.k = dec("0.25");
    r.rules.tick = dec("0.05");
    r.rules.max_origin_share = dec("0.650");
    r.rules.excluded_origins = {"RU", "XX"};
    r.rules.require_certified = true;
    r.bids[1].currency = "JPY";
    r.bids[1].min_lots = 8;
    r.offers[0].certified = true;
    r.offers[0].currency = "EUR";
    const std::string want = R"({
  "format": "jpclear.round/1",
  "round": "r-1",
  "material": {"code": "LI2CO3", "name": "Lithium carbonate", "lot_tonnes": "20"},
  "currency": "EUR",
  "fx": {"JPY": "0.0061", "USD": "0.92"},
  "rules": {"pricing": {"rule": "pay-as-bid", "k": "0.25"}, "tick": "0.05", "max_origin_share": "0.65", "excluded_origins": ["RU", "XX"], "require_certified": true},
  "bids": [
    {"id": "b-1", "buyer": "buyer b-1", "bloc": "EU", "lots": 10, "min_lots": 0, "limit": "14100.5"},
    {"id": "b-2", "buyer": "buyer b-2", "bloc": "JP", "lots": 8, "min_lots": 8, "limit": "14050", "currency": "JPY"}
  ],
  "offers": [
    {"id": "o-1", "supplier": "supplier o-1", "origin": "AU", "lots": 10, "min_lots": 0, "ask": "14000", "currency": "EUR", "certified": true},
    {"id": "o-2", "supplier": "supplier o-2", "origin": "CL", "lots": 5, "min_lots": 0, "ask": "13900", "certified": false}
  ]
}
)";
    EXPECT_EQ(written_round(r), want);

    // Left-out optional fields stay out; the defaults are written.
    Round plain;
    plain.id = "p";
    const std::string plain_want = R"({
  "format": "jpclear.round/1",
  "round": "p",
  "material": {"code": "", "lot_tonnes": "0"},
  "currency": "",
  "fx": {},
  "rules": {"pricing": {"rule": "uniform", "k": "0.5"}, "tick": "0.01", "excluded_origins": [], "require_certified": false},
  "bids": [],
  "offers": []
}
)";
    EXPECT_EQ(written_round(plain), plain_want);
}

TEST(JsonWriter, WrittenRoundReadsBackToTheSameRound) {
    Round r = small_round();
    r.material.name = "Lítio \"premium\"\n";
    r.fx["JPY"] = dec("0.0000000061");
    r.rules.max_origin_share = dec("1");
    r.rules.excluded_origins = {"RU", "", "\\"};
    for (std::size_t i = 0; i < awkward_strings.size(); ++i) {
        Bid b = bid("x", "EU", static_cast<std::int64_t>(i) + 1, "123456789012.0123456789");
        b.id = "b" + std::to_string(i) + awkward_strings[i];
        b.buyer = awkward_strings[i];
        b.bloc = awkward_strings[i];
        if (i % 2) b.currency = awkward_strings[i];
        r.bids.push_back(b);
    }
    r.offers[1].ask = dec("-0.0000000001");  // out of range, but written and read as it is
    r.bids[0].lots = INT64_MIN;
    r.offers[0].min_lots = INT64_MAX;
    const std::string text = written_round(r);
    RoundRead back = read_round_json(text);
    ASSERT_TRUE(back.problems.empty()) << back.problems[0].to_string();
    ASSERT_TRUE(back.round.has_value());
    // Written again, the same bytes: nothing was lost or changed on the way.
    EXPECT_EQ(written_round(*back.round), text);
    EXPECT_EQ(back.round->material.name, r.material.name);
    EXPECT_EQ(back.round->fx, r.fx);
    EXPECT_EQ(back.round->rules.excluded_origins, r.rules.excluded_origins);
    ASSERT_EQ(back.round->bids.size(), r.bids.size());
    for (std::size_t i = 0; i < r.bids.size(); ++i) {
        EXPECT_EQ(back.round->bids[i].id, r.bids[i].id) << i;
        EXPECT_EQ(back.round->bids[i].buyer, r.bids[i].buyer) << i;
        EXPECT_EQ(back.round->bids[i].currency, r.bids[i].currency) << i;
        EXPECT_EQ(back.round->bids[i].limit, r.bids[i].limit) << i;
        EXPECT_EQ(back.round->bids[i].lots, r.bids[i].lots) << i;
    }
    EXPECT_EQ(back.round->offers[1].ask, r.offers[1].ask);
    EXPECT_EQ(back.round->offers[0].min_lots, INT64_MAX);
}


// --- results of rounds with places (spec 10) ------------------------------------

// small_result() as the clearing engine gives it: every order knows its id.
Result result_with_ids() {
    Result r = small_result();
    r.bids[0].id = "b-1";
    r.bids[1].id = "b-2";
    r.offers[0].id = "o-1";
    r.offers[1].id = "o-2";
    return r;
}

// Four places (one without trade) and four routes (one full, one unused).
Result placed_result() {
    Result r = result_with_ids();
    r.has_places = true;
    r.price_low.reset();
    r.price_high.reset();
    r.freight_cost = dec("15200");
    r.places["NL-RTM"] = PlaceResult{dec("14081"), dec("14081"), dec("14100.5"), Lots{10}, Lots{0}};
    r.places["AU-PHE"] = PlaceResult{dec("14000"), dec("13950"), dec("14010.5"), Lots{0}, Lots{10}};
    r.places["JP-YOK"] = PlaceResult{dec("14050"), dec("14038"), dec("14062"), Lots{5}, Lots{5}};
    r.places["DE-HAM"] = PlaceResult{};
    r.routes = {RouteResult{"AU-PHE", "NL-RTM", Lots{10}, dec("81"), dec("0"), std::nullopt, false},
                RouteResult{"JP-YOK", "JP-YOK", Lots{5}, dec("0"), dec("0"), std::nullopt, false},
                RouteResult{"AU-PHE", "JP-YOK", Lots{0}, dec("38.5"), dec("0"), Lots{0}, true},
                RouteResult{"AU-PHE", "DE-HAM", Lots{0}, dec("79.25"), dec("0"), Lots{40}, false}};
    return r;
}

const std::string places_and_routes = R"(,
  "places": {
    "AU-PHE": {"price": "14000.00", "price_interval": ["13950.00", "14010.50"], "bought_lots": 0, "sold_lots": 10},
    "DE-HAM": {"price": null, "price_interval": null, "bought_lots": 0, "sold_lots": 0},
    "JP-YOK": {"price": "14050.00", "price_interval": ["14038.00", "14062.00"], "bought_lots": 5, "sold_lots": 5},
    "NL-RTM": {"price": "14081.00", "price_interval": ["14081.00", "14100.50"], "bought_lots": 10, "sold_lots": 0}
  },
  "routes": [
    {"from": "AU-PHE", "to": "NL-RTM", "lots": 10, "freight": "81.00", "rent": "0.00"},
    {"from": "JP-YOK", "to": "JP-YOK", "lots": 5, "freight": "0.00", "rent": "0.00"},
    {"from": "AU-PHE", "to": "JP-YOK", "lots": 0, "freight": "38.50", "rent": "0.00", "capacity_lots": 0},
    {"from": "AU-PHE", "to": "DE-HAM", "lots": 0, "freight": "79.25", "rent": "0.00", "capacity_lots": 40}
  ]
}
)";

// `text` with `from` replaced by `to` once; a failure when `from` is not there.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(JsonWriter, ResultWithoutPlacesIsWrittenExactlyAsBefore) {
    // The version 1 document (pinned byte for byte above), from the Result
    // alone, from the Result and its round, and with section 10 parts filled
    // in but has_places false.
    const std::string before = result_json(small_round(), small_result());
    const Result r = result_with_ids();
    EXPECT_EQ(result_json(r), before);
    EXPECT_EQ(result_json(small_round(), r), before);
    Result ignored = placed_result();
    ignored.has_places = false;
    ignored.price_low = dec("14000");
    ignored.price_high = dec("14100.5");
    EXPECT_EQ(result_json(ignored), before);
    std::ostringstream streamed;
    write_result_json(streamed, r);
    EXPECT_EQ(streamed.str(), before);
}

TEST(JsonWriter, ResultIdsComeFromTheResult) {
    // Ids the round does not know: the writer needs nothing but the Result.
    Result r = result_with_ids();
    r.bids[0].id = "bid \"zero\"";
    r.offers[1].id = "offer-1";
    r.awards.push_back(Award{OrderIndex{0}, OrderIndex{1}, Lots{1}, dec("1")});
    const ordered_json doc = parsed(result_json(r));
    EXPECT_EQ(doc["bids"][0]["id"], "bid \"zero\"");
    EXPECT_EQ(doc["bids"][1]["id"], "b-2");
    EXPECT_EQ(doc["offers"][1]["id"], "offer-1");
    EXPECT_EQ(doc["awards"][1]["offer"], "offer-1");
    EXPECT_EQ(doc["awards"][2]["bid"], "bid \"zero\"");
    EXPECT_EQ(doc["awards"][2]["offer"], "offer-1");
    // With a round too, the Result's own ids win; the round only fills in
    // ids a Result was built without.
    EXPECT_EQ(result_json(small_round(), r), result_json(r));
    Result half = r;
    half.bids[1].id.clear();
    const ordered_json filled = parsed(result_json(small_round(), half));
    EXPECT_EQ(filled["bids"][0]["id"], "bid \"zero\"");
    EXPECT_EQ(filled["bids"][1]["id"], "b-2");
    EXPECT_EQ(filled["awards"][1]["bid"], "b-2");
}

TEST(JsonWriter, ResultWithPlacesAddsFreightCostPlacesAndRoutes) {
    const Result r = placed_result();
    std::string want = result_json(result_with_ids());
    want = replaced(want, "  \"price_interval\": [\"14000.00\", \"14100.50\"],\n", "  \"price_interval\": null,\n");
    want = replaced(want, "  \"rounding_residual\": \"0.00\",\n",
                    "  \"rounding_residual\": \"0.00\",\n  \"freight_cost\": \"15200.00\",\n");
    want = replaced(want, "\n}\n", places_and_routes);
    EXPECT_EQ(result_json(r), want);
    EXPECT_EQ(result_json(small_round(), r), want);
    std::ostringstream streamed;
    write_result_json(streamed, r);
    EXPECT_EQ(streamed.str(), want);

    // Valid JSON, in the spec's key order, prices with the tick's digits.
    const ordered_json doc = parsed(want);
    const std::vector<std::string> top = {"format", "round", "currency", "status", "clearing_price",
                                          "price_interval", "cleared_lots", "cleared_tonnes", "optimality",
                                          "bound", "welfare", "buyer_surplus", "supplier_surplus",
                                          "rounding_residual", "freight_cost", "bids", "offers", "awards",
                                          "blocs", "origins", "places", "routes"};
    EXPECT_EQ(keys_of(doc), top);
    for (const auto& [id, place] : doc["places"].items()) {
        EXPECT_EQ(keys_of(place), (std::vector<std::string>{"price", "price_interval", "bought_lots", "sold_lots"}));
        if (!place["price"].is_null()) {
            EXPECT_EQ(fraction_digits(place["price"]), 2) << id;
        }
    }

    // Other digits, and a round with places but no places or routes at all.
    Result e = placed_result();
    e.price_digits = 0;
    e.places.clear();
    e.routes.clear();
    e.freight_cost = dec("0.5");
    const std::string empty = result_json(e);
    EXPECT_NE(empty.find("\n  \"freight_cost\": \"0.5\",\n"), std::string::npos) << empty;
    EXPECT_TRUE(empty.ends_with("\n  \"places\": {},\n  \"routes\": []\n}\n")) << empty;
    e.price_digits = 3;
    e.routes = {RouteResult{"A", "B", Lots{INT64_MAX}, dec("1.5"), dec("-2"), Lots{INT64_MAX}, true}};
    EXPECT_TRUE(result_json(e).ends_with(
        "\n    {\"from\": \"A\", \"to\": \"B\", \"lots\": 9223372036854775807, \"freight\": \"1.500\", \"rent\": "
        "\"-2.000\", \"capacity_lots\": 9223372036854775807}\n  ]\n}\n"))
        << result_json(e);
}

TEST(JsonWriter, PlaceAndRouteNamesAreEscaped) {
    Result r = placed_result();
    for (const std::string& s : awkward_strings) {
        r.places[s] = PlaceResult{};
        r.routes.push_back(RouteResult{s, s, Lots{1}, dec("1"), dec("0"), std::nullopt, false});
    }
    const ordered_json doc = parsed(result_json(r));
    for (std::size_t i = 0; i < awkward_strings.size(); ++i) {
        const std::string& s = awkward_strings[i];
        EXPECT_TRUE(doc["places"].contains(s)) << i;
        EXPECT_EQ(doc["routes"][4 + i]["from"], s) << i;
        EXPECT_EQ(doc["routes"][4 + i]["to"], s) << i;
    }
}

// --- rounds with places --------------------------------------------------------

Round placed_round() {
    Round r = small_round();
    r.bids[0].delivery = "NL-RTM";
    r.bids[1].delivery = "JP-YOK";
    r.offers[0].port = "AU-PHE";
    r.offers[1].port = "JP-YOK";
    r.logistics.emplace();
    Route a;
    a.from = "AU-PHE";
    a.to = "JP-YOK";
    a.freight = dec("38.00");
    a.currency = "EUR";
    a.capacity_lots = 40;
    Route b;
    b.from = "AU-PHE";
    b.to = "NL-RTM";
    b.freight = dec("81.5");
    Route c;
    c.from = "JP-YOK";
    c.to = "JP-YOK";
    c.capacity_lots = 0;
    r.logistics->routes = {a, b, c};
    return r;
}

TEST(JsonWriter, RoundWithPlacesWritesDeliveryPortAndLogistics) {
    const std::string want = R"({
  "format": "jpclear.round/1",
  "round": "r-1",
  "material": {"code": "LI2CO3", "lot_tonnes": "20"},
  "currency": "EUR",
  "fx": {},
  "rules": {"pricing": {"rule": "uniform", "k": "0.5"}, "tick": "0.01", "excluded_origins": [], "require_certified": false},
  "bids": [
    {"id": "b-1", "buyer": "buyer b-1", "bloc": "EU", "lots": 10, "min_lots": 0, "limit": "14100.5", "delivery": "NL-RTM"},
    {"id": "b-2", "buyer": "buyer b-2", "bloc": "JP", "lots": 8, "min_lots": 0, "limit": "14050", "delivery": "JP-YOK"}
  ],
  "offers": [
    {"id": "o-1", "supplier": "supplier o-1", "origin": "AU", "lots": 10, "min_lots": 0, "ask": "14000", "certified": false, "port": "AU-PHE"},
    {"id": "o-2", "supplier": "supplier o-2", "origin": "CL", "lots": 5, "min_lots": 0, "ask": "13900", "certified": false, "port": "JP-YOK"}
  ],
  "logistics": {"routes": [
    {"from": "AU-PHE", "to": "JP-YOK", "freight": "38", "currency": "EUR", "capacity_lots": 40},
    {"from": "AU-PHE", "to": "NL-RTM", "freight": "81.5"},
    {"from": "JP-YOK", "to": "JP-YOK", "freight": "0", "capacity_lots": 0}
  ]}
}
)";
    EXPECT_EQ(written_round(placed_round()), want);

    // A place on one order only, and logistics with no routes: each as it is.
    Round r = small_round();
    r.bids[1].delivery = "JP-YOK";
    r.logistics.emplace();
    const std::string text = written_round(r);
    EXPECT_NE(text.find(R"("limit": "14050", "delivery": "JP-YOK"})"), std::string::npos) << text;
    EXPECT_EQ(text.find("\"port\""), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with("\n  ],\n  \"logistics\": {\"routes\": []}\n}\n")) << text;
}

TEST(JsonWriter, RoundWithPlacesReadsBackToTheSameRound) {
    Round r = placed_round();
    for (std::size_t i = 0; i < awkward_strings.size(); ++i) {
        Route route;
        route.from = awkward_strings[i];
        route.to = awkward_strings[(i + 1) % awkward_strings.size()];
        route.freight = dec("123456789012.0123456789");
        if (i % 2) route.currency = awkward_strings[i];
        if (i % 3) route.capacity_lots = i % 3 == 1 ? INT64_MAX : INT64_MIN;
        r.logistics->routes.push_back(route);
        Offer o = offer("x", "AU", 1, "1");
        o.id = "o" + std::to_string(i);
        o.port = awkward_strings[i];
        r.offers.push_back(o);
    }
    const std::string text = written_round(r);
    const RoundRead back = read_round_json(text);
    ASSERT_TRUE(back.problems.empty()) << back.problems[0].to_string();
    ASSERT_TRUE(back.round.has_value());
    EXPECT_EQ(written_round(*back.round), text);
    ASSERT_TRUE(back.round->logistics.has_value());
    const std::vector<Route>& got = back.round->logistics->routes;
    ASSERT_EQ(got.size(), r.logistics->routes.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const Route& want = r.logistics->routes[i];
        EXPECT_EQ(got[i].from, want.from) << i;
        EXPECT_EQ(got[i].to, want.to) << i;
        EXPECT_EQ(got[i].freight, want.freight) << i;
        EXPECT_EQ(got[i].currency, want.currency) << i;
        EXPECT_EQ(got[i].capacity_lots, want.capacity_lots) << i;
    }
    ASSERT_EQ(back.round->offers.size(), r.offers.size());
    for (std::size_t i = 0; i < r.offers.size(); ++i) EXPECT_EQ(back.round->offers[i].port, r.offers[i].port) << i;
    for (std::size_t i = 0; i < r.bids.size(); ++i) EXPECT_EQ(back.round->bids[i].delivery, r.bids[i].delivery) << i;
    // And a round without places stays without.
    const RoundRead plain = read_round_json(written_round(small_round()));
    ASSERT_TRUE(plain.round.has_value());
    EXPECT_FALSE(plain.round->logistics.has_value());
}

// --- the summary of a round with places ---------------------------------------

TEST(Summary, PlacesAndRoutesTablesOnlyWithPlaces) {
    Round round = small_round();
    const std::string plain = summary_table(round, result_with_ids());
    EXPECT_EQ(plain.find("places"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("routes"), std::string::npos) << plain;
    EXPECT_EQ(plain.find("freight"), std::string::npos) << plain;

    Result r = placed_result();
    r.routes[2].lots = Lots{4};
    r.routes[2].capacity = Lots{4};
    r.routes[2].rent = dec("11.5");
    const std::string text = summary_table(round, r);
    const std::string places = R"(places
  place   price (EUR/t)              interval  bought lots  sold lots
  ------  -------------  --------------------  -----------  ---------
  AU-PHE       14000.00  13950.00 .. 14010.50            0         10
  DE-HAM              -                     -            0          0
  JP-YOK       14050.00  14038.00 .. 14062.00            5          5
  NL-RTM       14081.00  14081.00 .. 14100.50           10          0
)";
    const std::string routes = R"(routes
  route             lots  capacity  freight (EUR/t)  rent (EUR/t)  status
  ----------------  ----  --------  ---------------  ------------  ------
  AU-PHE -> NL-RTM    10         -            81.00          0.00
  JP-YOK -> JP-YOK     5         -             0.00          0.00
  AU-PHE -> JP-YOK     4         4            38.50         11.50    full
  AU-PHE -> DE-HAM     0        40            79.25          0.00
  full: the route carries its whole capacity)";
    EXPECT_NE(text.find(places), std::string::npos) << text;
    EXPECT_NE(text.find(routes), std::string::npos) << text;
    EXPECT_NE(text.find("\nfreight         15200.00 EUR\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\nprice interval  per place, see places\n"), std::string::npos) << text;
    // ASCII only, whatever the place names hold.
    r.places["東京"] = PlaceResult{};
    r.routes.push_back(RouteResult{"東京", "\x01", Lots{0}, dec("1"), dec("0"), std::nullopt, false});
    for (char c : summary_table(round, r))
        EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7F)) << static_cast<int>(static_cast<unsigned char>(c));
}

}  // namespace
}  // namespace jpclear
