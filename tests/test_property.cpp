// Property test of the convex clearing path (spec sections 3 to 8).
//
// Thousands of random rounds, generated here from a fixed seed with a small
// PRNG of our own (splitmix64: no std:: distributions, whose output differs
// between standard libraries, and no floating point), are cleared with
// jpclear::clear() and every result is checked against an independent model
// of the spec: converted prices are recomputed from the Decimals, volume and
// welfare come from a unit-by-unit walk of the two curves, and fills, prices,
// money totals and awards are rebuilt from first principles. The only library
// code used for checking is Decimal arithmetic; nothing from clearing/,
// pricing/ or report/.
//
// Rounds have no blocks and no max_origin_share, so every one takes the
// convex path. Prices sit on a coarse grid so that exact ties (and the
// pro-rata split they trigger) are frequent.
//
// A second sweep adds blocks and origin caps to smaller rounds of the same
// generator. Their optimum is the CBC oracle's business (test_oracle.cpp);
// here they must meet what every result meets: each order once, lots and
// money conserved, the lot rules and the cap kept. Both sweeps also check
// determinism: result_json() gives the same bytes on a second run and for
// the round with its bids and offers permuted.
//
// Reproduce one round:   JPCLEAR_PROPERTY_ONLY=<index> ./test_property
// Change the count:      JPCLEAR_PROPERTY_ROUNDS=<n> ./test_property
// (JPCLEAR_SWEEP_PERCENT=p, set in sanitized builds, runs p % of the default)

#include <gtest/gtest.h>

#include "splitmix.h"
#include "sweep.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/clearing/market.h"
#include "jpclear/io.h"

