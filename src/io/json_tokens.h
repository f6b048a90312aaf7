#pragma once
// What the two fast readers of a round share (internal to src/io): the
// tokens they take from the text themselves, and the fields they know.
//
// Both give up where the careful reader would say anything, so these follow
// the careful reader's rules (json_reader.cpp), not JSON's alone.

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

#include "jpclear/model/decimal.h"

#include "io/text.h"

namespace jpclear::io_detail {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The raw token of a number (simdjson leaves the blanks after it in) when it
// is one whole JSON number: simdjson does not check a token it is not asked
// to convert, and "1.5.3" or "01" must go to the careful reader's message.
inline std::optional<std::string_view> number_token(std::string_view raw) {
    while (!raw.empty() && is_blank(raw.back())) raw.remove_suffix(1);
    std::size_t i = 0;
    const std::size_t n = raw.size();
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < n && is_digit(raw[i])) ++i;
        return i > from;
    };
    if (i < n && raw[i] == '-') ++i;
    if (i < n && raw[i] == '0') ++i;
    else if (!digits()) return std::nullopt;
    if (i < n && raw[i] == '.' && (++i, !digits())) return std::nullopt;
    if (i < n && (raw[i] == 'e' || raw[i] == 'E')) {
        ++i;
        if (i < n && (raw[i] == '+' || raw[i] == '-')) ++i;
        if (!digits()) return std::nullopt;
    }
    if (i != n) return std::nullopt;
    return raw;
}

inline bool is_integer_token(std::string_view token) { return token.find_first_of(".eE") == std::string_view::npos; }

// Whether `token` is an integer the careful reader's lexer (nlohmann) hands
// over as a 64-bit integer: negative ones as int64, the rest as uint64.
template <class Int>
bool parse_integer(std::string_view token, Int& out) {
    const char* end = token.data() + token.size();
    const auto [ptr, ec] = std::from_chars(token.data(), end, out);
    return ec == std::errc() && ptr == end;
}

// Decoded text is checked again: simdjson checks the bytes of the document,
// but an escape such as "\udc00" (a lone surrogate) decodes to no UTF-8.
inline bool is_utf8(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return !first_invalid_utf8(s).has_value();
    return true;
}

// A decimal written as a string, as the careful reader takes it.
inline bool decimal_from_string(std::string_view s, Decimal& out) {
    const ParsedDecimal p = Decimal::parse(s, false);
    if (!p.value) return false;
    out = *p.value;
    return true;
}

// A decimal written as a number (`raw`, blanks after it allowed), as the
// careful reader takes it: one that nlohmann gives as a 64-bit integer by its
// value, any other by Decimal::parse of its text with an exponent allowed.
inline bool decimal_from_number(std::string_view raw, Decimal& out) {
    const std::optional<std::string_view> token = number_token(raw);
    if (!token) return false;
    if (is_integer_token(*token)) {
        if (token->front() == '-') {
            std::int64_t n = 0;
            if (parse_integer(*token, n)) return out = Decimal::from_units(n, 0), true;
        } else {
            std::uint64_t n = 0;
            if (parse_integer(*token, n)) return out = Decimal::from_units(n, 0), true;
        }
    }
    const ParsedDecimal p = Decimal::parse(*token, true);
    if (!p.value) return false;
    out = *p.value;
    return true;
}

// A whole number of lots (`raw`, blanks after it allowed): an integer token
// within int64 (the careful reader reports a fraction, an exponent or more
// as a problem).
inline bool whole_from_number(std::string_view raw, std::int64_t& out) {
    const std::optional<std::string_view> token = number_token(raw);
    return token && is_integer_token(*token) && parse_integer(*token, out);
}

inline constexpr std::array<std::string_view, 9> top_fields = {"format", "round",  "material", "currency", "fx",
                                                         "rules",  "bids",   "offers",   "logistics"};
inline constexpr std::array<std::string_view, 3> material_fields = {"code", "name", "lot_tonnes"};
inline constexpr std::array<std::string_view, 5> rules_fields = {"pricing", "tick", "max_origin_share", "excluded_origins",
                                                          "require_certified"};
inline constexpr std::array<std::string_view, 2> pricing_fields = {"rule", "k"};
inline constexpr std::array<std::string_view, 8> bid_fields = {"id",       "buyer", "bloc",     "lots",
                                                        "min_lots", "limit", "currency", "delivery"};
inline constexpr std::array<std::string_view, 9> offer_fields = {"id",    "supplier", "origin",    "lots", "min_lots",
                                                          "ask",   "currency", "certified", "port"};
inline constexpr std::array<std::string_view, 1> logistics_fields = {"routes"};
inline constexpr std::array<std::string_view, 5> route_fields = {"from", "to", "freight", "currency", "capacity_lots"};

inline constexpr std::uint32_t bit(std::size_t i) { return std::uint32_t{1} << i; }

// Required fields, as bits of the lists above (the careful reader's FieldSpec).
inline constexpr std::uint32_t top_required = bit(0) | bit(1) | bit(2) | bit(3);  // bids, offers: see document()
inline constexpr std::uint32_t material_required = bit(0) | bit(2);
inline constexpr std::uint32_t order_required = bit(0) | bit(1) | bit(2) | bit(3) | bit(5);
inline constexpr std::uint32_t route_required = bit(0) | bit(1) | bit(2);

}  // namespace jpclear::io_detail
