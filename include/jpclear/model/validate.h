#pragma once
// Field-by-field checks of a Round against spec sections 1-4.
//
// validate_fields() never stops at the first problem: it reports every one,
// each with the path of its field, so a round's owner fixes them in one go.
// Checks that need the conversion onto the tick grid (a currency without an
// FX rate, a converted price too large to count in ticks) are made by
// prepare() in clearing/order_book.h, which also calls this.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "jpclear/model/problem.h"
#include "jpclear/model/round.h"

namespace jpclear {

/// Spec section 1: at most this many digits before and after the point.
inline constexpr int max_integer_digits = 12;
inline constexpr int max_fraction_digits = 10;
/// Spec section 2: an order has 1 to 10^9 lots.
inline constexpr std::int64_t max_order_lots = 1'000'000'000;
/// An order id is repeated in every award of the order: bounding its length
/// keeps a result within a small factor of its input (a 1 MB id against
/// 20,000 one-lot offers would otherwise write 20 GB).
inline constexpr std::size_t max_id_bytes = 256;

namespace detail {

inline bool is_upper_code(std::string_view s, std::size_t length) {
    if (s.size() != length) return false;
    for (char c : s)
        if (c < 'A' || c > 'Z') return false;
    return true;
}

inline std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            static const char* hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[(c >> 4) & 0xF];
            out += hex[c & 0xF];
            continue;
        }
        out += c;
    }
    return out + "\"";
}

class FieldChecker {
public:
    explicit FieldChecker(Problems& out) : out_(out) {}

    void add(std::string path, std::string message) { out_.push_back({std::move(path), std::move(message)}); }

    void non_empty(const std::string& path, std::string_view value) {
        if (value.empty()) add(path, "must not be empty");
    }

    // Range and digit checks of one decimal; `min_exclusive` says whether the
    // lower bound itself is allowed.
    void decimal(const std::string& path, const Decimal& d, const Decimal* min, bool min_exclusive,
                 const Decimal* max) {
        if (d.integer_digits() > max_integer_digits)
            add(path, d.to_string() + " has more than 12 digits before the point");
        if (d.scale() > max_fraction_digits)
            add(path, d.to_string() + " has more than 10 digits after the point");
        if (min && (min_exclusive ? d <= *min : d < *min))
            add(path, d.to_string() + (min_exclusive ? " must be greater than " : " must be at least ") +
                          min->to_string());
        if (max && d > *max) add(path, d.to_string() + " must be at most " + max->to_string());
    }

    void lots(const std::string& prefix, std::int64_t lots, std::int64_t min_lots) {
        if (lots < 1 || lots > max_order_lots)
            add(prefix + ".lots", std::to_string(lots) + " is outside 1 to 1000000000");
        if (min_lots < 0 || (lots >= 1 && min_lots > lots))
            add(prefix + ".min_lots", std::to_string(min_lots) + " is outside 0 to lots (" +
                                          std::to_string(lots) + ")");
    }

    void currency_code(const std::string& path, std::string_view code) {
        if (!is_upper_code(code, 3)) add(path, quoted(code) + " is not a currency code (3 upper-case letters)");
    }

private:
    Problems& out_;
};

/// How many orders ahead validate() asks FirstUse to fetch an id's slot.
inline constexpr std::size_t id_look_ahead = 16;

/// Which order first used each id. A flat open-addressing table of order
/// numbers rather than a node-based map: at 10^6 orders a map of string
/// nodes was a tenth of clearing time, and its cache misses grew the cost per
/// order with the round (prepare() must stay linear up to 10^7 orders).
template <class IdOf>
class FirstUse {
public:
    FirstUse(std::size_t orders, IdOf id_of) : none_(orders), id_of_(std::move(id_of)) {
        std::size_t size = 16;
        while (size < 2 * orders) size *= 2;
        slots_.assign(size, Slot{});
        mask_ = size - 1;
    }

    /// Says that order `k` will be inserted soon: its slot is fetched into
    /// the cache meanwhile. Each insert would otherwise wait for a miss in a
    /// table of 16 bytes an order (most of validate()'s time at 10^6 orders);
    /// asked `ahead` orders early, the misses overlap.
    void expect(std::size_t k) {
        if (k >= none_) return;
        const std::uint64_t h = std::hash<std::string_view>{}(id_of_(k));
        hashes_[k % ahead] = Pending{k, h};
#if defined(__GNUC__)
        __builtin_prefetch(&slots_[static_cast<std::size_t>(h) & mask_]);
#endif
    }

