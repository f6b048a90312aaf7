// Reading a `jpclear.round/1` document with nlohmann-json's SAX interface.
//
// SAX, not the DOM: the DOM would turn decimals into doubles, and for rounds
// of millions of orders it would hold the whole tree in memory. Here every
// event goes straight into the Round, decimals are read from their text, and
// each problem is recorded with its field path while parsing goes on, so one
// run reports them all. Value ranges are left to validate_fields().
//
// This is the careful reader: read_round_json() first tries the fast one
// (json_fast_reader.cpp), which reads only clean documents and leaves every
// other text, and so every message, to this one.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "jpclear/io.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/model/validate.h"
#include "io/json_fast_reader.h"
#include "io/text.h"

namespace jpclear {
namespace {

using json = nlohmann::json;

enum class Context {
    document, top, material, fx, rules, pricing, excluded, bids, bid, offers, offer, logistics, routes, route, skip
};

enum class Kind { string, decimal, whole, boolean, object, array };

struct FieldSpec {
    std::string_view name;
    Kind kind;
    bool required;
};

// Fields per object context, in the order the spec lists them. A field's
// position is its bit in Frame::seen.
constexpr FieldSpec top_fields[] = {
    {"format", Kind::string, true},  {"round", Kind::string, true}, {"material", Kind::object, true},
    {"currency", Kind::string, true}, {"fx", Kind::object, false},  {"rules", Kind::object, false},
    {"bids", Kind::array, true},      {"offers", Kind::array, true}, {"logistics", Kind::object, false},
};
constexpr FieldSpec material_fields[] = {
    {"code", Kind::string, true}, {"name", Kind::string, false}, {"lot_tonnes", Kind::decimal, true}};
constexpr FieldSpec rules_fields[] = {
    {"pricing", Kind::object, false},          {"tick", Kind::decimal, false},
    {"max_origin_share", Kind::decimal, false}, {"excluded_origins", Kind::array, false},
    {"require_certified", Kind::boolean, false},
};
constexpr FieldSpec pricing_fields[] = {{"rule", Kind::string, false}, {"k", Kind::decimal, false}};
constexpr FieldSpec bid_fields[] = {
    {"id", Kind::string, true},     {"buyer", Kind::string, true},   {"bloc", Kind::string, true},
    {"lots", Kind::whole, true},    {"min_lots", Kind::whole, false}, {"limit", Kind::decimal, true},
    {"currency", Kind::string, false}, {"delivery", Kind::string, false},
};
constexpr FieldSpec offer_fields[] = {
    {"id", Kind::string, true},        {"supplier", Kind::string, true}, {"origin", Kind::string, true},
    {"lots", Kind::whole, true},       {"min_lots", Kind::whole, false}, {"ask", Kind::decimal, true},
    {"currency", Kind::string, false}, {"certified", Kind::boolean, false}, {"port", Kind::string, false},
};
// Section 10: delivery places, routes and freight.
constexpr FieldSpec logistics_fields[] = {{"routes", Kind::array, true}};
constexpr FieldSpec route_fields[] = {
    {"from", Kind::string, true},      {"to", Kind::string, true},
    {"freight", Kind::decimal, true},  {"currency", Kind::string, false},
    {"capacity_lots", Kind::whole, false},
};

struct FieldTable {
    const FieldSpec* begin;
    std::size_t size;
    const char* what;  // for "unknown field" messages
};

FieldTable fields_of(Context c) {
    switch (c) {
        case Context::top: return {top_fields, std::size(top_fields), "round"};
        case Context::material: return {material_fields, std::size(material_fields), "material"};
        case Context::rules: return {rules_fields, std::size(rules_fields), "rules"};
        case Context::pricing: return {pricing_fields, std::size(pricing_fields), "pricing"};
        case Context::bid: return {bid_fields, std::size(bid_fields), "bid"};
        case Context::offer: return {offer_fields, std::size(offer_fields), "offer"};
        case Context::logistics: return {logistics_fields, std::size(logistics_fields), "logistics"};
        case Context::route: return {route_fields, std::size(route_fields), "route"};
        default: return {nullptr, 0, ""};
    }
}

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::string: return "a string";
        case Kind::decimal: return "a decimal (string or number)";
        case Kind::whole: return "a whole number";
        case Kind::boolean: return "true or false";
        case Kind::object: return "an object";
        case Kind::array: return "an array";
    }
    return "?";
}