namespace {

using jpclear::Decimal;
using jpclear::int128;

constexpr std::uint64_t kSeed = 0x6a70'636c'6561'7221ULL;  // fixed: failures must reproduce
constexpr int kDefaultRounds = 3000;
constexpr int kBytesEvery = 8;            // result_json costs more than clearing: bytes of every 8th round
constexpr int kBlockRoundsPer = 10;       // the blocks-and-caps sweep has a tenth as many rounds
constexpr std::int64_t kBlockNodeLimit = 20'000;  // far above what these rounds need (see the sweep)
constexpr int kMaxDumpedRounds = 3;       // a dump of a 2,000-order round is long; a few suffice
constexpr std::size_t kMaxMessages = 25;  // per round; later ones are usually consequences

using jpclear::test::Rng;

// ---------------------------------------------------------------- generator

Decimal d(std::string_view s) { return jpclear::dec(s); }
Decimal di(std::int64_t v) { return Decimal::integer(v); }

/// Per currency: where its prices centre and how far one grid step moves, so
/// that EUR, JPY and USD orders land in the same converted range.
struct CurrencyGrid {
    std::optional<std::string> code;  // nullopt: the clearing currency, left out
    Decimal base;
    Decimal step;
};

/// A price on the round's grid: base + step * level, plus, rarely, a few
/// 1/10000ths so that floor/ceil onto the tick really has to round.
Decimal grid_price(Rng& rng, const CurrencyGrid& g, std::int64_t level, bool is_bid) {
    Decimal p = g.base + g.step * di(level);
    if (rng.percent(8)) p = p + Decimal::from_units(rng.range(1, 99), 4);
    if (is_bid && p.sign() <= 0) p = d("0.01");  // limits must be > 0
    if (!is_bid && p.sign() < 0) p = Decimal();  // asks may be 0
    return p;
}

/// Round `index` of the sweep; a pure function of (kSeed, index) so that a
/// failing round can be regenerated alone.
jpclear::Round make_round(int index) {
    Rng rng(kSeed ^ (static_cast<std::uint64_t>(index) * 0xd129'0a3f'64b3'5a8bULL));
    jpclear::Round r;
    r.id = "prop-" + std::to_string(index);
    r.material.code = "LI2CO3";
    r.material.lot_tonnes = rng.pick(std::vector<Decimal>{d("20"), d("1"), d("0.5"), d("12.5"), d("1000")});
    r.currency = "EUR";

    // FX: the usual JPY rate, or a random one with up to 6 decimals near it.
    Decimal jpy = rng.percent(50) ? d("0.0061") : Decimal::from_units(rng.range(5500, 6700), 6);
    Decimal usd = Decimal::from_units(rng.range(8500, 9900), 4);
    r.fx["JPY"] = jpy;
    r.fx["USD"] = usd;

    r.rules.pricing = rng.percent(50) ? jpclear::PricingRule::uniform : jpclear::PricingRule::pay_as_bid;
    r.rules.k = rng.pick(std::vector<Decimal>{d("0"), d("0.25"), d("0.5"), d("1"), d("0.3333333333")});
    r.rules.tick = rng.pick(std::vector<Decimal>{d("0.01"), d("0.05"), d("1"), d("0.0001")});
    r.rules.require_certified = rng.percent(25);
    const std::vector<std::string> origins{"AU", "CL", "AR", "CN", "US", "ZW", "CA"};
    if (rng.percent(35)) {
        r.rules.excluded_origins.push_back(rng.pick(origins));
        if (rng.percent(40)) r.rules.excluded_origins.push_back(rng.pick(origins));
        if (rng.percent(20)) r.rules.excluded_origins.push_back("ZZ");  // an origin nobody offers from
    }

    // The grid: few levels make exact ties frequent, many make them rare.
    const Decimal step = rng.pick(std::vector<Decimal>{d("0.01"), d("0.05"), d("1"), d("5"), d("25")});
    const std::int64_t levels = rng.pick(std::vector<std::int64_t>{1, 2, 5, 20, 100, 400});
    // Bids sit `bias` levels up and offers `bias` down: big overlap, some, or none.
    const std::int64_t bias = rng.range(-levels / 2 - 1, levels);
    // 1 EUR is about 164 JPY at 0.0061; a JPY step of at least 1 yen.
    Decimal jpy_step = Decimal::from_units(floor_quotient(step * di(164), di(1)), 0);
    if (jpy_step.is_zero()) jpy_step = di(1);
    const std::vector<CurrencyGrid> grids{{std::nullopt, di(10000), step},
                                          {"EUR", di(10000), step},
                                          {"JPY", di(1640000), jpy_step},
                                          {"USD", di(10870), step}};

    // Order count: mostly small rounds, some medium, a few large.
    const int size_class = static_cast<int>(rng.range(0, 99));
    // An empty side (or an empty round) is valid and must not trade.
    const std::int64_t n = size_class < 1    ? 0
                           : size_class < 60 ? rng.range(1, 20)
                           : size_class < 90 ? rng.range(21, 200)
                                             : rng.range(201, 2000);
    const int bid_share = rng.percent(6)   ? 100
                          : rng.percent(6) ? 0
                                           : static_cast<int>(rng.pick(std::vector<std::int64_t>{30, 50, 70}));
    // Some rounds use one or two lots an order: the crossing then often ends
    // exactly between two price groups, which opens the price interval.
    const bool tiny_lots = rng.percent(20);
    auto lots = [&] { return tiny_lots ? rng.range(1, 2) : rng.percent(60) ? rng.range(1, 6) : rng.range(1, 60); };

    for (std::int64_t i = 0; i < n; ++i) {
        // Ids: numeric suffixes make byte order differ from numeric order
        // ("eu-10" < "eu-9"); a few start with a byte >= 0x80 (UTF-8 "é").
        const std::string suffix = "-" + std::to_string(i);
        const std::int64_t level = rng.range(-levels, levels);
        if (rng.percent(bid_share)) {
            jpclear::Bid b;
            const int bloc = static_cast<int>(rng.range(0, 9));
            const CurrencyGrid& g = bloc < 5 ? grids[rng.percent(30) ? 0 : 1] : bloc < 9 ? grids[2] : grids[3];
            b.bloc = bloc < 5 ? "EU" : bloc < 9 ? "JP" : "US";
            b.id = (rng.percent(5) ? std::string("\xc3\xa9") : (bloc < 5 ? "eu" : bloc < 9 ? "jp" : "us")) + suffix;
            b.buyer = "buyer " + std::to_string(rng.range(1, 30));
            b.lots = lots();
            b.limit = grid_price(rng, g, level + bias, true);
            b.currency = g.code;
            r.bids.push_back(std::move(b));
        } else {
            jpclear::Offer o;
            const CurrencyGrid& g = grids[static_cast<std::size_t>(rng.range(0, 3))];
            o.origin = rng.pick(origins);
            o.id = (rng.percent(5) ? std::string("\xc3\xa9") : std::string(1, static_cast<char>(o.origin[0] + 32))) +
                   std::string(1, static_cast<char>(o.origin[1] + 32)) + suffix;
            o.supplier = "supplier " + o.origin;
            o.lots = lots();
            o.ask = grid_price(rng, g, level - bias, false);
            o.currency = g.code;
            o.certified = rng.percent(75);
            r.offers.push_back(std::move(o));
        }
    }
    // Input order independent of id order.
    rng.shuffle(r.bids);
    rng.shuffle(r.offers);
    return r;
}

/// Round `index` of the blocks-and-caps sweep: a round of make_round()'s
/// (another index range) cut to at most 60 bids and 40 offers, so that the
/// search proves it well within kBlockNodeLimit, with blocks (some
/// all-or-none) and, in most rounds, a cap.
jpclear::Round make_block_round(int index) {
    jpclear::Round r = make_round(1'000'000 + index);
    Rng rng(kSeed ^ 0xb10c ^ (static_cast<std::uint64_t>(index) * 0x9e37'79b9'7f4a'7c15ULL));
    r.id = "prop-blocks-" + std::to_string(index);
    if (r.bids.size() > 60) r.bids.resize(60);
    if (r.offers.size() > 40) r.offers.resize(40);
    const int block_share = static_cast<int>(rng.pick(std::vector<std::int64_t>{5, 20, 50, 100}));
    auto make_block = [&](std::int64_t lots) { return rng.percent(40) ? lots : rng.range(1, lots); };
    for (auto& b : r.bids)
        if (rng.percent(block_share)) b.min_lots = make_block(b.lots);
    for (auto& o : r.offers)
        if (rng.percent(block_share)) o.min_lots = make_block(o.lots);
    if (rng.percent(75))
        r.rules.max_origin_share =
            rng.pick(std::vector<Decimal>{d("0.65"), d("0.5"), d("0.34"), d("0.3"), d("1"), d("0.9999999999")});
    return r;
}

/// One line per order: enough to rebuild the round by hand.
std::string dump(const jpclear::Round& r, int index) {
    std::ostringstream s;
    s << "round #" << index << " (seed 0x" << std::hex << kSeed << std::dec << ", JPCLEAR_PROPERTY_ONLY=" << index
      << ")\n  rule=" << jpclear::to_string(r.rules.pricing) << " k=" << r.rules.k.to_string()
      << " tick=" << r.rules.tick.to_string() << " lot_tonnes=" << r.material.lot_tonnes.to_string()
      << " require_certified=" << r.rules.require_certified
      << " max_origin_share=" << (r.rules.max_origin_share ? r.rules.max_origin_share->to_string() : "-")
      << " excluded=[";
    for (const auto& e : r.rules.excluded_origins) s << e << ' ';
    s << "] fx:";
    for (const auto& [c, v] : r.fx) s << ' ' << c << '=' << v.to_string();
    s << "\n  bids (id lots min_lots limit currency bloc):\n";
    for (const auto& b : r.bids)
        s << "    " << b.id << ' ' << b.lots << ' ' << b.min_lots << ' ' << b.limit.to_string() << ' '
          << b.currency.value_or("-") << ' ' << b.bloc << '\n';
    s << "  offers (id lots min_lots ask currency origin certified):\n";
    for (const auto& o : r.offers)
        s << "    " << o.id << ' ' << o.lots << ' ' << o.min_lots << ' ' << o.ask.to_string() << ' '
          << o.currency.value_or("-") << ' ' << o.origin << ' ' << o.certified << '\n';
    return s.str();
}

// ---------------------------------------------------------------- independent model

/// Byte order of ids (spec 5): compares unsigned bytes, whatever char's sign.
bool id_less(const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    });
}

/// One side of the round as the checker sees it. Prices are whole ticks.
struct Side {
    std::vector<std::string> id;
    std::vector<std::int64_t> price;  // P for bids, A for offers; 0 for ineligible offers
    std::vector<std::int64_t> lots;
    std::vector<bool> eligible;
};

const Decimal& rate_of(const jpclear::Round& r, const std::optional<std::string>& c) {
    static const Decimal one = Decimal::integer(1);
    if (!c || *c == r.currency) return one;
    return r.fx.at(*c);
}

/// Spec 3 recomputed: P = floor(limit * fx / tick), A = ceil(ask * fx / tick).
std::pair<Side, Side> convert(const jpclear::Round& r) {
    Side bids, offers;
    for (const auto& b : r.bids) {
        bids.id.push_back(b.id);
        bids.price.push_back(static_cast<std::int64_t>(floor_quotient(b.limit * rate_of(r, b.currency), r.rules.tick)));
        bids.lots.push_back(b.lots);
        bids.eligible.push_back(true);
    }
    for (const auto& o : r.offers) {
        offers.id.push_back(o.id);
        offers.price.push_back(static_cast<std::int64_t>(ceil_quotient(o.ask * rate_of(r, o.currency), r.rules.tick)));
        offers.lots.push_back(o.lots);
        const bool excluded = std::find(r.rules.excluded_origins.begin(), r.rules.excluded_origins.end(), o.origin) !=
                              r.rules.excluded_origins.end();
        offers.eligible.push_back(!excluded && !(r.rules.require_certified && !o.certified));
    }
    return {std::move(bids), std::move(offers)};
}

/// Eligible orders of a side, best first (bids: P descending; offers: A
/// ascending), equal prices by id in byte order: the order of spec 7.
std::vector<std::size_t> best_first(const Side& s, bool is_bid) {
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < s.id.size(); ++i)
        if (s.eligible[i]) idx.push_back(i);
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        if (s.price[a] != s.price[b]) return is_bid ? s.price[a] > s.price[b] : s.price[a] < s.price[b];
        return id_less(s.id[a], s.id[b]);
    });
    return idx;
}

