// read_round_json(): the `jpclear.round/1` reader.
//
// Each test pins one behaviour: the exact value read, or the exact problems
// (path and message) and no round at all. Most inputs are hostile on purpose:
// the reader must answer every text with a round or with problems, never a
// crash, a half-read round or a value that differs from the text.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <clocale>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "jpclear/model/validate.h"
#include "splitmix.h"

namespace jpclear {
namespace {

// --- documents ----------------------------------------------------------------

// The spec's example round, with a second bid and offer so that every field,
// given and left out, and every way of writing a decimal appears once.
const std::string full_round = R"({
  "format": "jpclear.round/1",
  "round": "2026-Q4-lithium",
  "material": {"code": "LI2CO3", "name": "Lithium carbonate, battery grade", "lot_tonnes": "20.5"},
  "currency": "EUR",
  "fx": {"JPY": "0.0061", "USD": 0.92},
  "rules": {
    "pricing": {"rule": "pay-as-bid", "k": "0.25"},
    "tick": "0.05",
    "max_origin_share": 0.65,
    "excluded_origins": ["XX", "RU"],
    "require_certified": true
  },
  "bids":   [{"id": "eu-1", "buyer": "Acme Cells", "bloc": "EU", "lots": 12, "min_lots": 0,
              "limit": "14500.00", "currency": "EUR"},
             {"id": "jp-1", "buyer": "Tokyo Battery", "bloc": "JP", "lots": 8, "min_lots": 8,
              "limit": 2390000, "currency": "JPY"}],
  "offers": [{"id": "au-1", "supplier": "Southern Lithium", "origin": "AU", "lots": 10, "min_lots": 0,
              "ask": "13200.00", "currency": "EUR", "certified": true},
             {"id": "cl-1", "supplier": "Atacama SpA", "origin": "CL", "lots": 6, "min_lots": 2,
              "ask": 1.32e4}]
}
)";

// A JSON object given as its keys and raw JSON values, in order, so a test
// can change one field of an otherwise valid round.
using Fields = std::vector<std::pair<std::string, std::string>>;

std::string object(const Fields& fields) {
    std::string out = "{";
    for (const auto& [key, raw] : fields) out += (out.size() > 1 ? ", \"" : "\"") + key + "\": " + raw;
    return out + "}";
}

// `fields` with `key` set to `raw` (in place, or added at the end); an empty `raw` removes the key.
Fields with(Fields fields, const std::string& key, const std::string& raw) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it->first != key) continue;
        if (raw.empty()) fields.erase(it);
        else it->second = raw;
        return fields;
    }
    if (!raw.empty()) fields.emplace_back(key, raw);
    return fields;
}

Fields a_bid() {
    return {{"id", R"("b-1")"}, {"buyer", R"("Buyer")"}, {"bloc", R"("EU")"}, {"lots", "5"}, {"limit", R"("100.50")"}};
}
Fields an_offer() {
    return {{"id", R"("o-1")"}, {"supplier", R"("Supplier")"}, {"origin", R"("AU")"}, {"lots", "5"},
            {"ask", R"("90")"}};
}
Fields a_round(const Fields& bid = a_bid(), const Fields& offer = an_offer()) {
    return {{"format", R"("jpclear.round/1")"},
            {"round", R"("r-1")"},
            {"material", R"({"code": "LI2CO3", "lot_tonnes": "20"})"},
            {"currency", R"("EUR")"},
            {"bids", "[" + object(bid) + "]"},
            {"offers", "[" + object(offer) + "]"}};
}

// A valid round with one field changed: of the round, its bid or its offer.
std::string round_with(const std::string& key, const std::string& raw) { return object(with(a_round(), key, raw)); }
std::string bid_with(const std::string& key, const std::string& raw) {
    return object(a_round(with(a_bid(), key, raw)));
}
std::string offer_with(const std::string& key, const std::string& raw) {
    return object(a_round(a_bid(), with(an_offer(), key, raw)));
}
std::string rules_with(const std::string& raw_rules) { return round_with("rules", raw_rules); }

// JSON string literal of raw bytes (only `"` and `\` escaped), for ids.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// --- checks -------------------------------------------------------------------

Problems only(std::string path, std::string message) { return {{std::move(path), std::move(message)}}; }

std::string listed(const Problems& problems) {
    std::string out;
    for (const Problem& p : problems) out += "\n  [" + p.path + "] [" + p.message.substr(0, 300) + "]";
    return out.empty() ? " (none)" : out;
}

::testing::AssertionResult same_problems(const Problems& got, const Problems& want) {
    if (got == want) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "got:" << listed(got) << "\nwanted:" << listed(want);
}

// Texts in failure messages, cut short: some are megabytes long.
std::string shown(std::string_view text) {
    return text.size() <= 400 ? std::string(text) : std::string(text.substr(0, 400)) + "...";
}

// read_round_json, also checking the promise every read keeps: a round
// exactly when there is no problem.
RoundRead read(std::string_view text, const ReadLimits& limits = {}, const OrderSources& sources = {}) {
    RoundRead r = read_round_json(text, limits, sources);
    EXPECT_EQ(r.round.has_value(), r.problems.empty())
        << "a round must come exactly when there is no problem:" << listed(r.problems) << "\nfor " << shown(text);
    return r;
}

// The round of a text that must have no problem (an empty round otherwise).
Round read_ok(std::string_view text, const ReadLimits& limits = {}) {
    RoundRead r = read(text, limits);
    EXPECT_TRUE(r.problems.empty()) << listed(r.problems) << "\nfor " << shown(text);
    return r.round ? std::move(*r.round) : Round{};
}

void expect_problems(std::string_view text, const Problems& want, const ReadLimits& limits = {},
                     const OrderSources& sources = {}) {
    RoundRead r = read(text, limits, sources);
    EXPECT_TRUE(same_problems(r.problems, want)) << "for " << shown(text);
    EXPECT_FALSE(r.round.has_value());
}

void expect_only(std::string_view text, const std::string& path, const std::string& message,
                 const ReadLimits& limits = {}) {
    expect_problems(text, only(path, message), limits);
}

// A syntax error: the problems found before it, then one for the whole
// document with the parser's message and position, and nothing else checked.
void expect_not_json(std::string_view text, const std::string& gist, const Problems& before = {}) {
    RoundRead r = read(text);
    ASSERT_EQ(r.problems.size(), before.size() + 1) << listed(r.problems) << "\nfor " << shown(text);
    EXPECT_TRUE(same_problems(Problems(r.problems.begin(), r.problems.end() - 1), before));
    const Problem& p = r.problems.back();
    EXPECT_EQ(p.path, "") << shown(text);
    EXPECT_EQ(p.message.rfind("not valid JSON: ", 0), 0u) << p.message;
    EXPECT_NE(p.message.find(gist), std::string::npos) << p.message.substr(0, 300) << "\nshould say: " << gist;
}

// Every value problem validate_fields() finds in a round the reader accepted.
Problems value_problems(const Round& round) {
    Problems out;
    validate_fields(round, out);
    return out;
}

// The first field in which two orders differ, or "".
template <class Order>
std::string order_diff(const Order& p, const Order& q) {
    if (p.id != q.id) return "id";
    if (p.lots != q.lots || p.min_lots != q.min_lots) return "lots or min_lots";
    if (p.currency != q.currency) return "currency";
    if constexpr (std::is_same_v<Order, Bid>) {
        if (p.buyer != q.buyer || p.bloc != q.bloc) return "buyer or bloc";
        if (p.limit != q.limit) return "limit";
        if (p.delivery != q.delivery) return "delivery";
    } else {
        if (p.supplier != q.supplier || p.origin != q.origin) return "supplier or origin";
        if (p.ask != q.ask || p.certified != q.certified) return "ask or certified";
        if (p.port != q.port) return "port";
    }
    return "";
}

// The first field in which two lists of routes differ, or "".
std::string routes_diff(const std::vector<Route>& got, const std::vector<Route>& want) {
    if (got.size() != want.size()) return "number of routes";
    for (std::size_t i = 0; i < got.size(); ++i) {
        const std::string at = "logistics.routes[" + std::to_string(i) + "].";
        if (got[i].from != want[i].from) return at + "from";
        if (got[i].to != want[i].to) return at + "to";
        if (got[i].freight != want[i].freight) return at + "freight";
        if (got[i].currency != want[i].currency) return at + "currency";
        if (got[i].capacity_lots != want[i].capacity_lots) return at + "capacity_lots";
    }
    return "";
}

// Sets `diff` (when still empty) to the first differing field of two lists of orders of equal length.
template <class Order>
void check_orders(const std::vector<Order>& got, const std::vector<Order>& want, const char* list,
                  std::string& diff) {
    for (std::size_t i = 0; diff.empty() && i < got.size() && i < want.size(); ++i)
        if (std::string field = order_diff(got[i], want[i]); !field.empty())
            diff = std::string(list) + "[" + std::to_string(i) + "]." + field;
}