// --- what the parser reads ---------------------------------------------------
//
// nlohmann's lexer has three habits that hostile (or merely unusual) text
// turns into wrong answers, so the text is looked over once before parsing:
//
//  - It converts every number with a fraction or an exponent, and every
//    integer beyond 64 bits, to a double before the handler sees its text,
//    and stops with "number overflow" when that double is infinite (1e400, a
//    400-digit integer). Such a number is valid JSON that no decimal can
//    hold: it must be reported at its field like 1e39, and reading must go on.
//    It is replaced by "0e0" padded with spaces to its own length (positions
//    stay right) and the handler is given its text back.
//  - On a syntax error it quotes everything read since the last value, each
//    line break as 8 characters ("<U+000A>"): a long run of white space made
//    a message (and a copy) many times the size of the text. Runs longer than
//    `max_blank_run` are shortened to one character and positions in the
//    parser's message are mapped back to the text.
//  - It takes a NUL byte for the end of the input, so a complete document
//    followed by a NUL and anything at all was accepted. The first NUL
//    outside a string is remembered and refused after parsing.
//
// A text without such things, the usual case, is parsed as it is.
constexpr std::size_t max_blank_run = 64;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The JSON number starting at `text[begin]`, as the lexer matches it.
struct NumberToken {
    std::size_t end = 0;             // one past its last character
    bool valid = false;              // a complete number (else the lexer reports it)
    std::size_t digits = 0;          // digits before the exponent
    std::size_t exponent_digits = 0; // significant digits of the exponent
};

NumberToken scan_number(std::string_view text, std::size_t begin) {
    NumberToken t;
    std::size_t i = begin;
    auto digit_run = [&] {
        const std::size_t from = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        return i - from;
    };
    if (text[i] == '-') ++i;
    // One leading zero ends the integer part, as in the lexer ("01" is two tokens).
    if (i < text.size() && text[i] == '0') {
        ++i;
        t.digits = 1;
    } else {
        t.digits = digit_run();
    }
    bool valid = t.digits > 0;
    if (valid && i < text.size() && text[i] == '.') {
        ++i;
        const std::size_t fraction = digit_run();
        t.digits += fraction;
        valid = fraction > 0;
    }
    if (valid && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        const std::size_t from = i;
        while (i < text.size() && text[i] == '0') ++i;
        t.exponent_digits = digit_run();
        valid = i > from;
    }
    t.end = i;
    t.valid = valid;
    return t;
}

// One past the quote that closes the string whose text starts at `from`
// (a quote after an odd number of backslashes is part of the text).
std::size_t string_end(std::string_view text, std::size_t from) {
    for (std::size_t i = from;;) {
        const auto* quote = static_cast<const char*>(std::memchr(text.data() + i, '"', text.size() - i));
        if (!quote) return text.size();
        const auto at = static_cast<std::size_t>(quote - text.data());
        std::size_t backslashes = 0;
        while (at - backslashes > from && text[at - backslashes - 1] == '\\') ++backslashes;
        if (backslashes % 2 == 0) return at + 1;
        i = at + 1;
    }
}

class ParserText {
public:
    explicit ParserText(std::string_view original) : original_(original) {
        const std::size_t n = original.size();
        std::size_t i = 0;
        while (i < n) {
            const char c = original[i];
            if (c == '"') {
                i = string_end(original, i + 1);
            } else if (is_blank(c)) {
                std::size_t end = i;
                while (end < n && is_blank(original[end])) ++end;
                if (end - i > max_blank_run) {
                    replace(i, end, original.substr(i, 1));
                    removed_ += end - i - 1;
                    shortened_.emplace_back(copy_.size(), removed_);
                }
                i = end;
            } else if (c == '-' || is_digit(c)) {
                const NumberToken t = scan_number(original, i);
                const std::string_view token = original.substr(i, t.end - i);
                // Below 100 digits and an exponent below 100 a double is finite;
                // beyond, no decimal (38 digits) can hold the value anyway.
                if (t.valid && (t.digits >= 100 || t.exponent_digits >= 3)) {
                    std::string zero = "0e0";
                    zero.resize(token.size(), ' ');
                    replace(i, t.end, zero);
                    zeros_.push_back(token);
                } else if (token == "0e0") {
                    zeros_.emplace_back();  // a genuine 0e0
                }
                i = t.end;
            } else {
                if (c == '\0' && first_nul_ == std::string_view::npos) first_nul_ = i;
                ++i;
            }
        }
        if (rewritten_) copy_.append(original.substr(done_));
        else zeros_.clear();
    }

