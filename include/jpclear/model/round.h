#pragma once
// The round as its owner wrote it (spec section 2), before any conversion.
//
// Fields keep the values given, even invalid ones (negative lots, k = 1.5), so
// that validate() can report every problem with its path; nothing here is
// trusted until validate() returns no problems.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/model/decimal.h"
#include "jpclear/model/text.h"

namespace jpclear {

inline constexpr const char* round_format = "jpclear.round/1";

// An order's strings are Texts (text.h): 16 bytes each, where a std::string
// took 32 (40 as std::optional). Bid is 136 bytes, Offer 144.
struct Bid {
    Text id;
    Text buyer;
    Text bloc;                     ///< e.g. "EU", "JP"
    std::int64_t lots = 0;         ///< 1 to 10^9
    std::int64_t min_lots = 0;     ///< 0: divisible; == lots: all-or-none
    Decimal limit;                 ///< most it pays per tonne, in `currency`
    std::optional<Text> currency;  ///< absent: the clearing currency
    std::optional<Text> delivery;  ///< place the lots are delivered to (spec 10); only with logistics
};

struct Offer {
    Text id;
    Text supplier;
    Text origin;  ///< ISO 3166 alpha-2
    std::int64_t lots = 0;
    std::int64_t min_lots = 0;
    Decimal ask;  ///< least it takes per tonne, in `currency`
    std::optional<Text> currency;
    bool certified = false;
    std::optional<Text> port;  ///< place the lots are loaded at (spec 10); only with logistics
};
static_assert(sizeof(Bid) <= 136 && sizeof(Offer) <= 144, "a round holds one per order: keep them small");

/// A way lots may move from one place to another (spec section 10).
struct Route {
    std::string from;
    std::string to;
    Decimal freight;                             ///< per tonne, in `currency`, >= 0
    std::optional<std::string> currency;         ///< absent: the clearing currency
    std::optional<std::int64_t> capacity_lots;   ///< 0 to 10^9; absent: no limit
};

/// Delivery places and freight (spec section 10). A round without it clears
/// in one place, as in version 1 of the format.
struct Logistics {
    std::vector<Route> routes;  ///< at least one
};

struct Material {
    std::string code;
    std::optional<std::string> name;
    Decimal lot_tonnes;
};

enum class PricingRule { uniform, pay_as_bid };

inline const char* to_string(PricingRule r) { return r == PricingRule::uniform ? "uniform" : "pay-as-bid"; }

struct Rules {
    PricingRule pricing = PricingRule::uniform;
    Decimal k = Decimal::from_units(5, 1);     ///< 0..1, place of the uniform price in its interval
    Decimal tick = Decimal::from_units(1, 2);  ///< price grid, > 0
    std::optional<Decimal> max_origin_share;   ///< 0 < s <= 1
    std::vector<std::string> excluded_origins;
    bool require_certified = false;
};

struct Round {
    std::string format = round_format;
    std::string id;        ///< the `round` field
    Material material;
    std::string currency;  ///< clearing currency
    std::map<std::string, Decimal> fx;  ///< value of one unit of each other currency
    Rules rules;
    std::vector<Bid> bids;
    std::vector<Offer> offers;
    std::optional<Logistics> logistics;
};

}  // namespace jpclear
