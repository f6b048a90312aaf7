// The curve pass and build_curve(): see curves.h.

#include "report/curves.h"

#include <algorithm>

namespace jpclear::report {

namespace detail {

CurveSteps::CurveSteps(std::size_t levels, std::size_t max_buckets) {
    curve_.levels = levels;
    max_buckets = std::max<std::size_t>(max_buckets, 1);
    per_bucket_ = std::max<std::size_t>((levels + max_buckets - 1) / max_buckets, 1);
}

void CurveSteps::add(const CurveOrder& order) {
    if (order.lots <= 0) return;
    const bool new_level = bucket_levels_ == 0 || order.price != last_price_;
    if (new_level && bucket_levels_ == per_bucket_) close_bucket();
    if (new_level) {
        if (bucket_levels_ == 0) first_price_ = order.price;
        ++bucket_levels_;
        if (bucket_levels_ == 2) {
            // A merged bucket from here on: only the lots by group matter now.
            for (const auto& [group, lots] : runs_) by_group_[group] += lots;
            runs_.clear();
        }
        last_price_ = order.price;
    }
    bucket_lots_ += order.lots;
    if (bucket_levels_ > 1)
        by_group_[order.group] += order.lots;
    else if (!runs_.empty() && runs_.back().first == order.group)
        runs_.back().second += order.lots;
    else
        runs_.emplace_back(order.group, order.lots);
}

void CurveSteps::close_bucket() {
    ++curve_.buckets;
    if (bucket_levels_ == 1) {
        // Exact: one piece per run of a group, in order (groups ascending within the level).
        for (const auto& [group, lots] : runs_) {
            curve_.pieces.push_back({q_, q_ + lots, first_price_, first_price_, group});
            q_ += lots;
        }
    } else {
        CurvePiece piece{q_, q_ + bucket_lots_, first_price_, last_price_, 0};
        std::int64_t most = -1;
        for (const auto& [group, lots] : by_group_)
            if (lots > most) most = lots, piece.group = group;
        curve_.pieces.push_back(piece);
        q_ += bucket_lots_;
    }
    bucket_levels_ = 0;
    bucket_lots_ = 0;
    runs_.clear();
    by_group_.clear();
}

Curve CurveSteps::finish() {
    if (bucket_levels_ > 0) close_bucket();
    return std::move(curve_);
}

}  // namespace detail

Curve build_curve(std::vector<CurveOrder> orders, bool descending, std::size_t max_buckets) {
    std::sort(orders.begin(), orders.end(), [&](const CurveOrder& a, const CurveOrder& b) {
        if (a.price != b.price) return descending ? a.price > b.price : a.price < b.price;
        return a.group < b.group;
    });
    return curve_in_order(
        [&](auto&& f) {
            for (const CurveOrder& o : orders) f(o);
        },
        max_buckets);
}

}  // namespace jpclear::report
