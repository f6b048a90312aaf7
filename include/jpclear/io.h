#pragma once
// Reading rounds and writing results (compiled: link jpclear::jpclear).
//
// Readers report every problem they find with the path of its field and give
// no round at all when there is any: a caller never sees half an input.
// Decimals are taken from their text; binary floating point is never used.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jpclear/clear.h"
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

/// How the CSV readers treat what spreadsheets add to a file (docs/cli.md,
/// "CSV inputs").
struct CsvOptions {
    /// Columns to skip, by their exact header text, besides those whose name
    /// starts with `x-` (always skipped). A column the list reads (`limit`)
    /// cannot be skipped: naming one is a problem of the header.
    std::vector<std::string> ignore_columns;
    /// Keep every row even when there are problems: a row keeps the cells
    /// that could be read, and CsvFile::unread lists those that could not,
    /// so that the values of the rest can still be checked in the same run
    /// (merge_csv_problems()). Off, any problem means no rows at all.
    bool keep_rows = false;
};

/// What a CSV reader knows about a file beyond its rows: where each row
/// starts, and which cells gave no value. Value problems found later
/// (validate()) are named and filtered with it: csv_path(), merge_csv_problems().
struct CsvFile {
    std::string source;  ///< the file's name as given to the reader
    std::string list;    ///< what its rows stand for: "bids", "offers" or "logistics.routes"
    /// The file was read to its end under a usable header, so the list has
    /// every row of it (some rows may still be broken, see `unread`). False
    /// when the whole file failed: too large, no or broken header, too many rows.
    bool complete = false;
    std::size_t rows = 0;  ///< data rows read (blank lines are not rows)
    /// Required columns the header lacks: no row has a value there.
    std::vector<std::string> missing_columns;
    /// Cells that gave no value (unreadable, or required and empty), in row
    /// order, as (row, column); an empty column stands for the whole row (a
    /// wrong number of cells, broken quoting).
    std::vector<std::pair<std::size_t, std::string>> unread;
    /// (row, line) for the first row and for every row that does not start
    /// on the line after the previous row's start (blank lines, line breaks
    /// inside quotes): enough to give every row its line (line_of()).
    std::vector<std::pair<std::size_t, std::size_t>> line_marks;

    /// The line (from 1, as an editor counts) on which data row `row` starts.
    std::size_t line_of(std::size_t row) const;
};

struct BidsRead {
    Problems problems;
    std::vector<Bid> bids;
    /// Read as meant, but said: a file separated by ';', decimal commas,
    /// codes written with spaces or in lower case (`bids.csv: ...`).
    Problems warnings = {};
    CsvFile file = {};
};
struct OffersRead {
    Problems problems;
    std::vector<Offer> offers;
    Problems warnings = {};
    CsvFile file = {};
};
struct RoutesRead {
    Problems problems;
    std::vector<Route> routes;
    Problems warnings = {};
    CsvFile file = {};
};

/// CSV with a header row naming JSON fields (any order), empty cell = absent,
/// RFC 4180 quoting. `source` names the file in problem paths, which name the
/// row both ways, and its id when the row has a readable one:
/// `bids[3].limit (bids.csv line 5, id eu-17)`. Bids may have a `delivery`
/// column, offers a `port` column (spec 10).
///
/// What spreadsheets write is read where its meaning is certain, with a
/// warning: a file whose header is separated by ';' is read with ';'
/// separators, and decimals with a comma in such a file (`12,5`) are read
/// exactly as 12.5 when the file's decimal mark is certain; bloc, origin and
/// currency codes with surrounding spaces or in lower case are read trimmed
/// and in upper case. Anything ambiguous (`14.500` in a ';' file that writes
/// no other decimal) is a problem saying what to write instead.
BidsRead read_bids_csv(std::string_view text, const std::string& source = "bids.csv", const ReadLimits& limits = {},
                       const CsvOptions& options = {});
OffersRead read_offers_csv(std::string_view text, const std::string& source = "offers.csv",
                           const ReadLimits& limits = {}, const CsvOptions& options = {});
