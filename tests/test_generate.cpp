// generate_round() and summary_table().
//
// The generator feeds benches and property tests, so these tests pin what
// they rely on: the same spec gives the same round everywhere, every round is
// valid, and the market looks like the one documented in generate.cpp. With
// places (spec 10) the orders stay those of the round without, and every
// order has a place some route serves.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/clearing/market.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "jpclear/jpclear.h"

namespace jpclear {
namespace {

GenerateSpec spec_of(std::uint64_t bids, std::uint64_t offers, std::uint64_t seed, std::uint32_t blocks = 0,
                     bool cap = false, bool places = false) {
    GenerateSpec s;
    s.bids = bids;
    s.offers = offers;
    s.seed = seed;
    s.block_per_mille = blocks;
    s.origin_cap = cap;
    s.places = places;
    return s;
}

GenerateSpec places_spec(std::uint64_t bids, std::uint64_t offers, std::uint64_t seed, std::uint32_t blocks = 0,
                         bool cap = false) {
    return spec_of(bids, offers, seed, blocks, cap, true);
}

std::string problems_text(const Problems& problems) {
    std::string text;
    for (std::size_t i = 0; i < problems.size() && i < 10; ++i) text += problems[i].to_string() + "\n";
    return text;
}

// Every field of the round, so "identical" means identical.
void expect_same_round(const Round& a, const Round& b) {
    EXPECT_EQ(a.format, b.format);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.material.code, b.material.code);
    EXPECT_EQ(a.material.name, b.material.name);
    EXPECT_EQ(a.material.lot_tonnes, b.material.lot_tonnes);
    EXPECT_EQ(a.currency, b.currency);
    EXPECT_EQ(a.fx, b.fx);
    EXPECT_EQ(a.rules.pricing, b.rules.pricing);
    EXPECT_EQ(a.rules.k, b.rules.k);
    EXPECT_EQ(a.rules.tick, b.rules.tick);
    EXPECT_EQ(a.rules.max_origin_share, b.rules.max_origin_share);
    EXPECT_EQ(a.rules.excluded_origins, b.rules.excluded_origins);
    EXPECT_EQ(a.rules.require_certified, b.rules.require_certified);
    ASSERT_EQ(a.bids.size(), b.bids.size());
    ASSERT_EQ(a.offers.size(), b.offers.size());
    for (std::size_t i = 0; i < a.bids.size(); ++i) {
        const Bid &x = a.bids[i], &y = b.bids[i];
        ASSERT_TRUE(x.id == y.id && x.buyer == y.buyer && x.bloc == y.bloc && x.lots == y.lots &&
                    x.min_lots == y.min_lots && x.limit == y.limit && x.currency == y.currency &&
                    x.delivery == y.delivery)
            << "bids[" << i << "] differs: " << x.id << " vs " << y.id;
    }
    for (std::size_t i = 0; i < a.offers.size(); ++i) {
        const Offer &x = a.offers[i], &y = b.offers[i];
        ASSERT_TRUE(x.id == y.id && x.supplier == y.supplier && x.origin == y.origin && x.lots == y.lots &&
                    x.min_lots == y.min_lots && x.ask == y.ask && x.currency == y.currency &&
                    x.certified == y.certified && x.port == y.port)
            << "offers[" << i << "] differs: " << x.id << " vs " << y.id;
    }
    ASSERT_EQ(a.logistics.has_value(), b.logistics.has_value());
    if (!a.logistics) return;
    ASSERT_EQ(a.logistics->routes.size(), b.logistics->routes.size());
    for (std::size_t i = 0; i < a.logistics->routes.size(); ++i) {
        const Route &x = a.logistics->routes[i], &y = b.logistics->routes[i];
        ASSERT_TRUE(x.from == y.from && x.to == y.to && x.freight == y.freight && x.currency == y.currency &&
                    x.capacity_lots == y.capacity_lots)
            << "logistics.routes[" << i << "] differs: " << x.from << " -> " << x.to << " vs " << y.from << " -> "
            << y.to;
    }
}

// FNV-1a over a sequence of strings, each closed by a separator byte.
struct Fnv1a {
    std::uint64_t h = 0xcbf29ce484222325ull;
    void operator()(const std::string& s) {
        for (char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 0x100000001b3ull;
        }
        h ^= 0xff;
        h *= 0x100000001b3ull;
    }
};

// FNV-1a over every order field, in a fixed text form.
std::uint64_t fingerprint(const Round& r) {
    Fnv1a add;
    for (const Bid& b : r.bids) {
        add(b.id);
        add(b.buyer);
        add(b.bloc);
        add(std::to_string(b.lots));
        add(std::to_string(b.min_lots));
        add(b.limit.to_string());
        add(b.currency.value_or("-"));
    }
    for (const Offer& o : r.offers) {
        add(o.id);
        add(o.supplier);
        add(o.origin);
        add(std::to_string(o.lots));
        add(std::to_string(o.min_lots));
        add(o.ask.to_string());
        add(o.currency.value_or("-"));
        add(o.certified ? "1" : "0");
    }
    return add.h;
}

// --- determinism --------------------------------------------------------------

TEST(Generate, SameSpecGivesIdenticalRound) {
    for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{987654321}}) {
        const GenerateSpec s = spec_of(3000, 700, seed, 150, true);
        expect_same_round(generate_round(s), generate_round(s));
    }
}

// Pins the exact output, so a change of compiler, standard library or
// platform that altered it would fail here. A deliberate change of the
// generator updates these values (and changes every generated bench input).
TEST(Generate, OutputIsPinned) {
    const Round r = generate_round(spec_of(200, 50, 42, 100));
    ASSERT_EQ(r.bids.size(), 200u);
    ASSERT_EQ(r.offers.size(), 50u);
    const Bid& b = r.bids[0];
    EXPECT_EQ(b.id, "b000001");
    EXPECT_EQ(b.buyer, "Rhein Battery");
    EXPECT_EQ(b.bloc, "EU");
    EXPECT_EQ(b.limit.to_string(), "16680");
    EXPECT_EQ(b.lots, 10);
    const Offer& o = r.offers[0];
    EXPECT_EQ(o.id, "o000001");
    EXPECT_EQ(o.supplier, "Manitoba Li");
    EXPECT_EQ(o.origin, "CA");
    EXPECT_EQ(o.ask.to_string(), "14870");
    EXPECT_EQ(o.lots, 1);
    const Bid& jp = r.bids[2];
    EXPECT_EQ(jp.bloc, "JP");
    EXPECT_EQ(jp.limit.to_string(), "2214000");
    EXPECT_EQ(jp.currency, "JPY");
    EXPECT_EQ(r.bids[1].min_lots, 12);
    EXPECT_EQ(fingerprint(r), 0x63c38041dccaf2f7ull);
}

