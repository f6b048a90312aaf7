#pragma once
// Exact decimal numbers: prices as written, FX rates, ratios and money totals.
//
// A Decimal is coefficient / 10^scale with a 128-bit coefficient, always kept
// normalised (no trailing zeros in the fraction), so equal values compare
// equal structurally and `scale()` is the number of significant fraction
// digits. Binary floating point never appears: text is parsed digit by digit
// and every operation is exact or throws OverflowError. The clearing hot path
// does not use Decimal at all; it works on whole ticks (see order_book.h).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jpclear {

__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

/// Thrown when an exact result does not fit its type. It is never wrapped;
/// clear() reports it as a problem of the input, not a crash.
class OverflowError : public std::overflow_error {
public:
    using std::overflow_error::overflow_error;
};

namespace detail {

inline int128 checked_add(int128 a, int128 b) {
    int128 r;
    if (__builtin_add_overflow(a, b, &r)) throw OverflowError("decimal addition overflows 128 bits");
    return r;
}
inline int128 checked_sub(int128 a, int128 b) {
    int128 r;
    if (__builtin_sub_overflow(a, b, &r)) throw OverflowError("decimal subtraction overflows 128 bits");
    return r;
}
inline int128 checked_mul(int128 a, int128 b) {
    int128 r;
    if (__builtin_mul_overflow(a, b, &r)) throw OverflowError("decimal multiplication overflows 128 bits");
    return r;
}

// 10^n for 0 <= n <= 38 (10^38 < 2^127).
inline constexpr int128 pow10(int n) {
    int128 r = 1;
    for (int i = 0; i < n; ++i) r *= 10;
    return r;
}

inline int128 floor_div(int128 a, int128 b) {
    int128 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}
inline int128 ceil_div(int128 a, int128 b) {
    int128 q = a / b;
    if ((a % b != 0) && ((a < 0) == (b < 0))) ++q;
    return q;
}

// 256-bit unsigned integers, for the rare exact products that outgrow 128
// bits before trailing zeros or a division bring them back.
struct U256 {
    uint128 hi = 0, lo = 0;
};

inline U256 mul_wide(uint128 a, uint128 b) {
    const uint128 mask = ~static_cast<std::uint64_t>(0);
    uint128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
    uint128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint128 middle = (p00 >> 64) + (p01 & mask) + (p10 & mask);
    U256 r;
    r.lo = (middle << 64) | (p00 & mask);
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
    return r;
}

/// Quotient and remainder of n / d (d > 0); the quotient may need 256 bits.
inline U256 divmod_wide(U256 n, uint128 d, uint128& remainder) {
    U256 q;
    uint128 r = 0;
    for (int i = 255; i >= 0; --i) {
        const bool top = (r >> 127) != 0;
        r <<= 1;
        r |= (i >= 128 ? (n.hi >> (i - 128)) : (n.lo >> i)) & 1;
        if (top || r >= d) {
            r -= d;
            if (i >= 128) q.hi |= static_cast<uint128>(1) << (i - 128);
            else q.lo |= static_cast<uint128>(1) << i;
        }
    }
    remainder = r;
    return q;
}

/// |v| without overflow, also for the most negative value.
inline uint128 magnitude(int128 v) { return v < 0 ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v); }

inline std::string to_digits(uint128 v) {
    if (v == 0) return "0";
    char buf[48];
    int n = 0;
    while (v) {
        buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
        v /= 10;
    }
    std::string s;
    s.reserve(static_cast<std::size_t>(n));
    while (n) s.push_back(buf[--n]);
    return s;
}