/// Routes (spec 10) with columns from, to, freight, currency, capacity_lots;
/// problems are named like `logistics.routes[0].freight (routes.csv line 2)`.
/// At most limits.max_orders routes.
RoutesRead read_routes_csv(std::string_view text, const std::string& source = "routes.csv",
                           const ReadLimits& limits = {}, const CsvOptions& options = {});

/// `path` as the CSV readers name a row's fields when its list came from one
/// of `files`: `bids[3].limit` becomes `bids[3].limit (bids.csv line 5, id eu-17)`
/// (the id from `round`, when the row has one). Other paths come back as they are.
std::string csv_path(const std::string& path, const Round& round, const std::vector<const CsvFile*>& files);

/// One report of everything wrong with a round whose lists came (in part)
/// from CSV files read with CsvOptions::keep_rows: the readers' problems
/// (`reading`, with the JSON document's) and the value problems `values`
/// (validate(), or validate_fields() when there is no document) of the rows
/// that were read, named by csv_path(). A value problem that only repeats a
/// reading problem is dropped: the limit 0 that stands in for an unreadable
/// "12,5", any problem of a row that could not be read, anything about a
/// list whose file could not be read, and the place checks (`delivery`,
/// `port`) while not every route is known. Problems outside the CSV lists
/// come first, as given; then each file's, header first, then row by row.
Problems merge_csv_problems(Problems reading, Problems values, const Round& round,
                            const std::vector<const CsvFile*>& files);

/// Reads a whole file within limits; nullopt and a problem when it cannot.
std::optional<std::string> read_text_file(const std::string& path, const ReadLimits& limits, Problems& problems);
/// Reads standard input whole, within limits (`jpclear clear -`); problems
/// name it `name`.
std::optional<std::string> read_standard_input(const ReadLimits& limits, Problems& problems,
                                               const std::string& name = "stdin");

/// How a result document is written. Its bytes never depend on it.
struct WriteOptions {
    /// Threads that make the order and award lines at once, the calling
    /// thread among them: 1 (the default) starts none; 0 takes as many as
    /// the machine has (std::thread::hardware_concurrency()). Lists of fewer
    /// than 2,048 lines are made by the calling thread alone. With more,
    /// blocks of 1,024 lines are made at once and written in order, at most
    /// three blocks per thread held at a time (about 0.5 MB a thread). Two
    /// threads write a 10^6-order result in about 0.55 of the time one takes
    /// (bench BM_WriteThreads). When a thread cannot be started, the calling
    /// thread does its share.
    unsigned threads = 1;
};

/// The `jpclear.result/1` document, with a fixed key order and number format
/// so the same result always gives the same bytes. Everything written comes
/// from the Result: order ids from OrderResult::id, award ids through
/// Award::bid / Award::offer into Result::bids / Result::offers. With
/// `has_places`, `freight_cost`, `places` and `routes` (spec 10) are added;
/// without, the document is the version 1 document.
void write_result_json(std::ostream& out, const Result& result, const WriteOptions& options = {});
std::string result_json(const Result& result, const WriteOptions& options = {});

/// The same document; an order id the Result leaves empty is taken from the
/// round (OrderResult::order), the rest is as above.
void write_result_json(std::ostream& out, const Round& round, const Result& result,
                       const WriteOptions& options = {});
std::string result_json(const Round& round, const Result& result, const WriteOptions& options = {});

/// The same document from a StreamedResult (clear.h) of `round`, each order
/// line made as it is written: the same bytes as from the Result clear()
/// gives, without holding the lines.
void write_result_json(std::ostream& out, const Round& round, const StreamedResult& result,
                       const WriteOptions& options = {});
std::string result_json(const Round& round, const StreamedResult& result, const WriteOptions& options = {});

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
/// The same table from a StreamedResult of `round`, each order line made as
/// it is written (`csv_tables(result.totals())` lists the tables).
void write_result_csv(std::ostream& out, CsvTable table, const Round& round, const StreamedResult& result,
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
/// The same table from a StreamedResult of `round`.
std::string summary_table(const Round& round, const StreamedResult& result, const SummaryOptions& options = {});

}  // namespace jpclear