TEST(Generate, DifferentSeedsDiffer) {
    const Round a = generate_round(spec_of(1000, 200, 1));
    const Round b = generate_round(spec_of(1000, 200, 2));
    EXPECT_NE(a.id, b.id);
    std::size_t bids_differ = 0, offers_differ = 0;
    for (std::size_t i = 0; i < a.bids.size(); ++i)
        bids_differ += a.bids[i].limit != b.bids[i].limit || a.bids[i].lots != b.bids[i].lots ||
                       a.bids[i].buyer != b.bids[i].buyer;
    for (std::size_t i = 0; i < a.offers.size(); ++i)
        offers_differ += a.offers[i].ask != b.offers[i].ask || a.offers[i].lots != b.offers[i].lots ||
                         a.offers[i].origin != b.offers[i].origin;
    // Unrelated streams agree on an order only by chance: well under a tenth.
    EXPECT_GT(bids_differ, 900u);
    EXPECT_GT(offers_differ, 180u);
}

// Bids and offers draw from their own streams: the size of one side leaves
// the other alone.
TEST(Generate, SidesAreIndependent) {
    const Round a = generate_round(spec_of(500, 10, 7));
    const Round b = generate_round(spec_of(500, 300, 7));
    for (std::size_t i = 0; i < a.bids.size(); ++i) {
        ASSERT_EQ(a.bids[i].limit, b.bids[i].limit) << i;
        ASSERT_EQ(a.bids[i].lots, b.bids[i].lots) << i;
    }
    for (std::size_t i = 0; i < a.offers.size(); ++i) ASSERT_EQ(a.offers[i].ask, b.offers[i].ask) << i;
    const Round c = generate_round(spec_of(20, 300, 7));
    for (std::size_t i = 0; i < c.offers.size(); ++i) {
        ASSERT_EQ(b.offers[i].ask, c.offers[i].ask) << i;
        ASSERT_EQ(b.offers[i].origin, c.offers[i].origin) << i;
    }
}

// --- validity and header ------------------------------------------------------

TEST(Generate, RoundsAreValid) {
    const std::vector<std::pair<std::uint64_t, std::uint64_t>> sizes = {
        {0, 0}, {1, 0}, {0, 1}, {1, 1}, {7, 3}, {1000, 100}, {4000, 4000}};
    for (auto [bids, offers] : sizes)
        for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{31337}, UINT64_MAX})
            for (std::uint32_t blocks : {0u, 250u, 1000u, 5000u})
                for (bool cap : {false, true}) {
                    const Round r = generate_round(spec_of(bids, offers, seed, blocks, cap));
                    ASSERT_EQ(r.bids.size(), bids);
                    ASSERT_EQ(r.offers.size(), offers);
                    const Problems p = validate(r);
                    ASSERT_TRUE(p.empty()) << bids << "/" << offers << " seed " << seed << " blocks " << blocks
                                           << " cap " << cap << ":\n"
                                           << problems_text(p);
                }
}

TEST(Generate, HeaderAndRules) {
    const Round r = generate_round(spec_of(10, 10, 123));
    EXPECT_EQ(r.format, "jpclear.round/1");
    EXPECT_EQ(r.id, "generated-123");
    EXPECT_EQ(r.material.code, "LI2CO3");
    EXPECT_EQ(r.material.lot_tonnes, dec("20"));
    EXPECT_EQ(r.currency, "EUR");
    ASSERT_EQ(r.fx.size(), 1u);
    EXPECT_EQ(r.fx.at("JPY"), dec("0.0061"));
    EXPECT_EQ(r.rules.pricing, PricingRule::uniform);
    EXPECT_EQ(r.rules.k, dec("0.5"));
    EXPECT_EQ(r.rules.tick, dec("0.01"));
    EXPECT_FALSE(r.rules.max_origin_share.has_value());
    EXPECT_TRUE(r.rules.excluded_origins.empty());
    EXPECT_FALSE(r.rules.require_certified);
    EXPECT_EQ(generate_round(spec_of(0, 0, UINT64_MAX)).id, "generated-18446744073709551615");
}

TEST(Generate, OriginCapHonoured) {
    const Round capped = generate_round(spec_of(50, 50, 5, 0, true));
    ASSERT_TRUE(capped.rules.max_origin_share.has_value());
    EXPECT_EQ(*capped.rules.max_origin_share, dec("0.65"));
    EXPECT_FALSE(generate_round(spec_of(50, 50, 5, 0, false)).rules.max_origin_share.has_value());
    // The cap is a rule, not a different market.
    expect_same_round(generate_round(spec_of(50, 50, 5, 0, false)),
                      [&] {
                          Round r = capped;
                          r.rules.max_origin_share.reset();
                          return r;
                      }());
}

// --- ids ----------------------------------------------------------------------

TEST(Generate, IdsAreUniqueAndSortNumerically) {
    const Round r = generate_round(spec_of(20000, 1500, 3));
    std::set<std::string> seen;
    for (std::size_t i = 0; i < r.bids.size(); ++i) {
        const std::string& id = r.bids[i].id;
        ASSERT_EQ(id.size(), 7u) << id;
        ASSERT_EQ(id, "b" + std::string(6 - std::to_string(i + 1).size(), '0') + std::to_string(i + 1));
        if (i > 0) {
            ASSERT_LT(r.bids[i - 1].id, id);
        }
        ASSERT_TRUE(seen.insert(id).second) << id;
    }
    for (std::size_t i = 0; i < r.offers.size(); ++i) {
        const std::string& id = r.offers[i].id;
        ASSERT_EQ(id, "o" + std::string(6 - std::to_string(i + 1).size(), '0') + std::to_string(i + 1));
        ASSERT_TRUE(seen.insert(id).second) << id;
    }
}

