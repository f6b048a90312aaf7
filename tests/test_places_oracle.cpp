// Rounds with delivery places (spec section 10) against the places MIP
// (oracle/places_oracle.h):
//   1. the exact checker on hand-made allocations: balance, capacities,
//      blocks, caps and the price lattice by Bellman-Ford;
//   2. hand-made rounds and the conformance cases 15-19, transcribed: the
//      oracle must reproduce their optimum;
//   3. tiny random rounds: the MIP against an exhaustive search over every
//      allocation (fills and route flows), judged by the checker; and the
//      rounds where one price per place leaves no allocation at all;
//   4. the sweep: random small rounds with places through clear(), whose
//      welfare and volume must be the oracle's optimum, and whose Result must
//      meet every rule of section 10 -- allocation, place price lattice,
//      uniform place prices, congestion rents, money conservation. clear()
//      may refuse exactly the rounds that no allocation fits.
// Every random round comes from a fixed seed, so a failure reproduces.
// JPCLEAR_SWEEP_PERCENT=p runs p % of each random sweep (tests/sweep.h).

#include <gtest/gtest.h>

#include "oracle_helpers.h"
#include "splitmix.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/jpclear.h"
#include "oracle/places_oracle.h"

namespace {

using jpclear::dec;
using jpclear::Decimal;
using jpclear::int128;
using jpclear::Market;
using jpclear::Round;
using jpclear::oracle::check_places_allocation;
using jpclear::oracle::PlacesCheck;
using jpclear::oracle::PlacesOracleResult;
using jpclear::oracle::solve_places_with_cbc;
using jpclear::oracle_test::as_jpy;
using jpclear::oracle_test::di;
using jpclear::oracle_test::Expected;
using jpclear::oracle_test::fills;
using jpclear::oracle_test::grid_cents;
using jpclear::oracle_test::kTimeLimitMs;
using jpclear::oracle_test::money;
using jpclear::oracle_test::rounds;
using jpclear::test::Rng;

constexpr std::uint64_t kSeed = 0x706c'6163'6573'2031ULL;  // fixed: failures must reproduce

std::string str(int128 v) { return jpclear::oracle::to_string(v); }

// ---------------------------------------------------------------- rounds
// The builders of oracle_helpers.h with a delivery place, a port, logistics.

jpclear::Bid bid(std::string id, std::string delivery, std::int64_t lots, Decimal limit, std::int64_t min_lots = 0,
                 std::optional<std::string> currency = std::nullopt, std::string bloc = "EU") {
    jpclear::Bid b =
        jpclear::oracle_test::bid(std::move(id), lots, limit, min_lots, std::move(currency), std::move(bloc));
    b.delivery = std::move(delivery);
    return b;
}

jpclear::Offer offer(std::string id, std::string origin, std::string port, std::int64_t lots, Decimal ask,
                     std::int64_t min_lots = 0, std::optional<std::string> currency = std::nullopt,
                     bool certified = true) {
    jpclear::Offer o = jpclear::oracle_test::offer(std::move(id), std::move(origin), lots, ask, min_lots,
                                                   std::move(currency), certified);
    o.port = std::move(port);
    return o;
}

jpclear::Route route(std::string from, std::string to, Decimal freight,
                     std::optional<std::int64_t> capacity = std::nullopt,
                     std::optional<std::string> currency = std::nullopt) {
    jpclear::Route r;
    r.from = std::move(from);
    r.to = std::move(to);
    r.freight = freight;
    r.capacity_lots = capacity;
    r.currency = std::move(currency);
    return r;
}

/// `r` with logistics (no routes yet): a round with places.
Round with_places(Round r) {
    r.logistics = jpclear::Logistics{};
    return r;
}

/// A round with the conformance cases' settings: EUR, 20 t lots, JPY at 0.0061.
Round base_round(std::string id) { return with_places(jpclear::oracle_test::base_round(std::move(id))); }

/// Tick 1 and 1 t lots: ticks are prices and tick-lots are money.
Round unit_round(std::string id) { return with_places(jpclear::oracle_test::unit_round(std::move(id))); }

Decimal price(const Market& m, int128 ticks) { return Decimal::from_units(ticks, 0) * m.tick; }

// ---------------------------------------------------------------- the network, read apart from prepare()

/// The network of spec 10 derived here from the round itself: places sorted,
/// routes in input order with F = ceil_to_tick(freight * fx), a node per bid
/// and per eligible offer. When prepare() fills the network it must agree;
/// until it does, the oracle runs on this one.
Market market_of(const Round& round) {
    jpclear::Prepared prepared = jpclear::prepare(round);
    if (!prepared.problems.empty()) {
        ADD_FAILURE() << "round " << round.id << " is invalid: " << prepared.problems.front().to_string();
        return prepared.book;
    }
    Market& m = prepared.book;
    std::set<std::string> names;
    for (const jpclear::Route& r : round.logistics->routes) {
        names.insert(r.from);
        names.insert(r.to);
    }
    const std::vector<std::string> nodes(names.begin(), names.end());
    auto node = [&nodes](const std::string& place) {
        return static_cast<std::uint32_t>(std::lower_bound(nodes.begin(), nodes.end(), place) - nodes.begin());
    };
    std::vector<jpclear::Arc> arcs;
    for (const jpclear::Route& r : round.logistics->routes) {
        const Decimal rate = !r.currency || *r.currency == round.currency ? di(1) : round.fx.at(*r.currency);
        jpclear::Arc a;
        a.from = node(r.from);
        a.to = node(r.to);
        a.freight = jpclear::to_ticks(r.freight, rate, round.rules.tick, true).value();
        a.capacity = r.capacity_lots;
        arcs.push_back(a);
    }
    std::vector<std::uint32_t> bid_node, offer_node;
    for (const jpclear::Bid& b : round.bids) bid_node.push_back(node(*b.delivery));
    for (std::uint32_t i : m.offer_input) offer_node.push_back(node(*round.offers[i].port));

    if (m.nodes.empty() && m.arcs.empty()) {  // prepare() does not fill the network (yet)
        m.nodes = nodes;
        m.arcs = arcs;
        m.bid_node = bid_node;
        m.offer_node = offer_node;
        return m;
    }
    EXPECT_EQ(m.nodes, nodes) << round.id;
    EXPECT_EQ(m.bid_node, bid_node) << round.id;
    EXPECT_EQ(m.offer_node, offer_node) << round.id;
    EXPECT_EQ(m.arcs.size(), arcs.size()) << round.id;
    for (std::size_t r = 0; r < std::min(arcs.size(), m.arcs.size()); ++r) {
        EXPECT_EQ(m.arcs[r].from, arcs[r].from) << round.id << " arc " << r;
        EXPECT_EQ(m.arcs[r].to, arcs[r].to) << round.id << " arc " << r;
        EXPECT_EQ(m.arcs[r].freight, arcs[r].freight) << round.id << " arc " << r;
        EXPECT_EQ(m.arcs[r].capacity, arcs[r].capacity) << round.id << " arc " << r;
    }
    return m;
}

/// The converted market, for failure messages: enough to rebuild the round by hand.
std::string describe(const Market& m) {
    std::ostringstream s;
    s << "tick " << m.tick.to_string() << ", lot_tonnes " << m.lot_tonnes.to_string();
    if (m.max_origin_share) s << ", max_origin_share " << m.max_origin_share->to_string();
    s << "\n  places:";
    for (std::size_t q = 0; q < m.nodes.size(); ++q) s << " " << q << "=" << m.nodes[q];
    s << "\n  routes (from->to, F ticks, cap):";
    for (const jpclear::Arc& a : m.arcs) {
        s << " " << a.from << "->" << a.to << "(" << a.freight;
        if (a.capacity) s << ",cap " << *a.capacity;
        s << ")";
    }
    s << "\n  bids (P ticks, lots, min, place):";
    for (std::size_t b = 0; b < m.bid_count(); ++b)
        s << " " << m.bid_id[b] << "=(" << m.bid_price[b] << "," << m.bid_lots[b] << "," << m.bid_min[b] << ","
          << (b < m.bid_node.size() ? std::to_string(m.bid_node[b]) : "?") << ")";
    s << "\n  offers (A ticks, lots, min, origin, place):";
    for (std::size_t o = 0; o < m.offer_count(); ++o)
        s << " " << m.offer_id[o] << "=(" << m.offer_price[o] << "," << m.offer_lots[o] << "," << m.offer_min[o] << ","
          << m.origins[m.offer_origin[o]] << "," << (o < m.offer_node.size() ? std::to_string(m.offer_node[o]) : "?")
          << ")";
    return s.str();
}

std::string describe(const PlacesOracleResult& r) {
    std::ostringstream s;
    s << "oracle: welfare " << r.welfare_string() << " tick-lots, V " << r.volume << ", bids " << fills(r.bid_fill)
      << " offers " << fills(r.offer_fill) << " routes " << fills(r.arc_flow) << " prices " << fills(r.place_price);
    if (!r.failure.empty()) s << ", failure: " << r.failure;
    return s.str();
}

/// The oracle on a valid market; fails the test when it does not prove an optimum.
PlacesOracleResult solve_proven(const Market& m) {
    PlacesOracleResult r = solve_places_with_cbc(m, kTimeLimitMs);
    EXPECT_TRUE(r.feasible && r.optimal && r.failure.empty()) << describe(m) << "\n" << describe(r);
    return r;
}

std::optional<std::int64_t> opt(std::int64_t v) { return v; }
constexpr std::optional<std::int64_t> none = std::nullopt;

// ---------------------------------------------------------------- 1. the checker

// AU (port) -> NL (delivery), freight 10, capacity 3; o: 5 lots at 50, b: 5
// lots at 100 (tick 1, 1 t lots).
Round capacity_round() {
    Round r = unit_round("capacity");
    r.logistics->routes = {route("AU", "NL", di(10), 3)};
    r.bids = {bid("b", "NL", 5, di(100))};
    r.offers = {offer("o", "AU", "AU", 5, di(50))};
    return r;
}

// The full route carries 3 lots: b is partial (p_NL >= 100) and buys
// (p_NL <= 100), o is partial and sells (p_AU = 50); the full route needs only
// p_NL - p_AU >= 10. W = 3 (100 - 50 - 10) = 120.
TEST(PlacesCheck, FullRouteLattice) {
    const Round r = capacity_round();
    const Market m = market_of(r);
    ASSERT_EQ(m.nodes, (std::vector<std::string>{"AU", "NL"}));
    const PlacesCheck c = check_places_allocation(m, {3}, {3}, {3});
    ASSERT_TRUE(c.ok) << c.reason;
    EXPECT_EQ(str(c.welfare), "120");
    EXPECT_EQ(c.volume, 3);
    EXPECT_EQ(c.price_low, (std::vector<std::optional<std::int64_t>>{opt(50), opt(100)}));
    EXPECT_EQ(c.price_high, (std::vector<std::optional<std::int64_t>>{opt(50), opt(100)}));
    EXPECT_EQ(c.traded, (std::vector<bool>{true, true}));
}

TEST(PlacesCheck, RejectsBrokenAllocations) {
    const Round r = capacity_round();
    const Market m = market_of(r);
    EXPECT_FALSE(check_places_allocation(m, {4}, {4}, {4}).ok);  // over capacity
    EXPECT_FALSE(check_places_allocation(m, {3}, {2}, {3}).ok);  // AU sells 2, ships 3
    EXPECT_FALSE(check_places_allocation(m, {2}, {3}, {3}).ok);  // NL receives 3, buys 2
    EXPECT_FALSE(check_places_allocation(m, {3}, {3}, {-1}).ok);
    EXPECT_FALSE(check_places_allocation(m, {6}, {6}, {3}).ok);  // beyond the orders' lots
    EXPECT_FALSE(check_places_allocation(m, {3}, {3}, {}).ok);   // sizes
    // 2 lots on a route that is not full: p_NL - p_AU <= 10, but b partial
    // wants p_NL >= 100 and o partial p_AU <= 50.
    const PlacesCheck c = check_places_allocation(m, {2}, {2}, {2});
    EXPECT_FALSE(c.ok);
    EXPECT_NE(c.reason.find("4(a)-(d)"), std::string::npos) << c.reason;
    // Nothing traded: the same contradiction.
    EXPECT_FALSE(check_places_allocation(m, {0}, {0}, {0}).ok);
}

// Without the capacity the used route fixes p_NL = p_AU + 10; both orders are
// filled (5 lots): p_NL <= 100, p_AU >= 50, so p_AU in [50, 90], p_NL in [60, 100].
TEST(PlacesCheck, UnlimitedRouteLatticeAndSelfRoute) {
    Round r = capacity_round();
    r.logistics->routes = {route("AU", "NL", di(10)), route("NL", "NL", di(0)), route("JP", "NL", di(30))};
    const Market m = market_of(r);
    ASSERT_EQ(m.nodes, (std::vector<std::string>{"AU", "JP", "NL"}));
    const PlacesCheck c = check_places_allocation(m, {5}, {5}, {5, 0, 0});
    ASSERT_TRUE(c.ok) << c.reason;
    EXPECT_EQ(str(c.welfare), "200");
    // JP has no orders: its unused route bounds it from below only,
    // p_JP >= p_NL - 30 >= 30, and nothing bounds it from above.
    EXPECT_EQ(c.price_low, (std::vector<std::optional<std::int64_t>>{opt(50), opt(30), opt(60)}));
    EXPECT_EQ(c.price_high, (std::vector<std::optional<std::int64_t>>{opt(90), none, opt(100)}));
    EXPECT_EQ(c.traded, (std::vector<bool>{true, false, true}));
}

// Blocks and caps in the checker: a rejected block is exempt from 4(b)/(c),
// an origin at its cap from 4(c).
TEST(PlacesCheck, BlocksAndCaps) {
    Round r = unit_round("blocks-caps");
    r.rules.max_origin_share = dec("0.5");
    r.logistics->routes = {route("A", "B", di(10)), route("C", "B", di(20))};
    r.bids = {bid("big", "B", 10, di(100), 10), bid("small", "B", 4, di(90))};
    r.offers = {offer("a", "AU", "A", 10, di(50)), offer("c", "CL", "C", 10, di(60))};
    const Market m = market_of(r);  // nodes A, B, C
    // small buys 4: AU 2 + CL 2 (cap floor(0.5 * 4) = 2, both at cap, exempt
    // from 4(c)); big rejected (exempt); p_B <= 90, small full;
    // p_B = p_A + 10 = p_C + 20, p_A >= 50, p_C >= 60: p_B in [80, 90].
    const PlacesCheck c = check_places_allocation(m, {0, 4}, {2, 2}, {2, 2});
    ASSERT_TRUE(c.ok) << c.reason;
    EXPECT_EQ(c.origin_at_cap, (std::vector<bool>{true, true}));
    EXPECT_EQ(c.price_low, (std::vector<std::optional<std::int64_t>>{opt(70), opt(80), opt(60)}));
    EXPECT_EQ(c.price_high, (std::vector<std::optional<std::int64_t>>{opt(80), opt(90), opt(70)}));
    EXPECT_FALSE(check_places_allocation(m, {0, 4}, {3, 1}, {3, 1}).ok);  // AU over its cap of 2
    EXPECT_FALSE(check_places_allocation(m, {5, 0}, {3, 2}, {3, 2}).ok);  // big below its minimum
}

// ---------------------------------------------------------------- 2. hand-made rounds and conformance cases

TEST(PlacesOracleHandMade, CapacityBindsAndEarnsARent) {
    const Round r = capacity_round();
    const Market m = market_of(r);
    const PlacesOracleResult got = solve_proven(m);
    EXPECT_EQ(got.welfare_string(), "120");
    EXPECT_EQ(got.volume, 3);
    EXPECT_EQ(got.arc_flow, (std::vector<std::int64_t>{3}));
    EXPECT_EQ(got.place_price, (std::vector<std::int64_t>{50, 100}));
}

// Two ports, one buyer: the cheaper delivered supply goes first. A: 50 + 30
// freight = 80 delivered; C: 60 + 5 = 65. b wants 6 at 100: C's 4 then 2 of
// A's. W = 4 (100 - 65) + 2 (100 - 80) = 180; p_B = 80 (A partial sets it).
TEST(PlacesOracleHandMade, DeliveredCostOrdersTheSupply) {
    Round r = unit_round("delivered");
    r.logistics->routes = {route("A", "B", di(30)), route("C", "B", di(5))};
    r.bids = {bid("b", "B", 6, di(100))};
    r.offers = {offer("a", "AU", "A", 5, di(50)), offer("c", "CL", "C", 4, di(60))};
    const Market m = market_of(r);
    const PlacesOracleResult got = solve_proven(m);
    EXPECT_EQ(got.welfare_string(), "180");
    EXPECT_EQ(got.volume, 6);
    EXPECT_EQ(got.offer_fill, (std::vector<std::int64_t>{2, 4}));
    EXPECT_EQ(got.price_low[1], opt(80));
    EXPECT_EQ(got.price_high[1], opt(80));
}

// Freight above the spread: nothing trades, and V = 0 is consistent
// (p_B >= 100, p_A <= 50, p_B - p_A <= 60 holds at p = (50, 100)).
TEST(PlacesOracleHandMade, FreightAboveTheSpread) {
    Round r = unit_round("no-trade");
    r.logistics->routes = {route("A", "B", di(60))};
    r.bids = {bid("b", "B", 6, di(100))};
    r.offers = {offer("a", "AU", "A", 5, di(50))};
    const PlacesOracleResult got = solve_proven(market_of(r));
    EXPECT_EQ(got.welfare_string(), "0");
    EXPECT_EQ(got.volume, 0);
}

// A self-route lets a place trade with itself for free; the far offer pays
// freight. b (NL, 6 at 100): nl (NL, 3 at 90) and a (AU, 5 at 50 + 45).
// W = 3 * 10 + 3 * 5 = 45.
TEST(PlacesOracleHandMade, SelfRoute) {
    Round r = unit_round("self");
    r.logistics->routes = {route("NL", "NL", di(0)), route("AU", "NL", di(45))};
    r.bids = {bid("b", "NL", 6, di(100))};
    r.offers = {offer("a", "AU", "AU", 5, di(50)), offer("nl", "NL", "NL", 3, di(90))};
    const PlacesOracleResult got = solve_proven(market_of(r));
    EXPECT_EQ(got.welfare_string(), "45");
    EXPECT_EQ(got.volume, 6);
}

PlacesOracleResult expect_optimum(const Round& round, Expected want) {
    const Market m = market_of(round);
    const PlacesOracleResult got = solve_proven(m);
    EXPECT_EQ(got.volume, want.cleared_lots) << describe(m) << "\n" << describe(got);
    EXPECT_EQ(money(m, got.welfare).to_string(), dec(want.welfare).to_string())
        << "oracle " << money(m, got.welfare).to_string() << ", expected " << want.welfare << "\n"
        << describe(got);
    return got;
}

/// The bids, offers and routes shared by cases 15-18 (shared/cases/places).
Round two_hubs(std::string id) {
    Round r = base_round(std::move(id));
    r.bids = {bid("eu-a", "NL-RTM", 12, dec("14300")), bid("eu-b", "NL-RTM", 8, dec("13990")),
              bid("jp-a", "JP-YOK", 10, dec("2350000"), 0, "JPY", "JP"),
              bid("jp-b", "JP-YOK", 10, dec("14000"), 0, std::nullopt, "JP")};
    r.offers = {offer("au-1", "AU", "AU-PHE", 20, dec("13800")), offer("cl-1", "CL", "CL-ANF", 15, dec("13900")),
                offer("cl-2", "CL", "CL-ANF", 6, dec("14100"))};
    r.logistics->routes = {route("AU-PHE", "JP-YOK", dec("40.00")), route("AU-PHE", "NL-RTM", dec("95.00")),
                           route("CL-ANF", "JP-YOK", dec("70.00")), route("CL-ANF", "NL-RTM", dec("60.00"))};
    return r;
}

/// The lattice the oracle's allocation supports, as "lo hi" per place, in EUR.
std::map<std::string, std::pair<Decimal, Decimal>> lattice(const Market& m, const PlacesOracleResult& r) {
    std::map<std::string, std::pair<Decimal, Decimal>> out;
    for (std::size_t q = 0; q < m.nodes.size(); ++q)
        if (r.price_low[q] && r.price_high[q])
            out[m.nodes[q]] = {price(m, *r.price_low[q]), price(m, *r.price_high[q])};
    return out;
}

using Intervals = std::map<std::string, std::pair<Decimal, Decimal>>;
const Intervals kTwoHubsIntervals{{"AU-PHE", {dec("13895"), dec("13960")}},
                                  {"CL-ANF", {dec("13930"), dec("13930")}},
                                  {"JP-YOK", {dec("13935"), dec("14000")}},
                                  {"NL-RTM", {dec("13990"), dec("13990")}}};

TEST(PlacesOracleConformance, Case15TwoHubs) {
    const Round r = two_hubs("15-places-two-hubs");
    const PlacesOracleResult got = expect_optimum(r, {35, "214400.00"});
    EXPECT_EQ(lattice(market_of(r), got), kTwoHubsIntervals);
}

TEST(PlacesOracleConformance, Case16FullRoute) {
    Round r = two_hubs("16-places-full-route");
    r.logistics->routes[0].capacity_lots = 6;
    const PlacesOracleResult got = expect_optimum(r, {35, "196200.00"});
    EXPECT_EQ(lattice(market_of(r), got), (Intervals{{"AU-PHE", {dec("13895"), dec("13895")}},
                                                     {"CL-ANF", {dec("13930"), dec("13930")}},
                                                     {"JP-YOK", {dec("14000"), dec("14000")}},
                                                     {"NL-RTM", {dec("13990"), dec("13990")}}}));
}

// Case 17 is case 15 under pay-as-bid: the allocation and lattice do not change.
TEST(PlacesOracleConformance, Case17PayAsBid) {
    Round r = two_hubs("17-places-pay-as-bid");
    r.rules.pricing = jpclear::PricingRule::pay_as_bid;
    const PlacesOracleResult got = expect_optimum(r, {35, "214400.00"});
    EXPECT_EQ(lattice(market_of(r), got), kTwoHubsIntervals);
}

TEST(PlacesOracleConformance, Case18Recycler) {
    Round r = two_hubs("18-places-recycler");
    r.offers.push_back(offer("nl-rec", "NL", "NL-RTM", 9, dec("14150")));
    r.logistics->routes.push_back(route("NL-RTM", "NL-RTM", dec("0")));
    const PlacesOracleResult got = expect_optimum(r, {35, "214400.00"});
    EXPECT_EQ(lattice(market_of(r), got), kTwoHubsIntervals);
}

TEST(PlacesOracleConformance, Case19BlockCap) {
    Round r = base_round("19-places-block-cap");
    r.rules.max_origin_share = dec("0.6");
    r.bids = {bid("eu-a", "NL-RTM", 12, dec("14300"), 12), bid("eu-b", "NL-RTM", 8, dec("14200")),
              bid("jp-a", "JP-YOK", 10, dec("14500"), 0, std::nullopt, "JP"),
              bid("jp-b", "JP-YOK", 6, dec("14050"), 0, std::nullopt, "JP")};
    r.offers = {offer("au-1", "AU", "AU-PHE", 20, dec("13800")), offer("cl-1", "CL", "CL-ANF", 15, dec("13900")),
                offer("ca-1", "CA", "CA-MTL", 8, dec("14000"), 8)};
    r.logistics->routes = {route("AU-PHE", "JP-YOK", dec("40.00")), route("AU-PHE", "NL-RTM", dec("95.00")),
                           route("CL-ANF", "JP-YOK", dec("70.00")), route("CL-ANF", "NL-RTM", dec("60.00")),
                           route("CA-MTL", "NL-RTM", dec("35.00")), route("CA-MTL", "JP-YOK", dec("110.00"))};
    expect_optimum(r, {35, "279500.00"});
}

// ---------------------------------------------------------------- random rounds

const std::vector<std::string> kPlaces{"AU-PHE", "CL-ANF", "NL-RTM", "JP-YOK", "CA-MTL", "AR-BUE"};
const std::vector<std::string> kOrigins{"AU", "CL", "AR", "CA"};

struct Shape {
    int min_places, max_places, max_routes, max_bids, max_offers, max_lots, max_capacity;
    bool tiny;          ///< unit prices on a small grid, for the exhaustive search
    int general_percent;  ///< rounds with the general topology (the rest: two-sided)
};

/// What a place is in a two-sided round (see random_round()).
enum class Role { port, delivery, hub_port, hub_delivery };

struct Generated {
    Round round;
    bool two_sided = false;  ///< built so that rules 1-4 always admit an allocation
};

/// Freight of a route between two places (0 for a self-route), and now and
/// then a capacity.
jpclear::Route random_route(Rng& rng, const std::string& from, const std::string& to, const Shape& shape,
                            bool may_cap) {
    jpclear::Route rt;
    rt.from = from;
    rt.to = to;
    if (from == to || rng.percent(12)) {
        rt.freight = di(0);
    } else if (shape.tiny) {
        rt.freight = di(rng.range(0, 4) * 5);
    } else {
        const std::int64_t cents = grid_cents(rng, 0, 10, rng.range(1, 25));
        if (rng.percent(25)) {
            rt.freight = as_jpy(rng, cents);
            rt.currency = "JPY";
        } else {
            rt.freight = Decimal::from_units(cents, 2);
        }
    }
    if (may_cap && rng.percent(45)) rt.capacity_lots = rng.percent(10) ? 0 : rng.range(1, shape.max_capacity);
    return rt;
}

/// Round `index` of a random family: 2 to 5 places, routes between them, and
/// orders at them. About a third with blocks, a third with a cap, a fifth
/// pay-as-bid, a few ineligible offers; prices tie across EUR and JPY.
///
/// Two topologies. Two-sided: every place is a port (offers, routes out), a
/// delivery place (bids, routes in), or a hub -- a port or delivery place
/// with a self-route without capacity and both kinds of order. There rules
/// 1-4 always admit an allocation (the convex part is an LP whose port and
/// delivery prices can be taken equal at every place; under a cap V = 0 is
/// consistent). General: any routes (self-routes with capacities, places with
/// routes in and out), orders at any place; there one price per place can
/// leave no allocation that meets rule 4 (see the report in the sweep).
Generated random_round(std::uint64_t seed, int index, const Shape& shape) {
    Rng rng(seed ^ (static_cast<std::uint64_t>(index) * 0xa076'1d64'78bd'642fULL));
    Generated g;
    Round& r = g.round;
    r = shape.tiny ? unit_round("tiny-" + std::to_string(index)) : base_round("places-" + std::to_string(index));
    if (!shape.tiny) {
        r.material.lot_tonnes = rng.pick(std::vector<Decimal>{dec("20"), dec("1"), dec("12.5")});
        r.rules.tick = rng.pick(std::vector<Decimal>{dec("0.01"), dec("0.01"), dec("0.01"), dec("0.01"), dec("1"),
                                                     dec("0.25"), dec("5")});
    }
    if (rng.percent(20)) r.rules.pricing = jpclear::PricingRule::pay_as_bid;
    r.rules.k = rng.pick(std::vector<Decimal>{dec("0.5"), dec("0.5"), dec("0"), dec("1"), dec("0.25"), dec("0.7")});
    const bool blocks = rng.percent(33);
    if (rng.percent(33))
        r.rules.max_origin_share =
            rng.pick(std::vector<Decimal>{dec("0.5"), dec("0.6"), dec("0.65"), dec("0.75"), dec("1")});
    if (rng.percent(8)) r.rules.excluded_origins = {"AR"};
    if (rng.percent(5)) r.rules.require_certified = true;

    std::vector<std::string> places = kPlaces;
    rng.shuffle(places);
    places.resize(static_cast<std::size_t>(rng.range(shape.min_places, shape.max_places)));
    std::vector<std::string> bid_places, offer_places;  // where orders may sit
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<jpclear::Route> routes;
    auto add = [&](const std::string& a, const std::string& b, bool may_cap) {
        if (seen.insert({a, b}).second) routes.push_back(random_route(rng, a, b, shape, may_cap));
    };
    g.two_sided = !rng.percent(shape.general_percent);
    if (g.two_sided) {
        std::vector<Role> roles;
        for (std::size_t i = 0; i < places.size(); ++i) {
            const std::int64_t d = rng.range(0, 99);
            roles.push_back(d < 35   ? Role::port
                            : d < 70 ? Role::delivery
                            : d < 85 ? Role::hub_port
                                     : Role::hub_delivery);
        }
        // At least one place on each side.
        auto supplies = [](Role x) { return x == Role::port || x == Role::hub_port; };
        if (std::none_of(roles.begin(), roles.end(), supplies)) roles[0] = Role::port;
        if (std::all_of(roles.begin(), roles.end(), supplies)) roles[1] = Role::delivery;
        std::vector<std::string> from_side, to_side, uncovered_from, uncovered_to;
        for (std::size_t i = 0; i < places.size(); ++i) {
            const std::string& q = places[i];
            const bool hub = roles[i] == Role::hub_port || roles[i] == Role::hub_delivery;
            (supplies(roles[i]) ? from_side : to_side).push_back(q);
            if (hub) {
                add(q, q, false);  // a self-route without capacity
                bid_places.push_back(q);
                offer_places.push_back(q);
            } else {
                (supplies(roles[i]) ? uncovered_from : uncovered_to).push_back(q);
                (supplies(roles[i]) ? offer_places : bid_places).push_back(q);
            }
        }
        // Every place named by a route, then random pairs up to the count.
        for (std::size_t i = 0; i < std::max(uncovered_from.size(), uncovered_to.size()); ++i)
            add(i < uncovered_from.size() ? uncovered_from[i] : rng.pick(from_side),
                i < uncovered_to.size() ? uncovered_to[i] : rng.pick(to_side), true);
        const int count = static_cast<int>(rng.range(1, shape.max_routes));
        for (int tries = 0; static_cast<int>(routes.size()) < count && tries < 30; ++tries)
            add(rng.pick(from_side), rng.pick(to_side), true);
    } else {
        // A chain that names every place, then random pairs (some self-routes).
        for (std::size_t i = 0; i < places.size(); i += 2)
            add(places[i], i + 1 < places.size() ? places[i + 1] : (rng.percent(50) ? places[i] : places[0]), true);
        const int count = static_cast<int>(rng.range(1, shape.max_routes));
        for (int tries = 0; static_cast<int>(routes.size()) < count && tries < 30; ++tries) {
            const std::string& a = rng.pick(places);
            add(a, rng.percent(20) ? a : rng.pick(places), true);
        }
        for (const jpclear::Route& rt : routes) {
            offer_places.push_back(rt.from);
            bid_places.push_back(rt.to);
        }
    }
    rng.shuffle(routes);
    r.logistics->routes = routes;

    auto lots = [&] { return rng.percent(20) ? rng.range(1, 2) : rng.range(1, shape.max_lots); };
    auto min_lots = [&](std::int64_t l) -> std::int64_t {
        if (!blocks || !rng.percent(35)) return 0;
        return rng.percent(50) ? l : rng.range(1, l);
    };
    auto place_of = [&](const std::vector<std::string>& usual) {
        return g.two_sided || rng.percent(88) ? rng.pick(usual) : rng.pick(places);
    };
    const std::int64_t nb = rng.range(1, shape.max_bids), no = rng.range(1, shape.max_offers);
    for (std::int64_t i = 0; i < nb; ++i) {
        const std::string place = place_of(bid_places);
        const std::int64_t l = lots();
        if (shape.tiny) {
            r.bids.push_back(bid("b" + std::to_string(i), place, l, di(60 + 10 * rng.range(0, 5)), min_lots(l)));
            continue;
        }
        const std::int64_t cents = grid_cents(rng, 13000, 40, rng.range(0, 15));
        const bool jp = rng.percent(40);
        r.bids.push_back(bid((jp ? "jp-" : "eu-") + std::to_string(i), place, l,
                             jp ? as_jpy(rng, cents) : Decimal::from_units(cents, 2), min_lots(l),
                             jp ? std::optional<std::string>("JPY") : std::nullopt, jp ? "JP" : "EU"));
    }
    for (std::int64_t i = 0; i < no; ++i) {
        const std::string place = place_of(offer_places);
        const std::int64_t l = lots();
        const std::string& origin = rng.pick(kOrigins);
        const bool certified = rng.percent(75);
        if (shape.tiny) {
            r.offers.push_back(offer("o" + std::to_string(i), origin, place, l, di(40 + 10 * rng.range(0, 5)),
                                     min_lots(l), std::nullopt, certified));
            continue;
        }
        const std::int64_t cents = grid_cents(rng, 12900, 40, rng.range(0, 12));
        const bool jpy = rng.percent(20);
        r.offers.push_back(offer("of-" + std::to_string(i), origin, place, l,
                                 jpy ? as_jpy(rng, cents) : Decimal::from_units(cents, 2), min_lots(l),
                                 jpy ? std::optional<std::string>("JPY") : std::nullopt, certified));
    }
    return g;
}

const Shape kTiny{2, 3, 4, 3, 3, 3, 3, true, 50};
const Shape kSmall{2, 5, 6, 6, 5, 10, 8, false, 30};

// ---------------------------------------------------------------- 3. exhaustive search

struct Optimum {
    int128 welfare = -1;
    std::int64_t volume = -1;
    bool found = false;
};

/// The lexicographic optimum (welfare, then V) over every allocation: fills
/// of every order and flows of every route, each judged by the checker.
Optimum exhaustive_optimum(const Market& m) {
    const std::size_t nb = m.bid_count(), no = m.offer_count(), na = m.arcs.size(), nn = m.nodes.size();
    std::vector<std::int64_t> x(nb, 0), y(no, 0), f(na, 0);
    Optimum best;
    auto allowed = [](std::int64_t lots, std::int64_t min) {
        std::vector<std::int64_t> v{0};
        for (std::int64_t k = std::max<std::int64_t>(min, 1); k <= lots; ++k) v.push_back(k);
        return v;
    };
    std::vector<std::vector<std::int64_t>> choices;
    for (std::size_t b = 0; b < nb; ++b) choices.push_back(allowed(m.bid_lots[b], m.bid_min[b]));
    for (std::size_t o = 0; o < no; ++o) choices.push_back(allowed(m.offer_lots[o], m.offer_min[o]));
    std::vector<std::int64_t> bought(nn), sold(nn), in(nn), out(nn);

    std::function<void(std::size_t)> flows = [&](std::size_t r) {
        if (r == na) {
            for (std::size_t q = 0; q < nn; ++q)
                if (in[q] != bought[q] || out[q] != sold[q]) return;
            const PlacesCheck c = check_places_allocation(m, x, y, f);
            if (!c.ok) return;
            if (!best.found || c.welfare > best.welfare || (c.welfare == best.welfare && c.volume > best.volume)) {
                best.found = true;
                best.welfare = c.welfare;
                best.volume = c.volume;
            }
            return;
        }
        const jpclear::Arc& a = m.arcs[r];
        std::int64_t ub = std::min(sold[a.from] - out[a.from], bought[a.to] - in[a.to]);
        if (a.capacity) ub = std::min(ub, *a.capacity);
        for (std::int64_t k = 0; k <= ub; ++k) {
            f[r] = k;
            out[a.from] += k;
            in[a.to] += k;
            flows(r + 1);
            out[a.from] -= k;
            in[a.to] -= k;
        }
        f[r] = 0;
    };
    std::function<void(std::size_t)> orders = [&](std::size_t i) {
        if (i == nb + no) {
            std::fill(bought.begin(), bought.end(), 0);
            std::fill(sold.begin(), sold.end(), 0);
            std::int64_t vb = 0, vo = 0;
            for (std::size_t b = 0; b < nb; ++b) bought[m.bid_node[b]] += x[b], vb += x[b];
            for (std::size_t o = 0; o < no; ++o) sold[m.offer_node[o]] += y[o], vo += y[o];
            if (vb != vo) return;
            flows(0);
            return;
        }
        for (std::int64_t k : choices[i]) {
            (i < nb ? x[i] : y[i - nb]) = k;
            orders(i + 1);
        }
    };
    orders(0);
    return best;
}

// The MIP against full enumeration on tiny rounds (unit prices, up to 3
// lots an order, 3 places, 4 routes), blocks and caps included. Where no
// allocation meets the rules (general topology only), CBC must prove the
// MIP infeasible.
TEST(PlacesOracleExhaustive, MatchesEnumerationOnTinyRounds) {
    int traded = 0, capped = 0, blocked = 0, general = 0, infeasible = 0;
    const int n = rounds(400);
    for (int i = 0; i < n; ++i) {
        const Generated g = random_round(kSeed + 1, i, kTiny);
        const Market m = market_of(g.round);
        if (HasFailure()) return;
        const Optimum want = exhaustive_optimum(m);
        const PlacesOracleResult got = solve_places_with_cbc(m, kTimeLimitMs);
        if (!want.found) {
            ++infeasible;
            EXPECT_FALSE(g.two_sided) << "round " << i << ": a two-sided round without an allocation\n" << describe(m);
            EXPECT_TRUE(got.infeasible) << "round " << i << ": no allocation meets the rules\n"
                                        << describe(m) << "\n" << describe(got);
        } else {
            ASSERT_TRUE(got.feasible && got.optimal) << "round " << i << "\n" << describe(m) << "\n" << describe(got);
            EXPECT_EQ(str(got.welfare), str(want.welfare)) << "round " << i << "\n" << describe(m) << "\n"
                                                           << describe(got);
            EXPECT_EQ(got.volume, want.volume) << "round " << i << "\n" << describe(m) << "\n" << describe(got);
            if (want.volume > 0) ++traded;
        }
        capped += m.max_origin_share.has_value();
        blocked += m.has_blocks();
        general += !g.two_sided;
        if (HasFailure()) return;
    }
    EXPECT_GT(traded, n / 3);
    EXPECT_GT(capped, n / 6);
    EXPECT_GT(blocked, n / 6);
    EXPECT_GT(general, n / 4);
    std::cout << "[          ] " << n << " tiny rounds, " << traded << " trade, " << infeasible
              << " without any allocation that meets rule 4 (general topology)\n";
}

// Spec gap: one price per place, but no trade without a route. Here no
// allocation meets rules 1-4 (the only one is V = 0), so section 5's
// "largest welfare among allocations meeting 1 to 4" names none.
//   (a) A has a bid (100) and an offer (50) but no self-route: A's bid cannot
//       be delivered (no route into A) and B has no buyer, so nothing
//       trades; then 4(b) wants p_A >= 100 and 4(c) p_A <= 50.
//   (b) A -> B -> C with freight 10 each and no route A -> C: lots never
//       transit, so C's bid (100) and A's offer (50) cannot trade, yet the
//       unused routes want p_C <= p_B + 10 <= p_A + 20 <= 70 < 100.
TEST(PlacesSpecGap, OnePricePerPlaceCanLeaveNoAllocation) {
    Round a = unit_round("gap-a");
    a.logistics->routes = {route("A", "B", di(0))};
    a.bids = {bid("b", "A", 5, di(100))};
    a.offers = {offer("o", "AU", "A", 5, di(50))};
    Round b = unit_round("gap-b");
    b.logistics->routes = {route("A", "B", di(10)), route("B", "C", di(10))};
    b.bids = {bid("b", "C", 5, di(100))};
    b.offers = {offer("o", "AU", "A", 5, di(50))};
    for (const Round* r : {&a, &b}) {
        const Market m = market_of(*r);
        EXPECT_FALSE(exhaustive_optimum(m).found) << r->id;
        const PlacesOracleResult got = solve_places_with_cbc(m, kTimeLimitMs);
        EXPECT_TRUE(got.infeasible) << r->id << "\n" << describe(got);
        // clear() may refuse such a round as invalid input, naming the
        // routes; if it clears it, rules 1-3 at least must hold.
        const jpclear::ClearOutcome out = jpclear::clear(*r);
        if (!out.ok()) {
            ASSERT_FALSE(out.problems.empty()) << r->id;
            EXPECT_EQ(out.problems.front().path.rfind("logistics", 0), 0u) << r->id << ": "
                                                                           << out.problems.front().to_string();
            continue;
        }
        std::vector<std::int64_t> x, y, f;
        for (const auto& o : out.result->bids) x.push_back(o.filled.count);
        for (const auto& o : out.result->offers) y.push_back(o.filled.count);
        for (const auto& rt : out.result->routes) f.push_back(rt.lots.count);
        const PlacesCheck c = check_places_allocation(m, x, y, f);
        EXPECT_FALSE(c.ok) << r->id;
        EXPECT_NE(c.reason.find("4(a)-(d)"), std::string::npos) << r->id << ": " << c.reason;
    }
}

// ---------------------------------------------------------------- 4. clear() against the oracle

/// p = lo + k (hi - lo) rounded to the nearest tick, an exact half toward lo.
std::int64_t uniform_ticks(std::int64_t lo, std::int64_t hi, const Decimal& k) {
    int128 scale = 1;
    for (int i = 0; i < k.scale(); ++i) scale *= 10;
    const int128 num = k.coefficient() * (int128{hi} - lo);
    int128 n = num / scale;
    if (2 * (num - n * scale) > scale) ++n;
    return static_cast<std::int64_t>(lo + n);
}

int128 ceil_div(int128 a, int128 b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

/// Every rule of section 10 on clear()'s Result itself: its allocation, the
/// place prices and their lattice, rents, the buyers' mean price and money
/// conservation. Returns the exact check of its allocation.
PlacesCheck expect_result_meets_rules(const Round& round, const Market& m, const jpclear::Result& res,
                                      const std::string& where) {
    PlacesCheck none_check;
    EXPECT_TRUE(res.has_places) << where;
    if (res.bids.size() != round.bids.size() || res.offers.size() != round.offers.size() ||
        res.routes.size() != m.arcs.size()) {
        ADD_FAILURE() << where << ": the result lists " << res.bids.size() << " bids, " << res.offers.size()
                      << " offers, " << res.routes.size() << " routes";
        return none_check;
    }
    std::vector<std::int64_t> x(m.bid_count()), y(m.offer_count()), f(m.arcs.size());
    for (std::size_t b = 0; b < x.size(); ++b) x[b] = res.bids[b].filled.count;
    for (std::size_t k = 0; k < y.size(); ++k) y[k] = res.offers[m.offer_input[k]].filled.count;
    for (std::size_t r = 0; r < f.size(); ++r) f[r] = res.routes[r].lots.count;
    std::int64_t ineligible_sold = 0;
    for (const auto& o : res.offers) ineligible_sold += o.filled.count;
    for (std::int64_t v : y) ineligible_sold -= v;
    EXPECT_EQ(ineligible_sold, 0) << where << ": ineligible offers sell";

    const PlacesCheck c = check_places_allocation(m, x, y, f);
    EXPECT_TRUE(c.ok) << where << ": clear()'s allocation breaks the rules: " << c.reason << "\n  bids " << fills(x)
                      << " offers " << fills(y) << " routes " << fills(f);
    if (!c.ok) return c;
    const std::string alloc = "\n  clear(): bids " + fills(x) + " offers " + fills(y) + " routes " + fills(f);

    EXPECT_EQ(res.cleared_lots.count, c.volume) << where;
    EXPECT_EQ(res.welfare.to_string(), money(m, c.welfare).to_string()) << where;
    EXPECT_EQ(res.status, c.volume > 0 ? jpclear::RoundStatus::cleared : jpclear::RoundStatus::no_trade) << where;
    int128 freight_ticks = 0;
    for (std::size_t r = 0; r < f.size(); ++r) freight_ticks += int128{m.arcs[r].freight} * f[r];
    EXPECT_EQ(res.freight_cost.to_string(), money(m, freight_ticks).to_string()) << where;

    // Places: every place of the round, its lots, its lattice where it trades.
    EXPECT_EQ(res.places.size(), m.nodes.size()) << where;
    std::vector<std::int64_t> bought(m.nodes.size(), 0), sold(m.nodes.size(), 0);
    for (std::size_t b = 0; b < x.size(); ++b) bought[m.bid_node[b]] += x[b];
    for (std::size_t o = 0; o < y.size(); ++o) sold[m.offer_node[o]] += y[o];
    std::vector<std::int64_t> place_price(m.nodes.size(), 0);
    const bool uniform = round.rules.pricing == jpclear::PricingRule::uniform;
    for (std::size_t q = 0; q < m.nodes.size(); ++q) {
        auto it = res.places.find(m.nodes[q]);
        if (it == res.places.end()) {
            ADD_FAILURE() << where << ": place " << m.nodes[q] << " missing from the result";
            continue;
        }
        const jpclear::PlaceResult& pr = it->second;
        EXPECT_EQ(pr.bought.count, bought[q]) << where << " place " << m.nodes[q];
        EXPECT_EQ(pr.sold.count, sold[q]) << where << " place " << m.nodes[q];
        if (!c.traded[q]) {
            EXPECT_FALSE(pr.price) << where << ": place " << m.nodes[q] << " trades nothing but has a price";
            EXPECT_FALSE(pr.price_low || pr.price_high) << where << ": place " << m.nodes[q]
                                                         << " trades nothing but has an interval";
            continue;
        }
        if (!c.price_low[q] || !c.price_high[q]) {
            ADD_FAILURE() << where << ": traded place " << m.nodes[q] << " has an unbounded lattice (checker bug?)";
            continue;
        }
        const Decimal lo = price(m, *c.price_low[q]), hi = price(m, *c.price_high[q]);
        EXPECT_TRUE(pr.price_low && *pr.price_low == lo && pr.price_high && *pr.price_high == hi)
            << where << ": place " << m.nodes[q] << " interval ["
            << (pr.price_low ? pr.price_low->to_string() : "null") << ", "
            << (pr.price_high ? pr.price_high->to_string() : "null") << "], lattice [" << lo.to_string() << ", "
            << hi.to_string() << "]" << alloc << "\n" << describe(m);
        place_price[q] = uniform_ticks(*c.price_low[q], *c.price_high[q], round.rules.k);
        if (uniform) {
            EXPECT_TRUE(pr.price && *pr.price == price(m, place_price[q]))
                << where << ": place " << m.nodes[q] << " price " << (pr.price ? pr.price->to_string() : "null")
                << ", want " << price(m, place_price[q]).to_string();
        }
    }

    // Routes: freight, full, rent.
    Decimal rents;
    for (std::size_t r = 0; r < f.size(); ++r) {
        const jpclear::Arc& a = m.arcs[r];
        const jpclear::RouteResult& rr = res.routes[r];
        EXPECT_EQ(rr.from, m.nodes[a.from]) << where << " route " << r;
        EXPECT_EQ(rr.to, m.nodes[a.to]) << where << " route " << r;
        EXPECT_EQ(rr.freight.to_string(), price(m, a.freight).to_string()) << where << " route " << r;
        const bool full = a.capacity && f[r] == *a.capacity && f[r] > 0;
        EXPECT_EQ(rr.full, full) << where << " route " << r;
        if (uniform) {
            const std::int64_t rent = full ? place_price[a.to] - place_price[a.from] - a.freight : 0;
            EXPECT_EQ(rr.rent.to_string(), price(m, rent).to_string()) << where << " route " << r << alloc;
        } else if (!full) {
            EXPECT_EQ(rr.rent.to_string(), "0") << where << " route " << r;
        }
        rents = rents + rr.rent * Decimal::integer(f[r]) * m.lot_tonnes;
    }

    // Order prices and the buyers' mean price.
    if (c.volume > 0) {
        std::optional<int128> pooled;
        if (uniform) {
            int128 paid = 0;
            for (std::size_t b = 0; b < x.size(); ++b) paid += int128{place_price[m.bid_node[b]]} * x[b];
            pooled = ceil_div(paid, c.volume);
            for (std::size_t b = 0; b < x.size(); ++b) {
                if (x[b] > 0) {
                    EXPECT_TRUE(res.bids[b].price && *res.bids[b].price == price(m, place_price[m.bid_node[b]]))
                        << where << " bid " << b;
                }
            }
            for (std::size_t o = 0; o < y.size(); ++o)
                if (y[o] > 0) {
                    const auto& p = res.offers[m.offer_input[o]].price;
                    EXPECT_TRUE(p && *p == price(m, place_price[m.offer_node[o]])) << where << " offer " << o;
                }
        } else {
            int128 cost = freight_ticks;
            for (std::size_t o = 0; o < y.size(); ++o) cost += int128{m.offer_price[o]} * y[o];
            pooled = ceil_div(cost, c.volume);
            for (std::size_t b = 0; b < x.size(); ++b) {
                if (x[b] > 0) {
                    EXPECT_TRUE(res.bids[b].price && *res.bids[b].price == price(m, *pooled)) << where << " bid " << b;
                }
            }
            for (std::size_t o = 0; o < y.size(); ++o)
                if (y[o] > 0) {
                    const auto& p = res.offers[m.offer_input[o]].price;
                    EXPECT_TRUE(p && *p == price(m, m.offer_price[o])) << where << " offer " << o;
                }
        }
        EXPECT_TRUE(res.clearing_price && *res.clearing_price == price(m, *pooled))
            << where << ": clearing_price " << (res.clearing_price ? res.clearing_price->to_string() : "null")
            << ", want " << price(m, *pooled).to_string();
    } else {
        EXPECT_FALSE(res.clearing_price) << where;
    }

    // Money: what buyers pay = what suppliers receive + freight + rents
    // (+ the rounding residual under pay-as-bid).
    Decimal paid, received;
    for (const auto& b : res.bids)
        if (b.filled.count > 0 && b.price) paid = paid + *b.price * Decimal::integer(b.filled.count) * m.lot_tonnes;
    for (const auto& o : res.offers)
        if (o.filled.count > 0 && o.price)
            received = received + *o.price * Decimal::integer(o.filled.count) * m.lot_tonnes;
    Decimal outgo = received + res.freight_cost + rents;
    if (!uniform) outgo = outgo + res.rounding_residual;
    EXPECT_EQ(paid.to_string(), outgo.to_string()) << where << ": buyers pay " << paid.to_string() << ", suppliers receive "
                           << received.to_string() << ", freight " << res.freight_cost.to_string() << ", rents "
                           << rents.to_string() << ", residual " << res.rounding_residual.to_string();
    return c;
}

const int kSweepRounds = rounds(2000);

// clear() and the MIP agree on welfare and volume; clear()'s Result meets
// every rule of section 10 by the exact checker. A general round where no
// allocation meets rule 4 (see PlacesSpecGap) clear() may refuse, naming the
// routes; if it clears one, only rules 1-3 can be checked. It must refuse no
// other round.
TEST(PlacesOracleSweep, ClearMatchesCbcOnRandomRounds) {
    int traded = 0, full_routes = 0, blocked = 0, capped = 0, pay_as_bid = 0, multi_place = 0, limit = 0;
    int general = 0, infeasible = 0, refused = 0;
    for (int i = 0; i < kSweepRounds; ++i) {
        const Generated g = random_round(kSeed, i, kSmall);
        const Round& round = g.round;
        const Market m = market_of(round);
        if (HasFailure()) return;
        const std::string where = "round " + std::to_string(i);
        const PlacesOracleResult o = solve_places_with_cbc(m, kTimeLimitMs);
        const jpclear::ClearOutcome out = jpclear::clear(round);
        blocked += m.has_blocks();
        capped += m.max_origin_share.has_value();
        pay_as_bid += round.rules.pricing == jpclear::PricingRule::pay_as_bid;
        general += !g.two_sided;
        infeasible += o.infeasible;
        if (o.infeasible) {
            ASSERT_FALSE(g.two_sided) << where << ": a two-sided round without an allocation\n" << describe(m);
        }
        if (!out.ok()) {
            // Only a round that no allocation fits may be refused, and then by its routes.
            ASSERT_FALSE(out.problems.empty()) << where;
            EXPECT_TRUE(o.infeasible) << where << ": clear() refuses a round the oracle clears: "
                                      << out.problems.front().to_string() << "\n" << describe(m) << "\n" << describe(o);
            EXPECT_EQ(out.problems.front().path.rfind("logistics", 0), 0u) << where << ": "
                                                                           << out.problems.front().to_string();
            ++refused;
            if (HasFailure()) return;
            continue;
        }
        const jpclear::Result& res = *out.result;
        if (o.infeasible) {
            std::vector<std::int64_t> x(m.bid_count()), y(m.offer_count()), f(m.arcs.size());
            for (std::size_t b = 0; b < x.size() && b < res.bids.size(); ++b) x[b] = res.bids[b].filled.count;
            for (std::size_t k = 0; k < y.size(); ++k) y[k] = res.offers.at(m.offer_input[k]).filled.count;
            for (std::size_t r = 0; r < f.size() && r < res.routes.size(); ++r) f[r] = res.routes[r].lots.count;
            const PlacesCheck c = check_places_allocation(m, x, y, f);
            EXPECT_NE(c.reason.find("4(a)-(d)"), std::string::npos)
                << where << ": without any allocation meeting rule 4, clear()'s must still meet rules 1-3: "
                << c.reason;
            if (HasFailure()) return;
            continue;
        }
        ASSERT_TRUE(o.feasible && o.optimal) << where << "\n" << describe(m) << "\n" << describe(o);
        if (res.optimality == jpclear::Optimality::proven) {
            EXPECT_EQ(res.cleared_lots.count, o.volume) << where << "\n" << describe(m) << "\n" << describe(o);
            EXPECT_EQ(res.welfare.to_string(), money(m, o.welfare).to_string())
                << where << ": clear() " << res.welfare.to_string() << ", oracle " << money(m, o.welfare).to_string()
                << "\n" << describe(m) << "\n" << describe(o);
        } else {
            ++limit;
            EXPECT_LE(res.welfare, money(m, o.welfare)) << where << ": clear() " << res.welfare.to_string();
        }
        const PlacesCheck c = expect_result_meets_rules(round, m, res, where);
        if (c.ok) {
            if (c.volume > 0) ++traded;
            int places_traded = 0;
            for (bool t : c.traded) places_traded += t;
            if (places_traded > 2) ++multi_place;
            for (std::size_t r = 0; r < m.arcs.size(); ++r)
                if (m.arcs[r].capacity && res.routes[r].lots.count == *m.arcs[r].capacity && *m.arcs[r].capacity > 0)
                    ++full_routes;
        }
        if (HasFailure()) return;  // one reported round is enough to debug
    }
    // The generator must exercise what it is for.
    EXPECT_GT(traded, kSweepRounds / 2);
    EXPECT_GT(multi_place, kSweepRounds / 10);
    EXPECT_GT(full_routes, kSweepRounds / 10);
    EXPECT_GT(blocked, kSweepRounds / 5);
    EXPECT_GT(capped, kSweepRounds / 5);
    EXPECT_GT(pay_as_bid, kSweepRounds / 10);
    EXPECT_GT(general, kSweepRounds / 5);
    EXPECT_LT(limit, kSweepRounds / 100 + 1);
    std::cout << "[          ] " << kSweepRounds << " rounds, " << traded << " trade (" << multi_place
              << " at 3 or more places), " << full_routes << " full routes, " << infeasible
              << " general rounds without any allocation that meets rule 4 ("
              << refused << " refused by clear())\n";
}

// The oracle alone on the sweep's rounds: it proves an optimum on every
// two-sided round (and on general ones, or proves that none exists), and its
// allocation passes the checker.
TEST(PlacesOracleSweep, OracleProvesEveryRound) {
    int traded = 0, infeasible = 0;
    const int n = rounds(300);
    for (int i = 0; i < n; ++i) {
        const Generated g = random_round(kSeed, i, kSmall);
        const Market m = market_of(g.round);
        if (HasFailure()) return;
        const PlacesOracleResult o = solve_places_with_cbc(m, kTimeLimitMs);
        if (o.infeasible) {
            ++infeasible;
            EXPECT_FALSE(g.two_sided) << "round " << i << "\n" << describe(m);
            continue;
        }
        ASSERT_TRUE(o.feasible && o.optimal && o.failure.empty()) << "round " << i << "\n" << describe(m) << "\n"
                                                                  << describe(o);
        const PlacesCheck c = check_places_allocation(m, o.bid_fill, o.offer_fill, o.arc_flow);
        ASSERT_TRUE(c.ok) << c.reason;
        if (o.volume > 0) ++traded;
    }
    EXPECT_GT(traded, n / 2);
    std::cout << "[          ] " << n << " rounds, " << traded << " trade, " << infeasible
              << " without any allocation that meets rule 4\n";
}

}  // namespace
