// Bids, offers and routes as CSV (spec sections 2 and 10): a header row of
// JSON field names in any order, empty cells meaning absent, RFC 4180 quoting.
//
// The reader only turns text into the model. Values that are representable
// but invalid (lots = -5, limit = 0, 13 integer digits) are kept as written so
// that validate_fields() reports them with the rest of the round; what is
// reported here is what the model cannot hold at all. Every problem is
// reported, and any problem means no orders.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "jpclear/io.h"
#include "jpclear/model/validate.h"
#include "io/text.h"

namespace jpclear {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool ends_cell(char c) { return c == ',' || c == '\n' || c == '\r'; }

// A lone CR is taken as a line end like LF and CRLF, so that line numbers in
// problems match what an editor shows for any of the three conventions.
std::size_t count_line_breaks(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n')
            ++n;
        else if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))
            ++n;
    }
    return n;
}

using io_detail::shown;

// One record's cells. Cells are kept as offsets, not views: a quoted cell with
// doubled quotes is rebuilt in `scratch_`, which may move while it grows.
class CsvRecord {
public:
    struct Issue {
        std::size_t cell;     // 0-based
        std::string message;  // a predicate: "has text after its closing quote"
    };

    std::size_t line = 0;  // physical line where the record starts
    std::vector<Issue> issues;

    std::size_t size() const { return cells_.size(); }

    std::string_view cell(std::size_t i) const {
        const Span& s = cells_[i];
        std::string_view from = s.rebuilt ? std::string_view(scratch_) : text_;
        return from.substr(s.begin, s.length);
    }

    // An empty physical line; a lone `""` is a record with one empty cell.
    bool blank() const { return cells_.size() == 1 && !cells_[0].quoted && cells_[0].length == 0 && issues.empty(); }

private:
    friend class CsvScanner;

    struct Span {
        std::size_t begin;
        std::size_t length;
        bool quoted;
        bool rebuilt;  // in scratch_ rather than in the text
    };

    void reset(std::string_view text, std::size_t start_line) {
        text_ = text;
        line = start_line;
        cells_.clear();
        scratch_.clear();
        issues.clear();
    }

    std::string_view text_;
    std::vector<Span> cells_;
    std::string scratch_;
};

// Splits the text into records in one pass. It never fails: malformed quoting
// becomes an issue of the record, and scanning resumes at the next delimiter
// so the rows after it are still checked.
class CsvScanner {
public:
    explicit CsvScanner(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ >= text_.size(); }

