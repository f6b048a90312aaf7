#pragma once
// An independent oracle for rounds with delivery places (spec section 10): the
// round solved as a MIP by COIN-OR CBC, with one price variable per place and
// the price-consistency rules 4(a)-(d) written with binary variables and
// big-M rows; blocks and origin caps included.
//
// Like cbc_oracle.h it shares nothing with the clearing code but the Market
// that prepare() builds (prices and freight in ticks, lots, the network of
// nodes and arcs). Every solution CBC returns is rounded to integers and
// checked again in exact integer arithmetic (check_places_allocation()); a
// solution that fails the check is reported as a failure, never trusted.
//
// This header does not include any CBC header: only the oracle's .cpp files do.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/model/decimal.h"
#include "oracle/oracle_common.h"  // to_string(int128)

namespace jpclear::oracle {

/// What check_places_allocation() finds about one allocation.
struct PlacesCheck {
    bool ok = false;
    std::string reason;  ///< the first rule broken; empty when ok
    int128 welfare = 0;  ///< sum P x - sum A y - sum F f, tick-lots, exact
    std::int64_t volume = 0;
    /// Per node (Market::nodes order), when ok: the lowest and highest price
    /// (ticks) of that place over the lattice of price vectors meeting
    /// 4(a)-(d); nullopt where the lattice is unbounded on that side.
    std::vector<std::optional<std::int64_t>> price_low, price_high;
    std::vector<bool> traded;         ///< per node: some order at it trades
    std::vector<bool> origin_at_cap;  ///< per origin: sells floor(s V) (only with a cap)
};

/// Checks the rules of spec section 10 exactly for fills in market order
/// (bids, eligible offers, arcs): rule 1 (bounds and minimum lots), rule 2
/// (balance at every place, 0 <= f_r <= capacity), rule 3 (the origin cap
/// floor(s V)), and that some vector of place prices meets 4(a)-(d), found by
/// Bellman-Ford on the difference constraints. Applied to V = 0 as well.
PlacesCheck check_places_allocation(const Market& market, const std::vector<std::int64_t>& bid_fill,
                                    const std::vector<std::int64_t>& offer_fill,
                                    const std::vector<std::int64_t>& arc_flow);

struct PlacesOracleResult {
    bool feasible = false;    ///< a verified allocation was found
    bool optimal = false;     ///< CBC proved both stages optimal (no limit hit)
    bool infeasible = false;  ///< CBC proved that no allocation meets the rules
    int128 welfare = 0;       ///< tick-lots: sum P x - sum A y - sum F f
    std::int64_t volume = 0;
    std::vector<std::int64_t> bid_fill;    ///< per bid, market order
    std::vector<std::int64_t> offer_fill;  ///< per eligible offer, market order
    std::vector<std::int64_t> arc_flow;    ///< per arc (route, input order)
    std::vector<std::int64_t> place_price;  ///< the MIP's p_q per node, ticks, inside the lattice
    /// The exact lattice of the allocation, per node (see PlacesCheck).
    std::vector<std::optional<std::int64_t>> price_low, price_high;
    std::string failure;  ///< why feasible is false or the result is suspect; empty when fine

    /// Welfare as decimal digits (gtest cannot print __int128).
    std::string welfare_string() const;
};

/// Solves `market` (a round with places; blocks and caps allowed)
/// lexicographically: maximum welfare, then maximum V. `time_limit_ms`
/// bounds each of the two CBC runs in wall-clock time; when it stops a run,
/// `optimal` is false.
PlacesOracleResult solve_places_with_cbc(const Market& market, std::int64_t time_limit_ms);

}  // namespace jpclear::oracle