// An int128 kept as two 64-bit words. Its alignment is 8, not 16, so a
// Decimal is 24 bytes instead of 32: a Round and a Result hold one or more per
// order (a Bid, an OrderResult's price, an Award), and at 10^6 orders the
// padding alone was tens of megabytes.
class PackedInt128 {
public:
    constexpr PackedInt128() = default;
    constexpr PackedInt128(int128 v)  // NOLINT: stands for an int128
        : lo_(static_cast<std::uint64_t>(v)), hi_(static_cast<std::uint64_t>(static_cast<uint128>(v) >> 64)) {}
    constexpr operator int128() const {  // NOLINT: stands for an int128
        return static_cast<int128>((static_cast<uint128>(hi_) << 64) | lo_);
    }

private:
    std::uint64_t lo_ = 0, hi_ = 0;
};

}  // namespace detail

struct ParsedDecimal;

class Decimal {
public:
    /// The largest scale a Decimal may carry; products of three input
    /// decimals (10 fraction digits each) stay within it.
    static constexpr int max_scale = 38;

    constexpr Decimal() = default;

    /// coefficient / 10^scale, normalised.
    static Decimal from_units(int128 coefficient, int scale) {
        if (scale < 0 || scale > max_scale) throw OverflowError("decimal scale out of range");
        Decimal d;
        d.coef_ = coefficient;
        d.scale_ = scale;
        d.normalise();
        return d;
    }
    static Decimal integer(std::int64_t v) { return from_units(v, 0); }

    /// Parses `-?digits(.digits)?`, and with `allow_exponent` also a JSON
    /// exponent (`1.5e3`). At most 38 significant digits.
    static ParsedDecimal parse(std::string_view text, bool allow_exponent = false);

    int128 coefficient() const { return coef_; }
    int scale() const { return scale_; }
    bool is_zero() const { return coef_ == 0; }
    bool is_negative() const { return coef_ < 0; }
    int sign() const { return coef_ < 0 ? -1 : (coef_ > 0 ? 1 : 0); }

    /// Significant digits before the point (0 for |x| < 1).
    int integer_digits() const {
        uint128 ip = detail::magnitude(coef_) / static_cast<uint128>(detail::pow10(scale_));
        int n = 0;
        while (ip) {
            ++n;
            ip /= 10;
        }
        return n;
    }

    /// The coefficient at a larger scale; throws if it does not fit.
    int128 units_at(int scale) const {
        if (scale < scale_) throw OverflowError("decimal rescale would lose digits");
        return detail::checked_mul(coef_, detail::pow10(scale - scale_));
    }

    friend Decimal operator+(const Decimal& a, const Decimal& b) {
        int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
        return from_units(detail::checked_add(a.units_at(s), b.units_at(s)), s);
    }
    friend Decimal operator-(const Decimal& a, const Decimal& b) {
        int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
        return from_units(detail::checked_sub(a.units_at(s), b.units_at(s)), s);
    }
    friend Decimal operator*(const Decimal& a, const Decimal& b) {
        int s = a.scale_ + b.scale_;
        int128 product;
        if (!__builtin_mul_overflow(a.coefficient(), b.coefficient(), &product)) {
            if (s > max_scale) return wide_product(detail::magnitude(product), 0, s, product < 0);
            return from_units(product, s);
        }
        // The exact product may still fit once its trailing fraction zeros go.
        using detail::magnitude;
        detail::U256 wide = detail::mul_wide(magnitude(a.coef_), magnitude(b.coef_));
        return wide_product(wide.lo, wide.hi, s, (a.coef_ < 0) != (b.coef_ < 0));
    }
    Decimal operator-() const { return from_units(detail::checked_sub(0, coef_), scale_); }