    std::string_view text() const { return rewritten_ ? std::string_view(copy_) : original_; }

    /// Every number the parser sees written "0e0", in order: the text it
    /// stands for, or empty for a genuine one. Empty when none was replaced.
    const std::vector<std::string_view>& zeros() const { return zeros_; }

    std::size_t first_nul() const { return first_nul_; }

    /// The parser's message with its position given in the original text
    /// (when white space was shortened) and a long quoted token cut short.
    std::string message(std::string what, std::size_t parser_offset) const {
        if (!shortened_.empty()) {
            const auto at = what.find(" at line ");
            const auto colon = what.find(": ", at == std::string::npos ? 0 : at);
            if (at != std::string::npos && colon != std::string::npos)
                what.replace(at, colon - at, " at " + position(original_offset(parser_offset)));
        }
        // "...; last read: '<token>'...": the token may be megabytes of string or number.
        constexpr std::string_view last_read = "last read: '";
        constexpr std::size_t keep = 40;
        if (auto from = what.find(last_read); from != std::string::npos) {
            from += last_read.size();
            const auto to = what.find('\'', from);
            if (to != std::string::npos && to - from > 2 * keep) {
                std::size_t cut = to - keep;
                while (cut < to && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) ++cut;  // whole UTF-8
                what.replace(from, cut - from, "...");
            }
        }
        return what;
    }

    /// "line L, column C" of an offset of the original text, counted as the
    /// parser counts (the column is the number of characters read on the line).
    std::string position(std::size_t offset) const {
        const std::string_view read = original_.substr(0, std::min(offset, original_.size()));
        const std::size_t lines = static_cast<std::size_t>(std::count(read.begin(), read.end(), '\n'));
        const std::size_t line_start = lines ? read.rfind('\n') + 1 : 0;
        return "line " + std::to_string(lines + 1) + ", column " + std::to_string(offset - line_start);
    }

private:
    // Puts `with` in place of original_[begin, end) in the copy.
    void replace(std::size_t begin, std::size_t end, std::string_view with) {
        if (!rewritten_) copy_.reserve(original_.size());
        rewritten_ = true;
        copy_.append(original_.substr(done_, begin - done_));
        copy_.append(with);
        done_ = end;
    }
    std::size_t original_offset(std::size_t parser_offset) const {
        // The last shortened run ending at or before the offset says how much was removed before it.
        auto after = std::upper_bound(shortened_.begin(), shortened_.end(), parser_offset,
                                      [](std::size_t v, const auto& run) { return v < run.first; });
        return after == shortened_.begin() ? parser_offset : parser_offset + std::prev(after)->second;
    }

    std::string_view original_;
    std::string copy_;
    bool rewritten_ = false;
    std::size_t done_ = 0;     // original_[0, done_) is in copy_
    std::size_t removed_ = 0;  // characters removed so far
    std::vector<std::pair<std::size_t, std::size_t>> shortened_;  // (end of a run in copy_, removed up to it)
    std::vector<std::string_view> zeros_;
    std::size_t first_nul_ = std::string_view::npos;
};

using io_detail::shown;

// One scalar JSON value as the SAX parser delivers it.
struct Scalar {
    enum class Type { null, boolean, whole, number_text, string };
    explicit Scalar(Type t) : type(t) {}

    Type type;
    bool boolean = false;
    int128 whole = 0;
    std::string_view text;  // number_text and string

    const char* json_type() const {
        switch (type) {
            case Type::null: return "null";
            case Type::boolean: return "a boolean";
            case Type::whole: return "a number";
            case Type::number_text: return "a number";
            case Type::string: return "a string";
        }
        return "?";
    }
};

// An object or array being read. Frames hold no path: a path is built from
// the stack only when a problem needs one, so that neither millions of
// orders nor deep nesting (within a raised max_depth) cost a string each.
struct Frame {
    explicit Frame(Context c, bool is_array = false) : context(c), array(is_array) {}

    Context context;
    bool array;
    std::string key;        // object: the key being read
    std::size_t index = 0;  // array: elements seen
    std::uint32_t seen = 0; // object: fields seen (bit per FieldSpec)
};

