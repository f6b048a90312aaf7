// The opt-in {fmt} formatters of jpclear/fmt.h (built when fmt is found).

#include <gtest/gtest.h>

#include <string>

#include "jpclear/fmt.h"

namespace {

using jpclear::dec;

TEST(Fmt, DecimalIsExactByDefault) {
    EXPECT_EQ(fmt::format("{}", dec("14050.50")), "14050.5");
    EXPECT_EQ(fmt::format("{}", dec("-0.05")), "-0.05");
    EXPECT_EQ(fmt::format("{} EUR/t", dec("14050")), "14050 EUR/t");
}

TEST(Fmt, DecimalPrecisionRoundsHalfAwayAndShowsEveryDigit) {
    EXPECT_EQ(fmt::format("{:.2}", dec("14050")), "14050.00");
    EXPECT_EQ(fmt::format("{:.1}", dec("1.25")), "1.3");
    EXPECT_EQ(fmt::format("{:.1}", dec("-1.25")), "-1.3");
    EXPECT_EQ(fmt::format("{:.0}", dec("2.5")), "3");
    EXPECT_EQ(fmt::format("{:.3}", dec("0.1")), "0.100");
}

TEST(Fmt, DecimalTakesFillAlignAndWidth) {
    EXPECT_EQ(fmt::format("{:>8.2}|", dec("1.5")), "    1.50|");
    EXPECT_EQ(fmt::format("{:<6}|", dec("-2")), "-2    |");
    EXPECT_EQ(fmt::format("{:*^9}", dec("-0.5")), "**-0.5***");
    // A '.' before an align is the fill, not a precision.
    EXPECT_EQ(fmt::format("{:.>6}", dec("1.5")), "...1.5");
    EXPECT_EQ(fmt::format("{:.>8.2}", dec("1.5")), "....1.50");
}

TEST(Fmt, BadDecimalSpecsAreFormatErrors) {
    EXPECT_THROW((void)fmt::format(fmt::runtime("{:.}"), dec("1")), fmt::format_error);
    EXPECT_THROW((void)fmt::format(fmt::runtime("{:.39}"), dec("1")), fmt::format_error);
    EXPECT_THROW((void)fmt::format(fmt::runtime("{:+}"), dec("1")), fmt::format_error);
}

TEST(Fmt, StrongTypesFormatAsTheirInteger) {
    EXPECT_EQ(fmt::format("{}", jpclear::Lots{66}), "66");
    EXPECT_EQ(fmt::format("{:>4}|{:<3}|", jpclear::Lots{12}, jpclear::Ticks{5}), "  12|5  |");
    EXPECT_EQ(fmt::format("{:03}", jpclear::OrderIndex{7}), "007");
}

TEST(Fmt, TextFormatsAsItsString) {
    EXPECT_EQ(fmt::format("{}", jpclear::Text("b-1")), "b-1");
    EXPECT_EQ(fmt::format("[{:>6}]", jpclear::Text("EU")), "[    EU]");
    EXPECT_EQ(fmt::format("{}", jpclear::Text("an id longer than fifteen bytes")), "an id longer than fifteen bytes");
}

}  // namespace