// Every field of two rounds, naming the first that differs.
::testing::AssertionResult same_round(const Round& got, const Round& want) {
    std::string diff;
    auto check = [&diff](bool same, const std::string& what) {
        if (!same && diff.empty()) diff = what;
    };
    check(got.format == want.format, "format");
    check(got.id == want.id, "round");
    check(got.material.code == want.material.code, "material.code");
    check(got.material.name == want.material.name, "material.name");
    check(got.material.lot_tonnes == want.material.lot_tonnes, "material.lot_tonnes");
    check(got.currency == want.currency, "currency");
    check(got.fx == want.fx, "fx");
    check(got.rules.pricing == want.rules.pricing, "rules.pricing.rule");
    check(got.rules.k == want.rules.k, "rules.pricing.k");
    check(got.rules.tick == want.rules.tick, "rules.tick");
    check(got.rules.max_origin_share == want.rules.max_origin_share, "rules.max_origin_share");
    check(got.rules.excluded_origins == want.rules.excluded_origins, "rules.excluded_origins");
    check(got.rules.require_certified == want.rules.require_certified, "rules.require_certified");
    check(got.bids.size() == want.bids.size(), "number of bids");
    check(got.offers.size() == want.offers.size(), "number of offers");
    check_orders(got.bids, want.bids, "bids", diff);
    check_orders(got.offers, want.offers, "offers", diff);
    check(got.logistics.has_value() == want.logistics.has_value(), "logistics");
    if (got.logistics && want.logistics && diff.empty()) diff = routes_diff(got.logistics->routes, want.logistics->routes);
    if (diff.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << diff << " differs";
}

std::string repeated(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

// --- well-formed rounds -------------------------------------------------------

TEST(JsonReader, WellFormedRoundReadsEveryField) {
    Round want;
    want.id = "2026-Q4-lithium";
    want.material = {"LI2CO3", "Lithium carbonate, battery grade", Decimal::from_units(205, 1)};
    want.currency = "EUR";
    want.fx = {{"JPY", Decimal::from_units(61, 4)}, {"USD", Decimal::from_units(92, 2)}};
    want.rules.pricing = PricingRule::pay_as_bid;
    want.rules.k = Decimal::from_units(25, 2);
    want.rules.tick = Decimal::from_units(5, 2);
    want.rules.max_origin_share = Decimal::from_units(65, 2);
    want.rules.excluded_origins = {"XX", "RU"};
    want.rules.require_certified = true;
    want.bids = {Bid{"eu-1", "Acme Cells", "EU", 12, 0, Decimal::integer(14500), "EUR", std::nullopt},
                 Bid{"jp-1", "Tokyo Battery", "JP", 8, 8, Decimal::integer(2390000), "JPY", std::nullopt}};
    want.offers = {Offer{"au-1", "Southern Lithium", "AU", 10, 0, Decimal::integer(13200), "EUR", true, std::nullopt},
                   Offer{"cl-1", "Atacama SpA", "CL", 6, 2, Decimal::integer(13200), std::nullopt, false,
                          std::nullopt}};  // 1.32e4
    const Round r = read_ok(full_round);
    EXPECT_TRUE(same_round(r, want));
    // The round is valid as well as readable.
    EXPECT_TRUE(same_problems(value_problems(r), {}));
}

TEST(JsonReader, LeftOutOptionalFieldsTakeTheirDefaults) {
    const Round r = read_ok(object(a_round()));
    EXPECT_EQ(r.material.name, std::nullopt);
    EXPECT_TRUE(r.fx.empty());
    EXPECT_EQ(r.rules.pricing, PricingRule::uniform);
    EXPECT_EQ(r.rules.k, Decimal::from_units(5, 1));
    EXPECT_EQ(r.rules.tick, Decimal::from_units(1, 2));
    EXPECT_EQ(r.rules.max_origin_share, std::nullopt);
    EXPECT_TRUE(r.rules.excluded_origins.empty());
    EXPECT_FALSE(r.rules.require_certified);
    ASSERT_EQ(r.bids.size(), 1u);
    EXPECT_EQ(r.bids[0].min_lots, 0);
    EXPECT_EQ(r.bids[0].currency, std::nullopt);
    EXPECT_EQ(r.bids[0].limit, Decimal::from_units(10050, 2));
    ASSERT_EQ(r.offers.size(), 1u);
    EXPECT_EQ(r.offers[0].min_lots, 0);
    EXPECT_EQ(r.offers[0].currency, std::nullopt);
    EXPECT_FALSE(r.offers[0].certified);

    // Empty lists and objects are rounds too.
    const Round e = read_ok(object(with(with(with(a_round(), "bids", "[]"), "offers", "[]"), "fx", "{}")));
    EXPECT_TRUE(e.bids.empty());
    EXPECT_TRUE(e.offers.empty());
    EXPECT_TRUE(e.fx.empty());
}

TEST(JsonReader, NullIsAbsentForOptionalFieldsOnly) {
    const Fields nulls = a_round(with(a_bid(), "min_lots", "null"), with(an_offer(), "certified", "null"));
    const Round r = read_ok(object(with(with(nulls, "rules", "null"), "fx", "null")));
    EXPECT_EQ(r.bids[0].min_lots, 0);
    EXPECT_FALSE(r.offers[0].certified);
    EXPECT_EQ(r.rules.tick, Decimal::from_units(1, 2));
    EXPECT_EQ(read_ok(bid_with("currency", "null")).bids[0].currency, std::nullopt);
    EXPECT_EQ(read_ok(rules_with(R"({"max_origin_share": null, "pricing": {"k": null}})")).rules.k,
              Decimal::from_units(5, 1));

    expect_only(bid_with("lots", "null"), "bids[0].lots", "must be a whole number, not null");
    expect_only(round_with("currency", "null"), "currency", "must be a string, not null");
    expect_only(round_with("bids", "null"), "bids", "must be an array, not null");
    expect_only(round_with("fx", R"({"JPY": null})"), "fx.JPY", "must be a decimal (string or number), not null");
}

TEST(JsonReader, DecimalsAreExactFromTheirText) {
    struct Case {
        const char* raw;
        Decimal want;
    };
    const int128 long_units = int128{123456789012} * detail::pow10(10) + 123456789;  // 22 digits
    const Case cases[] = {
        {R"("14800.00")", Decimal::integer(14800)},
        {"14800", Decimal::integer(14800)},
        {"14800.00", Decimal::integer(14800)},
        {"1.48e4", Decimal::integer(14800)},
        {"148E+2", Decimal::integer(14800)},
        {"1480000e-2", Decimal::integer(14800)},
        {R"("0.0000000001")", Decimal::from_units(1, 10)},
        {"0.0000000001", Decimal::from_units(1, 10)},
        {"1e-10", Decimal::from_units(1, 10)},
        {"0.1", Decimal::from_units(1, 1)},  // not 0.1000000000000000055511151231257827
        {"123456789012.0123456789", Decimal::from_units(long_units, 10)},
        {R"("123456789012.0123456789")", Decimal::from_units(long_units, 10)},
        {"9007199254740993", Decimal::integer(9007199254740993)},  // 2^53 + 1: no double holds it
        {"18446744073709551615", Decimal::from_units(int128{UINT64_MAX}, 0)},
        {R"("-3.50")", Decimal::from_units(-35, 1)},
        {"-3.50", Decimal::from_units(-35, 1)},
    };
    for (const Case& c : cases) {
        const Round r = read_ok(bid_with("limit", c.raw));
        ASSERT_EQ(r.bids.size(), 1u) << c.raw;
        EXPECT_EQ(r.bids[0].limit, c.want) << c.raw << " read as " << r.bids[0].limit.to_string();
        EXPECT_EQ(read_ok(offer_with("ask", c.raw)).offers[0].ask, c.want) << c.raw;
        EXPECT_EQ(read_ok(round_with("fx", std::string(R"({"JPY": )") + c.raw + "}")).fx.at("JPY"), c.want)
            << c.raw;
    }
}

// --- empty, huge and truncated texts ------------------------------------------

TEST(JsonReader, EmptyOrWhiteSpaceOnlyTextIsNotARound) {
    const std::string empty_message = "not valid JSON: the document is empty (no text, or only white space)";
    for (const char* text : {"", " ", "\n", " \t\r\n  \n"}) expect_only(text, "", empty_message);
    // A byte order mark adds nothing.
    expect_only("\xEF\xBB\xBF", "", empty_message);
    expect_only("\xEF\xBB\xBF \n", "", empty_message);
    // Other invisible things are not white space in JSON.
    expect_not_json("\f", "invalid literal");
    expect_not_json("\xC2\xA0", "invalid literal");  // no-break space
}

TEST(JsonReader, HundredMegabytesOfWhiteSpaceFailCleanlyAndFast) {
    const std::string text = repeated(" \n\t\r", 25u << 20);  // 100 MiB
    const auto start = std::chrono::steady_clock::now();
    expect_only(text, "", "not valid JSON: the document is empty (no text, or only white space)");
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0) << "100 MiB of white space took " << seconds << " s";

    // Within a smaller size limit the size is the one problem.
    ReadLimits limits;
    limits.max_bytes = 1u << 20;
    expect_only(text, "", "the document is larger than the reader's limit of 1048576 bytes", limits);
}

TEST(JsonReader, LongWhiteSpaceBeforeAnErrorFailsCleanly) {
    // The parser's message would quote the white space it skipped, each line
    // break as 8 characters: the problem must stay a short sentence, and its
    // position the same as for short runs (which the parser counts itself).
    for (std::size_t n : {std::size_t{10}, std::size_t{64}, std::size_t{65}, std::size_t{1000}, std::size_t{8} << 20}) {
        SCOPED_TRACE(n);
        const std::string lines(n, '\n'), spaces(n, ' ');
        expect_not_json(R"({"round":)" + lines + "}", "parse error at line " + std::to_string(n + 1) +
                                                          ", column 1: syntax error while parsing value - "
                                                          "unexpected '}'; expected '[', '{', or a literal");
        expect_not_json(R"({"round":)" + spaces + "}",
                        "parse error at line 1, column " + std::to_string(n + 10) + ": syntax error");
        expect_not_json("{" + lines, "parse error at line " + std::to_string(n + 1) + ", column 1: syntax error");
        expect_not_json(R"({"round": "r",)" + lines + spaces + "x" + lines,
                        "parse error at line " + std::to_string(n + 1) + ", column " + std::to_string(n + 1) +
                            ": syntax error while parsing object key - invalid literal; last read: '");
        // Runs between tokens are squeezed; inside strings they are data.
        const std::string text = R"({"round": "r",)" + lines + R"("x"  )" + lines + R"(:)" + spaces + "tru";
        RoundRead r = read(text);
        ASSERT_EQ(r.problems.size(), 2u) << listed(r.problems);
        EXPECT_LT(r.problems.back().message.size(), 300u) << r.problems.back().message.substr(0, 300);
        EXPECT_NE(r.problems.back().message.find("parse error at line " + std::to_string(2 * n + 1) + ", column " +
                                                 std::to_string(n + 5)),
                  std::string::npos)
            << r.problems.back().message.substr(0, 300);
        EXPECT_EQ(read_ok(object(with(a_round(), "round", "\"" + spaces + "\""))).id, spaces);
    }
}

TEST(JsonReader, SizeLimitIsCheckedFirstAndAtTheByte) {
    const std::string text = object(a_round());
    ReadLimits limits;
    limits.max_bytes = text.size() - 1;
    expect_only(text, "", "the document is larger than the reader's limit of " + std::to_string(text.size() - 1) +
                              " bytes",
                limits);
    limits.max_bytes = text.size();
    EXPECT_EQ(read_ok(text, limits).id, "r-1");
    // Even for a text that is not JSON at all.
    limits.max_bytes = 3;
    expect_only("[[[[", "", "the document is larger than the reader's limit of 3 bytes", limits);
}

TEST(JsonReader, EveryPrefixOfARoundIsASyntaxErrorUntilTheObjectCloses) {
    // Non-ASCII text too, so that cuts fall inside multi-byte characters.
    const Fields bid = with(with(a_bid(), "buyer", R"("東京バッテリー 🔋")"), "currency", R"("JPY")");
    const std::string text = object(a_round(bid, with(an_offer(), "certified", "true"))) + "\n";
    const std::size_t closed = text.rfind('}') + 1;
    for (std::size_t n = 0; n <= text.size(); ++n) {
        const std::string_view prefix(text.data(), n);
        RoundRead r = read(prefix);
        if (n >= closed) {
            ASSERT_TRUE(r.problems.empty()) << "prefix of " << n << " bytes:" << listed(r.problems);
            EXPECT_EQ(r.round->bids.at(0).buyer, "東京バッテリー 🔋");
            continue;
        }
        ASSERT_EQ(r.problems.size(), 1u) << "prefix of " << n << " bytes: " << prefix << listed(r.problems);
        EXPECT_EQ(r.problems[0].path, "") << n;
        EXPECT_EQ(r.problems[0].message.rfind("not valid JSON: ", 0), 0u) << n << ": " << r.problems[0].message;
        EXPECT_FALSE(r.round.has_value());
    }
}

TEST(JsonReader, GarbageAfterTheDocumentIsAnError) {
    const std::string text = object(a_round());
    expect_not_json(text + "x", "syntax error while parsing value - invalid literal; last read: '\"90\"}]}x'; "
                                "expected end of input");
    expect_not_json(text + "{}", "expected end of input");
    expect_not_json(text + text, "expected end of input");
    expect_not_json(text + ",", "expected end of input");
    expect_not_json(text + "]", "expected end of input");
    expect_not_json(text + " // comment", "expected end of input");
    // Trailing white space is fine.
    EXPECT_EQ(read_ok(text + " \r\n\t").id, "r-1");
}

TEST(JsonReader, NulBytesAreErrors) {
    const std::string text = object(a_round());
    using namespace std::string_literals;
    // Inside a string a raw NUL is a control character.
    expect_not_json(bid_with("id", "\"b\0-1\""s), "control character U+0000 (NUL) must be escaped to \\u0000");
    // The parser takes a NUL for the end of the text: where the document is
    // not complete there, that end is unexpected.
    expect_not_json("{\0}"s, "parse error at line 1, column 2: syntax error while parsing object key - unexpected "
                              "end of input");
    expect_not_json("\0"s + text, "unexpected end of input");
    expect_not_json(bid_with("lots", "5\0"s), "unexpected end of input");
    // After a complete document it is a byte too many, whatever follows it.
    const std::string after = "parse error at line 1, column " + std::to_string(text.size() + 1) +
                              ": syntax error while parsing value - NUL byte (U+0000); expected end of input";
    expect_not_json(text + "\0"s, after);
    expect_not_json(text + "\0{\"anything\": [}"s, after);
    expect_not_json(text + "\0\0\0"s, after);
    expect_not_json(text + "\n\0"s, "parse error at line 2, column 1: syntax error while parsing value - NUL byte");
    // Problems found before it are kept; nothing is checked after it.
    expect_not_json(bid_with("lots", R"("5")") + "\0"s, "NUL byte",
                    only("bids[0].lots", "must be a whole number, not a string"));
    // Escaped, it is an ordinary character of the id.
    EXPECT_EQ(read_ok(bid_with("id", R"("b\u0000-1")")).bids[0].id, "b\0-1"s);
}

TEST(JsonReader, ByteOrderMarkAtTheStartIsSkippedAndNowhereElse) {
    const std::string text = object(a_round());
    EXPECT_EQ(read_ok("\xEF\xBB\xBF" + text).id, "r-1");
    expect_not_json(" \xEF\xBB\xBF" + text, "invalid literal");
    expect_not_json(text + "\xEF\xBB\xBF", "invalid literal");
    expect_not_json("\xEF\xBB" + text, "invalid BOM");
    expect_not_json("\xFE\xFF" + text, "invalid literal");  // UTF-16 is not read
    // Inside a string it is a character like any other.
    EXPECT_EQ(read_ok(bid_with("id", "\"\xEF\xBB\xBF" "b\"")).bids[0].id, "\xEF\xBB\xBF" "b");
}

// --- nesting ------------------------------------------------------------------

TEST(JsonReader, DeepNestingStopsAtTheDepthLimit) {
    const std::string deep(100'000, '[');
    std::string path;
    for (int i = 0; i < 64; ++i) path += "[0]";
    expect_problems(deep, {{"", "the document must be a JSON object"}, {path, "nested deeper than 64 levels"}});
    expect_problems(deep + std::string(100'000, ']'),
                    {{"", "the document must be a JSON object"}, {path, "nested deeper than 64 levels"}});

    // Nesting inside a field: its type problem, then the depth (4 levels are
    // used by the round, the bids, the bid and the field itself).
    std::string field_path = "bids[0].id";
    for (int i = 0; i < 61; ++i) field_path += "[0]";
    expect_problems(bid_with("id", deep), {{"bids[0].id", "must be a string, not an array"},
                                           {field_path, "nested deeper than 64 levels"}});
    // Inside an unknown field, whose content is otherwise never examined.
    const std::string objects = repeated(R"({"x": )", 100'000);
    std::string unknown_path = "bids[0].note";
    for (int i = 0; i < 61; ++i) unknown_path += ".x";
    expect_problems(bid_with("note", objects),
                    {{"bids[0].note", "unknown field (a typo?); bid fields are id, buyer, bloc, lots, min_lots, "
                                      "limit, currency, delivery"},
                     {unknown_path, "nested deeper than 64 levels"}});
}

TEST(JsonReader, DepthLimitCountsEveryLevel) {
    // rules.pricing is the third level: a limit of 3 admits it, 2 does not
    // (the lists are empty here, as an order is on the third level too).
    const Fields no_orders = with(with(a_round(), "bids", "[]"), "offers", "[]");
    const std::string text = object(with(no_orders, "rules", R"({"pricing": {"rule": "uniform"}})"));
    ReadLimits limits;
    limits.max_depth = 3;
    EXPECT_EQ(read_ok(text, limits).rules.pricing, PricingRule::uniform);
    limits.max_depth = 2;
    expect_only(text, "rules.pricing", "nested deeper than 2 levels", limits);
    // A list element's path is its position.
    expect_only(object(with(no_orders, "rules", R"({"excluded_origins": ["AU", ["XX"]]})")),
                "rules.excluded_origins", "nested deeper than 2 levels", limits);
    limits.max_depth = 3;
    expect_only(object(with(no_orders, "rules", R"({"excluded_origins": ["AU", ["XX"]]})")),
                "rules.excluded_origins[1]", "nested deeper than 3 levels", limits);
    limits.max_depth = 2;
    expect_only(object(with(no_orders, "fx", R"({"USD": "1", "JPY": {}})")), "fx.JPY", "nested deeper than 2 levels",
                limits);
    expect_only(object(a_round()), "bids[0]", "nested deeper than 2 levels", limits);
    limits.max_depth = 0;
    expect_only(text, "", "nested deeper than 0 levels", limits);
}

TEST(JsonReader, DepthStopsTheReadingWithoutGuessesAboutTheRest) {
    // Reading stops at the limit: the fields after it are not reported as
    // missing or empty, since they were never seen.
    Fields late = {{"bids", "[" + object(with(a_bid(), "note", std::string(70, '[') + std::string(70, ']'))) + "]"}};
    for (const auto& field : a_round())
        if (field.first != "bids") late.push_back(field);
    std::string path = "bids[0].note";
    for (int i = 0; i < 61; ++i) path += "[0]";
    expect_problems(object(late), {{"bids[0].note", "unknown field (a typo?); bid fields are id, buyer, bloc, lots, "
                                                    "min_lots, limit, currency, delivery"},
                                   {path, "nested deeper than 64 levels"}});
}

TEST(JsonReader, RaisedDepthLimitStillReadsDeepTextInLinearSpace) {
    // 100000 levels within a raised limit: read to the end without a stack
    // overflow or a path per level (which would take 15 GB).
    ReadLimits limits;
    limits.max_depth = 1'000'000;
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    const auto start = std::chrono::steady_clock::now();
    expect_problems(deep, only("", "the document must be a JSON object"), limits);
    expect_problems(bid_with("note", deep),
                    only("bids[0].note", "unknown field (a typo?); bid fields are id, buyer, bloc, lots, min_lots, "
                                         "limit, currency, delivery"),
                    limits);
    // Beyond the raised limit, the one path built is still linear in the depth.
    limits.max_depth = 100'000;
    expect_problems(bid_with("note", repeated(R"({"x": )", 100'000)),
                    {{"bids[0].note", "unknown field (a typo?); bid fields are id, buyer, bloc, lots, min_lots, "
                                      "limit, currency, delivery"},
                     {"bids[0].note" + repeated(".x", 99'997), "nested deeper than 100000 levels"}},
                    limits);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0);
}

// --- keys ---------------------------------------------------------------------

TEST(JsonReader, DuplicateKeysAreErrorsWithTheirPath) {
    const std::string message = "appears more than once in the same object";
    Fields twice = a_round();
    twice.emplace_back("format", R"("jpclear.round/1")");
    expect_only(object(twice), "format", message);
    // Even with the same value, and for each repeated key.
    twice.emplace_back("round", R"("r-2")");
    expect_problems(object(twice), {{"format", message}, {"round", message}});

    expect_only(rules_with(R"({"tick": "0.01", "tick": "0.01"})"), "rules.tick", message);
    expect_only(rules_with(R"({"pricing": {"k": 0, "rule": "uniform", "k": 1}})"), "rules.pricing.k", message);
    expect_only(round_with("material", R"({"code": "A", "lot_tonnes": 1, "code": "B"})"), "material.code", message);
    expect_only(round_with("fx", R"({"JPY": "0.0061", "USD": "0.9", "JPY": "0.0062"})"), "fx.JPY", message);

    Fields bid = a_bid();
    bid.emplace_back("lots", "6");
    expect_only(object(a_round(bid)), "bids[0].lots", message);
    Fields offer = an_offer();
    offer.emplace_back("certified", "true");
    offer.emplace_back("certified", "false");
    expect_only(object(a_round(a_bid(), offer)), "offers[0].certified", message);

    // A repeated list is one problem, not one per order.
    Fields lists = a_round();
    lists.emplace_back("bids", "[" + object(with(a_bid(), "id", R"("b-2")")) + "]");
    expect_only(object(lists), "bids", message);
}

TEST(JsonReader, UnknownFieldsAreErrorsWithTheirPath) {
    expect_only(round_with("colour", R"("red")"), "colour",
                "unknown field (a typo?); round fields are format, round, material, currency, fx, rules, bids, "
                "offers, logistics");
    expect_only(round_with("material", R"({"code": "A", "lot_tonnes": 1, "grade": {"x": [1, 2]}})"),
                "material.grade", "unknown field (a typo?); material fields are code, name, lot_tonnes");
    expect_only(rules_with(R"({"tick": "0.01", "tik": "0.01"})"), "rules.tik",
                "unknown field (a typo?); rules fields are pricing, tick, max_origin_share, excluded_origins, "
                "require_certified");
    expect_only(rules_with(R"({"pricing": {"rule": "uniform", "kk": 1}})"), "rules.pricing.kk",
                "unknown field (a typo?); pricing fields are rule, k");
    const std::string bid_fields =
        "unknown field (a typo?); bid fields are id, buyer, bloc, lots, min_lots, limit, currency, delivery";
    const std::string offer_fields =
        "unknown field (a typo?); offer fields are id, supplier, origin, lots, min_lots, ask, currency, "
        "certified, port";
    expect_only(bid_with("limt", "1"), "bids[0].limt", bid_fields);
    // Offer-only fields are unknown in a bid, and the other way round.
    expect_only(bid_with("certified", "true"), "bids[0].certified", bid_fields);
    expect_only(offer_with("limit", "1"), "offers[0].limit", offer_fields);
    expect_only(bid_with("port", R"("AU-PHE")"), "bids[0].port", bid_fields);
    expect_only(offer_with("delivery", R"("JP-YOK")"), "offers[0].delivery", offer_fields);
    // Keys are compared exactly: case, spaces and escapes count.
    expect_only(bid_with("Lots", "1"), "bids[0].Lots", bid_fields);
    expect_only(round_with("format ", R"("x")"), "format ",
                "unknown field (a typo?); round fields are format, round, material, currency, fx, rules, bids, "
                "offers, logistics");
    // Escapes in a key are read before comparing: "\u0066ormat" is "format".
    expect_only(round_with("\\u0066ormat", R"("jpclear.round/1")"), "format",
                "appears more than once in the same object");
    // Inside an unknown field nothing is examined: no duplicate, type or depth problem below it.
    expect_only(round_with("extra", R"({"a": 1, "a": [null, {"lots": "x"}]})"), "extra",
                "unknown field (a typo?); round fields are format, round, material, currency, fx, rules, bids, "
                "offers, logistics");
}

TEST(JsonReader, MissingRequiredFieldsAreNamed) {
    for (const char* key : {"format", "round", "currency", "bids", "offers"})
        expect_only(round_with(key, ""), key, "is required");
    for (const char* key : {"id", "buyer", "bloc", "lots", "limit"})
        expect_only(bid_with(key, ""), std::string("bids[0].") + key, "is required");
    for (const char* key : {"id", "supplier", "origin", "lots", "ask"})
        expect_only(offer_with(key, ""), std::string("offers[0].") + key, "is required");
    expect_only(round_with("material", R"({"code": "A"})"), "material.lot_tonnes", "is required");
    // A missing object is one problem: the fields under a reported path are
    // not reported again (errors.md still lists material.code and
    // material.lot_tonnes after it; the reader skips them as consequences).
    expect_only(round_with("material", ""), "material", "is required");
}

TEST(JsonReader, ListsFromCsvFilesMustNotBeInTheDocument) {
    OrderSources sources;
    sources.bids_from_csv = true;
    RoundRead r = read(round_with("bids", ""), {}, sources);
    ASSERT_TRUE(r.problems.empty()) << listed(r.problems);
    EXPECT_TRUE(r.round->bids.empty());
    EXPECT_EQ(r.round->offers.size(), 1u);
    expect_problems(object(a_round()), only("bids", "is given both here and in a CSV file; give it in one place"), {},
                    sources);
    sources.offers_from_csv = true;
    expect_problems(round_with("bids", ""),
                    only("offers", "is given both here and in a CSV file; give it in one place"), {}, sources);
}

// --- strings ------------------------------------------------------------------

TEST(JsonReader, StringsAreReadExactly) {
    struct Case {
        const char* raw;   // as written in the document, quotes included
        std::string want;  // the bytes read
    };
    using namespace std::string_literals;
    const Case cases[] = {
        {R"("say \"hi\", twice")", "say \"hi\", twice"},
        {R"("a,b;c")", "a,b;c"},
        {R"("back\\slash\\")", "back\\slash\\"},
        {R"("\/\b\f\n\r\t")", "/\b\f\n\r\t"},
        {R"("\u0001\u001f\u007f")", "\x01\x1f\x7f"},
        {R"("nul\u0000inside")", "nul\0inside"s},
        {R"("東京-1")", "東京-1"},
        {R"("\u6771\u4eac-1")", "東京-1"},
        {R"("Müller")", "M\xC3\xBCller"},
        {R"("🔋⚡")", "\xF0\x9F\x94\x8B\xE2\x9A\xA1"},
        {R"("\ud83d\udd0b")", "🔋"},
        {R"("\uD83D\uDD0B")", "🔋"},
        {R"("\udbff\udfff")", "\xF4\x8F\xBF\xBF"},  // U+10FFFF, the last code point
        {R"("\u2028\u2029")", "\xE2\x80\xA8\xE2\x80\xA9"},
        {R"("")", ""},
        {R"("  spaced  ")", "  spaced  "},
    };
    for (const Case& c : cases) {
        RoundRead r = read(bid_with("buyer", c.raw));
        ASSERT_TRUE(r.problems.empty()) << c.raw << listed(r.problems);
        EXPECT_EQ(r.round->bids[0].buyer, c.want) << c.raw;
    }
    // The same in every string field, ids included.
    const Round r = read_ok(object(a_round(with(a_bid(), "id", R"("b \"1\", \\ \u00e9 🔋")"),
                                           with(an_offer(), "supplier", R"("Lítio \u0000 \t")"))));
    EXPECT_EQ(r.bids[0].id, "b \"1\", \\ \xC3\xA9 🔋");
    EXPECT_EQ(r.offers[0].supplier, "L\xC3\xADtio \0 \t"s);
    // An empty buyer is read; validation says it must not be empty.
    EXPECT_TRUE(same_problems(value_problems(read_ok(bid_with("buyer", R"("")"))),
                              only("bids[0].buyer", "must not be empty")));
}

TEST(JsonReader, MalformedStringsAreSyntaxErrors) {
    expect_not_json(bid_with("id", R"("\ud800")"), "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
    expect_not_json(bid_with("id", R"("\ud800x")"), "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
    expect_not_json(bid_with("id", R"("\udc00")"), "surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
    expect_not_json(bid_with("id", R"("\u12")"), "'\\u' must be followed by 4 hex digits");
    expect_not_json(bid_with("id", R"("\uZZZZ")"), "'\\u' must be followed by 4 hex digits");
    expect_not_json(bid_with("id", R"("\x41")"), "forbidden character after backslash");
    expect_not_json(bid_with("id", "\"tab\there\""), "control character U+0009 (HT) must be escaped");
    expect_not_json(bid_with("id", "\"line\nbreak\""), "control character U+000A (LF) must be escaped");
    expect_not_json(bid_with("id", R"('single')"), "invalid literal");
    expect_not_json(R"({"round": "unterminated)", "invalid string: missing closing quote");
}

TEST(JsonReader, InvalidUtf8IsASyntaxError) {
    const char* bad[] = {
        "\xFF",                  // never a UTF-8 byte
        "\x80",                  // continuation byte alone
        "\xC3",                  // sequence cut short
        "\xC3(",                 // lead byte, then no continuation
        "\xC0\xAF",              // overlong '/'
        "\xE0\x80\xAF",          // overlong, three bytes
        "\xED\xA0\x80",          // UTF-16 surrogate encoded as UTF-8
        "\xF4\x90\x80\x80",      // beyond U+10FFFF
        "\xF8\x88\x80\x80\x80",  // five-byte form
        "\xE6\x9D",              // the first two bytes of 東
    };
    for (const char* bytes : bad) {
        SCOPED_TRACE(::testing::PrintToString(std::string(bytes)));
        expect_not_json(bid_with("id", "\"b" + std::string(bytes) + "\""), "invalid string: ill-formed UTF-8 byte");
        expect_not_json(round_with("ex" + std::string(bytes), "1"), "invalid string: ill-formed UTF-8 byte");
    }
    // Outside strings a non-ASCII byte is no token at all.
    expect_not_json(bid_with("lots", "\xC3\xA9"), "invalid literal");
}

// --- numbers ------------------------------------------------------------------

TEST(JsonReader, LongValuesAreCutShortInMessages) {
    const std::string digits(2u << 20, '7');  // 2 MiB of digits
    expect_only(bid_with("limit", digits), "bids[0].limit",
                "\"" + digits.substr(0, 60) + "\"... has more than 38 significant digits");
    expect_only(bid_with("limit", json_string("x" + digits)), "bids[0].limit",
                "\"x" + digits.substr(0, 59) + "\"... is not a decimal");
    expect_only(bid_with("lots", digits), "bids[0].lots",
                digits.substr(0, 60) + "... is too large for a whole number of lots");
    expect_only(bid_with("lots", digits + ".5"), "bids[0].lots", digits.substr(0, 60) + "... is not a whole number");
    // The cut never splits a UTF-8 character: 'a' and 29 'é' are 59 bytes.
    expect_only(rules_with(R"({"pricing": {"rule": "a)" + repeated("é", 50) + "\"}}"), "rules.pricing.rule",
                "\"a" + repeated("é", 29) + "\"... is not a pricing rule (uniform or pay-as-bid)");
    // The parser's own messages quote only the end of a long token.
    for (const std::string& text : {R"({"round": ")" + digits + "\xFF\"}", bid_with("limit", digits + "."),
                                    bid_with("id", "\"" + digits + "\\q\"")}) {
        RoundRead r = read(text);
        ASSERT_EQ(r.problems.size(), 1u) << listed(r.problems);
        EXPECT_EQ(r.problems[0].message.rfind("not valid JSON: parse error at line 1, column ", 0), 0u)
            << r.problems[0].message.substr(0, 200);
        EXPECT_NE(r.problems[0].message.find("; last read: '...7777"), std::string::npos)
            << r.problems[0].message.substr(0, 300);
        EXPECT_LT(r.problems[0].message.size(), 300u) << r.problems[0].message.substr(0, 300);
    }
}

TEST(JsonReader, ThirtyDigitPricesKeepTheirValueForTheDigitLimitToReport) {
    const std::string thirty = "123456789012345678901234567890";
    const Decimal exact = Decimal::from_units(int128{1234567890123456789} * detail::pow10(11) + 1234567890, 0);
    const std::string fraction = "0.123456789012345678901234567891";
    for (const std::string& raw : {thirty, json_string(thirty)}) {
        const Round r = read_ok(bid_with("limit", raw));
        EXPECT_EQ(r.bids[0].limit, exact) << raw << " read as " << r.bids[0].limit.to_string();
        EXPECT_TRUE(same_problems(value_problems(r),
                                  only("bids[0].limit", thirty + " has more than 12 digits before the point")))
            << raw;
    }
    for (const std::string& raw : {fraction, json_string(fraction)}) {
        const Round r = read_ok(offer_with("ask", raw));
        EXPECT_EQ(r.offers[0].ask.to_string(), fraction) << raw;
        EXPECT_TRUE(same_problems(value_problems(r),
                                  only("offers[0].ask", fraction + " has more than 10 digits after the point")))
            << raw;
    }
    // Beyond 38 significant digits no decimal holds the value: the reader says so.
    const std::string forty = thirty + "1234567890";
    expect_only(bid_with("limit", forty), "bids[0].limit", "\"" + forty + "\" has more than 38 significant digits");
    expect_only(bid_with("limit", json_string(forty)), "bids[0].limit",
                "\"" + forty + "\" has more than 38 significant digits");
    expect_only(bid_with("limit", "0." + forty), "bids[0].limit", "\"0." + forty + "\" has too many fraction digits");
}

TEST(JsonReader, NegativeZeroIsZero) {
    // `-?digits(.digits)?` admits "-0"; its value is zero, the same as "0"
    // (rules.md: decimals are exact values, trailing zeros dropped).
    for (const char* raw : {R"("-0")", "-0", R"("-0.0")", "-0.0", "-0e5", "-0.000e-7", R"("-0.00")"}) {
        const Round r = read_ok(object(a_round(with(a_bid(), "limit", raw), with(an_offer(), "ask", raw))));
        EXPECT_EQ(r.bids[0].limit, Decimal()) << raw;
        EXPECT_FALSE(r.bids[0].limit.is_negative()) << raw;
        EXPECT_EQ(r.bids[0].limit.to_string(), "0") << raw;
        EXPECT_EQ(r.offers[0].ask, Decimal()) << raw;
        // A limit must be above 0; an ask of 0 is allowed, negative or not.
        EXPECT_TRUE(same_problems(value_problems(r), only("bids[0].limit", "0 must be greater than 0"))) << raw;
    }
    // Lots are JSON integers: -0 is the integer 0, which validation refuses;
    // -0.0 is not an integer at all.
    const Round r = read_ok(object(a_round(with(a_bid(), "min_lots", "-0"), with(an_offer(), "lots", "-0"))));
    EXPECT_EQ(r.bids[0].min_lots, 0);
    EXPECT_EQ(r.offers[0].lots, 0);
    EXPECT_TRUE(same_problems(value_problems(r), only("offers[0].lots", "0 is outside 1 to 1000000000")));
    expect_only(bid_with("lots", "-0.0"), "bids[0].lots", "-0.0 is not a whole number");
    expect_only(bid_with("lots", R"("-0")"), "bids[0].lots", "must be a whole number, not a string");
}

TEST(JsonReader, ExponentsAreExactInNumbersAndRefusedInStrings) {
    struct Case {
        const char* raw;
        Decimal want;
    };
    const Case numbers[] = {
        {"1e5", Decimal::integer(100000)},
        {"1E+5", Decimal::integer(100000)},
        {"1.5e-3", Decimal::from_units(15, 4)},
        {"2.5E-10", Decimal::from_units(25, 11)},
        {"0.0000123e+7", Decimal::integer(123)},
        {"1e0", Decimal::integer(1)},
        {"1e-0", Decimal::integer(1)},
        {"1e00000000000000000000", Decimal::integer(1)},
        {"12345678901234567890123456789012345678e-37",
         Decimal::from_units(int128{1234567890123456789} * detail::pow10(19) + 123456789012345678, 37)},
        {"1e37", Decimal::from_units(detail::pow10(37), 0)},
        {"1e-38", Decimal::from_units(1, 38)},
        {"0e999999999999", Decimal()},
    };
    for (const Case& c : numbers) {
        EXPECT_EQ(read_ok(bid_with("limit", c.raw)).bids[0].limit, c.want) << c.raw;
        EXPECT_EQ(read_ok(rules_with(std::string(R"({"tick": )") + c.raw + "}")).rules.tick, c.want) << c.raw;
    }
    // Too large or too fine for any decimal: a problem at the field, with
    // the number as written, never an infinity, a zero or a rounded value.
    const std::pair<const char*, const char*> refused[] = {
        {"1e38", "has more than 38 significant digits"},
        {"1e400", "has more than 38 significant digits"},
        {"-1e400", "has more than 38 significant digits"},
        {"1E+400", "has more than 38 significant digits"},
        {"1e999999999999", "has more than 38 significant digits"},
        {"1.7976931348623157e309", "has more than 38 significant digits"},
        {"1e-39", "has too many fraction digits"},
        {"1e-400", "has too many fraction digits"},
        {"4.9e-324", "has too many fraction digits"},
        {"1e-999999999999", "has too many fraction digits"},
    };
    for (const auto& [raw, why] : refused) {
        expect_only(bid_with("limit", raw), "bids[0].limit", "\"" + std::string(raw) + "\" " + why);
        expect_only(round_with("fx", std::string(R"({"JPY": )") + raw + "}"), "fx.JPY",
                    "\"" + std::string(raw) + "\" " + why);
    }
    // A 400-digit integer is no double either (its text is cut short in the message).
    const std::string digits = "1" + std::string(399, '0');
    expect_only(offer_with("ask", digits), "offers[0].ask",
                "\"" + digits.substr(0, 60) + "\"... has more than 38 significant digits");

    // Inside strings an exponent is not a decimal.
    for (const char* raw : {R"("1e5")", R"("1E+5")", R"("1.5e-3")", R"("1e400")", R"("1e999999999999")"}) {
        const std::string text(raw);
        expect_only(bid_with("limit", text), "bids[0].limit", text + " is not a decimal");
    }
}

TEST(JsonReader, HugeNumbersDoNotHideOtherProblems) {
    // Each overflowing number is reported at its field and reading goes on.
    const std::string text = object(a_round(with(with(a_bid(), "limit", "1e400"), "lots", "1e400"),
                                            with(with(an_offer(), "ask", "-9e999999"), "origin", "7")));
    expect_problems(text, {{"bids[0].lots", "1e400 is not a whole number"},
                           {"bids[0].limit", "\"1e400\" has more than 38 significant digits"},
                           {"offers[0].origin", "must be a string, not a number"},
                           {"offers[0].ask", "\"-9e999999\" has more than 38 significant digits"}});
    // Also inside an unknown field, where they are not examined.
    expect_only(bid_with("note", "[1e400, -1e999, 0e0, 1e-999]"), "bids[0].note",
                "unknown field (a typo?); bid fields are id, buyer, bloc, lots, min_lots, limit, currency, delivery");
    // Genuine 0e0 numbers before, between and after replaced ones keep their own value.
    const std::string zeros = R"({"pricing": {"k": 0e0}, "tick": 1e-2})";
    const Fields around = with(a_round(a_bid(), with(an_offer(), "ask", "0e0")), "rules", zeros);
    expect_problems(object(with(with(around, "fx", R"({"USD": 1e400, "JPY": 0e0, "CHF": -1e400})"), "offers",
                                "[" + object(with(an_offer(), "ask", "0e0")) + ", " +
                                    object(with(with(an_offer(), "id", R"("o-2")"), "ask", "1e-400")) + "]")),
                    {{"offers[1].ask", "\"1e-400\" has too many fraction digits"},
                     {"fx.USD", "\"1e400\" has more than 38 significant digits"},
                     {"fx.CHF", "\"-1e400\" has more than 38 significant digits"},
                     {"fx.JPY", "0 must be greater than 0"}});
    const Round r = read_ok(object(around));
    EXPECT_EQ(r.rules.k, Decimal());
    EXPECT_EQ(r.rules.tick, Decimal::from_units(1, 2));
    EXPECT_EQ(r.offers[0].ask, Decimal());
    const Round z = read_ok(object(with(around, "fx", R"({"USD": 0e0, "JPY": 0e00000000000000000000000000000000})")));
    EXPECT_EQ(z.fx.at("USD"), Decimal());
    EXPECT_EQ(z.fx.at("JPY"), Decimal());
}

TEST(JsonReader, LotsAreJsonIntegers) {
    // Read as given; the range 1 to 10^9 is validation's.
    EXPECT_EQ(read_ok(bid_with("lots", "1000000000")).bids[0].lots, 1'000'000'000);
    const Round over = read_ok(bid_with("lots", "1000000001"));
    EXPECT_EQ(over.bids[0].lots, 1'000'000'001);
    EXPECT_TRUE(same_problems(value_problems(over), only("bids[0].lots", "1000000001 is outside 1 to 1000000000")));
    const Round negative = read_ok(offer_with("lots", "-1"));
    EXPECT_EQ(negative.offers[0].lots, -1);
    EXPECT_TRUE(same_problems(value_problems(negative), only("offers[0].lots", "-1 is outside 1 to 1000000000")));
    EXPECT_EQ(read_ok(bid_with("min_lots", "9223372036854775807")).bids[0].min_lots, INT64_MAX);
    EXPECT_EQ(read_ok(bid_with("min_lots", "-9223372036854775808")).bids[0].min_lots, INT64_MIN);

    // Not whole numbers, or not numbers at all.
    for (const char* raw : {"1.0", "1e3", "1E3", "5.5", "1e30", "-1.0e0"})
        expect_only(bid_with("lots", raw), "bids[0].lots", std::string(raw) + " is not a whole number");
    expect_only(bid_with("lots", R"("12")"), "bids[0].lots", "must be a whole number, not a string");
    expect_only(offer_with("min_lots", "true"), "offers[0].min_lots", "must be a whole number, not a boolean");
    expect_only(offer_with("lots", "[1]"), "offers[0].lots", "must be a whole number, not an array");
    // Beyond 64 bits: too large, never wrapped around or rounded.
    for (const char* raw : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
                            "-9223372036854775809", "123456789012345678901234567890"})
        expect_only(bid_with("lots", raw), "bids[0].lots",
                    std::string(raw) + " is too large for a whole number of lots");
}

// --- types --------------------------------------------------------------------

TEST(JsonReader, EachFieldWantsItsType) {
    // Numbers where strings belong, and the other way round.
    expect_only(round_with("round", "2026"), "round", "must be a string, not a number");
    expect_only(round_with("format", "1"), "format", "must be a string, not a number");
    expect_only(round_with("currency", "true"), "currency", "must be a string, not a boolean");
    expect_only(bid_with("id", "17"), "bids[0].id", "must be a string, not a number");
    expect_only(bid_with("buyer", "1.5"), "bids[0].buyer", "must be a string, not a number");
    expect_only(bid_with("bloc", R"({"EU": 1})"), "bids[0].bloc", "must be a string, not an object");
    expect_only(offer_with("origin", R"(["AU"])"), "offers[0].origin", "must be a string, not an array");
    expect_only(offer_with("currency", "978"), "offers[0].currency", "must be a string, not a number");
    expect_only(bid_with("limit", "true"), "bids[0].limit", "must be a decimal (string or number), not a boolean");
    expect_only(bid_with("limit", "[100]"), "bids[0].limit", "must be a decimal (string or number), not an array");
    expect_only(offer_with("certified", R"("true")"), "offers[0].certified", "must be true or false, not a string");
    expect_only(offer_with("certified", "1"), "offers[0].certified", "must be true or false, not a number");
    expect_only(rules_with(R"({"require_certified": "false"})"), "rules.require_certified",
                "must be true or false, not a string");
    expect_only(rules_with(R"({"pricing": "uniform"})"), "rules.pricing", "must be an object, not a string");
    expect_only(rules_with(R"({"pricing": {"rule": 1}})"), "rules.pricing.rule", "must be a string, not a number");
    expect_only(rules_with(R"({"pricing": {"rule": "vickrey"}})"), "rules.pricing.rule",
                "\"vickrey\" is not a pricing rule (uniform or pay-as-bid)");
    expect_only(rules_with(R"({"excluded_origins": "XX"})"), "rules.excluded_origins",
                "must be an array, not a string");
    expect_problems(rules_with(R"({"excluded_origins": ["XX", 7, null, "YY"]})"),
                    {{"rules.excluded_origins[1]", "must be a string, not a number"},
                     {"rules.excluded_origins[2]", "must be a string, not null"}});
    expect_only(rules_with(R"({"excluded_origins": [{"code": "XX"}]})"), "rules.excluded_origins[0]",
                "must be a string, not an object");
    expect_only(round_with("rules", "[]"), "rules", "must be an object, not an array");
    expect_only(round_with("material", R"("LI2CO3")"), "material", "must be an object, not a string");
    expect_only(round_with("fx", R"(["JPY", 0.0061])"), "fx", "must be an object, not an array");
    expect_only(round_with("fx", R"({"JPY": [0.0061]})"), "fx.JPY",
                "must be a decimal (string or number), not an array");
    expect_only(round_with("bids", "{}"), "bids", "must be an array, not an object");
    expect_only(round_with("offers", "0"), "offers", "must be an array, not a number");
    expect_only(round_with("bids", "[5]"), "bids[0]", "must be an object, not a number");
    expect_only(round_with("bids", R"([[]])"), "bids[0]", "must be an object, not an array");
    expect_only(round_with("offers", "[" + object(an_offer()) + R"(, "o-2"])"), "offers[1]",
                "must be an object, not a string");
}

TEST(JsonReader, AnUnreadableRateIsNotReportedAgainForItsOrders) {
    // The order in JPY has a rate; it just could not be read. One problem.
    const Fields jpy_bid = with(a_bid(), "currency", R"("JPY")");
    for (const char* rate : {R"("0,0061")", "null", "true", "[0.0061]", R"({"rate": 0.0061})", "1e400"}) {
        RoundRead r = read(object(with(a_round(jpy_bid), "fx", std::string(R"({"JPY": )") + rate + "}")));
        ASSERT_EQ(r.problems.size(), 1u) << rate << listed(r.problems);
        EXPECT_EQ(r.problems[0].path, "fx.JPY") << rate;
    }
    // A rate that is really missing is reported at the order (by the value
    // checks, which the reader runs when it has a problem of its own).
    expect_problems(object(with(a_round(jpy_bid), "round", "1")),
                    {{"round", "must be a string, not a number"},
                     {"bids[0].currency",
                      "currency \"JPY\" is neither the clearing currency \"EUR\" nor given in fx"}});
}

TEST(JsonReader, OrdersAfterANonObjectKeepTheirPositions) {
    // The value problems of an order are reported at its place in the list,
    // also when elements before it were no orders at all.
    expect_problems(round_with("bids", "[5, " + object(with(a_bid(), "buyer", R"("")")) + "]"),
                    {{"bids[0]", "must be an object, not a number"}, {"bids[1].buyer", "must not be empty"}});
    expect_problems(round_with("offers", R"([[], "x", )" + object(with(an_offer(), "origin", R"("au")")) + "]"),
                    {{"offers[0]", "must be an object, not an array"},
                     {"offers[1]", "must be an object, not a string"},
                     {"offers[2].origin", "\"au\" is not an ISO 3166 alpha-2 code"}});
}

TEST(JsonReader, TheDocumentMustBeAnObject) {
    const Problems want = only("", "the document must be a JSON object");
    for (const char* text : {"[]", "[{}]", "null", "true", "0", "-1.5e3", "\"round\"", "  []  "})
        expect_problems(text, want);
    expect_problems("[" + object(a_round()) + "]", want);
}

TEST(JsonReader, SyntaxErrorsAreReportedWithTheirPosition) {
    expect_not_json("{\"format\": \"jpclear.round/1\",}", "parse error at line 1, column 30");
    expect_not_json("{\n  \"round\": \"r\",\n  \"currency\" : ]\n}", "parse error at line 3, column 16");
    expect_not_json("{'format': 1}", "invalid literal");
    expect_not_json(bid_with("lots", "01"), "syntax error");
    expect_not_json(bid_with("lots", "+1"), "invalid literal");
    expect_not_json(bid_with("limit", ".5"), "invalid literal");
    expect_not_json(bid_with("limit", "5."), "invalid number; expected digit after '.'");
    expect_not_json(bid_with("limit", "1e"), "invalid number; expected '+', '-', or digit after exponent");
    expect_not_json(bid_with("limit", "1e+"), "invalid number; expected digit after exponent sign");
    expect_not_json(bid_with("limit", "NaN"), "invalid literal");
    expect_not_json(bid_with("limit", "Infinity"), "invalid literal");
    expect_not_json(bid_with("limit", "0x10"), "syntax error");
    expect_not_json(offer_with("certified", "True"), "invalid literal");
    // A syntax error after fields with problems: those, then the syntax
    // error, and no value check of the rest, which cannot be trusted.
    expect_not_json(bid_with("lots", R"("12")") + "x", "invalid literal",
                    only("bids[0].lots", "must be a whole number, not a string"));
}

// --- limits -------------------------------------------------------------------

TEST(JsonReader, MaxOrdersLimitGivesOneProblemAndNoRound) {
    Fields three = with(a_round(), "bids",
                        "[" + object(a_bid()) + ", " + object(with(a_bid(), "id", R"("b-2")")) + "]");
    ReadLimits limits;
    limits.max_orders = 2;
    expect_only(object(three), "offers[0]", "the round holds more than 2 orders, the reader's limit", limits);
    limits.max_orders = 1;
    expect_only(object(three), "bids[1]", "the round holds more than 1 orders, the reader's limit", limits);
    limits.max_orders = 3;
    EXPECT_EQ(read_ok(object(three), limits).bids.size(), 2u);

    // Reading stops there: no guesses about fields after the limit (here the
    // currency and the round id come after the bids).
    Fields late = {{"bids", three[4].second}};
    for (const auto& field : three)
        if (field.first != "bids") late.push_back(field);
    limits.max_orders = 1;
    expect_only(object(late), "bids[1]", "the round holds more than 1 orders, the reader's limit", limits);

    // Every element of a list counts, an order or not (each takes its place).
    limits.max_orders = 2;
    expect_problems(round_with("bids", "[1, 2, [], " + object(a_bid()) + "]"),
                    {{"bids[0]", "must be an object, not a number"},
                     {"bids[1]", "must be an object, not a number"},
                     {"bids[2]", "the round holds more than 2 orders, the reader's limit"}},
                    limits);
    limits.max_orders = 1;
    expect_problems(round_with("bids", "[[[[]]]]"),
                    {{"bids[0]", "must be an object, not an array"},
                     {"offers[0]", "the round holds more than 1 orders, the reader's limit"}},
                    limits);
}

TEST(JsonReader, ManyEntriesReadInLinearTime) {
    // 200000 fx entries: keys are checked for duplicates without comparing
    // each with all before it (4 * 10^10 comparisons).
    constexpr int entries = 200'000;
    std::string fx = "{";
    for (int i = 0; i < entries; ++i) fx += (i ? ", \"C" : "\"C") + std::to_string(i) + "\": \"1.5\"";
    const auto start = std::chrono::steady_clock::now();
    const Round r = read_ok(round_with("fx", fx + "}"));
    EXPECT_EQ(r.fx.size(), static_cast<std::size_t>(entries));
    EXPECT_EQ(r.fx.at("C199999"), Decimal::from_units(15, 1));
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 10.0);

    // 50000 orders, read in order with their exact values.
    constexpr int orders = 50'000;
    std::string bids = "[";
    for (int i = 0; i < orders; ++i)
        bids += (i ? ", " : "") + object(with(with(with(a_bid(), "id", "\"b-" + std::to_string(i) + "\""), "lots",
                                                    std::to_string(i + 1)),
                                               "limit", std::to_string(i) + ".25"));
    const Round many = read_ok(round_with("bids", bids + "]"));
    ASSERT_EQ(many.bids.size(), static_cast<std::size_t>(orders));
    EXPECT_EQ(many.bids[orders - 1].id, "b-49999");
    EXPECT_EQ(many.bids[orders - 1].lots, orders);
    EXPECT_EQ(many.bids[orders - 1].limit, Decimal::from_units(int128{4999925}, 2));
    EXPECT_EQ(many.bids[123].limit, Decimal::from_units(int128{12325}, 2));
    // A problem deep in the list names its element.
    expect_only(round_with("bids", bids + ", " + object(with(with(a_bid(), "id", R"("b-last")"), "lots", "1.5")) + "]"),
                "bids[50000].lots", "1.5 is not a whole number");
}

// --- everything at once -------------------------------------------------------

TEST(JsonReader, EveryProblemIsReportedWithItsPath) {
    const std::string text = R"({
  "format": "jpclear.round/1",
  "round": "r-1",
  "colour": "red",
  "material": {"code": "LI2CO3", "lot_tonnes": "20"},
  "currency": "EUR",
  "fx": {"JPY": "0,0061", "usd": 1},
  "rules": {"tick": "0.01", "tick": "0.05", "pricing": {"rule": "vickrey", "k": 2}},
  "bids": [
    {"id": "b-1", "buyer": "A", "bloc": "EU", "lots": "12", "limit": 100},
    {"id": "b-2", "buyer": "B", "bloc": "JP", "lots": 3, "limit": "12,5", "limt": 1},
    {"id": "b-3", "buyer": "", "bloc": "EU", "lots": 0, "limit": 1e400, "currency": "JPY"}
  ],
  "offers": [
    {"id": "b-1", "origin": "AU", "lots": 4, "ask": 90, "certified": "yes"},
    7
  ]
})";
    expect_problems(text, {
                              {"colour", "unknown field (a typo?); round fields are format, round, material, currency, "
                                         "fx, rules, bids, offers, logistics"},
                              {"fx.JPY", "\"0,0061\" is not a decimal"},
                              {"rules.tick", "appears more than once in the same object"},
                              {"rules.pricing.rule", "\"vickrey\" is not a pricing rule (uniform or pay-as-bid)"},
                              {"bids[0].lots", "must be a whole number, not a string"},
                              {"bids[1].limit", "\"12,5\" is not a decimal"},
                              {"bids[1].limt", "unknown field (a typo?); bid fields are id, buyer, bloc, lots, "
                                               "min_lots, limit, currency, delivery"},
                              {"bids[2].limit", "\"1e400\" has more than 38 significant digits"},
                              {"offers[0].certified", "must be true or false, not a string"},
                              {"offers[0].supplier", "is required"},
                              {"offers[1]", "must be an object, not a number"},
                              // Then the value problems of everything else.
                              {"fx.usd", "\"usd\" is not a currency code (3 upper-case letters)"},
                              {"rules.pricing.k", "2 must be at most 1"},
                              {"bids[2].buyer", "must not be empty"},
                              {"bids[2].lots", "0 is outside 1 to 1000000000"},
                              {"offers[0].id", "id \"b-1\" is already used by bids[0]"},
                          });
}

// --- delivery places, routes and freight (spec 10) ------------------------------

// Three routes: every field given, optional ones left out, and given as null.
const std::string three_routes = R"({"routes": [
    {"from": "AU-PHE", "to": "JP-YOK", "freight": "38.00", "currency": "EUR", "capacity_lots": 40},
    {"from": "AU-PHE", "to": "NL-RTM", "freight": 81.5},
    {"from": "NL-RTM", "to": "NL-RTM", "freight": "0", "currency": null, "capacity_lots": null}]})";

Fields placed_bid() { return with(a_bid(), "delivery", R"("JP-YOK")"); }
Fields placed_offer() { return with(an_offer(), "port", R"("AU-PHE")"); }

// A valid round with places; `logistics` is its raw value (empty: left out).
std::string placed_round(const std::string& logistics = three_routes, const Fields& bid = placed_bid(),
                         const Fields& offer = placed_offer()) {
    return object(with(a_round(bid, offer), "logistics", logistics));
}
std::string one_route(const std::string& raw_route) { return R"({"routes": [)" + raw_route + "]}"; }

TEST(JsonReader, LogisticsDeliveryAndPortAreRead) {
    const Round r = read_ok(placed_round());
    ASSERT_TRUE(r.logistics.has_value());
    const std::vector<Route>& routes = r.logistics->routes;
    ASSERT_EQ(routes.size(), 3u);
    EXPECT_EQ(routes[0].from, "AU-PHE");
    EXPECT_EQ(routes[0].to, "JP-YOK");
    EXPECT_EQ(routes[0].freight, Decimal::from_units(3800, 2));
    EXPECT_EQ(routes[0].currency, std::optional<std::string>("EUR"));
    EXPECT_EQ(routes[0].capacity_lots, std::optional<std::int64_t>(40));
    EXPECT_EQ(routes[1].to, "NL-RTM");
    EXPECT_EQ(routes[1].freight, Decimal::from_units(815, 1));  // a JSON number, read from its text
    EXPECT_EQ(routes[1].currency, std::nullopt);
    EXPECT_EQ(routes[1].capacity_lots, std::nullopt);
    EXPECT_EQ(routes[2].from, "NL-RTM");
    EXPECT_EQ(routes[2].freight, Decimal());
    EXPECT_EQ(routes[2].currency, std::nullopt);       // null is absent
    EXPECT_EQ(routes[2].capacity_lots, std::nullopt);  // null is absent
    ASSERT_EQ(r.bids.size(), 1u);
    ASSERT_EQ(r.offers.size(), 1u);
    EXPECT_EQ(r.bids[0].delivery, std::optional<std::string>("JP-YOK"));
    EXPECT_EQ(r.offers[0].port, std::optional<std::string>("AU-PHE"));
    EXPECT_TRUE(same_problems(value_problems(r), {}));

    // Capacity 0 and huge whole numbers are kept for the value checks.
    const Round zero = read_ok(placed_round(one_route(R"({"from": "A", "to": "B", "freight": 1, "capacity_lots": 0})")));
    EXPECT_EQ(zero.logistics->routes[0].capacity_lots, std::optional<std::int64_t>(0));
    const Round big = read_ok(
        placed_round(one_route(R"({"from": "A", "to": "B", "freight": 1, "capacity_lots": 9223372036854775807})")));
    EXPECT_EQ(big.logistics->routes[0].capacity_lots, std::optional<std::int64_t>(INT64_MAX));
}

TEST(JsonReader, WithoutLogisticsARoundHasNoPlaces) {
    const Round r = read_ok(object(a_round()));
    EXPECT_FALSE(r.logistics.has_value());
    EXPECT_EQ(r.bids[0].delivery, std::nullopt);
    EXPECT_EQ(r.offers[0].port, std::nullopt);
    // null is absent, for logistics as for delivery and port.
    const Round n = read_ok(placed_round("null", with(a_bid(), "delivery", "null"), with(an_offer(), "port", "null")));
    EXPECT_FALSE(n.logistics.has_value());
    EXPECT_EQ(n.bids[0].delivery, std::nullopt);
    EXPECT_EQ(n.offers[0].port, std::nullopt);
    // An empty list of routes is read as it is; the value checks refuse it.
    const Round e = read_ok(placed_round(R"({"routes": []})"));
    ASSERT_TRUE(e.logistics.has_value());
    EXPECT_TRUE(e.logistics->routes.empty());
}

TEST(JsonReader, LogisticsFieldsAreCheckedLikeTheRest) {
    const std::string route_fields =
        "unknown field (a typo?); route fields are from, to, freight, currency, capacity_lots";
    // Unknown fields, with their paths.
    expect_only(placed_round(R"({"routes": [{"from": "AU-PHE", "to": "JP-YOK", "freight": 1}], "lanes": []})"),
                "logistics.lanes", "unknown field (a typo?); logistics fields are routes");
    expect_only(placed_round(R"({"routes": [{"from": "AU-PHE", "to": "JP-YOK", "freight": 1},
                                           {"from": "AU-PHE", "to": "JP-NGO", "freight": 1, "capacity": 4}]})"),
                "logistics.routes[1].capacity", route_fields);
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": 1, "Currency": "EUR"})")),
                "logistics.routes[0].Currency", route_fields);
    // Missing required fields.
    expect_only(placed_round("{}"), "logistics.routes", "is required");
    expect_problems(placed_round(one_route(R"({"currency": "EUR"})")),
                    {{"logistics.routes[0].from", "is required"},
                     {"logistics.routes[0].to", "is required"},
                     {"logistics.routes[0].freight", "is required"}});
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": null})")),
                "logistics.routes[0].freight", "must be a decimal (string or number), not null");
    // Types.
    expect_only(placed_round("[]"), "logistics", "must be an object, not an array");
    expect_only(placed_round(R"("AU-PHE -> JP-YOK")"), "logistics", "must be an object, not a string");
    expect_only(placed_round(R"({"routes": {"from": "AU-PHE"}})"), "logistics.routes",
                "must be an array, not an object");
    expect_problems(placed_round(R"({"routes": [5, [], {"from": "AU-PHE", "to": "JP-YOK", "freight": 1}, "x"]})"),
                    {{"logistics.routes[0]", "must be an object, not a number"},
                     {"logistics.routes[1]", "must be an object, not an array"},
                     {"logistics.routes[3]", "must be an object, not a string"}});
    expect_only(placed_round(one_route(R"({"from": 1, "to": "JP-YOK", "freight": 1})")), "logistics.routes[0].from",
                "must be a string, not a number");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": ["JP-YOK"], "freight": 1})")),
                "logistics.routes[0].to", "must be a string, not an array");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": true})")),
                "logistics.routes[0].freight", "must be a decimal (string or number), not a boolean");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": "38,5"})")),
                "logistics.routes[0].freight", "\"38,5\" is not a decimal");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": 1, "currency": 978})")),
                "logistics.routes[0].currency", "must be a string, not a number");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": 1, "capacity_lots": "40"})")),
                "logistics.routes[0].capacity_lots", "must be a whole number, not a string");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": 1, "capacity_lots": 4.5})")),
                "logistics.routes[0].capacity_lots", "4.5 is not a whole number");
    expect_only(placed_round(three_routes, with(a_bid(), "delivery", "5")), "bids[0].delivery",
                "must be a string, not a number");
    expect_only(placed_round(three_routes, placed_bid(), with(an_offer(), "port", R"(["AU-PHE"])")), "offers[0].port",
                "must be a string, not an array");
    // Duplicates.
    expect_only(placed_round(R"({"routes": [], "routes": [{"from": "AU-PHE", "to": "JP-YOK", "freight": 1}]})"),
                "logistics.routes", "appears more than once in the same object");
    expect_only(placed_round(one_route(R"({"from": "AU-PHE", "to": "JP-YOK", "freight": 1, "to": "NL-RTM"})")),
                "logistics.routes[0].to", "appears more than once in the same object");
}