// Past 999999 orders the ids widen, all of them, so byte order still holds.
TEST(Generate, IdsWidenForLargeRounds) {
    const Round r = generate_round(spec_of(1'000'000, 0, 1));
    EXPECT_EQ(r.bids.front().id, "b0000001");
    EXPECT_EQ(r.bids[999'998].id, "b0999999");
    EXPECT_EQ(r.bids.back().id, "b1000000");
    EXPECT_LT(r.bids[999'998].id, r.bids.back().id);
}

// --- the market ---------------------------------------------------------------

TEST(Generate, EuJpSplitAndCurrencies) {
    const Round r = generate_round(spec_of(20000, 0, 11));
    std::size_t eu = 0, jp = 0;
    std::set<std::string> eu_buyers, jp_buyers;
    for (const Bid& b : r.bids) {
        ASSERT_TRUE(b.currency.has_value());
        ASSERT_EQ(b.limit.scale(), 0) << b.id;
        if (b.bloc == "EU") {
            ++eu;
            eu_buyers.insert(b.buyer);
            ASSERT_EQ(*b.currency, "EUR") << b.id;
            ASSERT_EQ(b.limit.coefficient() % 10, 0) << b.id << " " << b.limit.to_string();
        } else {
            ASSERT_EQ(b.bloc, "JP") << b.id;
            ++jp;
            jp_buyers.insert(b.buyer);
            ASSERT_EQ(*b.currency, "JPY") << b.id;
            ASSERT_EQ(b.limit.coefficient() % 1000, 0) << b.id << " " << b.limit.to_string();
        }
    }
    EXPECT_GT(eu, 9400u);
    EXPECT_GT(jp, 9400u);
    // A pool of 40 names a bloc, reused, and no name in both blocs.
    EXPECT_EQ(eu_buyers.size(), 40u);
    EXPECT_EQ(jp_buyers.size(), 40u);
    for (const std::string& name : eu_buyers) EXPECT_EQ(jp_buyers.count(name), 0u) << name;
}

TEST(Generate, OriginMixFollowsSupply) {
    const Round r = generate_round(spec_of(0, 20000, 12));
    std::map<std::string, std::size_t> count;
    std::size_t certified = 0;
    std::map<std::string, std::set<std::string>> suppliers;
    for (const Offer& o : r.offers) {
        ++count[o.origin];
        certified += o.certified;
        suppliers[o.origin].insert(o.supplier);
        ASSERT_EQ(o.currency.value_or("EUR"), "EUR");
    }
    // Expected per mille; bounds are about 4 standard deviations wide.
    const std::map<std::string, std::pair<std::size_t, std::size_t>> expected = {
        {"AU", {7000, 7800}}, {"CL", {4500, 5100}}, {"CN", {3300, 3900}}, {"AR", {1250, 1550}},
        {"ZW", {850, 1150}},  {"BR", {680, 920}},   {"CA", {320, 480}},   {"US", {140, 260}},
        {"PT", {140, 260}}};
    for (const auto& [origin, range] : expected) {
        EXPECT_GE(count[origin], range.first) << origin;
        EXPECT_LE(count[origin], range.second) << origin;
    }
    std::size_t others = 0;
    for (const auto& [origin, n] : count)
        if (!expected.count(origin)) others += n;
    EXPECT_GE(others, 140u);
    EXPECT_LE(others, 260u);
    EXPECT_GE(certified, 16700u);  // 85% of 20000 is 17000
    EXPECT_LE(certified, 17300u);
    for (const auto& [origin, names] : suppliers) {
        EXPECT_GE(names.size(), 2u) << origin;
        for (const auto& [other, other_names] : suppliers)
            if (other != origin) {
                for (const std::string& n : names) EXPECT_EQ(other_names.count(n), 0u) << n;
            }
    }
}

TEST(Generate, LotsAreSkewedSmall) {
    const Round r = generate_round(spec_of(10000, 10000, 13));
    std::vector<std::size_t> histogram(51, 0);
    std::int64_t total = 0;
    for (const Bid& b : r.bids) {
        ASSERT_GE(b.lots, 1);
        ASSERT_LE(b.lots, 50);
        ++histogram[static_cast<std::size_t>(b.lots)];
        total += b.lots;
    }
    for (const Offer& o : r.offers) {
        ASSERT_GE(o.lots, 1);
        ASSERT_LE(o.lots, 50);
        ++histogram[static_cast<std::size_t>(o.lots)];
        total += o.lots;
    }
    const std::int64_t mean_x100 = total * 100 / 20000;
    EXPECT_GT(mean_x100, 1500);  // expected about 17.2
    EXPECT_LT(mean_x100, 1950);
    std::size_t small = 0, large = 0;
    for (std::size_t k = 1; k <= 10; ++k) small += histogram[k];
    for (std::size_t k = 41; k <= 50; ++k) large += histogram[k];
    EXPECT_GT(small, 4 * large);
    EXPECT_GT(histogram[50], 0u);
}

// Converted prices, in EUR cents, via the library's own conversion.
struct Converted {
    std::vector<std::int64_t> bids, offers;
};

Converted converted(const Round& r) {
    Prepared p = prepare(r);
    EXPECT_TRUE(p.problems.empty()) << problems_text(p.problems);
    return {p.book.bid_price, p.book.offer_price};
}

TEST(Generate, PricesSpreadAroundTheMarket) {
    const Round r = generate_round(spec_of(20000, 20000, 14));
    const Converted c = converted(r);
    ASSERT_EQ(c.offers.size(), r.offers.size());
    // Cents; the grid rounding (EUR 10, JPY 1000 = EUR 6.10) adds a little slack.
    const std::int64_t bid_lo = 1232000 - 700, bid_hi = 1568000 + 700;
    const std::int64_t offer_lo = 1190000 - 500, offer_hi = 1540000 + 500;
    std::size_t bids_in = 0, bids_above = 0, offers_in = 0, offers_below = 0;
    for (std::int64_t p : c.bids) {
        ASSERT_GE(p, bid_lo) << "no bid below the spread";
        bids_in += p <= bid_hi;
        bids_above += p > bid_hi;
        ASSERT_LE(p, 1750000 + 700);  // +25%
    }
    for (std::int64_t p : c.offers) {
        ASSERT_LE(p, offer_hi) << "no offer above the spread";
        offers_in += p >= offer_lo;
        offers_below += p < offer_lo;
        ASSERT_GE(p, 980000 - 500);  // -30%
    }
    EXPECT_GT(bids_in, 19000u);
    EXPECT_GT(offers_in, 19000u);
    EXPECT_GT(bids_above, 200u);  // about 3%
    EXPECT_GT(offers_below, 200u);
    EXPECT_LT(bids_above, 1000u);
    EXPECT_LT(offers_below, 1000u);

    // Most orders near the market: the middle half of each spread holds more
    // than half of its orders (a flat spread would hold exactly half).
    std::size_t bids_middle = 0;
    for (std::int64_t p : c.bids) bids_middle += p >= 1316000 && p <= 1484000;
    EXPECT_GT(bids_middle, 13000u);
}

TEST(Generate, EqualPricesAreCommon) {
    const Round r = generate_round(spec_of(2000, 2000, 15));
    const Converted c = converted(r);
    auto tied = [](std::vector<std::int64_t> prices) {
        std::sort(prices.begin(), prices.end());
        std::size_t n = 0;
        for (std::size_t i = 0; i < prices.size(); ++i)
            n += (i > 0 && prices[i] == prices[i - 1]) || (i + 1 < prices.size() && prices[i] == prices[i + 1]);
        return n;
    };
    EXPECT_GT(tied(c.bids), 1000u);
    EXPECT_GT(tied(c.offers), 1000u);
    // EU and JP limits meet on common prices too (EUR 610 = JPY 100000).
    std::set<std::int64_t> eu, jp;
    for (std::size_t i = 0; i < r.bids.size(); ++i) (r.bids[i].bloc == "EU" ? eu : jp).insert(c.bids[i]);
    std::size_t common = 0;
    for (std::int64_t p : jp) common += eu.count(p);
    EXPECT_GT(common, 0u);
    // And bids meet offers at equal prices.
    const std::set<std::int64_t> asks(c.offers.begin(), c.offers.end());
    std::size_t crossing = 0;
    for (std::int64_t p : eu) crossing += asks.count(p);
    EXPECT_GT(crossing, 10u);
}

// --- blocks -------------------------------------------------------------------

TEST(Generate, NoBlocksByDefault) {
    const Round r = generate_round(spec_of(5000, 5000, 16));
    for (const Bid& b : r.bids) ASSERT_EQ(b.min_lots, 0) << b.id;
    for (const Offer& o : r.offers) ASSERT_EQ(o.min_lots, 0) << o.id;
}

TEST(Generate, BlockPerMilleHonoured) {
    const Round plain = generate_round(spec_of(20000, 20000, 17, 0));
    const Round r = generate_round(spec_of(20000, 20000, 17, 100));
    std::size_t bid_blocks = 0, offer_blocks = 0;
    for (std::size_t i = 0; i < r.bids.size(); ++i) {
        const Bid& b = r.bids[i];
        if (b.min_lots > 0) {
            ++bid_blocks;
            ASSERT_LE(b.min_lots, b.lots) << b.id;
        }
        // Blocks change min_lots only.
        ASSERT_EQ(b.limit, plain.bids[i].limit) << b.id;
        ASSERT_EQ(b.lots, plain.bids[i].lots) << b.id;
    }
    for (std::size_t i = 0; i < r.offers.size(); ++i) {
        const Offer& o = r.offers[i];
        if (o.min_lots > 0) {
            ++offer_blocks;
            ASSERT_EQ(o.min_lots, o.lots) << o.id << ": offer blocks are all-or-none";
        }
        ASSERT_EQ(o.ask, plain.offers[i].ask) << o.id;
    }
    EXPECT_GT(bid_blocks, 1800u);  // 10% of 20000, give or take 5 sigma
    EXPECT_LT(bid_blocks, 2200u);
    EXPECT_GT(offer_blocks, 1800u);
    EXPECT_LT(offer_blocks, 2200u);
}

TEST(Generate, AllBlocksAtOneThousandPerMille) {
    const Round r = generate_round(spec_of(3000, 3000, 18, 1000));
    std::size_t partial_minimum = 0;
    for (const Bid& b : r.bids) {
        ASSERT_GE(b.min_lots, 1) << b.id;
        ASSERT_LE(b.min_lots, b.lots) << b.id;
        partial_minimum += b.min_lots < b.lots;
    }
    for (const Offer& o : r.offers) ASSERT_EQ(o.min_lots, o.lots) << o.id;
    // Bid minimums spread over 1..lots rather than all being all-or-none.
    EXPECT_GT(partial_minimum, 2000u);
}

// --- places, ports and freight (spec 10) ----------------------------------------

const std::set<std::string> eu_places = {"NL-RTM", "DE-HAM"};
const std::set<std::string> jp_places = {"JP-YOK", "JP-NGO"};

// FNV-1a over every place field: deliveries, ports and the route table.
std::uint64_t places_fingerprint(const Round& r) {
    Fnv1a add;
    for (const Bid& b : r.bids) add(b.delivery.value_or("-"));
    for (const Offer& o : r.offers) add(o.port.value_or("-"));
    if (r.logistics)
        for (const Route& route : r.logistics->routes) {
            add(route.from);
            add(route.to);
            add(route.freight.to_string());
            add(route.currency.value_or("-"));
            add(route.capacity_lots ? std::to_string(*route.capacity_lots) : "-");
        }
    return add.h;
}

// The round with its places taken out.
Round without_places(Round r) {
    r.logistics.reset();
    for (Bid& b : r.bids) b.delivery.reset();
    for (Offer& o : r.offers) o.port.reset();
    return r;
}

// Freight of a route in EUR per tonne, through the round's fx.
Decimal freight_eur(const Round& r, const Route& route) {
    if (!route.currency || *route.currency == r.currency) return route.freight;
    return route.freight * r.fx.at(*route.currency);
}

const Route* find_route(const Round& r, const std::string& from, const std::string& to) {
    for (const Route& route : r.logistics->routes)
        if (route.from == from && route.to == to) return &route;
    return nullptr;
}

TEST(GeneratePlaces, SameSpecGivesIdenticalRound) {
    for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{987654321}}) {
        const GenerateSpec s = places_spec(3000, 700, seed, 150, true);
        const Round a = generate_round(s);
        ASSERT_TRUE(a.logistics.has_value());
        expect_same_round(a, generate_round(s));
        EXPECT_EQ(places_fingerprint(a), places_fingerprint(generate_round(s)));
    }
}

// Pins the places as well, like OutputIsPinned pins the orders.
TEST(GeneratePlaces, OutputIsPinned) {
    const Round r = generate_round(places_spec(200, 50, 42, 100));
    EXPECT_EQ(fingerprint(r), 0x63c38041dccaf2f7ull) << "places must leave the orders alone";
    EXPECT_EQ(r.bids[0].delivery, "DE-HAM");
    EXPECT_EQ(r.bids[2].delivery, "JP-NGO");
    EXPECT_EQ(r.offers[0].port, "CA-MTR");
    ASSERT_TRUE(r.logistics.has_value());
    const std::vector<Route>& routes = r.logistics->routes;
    ASSERT_EQ(routes.size(), 49u);
    EXPECT_EQ(routes[0].from, "AU-PHE");
    EXPECT_EQ(routes[0].to, "JP-YOK");
    EXPECT_EQ(routes[0].freight.to_string(), "39.5");
    EXPECT_FALSE(routes[0].currency.has_value());
    EXPECT_EQ(routes[0].capacity_lots, 33);
    EXPECT_EQ(routes[1].currency, "JPY");
    EXPECT_EQ(routes[1].freight.to_string(), "6480");
    EXPECT_EQ(places_fingerprint(r), 0x6be052579f0908b2ull);
}

// The orders of a round with places are those of the round without: places
// draw from streams of their own.
TEST(GeneratePlaces, OrdersAreThoseOfTheRoundWithout) {
    for (std::uint64_t seed : {std::uint64_t{3}, std::uint64_t{42}, UINT64_MAX})
        for (std::uint32_t blocks : {0u, 300u})
            for (bool cap : {false, true}) {
                const Round plain = generate_round(spec_of(2000, 500, seed, blocks, cap));
                const Round placed = generate_round(places_spec(2000, 500, seed, blocks, cap));
                expect_same_round(plain, without_places(placed));
                EXPECT_EQ(fingerprint(plain), fingerprint(placed));
            }
}

TEST(GeneratePlaces, WithoutPlacesNoPlaceFields) {
    for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{7}, UINT64_MAX})
        for (std::uint32_t blocks : {0u, 500u})
            for (bool cap : {false, true}) {
                const Round r = generate_round(spec_of(1000, 300, seed, blocks, cap));
                EXPECT_FALSE(r.logistics.has_value());
                for (const Bid& b : r.bids) ASSERT_FALSE(b.delivery.has_value()) << b.id;
                for (const Offer& o : r.offers) ASSERT_FALSE(o.port.has_value()) << o.id;
            }
    EXPECT_FALSE(generate_round(GenerateSpec{}).logistics.has_value());
}

