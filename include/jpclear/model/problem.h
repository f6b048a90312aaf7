#pragma once
// Problems found in a round: every one names the field it is about.

#include <string>
#include <vector>

namespace jpclear {

/// One thing wrong with the input, e.g. {"bids[3].limit", "\"12,5\" is not a decimal"}.
struct Problem {
    std::string path;     ///< field path: `bids[3].limit`, `rules.pricing.k`, empty for the document as a whole
    std::string message;  ///< what is wrong, in words a person can act on

    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
    friend bool operator==(const Problem&, const Problem&) = default;
};

using Problems = std::vector<Problem>;

}  // namespace jpclear