TEST(JsonReader, PlaceValuesAreLeftToTheValueChecks) {
    // A duplicate route, freight on a self-route, a place no route names, an
    // order without a place: readable, and refused by validate_fields().
    const std::string dup = R"({"routes": [{"from": "AU-PHE", "to": "JP-YOK", "freight": 1},
                                          {"from": "AU-PHE", "to": "JP-YOK", "freight": 2},
                                          {"from": "JP-YOK", "to": "JP-YOK", "freight": 3}]})";
    const std::string bad_round =
        placed_round(dup, with(a_bid(), "delivery", R"("JP-YOKO")"), with(an_offer(), "port", ""));
    const Problems values = value_problems(read_ok(bad_round));
    for (const char* path : {"logistics.routes[1]", "logistics.routes[2].freight", "bids[0].delivery",
                             "offers[0].port"}) {
        bool found = false;
        for (const Problem& p : values) found = found || p.path == path;
        EXPECT_TRUE(found) << path << listed(values);
    }
    // With a reading problem too, the value problems of the places follow it.
    Problems want = only("round", "must be a string, not a number");
    want.insert(want.end(), values.begin(), values.end());
    const std::string with_bad_id =
        object(with(with(a_round(with(a_bid(), "delivery", R"("JP-YOKO")"), an_offer()), "logistics", dup), "round",
                    "1"));
    expect_problems(with_bad_id, want);
    // But not when a route could not be read: the places it names are unknown.
    expect_only(placed_round(one_route(R"({"from": 7, "to": "JP-YOK", "freight": 1})")), "logistics.routes[0].from",
                "must be a string, not a number");
}