// Deliveries and ports depend on their own side only.
TEST(GeneratePlaces, SidesAreIndependent) {
    const Round a = generate_round(places_spec(500, 10, 7));
    const Round b = generate_round(places_spec(500, 300, 7));
    const Round c = generate_round(places_spec(20, 300, 7));
    for (std::size_t i = 0; i < a.bids.size(); ++i) ASSERT_EQ(a.bids[i].delivery, b.bids[i].delivery) << i;
    for (std::size_t i = 0; i < a.offers.size(); ++i) ASSERT_EQ(a.offers[i].port, b.offers[i].port) << i;
    for (std::size_t i = 0; i < c.offers.size(); ++i) ASSERT_EQ(b.offers[i].port, c.offers[i].port) << i;
}

TEST(GeneratePlaces, RoundsAreValid) {
    const std::vector<std::pair<std::uint64_t, std::uint64_t>> sizes = {
        {0, 0}, {1, 0}, {0, 1}, {1, 1}, {7, 3}, {1000, 100}, {4000, 4000}};
    for (auto [bids, offers] : sizes)
        for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{31337}, UINT64_MAX})
            for (std::uint32_t blocks : {0u, 250u})
                for (bool cap : {false, true}) {
                    const Round r = generate_round(places_spec(bids, offers, seed, blocks, cap));
                    ASSERT_TRUE(r.logistics.has_value());
                    const Problems p = validate(r);
                    ASSERT_TRUE(p.empty()) << bids << "/" << offers << " seed " << seed << " blocks " << blocks
                                           << " cap " << cap << ":\n"
                                           << problems_text(p);
                }
}