/// Volume and welfare (in tick-lots) of walking the two curves one lot at a
/// time while the next bid unit is worth at least the next offer unit.
std::pair<std::int64_t, int128> walk(const Side& bids, const std::vector<std::size_t>& bo, const Side& offers,
                                     const std::vector<std::size_t>& oo) {
    std::size_t i = 0, j = 0;
    std::int64_t bid_left = bo.empty() ? 0 : bids.lots[bo[0]];
    std::int64_t offer_left = oo.empty() ? 0 : offers.lots[oo[0]];
    std::int64_t units = 0;
    int128 welfare = 0;
    while (i < bo.size() && j < oo.size() && bids.price[bo[i]] >= offers.price[oo[j]]) {
        ++units;
        welfare += bids.price[bo[i]] - offers.price[oo[j]];
        if (--bid_left == 0 && ++i < bo.size()) bid_left = bids.lots[bo[i]];
        if (--offer_left == 0 && ++j < oo.size()) offer_left = offers.lots[oo[j]];
    }
    return {units, welfare};
}

/// Groups of equal price in `order` (best first): [begin, end) index ranges.
std::vector<std::pair<std::size_t, std::size_t>> price_groups(const Side& s, const std::vector<std::size_t>& order) {
    std::vector<std::pair<std::size_t, std::size_t>> g;
    for (std::size_t a = 0; a < order.size();) {
        std::size_t b = a;
        while (b < order.size() && s.price[order[b]] == s.price[order[a]]) ++b;
        g.emplace_back(a, b);
        a = b;
    }
    return g;
}

/// The members of a group ranked for the leftover lots of a pro-rata split
/// of `q` lots: larger remainder of q * L / Lg first, then smaller id.
std::vector<std::size_t> remainder_rank(const Side& s, std::vector<std::size_t> members, int128 q, int128 group_lots) {
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
        const int128 ra = q * s.lots[a] % group_lots, rb = q * s.lots[b] % group_lots;
        if (ra != rb) return ra > rb;
        return id_less(s.id[a], s.id[b]);
    });
    return members;
}

/// The fills the spec prescribes for volume V: better groups in full, the
/// marginal group pro rata (floor, then leftovers by remainder rank).
std::vector<std::int64_t> expected_fills(const Side& s, const std::vector<std::size_t>& order, std::int64_t volume) {
    std::vector<std::int64_t> fill(s.id.size(), 0);
    std::int64_t left = volume;
    for (auto [a, b] : price_groups(s, order)) {
        if (left == 0) break;
        std::int64_t group_lots = 0;
        for (std::size_t m = a; m < b; ++m) group_lots += s.lots[order[m]];
        if (left >= group_lots) {
            for (std::size_t m = a; m < b; ++m) fill[order[m]] = s.lots[order[m]];
            left -= group_lots;
            continue;
        }
        std::int64_t given = 0;
        std::vector<std::size_t> members(order.begin() + static_cast<std::ptrdiff_t>(a),
                                         order.begin() + static_cast<std::ptrdiff_t>(b));
        for (std::size_t m : members) {
            fill[m] = static_cast<std::int64_t>(static_cast<int128>(left) * s.lots[m] / group_lots);
            given += fill[m];
        }
        auto ranked = remainder_rank(s, members, left, group_lots);
        for (std::int64_t k = 0; k < left - given; ++k) fill[ranked[static_cast<std::size_t>(k)]] += 1;
        left = 0;
    }
    return fill;
}

// ---------------------------------------------------------------- checking

/// Messages of one round; the round is dumped once with all of them.
struct Findings {
    std::vector<std::string> messages;
    std::size_t dropped = 0;

    void add(std::string m) {
        if (messages.size() < kMaxMessages)
            messages.push_back(std::move(m));
        else
            ++dropped;
    }
    bool empty() const { return messages.empty(); }
};

std::string opt_text(const std::optional<Decimal>& v) { return v ? v->to_string() : "(none)"; }

/// What the generator produced, so the test can show it is not vacuous.
struct Coverage {
    int cleared = 0, no_trade = 0, split_groups = 0, remainder_ties = 0, zero_margin_units = 0;
    int ineligible = 0, large = 0, uniform = 0, pay_as_bid = 0, open_interval = 0;
};

/// Section 5 pro rata, stated on the library's own fills: in a partly filled
/// group each member gets floor(q L / Lg) or one more, and the ones that got
/// one more rank before those that did not.
void check_pro_rata(const Side& s, const std::vector<std::size_t>& order, const std::vector<std::int64_t>& fill,
                    const char* side, Findings& f, Coverage& cov) {
    for (auto [a, b] : price_groups(s, order)) {
        int128 group_lots = 0, q = 0;
        for (std::size_t m = a; m < b; ++m) {
            group_lots += s.lots[order[m]];
            q += fill[order[m]];
        }
        if (q == 0 || q == group_lots) continue;
        std::vector<std::size_t> members(order.begin() + static_cast<std::ptrdiff_t>(a),
                                         order.begin() + static_cast<std::ptrdiff_t>(b));
        if (members.size() > 1) ++cov.split_groups;
        auto ranked = remainder_rank(s, members, q, group_lots);
        bool seen_plain = false;
        for (std::size_t k = 0; k < ranked.size(); ++k) {
            const std::size_t m = ranked[k];
            const auto base = static_cast<std::int64_t>(q * s.lots[m] / group_lots);
            if (k + 1 < ranked.size() && q * s.lots[m] % group_lots == q * s.lots[ranked[k + 1]] % group_lots &&
                q * s.lots[m] % group_lots != 0)
                ++cov.remainder_ties;
            if (fill[m] != base && fill[m] != base + 1) {
                f.add(std::string(side) + " " + s.id[m] + ": pro-rata fill " + std::to_string(fill[m]) +
                      " is neither floor " + std::to_string(base) + " nor floor + 1");
            } else if (fill[m] == base + 1 && seen_plain) {
                f.add(std::string(side) + " " + s.id[m] +
                      ": got a leftover lot although a member with a larger "
                      "remainder (or equal remainder and smaller id) did not");
            }
            if (fill[m] == base) seen_plain = true;
        }
    }
}

