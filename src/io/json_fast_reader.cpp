// The fast reader of a `jpclear.round/1` document: simdjson On-Demand.
//
// The careful reader (json_reader.cpp) spends most of a large round in
// nlohmann's lexer. This one reads a clean document at the speed simdjson
// walks it. It is the second of the fast reader's two tiers: the order
// scanner (json_order_scanner.cpp) reads the common case without simdjson's
// index and hands this file only the small rest of the document, or the
// whole text when it is unsure of it. This one gives up at the first thing
// the careful reader
// would report or treat in any special way: a syntax error, an unknown or
// repeated field, a wrong type, a number no decimal holds, text that is not
// UTF-8, a limit. Giving up costs only the time spent so far; the careful
// reader then reads the text again and says what is wrong, so no message
// depends on this file. fuzz/fuzz_fast_reader.cpp holds it to that: whatever
// it reads, the careful reader reads the same.
//
// Decimals are taken from their text (a number's raw token), never through
// a double, exactly as the careful reader takes them.

#include "io/json_fast_reader.h"

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "io/json_tokens.h"
#include "io/prefault.h"
#include "io/text.h"

namespace jpclear::io_detail {
namespace {

namespace od = simdjson::ondemand;

static_assert(json_padding >= simdjson::SIMDJSON_PADDING);

class FastReader {
public:
    FastReader(Round& round, const ReadLimits& limits, const OrderSources& sources, bool prefault)
        : round_(round), limits_(limits), sources_(sources), prefault_(prefault) {}

    bool document(od::document& doc) {
        od::object top;
        if (!within_depth(1) || doc.get_object().get(top)) return false;
        const std::uint32_t from_csv = (sources_.bids_from_csv ? bit(6) : 0) | (sources_.offers_from_csv ? bit(7) : 0);
        const std::uint32_t required = top_required | ((bit(6) | bit(7)) & ~from_csv);
        const bool read = each_field(top, top_fields, required, from_csv, [&](std::size_t i, od::value& v) {
            switch (i) {
                case 0: return text(v, round_.format);
                case 1: return text(v, round_.id);
                case 2: return material(v);
                case 3: return text(v, round_.currency);
                case 4: return fx(v);
                case 5: return rules(v);
                case 6: return list(v, 2, round_.bids, &FastReader::bid);
                case 7: return list(v, 2, round_.offers, &FastReader::offer);
                default: return logistics(v);
            }
        });
        // Nothing may follow the object (simdjson stops after it): at the
        // end, simdjson's position is out of bounds.
        return read && doc.is_alive() && doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
    }

private:
    // The careful reader refuses a container opened at nesting level `level`
    // (the document's object is level 1) beyond limits.max_depth.
    bool within_depth(std::uint32_t level) const { return level <= limits_.max_depth; }

    // Reads the fields of `object`, each at most once and each one of
    // `names`, by `on_field(index, value)`; a null optional field is left out,
    // as the careful reader takes it. A `forbidden` field (one a CSV file
    // gives) may not appear at all, not even as null.
    template <std::size_t N, class OnField>
    static bool each_field(od::object& object, const std::array<std::string_view, N>& names, std::uint32_t required,
                           std::uint32_t forbidden, OnField&& on_field) {
        std::uint32_t seen = 0;
        static_assert(N <= 32);
        for (auto item : object) {
            od::field field;
            if (std::move(item).get(field)) return false;
            // The key as it is written; only a key with an escape ("\u0069d")
            // is decoded. Decoding every key would write it into simdjson's
            // string buffer, memory the size of the text that a clean round
            // never needs.
            const od::raw_json_string key = field.key();
            std::size_t i = 0;
            while (i < N && !key.unsafe_is_equal(names[i])) ++i;
            if (i == N && has_escape(key)) {
                std::string_view decoded;
                if (field.unescaped_key().get(decoded)) return false;
                i = 0;
                while (i < N && names[i] != decoded) ++i;
            }
            if (i == N || (seen & bit(i)) || (forbidden & bit(i))) return false;
            seen |= bit(i);
            od::value& value = field.value();
            od::json_type type;
            if (value.type().get(type)) return false;
            if (type == od::json_type::null && !(required & bit(i))) {
                bool null = false;
                if (value.is_null().get(null) || !null) return false;
                continue;
            }
            if (!on_field(i, value)) return false;
        }
        return (seen & required) == required;
    }

    // Whether a well-formed string (simdjson checked it) holds an escape: an
    // escaped quote comes after a backslash, so the first quote ends it
    // unless a backslash came first.
    static bool has_escape(const od::raw_json_string& s) {
        for (const char* p = s.raw(); *p != '"'; ++p)
            if (*p == '\\') return true;
        return false;
    }