// Every order's place is named by a route, and every bid can be reached from
// some port (so rounds clear); JP bids are delivered in Japan, EU ones in
// Europe, offers loaded at a port of their origin.
TEST(GeneratePlaces, EveryOrderHasARoute) {
    // Landlocked origins load at a neighbour's port, German lithium at Rotterdam or Hamburg.
    const std::map<std::string, std::set<std::string>> foreign_ports = {
        {"ZW", {"MZ-BEW", "ZA-DUR"}}, {"ML", {"CI-ABJ"}}, {"DE", {"NL-RTM", "DE-HAM"}}};
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Round r = generate_round(places_spec(400, 400, seed));
        ASSERT_TRUE(r.logistics.has_value());
        std::set<std::string> from, to;
        for (const Route& route : r.logistics->routes) {
            from.insert(route.from);
            to.insert(route.to);
        }
        for (const Bid& b : r.bids) {
            ASSERT_TRUE(b.delivery.has_value()) << b.id;
            ASSERT_EQ(to.count(*b.delivery), 1u) << b.id << " " << *b.delivery << " seed " << seed;
            ASSERT_EQ((b.bloc == "JP" ? jp_places : eu_places).count(*b.delivery), 1u) << b.id << " " << *b.delivery;
        }
        std::map<std::string, std::set<std::string>> ports;
        for (const Offer& o : r.offers) {
            ASSERT_TRUE(o.port.has_value()) << o.id;
            ASSERT_EQ(from.count(*o.port), 1u) << o.id << " " << *o.port << " seed " << seed;
            auto it = foreign_ports.find(o.origin);
            if (it != foreign_ports.end()) {
                ASSERT_EQ(it->second.count(*o.port), 1u) << o.id << " " << o.origin << " " << *o.port;
            } else {
                ASSERT_EQ(o.port->substr(0, 3), o.origin + "-") << o.id;
            }
            ports[o.origin].insert(*o.port);
        }
        // Big origins ship from two ports.
        EXPECT_EQ(ports["AU"].size(), 2u) << seed;
        EXPECT_EQ(ports["CL"].size(), 2u) << seed;
        // Routes lead to delivery places only, and every delivery place is served.
        for (const std::string& place : to) EXPECT_TRUE(eu_places.count(place) || jp_places.count(place)) << place;
        EXPECT_EQ(to.size(), 4u) << seed;
    }
}

TEST(GeneratePlaces, RoutesAreUniqueAndSelfRoutesFree) {
    std::size_t jpy = 0, self = 0;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Round r = generate_round(places_spec(300, 300, seed));
        std::set<std::pair<std::string, std::string>> seen;
        for (const Route& route : r.logistics->routes) {
            ASSERT_TRUE(seen.insert({route.from, route.to}).second) << route.from << " -> " << route.to;
            ASSERT_EQ(route.from.size(), 6u) << route.from;
            ASSERT_EQ(route.from[2], '-') << route.from;
            // A delivery place loads for itself only: no lot could pass through
            // it, and rule 4(d) would still tie prices along the chain.
            if (eu_places.count(route.from) || jp_places.count(route.from)) {
                EXPECT_EQ(route.from, route.to);
            }
            if (route.from == route.to) {
                ++self;
                EXPECT_EQ(route.freight.sign(), 0) << route.from;
                EXPECT_FALSE(route.capacity_lots.has_value()) << route.from;
            } else {
                EXPECT_GT(route.freight.sign(), 0) << route.from << " -> " << route.to;
            }
            if (route.currency) {
                EXPECT_EQ(*route.currency, "JPY");
                EXPECT_EQ(jp_places.count(route.to), 1u) << "JPY quotes are Japanese carriers' " << route.to;
                ++jpy;
            }
            // Container freight: EUR 10 to 130 a tonne.
            const Decimal eur = freight_eur(r, route);
            if (route.from != route.to) {
                EXPECT_GT(eur, dec("10")) << route.from << " -> " << route.to;
                EXPECT_LT(eur, dec("130")) << route.from << " -> " << route.to;
            }
        }
        // Rotterdam and Hamburg load and take delivery.
        EXPECT_NE(find_route(r, "NL-RTM", "NL-RTM"), nullptr);
        EXPECT_NE(find_route(r, "DE-HAM", "DE-HAM"), nullptr);
        // Some lanes are never served.
        EXPECT_EQ(find_route(r, "CI-ABJ", "JP-YOK"), nullptr);
        EXPECT_EQ(find_route(r, "CL-ANF", "JP-NGO"), nullptr);
    }
    EXPECT_EQ(self, 80u);
    EXPECT_GE(jpy, 80u);
}

// Australia and China are close to Japan, Chile and Argentina to Europe.
TEST(GeneratePlaces, FreightFollowsGeography) {
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Round r = generate_round(places_spec(10, 10, seed));
        auto eur = [&](const char* from, const char* to) {
            const Route* route = find_route(r, from, to);
            EXPECT_NE(route, nullptr) << from << " -> " << to;
            return route ? freight_eur(r, *route) : Decimal();
        };
        EXPECT_LT(eur("AU-PHE", "JP-YOK"), eur("AU-PHE", "NL-RTM")) << seed;
        EXPECT_LT(eur("AU-PHE", "JP-NGO"), eur("AU-PHE", "NL-RTM")) << seed;
        EXPECT_LT(eur("CN-SHA", "JP-YOK"), eur("CN-SHA", "NL-RTM")) << seed;
        EXPECT_LT(eur("CL-ANF", "NL-RTM"), eur("CL-ANF", "JP-YOK")) << seed;
        EXPECT_LT(eur("CL-MJS", "NL-RTM"), eur("CL-MJS", "JP-NGO")) << seed;
        EXPECT_LT(eur("AR-BUE", "NL-RTM"), eur("AU-PHE", "NL-RTM")) << seed;
        EXPECT_LT(eur("PT-LEI", "NL-RTM"), eur("CL-ANF", "NL-RTM")) << seed;
        EXPECT_EQ(eur("NL-RTM", "NL-RTM"), Decimal()) << seed;
    }
    // The table varies from round to round.
    const Round a = generate_round(places_spec(10, 10, 1)), b = generate_round(places_spec(10, 10, 2));
    EXPECT_NE(places_fingerprint(a), places_fingerprint(b));
}