    void read(CsvRecord& record) {
        record.reset(text_, line_);
        for (;;) {
            if (pos_ < text_.size() && text_[pos_] == '"')
                read_quoted(record);
            else
                read_plain(record);
            if (pos_ >= text_.size()) return;
            if (text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            take_line_end();
            return;
        }
    }

private:
    void read_plain(CsvRecord& r) {
        const std::size_t begin = pos_;
        bool stray_quote = false;
        for (; pos_ < text_.size() && !ends_cell(text_[pos_]); ++pos_)
            if (text_[pos_] == '"') stray_quote = true;
        if (stray_quote)
            r.issues.push_back(
                {r.cells_.size(), "has a quote inside an unquoted cell (quote the whole cell and double the quote)"});
        r.cells_.push_back({begin, pos_ - begin, false, false});
    }

    void read_quoted(CsvRecord& r) {
        const std::size_t cell = r.cells_.size();
        const std::size_t open_line = line_;
        ++pos_;
        std::size_t segment = pos_;
        bool rebuilt = false;
        std::size_t rebuilt_begin = 0;
        for (;;) {
            const std::size_t quote = text_.find('"', pos_);
            if (quote == std::string_view::npos) {
                line_ += count_line_breaks(text_.substr(pos_));
                pos_ = text_.size();
                r.issues.push_back(
                    {cell, "has a quote opened on line " + std::to_string(open_line) + " that is never closed"});
                r.cells_.push_back({segment, 0, true, false});
                return;
            }
            line_ += count_line_breaks(text_.substr(pos_, quote - pos_));
            if (quote + 1 < text_.size() && text_[quote + 1] == '"') {
                // Only cells with doubled quotes pay for a copy.
                if (!rebuilt) {
                    rebuilt = true;
                    rebuilt_begin = r.scratch_.size();
                }
                r.scratch_.append(text_.substr(segment, quote + 1 - segment));
                pos_ = quote + 2;
                segment = pos_;
                continue;
            }
            if (rebuilt) {
                r.scratch_.append(text_.substr(segment, quote - segment));
                r.cells_.push_back({rebuilt_begin, r.scratch_.size() - rebuilt_begin, true, true});
            } else {
                r.cells_.push_back({segment, quote - segment, true, false});
            }
            pos_ = quote + 1;
            if (pos_ < text_.size() && !ends_cell(text_[pos_])) {
                r.issues.push_back({cell, "has text after its closing quote"});
                while (pos_ < text_.size() && !ends_cell(text_[pos_])) ++pos_;
            }
            return;
        }
    }

    // Called at a CR or LF: CRLF, LF and a lone CR each end one line.
    void take_line_end() {
        if (text_[pos_++] == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

// Which model field a column fills; bids and offers share the shape, so the
// names differ (buyer / supplier, delivery / port) but the handling does not.
// Routes have fields of their own.
enum class Field { id, party, group, lots, min_lots, price, currency, certified, place, from, to, freight, capacity };

struct Column {
    std::string_view name;
    Field field;
    bool required;
};

constexpr Column bid_columns[] = {
    {"id", Field::id, true},
    {"buyer", Field::party, true},
    {"bloc", Field::group, true},
    {"lots", Field::lots, true},
    {"min_lots", Field::min_lots, false},
    {"limit", Field::price, true},
    {"currency", Field::currency, false},
    {"delivery", Field::place, false},
};

constexpr Column offer_columns[] = {
    {"id", Field::id, true},
    {"supplier", Field::party, true},
    {"origin", Field::group, true},
    {"lots", Field::lots, true},
    {"min_lots", Field::min_lots, false},
    {"ask", Field::price, true},
    {"currency", Field::currency, false},
    {"certified", Field::certified, false},
    {"port", Field::place, false},
};

constexpr Column route_columns[] = {
    {"from", Field::from, true},
    {"to", Field::to, true},
    {"freight", Field::freight, true},
    {"currency", Field::currency, false},
    {"capacity_lots", Field::capacity, false},
};

struct Schema {
    std::string_view list;  // "bids": what the rows are, in messages
    std::string_view path;  // "bids", "logistics.routes": the JSON list the rows stand for, in problem paths
    std::string_view rows;  // "orders", "routes": what the row limit counts
    std::span<const Column> columns;
};

std::string& party(Bid& b) { return b.buyer; }
std::string& party(Offer& o) { return o.supplier; }
std::string& group(Bid& b) { return b.bloc; }
std::string& group(Offer& o) { return o.origin; }
Decimal& price(Bid& b) { return b.limit; }
Decimal& price(Offer& o) { return o.ask; }
std::optional<std::string>& place(Bid& b) { return b.delivery; }
std::optional<std::string>& place(Offer& o) { return o.port; }

// `-?digits` into int64. Out-of-range values that fit are kept for
// validate_fields(); only what int64 cannot hold is refused.
std::optional<std::string> parse_whole(std::string_view cell, std::int64_t& out) {
    std::size_t i = 0;
    const bool negative = !cell.empty() && cell[0] == '-';
    if (negative) ++i;
    if (i == cell.size()) return shown(cell) + " is not a whole number";
    // Magnitude up to 2^63, which only a negative value may reach.
    constexpr std::uint64_t limit = std::uint64_t{1} << 63;
    std::uint64_t magnitude = 0;
    bool too_large = false;
    for (; i < cell.size(); ++i) {
        const char c = cell[i];
        if (c < '0' || c > '9') return shown(cell) + " is not a whole number";
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (magnitude > (limit - digit) / 10)
            too_large = true;
        else
            magnitude = magnitude * 10 + digit;
    }
    if (too_large || (!negative && magnitude == limit)) return shown(cell) + " is too large a whole number";
    out = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    return std::nullopt;
}

// Text cells must be UTF-8, as JSON strings are: ids and names go into the
// result document and into messages a person reads. The JSON reader gets
// this check from the JSON syntax; here it is explicit.
std::optional<std::string> store_text(std::string& field, std::string_view cell) {
    if (const auto bad = io_detail::first_invalid_utf8(cell)) {
        const auto byte = static_cast<unsigned char>(cell[*bad]);
        constexpr const char* hex = "0123456789ABCDEF";
        return "is not UTF-8 text (byte 0x" + std::string{hex[byte >> 4], hex[byte & 0xF]} + " at position " +
               std::to_string(*bad + 1) + " of the cell)";
    }
    field.assign(cell);
    return std::nullopt;
}

std::optional<std::string> store_decimal(Decimal& field, std::string_view cell) {
    ParsedDecimal parsed = Decimal::parse(cell);
    if (!parsed.value) return shown(cell) + " " + parsed.error;
    field = *parsed.value;
    return std::nullopt;
}

// Puts one non-empty cell into its field; the message when it cannot.
template <class Order>
std::optional<std::string> store(Order& order, Field field, std::string_view cell) {
    switch (field) {
        case Field::id: return store_text(order.id, cell);
        case Field::party: return store_text(party(order), cell);
        case Field::group: return store_text(group(order), cell);
        case Field::currency: return store_text(order.currency.emplace(), cell);
        case Field::place: return store_text(place(order).emplace(), cell);
        case Field::lots: return parse_whole(cell, order.lots);
        case Field::min_lots: return parse_whole(cell, order.min_lots);
        case Field::price: return store_decimal(price(order), cell);
        case Field::certified:
            if constexpr (std::is_same_v<Order, Offer>) {
                if (cell == "true")
                    order.certified = true;
                else if (cell == "false")
                    order.certified = false;
                else
                    return shown(cell) + " is not true or false";
            }
            return std::nullopt;
        case Field::from:
        case Field::to:
        case Field::freight:
        case Field::capacity: return std::nullopt;  // no order column
    }
    return std::nullopt;
}

std::optional<std::string> store(Route& route, Field field, std::string_view cell) {
    switch (field) {
        case Field::from: return store_text(route.from, cell);
        case Field::to: return store_text(route.to, cell);
        case Field::freight: return store_decimal(route.freight, cell);
        case Field::currency: return store_text(route.currency.emplace(), cell);
        case Field::capacity: return parse_whole(cell, route.capacity_lots.emplace());
        default: return std::nullopt;  // no route column
    }
}

// Reads the rows of one file into `Row`s (Bid, Offer or Route).
template <class Row>
class RowTable {
public:
    RowTable(std::string_view text, const std::string& source, const ReadLimits& limits, const Schema& schema)
        : text_(text), source_(source), limits_(limits), schema_(schema) {}

    void read() {
        if (text_.size() > limits_.max_bytes)
            return add(source_, "is larger than the limit of " + std::to_string(limits_.max_bytes) + " bytes");
        if (text_.starts_with(utf8_bom)) text_.remove_prefix(utf8_bom.size());

        CsvScanner scanner(text_);
        CsvRecord record;
        if (!next_record(scanner, record)) return add(source_, "has no header row");
        if (!read_header(record)) return;
        reserve_rows();

        std::size_t index = 0;
        while (next_record(scanner, record)) {
            if (index >= limits_.max_orders)
                return add(source_, "holds more than " + std::to_string(limits_.max_orders) + " " +
                                        std::string(schema_.rows));
            read_row(record, index++);
        }
    }

    Problems problems;
    std::vector<Row> rows;

private:
    static constexpr int no_column = -1;

    void add(std::string path, std::string message) { problems.push_back({std::move(path), std::move(message)}); }

    // Growing a vector of a million rows moves them all many times over and
    // costs more than the parse; a line count (memchr speed) bounds the rows
    // closely enough to allocate once.
    void reserve_rows() {
        if (!problems.empty()) return;  // no row will be kept
        const std::uint64_t lines = static_cast<std::uint64_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
        // Never more than a file of this size could hold (an order row has its
        // commas, a line break and a character in each required cell), so a
        // file of blank lines cannot make the reader claim more memory than
        // real orders would.
        std::uint64_t row_bytes = column_of_cell_.size();
        for (const Column& c : schema_.columns) row_bytes += c.required ? 1 : 0;
        const std::uint64_t most = std::min({lines, text_.size() / row_bytes + 1, limits_.max_orders});
        try {
            rows.reserve(static_cast<std::size_t>(most));
        } catch (const std::bad_alloc&) {
            // Only an estimate: the vector still grows as rows come.
        }
    }

    // Blank lines may sit anywhere; they are neither header nor order.
    static bool next_record(CsvScanner& scanner, CsvRecord& record) {
        while (!scanner.at_end()) {
            scanner.read(record);
            if (!record.blank()) return true;
        }
        return false;
    }

    std::string line_path(std::size_t line) const { return source_ + " line " + std::to_string(line); }

    std::string column_list() const {
        std::string names;
        for (const Column& c : schema_.columns) {
            if (!names.empty()) names += ", ";
            names += c.name;
        }
        return names;
    }

    // False when the header is too broken to read rows against.
    bool read_header(const CsvRecord& header) {
        const std::string where = line_path(header.line);
        header_line_ = header.line;
        // A header with broken quoting names no reliable columns: anything
        // said about columns or rows would only be noise.
        if (!header.issues.empty()) {
            for (const CsvRecord::Issue& issue : header.issues)
                add(where, "cell " + std::to_string(issue.cell + 1) + " " + issue.message);
            return false;
        }

        column_of_cell_.assign(header.size(), no_column);
        std::vector<std::size_t> cell_of_column(schema_.columns.size(), header.size());
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string_view name = header.cell(i);
            if (name.empty()) {
                add(where, "cell " + std::to_string(i + 1) + " names no column");
                continue;
            }
            std::size_t c = 0;
            while (c < schema_.columns.size() && schema_.columns[c].name != name) ++c;
            if (c == schema_.columns.size()) {
                add(where, "unknown column " + shown(name) + " (" + std::string(schema_.list) +
                               " columns are: " + column_list() + ")");
            } else if (cell_of_column[c] != header.size()) {
                add(where, "column " + shown(name) + " appears twice (cells " + std::to_string(cell_of_column[c] + 1) +
                               " and " + std::to_string(i + 1) + ")");
            } else {
                cell_of_column[c] = i;
                column_of_cell_[i] = static_cast<int>(c);
            }
        }
        for (std::size_t c = 0; c < schema_.columns.size(); ++c)
            if (schema_.columns[c].required && cell_of_column[c] == header.size())
                add(where, "required column \"" + std::string(schema_.columns[c].name) + "\" is missing");
        return true;
    }

    // `bids[3].limit (bids.csv line 5)`, or `bids[3] (bids.csv line 5)` for the
    // record as a whole or a cell under no known column.
    std::string record_path(std::size_t index, std::size_t line, std::size_t cell) const {
        std::string path(schema_.path);
        path += '[';
        path += std::to_string(index);
        path += ']';
        if (under_column(cell)) {
            path += '.';
            path += schema_.columns[static_cast<std::size_t>(column_of_cell_[cell])].name;
        }
        return path + " (" + line_path(line) + ")";
    }

    bool under_column(std::size_t cell) const {
        return cell < column_of_cell_.size() && column_of_cell_[cell] != no_column;
    }

    void read_row(const CsvRecord& row, std::size_t index) {
        constexpr std::size_t whole_record = static_cast<std::size_t>(-1);
        if (!row.issues.empty()) {
            for (const CsvRecord::Issue& issue : row.issues) {
                std::string message = under_column(issue.cell)
                                          ? issue.message
                                          : "cell " + std::to_string(issue.cell + 1) + " " + issue.message;
                add(record_path(index, row.line, issue.cell), std::move(message));
            }
            return;
        }
        // Misaligned cells would blame the wrong columns, so only the count is reported.
        if (row.size() != column_of_cell_.size()) {
            add(record_path(index, row.line, whole_record),
                "has " + std::to_string(row.size()) + " cells where the header (line " + std::to_string(header_line_) +
                    ") has " + std::to_string(column_of_cell_.size()));
            return;
        }
        Row item;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (!under_column(i)) continue;
            const Column& column = schema_.columns[static_cast<std::size_t>(column_of_cell_[i])];
            const std::string_view cell = row.cell(i);
            if (cell.empty()) {
                if (column.required) add(record_path(index, row.line, i), "is required");
                continue;
            }
            if (std::optional<std::string> why = store(item, column.field, cell))
                add(record_path(index, row.line, i), std::move(*why));
        }
        // Once anything is wrong no row is returned, so none is kept.
        if (problems.empty()) rows.push_back(std::move(item));
    }

    std::string_view text_;
    const std::string& source_;
    const ReadLimits& limits_;
    const Schema& schema_;
    std::vector<int> column_of_cell_;
    std::size_t header_line_ = 1;
};

template <class Row>
std::pair<Problems, std::vector<Row>> read_rows(std::string_view text, const std::string& source,
                                                const ReadLimits& limits, const Schema& schema) {
    RowTable<Row> table(text, source, limits, schema);
    table.read();
    if (!table.problems.empty())
        table.rows = std::vector<Row>();  // frees what was read before
    else if (table.rows.capacity() / 2 > table.rows.size())
        table.rows.shrink_to_fit();  // blank lines made the estimate too high
    return {std::move(table.problems), std::move(table.rows)};
}

}  // namespace

BidsRead read_bids_csv(std::string_view text, const std::string& source, const ReadLimits& limits) {
    static constexpr Schema schema{"bids", "bids", "orders", bid_columns};
    auto [problems, bids] = read_rows<Bid>(text, source, limits, schema);
    return {std::move(problems), std::move(bids)};
}

OffersRead read_offers_csv(std::string_view text, const std::string& source, const ReadLimits& limits) {
    static constexpr Schema schema{"offers", "offers", "orders", offer_columns};
    auto [problems, offers] = read_rows<Offer>(text, source, limits, schema);
    return {std::move(problems), std::move(offers)};
}

RoutesRead read_routes_csv(std::string_view text, const std::string& source, const ReadLimits& limits) {
    static constexpr Schema schema{"routes", "logistics.routes", "routes", route_columns};
    auto [problems, routes] = read_rows<Route>(text, source, limits, schema);
    return {std::move(problems), std::move(routes)};
}

}  // namespace jpclear