    /// Records order `k` under its id when the id is new and returns the
    /// order count; otherwise returns the order that used the id first.
    std::size_t insert(std::size_t k) {
        const std::string_view id = id_of_(k);
        const Pending& pending = hashes_[k % ahead];
        const std::uint64_t h = pending.order == k ? pending.hash : std::hash<std::string_view>{}(id);
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        for (std::size_t s = static_cast<std::size_t>(h) & mask_;; s = (s + 1) & mask_) {
            Slot& slot = slots_[s];
            if (slot.order == 0) {
                slot = Slot{tag, static_cast<std::uint32_t>(k + 1)};
                return none_;
            }
            if (slot.tag == tag && id_of_(slot.order - 1) == id) return slot.order - 1;
        }
    }

private:
    struct Slot {
        std::uint32_t tag = 0;    // high hash bits: most probes skip the string compare
        std::uint32_t order = 0;  // order number + 1, 0 when empty (more orders are refused above)
    };
    struct Pending {
        std::size_t order = SIZE_MAX;  // an order number no round has
        std::uint64_t hash = 0;
    };

    static constexpr std::size_t ahead = id_look_ahead;
    std::size_t none_;
    IdOf id_of_;
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    std::array<Pending, ahead> hashes_{};
};

/// Spec 10: each route's fields, (from, to) pairs unique, self-routes free.
/// Fills `places` with every place a route names.
inline void validate_routes(const std::vector<Route>& routes, FieldChecker& check,
                            std::unordered_map<std::string_view, std::size_t>& places) {
    const Decimal zero;
    if (routes.empty()) check.add("logistics.routes", "must name at least one route");
    std::map<std::pair<std::string_view, std::string_view>, std::size_t> seen;
    for (std::size_t i = 0; i < routes.size(); ++i) {
        const Route& r = routes[i];
        const std::string p = "logistics.routes[" + std::to_string(i) + "]";
        check.non_empty(p + ".from", r.from);
        check.non_empty(p + ".to", r.to);
        check.decimal(p + ".freight", r.freight, &zero, false, nullptr);
        if (r.currency) check.currency_code(p + ".currency", *r.currency);
        if (r.capacity_lots && (*r.capacity_lots < 0 || *r.capacity_lots > max_order_lots))
            check.add(p + ".capacity_lots", std::to_string(*r.capacity_lots) + " is outside 0 to 1000000000");
        if (r.from == r.to && r.freight.sign() != 0)
            check.add(p + ".freight", r.freight.to_string() + " on a route from " + detail::quoted(r.from) +
                                          " to itself: lots that stay in one place pay no freight (it must be 0)");
        auto [it, fresh] = seen.try_emplace({r.from, r.to}, i);
        if (!fresh)
            check.add(p, "the route " + detail::quoted(r.from) + " -> " + detail::quoted(r.to) +
                             " is already given by logistics.routes[" + std::to_string(it->second) + "]");
        places.try_emplace(r.from, i);
        places.try_emplace(r.to, i);
    }
}

}  // namespace detail

