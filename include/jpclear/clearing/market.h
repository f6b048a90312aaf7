#pragma once
// The round converted for clearing: a Market of flat arrays of whole numbers.
//
// A Market is a network. Its nodes are the round's places (spec section 10),
// each with its bids and offers; its arcs are the routes, with freight in
// ticks and an optional capacity. An order is a set of arcs into that network:
// today one (a bid's delivery place, an offer's port), which is why every
// order carries a node index. A round without `logistics` is the one-node
// market with no arcs listed: every order at one implicit place that trades
// with itself for free (spec section 5). That market has no node arrays at
// all, so the one-place fast path pays nothing for the network.
//
// prepare() validates a Round (every problem, with its path) and converts each
// price into the clearing currency on the tick grid (spec section 3):
//   bid   P = floor_to_tick(limit * fx)   -- never above what the buyer allows
//   offer A = ceil_to_tick(ask * fx)      -- never below what the supplier allows
// Prices become whole tick counts (int64) and lots stay int64, so the clearing
// core never touches a Decimal or a string except to break exact ties by id.
// Ineligible offers (spec 3) are left out of the offer arrays and remembered
// with their reason. The book borrows the round's id strings: the Round must
// outlive it.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "jpclear/detail/wide.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/round.h"
#include "jpclear/model/validate.h"

namespace jpclear {

enum class Eligibility : std::uint8_t { eligible, excluded_origin, not_certified };

/// A route of the market: lots move from node `from` to node `to`.
struct Arc {
    std::uint32_t from = 0, to = 0;          ///< node indices
    std::int64_t freight = 0;                ///< F_r in ticks per tonne (ceil_to_tick)
    std::optional<std::int64_t> capacity;    ///< most lots it carries; none: no limit
};

struct Market {
    Decimal tick;
    Decimal lot_tonnes;

    // Bids, in input order.
    std::vector<std::int64_t> bid_price;  ///< P in ticks
    std::vector<std::int64_t> bid_lots;
    std::vector<std::int64_t> bid_min;    ///< min_lots; > 0 makes the bid a block
    std::vector<std::string_view> bid_id;

    // Eligible offers, in input order.
    std::vector<std::int64_t> offer_price;  ///< A in ticks
    std::vector<std::int64_t> offer_lots;
    std::vector<std::int64_t> offer_min;
    std::vector<std::uint32_t> offer_origin;  ///< index into `origins`
    std::vector<std::uint32_t> offer_input;   ///< position in Round::offers
    std::vector<std::string_view> offer_id;

    std::vector<std::string> origins;             ///< origin codes of eligible offers, sorted
    std::vector<Eligibility> offer_eligibility;   ///< per Round::offers entry
    std::optional<Decimal> max_origin_share;

    // The network (spec section 10); all empty for a one-place round.
    std::vector<std::string> nodes;        ///< place ids, sorted (byte order)
    std::vector<Arc> arcs;                 ///< routes, in input order
    std::vector<std::uint32_t> bid_node;   ///< per bid: its delivery place
    std::vector<std::uint32_t> offer_node; ///< per eligible offer: its port

    std::size_t bid_count() const { return bid_price.size(); }
    std::size_t offer_count() const { return offer_price.size(); }
    /// Whether the round has places (logistics); otherwise it clears in one place.
    bool has_places() const { return !arcs.empty(); }