class RoundHandler {
public:
    RoundHandler(Round& round, Problems& problems, const ReadLimits& limits, const OrderSources& sources,
                 const ParserText& input)
        : round_(round), problems_(problems), limits_(limits), sources_(sources), input_(input) {
        stack_.emplace_back(Context::document);
    }

    // --- SAX interface ---------------------------------------------------
    bool null() { return scalar(Scalar(Scalar::Type::null)); }
    bool boolean(bool v) {
        Scalar s(Scalar::Type::boolean);
        s.boolean = v;
        return scalar(s);
    }
    bool number_integer(json::number_integer_t v) {
        Scalar s(Scalar::Type::whole);
        s.whole = v;
        return scalar(s);
    }
    bool number_unsigned(json::number_unsigned_t v) {
        Scalar s(Scalar::Type::whole);
        s.whole = static_cast<int128>(v);
        return scalar(s);
    }
    bool number_float(json::number_float_t, const json::string_t& text) {
        Scalar s(Scalar::Type::number_text);
        s.text = text;
        // A number replaced before parsing (see ParserText) gets its own text back.
        if (zeros_seen_ < input_.zeros().size() && s.text == "0e0") {
            const std::string_view original = input_.zeros()[zeros_seen_++];
            if (!original.empty()) s.text = original;
        }
        // Under a locale whose decimal point is not '.', the lexer writes that
        // point into the number's text (it hands the text to strtod): put the
        // '.' back, or "14500.5" would be read as "14500,5", not a decimal.
        if (s.text.find_first_not_of("0123456789+-eE.") != std::string_view::npos) {
            number_.assign(s.text);
            for (char& c : number_)
                if (!is_digit(c) && c != '+' && c != '-' && c != 'e' && c != 'E') c = '.';
            s.text = number_;
        }
        return scalar(s);
    }
    bool string(json::string_t& v) {
        Scalar s(Scalar::Type::string);
        s.text = v;
        return scalar(s);
    }
    bool binary(json::binary_t&) { return scalar(Scalar(Scalar::Type::null)); }

    bool key(json::string_t& k) {
        Frame& f = stack_.back();
        f.key = k;
        if (f.context == Context::skip) return true;
        if (f.context == Context::fx) {
            if (!fx_keys_.insert(k).second) duplicate(field_path());
            return true;
        }
        FieldTable t = fields_of(f.context);
        for (std::size_t i = 0; i < t.size; ++i) {
            if (t.begin[i].name != k) continue;
            if (f.seen & (1u << i)) duplicate(field_path());
            f.seen |= 1u << i;
            return true;
        }
        std::string known;
        for (std::size_t i = 0; i < t.size; ++i) known += (i ? ", " : "") + std::string(t.begin[i].name);
        add(field_path(), "unknown field (a typo?); " + std::string(t.what) + " fields are " + known);
        return true;
    }

    bool start_object(std::size_t) {
        if (!within_depth()) return false;
        Context child = Context::skip;
        const Frame& parent = stack_.back();
        switch (parent.context) {
            case Context::document:
                child = Context::top;
                read_top_ = true;
                break;
            case Context::top:
                if (parent.key == "material") child = Context::material;
                else if (parent.key == "fx") {
                    child = Context::fx;
                    fx_keys_.clear();  // a repeated "fx" is reported at its key; its entries anew
                }
                else if (parent.key == "rules") child = Context::rules;
                else if (parent.key == "logistics") {
                    child = Context::logistics;
                    round_.logistics.emplace();  // a repeated "logistics" is reported at its key, read anew
                }
                break;
            case Context::rules:
                if (parent.key == "pricing") child = Context::pricing;
                break;
            case Context::bids:
                child = Context::bid;
                if (!new_order()) return false;
                break;
            case Context::offers:
                child = Context::offer;
                if (!new_order()) return false;
                break;
            case Context::routes:
                child = Context::route;
                if (!new_route()) return false;
                break;
            default: break;
        }
        if (child == Context::skip && parent.context != Context::skip && known_field(parent))
            wrong_type(value_path(), "an object");
        if (child == Context::skip && parent.context == Context::document)
            add("", "the document must be a JSON object");
        advance_array();
        stack_.emplace_back(child);
        return true;
    }

