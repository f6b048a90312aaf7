// Bids, offers and routes as CSV (spec sections 2 and 10): a header row of
// JSON field names in any order, empty cells meaning absent, RFC 4180 quoting.
//
// The reader only turns text into the model. Values that are representable
// but invalid (lots = -5, limit = 0, 13 integer digits) are kept as written so
// that validate_fields() reports them with the rest of the round; what is
// reported here is what the model cannot hold at all. Every problem is
// reported, and any problem means no orders (unless CsvOptions::keep_rows).
//
// What spreadsheets write is read where its meaning is certain, and said in
// a warning: ';' separators (Excel in a European locale), decimal commas in
// such a file, codes with spaces or in lower case. What is not certain is a
// problem that says what to write instead; nothing is guessed silently.

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

using io_detail::plain_or_shown;
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

// Splits the text into records in one pass, cells separated by `separator`
// (',' or ';'). It never fails: malformed quoting becomes an issue of the
// record, and scanning resumes at the next separator so the rows after it
// are still checked.
class CsvScanner {
public:
    CsvScanner(std::string_view text, char separator) : text_(text), separator_(separator) {}

    bool at_end() const { return pos_ >= text_.size(); }

    void read(CsvRecord& record) {
        record.reset(text_, line_);
        for (;;) {
            if (pos_ < text_.size() && text_[pos_] == '"')
                read_quoted(record);
            else
                read_plain(record);
            if (pos_ >= text_.size()) return;
            if (text_[pos_] == separator_) {
                ++pos_;
                continue;
            }
            take_line_end();
            return;
        }
    }

private:
    bool ends_cell(char c) const { return c == separator_ || c == '\n' || c == '\r'; }

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
    char separator_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

// Blank lines may sit anywhere; they are neither header nor order.
bool next_record(CsvScanner& scanner, CsvRecord& record) {
    while (!scanner.at_end()) {
        scanner.read(record);
        if (!record.blank()) return true;
    }
    return false;
}

// --- numbers as spreadsheets write them ---------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

// How a decimal cell uses '.' and ',', the two marks that may be a decimal
// point or group thousands depending on who wrote the file.
enum class Shape {
    plain,            // no mark, or not a number at all: parsed as it is
    comma_decimal,    // 12,5  14500,50  0,0062: ',' can only be a decimal mark
    comma_ambiguous,  // 14,500: a decimal mark or a thousands separator
    point_decimal,    // 12.5  14500.50
    point_ambiguous,  // 14.500
    grouped,          // 1.234.567  14.500,50  1,234.5: thousands separators
};

Shape shape_of(std::string_view cell) {
    if (!cell.empty() && cell[0] == '-') cell.remove_prefix(1);
    const auto commas = std::count(cell.begin(), cell.end(), ',');
    const auto points = std::count(cell.begin(), cell.end(), '.');
    if (commas + points == 0) return Shape::plain;
    for (char c : cell)
        if (!is_digit(c) && c != ',' && c != '.') return Shape::plain;  // not a number: the parser says so
    if (commas + points > 1) return Shape::grouped;
    const std::size_t mark = cell.find_first_of(",.");
    const std::string_view whole = cell.substr(0, mark), fraction = cell.substr(mark + 1);
    if (!all_digits(whole) || !all_digits(fraction)) return Shape::plain;
    const bool thousands = whole.size() <= 3 && fraction.size() == 3 && whole[0] != '0';
    if (commas == 1) return thousands ? Shape::comma_ambiguous : Shape::comma_decimal;
    return thousands ? Shape::point_ambiguous : Shape::point_decimal;
}

// The decimal mark of a ';'-separated file, as its first unambiguous decimal
// cell shows it: `12,5` makes it ',' and `12.5` makes it '.'.
struct DecimalMark {
    char mark = 0;  // 0: no decimal in the file says
    std::size_t line = 0;
    std::string example;  // the cell that says, as written
};

std::string without(std::string_view cell, char drop) {
    std::string out;
    for (char c : cell)
        if (c != drop) out += c;
    return out;
}

std::string replaced(std::string_view cell, char from, char to) {
    std::string out(cell);
    std::replace(out.begin(), out.end(), from, to);
    return out;
}

// What to write instead of a decimal with thousands separators or a decimal
// comma in a ','-separated file, after "is not a decimal".
std::string decimal_hint(std::string_view cell) {
    switch (shape_of(cell)) {
        case Shape::comma_decimal:
            return "; write " + replaced(cell, ',', '.') + " (the decimal mark is '.' in a file separated by ',')";
        case Shape::comma_ambiguous:
            return "; write " + without(cell, ',') + " if ',' groups thousands, or " + replaced(cell, ',', '.') +
                   " if it is a decimal comma";
        case Shape::grouped: return "; write it without thousands separators, with '.' as the decimal mark";
        default: return "";
    }
}

// `-?digits` into int64. Out-of-range values that fit are kept for
// validate_fields(); only what int64 cannot hold is refused.
std::optional<std::string> parse_whole(std::string_view cell, std::int64_t& out) {
    std::size_t i = 0;
    const bool negative = !cell.empty() && cell[0] == '-';
    if (negative) ++i;
    auto not_whole = [&] {
        const Shape shape = shape_of(cell);
        const bool thousands = shape == Shape::grouped || shape == Shape::comma_ambiguous ||
                               shape == Shape::point_ambiguous;
        return shown(cell) + " is not a whole number" +
               (thousands ? "; write " + without(without(cell, ','), '.') + " (no thousands separators)" : "");
    };
    if (i == cell.size()) return not_whole();
    // Magnitude up to 2^63, which only a negative value may reach.
    constexpr std::uint64_t limit = std::uint64_t{1} << 63;
    std::uint64_t magnitude = 0;
    bool too_large = false;
    for (; i < cell.size(); ++i) {
        const char c = cell[i];
        if (!is_digit(c)) return not_whole();
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
std::optional<std::string> utf8_problem(std::string_view cell) {
    if (const auto bad = io_detail::first_invalid_utf8(cell)) {
        const auto byte = static_cast<unsigned char>(cell[*bad]);
        constexpr const char* hex = "0123456789ABCDEF";
        return "is not UTF-8 text (byte 0x" + std::string{hex[byte >> 4], hex[byte & 0xF]} + " at position " +
               std::to_string(*bad + 1) + " of the cell; save the file as UTF-8, in Excel \"CSV UTF-8\")";
    }
    return std::nullopt;
}

template <class String>  // std::string or Text
std::optional<std::string> store_text(String& field, std::string_view cell) {
    if (auto why = utf8_problem(cell)) return why;
    field.assign(cell);
    return std::nullopt;
}

// A code (bloc, origin, currency) as it is meant when a spreadsheet adds
// spaces or a person types it in lower case: trimmed and upper-cased, but
// only when what remains is ASCII letters (`length` of them, when given), so
// that it then is a well-formed code. Anything else is kept as written, for
// the value checks to show as it is.
std::optional<std::string> normalised_code(std::string_view cell, std::size_t length) {
    auto space_at_front = [&](std::string_view s) -> std::size_t {
        if (!s.empty() && (s[0] == ' ' || s[0] == '\t')) return 1;
        if (s.starts_with("\xC2\xA0")) return 2;  // no-break space
        return 0;
    };
    auto space_at_back = [&](std::string_view s) -> std::size_t {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) return 1;
        if (s.ends_with("\xC2\xA0")) return 2;
        return 0;
    };
    std::string_view core = cell;
    while (std::size_t n = space_at_front(core)) core.remove_prefix(n);
    while (std::size_t n = space_at_back(core)) core.remove_suffix(n);
    if (core.empty() || (length != 0 && core.size() != length)) return std::nullopt;
    std::string code;
    for (char c : core) {
        if (c >= 'a' && c <= 'z')
            code += static_cast<char>(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z')
            code += c;
        else
            return std::nullopt;
    }
    if (code == cell) return std::nullopt;  // nothing to change
    return code;
}

// Levenshtein distance, for "did you mean" on column names (a dozen short
// names at most, once per unknown column).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string lowered_and_trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    std::string out;
    for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

// `x-comment`, `X-Note`: a column of the file's owner, skipped.
bool is_extra_column(std::string_view name) {
    return name.size() > 2 && (name[0] == 'x' || name[0] == 'X') && name[1] == '-';
}

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

constexpr Schema bid_schema{"bids", "bids", "orders", bid_columns};
constexpr Schema offer_schema{"offers", "offers", "orders", offer_columns};
constexpr Schema route_schema{"routes", "logistics.routes", "routes", route_columns};
constexpr const Schema* schemas[] = {&bid_schema, &offer_schema, &route_schema};

Text& party(Bid& b) { return b.buyer; }
Text& party(Offer& o) { return o.supplier; }
Text& group(Bid& b) { return b.bloc; }
Text& group(Offer& o) { return o.origin; }
Decimal& price(Bid& b) { return b.limit; }
Decimal& price(Offer& o) { return o.ask; }
std::optional<Text>& place(Bid& b) { return b.delivery; }
std::optional<Text>& place(Offer& o) { return o.port; }

// Codes read trimmed or upper-cased, counted per kind for one warning each.
struct CodeFixes {
    std::string_view kind;  // "bloc", "origin", "currency"
    std::size_t count = 0;
    std::vector<std::pair<std::string, std::string>> examples;  // (as written, as read), distinct, a few

    void add(std::string_view written, const std::string& read) {
        ++count;
        if (examples.size() >= 3) return;
        for (const auto& e : examples)
            if (e.first == written) return;
        examples.emplace_back(std::string(written), read);
    }

    // `3 bloc codes had spaces or lower case ("eu ", "jp"); read as EU, JP`
    std::string message() const {
        std::string written, read;
        std::vector<std::string_view> codes;
        for (const auto& [from, to] : examples) {
            written += (written.empty() ? "" : ", ") + shown(from);
            if (std::find(codes.begin(), codes.end(), to) != codes.end()) continue;
            codes.push_back(to);
            read += (read.empty() ? "" : ", ") + to;
        }
        const bool more = count > examples.size();
        return std::to_string(count) + " " + std::string(kind) + (count == 1 ? " code" : " codes") +
               " had spaces or lower case (" + written + (more ? ", ..." : "") + "); read as " + read +
               (more ? ", ..." : "");
    }
};

// Reads the rows of one file into `Row`s (Bid, Offer or Route).
template <class Row>
class RowTable {
public:
    RowTable(std::string_view text, const std::string& source, const ReadLimits& limits, const Schema& schema,
             const CsvOptions& options)
        : text_(text),
          source_(io_detail::escaped(source, false, SIZE_MAX)),
          limits_(limits),
          schema_(schema),
          options_(options) {
        file.source = source;
        file.list = schema.path;
    }

    void read() {
        if (text_.size() > limits_.max_bytes)
            return add(source_, "is larger than the limit of " + std::to_string(limits_.max_bytes) + " bytes");
        if (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF"))
            return add(source_, "is UTF-16 text (Excel's \"Unicode Text\"?); save it as \"CSV UTF-8 (Comma "
                                "delimited)\"");
        if (text_.starts_with(utf8_bom)) text_.remove_prefix(utf8_bom.size());

        separator_ = separator();
        if (separator_ == '\t')
            return add(source_, "is separated by tabs (Excel's \"Text (Tab delimited)\"?); save it as \"CSV UTF-8 "
                                "(Comma delimited)\"");
        if (separator_ == ';') find_decimal_mark();

        CsvScanner scanner(text_, separator_);
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
        file.complete = true;
        file.rows = index;
        warn();
    }

    Problems problems;
    Problems warnings;
    std::vector<Row> rows;
    CsvFile file;

private:
    static constexpr int no_column = -1;

    void add(std::string path, std::string message) { problems.push_back({std::move(path), std::move(message)}); }

    // Which character separates the cells: ',' unless the first record reads
    // better split on ';' (or on tabs, which are refused with a hint): it
    // names more of the list's columns that way, or it is one cell with ','
    // and several with ';'. Names starting with `x-` count as the list's.
    char separator() const {
        struct Split {
            std::size_t cells = 0, known = 0;
        };
        auto split = [&](char separator) {
            CsvScanner scanner(text_, separator);
            CsvRecord header;
            Split out;
            if (!next_record(scanner, header)) return out;
            out.cells = header.size();
            for (std::size_t i = 0; i < header.size(); ++i) {
                const std::string_view name = header.cell(i);
                if (is_extra_column(name) ||
                    std::any_of(schema_.columns.begin(), schema_.columns.end(),
                                [&](const Column& c) { return c.name == name; }))
                    ++out.known;
            }
            return out;
        };
        const Split comma = split(',');
        char best = ',';
        Split chosen = comma;
        for (char other : {';', '\t'}) {
            const Split s = split(other);
            if (s.known > chosen.known || (chosen.known == 0 && comma.cells == 1 && s.cells > 1)) {
                best = other;
                chosen = s;
            }
        }
        return best;
    }

    // A ';'-separated file: the decimal mark its decimals use, from the first
    // decimal cell that can only be read one way. Usually the first row says.
    void find_decimal_mark() {
        CsvScanner scanner(text_, separator_);
        CsvRecord record;
        if (!next_record(scanner, record)) return;
        std::vector<std::size_t> decimal_cells;
        for (std::size_t i = 0; i < record.size(); ++i) {
            const std::string_view name = record.cell(i);
            for (const Column& c : schema_.columns)
                if (c.name == name && (c.field == Field::price || c.field == Field::freight))
                    decimal_cells.push_back(i);
        }
        if (decimal_cells.empty()) return;
        while (next_record(scanner, record)) {
            for (std::size_t i : decimal_cells) {
                if (i >= record.size()) continue;
                const std::string_view cell = record.cell(i);
                const Shape shape = shape_of(cell);
                if (shape == Shape::comma_decimal || shape == Shape::point_decimal) {
                    mark_.mark = shape == Shape::comma_decimal ? ',' : '.';
                    mark_.line = record.line;
                    mark_.example.assign(cell);
                    return;
                }
            }
        }
    }

    // Growing a vector of a million rows moves them all many times over and
    // costs more than the parse; a line count (memchr speed) bounds the rows
    // closely enough to allocate once.
    void reserve_rows() {
        if (!problems.empty() && !options_.keep_rows) return;  // no row will be kept
        const std::uint64_t lines = static_cast<std::uint64_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
        // Never more than a file of this size could hold (an order row has its
        // separators, a line break and a character in each required cell), so
        // a file of blank lines cannot make the reader claim more memory than
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

    std::string line_path(std::size_t line) const { return source_ + " line " + std::to_string(line); }

    std::string column_list() const {
        std::string names;
        for (const Column& c : schema_.columns) {
            if (!names.empty()) names += ", ";
            names += c.name;
        }
        return names;
    }

    std::optional<std::size_t> column_named(std::string_view name) const {
        for (std::size_t c = 0; c < schema_.columns.size(); ++c)
            if (schema_.columns[c].name == name) return c;
        return std::nullopt;
    }

    bool ignored(std::string_view name) const {
        return std::find(options_.ignore_columns.begin(), options_.ignore_columns.end(), name) !=
               options_.ignore_columns.end();
    }

    // `unknown column "limt" (bids columns are: ...); did you mean "limit"?`,
    // or for a column of its own how to keep it.
    std::string unknown_column(std::string_view name) const {
        std::string message = "unknown column " + shown(name) + " (" + std::string(schema_.list) +
                              " columns are: " + column_list() + ")";
        const std::string simple = lowered_and_trimmed(name);
        std::string_view guess;
        std::size_t best = 3;  // at most 2 edits away
        for (const Column& c : schema_.columns) {
            std::size_t d = simple == c.name ? 0 : edit_distance(simple, c.name);
            if (simple.size() >= 3 && c.name.starts_with(simple)) d = std::min<std::size_t>(d, 1);  // capacity
            if (d < best && d < c.name.size() / 2 + 1) {
                best = d;
                guess = c.name;
            }
        }
        if (!guess.empty()) return message + "; did you mean \"" + std::string(guess) + "\"?";
        if (io_detail::first_invalid_utf8(name)) return message;
        return message + "; to keep it in the file, rename it " + plain_or_shown("x-" + std::string(name)) +
               " or pass --ignore-columns " + plain_or_shown(name);
    }

    // A header that names the columns of another list (an offers file given
    // as the bids file): one problem that says so, not one per column.
    bool other_files_header(const CsvRecord& header, const std::string& where) {
        auto names = [&](const Schema& schema, std::vector<std::string_view>* only_there) {
            std::size_t n = 0;
            std::vector<bool> seen(schema.columns.size());
            for (std::size_t i = 0; i < header.size(); ++i)
                for (std::size_t c = 0; c < schema.columns.size(); ++c)
                    if (schema.columns[c].name == header.cell(i) && !seen[c]) {
                        seen[c] = true;
                        ++n;
                        if (only_there && !column_named(schema.columns[c].name))
                            only_there->push_back(schema.columns[c].name);
                    }
            for (std::size_t c = 0; c < schema.columns.size(); ++c)
                if (schema.columns[c].required && !seen[c]) return std::size_t{0};  // not a full header of it
            return n;
        };
        const std::size_t ours = names(schema_, nullptr);
        for (const Schema* other : schemas) {
            if (other == &schema_) continue;
            std::vector<std::string_view> only_there;
            if (names(*other, &only_there) <= ours || only_there.empty()) continue;
            std::string listed;
            for (std::string_view n : only_there) listed += (listed.empty() ? "" : ", ") + std::string(n);
            add(where, "the header names the columns of " + std::string(other->list) + " (" + listed +
                           "), not of " + std::string(schema_.list) + "; is this the " + std::string(other->list) +
                           " file?");
            return true;
        }
        return false;
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

        if (other_files_header(header, where)) return false;

        column_of_cell_.assign(header.size(), no_column);
        std::vector<std::size_t> cell_of_column(schema_.columns.size(), header.size());
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string_view name = header.cell(i);
            if (name.empty()) {
                add(where, "cell " + std::to_string(i + 1) +
                               " names no column (name it, with x- in front to have it ignored, or delete the column)");
                continue;
            }
            const std::optional<std::size_t> c = column_named(name);
            if (!c) {
                if (!is_extra_column(name) && !ignored(name)) add(where, unknown_column(name));
            } else if (ignored(name)) {
                add(where, "column " + shown(name) + " is one jpclear reads; it cannot be ignored (--ignore-columns)");
            } else if (cell_of_column[*c] != header.size()) {
                add(where, "column " + shown(name) + " appears twice (cells " + std::to_string(cell_of_column[*c] + 1) +
                               " and " + std::to_string(i + 1) + ")");
            } else {
                cell_of_column[*c] = i;
                column_of_cell_[i] = static_cast<int>(*c);
                if (schema_.columns[*c].field == Field::id) id_cell_ = i;
            }
        }
        for (std::size_t c = 0; c < schema_.columns.size(); ++c)
            if (schema_.columns[c].required && cell_of_column[c] == header.size()) {
                add(where, "required column \"" + std::string(schema_.columns[c].name) + "\" is missing");
                file.missing_columns.emplace_back(schema_.columns[c].name);
            }
        return true;
    }

    // `bids[3].limit (bids.csv line 5, id eu-17)`, or `bids[3] (bids.csv line
    // 5, ...)` for the record as a whole or a cell under no known column.
    std::string record_path(std::size_t index, std::size_t line, std::size_t cell) const {
        std::string path(schema_.path);
        path += '[';
        path += std::to_string(index);
        path += ']';
        if (under_column(cell)) {
            path += '.';
            path += schema_.columns[static_cast<std::size_t>(column_of_cell_[cell])].name;
        }
        path += " (" + line_path(line);
        if (!row_id_.empty()) path += ", id " + plain_or_shown(row_id_);
        return path + ")";
    }

    bool under_column(std::size_t cell) const {
        return cell < column_of_cell_.size() && column_of_cell_[cell] != no_column;
    }

    void unread(std::size_t index, std::string_view column) { file.unread.emplace_back(index, std::string(column)); }

    void read_row(const CsvRecord& row, std::size_t index) {
        constexpr std::size_t whole_record = static_cast<std::size_t>(-1);
        if (index == 0 || row.line != last_line_ + 1) file.line_marks.emplace_back(index, row.line);
        last_line_ = row.line;
        // The id names the row in its problems, when it can be read: the
        // cells line up with the header and the id cell is well-formed text.
        row_id_ = {};
        if (id_cell_ < row.size() && row.size() == column_of_cell_.size() &&
            std::none_of(row.issues.begin(), row.issues.end(),
                         [&](const CsvRecord::Issue& i) { return i.cell <= id_cell_; })) {
            const std::string_view id = row.cell(id_cell_);
            if (!utf8_problem(id)) row_id_ = id;
        }
        if (!row.issues.empty()) {
            for (const CsvRecord::Issue& issue : row.issues) {
                std::string message = under_column(issue.cell)
                                          ? issue.message
                                          : "cell " + std::to_string(issue.cell + 1) + " " + issue.message;
                add(record_path(index, row.line, issue.cell), std::move(message));
            }
            unread(index, "");
            return keep(Row{});
        }
        // Misaligned cells would blame the wrong columns, so only the count is reported.
        if (row.size() != column_of_cell_.size()) {
            std::string message = "has " + std::to_string(row.size()) + " cells where the header (line " +
                                  std::to_string(header_line_) + ") has " + std::to_string(column_of_cell_.size());
            if (row.size() > column_of_cell_.size())
                message += std::string(" (a '") + separator_ +
                           "' inside a value that is not quoted, such as a decimal comma?)";
            add(record_path(index, row.line, whole_record), std::move(message));
            unread(index, "");
            return keep(Row{});
        }
        Row item;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (!under_column(i)) continue;
            const Column& column = schema_.columns[static_cast<std::size_t>(column_of_cell_[i])];
            const std::string_view cell = row.cell(i);
            if (cell.empty()) {
                if (column.required) {
                    add(record_path(index, row.line, i), "is required");
                    unread(index, column.name);
                }
                continue;
            }
            if (std::optional<std::string> why = store(item, column.field, cell, row.line)) {
                add(record_path(index, row.line, i), std::move(*why));
                unread(index, column.name);
            }
        }
        keep(std::move(item));
    }

    // Once anything is wrong no row is returned, so none is kept (unless asked).
    void keep(Row&& row) {
        if (problems.empty() || options_.keep_rows) rows.push_back(std::move(row));
    }

    // --- cells into fields ---

    template <class Order>
    std::optional<std::string> store(Order& order, Field field, std::string_view cell, std::size_t line) {
        switch (field) {
            case Field::id: return store_text(order.id, cell);
            case Field::party: return store_text(party(order), cell);
            case Field::group:
                if constexpr (std::is_same_v<Order, Bid>)
                    return store_code(group(order), cell, 0, blocs_);
                else
                    return store_code(group(order), cell, 2, origins_);
            case Field::currency: return store_code(order.currency.emplace(), cell, 3, currencies_);
            case Field::place: return store_text(place(order).emplace(), cell);
            case Field::lots: return parse_whole(cell, order.lots);
            case Field::min_lots: return parse_whole(cell, order.min_lots);
            case Field::price: return store_decimal(price(order), cell, line);
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

    std::optional<std::string> store(Route& route, Field field, std::string_view cell, std::size_t line) {
        switch (field) {
            case Field::from: return store_text(route.from, cell);
            case Field::to: return store_text(route.to, cell);
            case Field::freight: return store_decimal(route.freight, cell, line);
            case Field::currency: return store_code(route.currency.emplace(), cell, 3, currencies_);
            case Field::capacity: return parse_whole(cell, route.capacity_lots.emplace());
            default: return std::nullopt;  // no route column
        }
    }

    template <class String>  // std::string or Text
    std::optional<std::string> store_code(String& field, std::string_view cell, std::size_t length,
                                          CodeFixes& fixes) {
        if (auto why = utf8_problem(cell)) return why;
        if (std::optional<std::string> code = normalised_code(cell, length)) {
            fixes.add(cell, *code);
            field = std::move(*code);
        } else {
            field.assign(cell);
        }
        return std::nullopt;
    }

    // Decimals are taken from their text, exactly; in a ';'-separated file a
    // decimal comma is read as the point it stands for, when the file's mark
    // is certain (find_decimal_mark()), and refused with a way out when not.
    std::optional<std::string> store_decimal(Decimal& field, std::string_view cell, std::size_t line) {
        std::string rewritten;
        std::string_view text = cell;
        if (separator_ == ';') {
            const Shape shape = shape_of(cell);
            const char mark = mark_.mark;
            auto example = [&] {
                return " (as " + shown(mark_.example) + " on line " + std::to_string(mark_.line) + " shows)";
            };
            switch (shape) {
                case Shape::comma_decimal:
                case Shape::comma_ambiguous:
                    if (mark == ',') {
                        rewritten = replaced(cell, ',', '.');
                        text = rewritten;
                        if (comma_read_.empty()) {
                            comma_read_.assign(cell);
                            comma_line_ = line;
                        }
                        break;
                    }
                    if (mark == '.')
                        return shown(cell) + " has a ',' where this file writes decimals with '.'" + example() +
                               "; write " + (shape == Shape::comma_decimal ? replaced(cell, ',', '.')
                                                                           : without(cell, ',') + " (no thousands "
                                                                                                  "separators)");
                    return shown(cell) + " is ambiguous: ',' may be a decimal comma (" + replaced(cell, ',', '.') +
                           ") or group thousands (" + without(cell, ',') + "), and no other decimal in the file "
                           "says which; write " + without(cell, ',') + " or " + replaced(cell, ',', '.');
                case Shape::point_decimal:
                    if (mark == ',')
                        return shown(cell) + " has a '.' where this file writes decimals with ','" + example() +
                               "; write " + replaced(cell, '.', ',');
                    break;
                case Shape::point_ambiguous:
                    if (mark == ',')
                        return shown(cell) + " has a '.' where this file writes decimals with ','" + example() +
                               ", so it would group thousands; write " + without(cell, '.') +
                               " (no thousands separators) or " + replaced(cell, '.', ',');
                    if (mark == 0)
                        return shown(cell) + " is ambiguous in a file separated by ';': '.' may be a decimal "
                                             "point (" + std::string(cell) + ") or group thousands (" +
                               without(cell, '.') + "), and no other decimal in the file says which; write " +
                               without(cell, '.') + " or " + replaced(cell, '.', ',');
                    break;
                case Shape::grouped:
                    return shown(cell) + " is not a decimal; write it without thousands separators";
                case Shape::plain: break;
            }
        }
        ParsedDecimal parsed = Decimal::parse(text);
        if (!parsed.value) return shown(cell) + " " + parsed.error + (separator_ == ',' ? decimal_hint(cell) : "");
        field = *parsed.value;
        return std::nullopt;
    }

    // One line per file for each thing read in a way that was not written plainly.
    void warn() {
        if (separator_ == ';') {
            std::string message = std::string("is separated by ';'") +
                                  (comma_read_.empty() ? "" : " with decimal commas") +
                                  ", as Excel writes CSV in a European locale; read that way";
            if (!comma_read_.empty())
                message += " (" + shown(comma_read_) + " on line " + std::to_string(comma_line_) + " as " +
                           replaced(comma_read_, ',', '.') + ")";
            message += ". To silence this, save it with ',' separators";
            if (!comma_read_.empty()) message += " and '.' decimals";
            warnings.push_back({source_, message});
        }
        for (const CodeFixes* fixes : {&blocs_, &origins_, &currencies_})
            if (fixes->count > 0) warnings.push_back({source_, fixes->message()});
    }

    std::string_view text_;
    std::string source_;  // as shown in paths: bytes that are not UTF-8 escaped
    const ReadLimits& limits_;
    const Schema& schema_;
    const CsvOptions& options_;
    char separator_ = ',';
    DecimalMark mark_;
    std::string comma_read_;  // the first decimal read with a decimal comma, for the warning
    std::size_t comma_line_ = 0;
    CodeFixes blocs_{"bloc", 0, {}}, origins_{"origin", 0, {}}, currencies_{"currency", 0, {}};
    std::vector<int> column_of_cell_;
    std::size_t id_cell_ = static_cast<std::size_t>(-1);
    std::string_view row_id_;
    std::size_t header_line_ = 1;
    std::size_t last_line_ = 0;
};

template <class Row>
struct RowsRead {
    Problems problems;
    std::vector<Row> rows;
    Problems warnings;
    CsvFile file;
};

template <class Row>
RowsRead<Row> read_rows(std::string_view text, const std::string& source, const ReadLimits& limits,
                        const Schema& schema, const CsvOptions& options) {
    RowTable<Row> table(text, source, limits, schema, options);
    table.read();
    if (!table.file.complete || (!table.problems.empty() && !options.keep_rows))
        table.rows = std::vector<Row>();  // frees what was read before
    else if (table.rows.capacity() / 2 > table.rows.size())
        table.rows.shrink_to_fit();  // blank lines made the estimate too high
    if (!table.file.complete) {
        table.file.rows = 0;
        table.file.unread.clear();
        table.file.line_marks.clear();
    }
    return {std::move(table.problems), std::move(table.rows), std::move(table.warnings), std::move(table.file)};
}

}  // namespace

std::size_t CsvFile::line_of(std::size_t row) const {
    auto after = std::upper_bound(
        line_marks.begin(), line_marks.end(), row,
        [](std::size_t r, const std::pair<std::size_t, std::size_t>& m) { return r < m.first; });
    if (after == line_marks.begin()) return 0;
    const auto& [first, line] = *(after - 1);
    return line + (row - first);
}

BidsRead read_bids_csv(std::string_view text, const std::string& source, const ReadLimits& limits,
                       const CsvOptions& options) {
    auto read = read_rows<Bid>(text, source, limits, bid_schema, options);
    return {std::move(read.problems), std::move(read.rows), std::move(read.warnings), std::move(read.file)};
}

OffersRead read_offers_csv(std::string_view text, const std::string& source, const ReadLimits& limits,
                           const CsvOptions& options) {
    auto read = read_rows<Offer>(text, source, limits, offer_schema, options);
    return {std::move(read.problems), std::move(read.rows), std::move(read.warnings), std::move(read.file)};
}

RoutesRead read_routes_csv(std::string_view text, const std::string& source, const ReadLimits& limits,
                           const CsvOptions& options) {
    auto read = read_rows<Route>(text, source, limits, route_schema, options);
    return {std::move(read.problems), std::move(read.rows), std::move(read.warnings), std::move(read.file)};
}

}  // namespace jpclear