TEST(JsonReader, RoutesFromACsvFileMustNotBeInTheDocument) {
    OrderSources sources;
    sources.routes_from_csv = true;
    // The document may leave logistics out, or give it without routes.
    RoundRead r = read(object(a_round(placed_bid(), placed_offer())), {}, sources);
    ASSERT_TRUE(r.problems.empty()) << listed(r.problems);
    EXPECT_FALSE(r.round->logistics.has_value());
    EXPECT_EQ(r.round->bids[0].delivery, std::optional<std::string>("JP-YOK"));
    r = read(placed_round("{}"), {}, sources);
    ASSERT_TRUE(r.problems.empty()) << listed(r.problems);
    ASSERT_TRUE(r.round->logistics.has_value());
    EXPECT_TRUE(r.round->logistics->routes.empty());
    expect_problems(placed_round(), only("logistics.routes", "is given both here and in a CSV file; give it in one place"),
                    {}, sources);
    // Places are not checked against routes still to come.
    expect_problems(object(with(a_round(placed_bid(), placed_offer()), "round", "1")),
                    only("round", "must be a string, not a number"), {}, sources);
}

TEST(JsonReader, MaxOrdersAlsoBoundsTheRoutes) {
    ReadLimits limits;
    limits.max_orders = 2;  // one bid and one offer: within
    expect_only(placed_round(), "logistics.routes[2]", "the round holds more than 2 routes, the reader's limit",
                limits);
    limits.max_orders = 3;
    EXPECT_EQ(read_ok(placed_round(), limits).logistics->routes.size(), 3u);
    limits.max_orders = 2;
    expect_problems(placed_round(R"({"routes": [1, 2, 3]})"),
                    {{"logistics.routes[0]", "must be an object, not a number"},
                     {"logistics.routes[1]", "must be an object, not a number"},
                     {"logistics.routes[2]", "the round holds more than 2 routes, the reader's limit"}},
                    limits);
}