    template <std::size_t N, class OnField>
    bool object(od::value& v, std::uint32_t level, const std::array<std::string_view, N>& names,
                std::uint32_t required, OnField&& on_field, std::uint32_t forbidden = 0) {
        od::object o;
        return within_depth(level) && !v.get_object().get(o) &&
               each_field(o, names, required, forbidden, std::forward<OnField>(on_field));
    }

    // A list within limits.max_orders (bids and offers count together;
    // routes on their own), reserved at its length.
    template <class T>
    bool list(od::value& v, std::uint32_t level, std::vector<T>& out, bool (FastReader::*element)(od::value&, T&)) {
        od::array array;
        std::size_t count = 0;
        if (!within_depth(level) || v.get_array().get(array) || array.count_elements().get(count)) return false;
        const bool orders = !std::is_same_v<T, Route>;
        const std::uint64_t used = orders ? orders_ : 0;
        if (count > limits_.max_orders - used) return false;
        if (orders) orders_ += count;
        out.reserve(count);
        Prefault ahead(out.data(), prefault_ ? count * sizeof(T) : 0);
        for (auto item : array) {
            od::value value;
            if (std::move(item).get(value)) return false;
            if (!(this->*element)(value, out.emplace_back())) return false;
            ahead.written_one(out.size(), sizeof(T));
        }
        return true;
    }

    bool material(od::value& v) {
        Material& m = round_.material;
        return object(v, 2, material_fields, material_required, [&](std::size_t i, od::value& f) {
            return i == 0 ? text(f, m.code) : i == 1 ? text(f, m.name) : decimal(f, m.lot_tonnes);
        });
    }

    bool fx(od::value& v) {
        od::object o;
        if (!within_depth(2) || v.get_object().get(o)) return false;
        for (auto item : o) {
            od::field field;
            std::string_view key;
            Decimal rate;
            if (std::move(item).get(field) || field.unescaped_key().get(key) || !is_utf8(key) || !decimal(field.value(), rate))
                return false;
            if (!round_.fx.try_emplace(std::string(key), rate).second) return false;  // a repeated currency
        }
        return true;
    }

    bool rules(od::value& v) {
        Rules& r = round_.rules;
        return object(v, 2, rules_fields, 0, [&](std::size_t i, od::value& f) {
            switch (i) {
                case 0: return pricing(f);
                case 1: return decimal(f, r.tick);
                case 2: return decimal(f, r.max_origin_share.emplace());
                case 3: return excluded_origins(f);
                default: return f.get_bool().get(r.require_certified) == simdjson::SUCCESS;
            }
        });
    }

    bool pricing(od::value& v) {
        return object(v, 3, pricing_fields, 0, [&](std::size_t i, od::value& f) {
            if (i == 1) return decimal(f, round_.rules.k);
            std::string rule;
            if (!text(f, rule)) return false;
            if (rule == "uniform") round_.rules.pricing = PricingRule::uniform;
            else if (rule == "pay-as-bid") round_.rules.pricing = PricingRule::pay_as_bid;
            else return false;
            return true;
        });
    }

    bool excluded_origins(od::value& v) {
        od::array array;
        if (!within_depth(3) || v.get_array().get(array)) return false;
        for (auto item : array) {
            od::value value;
            if (std::move(item).get(value) || !text(value, round_.rules.excluded_origins.emplace_back())) return false;
        }
        return true;
    }

    bool logistics(od::value& v) {
        Logistics& l = round_.logistics.emplace();
        const std::uint32_t routes = bit(0);
        return object(
            v, 2, logistics_fields, sources_.routes_from_csv ? 0 : routes,
            [&](std::size_t, od::value& f) { return list(f, 3, l.routes, &FastReader::route); },
            sources_.routes_from_csv ? routes : 0);
    }

    bool bid(od::value& v, Bid& b) {
        return object(v, 3, bid_fields, order_required, [&](std::size_t i, od::value& f) {
            switch (i) {
                case 0: return text(f, b.id);
                case 1: return text(f, b.buyer);
                case 2: return text(f, b.bloc);
                case 3: return whole(f, b.lots);
                case 4: return whole(f, b.min_lots);
                case 5: return decimal(f, b.limit);
                case 6: return text(f, b.currency);
                default: return text(f, b.delivery);
            }
        });
    }

