#pragma once
// Pro-rata sharing of a group's lots (spec section 5).
//
// Orders at the same converted price share the lots their group receives in
// proportion to their size: each gets the floor of its exact share, and the
// lots left (fewer than the group has members) go one each to the largest
// remainders, equal remainders to the smaller id in byte order. Exact: shares
// are computed in 128 bits. O(g) expected for a group of g orders.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "jpclear/model/decimal.h"

namespace jpclear::detail {

struct Remainder {
    int128 value;
    std::uint32_t order;
};

/// Adds each member's share of `total` to `fill[member]`.
inline void share_pro_rata(std::span<const std::uint32_t> group, const std::int64_t* lots,
                           std::span<const std::string_view> ids, std::int64_t total, std::int64_t* fill,
                           std::vector<Remainder>& scratch) {
    if (group.empty() || total <= 0) return;
    int128 group_lots = 0;
    for (std::uint32_t i : group) group_lots += lots[i];
    scratch.clear();
    scratch.reserve(group.size());
    std::int64_t given = 0;
    for (std::uint32_t i : group) {
        int128 exact = static_cast<int128>(total) * lots[i];
        auto share = static_cast<std::int64_t>(exact / group_lots);
        fill[i] += share;
        given += share;
        scratch.push_back({exact % group_lots, i});
    }
    auto left = static_cast<std::size_t>(total - given);
    if (left == 0) return;
    auto larger_first = [&](const Remainder& a, const Remainder& b) {
        if (a.value != b.value) return a.value > b.value;
        return ids[a.order] < ids[b.order];
    };
    if (left < scratch.size())
        std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(left), scratch.end(),
                         larger_first);
    for (std::size_t k = 0; k < left; ++k) fill[scratch[k].order] += 1;
}

}  // namespace jpclear::detail
