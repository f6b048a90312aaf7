#pragma once
// The pictures of a cleared round, as inline SVG: the pooled demand and
// supply curves, totals per bloc, and shares per origin against the cap.
// Used by the HTML report; each returns one "<svg>...</svg>" document.

#include <cstddef>
#include <string>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"

namespace jpclear::report {

struct CurvesPicture {
    std::string svg;
    std::vector<std::string> notes;  ///< what a reader must know to read it right (plain text)
};

/// Demand by bloc and pooled, supply by origin (eligible offers only), in the
/// clearing currency on the tick grid as `market` (prepare(round)) has them,
/// with the cleared volume and the price marked. At most `max_steps` drawn
/// steps a curve (see curves.h).
CurvesPicture curves_picture(const Round& round, const Market& market, const Result& result, std::size_t max_steps);

/// Requested and filled lots, cost and buyer surplus, one group per bloc.
std::string blocs_picture(const Result& result);

/// Each origin's share of the cleared lots, against max_origin_share when
/// set, and its suppliers' surplus.
std::string origins_picture(const Result& result);

}  // namespace jpclear::report