    bool end_object() {
        const Frame& f = stack_.back();
        FieldTable t = fields_of(f.context);
        for (std::size_t i = 0; i < t.size; ++i) {
            const std::string_view name = t.begin[i].name;
            const bool elsewhere =
                (f.context == Context::top && ((name == "bids" && sources_.bids_from_csv) ||
                                               (name == "offers" && sources_.offers_from_csv))) ||
                (f.context == Context::logistics && name == "routes" && sources_.routes_from_csv);
            const bool seen = f.seen & (1u << i);
            if (elsewhere && seen)
                add(join(path_of(stack_.size() - 1), name),
                    "is given both here and in a CSV file; give it in one place");
            else if (t.begin[i].required && !seen && !elsewhere)
                add(join(path_of(stack_.size() - 1), name), "is required");
        }
        stack_.pop_back();
        return true;
    }

    bool start_array(std::size_t) {
        if (!within_depth()) return false;
        Context child = Context::skip;
        const Frame& parent = stack_.back();
        if (parent.context == Context::bids || parent.context == Context::offers)
            if (!not_an_order("an array")) return false;
        if (parent.context == Context::routes && !not_a_route("an array")) return false;
        if (parent.context == Context::top && parent.key == "bids") child = Context::bids;
        if (parent.context == Context::top && parent.key == "offers") child = Context::offers;
        if (parent.context == Context::logistics && parent.key == "routes") child = Context::routes;
        if (parent.context == Context::rules && parent.key == "excluded_origins") child = Context::excluded;
        if (child == Context::skip && parent.context != Context::skip && known_field(parent))
            wrong_type(value_path(), "an array");
        if (parent.context == Context::document) add("", "the document must be a JSON object");
        advance_array();
        stack_.emplace_back(child, true);
        return true;
    }