/// Every order of the input exactly once in the result: by id (no order
/// missing, none twice, no extras) and in input order. False when the lists
/// cannot be matched up with the input at all. With as many lines as orders
/// and line i naming input order i, each id is there once (ids are unique);
/// only otherwise are the ids counted, to say which are missing or repeated.
bool listed_once(const jpclear::Round& round, const jpclear::Result& res, Findings& f) {
    auto side = [&f](const auto& orders, const std::vector<jpclear::OrderResult>& lines, const char* name) {
        bool in_order = lines.size() == orders.size();
        for (std::size_t i = 0; i < lines.size() && in_order; ++i) in_order = lines[i].order.value == i;
        if (in_order) return true;
        std::unordered_map<std::string_view, int> seen;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const std::uint32_t at = lines[i].order.value;
            if (at >= orders.size()) {
                f.add(std::string(name) + "[" + std::to_string(i) + "] refers to no input order (" +
                      std::to_string(at) + ")");
                return false;
            }
            if (at != i)
                f.add(std::string(name) + "[" + std::to_string(i) + "] refers to input position " + std::to_string(at));
            ++seen[orders[at].id];
        }
        for (const auto& o : orders)
            if (seen[o.id] != 1)
                f.add(std::string(name) + " " + o.id + " is listed " + std::to_string(seen[o.id]) + " times");
        if (lines.size() != orders.size())
            f.add("result lists " + std::to_string(lines.size()) + " " + name + "; the round has " +
                  std::to_string(orders.size()));
        return lines.size() == orders.size();
    };
    const bool bids_ok = side(round.bids, res.bids, "bids");
    return side(round.offers, res.offers, "offers") && bids_ok;
}

/// 2. Each order's line: its fill within its lots and 0 or at least its
///    min_lots, the status, reason and price that go with the fill, and
///    ineligible offers idle; bids and offers trade cleared_lots each.
///    Returns the number of ineligible offers.
int check_lines(const jpclear::Round& round, const std::vector<bool>& eligible, const jpclear::Result& res,
                Findings& f) {
    auto line = [&f](const char* side, const std::string& id, const jpclear::OrderResult& o, std::int64_t lots,
                     std::int64_t min_lots) {
        const std::int64_t got = o.filled.count;
        const auto status = got == lots ? jpclear::FillStatus::filled
                            : got == 0  ? jpclear::FillStatus::rejected
                                        : jpclear::FillStatus::partial;
        auto what = [&] { return std::string(side) + " " + id; };  // built only for a finding
        if (got < 0 || got > lots || (got > 0 && got < min_lots))
            f.add(what() + " filled " + std::to_string(got) + " of " + std::to_string(lots) + " (min_lots " +
                  std::to_string(min_lots) + ")");
        if (o.status != status)
            f.add(what() + " status " + jpclear::to_string(o.status) + " with " + std::to_string(got) + " of " +
                  std::to_string(lots));
        if (got != lots && o.reason.empty()) f.add(what() + " not filled but has no reason");
        if (got == lots && (!o.reason.empty() || o.reason_code != jpclear::ReasonCode::none))
            f.add(what() + " filled but has a reason: " + jpclear::to_string(o.reason_code));
        if (o.price.has_value() != (got > 0)) f.add(what() + (got > 0 ? " trades without a price" : " has a price"));
        return got;
    };
    std::int64_t sum_x = 0, sum_y = 0;
    for (std::size_t i = 0; i < round.bids.size(); ++i)
        sum_x += line("bid", round.bids[i].id, res.bids[i], round.bids[i].lots, round.bids[i].min_lots);
    int ineligible = 0;
    for (std::size_t i = 0; i < round.offers.size(); ++i) {
        const auto& o = res.offers[i];
        if (eligible[i]) {
            sum_y += line("offer", round.offers[i].id, o, round.offers[i].lots, round.offers[i].min_lots);
            continue;
        }
        ++ineligible;
        if (o.filled.count != 0 || o.status != jpclear::FillStatus::ineligible || o.reason.empty() || o.price)
            f.add("ineligible offer " + round.offers[i].id + ": filled " + std::to_string(o.filled.count) +
                  ", status " + jpclear::to_string(o.status) + ", reason " + jpclear::to_string(o.reason_code));
    }
    if (sum_x != res.cleared_lots.count || sum_y != res.cleared_lots.count)
        f.add("balance: bids take " + std::to_string(sum_x) + ", offers give " + std::to_string(sum_y) +
              ", cleared_lots " + std::to_string(res.cleared_lots.count));
    return ineligible;
}

/// Buyers pay what suppliers receive plus the rounding residual, exactly,
/// and welfare is the two surpluses plus the residual.
void check_money(const jpclear::Round& round, const jpclear::Result& res, Findings& f) {
    const Decimal& lt = round.material.lot_tonnes;
    Decimal paid, received;
    for (const auto& o : res.bids)
        if (o.price) paid = paid + di(o.filled.count) * *o.price * lt;
    for (const auto& o : res.offers)
        if (o.price) received = received + di(o.filled.count) * *o.price * lt;
    if (paid != received + res.rounding_residual)
        f.add("buyers pay " + paid.to_string() + ", suppliers receive " + received.to_string() + ", residual " +
              res.rounding_residual.to_string());
    if (res.welfare != res.buyer_surplus + res.supplier_surplus + res.rounding_residual)
        f.add("welfare " + res.welfare.to_string() + " != buyer " + res.buyer_surplus.to_string() + " + supplier " +
              res.supplier_surplus.to_string() + " + residual " + res.rounding_residual.to_string());
}

/// The awards' lots add up to every order's fill. False when an award does
/// not name an order of the round.
bool award_sums_match(const jpclear::Round& round, const jpclear::Result& res, Findings& f) {
    std::vector<std::int64_t> award_x(res.bids.size(), 0), award_y(res.offers.size(), 0);
    for (const auto& a : res.awards) {
        if (a.bid.value >= award_x.size() || a.offer.value >= award_y.size() || a.lots.count <= 0) {
            f.add("award refers to bid " + std::to_string(a.bid.value) + ", offer " + std::to_string(a.offer.value) +
                  " with " + std::to_string(a.lots.count) + " lots");
            return false;
        }
        award_x[a.bid.value] += a.lots.count;
        award_y[a.offer.value] += a.lots.count;
    }
    for (std::size_t i = 0; i < award_x.size(); ++i)
        if (award_x[i] != res.bids[i].filled.count)
            f.add("awards give bid " + round.bids[i].id + " " + std::to_string(award_x[i]) + " lots, it is filled " +
                  std::to_string(res.bids[i].filled.count));
    for (std::size_t i = 0; i < award_y.size(); ++i)
        if (award_y[i] != res.offers[i].filled.count)
            f.add("awards take " + std::to_string(award_y[i]) + " lots from offer " + round.offers[i].id +
                  ", it is filled " + std::to_string(res.offers[i].filled.count));
    return true;
}