// --- round trip ---------------------------------------------------------------

// Whether `text` has an exponent with 3 or more digits (which may be beyond a double).
bool has_exponent_of_3_digits(const std::string& text) {
    for (std::size_t i = text.find_first_of("eE"); i != std::string::npos; i = text.find_first_of("eE", i + 1)) {
        std::size_t j = i + 1;
        if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
        const std::size_t digits = text.find_first_not_of("0123456789", j);
        if ((digits == std::string::npos ? text.size() : digits) - j >= 3) return true;
    }
    return false;
}

TEST(JsonReader, RandomlyDamagedRoundsNeverCrashOrGiveHalfARound) {
    // Bytes changed, dropped or repeated anywhere in a valid round: every
    // text gives a round or problems (read() checks it is never both), and
    // every problem says something.
    const std::string pieces[] = {"\"", "\\", "{", "}", "[", "]", ",", ":", "0", "9", "-", "e", "E", ".", "+", " ",
                                  "\n", std::string(1, '\0'), "\xFF", "\xC3", "\xE6\x9D\xB1", "null", "true",
                                  "1e400", "\\u", "\\ud800", "\xEF\xBB\xBF", std::string(100, ' ')};
    test::Rng rng(20260);
    for (int round = 0; round < 3000; ++round) {
        std::string text = full_round;
        const int edits = static_cast<int>(rng.range(1, 3));
        for (int e = 0; e < edits; ++e) {
            const auto at = static_cast<std::size_t>(rng.range(0, static_cast<std::int64_t>(text.size()) - 1));
            const auto length = static_cast<std::size_t>(rng.range(0, 8));
            switch (rng.range(0, 2)) {
                case 0: text.replace(at, 1, pieces[rng.range(0, std::size(pieces) - 1)]); break;
                case 1: text.erase(at, length); break;
                default: text.insert(at, text.substr(at, length)); break;
            }
        }
        RoundRead r = read(text);
        bool syntax_error = false;
        for (const Problem& p : r.problems) {
            ASSERT_FALSE(p.message.empty()) << p.path << "\nfor " << text;
            syntax_error = syntax_error || p.message.rfind("not valid JSON", 0) == 0;
        }
        // Valid JSON exactly when nlohmann's own parser says so, but for the
        // two cases where the reader is stricter or more lenient on purpose:
        // a NUL byte (the parser's end of input) and numbers beyond a double.
        if (text.find('\0') == std::string::npos && !has_exponent_of_3_digits(text)) {
            EXPECT_EQ(syntax_error, !nlohmann::json::accept(text)) << text << listed(r.problems);
        }
    }
}

