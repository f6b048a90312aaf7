#pragma once
// Demand and supply curves for pictures, from orders already on the tick grid.
//
// Orders at the same price are one level of the curve: adding them up is
// exact and loses nothing a picture can show. A round of 10^6 orders may still
// have 10^5 levels, more than a picture can hold, so beyond `max_buckets`
// consecutive levels are merged into buckets: the curve then runs straight
// between true corners of the exact staircase, which it never leaves by more
// than one bucket. All numbers stay whole ticks and lots.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jpclear::report {

/// One order's contribution: `lots` at `price` ticks, in `group` (a bloc or an origin index).
struct CurveOrder {
    std::int64_t price = 0;
    std::int64_t lots = 0;
    std::uint32_t group = 0;
};

/// A stretch of the curve: cumulative lots q0..q1 at prices p0..p1 (p0 == p1
/// on an exact step), all of one group, or of the group with most lots in a
/// merged bucket (ties: the lower group).
struct CurvePiece {
    std::int64_t q0 = 0, q1 = 0;
    std::int64_t p0 = 0, p1 = 0;
    std::uint32_t group = 0;
};

struct Curve {
    std::vector<CurvePiece> pieces;  ///< in curve order, each starting where the last ended
    std::size_t levels = 0;          ///< distinct prices
    std::size_t buckets = 0;         ///< drawn stretches; == levels when exact
    bool exact() const { return buckets == levels; }
    std::int64_t total_lots() const { return pieces.empty() ? 0 : pieces.back().q1; }
};

/// The curve of `orders`: best price first, so highest first for demand
/// (`descending`) and lowest first for supply; within a level, groups in
/// index order. Orders with no lots are left out. At most `max_buckets`
/// (>= 1) buckets.
Curve build_curve(std::vector<CurveOrder> orders, bool descending, std::size_t max_buckets);

}  // namespace jpclear::report