/// Everything the spec says about one round's result, against the model above.
void check_round(const jpclear::Round& round, const jpclear::Result& res, Findings& f, Coverage& cov) {
    const auto [bids, offers] = convert(round);
    const Decimal& tick = round.rules.tick;
    const Decimal& lt = round.material.lot_tonnes;
    auto price = [&](std::int64_t ticks) { return di(ticks) * tick; };
    auto money = [&](int128 tick_lots) { return Decimal::from_units(tick_lots, 0) * tick * lt; };

    // 2. Every order once, in input order, with its fill in range.
    if (!listed_once(round, res, f)) return;  // nothing below can be matched up
    std::vector<std::int64_t> x(bids.id.size()), y(offers.id.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = res.bids[i].filled.count;
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = res.offers[i].filled.count;

    // 3. Volume and welfare from the unit walk.
    const auto bo = best_first(bids, true), oo = best_first(offers, false);
    const auto [volume, welfare_ticks] = walk(bids, bo, offers, oo);
    if (res.cleared_lots.count != volume)
        f.add("cleared_lots " + std::to_string(res.cleared_lots.count) + ", the unit walk gives " +
              std::to_string(volume));
    if (res.welfare != money(welfare_ticks))
        f.add("welfare " + res.welfare.to_string() + ", the unit walk gives " + money(welfare_ticks).to_string());
    if (res.cleared_tonnes != di(volume) * lt)
        f.add("cleared_tonnes " + res.cleared_tonnes.to_string() + ", expected " + (di(volume) * lt).to_string());
    if (res.optimality != jpclear::Optimality::proven) f.add("optimality is not proven on a convex round");
    if (res.round != round.id || res.currency != round.currency) f.add("round id or currency not echoed");

    // 2. Balance, ranges, statuses, reasons.
    cov.ineligible += check_lines(round, offers.eligible, res, f);

    // 5. Pro rata at the margin, on the library's fills, then the exact
    //    allocation the spec prescribes (unique: welfare first, then V, then
    //    the pro-rata rule inside the marginal groups).
    check_pro_rata(bids, bo, x, "bid", f, cov);
    check_pro_rata(offers, oo, y, "offer", f, cov);
    const auto ex = expected_fills(bids, bo, volume), ey = expected_fills(offers, oo, volume);
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] != ex[i])
            f.add("bid " + bids.id[i] + " filled " + std::to_string(x[i]) + ", the spec gives " +
                  std::to_string(ex[i]));
    for (std::size_t i = 0; i < y.size(); ++i)
        if (offers.eligible[i] && y[i] != ey[i])
            f.add("offer " + offers.id[i] + " filled " + std::to_string(y[i]) + ", the spec gives " +
                  std::to_string(ey[i]));

    // Coverage: units traded at P == A (they add no welfare, only volume).
    {
        std::int64_t strict = 0;
        std::size_t i = 0, j = 0;
        std::int64_t bl = bo.empty() ? 0 : bids.lots[bo[0]], ol = oo.empty() ? 0 : offers.lots[oo[0]];
        while (i < bo.size() && j < oo.size() && bids.price[bo[i]] > offers.price[oo[j]]) {
            ++strict;
            if (--bl == 0 && ++i < bo.size()) bl = bids.lots[bo[i]];
            if (--ol == 0 && ++j < oo.size()) ol = offers.lots[oo[j]];
        }
        if (strict < volume) ++cov.zero_margin_units;
    }

    // No trade: no price at all.
    const bool uniform = round.rules.pricing == jpclear::PricingRule::uniform;
    if (volume == 0 || res.cleared_lots.count == 0) {
        ++cov.no_trade;
        if (res.status != jpclear::RoundStatus::no_trade || res.clearing_price || res.price_low || res.price_high ||
            !res.awards.empty() || !res.welfare.is_zero() || !res.rounding_residual.is_zero())
            f.add("no-trade round: status " + std::string(jpclear::to_string(res.status)) + ", clearing_price " +
                  opt_text(res.clearing_price) + ", " + std::to_string(res.awards.size()) + " awards");
        for (const auto& o : res.bids)
            if (o.price) f.add("no-trade round: a bid has a price");
        for (const auto& o : res.offers)
            if (o.price) f.add("no-trade round: an offer has a price");
        return;
    }
    ++cov.cleared;
    if (res.status != jpclear::RoundStatus::cleared) f.add("V > 0 but status is no-trade");

    // 4. The supporting interval from the library's fills (4(a)-(c), no
    //    blocks, no caps): lo = max(A of sellers, P of bids that could take
    //    more), hi = min(P of buyers, A of offers that could sell more).
    std::optional<std::int64_t> lo, hi;
    auto raise = [](std::optional<std::int64_t>& v, std::int64_t p) { v = v ? std::max(*v, p) : p; };
    auto lower = [](std::optional<std::int64_t>& v, std::int64_t p) { v = v ? std::min(*v, p) : p; };
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i] > 0) lower(hi, bids.price[i]);
        if (x[i] < bids.lots[i]) raise(lo, bids.price[i]);
    }
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (!offers.eligible[i]) continue;
        if (y[i] > 0) raise(lo, offers.price[i]);
        if (y[i] < offers.lots[i]) lower(hi, offers.price[i]);
    }
    if (!lo || !hi || *lo > *hi) {
        f.add("no price supports the allocation (lo " + (lo ? std::to_string(*lo) : "-") + ", hi " +
              (hi ? std::to_string(*hi) : "-") + " ticks)");
        return;
    }
    if (*hi > *lo) ++cov.open_interval;
    if (res.price_low != price(*lo) || res.price_high != price(*hi))
        f.add("price_interval [" + opt_text(res.price_low) + ", " + opt_text(res.price_high) + "], expected [" +
              price(*lo).to_string() + ", " + price(*hi).to_string() + "]");

    // 6. Prices: uniform p = lo + k (hi - lo) to the nearest tick, a half
    //    toward lo; pay-as-bid: buyers pay ceil(sum A y / V), offers their A.
    int128 ask_cost = 0, bid_value = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        if (offers.eligible[i]) ask_cost += static_cast<int128>(offers.price[i]) * y[i];
    for (std::size_t i = 0; i < x.size(); ++i) bid_value += static_cast<int128>(bids.price[i]) * x[i];
    std::int64_t buyer_ticks = 0;
    if (uniform) {
        ++cov.uniform;
        const Decimal kw = round.rules.k * di(*hi - *lo);
        auto steps = static_cast<std::int64_t>(floor_quotient(kw, di(1)));
        if ((kw - di(steps)) * di(2) > di(1)) ++steps;  // exactly half stays at the lower tick
        buyer_ticks = *lo + steps;
    } else {
        ++cov.pay_as_bid;
        buyer_ticks = static_cast<std::int64_t>((ask_cost + volume - 1) / volume);  // ask_cost >= 0
    }
    if (res.clearing_price != price(buyer_ticks))
        f.add(std::string("clearing_price ") + opt_text(res.clearing_price) + ", expected " +
              price(buyer_ticks).to_string() +
              (uniform ? " (uniform, k " + round.rules.k.to_string() + ")" : " (pay-as-bid)"));
    // Clang 14 cannot capture a structured binding (a C++20 feature it lacks).
    auto offer_ticks = [&, &offer_price = offers.price](std::size_t i) {
        return uniform ? buyer_ticks : offer_price[i];
    };
    // Nobody is bound beyond their own converted price (4(a) for the price paid).
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] > 0 && buyer_ticks > bids.price[i])
            f.add("bid " + bids.id[i] + " pays " + price(buyer_ticks).to_string() + " above its P " +
                  price(bids.price[i]).to_string());
    for (std::size_t i = 0; i < y.size(); ++i)
        if (offers.eligible[i] && y[i] > 0 && offer_ticks(i) < offers.price[i])
            f.add("offer " + offers.id[i] + " receives " + price(offer_ticks(i)).to_string() + " below its A " +
                  price(offers.price[i]).to_string());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::optional<Decimal> want = x[i] > 0 ? std::optional<Decimal>(price(buyer_ticks)) : std::nullopt;
        if (res.bids[i].price != want)
            f.add("bid " + bids.id[i] + " price " + opt_text(res.bids[i].price) + ", expected " + opt_text(want));
    }
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (!offers.eligible[i]) continue;
        const std::optional<Decimal> want = y[i] > 0 ? std::optional<Decimal>(price(offer_ticks(i))) : std::nullopt;
        if (res.offers[i].price != want)
            f.add("offer " + offers.id[i] + " price " + opt_text(res.offers[i].price) + ", expected " + opt_text(want));
    }

    // 6. Money: what buyers pay equals what suppliers get plus the residual;
    //    welfare splits into the two surpluses and the residual.
    check_money(round, res, f);
    const Decimal want_buyer = money(bid_value - static_cast<int128>(buyer_ticks) * volume);
    int128 received_ticks = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        if (offers.eligible[i]) received_ticks += static_cast<int128>(offer_ticks(i)) * y[i];
    const Decimal want_supplier = money(received_ticks - ask_cost);
    const Decimal want_residual = money(static_cast<int128>(buyer_ticks) * volume - received_ticks);
    if (res.buyer_surplus != want_buyer || res.supplier_surplus != want_supplier ||
        res.rounding_residual != want_residual)
        f.add("surpluses buyer " + res.buyer_surplus.to_string() + " supplier " + res.supplier_surplus.to_string() +
              " residual " + res.rounding_residual.to_string() + ", expected " + want_buyer.to_string() + " / " +
              want_supplier.to_string() + " / " + want_residual.to_string());

    // 7. Awards: accepted bids (P desc, id) against accepted offers (A asc,
    //    id), front to front; lots add up to the fills.
    if (!award_sums_match(round, res, f)) return;
    {
        std::vector<std::size_t> ab, ao;
        for (std::size_t i : bo)
            if (x[i] > 0) ab.push_back(i);
        for (std::size_t i : oo)
            if (y[i] > 0) ao.push_back(i);
        std::size_t i = 0, j = 0, n = 0;
        std::int64_t bl = ab.empty() ? 0 : x[ab[0]], ol = ao.empty() ? 0 : y[ao[0]];
        while (i < ab.size() && j < ao.size()) {
            const std::int64_t lots = std::min(bl, ol);
            if (n >= res.awards.size()) {
                f.add("fewer awards than the front-to-front matching (" + std::to_string(res.awards.size()) + ")");
                break;
            }
            const auto& a = res.awards[n++];
            if (a.bid.value != ab[i] || a.offer.value != ao[j] || a.lots.count != lots ||
                a.price != price(offer_ticks(ao[j]))) {
                f.add("award " + std::to_string(n - 1) + " is " + bids.id[a.bid.value] + " <- " +
                      offers.id[a.offer.value] + " " + std::to_string(a.lots.count) + " lots at " +
                      a.price.to_string() + ", expected " + bids.id[ab[i]] + " <- " + offers.id[ao[j]] + " " +
                      std::to_string(lots) + " at " + price(offer_ticks(ao[j])).to_string());
                break;
            }
            bl -= lots;
            ol -= lots;
            if (bl == 0 && ++i < ab.size()) bl = x[ab[i]];
            if (ol == 0 && ++j < ao.size()) ol = y[ao[j]];
        }
        if (n < res.awards.size() && f.empty())
            f.add("more awards than the front-to-front matching (" + std::to_string(n) + ")");
    }

    // Blocs and origins: the totals per group agree with the fills.
    std::map<std::string, jpclear::BlocTotals> blocs;
    for (std::size_t i = 0; i < x.size(); ++i) {
        auto& t = blocs[round.bids[i].bloc];
        t.bids += 1;
        t.requested += jpclear::Lots{bids.lots[i]};
        t.filled += jpclear::Lots{x[i]};
        t.cost = t.cost + di(x[i]) * price(buyer_ticks) * lt;
    }
    if (blocs.size() != res.blocs.size())
        f.add("result has " + std::to_string(res.blocs.size()) + " blocs, expected " + std::to_string(blocs.size()));
    for (const auto& [code, t] : blocs) {
        auto it = res.blocs.find(code);
        if (it == res.blocs.end() || it->second.bids != t.bids || it->second.requested != t.requested ||
            it->second.filled != t.filled || it->second.cost != t.cost)
            f.add("bloc " + code + " totals differ (expected cost " + t.cost.to_string() + ")");
    }
    std::map<std::string, std::int64_t> origin_lots;
    for (std::size_t i = 0; i < y.size(); ++i)
        if (offers.eligible[i]) origin_lots[round.offers[i].origin] += y[i];
    if (origin_lots.size() != res.origins.size())
        f.add("result has " + std::to_string(res.origins.size()) + " origins, expected " +
              std::to_string(origin_lots.size()));
    for (const auto& [code, lots] : origin_lots) {
        auto it = res.origins.find(code);
        if (it == res.origins.end() || it->second.lots.count != lots) {
            f.add("origin " + code + " lots differ from the offers' fills");
            continue;
        }
        // The share is lots / V written with 6 decimals: within half a unit of the 6th.
        const Decimal err = it->second.share * di(volume) - di(lots);
        const Decimal bound = di(volume) * Decimal::from_units(5, 7);
        if (it->second.share.scale() > 6 || err > bound || -err > bound)
            f.add("origin " + code + " share " + it->second.share.to_string() + " is not " + std::to_string(lots) +
                  "/" + std::to_string(volume) + " to 6 decimals");
    }
}