// Up to 12 digits before the point and 10 after it, from `least` units up.
Decimal any_price(test::Rng& rng, std::int64_t least) {
    return Decimal::from_units(rng.range(least, 999'999'999'999), static_cast<int>(rng.range(0, 10)));
}

// A generated round made harder: odd strings, fractional prices, every
// optional field set or left out.
Round awkward_round(std::uint64_t seed) {
    GenerateSpec spec;
    spec.bids = 150;
    spec.offers = 40;
    spec.seed = seed;
    spec.block_per_mille = 200;
    spec.origin_cap = seed % 2 == 0;
    Round r = generate_round(spec);
    test::Rng rng(seed);
    const std::vector<std::string> names = {"Acme \"Cells\"", "back\\slash", "tab\there", "東京バッテリー",
                                            "🔋 Volt, GmbH", std::string("nul\0x", 5), "\x7f\x01\x1f", "", "/"};
    if (rng.percent(50)) r.material.name.reset();
    else r.material.name = rng.pick(names);
    r.rules.pricing = rng.percent(50) ? PricingRule::uniform : PricingRule::pay_as_bid;
    r.rules.k = Decimal::from_units(rng.range(0, 100), 2);
    r.rules.tick = Decimal::from_units(rng.range(1, 1000), static_cast<int>(rng.range(0, 4)));
    r.rules.require_certified = rng.percent(50);
    if (rng.percent(50)) r.rules.excluded_origins = {"RU", rng.pick(names)};
    r.fx["USD"] = Decimal::from_units(rng.range(1, 99'999'999), 8);
    for (Bid& b : r.bids) {
        if (rng.percent(20)) b.buyer = rng.pick(names) + b.buyer;
        if (rng.percent(30)) b.limit = any_price(rng, 1);
        if (rng.percent(20)) b.currency.reset();
    }
    for (Offer& o : r.offers) {
        if (rng.percent(20)) o.supplier = rng.pick(names);
        if (rng.percent(30)) o.ask = any_price(rng, 0);
        if (rng.percent(20)) o.currency.reset();
    }
    // Places with odd names on every other seed (spec 10).
    if (seed % 2 == 1) {
        const std::vector<std::string> places = {"AU-PHE", "JP-YOK", "NL \"RTM\"", "東京", "", "a,b"};
        r.logistics.emplace();
        for (std::size_t i = 0; i < 12; ++i) {
            Route route;
            route.from = rng.pick(places);
            route.to = rng.pick(places);
            route.freight = any_price(rng, 0);
            if (rng.percent(50)) route.currency = rng.pick(names);
            if (rng.percent(50)) route.capacity_lots = rng.range(0, 1'000'000'000);
            r.logistics->routes.push_back(route);
        }
        for (Bid& b : r.bids)
            if (rng.percent(90)) b.delivery = rng.pick(places);
        for (Offer& o : r.offers)
            if (rng.percent(90)) o.port = rng.pick(places);
    }
    return r;
}

TEST(JsonReader, WrittenRoundsReadBackUnchanged) {
    for (std::uint64_t seed : {1u, 2u, 3u, 42u, 2026u}) {
        const GenerateSpec plain{300, 60, seed, 100, seed % 2 == 1};
        const GenerateSpec places{300, 60, seed, 100, seed % 2 == 1, true};
        for (const Round& original : {generate_round(plain), generate_round(places), awkward_round(seed)}) {
            std::ostringstream out;
            write_round_json(out, original);
            RoundRead back = read(out.str());
            ASSERT_TRUE(back.problems.empty()) << "seed " << seed << listed(back.problems);
            EXPECT_TRUE(same_round(*back.round, original)) << "seed " << seed;
        }
    }
}

// --- locale -------------------------------------------------------------------

TEST(JsonReader, NumbersAreReadTheSameUnderAnyLocale) {
    // A program may set a locale whose decimal point is a comma; the
    // parser's number text must still be read with its point. (Skipped where
    // no such locale is installed; one can be made for a run with
    // `localedef -i de_DE -f UTF-8 DIR/de_DE.UTF-8` and LOCPATH=DIR.)
    const char* names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE", "fr_FR"};
    const std::string before = std::setlocale(LC_NUMERIC, nullptr);
    const char* set = nullptr;
    for (const char* name : names)
        if ((set = std::setlocale(LC_NUMERIC, name))) break;
    if (!set) GTEST_SKIP() << "no locale with a decimal comma is installed";
    const Round r = read_ok(object(a_round(with(a_bid(), "limit", "14500.5"), with(an_offer(), "ask", "1.5e3"))));
    std::setlocale(LC_NUMERIC, before.c_str());
    ASSERT_EQ(r.bids.size(), 1u);
    EXPECT_EQ(r.bids[0].limit, Decimal::from_units(145005, 1));
    EXPECT_EQ(r.offers[0].ask, Decimal::integer(1500));
}

}  // namespace
}  // namespace jpclear
