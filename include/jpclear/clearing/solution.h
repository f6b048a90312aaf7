#pragma once
// What solve() finds for a Market: the allocation, the lots on every route,
// and how sure the solver is of it.
//
// A Solution is plain numbers (lots, tick-lots) in the Market's order; the
// prices follow from it (clearing/support.h) and the Result is built from
// the Round, the Market and the Solution together (report/result_builder.h).

#include <cstdint>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/result.h"

namespace jpclear {

struct Solution {
    Allocation allocation;               ///< x_b per bid, y_o per eligible offer, V
    std::vector<std::int64_t> arc_flow;  ///< f_r per route (empty for a one-place round)
    Optimality optimality = Optimality::proven;
    int128 bound = 0;                    ///< best welfare bound (tick-lots); set by the searches, read under `limit`
    std::int64_t nodes = 0;              ///< branch-and-bound nodes visited
    std::int64_t prices = 0;             ///< candidate prices (one place) or cap values (places) searched
};

}  // namespace jpclear
