#pragma once
// Demand and supply curves for pictures, from orders already on the tick grid.
//
// Orders at the same price are one level of the curve: adding them up is
// exact and loses nothing a picture can show. A round of 10^6 orders may still
// have 10^5 levels, more than a picture can hold, so beyond `max_buckets`
// consecutive levels are merged into buckets: the curve then runs straight
// between true corners of the exact staircase, which it never leaves by more
// than one bucket. All numbers stay whole ticks and lots.
//
// The curve is made in one pass over the orders in curve order
// (curve_in_order()), so a caller that can visit its orders in that order
// (say through a sorted index) never copies them; build_curve() sorts a list
// of its own first.

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
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

namespace detail {

// The second pass of curve_in_order(): orders in, pieces out, one bucket held.
class CurveSteps {
public:
    CurveSteps(std::size_t levels, std::size_t max_buckets);
    void add(const CurveOrder& order);
    Curve finish();

private:
    void close_bucket();

    Curve curve_;
    std::size_t per_bucket_;
    std::int64_t q_ = 0;
    // The bucket being filled.
    std::size_t bucket_levels_ = 0;
    std::int64_t first_price_ = 0, last_price_ = 0;
    std::int64_t bucket_lots_ = 0;
    // While the bucket has one level: its groups' runs, the exact pieces.
    std::vector<std::pair<std::uint32_t, std::int64_t>> runs_;
    // Once it has more: lots by group, for the merged piece's colour.
    std::map<std::uint32_t, std::int64_t> by_group_;
};

}  // namespace detail

/// The curve of the orders `visit` presents, already in curve order: best
/// price first (highest for demand, lowest for supply), within a level
/// groups ascending. `visit(f)` must call `f(const CurveOrder&)` for each
/// order, the same orders in the same order each time: it is called twice,
/// once to count the levels and once to draw them. Orders with no lots are
/// left out. At most `max_buckets` (>= 1) buckets.
template <class Visit>
Curve curve_in_order(Visit&& visit, std::size_t max_buckets) {
    std::size_t levels = 0;
    bool any = false;
    std::int64_t last = 0;
    visit([&](const CurveOrder& o) {
        if (o.lots <= 0) return;
        if (!any || o.price != last) ++levels;
        any = true;
        last = o.price;
    });
    detail::CurveSteps steps(levels, max_buckets);
    visit([&](const CurveOrder& o) { steps.add(o); });
    return steps.finish();
}

/// The curve of `orders` in any order: sorted best price first (so highest
/// first for demand, `descending`, and lowest first for supply), within a
/// level groups in index order, then as curve_in_order().
Curve build_curve(std::vector<CurveOrder> orders, bool descending, std::size_t max_buckets);

}  // namespace jpclear::report