    friend bool operator==(const Decimal& a, const Decimal& b) {
        return a.coefficient() == b.coefficient() && a.scale_ == b.scale_;
    }
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
        if (a.sign() != b.sign()) return a.sign() <=> b.sign();
        int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
        int128 x, y;
        // A coefficient too large to rescale is larger in magnitude than the
        // other one, which already fits at that scale.
        bool ox = __builtin_mul_overflow(a.coefficient(), detail::pow10(s - a.scale_), &x);
        bool oy = __builtin_mul_overflow(b.coefficient(), detail::pow10(s - b.scale_), &y);
        if (ox || oy) {
            bool a_bigger = ox;
            if (a.sign() < 0) a_bigger = !a_bigger;
            return a_bigger ? std::strong_ordering::greater : std::strong_ordering::less;
        }
        return x <=> y;
    }

    /// floor(a / b) and ceil(a / b) as integers (b != 0).
    friend int128 floor_quotient(const Decimal& a, const Decimal& b) {
        int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
        return detail::floor_div(a.units_at(s), b.units_at(s));
    }
    friend int128 ceil_quotient(const Decimal& a, const Decimal& b) {
        int s = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
        return detail::ceil_div(a.units_at(s), b.units_at(s));
    }

    /// Exact text with at least `min_fraction_digits` digits after the point.
    std::string to_string(int min_fraction_digits = 0) const {
        std::string s;
        append_to(s, min_fraction_digits);
        return s;
    }

    /// Appends to_string(min_fraction_digits) to `out`, without a temporary
    /// string: writers call this once per price of 10^6 orders.
    void append_to(std::string& out, int min_fraction_digits = 0) const {
        const int frac = scale_ > min_fraction_digits ? scale_ : min_fraction_digits;
        uint128 mag = detail::magnitude(coef_);
        char buf[40];
        char* const end = buf + sizeof buf;
        char* p = end;
        while (mag > UINT64_MAX) {  // 64-bit steps for the rest, as in normalise()
            *--p = static_cast<char>('0' + static_cast<int>(mag % 10));
            mag /= 10;
        }
        auto low = static_cast<std::uint64_t>(mag);
        do {
            *--p = static_cast<char>('0' + static_cast<int>(low % 10));
            low /= 10;
        } while (low != 0);
        // The coefficient's digits, `scale_` of them after the point, then
        // zeros out to `frac`; "0" before the point when nothing else is.
        const std::ptrdiff_t whole = (end - p) - scale_;
        if (coef_ < 0) out += '-';
        if (whole > 0) out.append(p, p + whole);
        else out += '0';
        if (frac == 0) return;
        out += '.';
        if (whole < 0) out.append(static_cast<std::size_t>(-whole), '0');
        out.append(whole > 0 ? p + whole : p, end);
        out.append(static_cast<std::size_t>(frac - scale_), '0');
    }

    /// Rounded to `places` fraction digits, an exact half away from zero.
    Decimal rounded(int places) const {
        if (scale_ <= places) return *this;
        int128 div = detail::pow10(scale_ - places);
        const int128 coef = coef_;
        int128 q = coef / div, r = coef % div;
        if (r < 0) r = -r;
        if (r >= div - r) q += coef_ < 0 ? -1 : 1;  // 2r >= div without overflowing at scale 38
        return from_units(q, places);
    }

private:
    // (hi:lo) / 10^scale with trailing zeros stripped; throws if it does not fit.
    static Decimal wide_product(uint128 lo, uint128 hi, int scale, bool negative) {
        detail::U256 v{hi, lo};
        while (scale > 0) {
            uint128 rem = 0;
            detail::U256 q = detail::divmod_wide(v, 10, rem);
            if (rem != 0) break;
            v = q;
            --scale;
        }
        if (v.hi != 0 || (v.lo >> 127) != 0 || scale > max_scale)
            throw OverflowError("decimal multiplication overflows 128 bits");
        const auto m = static_cast<int128>(v.lo);
        return from_units(negative ? -m : m, scale);
    }

    void normalise() {
        int128 coef = coef_;
        if (coef == 0) {
            scale_ = 0;
            return;
        }
        // Most coefficients (prices, lots) fit 64 bits, where a division by
        // 10 is a multiplication; a 128-bit one is a library call.
        if (coef >= INT64_MIN && coef <= INT64_MAX) {
            auto c = static_cast<std::int64_t>(coef);
            while (scale_ > 0 && c % 10 == 0) {
                c /= 10;
                --scale_;
            }
            coef_ = c;
            return;
        }
        while (scale_ > 0 && coef % 10 == 0) {
            coef /= 10;
            --scale_;
        }
        coef_ = coef;
    }

    detail::PackedInt128 coef_;
    int scale_ = 0;
};
static_assert(sizeof(Decimal) == 24 && alignof(Decimal) == 8, "a Decimal is kept per order: keep it packed");

