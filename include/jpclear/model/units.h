#pragma once
// Strong types for the quantities the clearing works in.
//
// Lots are whole numbers of lots; a price on the round's tick grid is a whole
// number of ticks. Both are 64-bit: the input limits (10^9 lots an order) and
// the tick-count check at conversion keep every single value in range, and
// sums that can outgrow 64 bits are accumulated in 128 bits (see
// detail::checked_* in decimal.h). Arithmetic that would overflow throws
// OverflowError instead of wrapping.

#include <compare>
#include <cstdint>
#include <iosfwd>

#include "jpclear/model/decimal.h"

namespace jpclear {

namespace detail {
inline std::int64_t checked_add64(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) throw OverflowError("lot total overflows 64 bits");
    return r;
}
inline std::int64_t checked_sub64(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) throw OverflowError("lot difference overflows 64 bits");
    return r;
}
}  // namespace detail

/// A whole number of lots.
struct Lots {
    std::int64_t count = 0;

    constexpr Lots() = default;
    constexpr explicit Lots(std::int64_t n) : count(n) {}

    friend constexpr auto operator<=>(Lots, Lots) = default;
    friend Lots operator+(Lots a, Lots b) { return Lots{detail::checked_add64(a.count, b.count)}; }
    friend Lots operator-(Lots a, Lots b) { return Lots{detail::checked_sub64(a.count, b.count)}; }
    Lots& operator+=(Lots b) { return *this = *this + b; }
    Lots& operator-=(Lots b) { return *this = *this - b; }
};

/// A price on the round's tick grid, counted in ticks of the clearing
/// currency (price = ticks * rules.tick).
struct Ticks {
    std::int64_t count = 0;

    constexpr Ticks() = default;
    constexpr explicit Ticks(std::int64_t n) : count(n) {}

    friend constexpr auto operator<=>(Ticks, Ticks) = default;
};

/// Position of an order in the round's `bids` or `offers` list.
struct OrderIndex {
    std::uint32_t value = 0;

    constexpr OrderIndex() = default;
    constexpr explicit OrderIndex(std::uint32_t v) : value(v) {}

    friend constexpr auto operator<=>(OrderIndex, OrderIndex) = default;
};

// Streams write the bare number (`12`, not `12 lots`), as for the integer
// itself, so they fit tables and logs alike. Templates for the reason given
// at Decimal's operator<<: this header needs only <iosfwd>.
template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& out, Lots lots) {
    return out << lots.count;
}
template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& out, Ticks ticks) {
    return out << ticks.count;
}
template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& out, OrderIndex index) {
    return out << index.value;
}

}  // namespace jpclear