    bool has_blocks() const {
        auto block = [](std::int64_t m) { return m > 0; };
        return std::any_of(bid_min.begin(), bid_min.end(), block) ||
               std::any_of(offer_min.begin(), offer_min.end(), block);
    }
    /// Without blocks and caps the problem is convex: clear_convex() solves
    /// it in one place, clear_network() across places.
    bool is_convex() const { return !max_origin_share && !has_blocks(); }
};

/// The name the one-place code has always used for a Market.
using OrderBook = Market;

/// `price * rate` put on the tick grid, rounded down (bids) or up (offers);
/// nullopt when it does not fit in 64-bit ticks. Prices and rates are >= 0
/// and the tick > 0 (validated); the exact product may exceed 128 bits even
/// when the tick count fits, hence the wide intermediate.
inline std::optional<std::int64_t> to_ticks(const Decimal& price, const Decimal& rate, const Decimal& tick,
                                            bool round_up) {
    if (price.sign() < 0 || rate.sign() <= 0 || tick.sign() <= 0) return std::nullopt;
    // price * rate / tick = (pc * rc * 10^ts) / (tc * 10^(ps + rs)).
    const int shift = price.scale() + rate.scale() - tick.scale();
    if (shift > 38 || shift < -38) return std::nullopt;  // beyond any valid input's digits
    uint128 a = static_cast<uint128>(price.coefficient()), b = static_cast<uint128>(rate.coefficient());
    uint128 c = static_cast<uint128>(tick.coefficient()), d = 1;
    if (shift >= 0) {
        d = static_cast<uint128>(detail::pow10(shift));
    } else {
        int128 scaled;
        if (__builtin_mul_overflow(static_cast<int128>(a), detail::pow10(-shift), &scaled)) return std::nullopt;
        a = static_cast<uint128>(scaled);
    }
    std::optional<int128> q;
    int128 product, divisor;
    // The common case fits 128 bits; only extreme digit counts need the wide path.
    if (!__builtin_mul_overflow(static_cast<int128>(a), static_cast<int128>(b), &product) &&
        !__builtin_mul_overflow(static_cast<int128>(c), static_cast<int128>(d), &divisor))
        q = round_up ? detail::ceil_div(product, divisor) : detail::floor_div(product, divisor);
    else
        q = detail::mul_div(a, b, c, d, round_up);
    if (!q || *q > INT64_MAX) return std::nullopt;
    return static_cast<std::int64_t>(*q);
}

struct Prepared {
    Problems problems;  ///< empty when the round is valid
    Market book;        ///< meaningful only when `problems` is empty
};

namespace detail {

/// Spec 10: places become nodes (sorted by id, so nothing depends on input
/// order), routes arcs with freight F_r = ceil_to_tick(freight * fx), and each
/// order gets its node. Places are already checked by validate_fields();
/// an order whose place is unknown keeps node 0 (the round is invalid then).
template <class RateOf, class TooLarge>
void prepare_network(const Round& round, Prepared& out, bool grid, RateOf&& rate_of, TooLarge&& too_large) {
    Market& m = out.book;
    const std::vector<Route>& routes = round.logistics->routes;
    std::vector<std::string_view> names;
    names.reserve(2 * routes.size());
    for (const Route& r : routes) {
        names.push_back(r.from);
        names.push_back(r.to);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    m.nodes.assign(names.begin(), names.end());
    auto node_of = [&](std::string_view place) {
        auto it = std::lower_bound(names.begin(), names.end(), place);
        return it != names.end() && *it == place ? static_cast<std::uint32_t>(it - names.begin()) : 0u;
    };
    m.arcs.reserve(routes.size());
    for (std::size_t i = 0; i < routes.size(); ++i) {
        const Route& r = routes[i];
        const std::string path = "logistics.routes[" + std::to_string(i) + "]";
        const Decimal* rate = rate_of(r.currency, "logistics.routes", i);
        std::optional<std::int64_t> f = rate && grid ? to_ticks(r.freight, *rate, m.tick, true) : std::nullopt;
        if (rate && !f && rate->sign() > 0) too_large(path + ".freight", r.freight, "freight");
        Arc arc;
        arc.from = node_of(r.from);
        arc.to = node_of(r.to);
        arc.freight = f.value_or(0);
        arc.capacity = r.capacity_lots;
        m.arcs.push_back(arc);
    }
    m.bid_node.reserve(round.bids.size());
    for (const Bid& b : round.bids) m.bid_node.push_back(b.delivery ? node_of(*b.delivery) : 0u);
    m.offer_node.reserve(m.offer_input.size());
    for (std::uint32_t i : m.offer_input) {
        const Offer& o = round.offers[i];
        m.offer_node.push_back(o.port ? node_of(*o.port) : 0u);
    }
}

}  // namespace detail

/// Validates `round` and converts it; see the file comment.
inline Prepared prepare(const Round& round) {
    Prepared out;
    validate_fields(round, out.problems);
    OrderBook& book = out.book;
    book.tick = round.rules.tick;
    book.lot_tonnes = round.material.lot_tonnes;
    book.max_origin_share = round.rules.max_origin_share;
    const bool grid = round.rules.tick.sign() > 0;  // without one (reported) prices are not converted

    const Decimal one = Decimal::integer(1);
    auto path_of = [](const char* list, std::size_t i, const char* field) {
        return std::string(list) + "[" + std::to_string(i) + "]." + field;
    };
    auto rate_of = [&](const std::optional<Text>& currency, const char* list, std::size_t i) -> const Decimal* {
        if (!currency || *currency == round.currency) return &one;
        auto it = round.fx.find(currency->str());
        if (it != round.fx.end()) return &it->second;
        if (!detail::is_upper_code(*currency, 3)) return nullptr;  // reported as a malformed code
        out.problems.push_back({path_of(list, i, "currency"), "currency " + detail::quoted(*currency) + " is neither the clearing currency " +
                                          detail::quoted(round.currency) + " nor given in fx"});
        return nullptr;
    };
    // A price already reported for its digits is not reported again for its ticks.
    auto too_large = [&](const std::string& path, const Decimal& price, const char* field) {
        if (price.integer_digits() > max_integer_digits || price.scale() > max_fraction_digits) return;
        if (price.sign() < 0 || !(round.rules.tick.sign() > 0)) return;  // reported as out of range
        out.problems.push_back({path, field + std::string(" ") + price.to_string() +
                                          " converts to more ticks than fit in 64 bits"});
    };

    book.bid_price.reserve(round.bids.size());
    book.bid_lots.reserve(round.bids.size());
    book.bid_min.reserve(round.bids.size());
    book.bid_id.reserve(round.bids.size());
    for (std::size_t i = 0; i < round.bids.size(); ++i) {
        const Bid& b = round.bids[i];
        const Decimal* rate = rate_of(b.currency, "bids", i);
        std::optional<std::int64_t> p = rate && grid ? to_ticks(b.limit, *rate, book.tick, false) : std::nullopt;
        if (rate && !p && rate->sign() > 0) too_large(path_of("bids", i, "limit"), b.limit, "limit");
        book.bid_price.push_back(p.value_or(0));
        book.bid_lots.push_back(b.lots);
        book.bid_min.push_back(b.min_lots);
        book.bid_id.push_back(b.id);
    }

    std::unordered_set<std::string_view> excluded(round.rules.excluded_origins.begin(),
                                                  round.rules.excluded_origins.end());
    book.offer_eligibility.reserve(round.offers.size());
    std::vector<std::string_view> origin_of;  // per eligible offer, resolved to indices below
    for (std::size_t i = 0; i < round.offers.size(); ++i) {
        const Offer& o = round.offers[i];
        const Decimal* rate = rate_of(o.currency, "offers", i);
        std::optional<std::int64_t> a = rate && grid ? to_ticks(o.ask, *rate, book.tick, true) : std::nullopt;
        if (rate && !a && rate->sign() > 0) too_large(path_of("offers", i, "ask"), o.ask, "ask");
        Eligibility e = excluded.count(o.origin)                             ? Eligibility::excluded_origin
                        : (round.rules.require_certified && !o.certified) ? Eligibility::not_certified
                                                                          : Eligibility::eligible;
        book.offer_eligibility.push_back(e);
        if (e != Eligibility::eligible) continue;
        book.offer_price.push_back(a.value_or(0));
        book.offer_lots.push_back(o.lots);
        book.offer_min.push_back(o.min_lots);
        book.offer_input.push_back(static_cast<std::uint32_t>(i));
        book.offer_id.push_back(o.id);
        origin_of.push_back(o.origin);
    }

    // Origins get indices in code order, so results never depend on input order.
    std::unordered_map<std::string_view, std::uint32_t> first_seen;
    std::vector<std::uint32_t> provisional;
    provisional.reserve(origin_of.size());
    for (std::string_view c : origin_of)
        provisional.push_back(first_seen.try_emplace(c, static_cast<std::uint32_t>(first_seen.size())).first->second);
    std::vector<std::string_view> codes;
    codes.reserve(first_seen.size());
    for (const auto& kv : first_seen) codes.push_back(kv.first);
    std::sort(codes.begin(), codes.end());
    std::vector<std::uint32_t> final_index(codes.size());
    for (std::uint32_t k = 0; k < codes.size(); ++k) final_index[first_seen[codes[k]]] = k;
    book.origins.assign(codes.begin(), codes.end());
    book.offer_origin.reserve(provisional.size());
    for (std::uint32_t v : provisional) book.offer_origin.push_back(final_index[v]);
    if (round.logistics) detail::prepare_network(round, out, grid, rate_of, too_large);
    return out;
}

}  // namespace jpclear
