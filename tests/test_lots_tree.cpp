// LotsTree (clearing/lots_tree.h): the block search's per-node sums. Every
// answer is checked against a walk over the entries, after random changes.

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "jpclear/clearing/lots_tree.h"

namespace {

using jpclear::int128;
using jpclear::detail::LotsTree;

// The first `need` lots by walking the entries in order.
int128 walk(const std::vector<std::int64_t>& unit, const std::vector<std::int64_t>& held, std::int64_t need) {
    int128 value = 0;
    for (std::size_t k = 0; k < unit.size() && need > 0; ++k) {
        const std::int64_t take = std::min(need, held[k]);
        value += static_cast<int128>(unit[k]) * take;
        need -= take;
    }
    return value;
}

TEST(LotsTree, LeadingValueMatchesAWalkAfterRandomChanges) {
    std::mt19937_64 rng(20261202);
    for (int round = 0; round < 300; ++round) {
        const std::size_t n = rng() % 40;  // 0 entries too
        std::vector<std::int64_t> unit(n), held(n, 0);
        for (auto& u : unit) u = static_cast<std::int64_t>(rng() % 2001) - 1000;  // values a lot may be negative
        LotsTree tree;
        tree.assign(unit);
        for (int change = 0; change < 60; ++change) {
            if (n > 0) {
                const std::size_t k = rng() % n;
                held[k] = (rng() % 3 == 0) ? 0 : static_cast<std::int64_t>(rng() % 50);
                tree.set(k, held[k]);
            }
            std::int64_t total = 0;
            for (std::int64_t h : held) total += h;
            ASSERT_EQ(tree.total_lots(), total);
            for (std::int64_t need : {std::int64_t{-3}, std::int64_t{0}, std::int64_t{1}, total / 3, total / 2,
                                      total - 1, total, total + 7}) {
                ASSERT_TRUE(tree.leading_value(need) == walk(unit, held, need))
                    << "round " << round << ", change " << change << ", need " << need;
            }
        }
    }
}

TEST(LotsTree, EntriesHoldingNothingAreSkipped) {
    LotsTree tree;
    tree.assign({100, 90, 80, 70});
    tree.set(1, 5);
    tree.set(3, 5);
    // The first 7 lots: 5 at 90, then 2 at 70 (entries 0 and 2 hold nothing).
    EXPECT_TRUE(tree.leading_value(7) == 5 * 90 + 2 * 70);
    EXPECT_TRUE(tree.leading_value(10) == 5 * 90 + 5 * 70);
    EXPECT_TRUE(tree.leading_value(11) == 5 * 90 + 5 * 70);
    tree.set(1, 0);
    EXPECT_TRUE(tree.leading_value(3) == 3 * 70);
}

}  // namespace
