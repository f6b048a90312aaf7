#pragma once
// {fmt} formatters for Decimal and the strong types (fmt 9 or later).
//
// Opt-in: only this header includes <fmt/format.h>, and nothing in jpclear
// includes it, so the core and libjpclear never need fmt. A program that has
// fmt (spdlog brings it) includes this and writes
//
//     fmt::print("{} lots at {:.2} EUR/t\n", result.cleared_lots, *result.clearing_price);
//
// Decimal: `{}` is to_string(), the exact value; `{:.N}` rounds to N fraction
// digits (an exact half away from zero, as Decimal::rounded) and shows all N;
// fill, align and width work as for strings (`{:>12.2}`). Lots, Ticks and
// OrderIndex format as their integer, with every integer spec (`{:>6}`). Text
// (an order's id, buyer or code) formats as its string, with every string spec.

#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "jpclear/model/decimal.h"
#include "jpclear/model/text.h"
#include "jpclear/model/units.h"

template <>
struct fmt::formatter<jpclear::Decimal> {
    // The spec without its precision, handed on to fmt's string formatting.
    char spec[32] = {};
    std::size_t spec_size = 0;
    int places = -1;  ///< -1: exact, as written

    constexpr auto parse(fmt::format_parse_context& ctx) {
        auto it = ctx.begin();
        bool first = true;
        while (it != ctx.end() && *it != '}') {
            const char c = *it;
            // A '.' starts the precision unless it is the fill before an align.
            const bool fill = first && it + 1 != ctx.end() && (it[1] == '<' || it[1] == '>' || it[1] == '^');
            first = false;
            if (c == '.' && !fill) {
                ++it;
                places = 0;
                bool digits = false;
                for (; it != ctx.end() && *it >= '0' && *it <= '9'; ++it) {
                    digits = true;
                    places = places * 10 + (*it - '0');
                    if (places > jpclear::Decimal::max_scale) throw fmt::format_error("jpclear::Decimal: precision above 38");
                }
                if (!digits) throw fmt::format_error("jpclear::Decimal: '.' without a precision");
                continue;
            }
            if (spec_size == sizeof spec) throw fmt::format_error("jpclear::Decimal: format spec too long");
            spec[spec_size++] = c;
            ++it;
        }
        return it;
    }

    template <class FormatContext>
    auto format(const jpclear::Decimal& d, FormatContext& ctx) const {
        const std::string text = places < 0 ? d.to_string() : d.rounded(places).to_string(places);
        if (spec_size == 0) return fmt::format_to(ctx.out(), "{}", text);
        return fmt::format_to(ctx.out(), fmt::runtime("{:" + std::string(spec, spec_size) + "}"), text);
    }
};

template <>
struct fmt::formatter<jpclear::Lots> : fmt::formatter<std::int64_t> {
    template <class FormatContext>
    auto format(jpclear::Lots lots, FormatContext& ctx) const {
        return fmt::formatter<std::int64_t>::format(lots.count, ctx);
    }
};

template <>
struct fmt::formatter<jpclear::Ticks> : fmt::formatter<std::int64_t> {
    template <class FormatContext>
    auto format(jpclear::Ticks ticks, FormatContext& ctx) const {
        return fmt::formatter<std::int64_t>::format(ticks.count, ctx);
    }
};

template <>
struct fmt::formatter<jpclear::OrderIndex> : fmt::formatter<std::uint32_t> {
    template <class FormatContext>
    auto format(jpclear::OrderIndex index, FormatContext& ctx) const {
        return fmt::formatter<std::uint32_t>::format(index.value, ctx);
    }
};

template <>
struct fmt::formatter<jpclear::Text> : fmt::formatter<fmt::string_view> {
    template <class FormatContext>
    auto format(const jpclear::Text& text, FormatContext& ctx) const {
        return fmt::formatter<fmt::string_view>::format(fmt::string_view(text.data(), text.size()), ctx);
    }
};
