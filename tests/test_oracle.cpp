// The CBC oracle (oracle/cbc_oracle.h) against clear() and against rounds
// whose optimum is known:
//   1. random convex rounds: clear()'s fast path and the MIP must agree on
//      welfare and volume -- an independent proof that the fast path is
//      optimal; the same rounds with vacuous blocks (min_lots = 1) and a
//      vacuous cap (share 1) must not move the optimum either;
//   2. tiny random rounds with real blocks and caps: the MIP against an
//      exhaustive search that checks the spec's rules price by price;
//   3. the conformance cases with blocks and caps (11, 12, 13), transcribed;
//   4. hand-made block and cap rounds, optimum worked out in the comments.
// Every random round comes from a fixed seed, so a failure reproduces.
// JPCLEAR_SWEEP_PERCENT=p runs p % of each random sweep (tests/sweep.h).

#include <gtest/gtest.h>

#include "oracle_helpers.h"
#include "splitmix.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/clearing/cap_bound.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/round.h"
#include "oracle/cbc_oracle.h"

namespace {

using jpclear::dec;
using jpclear::Decimal;
using jpclear::int128;
using jpclear::OrderBook;
using jpclear::Round;
using jpclear::oracle::OracleResult;
using jpclear::oracle::solve_with_cbc;
using namespace jpclear::oracle_test;  // builders and helpers shared with test_places_oracle.cpp
using jpclear::test::Rng;

constexpr std::uint64_t kSeed = 0x6f72'6163'6c65'2031ULL;  // fixed: failures must reproduce

// ---------------------------------------------------------------- messages and checks

/// The converted book, for failure messages: enough to rebuild the round by hand.
std::string describe(const OrderBook& book) {
    std::ostringstream s;
    s << "tick " << book.tick.to_string() << ", lot_tonnes " << book.lot_tonnes.to_string();
    if (book.max_origin_share) s << ", max_origin_share " << book.max_origin_share->to_string();
    s << "\n  bids (P ticks, lots, min):";
    for (std::size_t b = 0; b < book.bid_count(); ++b)
        s << " " << book.bid_id[b] << "=(" << book.bid_price[b] << "," << book.bid_lots[b] << "," << book.bid_min[b]
          << ")";
    s << "\n  offers (A ticks, lots, min, origin):";
    for (std::size_t o = 0; o < book.offer_count(); ++o)
        s << " " << book.offer_id[o] << "=(" << book.offer_price[o] << "," << book.offer_lots[o] << ","
          << book.offer_min[o] << "," << book.origins[book.offer_origin[o]] << ")";
    return s.str();
}

std::string describe(const OracleResult& r) {
    std::ostringstream s;
    s << "oracle: welfare " << r.welfare_string() << " tick-lots, V " << r.volume << ", fills bids "
      << fills(r.bid_fill) << " offers " << fills(r.offer_fill) << ", p " << r.price_ticks;
    if (!r.failure.empty()) s << ", failure: " << r.failure;
    return s.str();
}

/// The oracle on a valid round; fails the test when it does not prove an optimum.
OracleResult solve_proven(const OrderBook& book) {
    OracleResult r = solve_with_cbc(book, kTimeLimitMs);
    EXPECT_TRUE(r.feasible && r.optimal && r.failure.empty()) << describe(book) << "\n" << describe(r);
    return r;
}

/// clear() on `round` agrees with the oracle's optimum `o` (welfare and
/// volume), proves it, and its own fills meet rules 1-4 by the oracle's check.
void expect_clear_matches(const Round& round, const OrderBook& book, const OracleResult& o, int i) {
    const jpclear::ClearOutcome out = jpclear::clear(round);
    ASSERT_TRUE(out.ok()) << "round " << i;
    const jpclear::Result& res = *out.result;
    EXPECT_EQ(res.optimality, jpclear::Optimality::proven) << "round " << i;
    EXPECT_EQ(res.cleared_lots.count, o.volume) << "round " << i << "\n" << describe(book) << "\n" << describe(o);
    EXPECT_EQ(res.welfare, money(book, o.welfare))
        << "round " << i << ": clear() " << res.welfare.to_string() << ", oracle "
        << money(book, o.welfare).to_string() << "\n"
        << describe(book) << "\n"
        << describe(o);
    std::vector<std::int64_t> x(book.bid_count()), y(book.offer_count());
    for (std::size_t b = 0; b < x.size(); ++b) x[b] = res.bids[b].filled.count;
    for (std::size_t k = 0; k < y.size(); ++k) y[k] = res.offers[book.offer_input[k]].filled.count;
    const auto check = jpclear::oracle::check_allocation(book, x, y);
    EXPECT_TRUE(check.ok) << "round " << i << ": clear()'s allocation: " << check.reason << "\n" << describe(book);
}

// ---------------------------------------------------------------- 1. random convex rounds

/// Round `index` of the convex sweep: no blocks, no cap, up to 15 orders, EU
/// and JP bids, ties across currencies, ineligible offers now and then. Prices
/// sit on a grid of 13000 + 250 level EUR, sometimes a few cents off.
Round convex_round(int index) {
    Rng rng(kSeed ^ (static_cast<std::uint64_t>(index) * 0xa076'1d64'78bd'642fULL));
    Round r = base_round("convex-" + std::to_string(index));
    r.material.lot_tonnes = rng.pick(std::vector<Decimal>{dec("20"), dec("1"), dec("12.5")});
    r.rules.tick = rng.pick(std::vector<Decimal>{dec("0.01"), dec("0.01"), dec("0.01"), dec("1"), dec("0.25"), dec("50")});
    if (rng.percent(15)) r.rules.require_certified = true;
    if (rng.percent(15)) r.rules.excluded_origins = {"AR"};
    const std::int64_t nb = rng.range(0, 8);
    const std::int64_t no = rng.range(0, 7);
    const std::vector<std::string> origins{"AU", "CL", "AR", "CA"};
    auto lots = [&rng] { return rng.percent(20) ? rng.range(1, 3) : rng.range(1, 20); };
    for (std::int64_t i = 0; i < nb; ++i) {
        const std::int64_t cents = grid_cents(rng, 13000, 250, rng.range(0, 8));
        const bool jp = rng.percent(45);
        r.bids.push_back(bid((jp ? "jp-" : "eu-") + std::to_string(i), lots(),
                             jp ? as_jpy(rng, cents) : Decimal::from_units(cents, 2), 0,
                             jp ? std::optional<std::string>("JPY") : std::nullopt, jp ? "JP" : "EU"));
    }
    for (std::int64_t i = 0; i < no; ++i) {
        const std::int64_t cents = grid_cents(rng, 13000, 250, rng.range(0, 8));
        const bool jpy = rng.percent(20);
        r.offers.push_back(offer("of-" + std::to_string(i), rng.pick(origins), lots(),
                                 jpy ? as_jpy(rng, cents) : Decimal::from_units(cents, 2), 0,
                                 jpy ? std::optional<std::string>("JPY") : std::nullopt, rng.percent(70)));
    }
    return r;
}

const int kConvexRounds = rounds(1000);

// clear() and the MIP agree on welfare and volume; clear()'s allocation also
// passes the oracle's exact rule check.
TEST(OracleConvex, ClearMatchesCbcOnRandomRounds) {
    int traded = 0, with_jpy_ties = 0;
    for (int i = 0; i < kConvexRounds; ++i) {
        const Round round = convex_round(i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        ASSERT_TRUE(prepared.problems.empty()) << "round " << i << ": " << prepared.problems.front().to_string();
        const OrderBook& book = prepared.book;
        ASSERT_TRUE(book.is_convex());

        const OracleResult o = solve_proven(book);
        ASSERT_TRUE(o.feasible) << "round " << i;
        expect_clear_matches(round, book, o, i);
        if (o.volume > 0) ++traded;
        for (std::size_t b = 0; b + 1 < book.bid_count(); ++b)
            for (std::size_t c = b + 1; c < book.bid_count(); ++c)
                if (book.bid_price[b] == book.bid_price[c] && round.bids[b].currency != round.bids[c].currency)
                    ++with_jpy_ties;
        if (HasFailure()) return;  // one reported round is enough to debug
    }
    // The generator must actually exercise trading and cross-currency ties.
    EXPECT_GT(traded, kConvexRounds / 2);
    EXPECT_GT(with_jpy_ties, kConvexRounds / 20);
}

// min_lots = 1 changes nothing in rule 1 and only adds the rejected-block
// exemption; a share of 1 caps nothing (floor(V) = V) and only adds the
// at-cap exemption. Exemptions only relax rule 4, and the convex optimum
// already maximises welfare, then volume, over rules 1-3 alone, so the
// lexicographic optimum must stay clear()'s on the plain round.
TEST(OracleConvex, VacuousBlocksAndCapKeepTheOptimum) {
    const int kRounds = rounds(300);
    for (int i = 0; i < kRounds; ++i) {
        const Round plain = convex_round(kConvexRounds + i);
        const jpclear::ClearOutcome out = jpclear::clear(plain);
        ASSERT_TRUE(out.ok()) << "round " << i;

        Round varied = plain;
        Rng rng(kSeed + static_cast<std::uint64_t>(i));
        for (auto& b : varied.bids)
            if (rng.percent(40)) b.min_lots = 1;
        for (auto& o : varied.offers)
            if (rng.percent(40)) o.min_lots = 1;
        if (rng.percent(60)) varied.rules.max_origin_share = dec("1");
        const jpclear::Prepared prepared = jpclear::prepare(varied);
        ASSERT_TRUE(prepared.problems.empty());
        const OrderBook& book = prepared.book;
        const OracleResult o = solve_proven(book);
        EXPECT_EQ(out.result->cleared_lots.count, o.volume) << "round " << i << "\n" << describe(book) << "\n"
                                                             << describe(o);
        EXPECT_EQ(out.result->welfare, money(book, o.welfare)) << "round " << i << "\n" << describe(book) << "\n"
                                                               << describe(o);
        if (HasFailure()) return;
    }
}

// ---------------------------------------------------------------- 2. exhaustive search

/// Spec section 5, rules 1-4, read literally: rule 4 is tried at every order
/// price (if any integer p works, one of them does: see cbc_oracle.cpp).
/// Deliberately written apart from check_allocation().
bool meets_rules(const OrderBook& book, const std::vector<std::int64_t>& x, const std::vector<std::int64_t>& y) {
    std::int64_t bought = 0, sold = 0;
    for (std::size_t b = 0; b < x.size(); ++b) {
        if (x[b] > 0 && x[b] < std::max<std::int64_t>(book.bid_min[b], 1)) return false;
        bought += x[b];
    }
    for (std::size_t o = 0; o < y.size(); ++o) {
        if (y[o] > 0 && y[o] < std::max<std::int64_t>(book.offer_min[o], 1)) return false;
        sold += y[o];
    }
    if (bought != sold) return false;
    std::vector<std::int64_t> per_origin(book.origins.size(), 0);
    for (std::size_t o = 0; o < y.size(); ++o) per_origin[book.offer_origin[o]] += y[o];
    std::int64_t cap = bought;
    if (book.max_origin_share) {
        // floor(s V) with s = coefficient / 10^scale, exactly.
        int128 den = 1;
        for (int k = 0; k < book.max_origin_share->scale(); ++k) den *= 10;
        cap = static_cast<std::int64_t>(book.max_origin_share->coefficient() * bought / den);
        for (std::int64_t t : per_origin)
            if (t > cap) return false;
    }
    std::vector<std::int64_t> candidates(book.bid_price);
    candidates.insert(candidates.end(), book.offer_price.begin(), book.offer_price.end());
    if (candidates.empty()) return true;
    for (std::int64_t p : candidates) {
        bool ok = true;
        for (std::size_t b = 0; b < x.size() && ok; ++b) {
            if (x[b] > 0 && book.bid_price[b] < p) ok = false;
            const bool rejected_block = book.bid_min[b] > 0 && x[b] == 0;
            if (x[b] < book.bid_lots[b] && !rejected_block && book.bid_price[b] > p) ok = false;
        }
        for (std::size_t o = 0; o < y.size() && ok; ++o) {
            if (y[o] > 0 && book.offer_price[o] > p) ok = false;
            const bool rejected_block = book.offer_min[o] > 0 && y[o] == 0;
            const bool capped = book.max_origin_share && per_origin[book.offer_origin[o]] >= cap;
            if (y[o] < book.offer_lots[o] && !rejected_block && !capped && book.offer_price[o] < p) ok = false;
        }
        if (ok) return true;
    }
    return false;
}

struct Optimum {
    int128 welfare = -1;
    std::int64_t volume = -1;
};

/// The lexicographic optimum (welfare, then V) over every allocation.
Optimum exhaustive_optimum(const OrderBook& book) {
    const std::size_t nb = book.bid_count(), n = nb + book.offer_count();
    std::vector<std::int64_t> fill(n, 0), x(nb), y(book.offer_count());
    auto lots = [&](std::size_t i) { return i < nb ? book.bid_lots[i] : book.offer_lots[i - nb]; };
    Optimum best;
    for (;;) {
        std::copy(fill.begin(), fill.begin() + static_cast<std::ptrdiff_t>(nb), x.begin());
        std::copy(fill.begin() + static_cast<std::ptrdiff_t>(nb), fill.end(), y.begin());
        if (meets_rules(book, x, y)) {
            int128 w = 0;
            std::int64_t v = 0;
            for (std::size_t b = 0; b < nb; ++b) {
                w += static_cast<int128>(book.bid_price[b]) * x[b];
                v += x[b];
            }
            for (std::size_t o = 0; o < y.size(); ++o) w -= static_cast<int128>(book.offer_price[o]) * y[o];
            if (w > best.welfare || (w == best.welfare && v > best.volume)) best = {w, v};
        }
        std::size_t i = 0;  // next fill vector, odometer style
        while (i < n && fill[i] == lots(i)) fill[i++] = 0;
        if (i == n) break;
        ++fill[i];
    }
    return best;
}

/// A tiny round with real blocks and caps: at most 3 bids and 3 offers of at
/// most 3 lots, prices on a coarse grid so that ties are common.
Round tiny_round(int index) {
    Rng rng(kSeed ^ 0x7469'6e79ULL ^ (static_cast<std::uint64_t>(index) * 0x8ebc'6af0'9c88'c6e3ULL));
    Round r = unit_round("tiny-" + std::to_string(index));
    const std::vector<Decimal> shares{dec("0.5"), dec("0.65"), dec("0.34"), dec("0.75"), dec("1"), dec("0.4")};
    if (rng.percent(60)) r.rules.max_origin_share = rng.pick(shares);
    const std::vector<std::string> origins{"AU", "CL", "AR"};
    auto min_of = [&rng](std::int64_t lots) { return rng.percent(45) ? rng.range(1, lots) : 0; };
    const std::int64_t nb = rng.range(1, 3), no = rng.range(1, 3);
    for (std::int64_t i = 0; i < nb; ++i) {
        const std::int64_t lots = rng.range(1, 3);
        r.bids.push_back(bid("b" + std::to_string(i), lots, di(10 * rng.range(5, 12)), min_of(lots)));
    }
    for (std::int64_t i = 0; i < no; ++i) {
        const std::int64_t lots = rng.range(1, 3);
        r.offers.push_back(offer("o" + std::to_string(i), rng.pick(origins), lots, di(10 * rng.range(3, 10)),
                                 min_of(lots)));
    }
    return r;
}

TEST(OracleBlocksAndCaps, MatchesExhaustiveSearchOnTinyRounds) {
    const int kRounds = rounds(400);
    int blocks_bind = 0;  // rounds whose optimum differs from the convex relaxation's
    for (int i = 0; i < kRounds; ++i) {
        const Round round = tiny_round(i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        ASSERT_TRUE(prepared.problems.empty()) << prepared.problems.front().to_string();
        const OrderBook& book = prepared.book;
        const Optimum want = exhaustive_optimum(book);
        const OracleResult got = solve_proven(book);
        EXPECT_EQ(jpclear::oracle::to_string(want.welfare), got.welfare_string())
            << "round " << i << "\n" << describe(book) << "\n" << describe(got);
        EXPECT_EQ(want.volume, got.volume) << "round " << i << "\n" << describe(book) << "\n" << describe(got);

        Round relaxed = round;
        relaxed.rules.max_origin_share.reset();
        for (auto& b : relaxed.bids) b.min_lots = 0;
        for (auto& o : relaxed.offers) o.min_lots = 0;
        const jpclear::ClearOutcome plain = jpclear::clear(relaxed);
        ASSERT_TRUE(plain.ok());
        if (plain.result->welfare != money(book, got.welfare)) ++blocks_bind;
        if (HasFailure()) return;
    }
    // Blocks and caps must matter in a good share of the rounds, or the sweep
    // tests nothing the convex one does not.
    EXPECT_GT(blocks_bind, kRounds / 5);
}

// ---------------------------------------------------------------- 2b. the block search

/// Round `index` of the block sweep: up to 15 orders, EU and JP bids (JPY
/// prices tying with EUR ones), blocks on both sides (all-or-none and minimum
/// volumes), an origin cap of 0.4 to 0.65 in most rounds.
Round mixed_round(int index) {
    Round r = convex_round(index + 1'000'000);
    r.id = "mixed-" + std::to_string(index);
    Rng rng(kSeed ^ 0x626c'6f63'6bULL ^ (static_cast<std::uint64_t>(index) * 0x9e37'79b9'7f4a'7c15ULL));
    const std::vector<Decimal> shares{dec("0.4"), dec("0.5"), dec("0.55"), dec("0.6"), dec("0.65")};
    if (rng.percent(75)) r.rules.max_origin_share = rng.pick(shares);
    auto block = [&rng](std::int64_t lots) -> std::int64_t {
        if (!rng.percent(35)) return 0;
        return rng.percent(50) ? lots : rng.range(1, lots);
    };
    for (auto& b : r.bids) b.min_lots = block(b.lots);
    for (auto& o : r.offers) o.min_lots = block(o.lots);
    return r;
}

// The exact search (clear_with_blocks) against CBC: equal welfare and volume,
// proven, and an allocation that meets the rules by the oracle's own check.
TEST(BlockSearch, MatchesCbcOnRandomRoundsWithBlocksAndCaps) {
    const int kRounds = rounds(2000);
    int not_convex = 0, binding = 0;
    for (int i = 0; i < kRounds; ++i) {
        const Round round = mixed_round(i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        ASSERT_TRUE(prepared.problems.empty()) << "round " << i << ": " << prepared.problems.front().to_string();
        const OrderBook& book = prepared.book;
        if (!book.is_convex()) ++not_convex;
        const OracleResult o = solve_proven(book);
        ASSERT_TRUE(o.feasible) << "round " << i;
        expect_clear_matches(round, book, o, i);
        Round relaxed = round;
        relaxed.rules.max_origin_share.reset();
        for (auto& b : relaxed.bids) b.min_lots = 0;
        for (auto& of : relaxed.offers) of.min_lots = 0;
        if (jpclear::clear(relaxed).result->welfare != money(book, o.welfare)) ++binding;
        if (HasFailure()) return;
    }
    EXPECT_GT(not_convex, kRounds * 3 / 4);
    EXPECT_GT(binding, kRounds / 5);  // blocks and caps must change the optimum often
}

/// clear() on `round` under `options` (a limit) against the optimum `o`:
/// its allocation meets rules 1-4 by the oracle's exact check (blocks, caps,
/// a supporting price); under `limit` its welfare is at most the optimum and
/// its bound at least it; when `proven`, it is the optimum, with no bound.
/// True when the limit stopped the search.
bool expect_sound_under_limit(const Round& round, const OrderBook& book, const OracleResult& o,
                              const jpclear::Options& options, int i) {
    const jpclear::ClearOutcome out = jpclear::clear(round, options);
    EXPECT_TRUE(out.ok());
    if (!out.ok()) return false;
    const jpclear::Result& res = *out.result;
    std::vector<std::int64_t> x(book.bid_count()), y(book.offer_count());
    for (std::size_t b = 0; b < x.size(); ++b) x[b] = res.bids[b].filled.count;
    for (std::size_t k = 0; k < y.size(); ++k) y[k] = res.offers[book.offer_input[k]].filled.count;
    const auto check = jpclear::oracle::check_allocation(book, x, y);
    EXPECT_TRUE(check.ok) << "round " << i << ": " << check.reason << "\n" << describe(book);
    if (res.optimality != jpclear::Optimality::limit) {
        EXPECT_EQ(res.welfare, money(book, o.welfare)) << "round " << i << "\n" << describe(book);
        EXPECT_FALSE(res.bound.has_value());
        return false;
    }
    EXPECT_TRUE(res.bound.has_value()) << "round " << i;
    if (res.bound) {
        EXPECT_GE(*res.bound, money(book, o.welfare)) << "round " << i << "\n" << describe(book);
    }
    EXPECT_LE(res.welfare, money(book, o.welfare)) << "round " << i << "\n" << describe(book);
    return true;
}

// A node limit stops the search early: the result is still feasible and
// price-consistent, says `limit` (or `proven` when the search finished
// anyway), and its bound is a true upper bound: never below the optimum.
TEST(BlockSearch, NodeLimitKeepsAFeasibleResultAndAValidBound) {
    int limited = 0;
    for (int i = 0, n = rounds(300); i < n; ++i) {
        const Round round = mixed_round(i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        const OrderBook& book = prepared.book;
        if (book.is_convex()) continue;
        const OracleResult o = solve_proven(book);
        jpclear::Options options;
        options.node_limit = 1 + i % 4;
        if (expect_sound_under_limit(round, book, o, options, i)) ++limited;
        if (HasFailure()) return;
    }
    EXPECT_GT(limited, rounds(300) / 6);
}

// The allocation of a round with blocks and caps does not depend on the
// order of its orders: every order's fill is the same after a shuffle.
TEST(BlockSearch, ResultIsInvariantUnderPermutingTheInput) {
    for (int i = 0, n = rounds(500); i < n; ++i) {
        const Round round = mixed_round(i);
        Round shuffled = round;
        Rng rng(static_cast<std::uint64_t>(i) + 17);
        for (std::size_t k = shuffled.bids.size(); k > 1; --k)
            std::swap(shuffled.bids[k - 1], shuffled.bids[static_cast<std::size_t>(rng.range(0, static_cast<std::int64_t>(k) - 1))]);
        for (std::size_t k = shuffled.offers.size(); k > 1; --k)
            std::swap(shuffled.offers[k - 1], shuffled.offers[static_cast<std::size_t>(rng.range(0, static_cast<std::int64_t>(k) - 1))]);
        const auto a = jpclear::clear(round), b = jpclear::clear(shuffled);
        ASSERT_TRUE(a.ok() && b.ok());
        std::map<std::string, std::int64_t> fills_a, fills_b;
        for (const auto& o : a.result->bids) fills_a[round.bids[o.order.value].id] = o.filled.count;
        for (const auto& o : a.result->offers) fills_a[round.offers[o.order.value].id] = o.filled.count;
        for (const auto& o : b.result->bids) fills_b[shuffled.bids[o.order.value].id] = o.filled.count;
        for (const auto& o : b.result->offers) fills_b[shuffled.offers[o.order.value].id] = o.filled.count;
        EXPECT_EQ(fills_a, fills_b) << "round " << i;
        EXPECT_EQ(a.result->clearing_price, b.result->clearing_price) << "round " << i;
        if (HasFailure()) return;
    }
}

// ---------------------------------------------------------------- 2c. binding caps (issue 12)

/// Round `index` of the binding-cap sweep: a cap of 0.2 to 0.5 and one or two
/// dominant origins that offer most of the cheap lots, so that the cap cuts
/// them, plus a fringe of small, dearer origins (distinct ones first, so that
/// even 0.2 can admit trade). Half the rounds have blocks; bids and offers are
/// in JPY now and then, on a coarse grid, so that prices tie across currencies.
Round capped_round(int index) {
    Rng rng(kSeed ^ 0x6361'7073ULL ^ (static_cast<std::uint64_t>(index) * 0xd6e8'feb8'6659'fd93ULL));
    Round r = base_round("capped-" + std::to_string(index));
    r.material.lot_tonnes = rng.pick(std::vector<Decimal>{dec("20"), dec("1")});
    r.rules.tick = rng.pick(std::vector<Decimal>{dec("0.01"), dec("1"), dec("50")});
    r.rules.max_origin_share = rng.pick(
        std::vector<Decimal>{dec("0.2"), dec("0.25"), dec("0.3"), dec("0.35"), dec("0.4"), dec("0.45"), dec("0.5")});
    const bool blocks = rng.percent(50);
    auto block = [&](std::int64_t lots) -> std::int64_t {
        if (!blocks || !rng.percent(35)) return 0;
        return rng.percent(50) ? lots : rng.range(1, lots);
    };
    auto price = [&](std::int64_t level, bool jpy) {
        const std::int64_t cents = grid_cents(rng, 13000, 250, level);
        return jpy ? as_jpy(rng, cents) : Decimal::from_units(cents, 2);
    };
    auto currency = [](bool jpy) { return jpy ? std::optional<std::string>("JPY") : std::nullopt; };
    for (std::int64_t i = 0, n = rng.range(2, 5); i < n; ++i) {
        const bool jp = rng.percent(40);
        const std::int64_t lots = rng.range(2, 10);
        r.bids.push_back(bid((jp ? "jp-" : "eu-") + std::to_string(i), lots, price(rng.range(2, 8), jp), block(lots),
                             currency(jp), jp ? "JP" : "EU"));
    }
    const std::vector<std::string> dominant{"AU", "CL"}, fringe{"AR", "CA", "BR", "ZW", "PT"};
    int k = 0;
    for (int d = 0, nd = rng.percent(50) ? 1 : 2; d < nd; ++d)
        for (std::int64_t i = 0, n = rng.range(1, 2); i < n; ++i) {
            const bool jpy = rng.percent(20);
            const std::int64_t lots = rng.range(4, 12);
            r.offers.push_back(offer("of-" + std::to_string(k++), dominant[static_cast<std::size_t>(d)], lots,
                                     price(rng.range(0, 3), jpy), block(lots), currency(jpy)));
        }
    const auto first = static_cast<std::size_t>(rng.range(0, 4));
    for (std::size_t i = 0, n = static_cast<std::size_t>(rng.range(2, 5)); i < n; ++i) {
        const bool jpy = rng.percent(20);
        const std::int64_t lots = rng.range(1, 3);
        r.offers.push_back(offer("of-" + std::to_string(k++), fringe[(first + i) % fringe.size()], lots,
                                 price(rng.range(2, 7), jpy), block(lots), currency(jpy)));
    }
    return r;
}

/// The same round without its cap (blocks kept), cleared: what the cap costs.
jpclear::Decimal uncapped_welfare(const Round& round) {
    Round uncapped = round;
    uncapped.rules.max_origin_share.reset();
    const jpclear::ClearOutcome out = jpclear::clear(uncapped);
    EXPECT_TRUE(out.ok() && out.result->optimality == jpclear::Optimality::proven);
    return out.result->welfare;
}

/// The same round with every block divisible and no cap, cleared: the bound
/// the block search had under a cap before cap_bound.h.
jpclear::Decimal relaxed_welfare(const Round& round) {
    Round relaxed = round;
    relaxed.rules.max_origin_share.reset();
    for (auto& b : relaxed.bids) b.min_lots = 0;
    for (auto& o : relaxed.offers) o.min_lots = 0;
    return jpclear::clear(relaxed).result->welfare;
}

const int kCappedRounds = rounds(2000);

// Issue 12's proof: where one or two origins dominate and the cap is 0.2 to
// 0.5, clear() proves the optimum CBC finds (welfare and volume), and the cap
// really bites: the optimum without it is higher in most rounds.
//
// On the same rounds (one CBC solve serves both), the cap relaxation
// (cap_bound.h) is never below the optimum, and where the cap binds it is
// below the bound the search had before it (every block divisible, no cap)
// in nearly every round; what it misses is the cap's floor, blocks and 4(b/c).
TEST(BindingCaps, ClearAndCapBoundMatchCbcWhereTheCapBinds) {
    int binding = 0, with_blocks = 0, with_jpy = 0, traded = 0, tighter = 0;
    for (int i = 0; i < kCappedRounds; ++i) {
        const Round round = capped_round(i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        ASSERT_TRUE(prepared.problems.empty()) << "round " << i << ": " << prepared.problems.front().to_string();
        const OrderBook& book = prepared.book;
        const OracleResult o = solve_proven(book);
        ASSERT_TRUE(o.feasible) << "round " << i;
        expect_clear_matches(round, book, o, i);
        const int128 bound = jpclear::detail::CapRelaxation(book).bound();
        EXPECT_GE(bound, o.welfare) << "round " << i << "\n" << describe(book) << "\n" << describe(o);
        const jpclear::Decimal relaxed = relaxed_welfare(round);
        EXPECT_LE(money(book, bound), relaxed) << "round " << i;  // a cap only takes away
        if (uncapped_welfare(round) > money(book, o.welfare)) {
            ++binding;
            if (money(book, bound) < relaxed) ++tighter;
        }
        if (std::any_of(book.bid_min.begin(), book.bid_min.end(), [](auto m) { return m > 0; }) ||
            std::any_of(book.offer_min.begin(), book.offer_min.end(), [](auto m) { return m > 0; }))
            ++with_blocks;
        for (const auto& b : round.bids)
            if (b.currency) {
                ++with_jpy;
                break;
            }
        if (o.volume > 0) ++traded;
        if (HasFailure()) return;
    }
    EXPECT_GT(binding, kCappedRounds * 85 / 100);  // the sweep is about caps that bind
    EXPECT_GT(tighter, binding * 98 / 100);
    EXPECT_GT(traded, kCappedRounds * 2 / 3);
    EXPECT_GT(with_blocks, kCappedRounds / 3);
    EXPECT_GT(with_jpy, kCappedRounds / 3);
}

// Stopped by a node limit on the same rounds, clear() still returns an
// allocation that meets rules 1-4 (the oracle's exact check: blocks, caps and
// a supporting price), no better than the optimum, and a bound that is never
// below the optimum.
TEST(BindingCaps, LimitedResultIsFeasibleAndItsBoundValid) {
    int limited = 0;
    for (int i = 0, n = rounds(400); i < n; ++i) {
        const Round round = capped_round(kCappedRounds + i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        const OrderBook& book = prepared.book;
        const OracleResult o = solve_proven(book);
        jpclear::Options options;
        options.node_limit = 1 + i % 6;
        if (expect_sound_under_limit(round, book, o, options, i)) ++limited;
        if (HasFailure()) return;
    }
    EXPECT_GT(limited, rounds(400) / 8);  // the cap relaxation proves many at once
}

// Regression: the volume scan under a cap once gave up too early when the
// supply committed above the cap exceeded V (a lower V cuts more origins).
// Optimum: welfare 200 at 4 lots (CBC and full enumeration agree).
TEST(BlockSearch, CapScanDoesNotStopBeforeLowerCapsCutMoreOrigins) {
    Round r = unit_round("cap-early-exit");
    r.rules.max_origin_share = dec("0.6");
    r.bids = {bid("b0", 5, di(120))};
    r.offers = {offer("ar-1", "AR", 3, di(40)), offer("au-1", "AU", 1, di(30)), offer("au-2", "AU", 5, di(100), 2)};
    const jpclear::ClearOutcome out = jpclear::clear(r);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out.result->cleared_lots.count, 4);
    EXPECT_EQ(out.result->welfare, di(200));
    EXPECT_EQ(out.result->optimality, jpclear::Optimality::proven);
}

// Where blocks do not bind, orders at the price share pro rata as the spec
// says (a block's share just has to reach its minimum), cap or no cap.
TEST(BlockSearch, NonBindingBlockKeepsTheProRataSplit) {
    for (bool cap : {false, true}) {
        Round r = unit_round("pro-rata-block");
        if (cap) r.rules.max_origin_share = dec("1");
        r.bids = {bid("a", 10, di(100)), bid("b", 10, di(100), 2)};
        r.offers = {offer("o", "AU", 10, di(50))};
        const jpclear::ClearOutcome out = jpclear::clear(r);
        ASSERT_TRUE(out.ok());
        EXPECT_EQ(out.result->bids[0].filled.count, 5) << "cap " << cap;
        EXPECT_EQ(out.result->bids[1].filled.count, 5) << "cap " << cap;
        EXPECT_EQ(out.result->clearing_price, di(100)) << "cap " << cap;
    }
}

// And against full enumeration on the tiny rounds, where every allocation is tried.
TEST(BlockSearch, MatchesExhaustiveSearchOnTinyRounds) {
    for (int i = 0, n = rounds(400); i < n; ++i) {
        const Round round = tiny_round(i);
        const jpclear::Prepared prepared = jpclear::prepare(round);
        ASSERT_TRUE(prepared.problems.empty());
        const Optimum want = exhaustive_optimum(prepared.book);
        const jpclear::ClearOutcome out = jpclear::clear(round);
        ASSERT_TRUE(out.ok());
        EXPECT_EQ(out.result->welfare, money(prepared.book, want.welfare)) << "round " << i << "\n"
                                                                           << describe(prepared.book);
        EXPECT_EQ(out.result->cleared_lots.count, want.volume) << "round " << i << "\n" << describe(prepared.book);
        if (HasFailure()) return;
    }
}

// ---------------------------------------------------------------- 3. conformance cases

void expect_optimum(const Round& round, Expected want) {
    const jpclear::Prepared prepared = jpclear::prepare(round);
    ASSERT_TRUE(prepared.problems.empty()) << prepared.problems.front().to_string();
    const OracleResult got = solve_proven(prepared.book);
    EXPECT_EQ(got.volume, want.cleared_lots) << describe(prepared.book) << "\n" << describe(got);
    EXPECT_EQ(money(prepared.book, got.welfare), dec(want.welfare))
        << "oracle " << money(prepared.book, got.welfare).to_string() << ", expected " << want.welfare << "\n"
        << describe(got);
}

// shared/cases/11-block-rejected: jp-big (10 lots, all-or-none) fits the
// supply only with eu-a left out, which 4(b) forbids (eu-a pays more).
TEST(OracleConformance, Case11BlockRejected) {
    Round r = base_round("11-block-rejected");
    r.bids = {bid("eu-a", 3, dec("15000")), bid("jp-big", 10, dec("14500"), 10, std::nullopt, "JP")};
    r.offers = {offer("au-1", "AU", 6, dec("13000"), 0, std::nullopt, false),
                offer("cl-1", "CL", 4, dec("14000"), 0, std::nullopt, false)};
    expect_optimum(r, {3, "120000.00"});
}

// shared/cases/12-block-offer: au-1 sells 6 lots or none.
TEST(OracleConformance, Case12BlockOffer) {
    Round r = base_round("12-block-offer");
    r.bids = {bid("eu-a", 4, dec("15000")), bid("eu-b", 4, dec("14000")),
              bid("jp-a", 4, dec("13500"), 0, std::nullopt, "JP")};
    r.offers = {offer("au-1", "AU", 6, dec("12500"), 6, std::nullopt, false),
                offer("cl-1", "CL", 3, dec("13000"), 0, std::nullopt, false)};
    expect_optimum(r, {9, "310000.00"});
}

// shared/cases/13-origin-cap: AU may supply at most floor(0.65 V) lots.
TEST(OracleConformance, Case13OriginCap) {
    Round r = base_round("13-origin-cap");
    r.rules.max_origin_share = dec("0.65");
    r.bids = {bid("eu-a", 10, dec("15000")), bid("jp-a", 10, dec("14800"), 0, std::nullopt, "JP")};
    r.offers = {offer("au-1", "AU", 20, dec("12000"), 0, std::nullopt, false),
                offer("cl-1", "CL", 4, dec("13500"), 0, std::nullopt, false),
                offer("ar-1", "AR", 3, dec("14000"), 0, std::nullopt, false)};
    expect_optimum(r, {20, "920000.00"});
}

// ---------------------------------------------------------------- 4. hand-made rounds

// Tick 1 and 1 t lots: welfare below is sum P x - sum A y in plain numbers.

// A (10, all-or-none) takes o1's 6 and 4 of o2's: W = 1000 - 300 - 380 = 320.
// p: o2 is partial (p <= 95) and sells (p >= 95), A buys (p <= 100): p = 95.
TEST(OracleHandMade, AllOrNoneBidAccepted) {
    Round r = unit_round("aon-accepted");
    r.bids = {bid("A", 10, di(100), 10)};
    r.offers = {offer("o1", "AU", 6, di(50)), offer("o2", "CL", 6, di(95))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "320");
    EXPECT_EQ(got.volume, 10);
    EXPECT_EQ(got.price_ticks, 95);
}

// Supply (6) is below A's block (10): A is rejected although p = 50 would
// suit it; B takes 3 of o1's lots: W = 3 * (60 - 50) = 30.
TEST(OracleHandMade, AllOrNoneBidTooLarge) {
    Round r = unit_round("aon-too-large");
    r.bids = {bid("A", 10, di(100), 10), bid("B", 3, di(60))};
    r.offers = {offer("o1", "AU", 6, di(50))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "30");
    EXPECT_EQ(got.volume, 3);
    EXPECT_EQ(got.bid_fill, (std::vector<std::int64_t>{0, 3}));
}

// A alone (5 lots, W = 200) would leave B, which pays more, unfilled: 4(b)
// wants p >= 100 while A buying wants p <= 90. So only B trades: W = 100.
TEST(OracleHandMade, BlockLosesToAHigherDivisibleBid) {
    Round r = unit_round("block-vs-4b");
    r.bids = {bid("A", 5, di(90), 5), bid("B", 2, di(100))};
    r.offers = {offer("o1", "AU", 5, di(50))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "100");
    EXPECT_EQ(got.volume, 2);
}

// A sells 5 or nothing, but only 3 lots are wanted: CL sells them.
// W = 3 * (100 - 80) = 60; A is an exempt rejected block though 50 < p.
TEST(OracleHandMade, AllOrNoneOfferTooLarge) {
    Round r = unit_round("aon-offer");
    r.bids = {bid("B", 3, di(100))};
    r.offers = {offer("A", "AU", 5, di(50), 5), offer("C", "CL", 3, di(80))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "60");
    EXPECT_EQ(got.volume, 3);
    EXPECT_EQ(got.offer_fill, (std::vector<std::int64_t>{0, 3}));
}

// Only o1's 2 lots earn anything (10 each): W* = 20, reached with V = 2
// (B + o1), V = 4 and V = 6 (everything, p = 100). The volume stage must
// find 6.
TEST(OracleHandMade, VolumeBreaksAWelfareTie) {
    Round r = unit_round("volume-tie");
    r.bids = {bid("A", 4, di(100), 4), bid("B", 2, di(100))};
    r.offers = {offer("o1", "AU", 2, di(90)), offer("o2", "CL", 4, di(100))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "20");
    EXPECT_EQ(got.volume, 6);
}

// A block of at least 8 of 10 lots, but only 7 on offer: rejected; B buys
// 4 of o1's: W = 4 * (70 - 50) = 80, p = 50.
TEST(OracleHandMade, MinimumLotsAboveSupply) {
    Round r = unit_round("min-lots");
    r.bids = {bid("A", 10, di(100), 8), bid("B", 4, di(70))};
    r.offers = {offer("o1", "AU", 5, di(50)), offer("o2", "CL", 2, di(90))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "80");
    EXPECT_EQ(got.volume, 4);
}

// Share 0.5: each origin at most floor(V / 2), so V <= 4 (AU 2, CL 2), and
// V = 3 would allow only 1 + 1. W = 400 - 2 * 50 - 2 * 90 = 120 at p = 100;
// AU's unsold lots are exempt from 4(c) because AU is at its cap.
TEST(OracleHandMade, CapBindsAndExemptsTheCappedOrigin) {
    Round r = unit_round("cap-half");
    r.rules.max_origin_share = dec("0.5");
    r.bids = {bid("B", 10, di(100))};
    r.offers = {offer("au", "AU", 10, di(50)), offer("cl", "CL", 2, di(90))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "120");
    EXPECT_EQ(got.volume, 4);
    EXPECT_EQ(got.price_ticks, 100);
}

// Share 0.4, V = 10: cap 4, so AU's block of 4 fits; AU 4, CL 4, AR 2:
// W = 1000 - 200 - 240 - 140 = 420, p = 70 (AR partial, not at its cap).
TEST(OracleHandMade, CapWithABlockOffer) {
    Round r = unit_round("cap-block");
    r.rules.max_origin_share = dec("0.4");
    r.bids = {bid("B", 10, di(100))};
    r.offers = {offer("au", "AU", 4, di(50), 4), offer("cl", "CL", 4, di(60)), offer("ar", "AR", 4, di(70))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "420");
    EXPECT_EQ(got.volume, 10);
    EXPECT_EQ(got.price_ticks, 70);
}

// Share 0.3: without AU two origins give at most 2 floor(0.3 V) < V; with
// AU's block of 4, floor(0.3 V) >= 4 needs V >= 14 > 10 wanted. Nothing can
// trade; V = 0 is consistent (every origin is at its cap of 0).
TEST(OracleHandMade, CapLeavesNoFeasibleTrade) {
    Round r = unit_round("cap-no-trade");
    r.rules.max_origin_share = dec("0.3");
    r.bids = {bid("B", 10, di(100))};
    r.offers = {offer("au", "AU", 4, di(50), 4), offer("cl", "CL", 4, di(60)), offer("ar", "AR", 4, di(70))};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "0");
    EXPECT_EQ(got.volume, 0);
}

TEST(OracleHandMade, EmptySides) {
    Round r = unit_round("empty");
    r.bids = {bid("B", 10, di(100), 3)};
    const auto got = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(got.welfare_string(), "0");
    EXPECT_EQ(got.volume, 0);
    r.bids.clear();
    const auto none = solve_proven(jpclear::prepare(r).book);
    EXPECT_EQ(none.volume, 0);
}

// The checker the oracle trusts must reject what the rules reject.
TEST(OracleCheck, RejectsBrokenAllocations) {
    Round r = unit_round("check");
    r.rules.max_origin_share = dec("0.5");
    r.bids = {bid("A", 4, di(100), 4), bid("B", 2, di(55))};
    r.offers = {offer("au", "AU", 4, di(50)), offer("cl", "CL", 4, di(60))};
    const OrderBook book = jpclear::prepare(r).book;
    using jpclear::oracle::check_allocation;
    const auto c = check_allocation(book, {4, 0}, {2, 2});
    EXPECT_TRUE(c.ok) << c.reason;
    EXPECT_EQ(c.price_low, 60);    // cl sells; both origins at their cap of 2 are exempt from 4(c)
    EXPECT_EQ(c.price_high, 100);  // A buys
    EXPECT_FALSE(check_allocation(book, {2, 0}, {1, 1}).ok);  // below A's minimum
    EXPECT_FALSE(check_allocation(book, {4, 0}, {2, 1}).ok);  // unbalanced
    EXPECT_FALSE(check_allocation(book, {4, 0}, {3, 1}).ok);  // AU over floor(0.5 * 4)
    EXPECT_FALSE(check_allocation(book, {0, 2}, {1, 1}).ok);  // 4(a): B buys at 55, cl sells at 60
}

}  // namespace
