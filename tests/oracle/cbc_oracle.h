#pragma once
// An independent oracle for the test suite: a round solved as a MIP by COIN-OR
// CBC, with the price-consistency rules of spec section 5 (4(a)-(c)) written
// with binary variables and big-M rows, blocks and origin caps included.
//
// It shares nothing with the clearing code but the OrderBook that prepare()
// builds (prices in ticks, lots), so agreement between the two is evidence
// that both read the spec the same way. Every solution CBC returns is rounded
// to integers and checked again in exact integer arithmetic
// (check_allocation()); a solution that fails the check is reported as a
// failure, never trusted.
//
// This header does not include any CBC header: only the oracle's .cpp files
// do, so tests that use the oracle need not see COIN-OR's include directories.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "jpclear/clearing/order_book.h"
#include "jpclear/model/decimal.h"
#include "oracle/oracle_common.h"  // to_string(int128)

namespace jpclear::oracle {

/// What check_allocation() finds about one allocation (fills in book order).
struct AllocationCheck {
    bool ok = false;
    std::string reason;  ///< the first rule broken; empty when ok
    int128 welfare = 0;  ///< sum P x - sum A y, tick-lots, exact
    std::int64_t volume = 0;
    /// The supporting prices [price_low, price_high] (ticks) when ok. With no
    /// binding order an end is the int64 limit; an empty book has no bound.
    std::int64_t price_low = std::numeric_limits<std::int64_t>::min();
    std::int64_t price_high = std::numeric_limits<std::int64_t>::max();
};

/// Checks rules 1-4 of spec section 5 exactly: bounds and minimum lots,
/// balance, the origin cap floor(s * V), and that a price meets 4(a)-(c).
/// Applied to V = 0 as well (the empty allocation must then admit a price).
AllocationCheck check_allocation(const OrderBook& book, const std::vector<std::int64_t>& bid_fill,
                                 const std::vector<std::int64_t>& offer_fill);

struct OracleResult {
    bool feasible = false;  ///< a verified allocation was found
    bool optimal = false;   ///< CBC proved both stages optimal (no limit hit)
    int128 welfare = 0;     ///< tick-lots: sum P x - sum A y over eligible orders
    std::int64_t volume = 0;
    std::vector<std::int64_t> bid_fill;    ///< per bid, book order
    std::vector<std::int64_t> offer_fill;  ///< per eligible offer, book order
    std::int64_t price_ticks = 0;          ///< the MIP's price p, inside [price_low, price_high]
    std::int64_t price_low = 0, price_high = 0;  ///< exact supporting interval of the allocation
    std::string failure;                   ///< why feasible is false or the result is suspect; empty when fine

    /// Welfare as decimal digits (gtest cannot print __int128).
    std::string welfare_string() const;
};

/// Solves `book` (with blocks and caps) lexicographically: maximum welfare,
/// then maximum volume. `time_limit_ms` bounds each of the two CBC runs in
/// wall-clock time; when it stops a run, `optimal` is false.
OracleResult solve_with_cbc(const OrderBook& book, std::int64_t time_limit_ms);

}  // namespace jpclear::oracle