/// `s`, the result of `shuffled` (a permutation of `round`), with its lists
/// and award references put back in `round`'s order.
jpclear::Result in_round_order(const jpclear::Round& round, const jpclear::Round& shuffled, jpclear::Result s) {
    auto positions = [](const auto& orders) {
        std::unordered_map<std::string_view, std::uint32_t> at;
        for (std::size_t i = 0; i < orders.size(); ++i) at.emplace(orders[i].id, static_cast<std::uint32_t>(i));
        return at;
    };
    const auto bid_at = positions(round.bids), offer_at = positions(round.offers);
    auto reorder = [](std::vector<jpclear::OrderResult>& lines, const auto& shuffled_orders, const auto& at) {
        std::vector<jpclear::OrderResult> out(lines.size());
        for (auto& o : lines) {
            const std::uint32_t to = at.at(shuffled_orders[o.order.value].id);
            o.order = jpclear::OrderIndex{to};
            out[to] = std::move(o);
        }
        lines = std::move(out);
    };
    reorder(s.bids, shuffled.bids, bid_at);
    reorder(s.offers, shuffled.offers, offer_at);
    for (auto& a : s.awards) {
        a.bid = jpclear::OrderIndex{bid_at.at(shuffled.bids[a.bid.value].id)};
        a.offer = jpclear::OrderIndex{offer_at.at(shuffled.offers[a.offer.value].id)};
    }
    return s;
}

