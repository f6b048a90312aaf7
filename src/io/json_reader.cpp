// Reading a `jpclear.round/1` document with nlohmann-json's SAX interface.
//
// SAX, not the DOM: the DOM would turn decimals into doubles, and for rounds
// of millions of orders it would hold the whole tree in memory. Here every
// event goes straight into the Round, decimals are read from their text, and
// each problem is recorded with its field path while parsing goes on, so one
// run reports them all. Value ranges are left to validate_fields().

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "jpclear/io.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/model/validate.h"

namespace jpclear {
namespace {

using json = nlohmann::json;

enum class Context { document, top, material, fx, rules, pricing, excluded, bids, bid, offers, offer, skip };

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
    {"bids", Kind::array, true},      {"offers", Kind::array, true},
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
    {"currency", Kind::string, false},
};
constexpr FieldSpec offer_fields[] = {
    {"id", Kind::string, true},        {"supplier", Kind::string, true}, {"origin", Kind::string, true},
    {"lots", Kind::whole, true},       {"min_lots", Kind::whole, false}, {"ask", Kind::decimal, true},
    {"currency", Kind::string, false}, {"certified", Kind::boolean, false},
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

struct Frame {
    Context context;
    std::string path;       // of this object or array; empty for an order (see list)
    const char* list = nullptr;  // an order: "bids" or "offers", with its position in `element`
    std::size_t element = 0;
    std::string key;        // object: the key being read
    std::size_t index = 0;  // array: elements seen
    std::uint32_t seen = 0; // object: fields seen (bit per FieldSpec)
    std::vector<std::string> other_keys;  // fx: keys seen, for duplicates
};

class RoundHandler {
public:
    RoundHandler(Round& round, Problems& problems, const ReadLimits& limits, const OrderSources& sources)
        : round_(round), problems_(problems), limits_(limits), sources_(sources) {
        stack_.push_back(Frame{Context::document, "", nullptr, 0, "", 0, 0, {}});
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
            for (const auto& seen : f.other_keys)
                if (seen == k) duplicate(field_path());
            f.other_keys.push_back(k);
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
        if (stack_.size() > limits_.max_depth) {
            add(value_path(), "nested deeper than " + std::to_string(limits_.max_depth) + " levels");
            return false;
        }
        Context child = Context::skip;
        const Frame& parent = stack_.back();
        // Orders are the bulk of a round: their paths are made only when a problem needs one.
        const bool is_order = parent.context == Context::bids || parent.context == Context::offers;
        std::string path = is_order ? std::string() : value_path();
        const char* list = parent.context == Context::bids ? "bids" : "offers";
        const std::size_t element = parent.index;
        switch (parent.context) {
            case Context::document:
                child = Context::top;
                read_top_ = true;
                break;
            case Context::top:
                if (parent.key == "material") child = Context::material;
                else if (parent.key == "fx") child = Context::fx;
                else if (parent.key == "rules") child = Context::rules;
                break;
            case Context::rules:
                if (parent.key == "pricing") child = Context::pricing;
                break;
            case Context::bids:
                child = Context::bid;
                if (!count_order()) return false;
                round_.bids.emplace_back();
                break;
            case Context::offers:
                child = Context::offer;
                if (!count_order()) return false;
                round_.offers.emplace_back();
                break;
            default: break;
        }
        if (child == Context::skip && parent.context != Context::skip && known_field(parent))
            wrong_type(path, "an object");
        if (child == Context::skip && parent.context == Context::document)
            add("", "the document must be a JSON object");
        advance_array();
        stack_.push_back(Frame{child, std::move(path), is_order ? list : nullptr, element, "", 0, 0, {}});
        return true;
    }

    bool end_object() {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        FieldTable t = fields_of(f.context);
        for (std::size_t i = 0; i < t.size; ++i) {
            const std::string_view name = t.begin[i].name;
            const bool elsewhere = f.context == Context::top && ((name == "bids" && sources_.bids_from_csv) ||
                                                                 (name == "offers" && sources_.offers_from_csv));
            const bool seen = f.seen & (1u << i);
            if (elsewhere && seen)
                add(join(path_of(f), name), "is given both here and in a CSV file; give it in one place");
            else if (t.begin[i].required && !seen && !elsewhere)
                add(join(path_of(f), name), "is required");
        }
        return true;
    }

    bool start_array(std::size_t) {
        if (stack_.size() > limits_.max_depth) {
            add(value_path(), "nested deeper than " + std::to_string(limits_.max_depth) + " levels");
            return false;
        }
        Context child = Context::skip;
        const Frame& parent = stack_.back();
        std::string path = value_path();
        if (parent.context == Context::bids || parent.context == Context::offers)
            add(path, "must be an object, not an array");
        if (parent.context == Context::top && parent.key == "bids") child = Context::bids;
        if (parent.context == Context::top && parent.key == "offers") child = Context::offers;
        if (parent.context == Context::rules && parent.key == "excluded_origins") child = Context::excluded;
        if (child == Context::skip && parent.context != Context::skip && known_field(parent))
            wrong_type(path, "an array");
        if (parent.context == Context::document) add("", "the document must be a JSON object");
        advance_array();
        stack_.push_back(Frame{child, std::move(path), nullptr, 0, "", 0, 0, {}});
        return true;
    }

    bool end_array() {
        stack_.pop_back();
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
        std::string what = e.what();
        // Drop nlohmann's "[json.exception.parse_error.101] " prefix; keep line and column.
        if (auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
            what.erase(0, close + 2);
        add("", "not valid JSON: " + what);
        syntax_error_ = true;
        return false;
    }

    bool syntax_error() const { return syntax_error_; }
    bool read_an_object() const { return read_top_; }

private:
    void add(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }
    void duplicate(const std::string& path) { add(path, "appears more than once in the same object"); }

    static std::string join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    static std::string path_of(const Frame& f) {
        return f.list ? std::string(f.list) + "[" + std::to_string(f.element) + "]" : f.path;
    }
    std::string field_path() const { return join(path_of(stack_.back()), stack_.back().key); }
    // Path of the value about to be read: an object's current key or an array's next element.
    std::string value_path() const {
        const Frame& f = stack_.back();
        switch (f.context) {
            case Context::bids:
            case Context::offers:
            case Context::excluded: return f.path + "[" + std::to_string(f.index) + "]";
            case Context::document: return "";
            default:
                if (f.context == Context::skip && f.key.empty()) return f.path + "[" + std::to_string(f.index) + "]";
                return field_path();
        }
    }
    void advance_array() {
        Frame& f = stack_.back();
        if (f.context == Context::bids || f.context == Context::offers || f.context == Context::excluded ||
            (f.context == Context::skip && f.key.empty()))
            ++f.index;
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
        if (f.context == Context::fx) want = kind_name(Kind::decimal);
        else if (f.context != Context::excluded)
            if (const FieldSpec* s = spec_of(f)) want = kind_name(s->kind);
        add(path, std::string("must be ") + want + ", not " + got);
    }

    bool count_order() {
        if (round_.bids.size() + round_.offers.size() >= limits_.max_orders) {
            add(value_path(), "the round holds more than " + std::to_string(limits_.max_orders) +
                                  " orders, the reader's limit");
            return false;
        }
        return true;
    }

    // --- typed readers -----------------------------------------------------
    template <class PathFn>
    bool read_string(const Scalar& s, std::string& out, PathFn&& path) {
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
                add(path(), detail::quoted(s.text) + " " + p.error);
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
            add(path(), std::string(s.text) + (digits_only ? " is too large for a whole number of lots"
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
                const std::size_t element = f.index;
                advance_array();
                std::string code;
                auto path = [&] { return f.path + "[" + std::to_string(element) + "]"; };
                if (read_string(s, code, path)) round_.rules.excluded_origins.push_back(std::move(code));
                return true;
            }
            case Context::bids:
            case Context::offers: {
                std::string path = value_path();
                advance_array();
                add(path, std::string("must be an object, not ") + s.json_type());
                return true;
            }
            case Context::fx: {
                Decimal rate;
                if (read_decimal(s, rate, [&] { return field_path(); })) round_.fx[f.key] = rate;
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
                    else add(path(), detail::quoted(rule) + " is not a pricing rule (uniform or pay-as-bid)");
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
    std::vector<Frame> stack_;
    bool syntax_error_ = false;
    bool read_top_ = false;
};

}  // namespace

RoundRead read_round_json(std::string_view text, const ReadLimits& limits, const OrderSources& sources) {
    RoundRead out;
    if (text.size() > limits.max_bytes) {
        out.problems.push_back({"", "the document is larger than the reader's limit of " +
                                        std::to_string(limits.max_bytes) + " bytes"});
        return out;
    }
    Round round;
    RoundHandler handler(round, out.problems, limits, sources);
    json::sax_parse(text.begin(), text.end(), &handler, json::input_format_t::json, true, false);
    if (out.problems.empty()) {
        out.round = std::move(round);
        return out;
    }
    // A well-formed document with some unreadable fields: still report the
    // value problems of the rest, so the owner fixes everything in one go.
    // Fields already reported hold placeholders; their paths are skipped.
    if (!handler.syntax_error() && handler.read_an_object()) {
        std::unordered_set<std::string> reported;
        for (const Problem& p : out.problems) reported.insert(p.path);
        auto follows_from_reported = [&](const std::string& path) {
            for (std::size_t cut = path.size(); cut != std::string::npos; cut = path.find_last_of(".[", cut - 1)) {
                if (reported.count(path.substr(0, cut))) return true;
                if (cut == 0) break;
            }
            return false;
        };
        for (Problem& p : prepare(round).problems)
            if (!follows_from_reported(p.path)) out.problems.push_back(std::move(p));
    }
    return out;
}

RoundRead read_round_file(const std::string& path, const ReadLimits& limits, const OrderSources& sources) {
    RoundRead out;
    std::optional<std::string> text = read_text_file(path, limits, out.problems);
    if (!text) return out;
    return read_round_json(*text, limits, sources);
}

}  // namespace jpclear
