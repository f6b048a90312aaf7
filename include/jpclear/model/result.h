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
#include "jpclear/model/units.h"

namespace jpclear {

inline constexpr const char* result_format = "jpclear.result/1";

enum class RoundStatus { cleared, no_trade };
enum class Optimality { proven, limit };
enum class FillStatus { filled, partial, rejected, ineligible };

/// Why an order did not trade in full; the `reason` text says it in words.
enum class ReasonCode {
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

struct OrderResult {
    OrderIndex order;            ///< position in round.bids / round.offers
    std::string id;              ///< the order's id, so a Result needs no Round to be written
    Lots filled;
    FillStatus status = FillStatus::rejected;
    std::optional<Decimal> price;  ///< per tonne paid or received; absent when nothing traded
    ReasonCode reason_code = ReasonCode::none;
    std::string reason;            ///< empty when filled
};

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
};

}  // namespace jpclear