/// Determinism: clearing the same round again gives the same bytes.
void check_rerun(const jpclear::Round& round, const std::string& bytes, const jpclear::Options& options, Findings& f) {
    const jpclear::ClearOutcome again = jpclear::clear(round, options);
    if (!again.ok() || !again.result || jpclear::result_json(round, *again.result) != bytes)
        f.add("a second clear() of the same round gives other result_json bytes");
}

/// 8. The same round with its orders permuted (ids kept) clears the same:
///    field by field (to say what differs), then result_json byte for byte
///    once the lists are put back in input order.
void check_invariance(const jpclear::Round& round, const jpclear::Result& res, const std::string& bytes,
                      const jpclear::Options& options, Rng& rng, Findings& f) {
    jpclear::Round shuffled = round;
    rng.shuffle(shuffled.bids);
    rng.shuffle(shuffled.offers);
    const jpclear::ClearOutcome out = jpclear::clear(shuffled, options);
    if (!out.ok() || !out.result) {
        f.add("shuffled copy: clear() returned " + std::string(jpclear::to_string(out.status)));
        return;
    }
    const jpclear::Result& s = *out.result;
    if (s.clearing_price != res.clearing_price || s.price_low != res.price_low || s.price_high != res.price_high ||
        s.welfare != res.welfare || s.cleared_lots != res.cleared_lots || s.buyer_surplus != res.buyer_surplus ||
        s.rounding_residual != res.rounding_residual)
        f.add("shuffled copy: price " + opt_text(s.clearing_price) + " in [" + opt_text(s.price_low) + ", " +
              opt_text(s.price_high) + "], welfare " + s.welfare.to_string() + "; original " +
              opt_text(res.clearing_price) + " in [" + opt_text(res.price_low) + ", " + opt_text(res.price_high) +
              "], welfare " + res.welfare.to_string());
    auto compare = [&](const auto& orders, const auto& orig_list, const auto& shuf_orders, const auto& shuf_list,
                       const char* side) {
        std::map<std::string, std::size_t> pos;
        for (std::size_t i = 0; i < shuf_orders.size(); ++i) pos[shuf_orders[i].id] = i;
        for (std::size_t i = 0; i < orders.size(); ++i) {
            const auto& a = orig_list[i];
            const auto& b = shuf_list[pos.at(orders[i].id)];
            if (a.filled != b.filled || a.status != b.status || a.price != b.price || a.reason_code != b.reason_code)
                f.add(std::string("shuffled copy: ") + side + " " + orders[i].id + " gets " +
                      std::to_string(b.filled.count) + " (" + jpclear::to_string(b.status) + ", " + opt_text(b.price) +
                      "), originally " + std::to_string(a.filled.count) + " (" + jpclear::to_string(a.status) + ", " +
                      opt_text(a.price) + ")");
        }
    };
    compare(round.bids, res.bids, shuffled.bids, s.bids, "bid");
    compare(round.offers, res.offers, shuffled.offers, s.offers, "offer");
    // Awards name the same (bid, offer, lots, price) in the same order.
    bool same = s.awards.size() == res.awards.size();
    for (std::size_t n = 0; same && n < s.awards.size(); ++n) {
        const auto& a = res.awards[n];
        const auto& b = s.awards[n];
        same = round.bids[a.bid.value].id == shuffled.bids[b.bid.value].id &&
               round.offers[a.offer.value].id == shuffled.offers[b.offer.value].id && a.lots == b.lots &&
               a.price == b.price;
    }
    if (!same) f.add("shuffled copy: the awards differ");
    if (f.empty() && !bytes.empty() && jpclear::result_json(round, in_round_order(round, shuffled, s)) != bytes)
        f.add("shuffled copy: result_json differs once put back in input order");
}

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

// ---------------------------------------------------------------- the tests

long long elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

/// A failing round: its findings, and (for the first few) the round itself.
void report(const jpclear::Round& round, int index, const Findings& f, int& failed, int& dumped) {
    if (f.empty()) return;
    ++failed;
    std::string text;
    for (const auto& m : f.messages) text += "  - " + m + "\n";
    if (f.dropped) text += "  ... and " + std::to_string(f.dropped) + " more\n";
    if (dumped++ < kMaxDumpedRounds) text += dump(round, index);
    ADD_FAILURE() << "round #" << index << " (JPCLEAR_PROPERTY_ONLY=" << index << ") breaks the spec:\n" << text;
}