    bool end_array() {
        stack_.pop_back();
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        std::string what = e.what();
        // Drop nlohmann's "[json.exception.parse_error.101] " prefix; keep line and column.
        if (auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
            what.erase(0, close + 2);
        add("", "not valid JSON: " + input_.message(std::move(what), position));
        return false;
    }

    bool read_an_object() const { return read_top_; }

private:
    void add(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }
    void duplicate(const std::string& path) { add(path, "appears more than once in the same object"); }

    static std::string join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    // Path of the object or array of frame `depth`, from the keys and element
    // counters of the frames below it (each has already counted its element).
    std::string path_of(std::size_t depth) const {
        std::string path;
        for (std::size_t d = 1; d < depth; ++d) {
            const Frame& f = stack_[d];
            if (f.array) {
                path += "[" + std::to_string(f.index - 1) + "]";
            } else {
                if (!path.empty()) path += '.';
                path += f.key;  // appended, not joined: linear in the depth
            }
        }
        return path;
    }
    std::string field_path() const { return join(path_of(stack_.size() - 1), stack_.back().key); }
    // Path of the value about to be read: an object's current key or an array's next element.
    std::string value_path() const {
        const Frame& f = stack_.back();
        if (f.context == Context::document) return "";
        if (f.array) return path_of(stack_.size() - 1) + "[" + std::to_string(f.index) + "]";
        return field_path();
    }
    void advance_array() {
        Frame& f = stack_.back();
        if (f.array) ++f.index;
    }

    bool within_depth() {
        if (stack_.size() <= limits_.max_depth) return true;
        add(value_path(), "nested deeper than " + std::to_string(limits_.max_depth) + " levels");
        return false;
    }

    bool known_field(const Frame& f) const {
        if (f.context == Context::fx || f.context == Context::excluded) return true;
        FieldTable t = fields_of(f.context);
        for (std::size_t i = 0; i < t.size; ++i)
            if (t.begin[i].name == f.key) return true;
        return false;
    }
    const FieldSpec* spec_of(const Frame& f) const {
        FieldTable t = fields_of(f.context);
        for (std::size_t i = 0; i < t.size; ++i)
            if (t.begin[i].name == f.key) return &t.begin[i];
        return nullptr;
    }

    void wrong_type(const std::string& path, const char* got) {
        const Frame& f = stack_.back();
        const char* want = "a string";
        if (f.context == Context::fx) {
            want = kind_name(Kind::decimal);
            round_.fx.try_emplace(f.key, Decimal::integer(1));  // a placeholder rate, as in scalar()
        } else if (f.context != Context::excluded)
            if (const FieldSpec* s = spec_of(f)) want = kind_name(s->kind);
        add(path, std::string("must be ") + want + ", not " + got);
    }

    // A new order in the list on top of the stack, within limits.max_orders.
    bool new_order() {
        if (round_.bids.size() + round_.offers.size() >= limits_.max_orders) {
            add(value_path(), "the round holds more than " + std::to_string(limits_.max_orders) +
                                  " orders, the reader's limit");
            return false;
        }
        if (stack_.back().context == Context::bids) round_.bids.emplace_back();
        else round_.offers.emplace_back();
        return true;
    }
    // A list element that is no object still takes its place as an empty
    // order: the value checks report orders by position, so the orders after
    // it keep theirs, and the placeholder's own "problems" follow from this one.
    bool not_an_order(const char* got) {
        if (!new_order()) return false;
        add(value_path(), std::string("must be an object, not ") + got);
        return true;
    }

    // A new route in logistics.routes. Routes are bounded by limits.max_orders
    // on their own (they are no orders), so that a hostile list of routes
    // cannot cost more memory than a list of orders could.
    bool new_route() {
        std::vector<Route>& routes = round_.logistics->routes;
        if (routes.size() >= limits_.max_orders) {
            add(value_path(), "the round holds more than " + std::to_string(limits_.max_orders) +
                                  " routes, the reader's limit");
            return false;
        }
        routes.emplace_back();
        return true;
    }
    // As for orders: a placeholder keeps the positions of the routes after it.
    bool not_a_route(const char* got) {
        if (!new_route()) return false;
        add(value_path(), std::string("must be an object, not ") + got);
        return true;
    }

    // --- typed readers -----------------------------------------------------
    template <class String, class PathFn>
    bool read_string(const Scalar& s, String& out, PathFn&& path) {
        if (s.type != Scalar::Type::string) return wrong_type(path(), s.json_type()), false;
        out.assign(s.text);
        return true;
    }
    template <class PathFn>
    bool read_decimal(const Scalar& s, Decimal& out, PathFn&& path) {
        if (s.type == Scalar::Type::whole) {
            out = Decimal::from_units(s.whole, 0);
            return true;
        }
        if (s.type == Scalar::Type::string || s.type == Scalar::Type::number_text) {
            ParsedDecimal p = Decimal::parse(s.text, s.type == Scalar::Type::number_text);
            if (!p.value) {
                add(path(), shown(s.text, true) + " " + p.error);
                return false;
            }
            out = *p.value;
            return true;
        }
        wrong_type(path(), s.json_type());
        return false;
    }
    template <class PathFn>
    bool read_whole(const Scalar& s, std::int64_t& out, PathFn&& path) {
        if (s.type == Scalar::Type::whole) {
            if (s.whole < INT64_MIN || s.whole > INT64_MAX) {
                add(path(), Decimal::from_units(s.whole, 0).to_string() + " is too large for a whole number of lots");
                return false;
            }
            out = static_cast<std::int64_t>(s.whole);
            return true;
        }
        if (s.type == Scalar::Type::number_text) {
            const bool digits_only = s.text.find_first_not_of("-0123456789") == std::string_view::npos;
            add(path(), shown(s.text, false) + (digits_only ? " is too large for a whole number of lots"
                                                            : " is not a whole number"));
            return false;
        }
        wrong_type(path(), s.json_type());
        return false;
    }
    template <class PathFn>
    bool read_bool(const Scalar& s, bool& out, PathFn&& path) {
        if (s.type != Scalar::Type::boolean) return wrong_type(path(), s.json_type()), false;
        out = s.boolean;
        return true;
    }

    bool scalar(const Scalar& s) {
        Frame& f = stack_.back();
        switch (f.context) {
            case Context::document: add("", "the document must be a JSON object"); return true;
            case Context::skip: return true;
            case Context::excluded: {
                std::string code;
                if (read_string(s, code, [&] { return value_path(); }))
                    round_.rules.excluded_origins.push_back(std::move(code));
                advance_array();
                return true;
            }
            case Context::bids:
            case Context::offers:
                if (!not_an_order(s.json_type())) return false;
                advance_array();
                return true;
            case Context::routes:
                if (!not_a_route(s.json_type())) return false;
                advance_array();
                return true;
            case Context::fx: {
                // An unreadable rate still names its currency, with a neutral
                // placeholder: otherwise every order in that currency would
                // be reported as having no rate, a consequence of this problem.
                Decimal rate = Decimal::integer(1);
                read_decimal(s, rate, [&] { return field_path(); });
                round_.fx[f.key] = rate;
                return true;
            }
            default: break;
        }
        const std::string& k = f.key;
        if (!known_field(f)) return true;  // reported at the key
        const bool absent = s.type == Scalar::Type::null;
        auto path = [&] { return field_path(); };
        const FieldSpec* spec = spec_of(f);
        if (absent && spec && !spec->required) return true;  // null = absent for optional fields
        if (spec && (spec->kind == Kind::object || spec->kind == Kind::array)) {
            wrong_type(path(), s.json_type());
            return true;
        }
        switch (f.context) {
            case Context::top:
                if (k == "format") read_string(s, round_.format, path);
                else if (k == "round") read_string(s, round_.id, path);
                else if (k == "currency") read_string(s, round_.currency, path);
                break;
            case Context::material:
                if (k == "code") read_string(s, round_.material.code, path);
                else if (k == "name") {
                    std::string name;
                    if (read_string(s, name, path)) round_.material.name = std::move(name);
                } else if (k == "lot_tonnes") read_decimal(s, round_.material.lot_tonnes, path);
                break;
            case Context::rules:
                if (k == "tick") read_decimal(s, round_.rules.tick, path);
                else if (k == "max_origin_share") {
                    Decimal share;
                    if (read_decimal(s, share, path)) round_.rules.max_origin_share = share;
                } else if (k == "require_certified") read_bool(s, round_.rules.require_certified, path);
                break;
            case Context::pricing:
                if (k == "rule") {
                    std::string rule;
                    if (!read_string(s, rule, path)) break;
                    if (rule == "uniform") round_.rules.pricing = PricingRule::uniform;
                    else if (rule == "pay-as-bid") round_.rules.pricing = PricingRule::pay_as_bid;
                    else add(path(), shown(rule, true) + " is not a pricing rule (uniform or pay-as-bid)");
                } else if (k == "k") read_decimal(s, round_.rules.k, path);
                break;
            case Context::bid: {
                Bid& b = round_.bids.back();
                if (k == "id") read_string(s, b.id, path);
                else if (k == "buyer") read_string(s, b.buyer, path);
                else if (k == "bloc") read_string(s, b.bloc, path);
                else if (k == "lots") read_whole(s, b.lots, path);
                else if (k == "min_lots") read_whole(s, b.min_lots, path);
                else if (k == "limit") read_decimal(s, b.limit, path);
                else if (k == "currency") {
                    std::string c;
                    if (read_string(s, c, path)) b.currency = std::move(c);
                } else if (k == "delivery") {
                    std::string place;
                    if (read_string(s, place, path)) b.delivery = std::move(place);
                }
                break;
            }
            case Context::offer: {
                Offer& o = round_.offers.back();
                if (k == "id") read_string(s, o.id, path);
                else if (k == "supplier") read_string(s, o.supplier, path);
                else if (k == "origin") read_string(s, o.origin, path);
                else if (k == "lots") read_whole(s, o.lots, path);
                else if (k == "min_lots") read_whole(s, o.min_lots, path);
                else if (k == "ask") read_decimal(s, o.ask, path);
                else if (k == "certified") read_bool(s, o.certified, path);
                else if (k == "currency") {
                    std::string c;
                    if (read_string(s, c, path)) o.currency = std::move(c);
                } else if (k == "port") {
                    std::string place;
                    if (read_string(s, place, path)) o.port = std::move(place);
                }
                break;
            }
            case Context::route: {
                Route& r = round_.logistics->routes.back();
                if (k == "from") read_string(s, r.from, path);
                else if (k == "to") read_string(s, r.to, path);
                else if (k == "freight") read_decimal(s, r.freight, path);
                else if (k == "currency") {
                    std::string c;
                    if (read_string(s, c, path)) r.currency = std::move(c);
                } else if (k == "capacity_lots") {
                    std::int64_t lots = 0;
                    if (read_whole(s, lots, path)) r.capacity_lots = lots;
                }
                break;
            }
            default: break;
        }
        return true;
    }

    Round& round_;
    Problems& problems_;
    const ReadLimits& limits_;
    const OrderSources& sources_;
    const ParserText& input_;
    std::vector<Frame> stack_;
    std::unordered_set<std::string> fx_keys_;  // keys of the fx object, for duplicates (a set: fx may be huge)
    std::size_t zeros_seen_ = 0;  // numbers "0e0" seen, to find replaced ones in input_.zeros()
    std::string number_;          // a number's text with its decimal point put back
    bool read_top_ = false;
};

}  // namespace