// Capacities sit on the cheap lanes in every round, sized to the round, so
// some of them bind; a few other lanes get one now and then.
TEST(GeneratePlaces, SomeRoutesHaveCapacities) {
    std::size_t extra = 0;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Round r = generate_round(places_spec(2000, 400, seed));
        std::map<std::string, std::int64_t> offered, bid;
        for (const Offer& o : r.offers) offered[*o.port] += o.lots;
        for (const Bid& b : r.bids) bid[*b.delivery] += b.lots;
        std::size_t capped = 0;
        for (const Route& route : r.logistics->routes) {
            if (!route.capacity_lots) continue;
            ++capped;
            const std::int64_t base = std::min(offered[route.from], bid[route.to]);
            EXPECT_GE(*route.capacity_lots, 1);
            EXPECT_GE(*route.capacity_lots * 1000, base * 250 - 1000) << route.from << " -> " << route.to;
            EXPECT_LE(*route.capacity_lots * 1000, std::max<std::int64_t>(base * 500, 1000))
                << route.from << " -> " << route.to;
        }
        EXPECT_GE(capped, 4u) << seed;
        EXPECT_LT(capped, r.logistics->routes.size() / 2) << seed;
        extra += capped - 4;
        for (auto [from, to] : {std::pair<const char*, const char*>{"AU-PHE", "JP-YOK"},
                                {"CL-ANF", "NL-RTM"}, {"CN-SHA", "JP-NGO"}, {"CA-MTR", "NL-RTM"}}) {
            const Route* route = find_route(r, from, to);
            ASSERT_NE(route, nullptr) << from << " -> " << to;
            EXPECT_TRUE(route->capacity_lots.has_value()) << from << " -> " << to;
        }
    }
    EXPECT_GT(extra, 10u);
}

TEST(GeneratePlaces, PlaceMixes) {
    const Round r = generate_round(places_spec(20000, 20000, 8));
    std::map<std::string, std::size_t> delivery, port;
    for (const Bid& b : r.bids) ++delivery[*b.delivery];
    for (const Offer& o : r.offers) ++port[*o.port];
    // About 55% of EU bids at Rotterdam and 60% of JP bids at Yokohama, of about 10000 each.
    EXPECT_GT(delivery["NL-RTM"], 5200u);
    EXPECT_LT(delivery["NL-RTM"], 5800u);
    EXPECT_GT(delivery["DE-HAM"], 4200u);
    EXPECT_GT(delivery["JP-YOK"], 5700u);
    EXPECT_LT(delivery["JP-YOK"], 6300u);
    EXPECT_GT(delivery["JP-NGO"], 3700u);
    EXPECT_EQ(delivery.size(), 4u);
    // Port Hedland loads about 65% of the Australian 37%.
    EXPECT_GT(port["AU-PHE"], 4500u);
    EXPECT_LT(port["AU-PHE"], 5100u);
    EXPECT_GT(port["AU-FRE"], 2300u);
    EXPECT_GT(port["CL-ANF"], 2600u);
    EXPECT_GT(port["NL-RTM"], 0u);  // German lithium by barge
}