/// Result of parsing: a value, or a sentence saying why the text is not one.
struct ParsedDecimal {
    std::optional<Decimal> value;
    std::string error;

    ParsedDecimal& fail(const char* why) {
        value.reset();
        error = why;
        return *this;
    }
};

inline ParsedDecimal Decimal::parse(std::string_view text, bool allow_exponent) {
    ParsedDecimal out;
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && text[i] == '-') {
        negative = true;
        ++i;
    }
    int128 coef = 0;
    int digits = 0;      // significant digits accumulated into coef
    int scale = 0;
    bool any_int = false, any_frac = false;
    auto push_digit = [&](char c) -> bool {
        if (digits == 0 && c == '0') return true;  // leading zeros carry nothing
        if (digits >= 38) return false;
        coef = coef * 10 + (c - '0');
        ++digits;
        return true;
    };
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        any_int = true;
        if (!push_digit(text[i])) return out.fail("has more than 38 significant digits");
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        // Fraction zeros count only once a non-zero digit follows them:
        // "100.000...0" (any number of zeros) is 100, and the limits are on
        // the digits that carry value.
        std::size_t pending_zeros = 0;
        auto push_fraction_digit = [&](char c) -> const char* {
            if (scale >= max_scale) return "has too many fraction digits";
            if (!push_digit(c)) return "has more than 38 significant digits";
            ++scale;
            return nullptr;
        };
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            any_frac = true;
            if (text[i] == '0') {
                ++pending_zeros;
                continue;
            }
            for (; pending_zeros > 0; --pending_zeros)
                if (const char* error = push_fraction_digit('0')) return out.fail(error);
            if (const char* error = push_fraction_digit(text[i])) return out.fail(error);
        }
        if (!any_frac) return out.fail("is not a decimal");
    }
    if (!any_int) return out.fail("is not a decimal");
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        if (!allow_exponent) return out.fail("is not a decimal");
        ++i;
        bool eneg = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
        bool any_exp = false;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            any_exp = true;
            if (exponent < 1000) exponent = exponent * 10 + (text[i] - '0');
        }
        if (!any_exp) return out.fail("is not a decimal");
        if (eneg) exponent = -exponent;
    }
    if (i != text.size()) return out.fail("is not a decimal");
    // Apply the exponent to the scale: value = coef * 10^(exponent - scale).
    long s = static_cast<long>(scale) - exponent;
    if (coef == 0) s = 0;
    if (s < 0) {
        // Strip a positive power into the coefficient.
        if (digits - s > 38) return out.fail("has more than 38 significant digits");
        coef *= detail::pow10(static_cast<int>(-s));
        s = 0;
    }
    if (s > max_scale) {
        // Trailing zeros may still bring it into range.
        while (s > max_scale && coef % 10 == 0 && coef != 0) {
            coef /= 10;
            --s;
        }
        if (s > max_scale) return out.fail("has too many fraction digits");
    }
    out.value = from_units(negative ? -coef : coef, static_cast<int>(s));
    return out;
}

/// Writes to_string(): the exact value with every significant digit and no
/// more (`14050`, `-0.05`); width and fill apply to the whole text. A
/// template only so that this header needs <iosfwd>, not <ostream>: the body
/// is compiled where it is used, and there the stream is complete.
template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& out, const Decimal& d) {
    return out << d.to_string();
}

/// Convenience for literals in code and tests: Decimal::parse that throws.
inline Decimal dec(std::string_view text) {
    auto p = Decimal::parse(text);
    if (!p.value) throw std::invalid_argument(std::string(text) + " " + p.error);
    return *p.value;
}

}  // namespace jpclear