    bool offer(od::value& v, Offer& o) {
        return object(v, 3, offer_fields, order_required, [&](std::size_t i, od::value& f) {
            switch (i) {
                case 0: return text(f, o.id);
                case 1: return text(f, o.supplier);
                case 2: return text(f, o.origin);
                case 3: return whole(f, o.lots);
                case 4: return whole(f, o.min_lots);
                case 5: return decimal(f, o.ask);
                case 6: return text(f, o.currency);
                case 7: return f.get_bool().get(o.certified) == simdjson::SUCCESS;
                default: return text(f, o.port);
            }
        });
    }

    bool route(od::value& v, Route& r) {
        return object(v, 4, route_fields, route_required, [&](std::size_t i, od::value& f) {
            switch (i) {
                case 0: return text(f, r.from);
                case 1: return text(f, r.to);
                case 2: return decimal(f, r.freight);
                case 3: return text(f, r.currency);
                default: return whole(f, r.capacity_lots.emplace());
            }
        });
    }

    // --- values ---------------------------------------------------------------
    template <class String>  // std::string or Text
    static bool text(od::value& v, String& out) {
        std::string_view s;
        if (!string_value(v, s)) return false;
        out.assign(s);
        return true;
    }

    // A string's text. Without an escape it is the bytes between the quotes,
    // read where they lie (simdjson checked the document's UTF-8 and its
    // control characters); only a string with an escape is decoded, into
    // simdjson's string buffer, and checked again. Either way the value is
    // consumed: simdjson skips a value left unread by its own rules, and a
    // string followed by ':' would be skipped as if it were a key, so that
    // '"a": "b": {...}' passed for an object (found by fuzz_fast_reader).
    static bool string_value(od::value& v, std::string_view& out) {
        od::json_type type;
        if (v.type().get(type) || type != od::json_type::string) return false;
        std::string_view token = v.raw_json_token();
        while (!token.empty() && is_blank(token.back())) token.remove_suffix(1);
        if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
            const std::string_view inner = token.substr(1, token.size() - 2);
            if (inner.find('\\') == std::string_view::npos) {
                od::raw_json_string consumed;
                if (v.get_raw_json_string().get(consumed)) return false;
                out = inner;
                return true;
            }
        }
        return !v.get_string().get(out) && is_utf8(out);
    }
    template <class String>
    static bool text(od::value& v, std::optional<String>& out) { return text(v, out.emplace()); }

    // A decimal as the careful reader takes it: a string by Decimal::parse,
    // a number by decimal_from_number() (json_tokens.h).
    static bool decimal(od::value& v, Decimal& out) {
        od::json_type type;
        if (v.type().get(type)) return false;
        std::string_view s;
        if (type == od::json_type::string) return string_value(v, s) && decimal_from_string(s, out);
        return type == od::json_type::number && decimal_from_number(v.raw_json_token(), out);
    }

    static bool whole(od::value& v, std::int64_t& out) {
        od::json_type type;
        return !v.type().get(type) && type == od::json_type::number && whole_from_number(v.raw_json_token(), out);
    }

    Round& round_;
    const ReadLimits& limits_;
    const OrderSources& sources_;
    bool prefault_;
    std::uint64_t orders_ = 0;  // bids and offers reserved so far
};

}  // namespace

std::optional<Round> read_round_simdjson(std::string_view text, std::size_t readable, const ReadLimits& limits,
                                         const OrderSources& sources, const ReadHelp& help) {
    if (text.size() > limits.max_bytes) return std::nullopt;
    simdjson::padded_string copy;
    const char* data = text.data();
    std::size_t capacity = readable;
    if (readable < text.size() + simdjson::SIMDJSON_PADDING) {
        copy = simdjson::padded_string(text);
        data = copy.data();
        capacity = copy.size() + simdjson::SIMDJSON_PADDING;
    }
    od::parser parser;
    od::document doc;
    if (parser.iterate(data, text.size(), capacity).get(doc)) return std::nullopt;
    Round round;
    if (!FastReader(round, limits, sources, help.prefault).document(doc)) return std::nullopt;
    return round;
}

std::optional<Round> read_round_fast(std::string_view text, std::size_t readable, const ReadLimits& limits,
                                     const OrderSources& sources, const ReadHelp& help) {
    if (text.size() > limits.max_bytes) return std::nullopt;
    // A byte order mark, as spreadsheet tools and Windows editors write one:
    // skipped, as the careful reader skips it, rather than sent there.
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
        readable -= 3;
    }
    if (std::optional<Round> round = read_round_scanned(text, limits, sources, help)) return round;
    return read_round_simdjson(text, readable, limits, sources, help);
}

}  // namespace jpclear::io_detail
