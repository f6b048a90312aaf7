// Unit tests of jpclear::Decimal (model/decimal.h): parsing, text, ordering,
// exact arithmetic, overflow, quotients and rounding.

#include <gtest/gtest.h>

#include <compare>
#include <cstdint>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>

#include "jpclear/model/decimal.h"

namespace jpclear {
// Readable failure messages: gtest finds this by argument-dependent lookup.
inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.to_string() << " (scale " << d.scale() << ")"; }
}  // namespace jpclear

namespace {

using jpclear::dec;
using jpclear::Decimal;
using jpclear::int128;
using jpclear::OverflowError;

// 2^127 - 1 and -2^127, the ends of the coefficient's range.
constexpr int128 int128_max = static_cast<int128>((~static_cast<jpclear::uint128>(0)) >> 1);
constexpr int128 int128_min = -int128_max - 1;

const std::string nines38 = "99999999999999999999999999999999999999";  // 38 nines, < 2^127

// The parsed value's text, or "ERR: <message>".
std::string parse_text(std::string_view text, bool exponent = false) {
    auto p = Decimal::parse(text, exponent);
    if (!p.value) return "ERR: " + p.error;
    EXPECT_TRUE(p.error.empty()) << text;
    return p.value->to_string();
}

// Whether `text` is rejected, and the message says something.
::testing::AssertionResult rejected(std::string_view text, bool exponent = false) {
    auto p = Decimal::parse(text, exponent);
    if (p.value)
        return ::testing::AssertionFailure() << '"' << text << "\" parsed as " << p.value->to_string();
    if (p.error.empty()) return ::testing::AssertionFailure() << '"' << text << "\" rejected without a message";
    return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------- parse

TEST(DecimalParse, PlainIntegersAndFractions) {
    EXPECT_EQ(parse_text("0"), "0");
    EXPECT_EQ(parse_text("7"), "7");
    EXPECT_EQ(parse_text("14500"), "14500");
    EXPECT_EQ(parse_text("14500.50"), "14500.5");
    EXPECT_EQ(parse_text("0.0061"), "0.0061");
    EXPECT_EQ(parse_text("123456789012.0123456789"), "123456789012.0123456789");

    Decimal d = dec("14500.50");
    EXPECT_EQ(d.coefficient(), int128{145005});
    EXPECT_EQ(d.scale(), 1);
    EXPECT_EQ(d.sign(), 1);
    EXPECT_FALSE(d.is_negative());
    EXPECT_FALSE(d.is_zero());
}

TEST(DecimalParse, Negative) {
    Decimal d = dec("-12.340");
    EXPECT_EQ(d.coefficient(), int128{-1234});
    EXPECT_EQ(d.scale(), 2);
    EXPECT_TRUE(d.is_negative());
    EXPECT_EQ(d.sign(), -1);
    EXPECT_EQ(d.to_string(), "-12.34");
    EXPECT_EQ(parse_text("-0.5"), "-0.5");
    // Negative zero is plain zero.
    Decimal z = dec("-0.000");
    EXPECT_TRUE(z.is_zero());
    EXPECT_FALSE(z.is_negative());
    EXPECT_EQ(z.sign(), 0);
    EXPECT_EQ(z, Decimal());
    EXPECT_EQ(z.to_string(), "0");
}

TEST(DecimalParse, LeadingAndTrailingZeros) {
    EXPECT_EQ(parse_text("000123"), "123");
    EXPECT_EQ(parse_text("0.000"), "0");
    EXPECT_EQ(parse_text("00.0100"), "0.01");
    EXPECT_EQ(parse_text("100"), "100");    // integer zeros are significant
    EXPECT_EQ(parse_text("100.00"), "100");
    EXPECT_EQ(parse_text("-007.70"), "-7.7");
    EXPECT_EQ(dec("0.000").scale(), 0);
    EXPECT_EQ(dec("00.0100").scale(), 2);
    EXPECT_EQ(dec("100").coefficient(), int128{100});
    // Leading zeros carry no significant digits, however many there are.
    EXPECT_EQ(parse_text(std::string(60, '0') + "1"), "1");
    EXPECT_EQ(parse_text("0." + std::string(30, '0') + "25"), "0." + std::string(30, '0') + "25");
    // Nor do trailing fraction zeros, however many: they carry no value.
    EXPECT_EQ(parse_text("100." + std::string(60, '0')), "100");
    EXPECT_EQ(parse_text(nines38.substr(0, 37) + "." + std::string(40, '0')), nines38.substr(0, 37));
    EXPECT_EQ(Decimal::parse("1.5" + std::string(50, '0') + "e2", true).value, dec("150"));
    // Zeros between non-zero digits do count.
    EXPECT_EQ(parse_text("0.1" + std::string(36, '0') + "1"), "0.1" + std::string(36, '0') + "1");
    EXPECT_TRUE(rejected("0.1" + std::string(37, '0') + "1"));
}

TEST(DecimalParse, NormalisationMakesEqualValuesEqual) {
    EXPECT_EQ(dec("14000.00"), dec("14000"));
    EXPECT_EQ(dec("14000.00").coefficient(), int128{14000});
    EXPECT_EQ(dec("14000.00").scale(), 0);
    EXPECT_EQ(dec("0.10"), dec("0.1"));
    EXPECT_EQ(dec("1.500"), Decimal::from_units(15, 1));
    EXPECT_EQ(Decimal::from_units(1500, 3), Decimal::from_units(15, 1));
    EXPECT_EQ(Decimal::from_units(0, 7), Decimal());
    EXPECT_EQ(Decimal::from_units(0, 7).scale(), 0);
    EXPECT_NE(dec("14000.01"), dec("14000"));
    EXPECT_NE(dec("0.1"), dec("0.01"));
}

TEST(DecimalParse, RejectsMalformedText) {
    EXPECT_TRUE(rejected(".5"));
    EXPECT_TRUE(rejected("5."));
    EXPECT_TRUE(rejected("1,5"));
    EXPECT_TRUE(rejected("15,000"));
    EXPECT_TRUE(rejected(""));
    EXPECT_TRUE(rejected("+1"));
    EXPECT_TRUE(rejected(" 1"));
    EXPECT_TRUE(rejected("1 "));
    EXPECT_TRUE(rejected("-"));
    EXPECT_TRUE(rejected("--1"));
    EXPECT_TRUE(rejected("-.5"));
    EXPECT_TRUE(rejected("1.2.3"));
    EXPECT_TRUE(rejected("1..2"));
    EXPECT_TRUE(rejected("abc"));
    EXPECT_TRUE(rejected("0x10"));
    EXPECT_TRUE(rejected("1_000"));
    EXPECT_TRUE(rejected("NaN"));
    EXPECT_TRUE(rejected("inf"));
    EXPECT_TRUE(rejected("."));
    EXPECT_TRUE(rejected(std::string_view("1\0", 2)));
    EXPECT_EQ(Decimal::parse("1,5").error, "is not a decimal");
    EXPECT_EQ(Decimal::parse("").error, "is not a decimal");
}

TEST(DecimalParse, ExponentOnlyWhenAllowed) {
    EXPECT_TRUE(rejected("1e3"));
    EXPECT_TRUE(rejected("1.5E3"));
    EXPECT_TRUE(rejected("1e-3"));
    EXPECT_EQ(parse_text("1e3", true), "1000");
    EXPECT_EQ(parse_text("1.5e3", true), "1500");
    EXPECT_EQ(parse_text("1.5E3", true), "1500");
    EXPECT_EQ(parse_text("1.5e+3", true), "1500");
    EXPECT_EQ(parse_text("15e-4", true), "0.0015");
    EXPECT_EQ(parse_text("-2.5e-1", true), "-0.25");
    EXPECT_EQ(parse_text("0e99", true), "0");
    EXPECT_EQ(parse_text("12.50e0", true), "12.5");
    EXPECT_EQ(parse_text("1e0000000000000000000002", true), "100");
    EXPECT_EQ(dec("14500.5"), *Decimal::parse("1.45005e4", true).value);
    // Still rejected with exponents allowed.
    EXPECT_TRUE(rejected("1e", true));
    EXPECT_TRUE(rejected("1e+", true));
    EXPECT_TRUE(rejected("e5", true));
    EXPECT_TRUE(rejected(".5e1", true));
    EXPECT_TRUE(rejected("1e5.0", true));
    EXPECT_TRUE(rejected("1e5x", true));
    EXPECT_TRUE(rejected("1ee5", true));
}

TEST(DecimalParse, ExponentRange) {
    // 1e37 has 38 digits and fits; 1e38 has 39.
    EXPECT_EQ(parse_text("1e37", true), "1" + std::string(37, '0'));
    EXPECT_TRUE(rejected("1e38", true));
    EXPECT_TRUE(rejected("1e99999999", true));
    EXPECT_EQ(parse_text("1e-38", true), "0." + std::string(37, '0') + "1");
    EXPECT_TRUE(rejected("1e-39", true));
    EXPECT_TRUE(rejected("1.5e-38", true));
    EXPECT_EQ(parse_text("1.5e-37", true), "0." + std::string(36, '0') + "15");
    // Trailing zeros of the coefficient bring a long negative exponent into range.
    EXPECT_EQ(parse_text("100e-39", true), "0." + std::string(36, '0') + "1");
    EXPECT_EQ(Decimal::parse("1e-39", true).error, "has too many fraction digits");
    EXPECT_EQ(Decimal::parse("1e38", true).error, "has more than 38 significant digits");
}

TEST(DecimalParse, ThirtyEightDigitLimit) {
    // 38 significant digits parse; 39 do not, wherever the point is.
    EXPECT_EQ(parse_text(nines38), nines38);
    EXPECT_EQ(dec(nines38).scale(), 0);
    EXPECT_EQ(dec(nines38).integer_digits(), 38);
    EXPECT_TRUE(rejected(nines38 + "9"));
    EXPECT_EQ(Decimal::parse(nines38 + "9").error, "has more than 38 significant digits");
    EXPECT_TRUE(rejected("-" + nines38 + "9"));
    EXPECT_EQ(parse_text("-" + nines38), "-" + nines38);
    std::string mixed = nines38.substr(0, 20) + "." + nines38.substr(0, 18);  // 38 digits
    EXPECT_EQ(parse_text(mixed), mixed);
    EXPECT_TRUE(rejected(mixed + "1"));
    // Trailing zeros in the text count as digits of the text.
    EXPECT_TRUE(rejected("1" + std::string(38, '0')));
    EXPECT_EQ(parse_text("1" + std::string(37, '0')), "1" + std::string(37, '0'));
}

TEST(DecimalParse, TooManyFractionDigits) {
    std::string ok = "0." + std::string(37, '0') + "1";  // 38 fraction digits
    EXPECT_EQ(parse_text(ok), ok);
    EXPECT_EQ(dec(ok).scale(), 38);
    std::string bad = "0." + std::string(38, '0') + "1";  // 39 fraction digits
    EXPECT_TRUE(rejected(bad));
    EXPECT_EQ(Decimal::parse(bad).error, "has too many fraction digits");
}

TEST(DecimalParse, DecThrowsOnBadLiteral) {
    EXPECT_THROW(dec("1,5"), std::invalid_argument);
    try {
        dec("12,5");
        FAIL() << "no throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()), "12,5 is not a decimal");
    }
}

// ---------------------------------------------------------------- construction

TEST(DecimalConstruct, FromUnitsAndInteger) {
    EXPECT_EQ(Decimal::from_units(12345, 2).to_string(), "123.45");
    EXPECT_EQ(Decimal::from_units(-5, 3).to_string(), "-0.005");
    EXPECT_EQ(Decimal::integer(-42).to_string(), "-42");
    EXPECT_EQ(Decimal::integer(std::numeric_limits<std::int64_t>::min()).to_string(), "-9223372036854775808");
    EXPECT_EQ(Decimal::integer(std::numeric_limits<std::int64_t>::max()).to_string(), "9223372036854775807");
    EXPECT_THROW(Decimal::from_units(1, -1), OverflowError);
    EXPECT_THROW(Decimal::from_units(1, 39), OverflowError);
    EXPECT_NO_THROW(Decimal::from_units(1, 38));
    EXPECT_EQ(Decimal().to_string(), "0");
    EXPECT_TRUE(Decimal().is_zero());
}

TEST(DecimalConstruct, UnitsAt) {
    Decimal d = dec("12.5");
    EXPECT_EQ(d.units_at(1), int128{125});
    EXPECT_EQ(d.units_at(4), int128{125000});
    EXPECT_THROW(d.units_at(0), OverflowError);
    EXPECT_THROW(dec(nines38).units_at(1), OverflowError);
}

// ---------------------------------------------------------------- to_string

TEST(DecimalToString, MinFractionDigits) {
    EXPECT_EQ(dec("14000").to_string(2), "14000.00");
    EXPECT_EQ(dec("14000.5").to_string(2), "14000.50");
    EXPECT_EQ(dec("0.5").to_string(2), "0.50");
    EXPECT_EQ(dec("0").to_string(2), "0.00");
    EXPECT_EQ(dec("0.001").to_string(2), "0.001");  // never drops digits
    EXPECT_EQ(dec("0.001").to_string(0), "0.001");
    EXPECT_EQ(dec("7").to_string(0), "7");
    EXPECT_EQ(dec("0.05").to_string(), "0.05");
    EXPECT_EQ(dec("3").to_string(6), "3.000000");
    EXPECT_EQ(Decimal::from_units(270270, 6).to_string(6), "0.270270");
}

TEST(DecimalToString, NegativeValues) {
    EXPECT_EQ(dec("-0.05").to_string(2), "-0.05");
    EXPECT_EQ(dec("-0.5").to_string(2), "-0.50");
    EXPECT_EQ(dec("-14000").to_string(2), "-14000.00");
    EXPECT_EQ(dec("-0.005").to_string(2), "-0.005");
    EXPECT_EQ(dec("-123.456").to_string(), "-123.456");
    EXPECT_EQ(Decimal::from_units(-1, 38).to_string(), "-0." + std::string(37, '0') + "1");
}

TEST(DecimalToString, ExtremeCoefficients) {
    EXPECT_EQ(Decimal::from_units(int128_max, 0).to_string(), "170141183460469231731687303715884105727");
    EXPECT_EQ(Decimal::from_units(int128_min, 0).to_string(), "-170141183460469231731687303715884105728");
    EXPECT_EQ(Decimal::from_units(int128_min, 38).to_string(), "-1.70141183460469231731687303715884105728");
    EXPECT_EQ(Decimal::from_units(int128_max, 38).to_string(2), "1.70141183460469231731687303715884105727");
}

// Digits and normalisation take 64-bit steps where the coefficient fits 64
// bits and 128-bit ones above: the values on either side of the switch.
TEST(DecimalToString, AroundTheSixtyFourBitBoundary) {
    const int128 two64 = int128{1} << 64;
    EXPECT_EQ(Decimal::from_units(two64 - 1, 0).to_string(), "18446744073709551615");
    EXPECT_EQ(Decimal::from_units(two64, 0).to_string(), "18446744073709551616");
    EXPECT_EQ(Decimal::from_units(two64 + 1, 3).to_string(), "18446744073709551.617");
    EXPECT_EQ(Decimal::from_units(-(two64 - 1), 2).to_string(4), "-184467440737095516.1500");
    // Trailing zeros go whichever side of int64 the coefficient is.
    const Decimal above = Decimal::from_units(int128{std::numeric_limits<std::int64_t>::max()} + 3, 1);  // ...810
    EXPECT_EQ(above.scale(), 0);
    EXPECT_EQ(above.to_string(), "922337203685477581");
    const Decimal below = Decimal::from_units(int128{-9223372036854775800}, 2);
    EXPECT_EQ(below.scale(), 0);
    EXPECT_EQ(below.to_string(), "-92233720368547758");
    EXPECT_EQ(Decimal::from_units(std::numeric_limits<std::int64_t>::min(), 3).to_string(), "-9223372036854775.808");
    EXPECT_EQ(Decimal::from_units(two64 * 1000, 3), Decimal::from_units(two64, 0));
}

TEST(DecimalToString, RoundTripsThroughParse) {
    for (const char* t : {"0", "1", "-1", "0.1", "-0.0001", "123456789012.0123456789", "99.99", "1000000"}) {
        EXPECT_EQ(dec(t).to_string(), t);
        EXPECT_EQ(dec(dec(t).to_string(4)), dec(t)) << t;
    }
}

// ---------------------------------------------------------------- comparison

TEST(DecimalCompare, MixedScales) {
    EXPECT_LT(dec("1.5"), dec("1.51"));
    EXPECT_GT(dec("2"), dec("1.9999999999"));
    EXPECT_LT(dec("-2"), dec("-1.9999999999"));
    EXPECT_LT(dec("-0.1"), dec("0"));
    EXPECT_LT(dec("0"), dec("0.0000000001"));
    EXPECT_EQ(dec("1.50") <=> dec("1.5"), std::strong_ordering::equal);
    EXPECT_EQ(dec("0.3") <=> dec("0.25"), std::strong_ordering::greater);
    EXPECT_EQ(dec("-0.3") <=> dec("-0.25"), std::strong_ordering::less);
    EXPECT_LE(dec("14000.00"), dec("14000"));
    EXPECT_GE(dec("14000.00"), dec("14000"));
}

TEST(DecimalCompare, HugeAgainstTinyWithRescaleOverflow) {
    // Rescaling the huge value to the tiny value's scale overflows 128 bits.
    Decimal huge = dec(nines38);
    Decimal tiny = Decimal::from_units(1, 38);
    EXPECT_GT(huge, tiny);
    EXPECT_LT(tiny, huge);
    EXPECT_LT(-huge, -tiny);
    EXPECT_GT(-tiny, -huge);
    EXPECT_EQ(huge <=> tiny, std::strong_ordering::greater);
    EXPECT_EQ(tiny <=> huge, std::strong_ordering::less);
    EXPECT_EQ((-huge) <=> (-tiny), std::strong_ordering::less);
    EXPECT_EQ((-tiny) <=> (-huge), std::strong_ordering::greater);
    // Close values where only one rescale overflows: 2e37 vs 1.5 (scale 1).
    Decimal big = dec("2" + std::string(37, '0'));
    EXPECT_GT(big, dec("1.5"));
    EXPECT_LT(dec("1.5"), big);
    EXPECT_LT(-big, dec("-1.5"));
    EXPECT_GT(dec("-1.5"), -big);
    // Huge values that do rescale.
    EXPECT_LT(dec("1" + std::string(36, '0') + ".1"), dec("1" + std::string(36, '0') + ".2"));
    EXPECT_GT(Decimal::from_units(int128_max, 0), Decimal::from_units(int128_max, 1));
    EXPECT_LT(Decimal::from_units(int128_min, 0), Decimal::from_units(int128_min, 1));
    EXPECT_EQ(Decimal::from_units(int128_max, 0) <=> Decimal::from_units(int128_max, 0), std::strong_ordering::equal);
}

TEST(DecimalCompare, SignDecidesFirst) {
    EXPECT_LT(Decimal::from_units(int128_min, 0), Decimal::from_units(1, 38));
    EXPECT_GT(Decimal::from_units(1, 38), Decimal::from_units(-1, 38));
    EXPECT_GT(Decimal::from_units(1, 38), Decimal());
    EXPECT_LT(Decimal::from_units(-1, 38), Decimal());
}

// ---------------------------------------------------------------- arithmetic

TEST(DecimalArithmetic, AddSubExact) {
    EXPECT_EQ((dec("0.1") + dec("0.2")).to_string(), "0.3");
    EXPECT_EQ(dec("0.1") + dec("0.2"), dec("0.3"));
    EXPECT_EQ((dec("14000.25") + dec("0.75")).to_string(), "14001");
    EXPECT_EQ((dec("14000.25") + dec("0.75")).scale(), 0);
    EXPECT_EQ((dec("1") - dec("0.0000000001")).to_string(), "0.9999999999");
    EXPECT_EQ((dec("5") - dec("7.5")).to_string(), "-2.5");
    EXPECT_EQ((dec("-5") + dec("5")), Decimal());
    EXPECT_EQ((-dec("3.25")).to_string(), "-3.25");
    EXPECT_EQ(-(-dec("3.25")), dec("3.25"));
    EXPECT_EQ((dec(nines38) - dec(nines38)), Decimal());
}

TEST(DecimalArithmetic, MulExact) {
    EXPECT_EQ((dec("2300001") * dec("0.0061")).to_string(), "14030.0061");
    EXPECT_EQ((dec("2400000") * dec("0.0061")).to_string(), "14640");
    EXPECT_EQ((dec("0.5") * dec("0.2")).to_string(), "0.1");
    EXPECT_EQ((dec("-1.5") * dec("1.5")).to_string(), "-2.25");
    EXPECT_EQ((dec("-1.5") * dec("-2")).to_string(), "3");
    EXPECT_EQ((dec("123.45") * Decimal()), Decimal());
    // 22 x 16 significant digits: 38, the most a coefficient holds.
    EXPECT_EQ((dec("999999999999.9999999999") * dec("999999.9999999999")).to_string(),
              "999999999999999899.99990000000000000001");
    // Three input decimals of 10 fraction digits each stay within max_scale.
    Decimal t = dec("0.0000000001");
    EXPECT_EQ((t * t * t).scale(), 30);
}

TEST(DecimalArithmetic, OverflowThrowsNeverWraps) {
    Decimal big = dec(nines38);
    EXPECT_THROW(big + big, OverflowError);
    EXPECT_THROW((-big) - big, OverflowError);
    EXPECT_THROW(big * dec("2"), OverflowError);
    EXPECT_THROW(big * dec("10"), OverflowError);
    EXPECT_THROW(dec("1" + std::string(20, '0')) * dec("1" + std::string(20, '0')), OverflowError);
    EXPECT_THROW(-Decimal::from_units(int128_min, 0), OverflowError);
    EXPECT_THROW(Decimal::from_units(int128_max, 0) + Decimal::integer(1), OverflowError);
    EXPECT_THROW(Decimal::from_units(int128_min, 0) - Decimal::integer(1), OverflowError);
    // Adding at a common scale that overflows: 2e37 + 0.5 needs 2e38 units.
    EXPECT_THROW(dec("2" + std::string(37, '0')) + dec("0.5"), OverflowError);
    // Products with more than 38 fraction digits.
    EXPECT_THROW(Decimal::from_units(1, 20) * Decimal::from_units(1, 19), OverflowError);
    // Right at the edge: fits.
    EXPECT_EQ((Decimal::from_units(int128_max - 1, 0) + Decimal::integer(1)), Decimal::from_units(int128_max, 0));
    EXPECT_EQ(Decimal::from_units(1, 19) * Decimal::from_units(1, 19), Decimal::from_units(1, 38));
}

TEST(DecimalArithmetic, ProductsThatFitOnlyAfterNormalising) {
    // The raw coefficient product exceeds 128 bits (or 38 fraction digits) but
    // the exact value, without its trailing zeros, fits.
    Decimal big_int = dec("999999999999000000000");  // 21 digits, 9 trailing zeros
    Decimal lot = dec("999999999999.9999999999");     // 22 digits
    EXPECT_EQ((big_int * lot).to_string(), "999999999998999999999900000000000.1");
    EXPECT_EQ((lot * big_int).to_string(), "999999999998999999999900000000000.1");
    EXPECT_EQ((-big_int * lot).to_string(), "-999999999998999999999900000000000.1");
    EXPECT_EQ((-big_int * -lot).to_string(), "999999999998999999999900000000000.1");
    // 0.5 * 2e-38 = 1e-38: 39 fraction digits before normalising.
    EXPECT_EQ(dec("0.5") * Decimal::from_units(2, 38), Decimal::from_units(1, 38));
    EXPECT_EQ(Decimal::from_units(-5, 20) * Decimal::from_units(2, 19), Decimal::from_units(-1, 38));
    // 10^20 * 10^19 = 10^39: 40 digits, does not fit however it is written.
    EXPECT_THROW(dec("1" + std::string(20, '0')) * dec("1" + std::string(19, '0')), OverflowError);
    // Fits at 38 digits: 10^19 * 10^18.
    EXPECT_EQ((dec("1" + std::string(19, '0')) * dec("1" + std::string(18, '0'))).to_string(),
              "1" + std::string(37, '0'));
}

TEST(DecimalArithmetic, ProductOfMagnitudeTwoTo127) {
    // -2^64 (scale 20) * 2^63 (scale 19) = -2^127 * 10^-39: 39 fraction digits
    // that no trailing zero can remove. Must throw, without undefined behaviour
    // on the way (run under -fsanitize=undefined).
    Decimal a = Decimal::from_units(-(static_cast<int128>(1) << 64), 20);
    Decimal b = Decimal::from_units(static_cast<int128>(1) << 63, 19);
    EXPECT_THROW(a * b, OverflowError);
    // The same magnitude at scale 38 is representable.
    EXPECT_EQ(Decimal::from_units(-(static_cast<int128>(1) << 64), 19) * Decimal::from_units(static_cast<int128>(1) << 63, 19),
              Decimal::from_units(int128_min, 38));
}

TEST(DecimalArithmetic, OverflowErrorIsOverflowError) {
    try {
        (void)(dec(nines38) * dec(nines38));
        FAIL() << "no throw";
    } catch (const std::overflow_error& e) {
        EXPECT_NE(std::string(e.what()).find("overflows"), std::string::npos);
    }
}

// ---------------------------------------------------------------- quotients

TEST(DecimalQuotient, FloorAndCeilPositive) {
    EXPECT_EQ(floor_quotient(dec("7"), dec("2")), int128{3});
    EXPECT_EQ(ceil_quotient(dec("7"), dec("2")), int128{4});
    EXPECT_EQ(floor_quotient(dec("8"), dec("2")), int128{4});
    EXPECT_EQ(ceil_quotient(dec("8"), dec("2")), int128{4});
    EXPECT_EQ(floor_quotient(dec("14030.0061"), dec("0.01")), int128{1403000});
    EXPECT_EQ(ceil_quotient(dec("14030.0061"), dec("0.01")), int128{1403001});
    EXPECT_EQ(floor_quotient(dec("14030"), dec("0.01")), int128{1403000});
    EXPECT_EQ(ceil_quotient(dec("14030"), dec("0.01")), int128{1403000});
    EXPECT_EQ(floor_quotient(dec("100.07"), dec("0.05")), int128{2001});
    EXPECT_EQ(ceil_quotient(dec("100.01"), dec("0.05")), int128{2001});
    EXPECT_EQ(floor_quotient(dec("14003"), dec("5")), int128{2800});
    EXPECT_EQ(ceil_quotient(dec("14001"), dec("5")), int128{2801});
    EXPECT_EQ(floor_quotient(dec("0"), dec("0.01")), int128{0});
    EXPECT_EQ(ceil_quotient(dec("0"), dec("0.01")), int128{0});
    EXPECT_EQ(floor_quotient(dec("0.001"), dec("3")), int128{0});
    EXPECT_EQ(ceil_quotient(dec("0.001"), dec("3")), int128{1});
}

TEST(DecimalQuotient, FloorAndCeilNegative) {
    EXPECT_EQ(floor_quotient(dec("-7"), dec("2")), int128{-4});
    EXPECT_EQ(ceil_quotient(dec("-7"), dec("2")), int128{-3});
    EXPECT_EQ(floor_quotient(dec("7"), dec("-2")), int128{-4});
    EXPECT_EQ(ceil_quotient(dec("7"), dec("-2")), int128{-3});
    EXPECT_EQ(floor_quotient(dec("-7"), dec("-2")), int128{3});
    EXPECT_EQ(ceil_quotient(dec("-7"), dec("-2")), int128{4});
    EXPECT_EQ(floor_quotient(dec("-8"), dec("2")), int128{-4});
    EXPECT_EQ(ceil_quotient(dec("-8"), dec("2")), int128{-4});
    EXPECT_EQ(floor_quotient(dec("-0.005"), dec("0.01")), int128{-1});
    EXPECT_EQ(ceil_quotient(dec("-0.005"), dec("0.01")), int128{0});
    EXPECT_EQ(floor_quotient(dec("-0.5"), dec("0.01")), int128{-50});
}

TEST(DecimalQuotient, HugeQuotientAndRescaleOverflow) {
    EXPECT_EQ(floor_quotient(dec("1" + std::string(30, '0')), dec("0.01")),
              dec("1" + std::string(32, '0')).coefficient());
    // The common scale cannot hold the dividend: throws, never wraps.
    EXPECT_THROW(floor_quotient(dec(nines38), Decimal::from_units(1, 38)), OverflowError);
    EXPECT_THROW(ceil_quotient(dec(nines38), Decimal::from_units(1, 38)), OverflowError);
}

// ---------------------------------------------------------------- rounded

TEST(DecimalRounded, HalfAwayFromZero) {
    EXPECT_EQ(dec("1.25").rounded(1), dec("1.3"));
    EXPECT_EQ(dec("-1.25").rounded(1), dec("-1.3"));
    EXPECT_EQ(dec("1.24").rounded(1), dec("1.2"));
    EXPECT_EQ(dec("-1.24").rounded(1), dec("-1.2"));
    EXPECT_EQ(dec("0.5").rounded(0), dec("1"));
    EXPECT_EQ(dec("-0.5").rounded(0), dec("-1"));
    EXPECT_EQ(dec("0.4999999999").rounded(0), dec("0"));
    EXPECT_EQ(dec("2.675").rounded(2), dec("2.68"));
    EXPECT_EQ(dec("9.96").rounded(1), dec("10"));
    EXPECT_EQ(dec("9.96").rounded(1).scale(), 0);
    EXPECT_EQ(dec("0.2702702702").rounded(6).to_string(6), "0.270270");
    EXPECT_EQ(dec("0.6666666666").rounded(6).to_string(6), "0.666667");
}

TEST(DecimalRounded, NothingToRound) {
    EXPECT_EQ(dec("1.2").rounded(5), dec("1.2"));
    EXPECT_EQ(dec("1.2").rounded(1), dec("1.2"));
    EXPECT_EQ(dec("-7").rounded(0), dec("-7"));
    EXPECT_EQ(Decimal().rounded(3), Decimal());
}

TEST(DecimalRounded, ThirtyEightFractionDigitsToZeroPlaces) {
    // 0.9000...0001 (38 fraction digits) is nearer 1 than 0. A naive
    // `2 * r >= div` with r ~ 9e37 exceeds 2^127 (signed overflow) and gets
    // this wrong (found in b7247bb, fixed in 3bfeabd).
    Decimal d = dec("0.9" + std::string(36, '0') + "1");
    ASSERT_EQ(d.scale(), 38);
    EXPECT_EQ(d.rounded(0), dec("1")) << "rounded() must not overflow at scale 38";
    EXPECT_EQ((-d).rounded(0), dec("-1")) << "rounded() must not overflow at scale 38";
    // The same value with fewer digits is fine.
    EXPECT_EQ(dec("0.9").rounded(0), dec("1"));
    // Just below and exactly at the half at scale 38.
    EXPECT_EQ(dec("0.49999999999999999999999999999999999999").rounded(0), dec("0"));
    EXPECT_EQ(dec("0.5").rounded(0), dec("1"));
    EXPECT_EQ(dec("0.99999999999999999999999999999999999999").rounded(0), dec("1"));
    EXPECT_EQ(dec("-0.99999999999999999999999999999999999999").rounded(0), dec("-1"));
    EXPECT_EQ(dec("0.99999999999999999999999999999999999999").rounded(37), dec("1"));
}

// ---------------------------------------------------------------- integer_digits

TEST(DecimalIntegerDigits, CountsDigitsBeforeThePoint) {
    EXPECT_EQ(dec("0").integer_digits(), 0);
    EXPECT_EQ(dec("0.999").integer_digits(), 0);
    EXPECT_EQ(dec("-0.5").integer_digits(), 0);
    EXPECT_EQ(dec("1").integer_digits(), 1);
    EXPECT_EQ(dec("9.99").integer_digits(), 1);
    EXPECT_EQ(dec("10").integer_digits(), 2);
    EXPECT_EQ(dec("-14000.5").integer_digits(), 5);
    EXPECT_EQ(dec("000123.4").integer_digits(), 3);
    EXPECT_EQ(dec("999999999999").integer_digits(), 12);
    EXPECT_EQ(dec("1000000000000").integer_digits(), 13);
    EXPECT_EQ(dec("100.000").integer_digits(), 3);
    // 2^127 has 39 digits (negating the coefficient must not overflow:
    // run under -fsanitize=undefined).
    EXPECT_EQ(Decimal::from_units(int128_max, 0).integer_digits(), 39);
    EXPECT_EQ(Decimal::from_units(int128_min, 0).integer_digits(), 39);
    EXPECT_EQ(Decimal::from_units(int128_min, 38).integer_digits(), 1);
}

}  // namespace