TEST(PropertyConvex, RandomRoundsMeetTheSpec) {
    const int only = env_int("JPCLEAR_PROPERTY_ONLY", -1);
    const int rounds = env_int("JPCLEAR_PROPERTY_ROUNDS", jpclear::test::sweep_rounds(kDefaultRounds));
    const auto start = std::chrono::steady_clock::now();
    Coverage cov;
    int failed = 0, dumped = 0;
    for (int index = only >= 0 ? only : 0; index < (only >= 0 ? only + 1 : rounds); ++index) {
        const jpclear::Round round = make_round(index);
        if (round.bids.size() + round.offers.size() > 200) ++cov.large;
        Findings f;
        // 1. A valid convex round always clears.
        const jpclear::ClearOutcome out = jpclear::clear(round);
        if (!out.ok() || !out.result) {
            std::string why = std::string("clear() returned ") + jpclear::to_string(out.status);
            for (const auto& p : out.problems) why += "; " + p.to_string();
            f.add(why);
        } else {
            check_round(round, *out.result, f, cov);
            const bool bytes_too = index % kBytesEvery == 0;
            const std::string bytes = bytes_too ? jpclear::result_json(round, *out.result) : std::string();
            if (bytes_too) check_rerun(round, bytes, {}, f);
            Rng shuffle_rng(kSeed + static_cast<std::uint64_t>(index));
            check_invariance(round, *out.result, bytes, {}, shuffle_rng, f);
        }
        report(round, index, f, failed, dumped);
    }
    const long long ms = elapsed_ms(start);
    std::printf(
        "property: %d rounds in %lld ms, %d failing; cleared %d, no-trade %d, large %d, uniform %d, "
        "pay-as-bid %d, open intervals %d, split groups %d, remainder ties %d, P==A units %d, "
        "ineligible offers %d\n",
        only >= 0 ? 1 : rounds, ms, failed, cov.cleared, cov.no_trade, cov.large, cov.uniform,
        cov.pay_as_bid, cov.open_interval, cov.split_groups, cov.remainder_ties, cov.zero_margin_units, cov.ineligible);
    EXPECT_EQ(failed, 0);
    // The sweep proves little unless the generator reaches the hard cases.
    if (only < 0 && rounds >= 1000) {
        EXPECT_GT(cov.no_trade, rounds / 50);
        EXPECT_GT(cov.cleared, rounds / 2);
        EXPECT_GT(cov.large, rounds / 20);
        EXPECT_GT(cov.split_groups, rounds / 10);
        EXPECT_GT(cov.remainder_ties, rounds / 20);
        EXPECT_GT(cov.zero_margin_units, rounds / 50);
        EXPECT_GT(cov.open_interval, rounds / 20);
    }
}

/// The cap (spec 5, rule 3): no origin sells more than floor(s V), and the
/// result says so for every origin it lists.
void check_cap(const jpclear::Round& round, const jpclear::Result& res, Findings& f) {
    if (!round.rules.max_origin_share) return;
    const auto cap = static_cast<std::int64_t>(
        floor_quotient(*round.rules.max_origin_share * di(res.cleared_lots.count), di(1)));
    for (const auto& [code, t] : res.origins)
        if (t.lots.count > cap || t.cap_lots != jpclear::Lots{cap})
            f.add("origin " + code + " sells " + std::to_string(t.lots.count) + " lots, cap_lots " +
                  (t.cap_lots ? std::to_string(t.cap_lots->count) : "none") + "; floor(s V) is " + std::to_string(cap));
}

TEST(PropertyBlocksAndCaps, RandomRoundsConserveOrdersLotsAndMoneyWithStableBytes) {
    const int only = env_int("JPCLEAR_PROPERTY_ONLY", -1);
    const int rounds = env_int("JPCLEAR_PROPERTY_ROUNDS", jpclear::test::sweep_rounds(kDefaultRounds)) / kBlockRoundsPer;
    jpclear::Options options;
    options.node_limit = kBlockNodeLimit;
    const auto start = std::chrono::steady_clock::now();
    int failed = 0, dumped = 0, searched = 0, at_limit = 0, cleared = 0, rejected_blocks = 0, capped_origins = 0;
    for (int index = only >= 0 ? only : 0; index < (only >= 0 ? only + 1 : rounds); ++index) {
        const jpclear::Round round = make_block_round(index);
        Findings f;
        const jpclear::ClearOutcome out = jpclear::clear(round, options);
        if (!out.ok() || !out.result) {
            std::string why = std::string("clear() returned ") + jpclear::to_string(out.status);
            for (const auto& p : out.problems) why += "; " + p.to_string();
            f.add(why);
        } else if (const jpclear::Result& res = *out.result; listed_once(round, res, f)) {
            searched += !jpclear::prepare(round).book.is_convex();
            at_limit += res.optimality == jpclear::Optimality::limit;
            cleared += res.status == jpclear::RoundStatus::cleared;
            auto any = [](const auto& lines, jpclear::ReasonCode code) {
                return std::any_of(lines.begin(), lines.end(), [code](const auto& o) { return o.reason_code == code; });
            };
            rejected_blocks += any(res.bids, jpclear::ReasonCode::block_not_placed) ||
                               any(res.offers, jpclear::ReasonCode::block_not_placed);
            capped_origins += any(res.offers, jpclear::ReasonCode::origin_cap);
            check_lines(round, convert(round).second.eligible, res, f);
            award_sums_match(round, res, f);
            check_money(round, res, f);
            check_cap(round, res, f);
            if (res.optimality == jpclear::Optimality::limit && (!res.bound || *res.bound < res.welfare))
                f.add("stopped at the node limit without a bound at least its welfare");
            // Under a node limit too: the limit is counted in nodes, not time.
            const std::string bytes = jpclear::result_json(round, res);
            check_rerun(round, bytes, options, f);
            Rng shuffle_rng(kSeed + 0xb10c + static_cast<std::uint64_t>(index));
            check_invariance(round, res, bytes, options, shuffle_rng, f);
        }
        report(round, index, f, failed, dumped);
    }
    const long long ms = elapsed_ms(start);
    std::printf(
        "property, blocks and caps: %d rounds in %lld ms, %d failing; searched %d, at the node limit (%lld) %d, "
        "cleared %d, with a rejected block %d, with an origin at its cap %d\n",
        only >= 0 ? 1 : rounds, ms, failed, searched,
        static_cast<long long>(kBlockNodeLimit), at_limit, cleared, rejected_blocks, capped_origins);
    EXPECT_EQ(failed, 0);
    if (only < 0 && rounds >= 300) {
        EXPECT_GT(searched, rounds * 3 / 4);
        EXPECT_GT(cleared, rounds / 2);
        EXPECT_GT(rejected_blocks, rounds / 20);
        EXPECT_GT(capped_origins, rounds / 20);
    }
}

}  // namespace
