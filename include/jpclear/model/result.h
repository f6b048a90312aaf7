#pragma once
// The outcome of clearing a round (spec section 8), as typed values.
//
// Orders are listed in input order and refer back to the round by index; the
// JSON writer (io.h) turns this into the `jpclear.result/1` document.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/model/decimal.h"
#include "jpclear/model/reason.h"
#include "jpclear/model/text.h"
#include "jpclear/model/units.h"

namespace jpclear {

inline constexpr const char* result_format = "jpclear.result/1";

enum class RoundStatus { cleared, no_trade };
enum class Optimality { proven, limit };
enum class FillStatus : std::uint8_t { filled, partial, rejected, ineligible };

/// Why an order did not trade in full; reason_text() says it in words.
enum class ReasonCode : std::uint8_t {
    none,              ///< filled in full
    price_outside,     ///< its price is on the wrong side of the clearing price
    marginal_share,    ///< at the margin: got its pro-rata share of the last lots
    not_reached,       ///< at the price, but better-priced orders took every lot
    excluded_origin,   ///< offer's origin is in rules.excluded_origins
    not_certified,     ///< offer not certified while rules.require_certified
    block_not_placed,  ///< all-or-none / minimum volume that could not be placed
    origin_cap,        ///< its origin reached max_origin_share
    no_trade,          ///< nothing traded in the round
    route_full,        ///< its place's price is set by a full route (spec 10): the reason names it
};

inline const char* to_string(RoundStatus s) { return s == RoundStatus::cleared ? "cleared" : "no-trade"; }
inline const char* to_string(Optimality o) { return o == Optimality::proven ? "proven" : "limit"; }
inline const char* to_string(FillStatus s) {
    switch (s) {
        case FillStatus::filled: return "filled";
        case FillStatus::partial: return "partial";
        case FillStatus::rejected: return "rejected";
        case FillStatus::ineligible: return "ineligible";
    }
    return "?";
}
inline const char* to_string(ReasonCode r) {
    switch (r) {
        case ReasonCode::none: return "none";
        case ReasonCode::price_outside: return "price-outside";
        case ReasonCode::marginal_share: return "marginal-share";
        case ReasonCode::not_reached: return "not-reached";
        case ReasonCode::excluded_origin: return "excluded-origin";
        case ReasonCode::not_certified: return "not-certified";
        case ReasonCode::block_not_placed: return "block-not-placed";
        case ReasonCode::origin_cap: return "origin-cap";
        case ReasonCode::no_trade: return "no-trade";
        case ReasonCode::route_full: return "route-full";
    }
    return "?";
}

// The fields are declared widest first: a Result holds one of these per order,
// and in the order of their meaning (index, id, fill, price, reason) padding
// made it 144 bytes instead of 128. With the packed Decimal (decimal.h) and
// one-byte enums it is 104.
struct OrderResult {
    std::optional<Decimal> price;  ///< per tonne paid or received; absent when nothing traded
    Text id;                       ///< the order's id, so a Result needs no Round to be written
    Lots filled;
    Reason reason;                 ///< empty when filled; its words: reason_text(result, order)
    OrderIndex order;              ///< position in round.bids / round.offers
    FillStatus status = FillStatus::rejected;
    ReasonCode reason_code = ReasonCode::none;
};
static_assert(sizeof(OrderResult) <= 104, "an OrderResult is kept per order: keep it small");

struct Award {
    OrderIndex bid;    ///< index into Result::bids (= round.bids)
    OrderIndex offer;  ///< index into Result::offers (= round.offers)
    Lots lots;
    Decimal price;  ///< what the supplier receives per tonne
};

struct BlocTotals {
    std::int64_t bids = 0;
    Lots requested;
    Lots filled;
    Decimal cost;           ///< what the bloc's buyers pay in all
    Decimal buyer_surplus;  ///< sum of (limit - price paid) x tonnes over its bids; blocs add up to Result::buyer_surplus
};

struct OriginTotals {
    Lots lots;
    Decimal share;                   ///< lots / cleared lots, 6 decimals
    std::optional<Decimal> cap;      ///< rules.max_origin_share, when set
    std::optional<Lots> cap_lots;    ///< floor(cap * V)
    Decimal supplier_surplus;        ///< sum of (price received - ask) x tonnes; origins add up to Result::supplier_surplus
};

/// One place of a round with logistics (spec 10).
struct PlaceResult {
    std::optional<Decimal> price;                  ///< null where nothing trades
    std::optional<Decimal> price_low, price_high;  ///< [lo_q, hi_q] of the price lattice; null where nothing trades
    Lots bought;                                   ///< lots bought by bids delivered here
    Lots sold;                                     ///< lots sold by offers loaded here
};

/// One route of a round with logistics, in input order (spec 10).
struct RouteResult {
    std::string from, to;
    Lots lots;                       ///< f_r
    Decimal freight;                 ///< F_r per tonne, on the tick grid
    Decimal rent;                    ///< congestion rent per tonne; 0 unless the route is full
    std::optional<Lots> capacity;    ///< capacity_lots, when given
    bool full = false;               ///< carries its whole capacity (and some lots)
};

struct Result {
    std::string round;
    std::string currency;
    RoundStatus status = RoundStatus::no_trade;
    std::optional<Decimal> clearing_price;
    std::optional<Decimal> price_low, price_high;  ///< the price interval
    Lots cleared_lots;
    Decimal cleared_tonnes;
    Optimality optimality = Optimality::proven;
    std::optional<Decimal> bound;  ///< best welfare bound, when optimality is `limit`
    Decimal welfare, buyer_surplus, supplier_surplus, rounding_residual;
    std::vector<OrderResult> bids, offers;
    std::vector<Award> awards;
    std::map<std::string, BlocTotals> blocs;
    std::map<std::string, OriginTotals> origins;
    /// Section 10, present only for rounds with logistics: every place of the
    /// round (by id), every route in input order, and the round's freight.
    bool has_places = false;
    std::map<std::string, PlaceResult> places;
    std::vector<RouteResult> routes;
    Decimal freight_cost;
    int price_digits = 2;  ///< fraction digits of the tick, for writing prices
    ReasonFacts reason_facts;  ///< what the orders' reasons share (reason.h)
};

namespace detail {

inline void append_price_text(std::string& out, const Result& r, std::int64_t ticks) {
    (Decimal::integer(ticks) * r.reason_facts.tick).append_to(out, r.price_digits);
    out += ' ';
    out += r.currency;
    out += "/t";
}

}  // namespace detail

/// Appends the words of `reason`, a reason of one of `result`'s orders.
inline void append_reason_text(std::string& out, const Result& result, const Reason& reason) {
    const ReasonFacts& f = result.reason_facts;
    auto price = [&](std::int64_t ticks) { detail::append_price_text(out, result, ticks); };
    auto number = [&](std::int64_t n) { out += std::to_string(n); };
    const bool bid = reason.bid;
    switch (reason.text) {
        case ReasonText::none: return;
        case ReasonText::no_trade: out += bid ? f.no_trade_bid : f.no_trade_offer; return;
        case ReasonText::untraded_place: {
            const ReasonFacts::Place& pl = f.places[reason.where];
            out += bid ? "nothing was delivered to " : "nothing was loaded at ";
            out += pl.name;
            out += bid ? ": no offer could reach it within the limit " : ": no bid could be served from it at the ask ";
            price(reason.price);
            out += " once freight is paid";
            const std::string& ref = bid ? pl.bid_reference : pl.offer_reference;
            if (!ref.empty()) {
                out += bid ? " (the lowest price consistent with the other places is "
                           : " (the highest price consistent with the other places is ";
                out += ref;
                out += ')';
            }
            return;
        }
        case ReasonText::price_outside: {
            const ReasonFacts::Place& pl = f.places[reason.where];
            out += bid ? "limit " : "ask ";
            price(reason.price);
            out += bid ? " (converted to the tick grid) is below " : " (converted to the tick grid) is above ";
            out += pl.reference_name;
            out += ' ';
            out += bid ? pl.bid_reference : pl.offer_reference;
            out += bid ? pl.route_in : pl.route_out;
            return;
        }
        case ReasonText::block_not_placed:
        case ReasonText::block_cap_room: {
            out += "block not placed: its ";
            if (reason.part == reason.lots) {
                out += "all-or-none order of ";
                number(reason.lots);
                out += " lots";
            } else {
                out += "minimum of ";
                number(reason.part);
                out += reason.part == 1 ? " lot" : " lots";
            }
            // What it was set against: its origin's room under the cap (an
            // offer under a cap), the supply or demand left at its reference
            // (one place), or nothing known (with places: routes decide).
            std::int64_t left = -1;
            if (reason.text == ReasonText::block_cap_room) {
                left = f.origin_room[reason.where];
            } else {
                const ReasonFacts::Place& pl = f.places[reason.where];
                left = bid ? pl.supply_left : pl.demand_left;
            }
            auto what_was_left = [&](bool only) {
                if (reason.text == ReasonText::block_cap_room) {
                    out += "origin ";
                    out += f.origin_names[reason.where];
                    if (left == 0) {
                        out += " had no room left under its cap";
                    } else {
                        out += only ? " had only " : " had ";
                        number(left);
                        out += left == 1 ? " lot of room under its cap" : " lots of room under its cap";
                    }
                    out += f.origin_room_text[reason.where];
                    return;
                }
                const ReasonFacts::Place& pl = f.places[reason.where];
                if (left == 0) {
                    out += "no lots ";
                } else {
                    if (only) out += "only ";
                    number(left);
                    out += left == 1 ? " lot " : " lots ";
                }
                out += bid ? "of offers were left unsold at or below " : "of bids were left unfilled at or above ";
                out += pl.reference_name;
                out += ' ';
                out += bid ? pl.bid_reference : pl.offer_reference;
                if (bid && !f.origin_room.empty()) out += ", counting each origin only up to its room under the cap";
            };
            if (left >= 0 && left < reason.part) {
                out += " did not fit: ";
                what_was_left(true);
                return;
            }
            // At a limit the allocation is the best found, not an optimum: the
            // block may fit one the search did not reach.
            if (result.optimality == Optimality::limit)
                out += " was left out of the best allocation the search found before it stopped at its limit "
                       "(optimality limit: an optimum may place it; raise --node-limit / --time-limit-ms)";
            else
                out += " did not fit any welfare-maximal allocation that one uniform price supports "
                       "(a block may be rejected even when the price suits it)";
            if (left >= 0) {
                out += "; ";
                what_was_left(false);
            }
            return;
        }
        case ReasonText::not_reached:
        case ReasonText::rationed: {
            const ReasonFacts::Place& pl = f.places[reason.where];
            const bool reached = reason.text == ReasonText::rationed;
            out += reached ? "rationed at the margin: its price " : "not reached: its price ";
            price(reason.price);
            out += " equals ";
            out += pl.reference_name;
            if (!reached) {
                out += bid ? ", but higher bids took all the lots offered at that price"
                           : ", but cheaper offers covered all the demand at that price";
            } else {
                out += bid ? ", and the bids" : ", and the offers";
                out += " at that price shared the remaining lots pro rata to size (got ";
                number(reason.part);
                out += " of ";
                number(reason.lots);
                out += ')';
            }
            out += bid ? pl.route_in : pl.route_out;
            return;
        }
        case ReasonText::excluded_origin:
            out += "ineligible: origin ";
            out += f.excluded[reason.where];
            out += " is in rules.excluded_origins";
            return;
        case ReasonText::not_certified:
            out += "ineligible: the offer is not certified and rules.require_certified is true";
            return;
        case ReasonText::origin_cap:
            out += f.origin_cap[reason.where];
            out += " (got ";
            number(reason.part);
            out += " of ";
            number(reason.lots);
            out += ')';
            return;
        case ReasonText::written: out += f.written[reason.where]; return;
    }
}

/// The words of `order`'s reason (empty when it filled in full); `result`
/// is the Result that holds the order.
inline std::string reason_text(const Result& result, const OrderResult& order) {
    std::string out;
    append_reason_text(out, result, order.reason);
    return out;
}

/// A reason that says `text` as it is, for Results put together by hand
/// (the text is kept in `result`).
inline Reason written_reason(Result& result, std::string text) {
    Reason reason;
    if (text.empty()) return reason;
    reason.text = ReasonText::written;
    reason.where = static_cast<std::uint32_t>(result.reason_facts.written.size());
    result.reason_facts.written.push_back(std::move(text));
    return reason;
}

}  // namespace jpclear