/// Every field-level problem of `round`, appended to `out`.
inline void validate_fields(const Round& round, Problems& out) {
    detail::FieldChecker check(out);
    const Decimal zero, one = Decimal::integer(1);

    if (round.format != round_format)
        check.add("format", detail::quoted(round.format) + " is not \"" + round_format + "\"");
    check.non_empty("round", round.id);
    check.non_empty("material.code", round.material.code);
    check.decimal("material.lot_tonnes", round.material.lot_tonnes, &zero, true, nullptr);
    check.currency_code("currency", round.currency);
    for (const auto& [code, rate] : round.fx) {
        std::string path = "fx." + code;
        check.currency_code(path, code);
        check.decimal(path, rate, &zero, true, nullptr);
        if (code == round.currency && rate != one)
            check.add(path, "the clearing currency's own rate must be 1 (or left out)");
    }

    const Rules& r = round.rules;
    check.decimal("rules.pricing.k", r.k, &zero, false, &one);
    check.decimal("rules.tick", r.tick, &zero, true, nullptr);
    if (r.max_origin_share) check.decimal("rules.max_origin_share", *r.max_origin_share, &zero, true, &one);
    for (std::size_t i = 0; i < r.excluded_origins.size(); ++i)
        if (!detail::is_upper_code(r.excluded_origins[i], 2))
            check.add("rules.excluded_origins[" + std::to_string(i) + "]",
                      detail::quoted(r.excluded_origins[i]) + " is not an ISO 3166 alpha-2 code");

    if (round.bids.size() + round.offers.size() > UINT32_MAX)
        check.add("", "a round holds at most 4294967295 orders");

    // Ids are unique across bids and offers; the first use is named. Paths
    // are only spelled out for problems: rounds hold millions of orders.
    auto order_path = [](bool bid, std::size_t i) {
        return std::string(bid ? "bids[" : "offers[") + std::to_string(i) + "]";
    };
    const std::size_t bid_count = round.bids.size();
    detail::FirstUse first_use(bid_count + round.offers.size(), [&](std::size_t k) -> std::string_view {
        return k < bid_count ? round.bids[k].id : round.offers[k - bid_count].id;
    });
    auto unique_id = [&](bool bid, std::size_t i, std::string_view id) {
        if (id.empty()) return check.add(order_path(bid, i) + ".id", "must not be empty");
        if (id.size() > max_id_bytes)
            check.add(order_path(bid, i) + ".id", "is " + std::to_string(id.size()) + " bytes long; an id has at most " +
                                                      std::to_string(max_id_bytes) + " bytes");
        const std::size_t first = first_use.insert(bid ? i : bid_count + i);
        if (first == bid_count + round.offers.size()) return;
        const bool first_bid = first < bid_count;
        check.add(order_path(bid, i) + ".id", "id " + detail::quoted(id) + " is already used by " +
                                                  order_path(first_bid, first_bid ? first : first - bid_count));
    };
    auto order_currency = [&](const std::string& path, const std::optional<Text>& c) {
        if (c) check.currency_code(path, *c);
    };
    auto plain = [](const Decimal& d) {
        return d.integer_digits() <= max_integer_digits && d.scale() <= max_fraction_digits;
    };
    auto lots_ok = [](std::int64_t lots, std::int64_t min_lots) {
        return lots >= 1 && lots <= max_order_lots && min_lots >= 0 && min_lots <= lots;
    };
    auto currency_ok = [](const std::optional<Text>& c) { return !c || detail::is_upper_code(*c, 3); };

    // Section 10: places exist only with logistics, and then every order has one.
    std::unordered_map<std::string_view, std::size_t> places;  // place -> first route naming it
    if (round.logistics) detail::validate_routes(round.logistics->routes, check, places);
    auto place_field = [&](bool bid, std::size_t i, const std::optional<Text>& place) {
        const char* field = bid ? ".delivery" : ".port";
        if (!round.logistics) {
            if (place)
                check.add(order_path(bid, i) + field,
                          "is only allowed in a round with logistics (section 10); without logistics.routes the "
                          "round clears in one place");
            return;
        }
        if (!place) return check.add(order_path(bid, i) + field, "is required in a round with logistics");
        if (!places.count(place->view()))
            check.add(order_path(bid, i) + field, detail::quoted(*place) + " is named by no route (a typo?)");
    };

    for (std::size_t k = 0; k < detail::id_look_ahead; ++k) first_use.expect(k);
    for (std::size_t i = 0; i < round.bids.size(); ++i) {
        const Bid& b = round.bids[i];
        first_use.expect(i + detail::id_look_ahead);
        unique_id(true, i, b.id);
        if (round.logistics || b.delivery) place_field(true, i, b.delivery);
        if (!b.buyer.empty() && !b.bloc.empty() && lots_ok(b.lots, b.min_lots) && plain(b.limit) &&
            b.limit.sign() > 0 && currency_ok(b.currency))
            continue;  // the common case: nothing to report
        const std::string p = order_path(true, i);
        check.non_empty(p + ".buyer", b.buyer);
        check.non_empty(p + ".bloc", b.bloc);
        check.lots(p, b.lots, b.min_lots);
        check.decimal(p + ".limit", b.limit, &zero, true, nullptr);
        order_currency(p + ".currency", b.currency);
    }
    for (std::size_t i = 0; i < round.offers.size(); ++i) {
        const Offer& o = round.offers[i];
        first_use.expect(bid_count + i + detail::id_look_ahead);
        unique_id(false, i, o.id);
        if (round.logistics || o.port) place_field(false, i, o.port);
        if (!o.supplier.empty() && detail::is_upper_code(o.origin, 2) && lots_ok(o.lots, o.min_lots) &&
            plain(o.ask) && o.ask.sign() >= 0 && currency_ok(o.currency))
            continue;
        const std::string p = order_path(false, i);
        check.non_empty(p + ".supplier", o.supplier);
        if (!detail::is_upper_code(o.origin, 2))
            check.add(p + ".origin", detail::quoted(o.origin) + " is not an ISO 3166 alpha-2 code");
        check.lots(p, o.lots, o.min_lots);
        check.decimal(p + ".ask", o.ask, &zero, false, nullptr);
        order_currency(p + ".currency", o.currency);
    }
}

}  // namespace jpclear