namespace io_detail {

RoundRead read_round_careful(std::string_view text, const ReadLimits& limits, const OrderSources& sources) {
    RoundRead out;
    if (text.size() > limits.max_bytes) {
        out.problems.push_back({"", "the document is larger than the reader's limit of " +
                                        std::to_string(limits.max_bytes) + " bytes"});
        return out;
    }
    // Said plainly rather than as "unexpected end of input" at the end of
    // what may be gigabytes of white space.
    std::string_view body = text;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    if (body.find_first_not_of(" \t\n\r") == std::string_view::npos) {
        out.problems.push_back({"", "not valid JSON: the document is empty (no text, or only white space)"});
        return out;
    }
    const ParserText input(text);
    Round round;
    RoundHandler handler(round, out.problems, limits, sources, input);
    const std::string_view parsed = input.text();
    const bool complete = json::sax_parse(parsed.begin(), parsed.end(), &handler, json::input_format_t::json, true,
                                          false);
    // The lexer ends the input at a NUL byte (see ParserText): a document it
    // found complete before one still has a byte after its end.
    if (complete && input.first_nul() != std::string_view::npos) {
        out.problems.push_back({"", "not valid JSON: parse error at " + input.position(input.first_nul() + 1) +
                                        ": syntax error while parsing value - NUL byte (U+0000); expected end of "
                                        "input"});
        return out;
    }
    if (out.problems.empty()) {
        out.round = std::move(round);
        return out;
    }
    // A well-formed document with some unreadable fields: still report the
    // value problems of the rest, so the owner fixes everything in one go.
    // Fields already reported hold placeholders; their paths are skipped.
    // Not when reading stopped early (a syntax error, the depth or order
    // limit): the round then lacks whatever came after, and its "problems"
    // would be guesses.
    if (complete && handler.read_an_object()) {
        std::unordered_set<std::string> reported;
        bool logistics_reported = false;
        for (const Problem& p : out.problems) {
            reported.insert(p.path);
            logistics_reported = logistics_reported || p.path.starts_with("logistics");
        }
        // Places are checked against the routes: with routes still to come
        // from a CSV file, or some of them unreadable, those checks would guess.
        const bool routes_unknown = sources.routes_from_csv || logistics_reported;
        auto about_places = [](const std::string& path) {
            return path.starts_with("logistics") || path.ends_with(".delivery") || path.ends_with(".port");
        };
        auto follows_from_reported = [&](const std::string& path) {
            for (std::size_t cut = path.size(); cut != std::string::npos; cut = path.find_last_of(".[", cut - 1)) {
                if (reported.count(path.substr(0, cut))) return true;
                if (cut == 0) break;
            }
            return false;
        };
        for (Problem& p : prepare(round).problems)
            if (!follows_from_reported(p.path) && !(routes_unknown && about_places(p.path)))
                out.problems.push_back(std::move(p));
    }
    return out;
}

// The fast reader when it is sure, else the careful one (json_fast_reader.h).
RoundRead read_round(std::string_view text, std::size_t readable, const ReadLimits& limits,
                     const OrderSources& sources, const ReadHelp& help) {
    if (std::optional<Round> round = read_round_fast(text, readable, limits, sources, help))
        return {{}, std::move(round)};
    return read_round_careful(text, limits, sources);
}

}  // namespace io_detail

using io_detail::read_round;

RoundRead read_round_json(std::string_view text, const ReadLimits& limits, const OrderSources& sources) {
    return read_round(text, text.size(), limits, sources);
}

RoundRead read_round_file(const std::string& path, const ReadLimits& limits, const OrderSources& sources) {
    RoundRead out;
    std::optional<std::string> text = read_text_file(path, limits, out.problems);
    if (!text) return out;
    // read_text_file() leaves room for the fast reader to parse in place.
    return read_round(*text, text->capacity(), limits, sources);
}

}  // namespace jpclear
