#pragma once
// Lots in a fixed order, each entry with its own value per lot, and the
// question "what are the first `need` lots worth?": a Fenwick tree over the
// lots and their values, so that changing one entry and answering cost
// O(log n) each instead of a walk over every entry.
//
// The block search (block_search.h) asks this at every node: which open
// blocks' lots are worth least (the open-value bound), and which lots an
// origin cut at its cap keeps (the cheapest). Walking the blocks made a node
// cost O(blocks) (issue 12).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "jpclear/model/decimal.h"

namespace jpclear::detail {

class LotsTree {
public:
    /// Entries 0..n-1 in their order, with their value per lot; all hold 0 lots.
    void assign(std::vector<std::int64_t> unit_value) {
        unit_ = std::move(unit_value);
        const std::size_t n = unit_.size();
        held_.assign(n, 0);
        lots_.assign(n + 1, 0);
        value_.assign(n + 1, 0);
        total_lots_ = 0;
        total_value_ = 0;
        top_ = 1;
        while (top_ * 2 <= n) top_ *= 2;
    }

    std::size_t size() const { return unit_.size(); }

    /// Entry k now holds `lots` (>= 0).
    void set(std::size_t k, std::int64_t lots) {
        const std::int64_t delta = lots - held_[k];
        if (delta == 0) return;
        held_[k] = lots;
        const int128 delta_value = static_cast<int128>(unit_[k]) * delta;
        total_lots_ += delta;
        total_value_ += delta_value;
        for (std::size_t i = k + 1; i < lots_.size(); i += i & (~i + 1)) {
            lots_[i] += delta;
            value_[i] += delta_value;
        }
    }

    std::int64_t held(std::size_t k) const { return held_[k]; }
    std::int64_t total_lots() const { return total_lots_; }

    /// The value of the first `need` lots in order; of all of them when
    /// they are fewer. The last entry reached may give part of its lots.
    int128 leading_value(std::int64_t need) const {
        if (need <= 0) return 0;
        if (need >= total_lots_) return total_value_;
        // The longest prefix holding at most `need` lots; the entry after it
        // holds more than what is left, so it gives the rest.
        std::size_t pos = 0;
        std::int64_t lots = 0;
        int128 value = 0;
        for (std::size_t step = top_; step > 0; step /= 2) {
            const std::size_t next = pos + step;
            if (next < lots_.size() && lots + lots_[next] <= need) {
                pos = next;
                lots += lots_[next];
                value += value_[next];
            }
        }
        return value + static_cast<int128>(unit_[pos]) * (need - lots);
    }

private:
    std::vector<std::int64_t> unit_;   // value per lot, per entry
    std::vector<std::int64_t> held_;   // lots per entry
    std::vector<std::int64_t> lots_;   // Fenwick sums, 1-based
    std::vector<int128> value_;        // Fenwick sums of unit * lots, 1-based
    std::int64_t total_lots_ = 0;
    int128 total_value_ = 0;
    std::size_t top_ = 1;              // the largest power of two <= n
};

}  // namespace jpclear::detail
