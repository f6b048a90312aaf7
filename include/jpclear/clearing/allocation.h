#pragma once
// An allocation: how many lots each bid buys and each eligible offer sells.

#include <cstdint>
#include <vector>

namespace jpclear {

struct Allocation {
    std::vector<std::int64_t> bid_fill;    ///< x_b, per bid in input order
    std::vector<std::int64_t> offer_fill;  ///< y_o, per eligible offer in book order
    std::int64_t volume = 0;               ///< V = sum x_b = sum y_o
};

}  // namespace jpclear
