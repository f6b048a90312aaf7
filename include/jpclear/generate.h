#pragma once
// Synthetic rounds for tests, benches and demos (compiled).
//
// A lithium-carbonate round around a market price: EU and JP buyers (JP
// limits in JPY), offers from origins weighted like today's lithium supply,
// prices spread around the market, with ties. Same spec, same round.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jpclear/model/decimal.h"
#include "jpclear/model/round.h"

namespace jpclear {

/// One origin of a custom supply mix: its share of the offers is
/// weight / (sum of the weights).
struct OriginWeight {
    std::string origin;    ///< two upper-case letters (ISO 3166 alpha-2)
    std::uint32_t weight;  ///< > 0
};

struct GenerateSpec {
    std::uint64_t bids = 1000;
    std::uint64_t offers = 100;
    std::uint64_t seed = 1;
    std::uint32_t block_per_mille = 0;  ///< orders made blocks (min_lots > 0), per thousand
    bool origin_cap = false;   ///< set rules.max_origin_share = cap_share
    /// Delivery places and freight (spec 10): EU places (NL-RTM, DE-HAM), JP
    /// places (JP-YOK, JP-NGO), origin ports and a freight table with some
    /// lanes missing and some capacities; bids get a `delivery`, offers a `port`.
    bool places = false;
    Decimal cap_share = Decimal::from_units(65, 2);  ///< the cap origin_cap sets; 0 < s <= 1
    /// Where offers come from. Empty: today's mined lithium (Australia 37%,
    /// Chile 24%, China 18%, ...), under which a 0.65 cap never binds; see
    /// scenario_weights() for mixes where it does. With places, every origin
    /// must be one the freight table knows (known_origins()).
    std::vector<OriginWeight> origin_weights{};
};

/// The round of `spec`; throws std::invalid_argument when the spec is not
/// one it can make (an origin weight of 0, a code that is not two upper-case
/// letters, an origin without a port under `places`, a cap outside (0, 1]).
Round generate_round(const GenerateSpec& spec);

/// The named supply mixes (`jpclear generate --scenario`), with what each is.
struct Scenario {
    std::string_view name;
    std::string_view description;
};
std::vector<Scenario> scenarios();

/// The origin weights of a named scenario; nullopt for an unknown name.
std::optional<std::vector<OriginWeight>> scenario_weights(std::string_view name);

/// The origins the generator knows suppliers and ports for.
std::vector<std::string> known_origins();

}  // namespace jpclear
