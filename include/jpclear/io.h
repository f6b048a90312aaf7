#pragma once
// Reading rounds and writing results (compiled: link jpclear::jpclear).
//
// Readers report every problem they find with the path of its field and give
// no round at all when there is any: a caller never sees half an input.
// Decimals are taken from their text; binary floating point is never used.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jpclear/model/problem.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"

namespace jpclear {

/// Limits on what the readers accept, so hostile input fails cleanly.
struct ReadLimits {
    std::uint64_t max_bytes = 4ull << 30;     ///< size of one file
    std::uint64_t max_orders = 100'000'000;  ///< bids + offers
    std::uint32_t max_depth = 64;            ///< JSON nesting
};

struct RoundRead {
    Problems problems;          ///< empty on success
    std::optional<Round> round; ///< present only when `problems` is empty
};

/// Where the order lists come from: CSV files may replace the JSON lists, and
/// then the document need not (and must not) carry them.
struct OrderSources {
    bool bids_from_csv = false;
    bool offers_from_csv = false;
};

/// Parses a `jpclear.round/1` document. Syntax, type, unknown-field and
/// missing-field problems are reported here; value checks are validate()'s.
RoundRead read_round_json(std::string_view text, const ReadLimits& limits = {}, const OrderSources& sources = {});

/// Reads `path` whole (within limits.max_bytes) and parses it.
RoundRead read_round_file(const std::string& path, const ReadLimits& limits = {},
                          const OrderSources& sources = {});

struct BidsRead {
    Problems problems;
    std::vector<Bid> bids;
};
struct OffersRead {
    Problems problems;
    std::vector<Offer> offers;
};

/// CSV with a header row naming JSON fields (any order), empty cell = absent,
/// RFC 4180 quoting. `source` names the file in problem paths.
BidsRead read_bids_csv(std::string_view text, const std::string& source = "bids.csv", const ReadLimits& limits = {});
OffersRead read_offers_csv(std::string_view text, const std::string& source = "offers.csv",
                           const ReadLimits& limits = {});

/// Reads a whole file within limits; nullopt and a problem when it cannot.
std::optional<std::string> read_text_file(const std::string& path, const ReadLimits& limits, Problems& problems);

/// The `jpclear.result/1` document, with a fixed key order and number format
/// so the same result always gives the same bytes.
void write_result_json(std::ostream& out, const Round& round, const Result& result);
std::string result_json(const Round& round, const Result& result);

/// A round as a `jpclear.round/1` document (used by `jpclear generate`).
void write_round_json(std::ostream& out, const Round& round);

/// A short table for people: price, volume, per-bloc and per-origin totals.
std::string summary_table(const Round& round, const Result& result);

}  // namespace jpclear
