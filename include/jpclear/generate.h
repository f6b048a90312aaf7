#pragma once
// Synthetic rounds for tests, benches and demos (compiled).
//
// A lithium-carbonate round around a market price: EU and JP buyers (JP
// limits in JPY), offers from origins weighted like today's lithium supply,
// prices spread around the market, with ties. Same spec, same round.

#include <cstdint>

#include "jpclear/model/round.h"

namespace jpclear {

struct GenerateSpec {
    std::uint64_t bids = 1000;
    std::uint64_t offers = 100;
    std::uint64_t seed = 1;
    std::uint32_t block_per_mille = 0;  ///< orders made blocks (min_lots > 0), per thousand
    bool origin_cap = false;   ///< set rules.max_origin_share = 0.65
    /// Delivery places and freight (spec 10): EU places (NL-RTM, DE-HAM), JP
    /// places (JP-YOK, JP-NGO), origin ports and a freight table with some
    /// lanes missing and some capacities; bids get a `delivery`, offers a `port`.
    bool places = false;
};

Round generate_round(const GenerateSpec& spec);

}  // namespace jpclear