// A million orders with places: every one gets its place, quickly.
TEST(GeneratePlaces, LargeRound) {
    const Round r = generate_round(places_spec(900'000, 100'000, 1));
    ASSERT_EQ(r.bids.size(), 900'000u);
    for (const Bid& b : r.bids) ASSERT_TRUE(b.delivery.has_value()) << b.id;
    for (const Offer& o : r.offers) ASSERT_TRUE(o.port.has_value()) << o.id;
    for (const Route& route : r.logistics->routes) {
        if (route.capacity_lots) {
            EXPECT_GT(*route.capacity_lots, 100) << route.from << " -> " << route.to;
        }
    }
}

// --- clearing a generated round -----------------------------------------------

TEST(Generate, ClearsWithRealVolume) {
    for (auto [bids, offers] : {std::pair<std::uint64_t, std::uint64_t>{1000, 100}, {5000, 5000}}) {
        const Round r = generate_round(spec_of(bids, offers, 19));
        const ClearOutcome out = clear(r);
        ASSERT_TRUE(out.ok()) << to_string(out.status) << "\n" << problems_text(out.problems);
        const Result& res = *out.result;
        EXPECT_EQ(res.status, RoundStatus::cleared);
        std::int64_t supply = 0, demand = 0;
        for (const Offer& o : r.offers) supply += o.lots;
        for (const Bid& b : r.bids) demand += b.lots;
        // A real market: a good part of the smaller side trades, not all of both.
        EXPECT_GT(res.cleared_lots.count * 4, std::min(supply, demand)) << bids << "/" << offers;
        EXPECT_LT(res.cleared_lots.count, std::max(supply, demand)) << bids << "/" << offers;
        ASSERT_TRUE(res.clearing_price.has_value());
        EXPECT_GT(*res.clearing_price, dec("11900"));
        EXPECT_LT(*res.clearing_price, dec("15680"));
    }
}

// --- origin mixes and caps (--scenario, --origin-weights, --cap) ----------------

TEST(GenerateMix, DefaultMixIsTheLithiumMinedScenario) {
    GenerateSpec named = spec_of(3000, 900, 4, 50, true);
    named.origin_weights = *scenario_weights("lithium-mined");
    expect_same_round(generate_round(spec_of(3000, 900, 4, 50, true)), generate_round(named));
}

// A mix moves origins and suppliers only: prices and lots are those of the
// same seed under any other mix, so a what-if compares like with like.
TEST(GenerateMix, MixMovesOnlyOrigins) {
    const Round base = generate_round(spec_of(500, 400, 8, 100));
    for (const Scenario& sc : scenarios()) {
        GenerateSpec spec = spec_of(500, 400, 8, 100);
        spec.origin_weights = *scenario_weights(sc.name);
        const Round r = generate_round(spec);
        ASSERT_EQ(r.offers.size(), base.offers.size());
        for (std::size_t i = 0; i < r.offers.size(); ++i) {
            EXPECT_EQ(r.offers[i].ask, base.offers[i].ask) << sc.name;
            EXPECT_EQ(r.offers[i].lots, base.offers[i].lots) << sc.name;
            EXPECT_EQ(r.offers[i].min_lots, base.offers[i].min_lots) << sc.name;
            EXPECT_EQ(r.offers[i].certified, base.offers[i].certified) << sc.name;
        }
        Round bids_only = base;
        bids_only.offers.clear();
        Round r_bids_only = r;
        r_bids_only.offers.clear();
        EXPECT_EQ(fingerprint(r_bids_only), fingerprint(bids_only)) << sc.name;
    }
}

TEST(GenerateMix, SharesFollowTheWeights) {
    GenerateSpec spec = spec_of(10, 40000, 3);
    spec.origin_weights = {{"CN", 62}, {"AU", 20}, {"XK", 18}};
    const Round r = generate_round(spec);
    std::map<std::string, std::size_t> count;
    std::set<std::string> xk_suppliers;
    for (const Offer& o : r.offers) {
        ++count[o.origin];
        if (o.origin == "XK") xk_suppliers.insert(o.supplier);
    }
    ASSERT_EQ(count.size(), 3u);
    // 40,000 draws: a standard deviation under 0.25 points.
    EXPECT_NEAR(static_cast<double>(count["CN"]) / 40000, 0.62, 0.01);
    EXPECT_NEAR(static_cast<double>(count["AU"]) / 40000, 0.20, 0.01);
    EXPECT_NEAR(static_cast<double>(count["XK"]) / 40000, 0.18, 0.01);
    // An origin the generator does not know gets made-up suppliers.
    EXPECT_EQ(xk_suppliers, (std::set<std::string>{"XK Supplier A", "XK Supplier B", "XK Supplier C"}));
    EXPECT_TRUE(validate(r).empty()) << problems_text(validate(r));
}

TEST(GenerateMix, BadSpecsAreRefused) {
    auto refused = [](GenerateSpec spec) {
        EXPECT_THROW(generate_round(spec), std::invalid_argument);
    };
    GenerateSpec spec = spec_of(10, 10, 1);
    spec.origin_weights = {{"CN", 0}, {"AU", 5}};
    refused(spec);
    spec.origin_weights = {{"cn", 5}};
    refused(spec);
    spec.origin_weights = {{"CHN", 5}};
    refused(spec);
    spec.origin_weights = {{"CN", 5}, {"CN", 5}};
    refused(spec);
    spec.origin_weights = {{"XK", 5}};
    spec.places = true;  // no port for XK in the freight table
    refused(spec);
    spec = spec_of(10, 10, 1, 0, true);
    spec.cap_share = Decimal();
    refused(spec);
    spec.cap_share = dec("1.01");
    refused(spec);
    spec.cap_share = dec("1");
    EXPECT_EQ(generate_round(spec).rules.max_origin_share, dec("1"));
}

// What the scenarios' descriptions promise, on the round of the docs.
TEST(GenerateMix, ScenariosBindWhereTheySay) {
    auto at_cap = [](const char* scenario, const char* cap) {
        GenerateSpec spec = spec_of(2000, 300, 1, 0, true);
        spec.cap_share = dec(cap);
        spec.origin_weights = *scenario_weights(scenario);
        const ClearOutcome out = clear(generate_round(spec));
        EXPECT_TRUE(out.ok());
        std::set<std::string> capped;
        for (const auto& [code, t] : out.result->origins)
            if (t.cap_lots && t.lots == *t.cap_lots) capped.insert(code);
        return capped;
    };
    EXPECT_TRUE(at_cap("lithium-mined", "0.65").empty());
    EXPECT_EQ(at_cap("lithium-refined", "0.65"), std::set<std::string>{"CN"});
    EXPECT_EQ(at_cap("two-giants", "0.4"), (std::set<std::string>{"AU", "CN"}));
    EXPECT_TRUE(at_cap("diversified", "0.3").empty());
    EXPECT_FALSE(scenario_weights("no-such-mix").has_value());
    for (const std::string& code : known_origins()) EXPECT_EQ(code.size(), 2u);
}

// With places: every round clears, Europe and Japan get prices of their own,
// and the capacities of the cheap lanes bind in most rounds, earning a rent.
TEST(GeneratePlaces, ClearsWithPlaces) {
    std::size_t rounds = 0, full = 0, rents = 0, differ = 0;
    for (auto [bids, offers] :
         {std::pair<std::uint64_t, std::uint64_t>{50, 50}, {1000, 100}, {200, 2000}, {3000, 3000}}) {
        for (std::uint64_t seed = 1; seed <= 25; ++seed) {
            ++rounds;
            const Round r = generate_round(places_spec(bids, offers, seed));
            const ClearOutcome out = clear(r);
            ASSERT_TRUE(out.ok()) << bids << "/" << offers << " seed " << seed << ": " << to_string(out.status)
                                  << "\n"
                                  << problems_text(out.problems);
            const Result& res = *out.result;
            ASSERT_TRUE(res.has_places);
            ASSERT_EQ(res.status, RoundStatus::cleared) << seed;
            ASSERT_EQ(res.routes.size(), r.logistics->routes.size());
            std::int64_t carried = 0;
            bool any_full = false, any_rent = false;
            for (std::size_t i = 0; i < res.routes.size(); ++i) {
                const RouteResult& route = res.routes[i];
                carried += route.lots.count;
                if (const auto& cap = r.logistics->routes[i].capacity_lots) {
                    EXPECT_LE(route.lots.count, *cap);
                }
                any_full |= route.full;
                any_rent |= route.rent.sign() > 0;
            }
            EXPECT_EQ(carried, res.cleared_lots.count);
            full += any_full;
            rents += any_rent;
            const auto& yok = res.places.at("JP-YOK");
            const auto& rtm = res.places.at("NL-RTM");
            ASSERT_TRUE(yok.price.has_value() && rtm.price.has_value()) << seed;
            differ += *yok.price != *rtm.price;
        }
    }
    // Measured over 200 seeds: a full route in 90% to 99% of rounds, a rent
    // in as many, different prices in all.
    EXPECT_GT(full * 10, rounds * 8) << full << " of " << rounds << " rounds fill a route";
    EXPECT_GT(rents * 10, rounds * 7) << rents << " of " << rounds << " rounds have a rent";
    EXPECT_GT(differ * 10, rounds * 8) << differ << " of " << rounds;
}

// --- summary_table --------------------------------------------------------------

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The lines of the table under the line `title`, up to the next blank line.
std::vector<std::string> section(const std::string& text, const std::string& title) {
    std::vector<std::string> all = lines_of(text), out;
    auto it = std::find(all.begin(), all.end(), title);
    if (it == all.end()) return out;
    for (++it; it != all.end() && !it->empty(); ++it) out.push_back(*it);
    return out;
}

// The row of `table` labelled `label`, or "" when there is none.
std::string row_of(const std::vector<std::string>& table, const std::string& label) {
    for (const std::string& line : table)
        if (line.rfind("  " + label + " ", 0) == 0) return line;
    return "";
}

bool has_row(const std::vector<std::string>& table, const std::string& label) { return !row_of(table, label).empty(); }

struct Cleared {
    Round round;
    Result result;
};

Cleared cleared_round(std::uint64_t bids, std::uint64_t offers, std::uint64_t seed) {
    Cleared c{generate_round(spec_of(bids, offers, seed)), {}};
    ClearOutcome out = clear(c.round);
    EXPECT_TRUE(out.ok()) << problems_text(out.problems);
    if (out.result) c.result = *out.result;
    return c;
}

TEST(Summary, ShowsPriceBlocsAndOrigins) {
    // A round whose price interval is wider than a point, so that the price
    // and the two ends are three different numbers.
    const Cleared c = cleared_round(1000, 1500, 24);
    ASSERT_EQ(c.result.status, RoundStatus::cleared);
    ASSERT_LT(*c.result.price_low, *c.result.clearing_price);
    ASSERT_LT(*c.result.clearing_price, *c.result.price_high);
    const std::string text = summary_table(c.round, c.result);

    EXPECT_NE(text.find("generated-24"), std::string::npos) << text;
    // The price has its own line: the interval often has the same bounds.
    EXPECT_NE(text.find("\nclearing price  " + c.result.clearing_price->to_string(2) + " EUR/t (uniform, k 0.5)\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(c.result.price_low->to_string(2) + " .. " + c.result.price_high->to_string(2)),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(std::to_string(c.result.cleared_lots.count) + " lots, " + c.result.cleared_tonnes.to_string() +
                        " t"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(c.result.welfare.to_string(2) + " EUR"), std::string::npos) << text;
    EXPECT_NE(text.find("proven"), std::string::npos) << text;

    const auto blocs = section(text, "blocs");
    ASSERT_FALSE(blocs.empty()) << text;
    for (const auto& [code, t] : c.result.blocs) {
        const std::string row = row_of(blocs, code);
        EXPECT_FALSE(row.empty()) << code << "\n" << text;
        EXPECT_NE(row.find(" " + t.cost.to_string(2)), std::string::npos) << row;
    }
    EXPECT_EQ(c.result.blocs.size(), 2u);

    const auto origins = section(text, "origins");
    ASSERT_GE(c.result.origins.size(), 9u);
    for (const auto& [code, t] : c.result.origins) {
        const std::string row = row_of(origins, code);
        EXPECT_FALSE(row.empty()) << code << "\n" << text;
        EXPECT_NE(row.find(" " + std::to_string(t.lots.count) + "  " + t.share.to_string(6)), std::string::npos) << row;
    }

    const auto orders = section(text, "orders");
    ASSERT_EQ(orders.size(), 4u) << text;  // header, rule, bids, offers
    std::size_t filled = 0;
    for (const OrderResult& o : c.result.bids) filled += o.status == FillStatus::filled;
    EXPECT_NE(orders[2].find(" " + std::to_string(filled) + " "), std::string::npos) << orders[2];
}

TEST(Summary, AlignedAsciiAndDeterministic) {
    const Cleared c = cleared_round(2000, 300, 21);
    const std::string text = summary_table(c.round, c.result);
    EXPECT_EQ(text, summary_table(c.round, c.result));
    for (char ch : text) ASSERT_TRUE(ch == '\n' || (ch >= 0x20 && ch < 0x7F)) << static_cast<int>(ch);
    for (const char* title : {"blocs", "origins", "orders"}) {
        const auto table = section(text, title);
        ASSERT_GE(table.size(), 3u) << title;
        // Right-aligned numbers end every row in the same column.
        for (const std::string& line : table) EXPECT_EQ(line.size(), table[0].size()) << title << ": " << line;
    }
}

TEST(Summary, CapColumnAppearsWhenSet) {
    Cleared c = cleared_round(1000, 500, 22);
    EXPECT_EQ(section(summary_table(c.round, c.result), "origins")[0].find("cap"), std::string::npos);
    for (auto& [code, t] : c.result.origins) {
        t.cap = dec("0.65");
        t.cap_lots = Lots{123};
    }
    const auto origins = section(summary_table(c.round, c.result), "origins");
    EXPECT_NE(origins[0].find("cap"), std::string::npos);
    EXPECT_NE(origins[2].find("0.65 (max 123 lots)"), std::string::npos) << origins[2];
}

TEST(Summary, SurplusesPerBlocAndOriginAddUp) {
    const Cleared c = cleared_round(1000, 300, 5);
    const std::string text = summary_table(c.round, c.result);
    const auto blocs = section(text, "blocs");
    EXPECT_NE(blocs[0].find("buyer surplus (EUR)"), std::string::npos) << blocs[0];
    // The "all" row ends with the round's buyer surplus.
    const std::string all = row_of(blocs, "all");
    const std::string want = c.result.buyer_surplus.to_string(c.result.price_digits);
    EXPECT_EQ(all.substr(all.size() - want.size()), want) << all;
    const auto origins = section(text, "origins");
    EXPECT_NE(origins[0].find("supplier surplus (EUR)"), std::string::npos) << origins[0];
}

TEST(Summary, OrdersSectionShowsWhoWhatAndWhy) {
    const Cleared c = cleared_round(300, 100, 7);
    SummaryOptions options;
    EXPECT_EQ(section(summary_table(c.round, c.result, options), "bids").size(), 0u) << "not without orders";
    options.orders = true;
    options.order_rows = 0;
    const std::string text = summary_table(c.round, c.result, options);
    const auto bids = section(text, "bids");
    const auto offers = section(text, "offers");
    ASSERT_EQ(bids.size(), c.round.bids.size() + 2);  // header and rule
    ASSERT_EQ(offers.size(), c.round.offers.size() + 2);
    for (std::size_t i = 0; i < c.round.bids.size(); ++i) {
        const std::string& line = bids[i + 2];
        const OrderResult& o = c.result.bids[i];
        EXPECT_EQ(line.rfind("  " + c.round.bids[i].id + " ", 0), 0u) << line;
        EXPECT_NE(line.find(c.round.bids[i].buyer), std::string::npos) << line;
        EXPECT_NE(line.find(std::to_string(o.filled.count) + "/" + std::to_string(c.round.bids[i].lots)),
                  std::string::npos)
            << line;
        EXPECT_NE(line.find(to_string(o.status)), std::string::npos) << line;
        // The reason is the last column, whole.
        const std::string why = reason_text(c.result, o);
        if (!why.empty()) {
            EXPECT_EQ(line.substr(line.size() - why.size()), why) << line;
        }
    }

    // Limited: the first rows, then how many more there are.
    options.order_rows = 3;
    const std::string limited = summary_table(c.round, c.result, options);
    EXPECT_EQ(section(limited, "bids").size(), 3u + 2 + 1);
    EXPECT_NE(limited.find("... " + std::to_string(c.round.bids.size() - 3) + " more"), std::string::npos);

    // Matched: only the orders of one buyer.
    options.order_rows = 0;
    options.match = c.round.bids[4].buyer;
    std::size_t of_buyer = 0;
    for (const Bid& b : c.round.bids) of_buyer += b.buyer.find(options.match) != std::string::npos;
    const std::string matched = summary_table(c.round, c.result, options);
    EXPECT_EQ(section(matched, "bids").size(), of_buyer + 2);
    EXPECT_NE(matched.find("(no offer matches"), std::string::npos);
}

TEST(Summary, NoTradeAndUnusualNames) {
    Round r;
    r.id = "tiny \xC3\xA9";
    r.material.code = "LI2CO3";
    r.material.lot_tonnes = dec("20");
    r.currency = "EUR";
    Bid& b = r.bids.emplace_back();
    b.id = "b1";
    b.buyer = "Buyer";
    b.bloc = "\xC3\x89U";
    b.lots = 3;
    b.limit = dec("100");
    Offer& o = r.offers.emplace_back();
    o.id = "o1";
    o.supplier = "Seller";
    o.origin = "AU";
    o.lots = 3;
    o.ask = dec("200");
    const ClearOutcome out = clear(r);
    ASSERT_TRUE(out.ok()) << problems_text(out.problems);
    ASSERT_EQ(out.result->status, RoundStatus::no_trade);
    const std::string text = summary_table(r, *out.result);
    EXPECT_NE(text.find("no-trade"), std::string::npos) << text;
    EXPECT_NE(text.find("clearing price  none"), std::string::npos) << text;
    EXPECT_NE(text.find("price interval  none"), std::string::npos) << text;
    EXPECT_NE(text.find("tiny \\xC3\\xA9"), std::string::npos) << text;
    EXPECT_TRUE(has_row(section(text, "blocs"), "\\xC3\\x89U")) << text;
    for (char ch : text) ASSERT_TRUE(ch == '\n' || (ch >= 0x20 && ch < 0x7F)) << text;
}

}  // namespace
}  // namespace jpclear
