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
    std::uint64_t max_orders = 100'000'000;  ///< bids + offers; routes are bounded by it on their own
    std::uint32_t max_depth = 64;            ///< JSON nesting
};

struct RoundRead {
    Problems problems;          ///< empty on success
    std::optional<Round> round; ///< present only when `problems` is empty
};

/// Where the lists come from: CSV files may replace the JSON lists of bids,
/// offers and routes (`logistics.routes`), and then the document need not
/// (and must not) carry them. With routes from CSV the document may leave
/// `logistics` out, or give it without `routes`.
struct OrderSources {
    bool bids_from_csv = false;
    bool offers_from_csv = false;
    bool routes_from_csv = false;
};

/// Parses a `jpclear.round/1` document, `logistics`, `delivery` and `port`
/// (spec 10) included. Syntax, type, unknown-field and missing-field problems
/// are reported here; value checks (places, duplicate routes, ...) are
/// validate()'s.
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
struct RoutesRead {
    Problems problems;
    std::vector<Route> routes;
};

/// CSV with a header row naming JSON fields (any order), empty cell = absent,
/// RFC 4180 quoting. `source` names the file in problem paths, which name the
/// row both ways: `bids[3].limit (bids.csv line 5)`. Bids may have a
/// `delivery` column, offers a `port` column (spec 10).
BidsRead read_bids_csv(std::string_view text, const std::string& source = "bids.csv", const ReadLimits& limits = {});
OffersRead read_offers_csv(std::string_view text, const std::string& source = "offers.csv",
                           const ReadLimits& limits = {});
/// Routes (spec 10) with columns from, to, freight, currency, capacity_lots;
/// problems are named like `logistics.routes[0].freight (routes.csv line 2)`.
/// At most limits.max_orders routes.
RoutesRead read_routes_csv(std::string_view text, const std::string& source = "routes.csv",
                           const ReadLimits& limits = {});

/// Reads a whole file within limits; nullopt and a problem when it cannot.
std::optional<std::string> read_text_file(const std::string& path, const ReadLimits& limits, Problems& problems);

/// The `jpclear.result/1` document, with a fixed key order and number format
/// so the same result always gives the same bytes. Everything written comes
/// from the Result: order ids from OrderResult::id, award ids through
/// Award::bid / Award::offer into Result::bids / Result::offers. With
/// `has_places`, `freight_cost`, `places` and `routes` (spec 10) are added;
/// without, the document is the version 1 document.
void write_result_json(std::ostream& out, const Result& result);
std::string result_json(const Result& result);

/// The same document; an order id the Result leaves empty is taken from the
/// round (OrderResult::order), the rest is as above.
void write_result_json(std::ostream& out, const Round& round, const Result& result);
std::string result_json(const Round& round, const Result& result);

/// A round as a `jpclear.round/1` document (used by `jpclear generate`),
/// with `delivery`, `port` and `logistics` when the round has them; it reads
/// back as the same round.
void write_round_json(std::ostream& out, const Round& round);

/// The tables of a result as CSV files for a spreadsheet (`jpclear clear
/// --csv-out DIR`): every order with its own fields and its outcome, awards
/// with buyer, bloc, supplier and origin, blocs and origins, and with places
/// (spec 10) places and routes.
enum class CsvTable { bids, offers, awards, blocs, origins, places, routes };

/// How the CSV looks: RFC 4180 with ',' and '.', or what Excel with a
/// European locale reads directly (';' and a decimal comma).
struct CsvStyle {
    char separator = ',';
    char decimal_mark = '.';
    static CsvStyle excel_eu() { return {';', ','}; }
};

/// The tables a result has: places and routes only with logistics.
std::vector<CsvTable> csv_tables(const Result& result);
/// "bids.csv", "awards.csv", ...
const char* csv_file_name(CsvTable table);
/// One table as CSV with a header row. Text cells are quoted when needed;
/// one that starts with = + - @ gets a leading ' so a spreadsheet shows it
/// as text instead of running it as a formula (CSV injection).
void write_result_csv(std::ostream& out, CsvTable table, const Round& round, const Result& result,
                      const CsvStyle& style = {});

/// What summary_table() shows beyond the totals.
struct SummaryOptions {
    bool orders = false;          ///< a table of orders: who, where from / to, filled, price, reason
    std::uint64_t order_rows = 50;  ///< at most this many rows per side (0: every order)
    std::string match;            ///< only orders whose id, buyer or supplier contains this (empty: all)
};

/// A short table for people: price, volume, per-bloc and per-origin totals
/// (with their surpluses), with places (spec 10) a table of places and one
/// of routes, and with `options.orders` the orders themselves.
std::string summary_table(const Round& round, const Result& result, const SummaryOptions& options = {});

}  // namespace jpclear
