#include <gtest/gtest.h>

#include "problem_matchers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/io.h"

namespace jpclear {
namespace {

const std::string bids_header = "id,buyer,bloc,lots,min_lots,limit,currency\n";
const std::string offers_header = "id,supplier,origin,lots,min_lots,ask,currency,certified\n";
// What a message about a text cell that is not UTF-8 ends with.
const std::string utf8_hint = " of the cell; save the file as UTF-8, in Excel \"CSV UTF-8\")";

Problems only(std::string path, std::string message) { return {{std::move(path), std::move(message)}}; }

using test::listed;
using test::same_problems;

// The one problem a file is expected to have, with no orders alongside it.
void expect_single_bid_problem(const std::string& text, const std::string& path, const std::string& message) {
    BidsRead r = read_bids_csv(text);
    EXPECT_TRUE(same_problems(r.problems, only(path, message))) << text;
    EXPECT_TRUE(r.bids.empty());
}

TEST(CsvBids, WellFormedFileReadsEveryField) {
    BidsRead r = read_bids_csv(bids_header +
                               "eu-1,Acme Cells,EU,12,0,14500.50,EUR\n"
                               "jp-1,Tokyo Battery,JP,8,8,2390000,JPY\n"
                               "eu-2,Volt GmbH,EU,3,,123456789012.0123456789,\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    ASSERT_EQ(r.bids.size(), 3u);

    const Bid& a = r.bids[0];
    EXPECT_EQ(a.id, "eu-1");
    EXPECT_EQ(a.buyer, "Acme Cells");
    EXPECT_EQ(a.bloc, "EU");
    EXPECT_EQ(a.lots, 12);
    EXPECT_EQ(a.min_lots, 0);
    EXPECT_EQ(a.limit, Decimal::from_units(1450050, 2));
    EXPECT_EQ(a.currency, std::optional<std::string>("EUR"));

    const Bid& b = r.bids[1];
    EXPECT_EQ(b.id, "jp-1");
    EXPECT_EQ(b.buyer, "Tokyo Battery");
    EXPECT_EQ(b.bloc, "JP");
    EXPECT_EQ(b.lots, 8);
    EXPECT_EQ(b.min_lots, 8);
    EXPECT_EQ(b.limit, Decimal::integer(2390000));
    EXPECT_EQ(b.currency, std::optional<std::string>("JPY"));

    // 22 significant digits: a double would lose the tail.
    const Bid& c = r.bids[2];
    const int128 units = int128{123456789012} * detail::pow10(10) + 123456789;
    EXPECT_EQ(c.limit, Decimal::from_units(units, 10));
    EXPECT_EQ(c.min_lots, 0);
    EXPECT_EQ(c.currency, std::nullopt);
}

TEST(CsvOffers, WellFormedFileReadsEveryField) {
    OffersRead r = read_offers_csv(offers_header +
                                   "au-1,Southern Lithium,AU,10,0,13200.00,EUR,true\n"
                                   "cl-1,Atacama SpA,CL,6,2,0.0000000001,USD,false\n"
                                   "ar-1,Puna,AR,4,,0,,\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    ASSERT_EQ(r.offers.size(), 3u);

    const Offer& a = r.offers[0];
    EXPECT_EQ(a.id, "au-1");
    EXPECT_EQ(a.supplier, "Southern Lithium");
    EXPECT_EQ(a.origin, "AU");
    EXPECT_EQ(a.lots, 10);
    EXPECT_EQ(a.min_lots, 0);
    EXPECT_EQ(a.ask, Decimal::integer(13200));
    EXPECT_EQ(a.currency, std::optional<std::string>("EUR"));
    EXPECT_TRUE(a.certified);

    const Offer& b = r.offers[1];
    EXPECT_EQ(b.lots, 6);
    EXPECT_EQ(b.min_lots, 2);
    EXPECT_EQ(b.ask, Decimal::from_units(1, 10));
    EXPECT_EQ(b.currency, std::optional<std::string>("USD"));
    EXPECT_FALSE(b.certified);

    const Offer& c = r.offers[2];
    EXPECT_EQ(c.ask, Decimal());
    EXPECT_EQ(c.min_lots, 0);
    EXPECT_EQ(c.currency, std::nullopt);
    EXPECT_FALSE(c.certified);
}

TEST(CsvOffers, CertifiedTrueIsNotTheDefault) {
    OffersRead r = read_offers_csv("certified,ask,lots,origin,supplier,id\ntrue,1,1,AU,S,o-1\n,1,1,AU,S,o-2\n");
    ASSERT_TRUE(r.problems.empty());
    ASSERT_EQ(r.offers.size(), 2u);
    EXPECT_TRUE(r.offers[0].certified);
    EXPECT_FALSE(r.offers[1].certified);
}

TEST(CsvBids, ColumnsInAnyOrderAndOptionalOnesLeftOut) {
    BidsRead r = read_bids_csv("limit,lots,bloc,id,buyer\n99.9,7,JP,jp-9,Osaka Cells\n");
    ASSERT_TRUE(r.problems.empty());
    ASSERT_EQ(r.bids.size(), 1u);
    EXPECT_EQ(r.bids[0].id, "jp-9");
    EXPECT_EQ(r.bids[0].buyer, "Osaka Cells");
    EXPECT_EQ(r.bids[0].bloc, "JP");
    EXPECT_EQ(r.bids[0].lots, 7);
    EXPECT_EQ(r.bids[0].min_lots, 0);
    EXPECT_EQ(r.bids[0].limit, Decimal::from_units(999, 1));
    EXPECT_EQ(r.bids[0].currency, std::nullopt);
}

TEST(CsvBids, QuotedCellsHoldCommasQuotesLineBreaksAndUtf8) {
    const std::string text = bids_header +
                             "\"eu,1\",\"Acme \"\"Cells\"\" Ltd\",EU,1,0,\"14,5\",EUR\n"  // line 2: bad limit
                             "\"東京-1\",\"Line one\nLine two\",JP,2,0,1,\n"              // lines 3-4
                             "\"Müller\",\"\"\"\",EU,3,0,\"2.5\",\"\"\n"                  // line 5
                             "x,y,EU,4,0,oops,\n";                                        // line 6
    BidsRead r = read_bids_csv(text);
    // The line numbers after a cell with a line break stay physical.
    EXPECT_TRUE(
        same_problems(r.problems, (Problems{{"bids[0].limit (bids.csv line 2, id \"eu,1\")",
                                             "\"14,5\" is not a decimal; write 14.5 (the decimal mark is '.' in a file "
                                             "separated by ',')"},
                                            {"bids[3].limit (bids.csv line 6, id x)", "\"oops\" is not a decimal"}})));
    EXPECT_TRUE(r.bids.empty());

    // The same rows without the bad prices give back the exact cell texts.
    const std::string good = bids_header +
                             "\"eu,1\",\"Acme \"\"Cells\"\" Ltd\",EU,1,0,\"14.5\",EUR\n"
                             "\"東京-1\",\"Line one\nLine two\",JP,2,0,1,\n"
                             "\"Müller\",\"\"\"\",EU,3,0,\"2.5\",\"\"\n";
    r = read_bids_csv(good);
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    ASSERT_EQ(r.bids.size(), 3u);
    EXPECT_EQ(r.bids[0].id, "eu,1");
    EXPECT_EQ(r.bids[0].buyer, "Acme \"Cells\" Ltd");
    EXPECT_EQ(r.bids[0].limit, Decimal::from_units(145, 1));
    EXPECT_EQ(r.bids[1].id, "東京-1");
    EXPECT_EQ(r.bids[1].buyer, "Line one\nLine two");
    EXPECT_EQ(r.bids[2].id, "Müller");
    EXPECT_EQ(r.bids[2].buyer, "\"");
    EXPECT_EQ(r.bids[2].currency, std::nullopt);  // a quoted empty cell is absent too
}

TEST(CsvBids, CrLfAndNoFinalLineBreak) {
    const std::string text =
        "id,buyer,bloc,lots,limit\r\n"
        "a,\"Two\r\nLines\",EU,1,10\r\n"
        "b,B,EU,2,20";
    BidsRead r = read_bids_csv(text);
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    ASSERT_EQ(r.bids.size(), 2u);
    EXPECT_EQ(r.bids[0].buyer, "Two\r\nLines");        // line breaks inside quotes are data
    EXPECT_EQ(r.bids[0].limit, Decimal::integer(10));  // no '\r' left on the last cell
    EXPECT_EQ(r.bids[1].id, "b");
    EXPECT_EQ(r.bids[1].limit, Decimal::integer(20));

    // CRLF counts one line, as does a line break inside quotes.
    expect_single_bid_problem("id,buyer,bloc,lots,limit\r\na,\"x\r\ny\",EU,1,10\r\nb,B,EU,2,z\r\n",
                              "bids[1].limit (bids.csv line 4, id b)", "\"z\" is not a decimal");
}

TEST(CsvBids, Utf8ByteOrderMarkIsSkipped) {
    BidsRead r = read_bids_csv("\xEF\xBB\xBFid,buyer,bloc,lots,limit\nb-1,B,EU,1,5\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    ASSERT_EQ(r.bids.size(), 1u);
    EXPECT_EQ(r.bids[0].id, "b-1");

    // Only at the start: elsewhere it is data, here an unknown column name.
    r = read_bids_csv("id,buyer,bloc,lots,limit,\xEF\xBB\xBF\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "bids.csv line 1");
}

TEST(CsvBids, EmptyCellsAreAbsent) {
    BidsRead r = read_bids_csv(bids_header + "b,B,EU,4,,1,\n");
    ASSERT_TRUE(r.problems.empty());
    ASSERT_EQ(r.bids.size(), 1u);
    EXPECT_EQ(r.bids[0].min_lots, 0);
    EXPECT_FALSE(r.bids[0].currency.has_value());

    // An empty required cell is not a default value but a problem.
    expect_single_bid_problem(bids_header + "b,B,EU,,0,1,EUR\n", "bids[0].lots (bids.csv line 2, id b)", "is required");
    expect_single_bid_problem(bids_header + "b,,EU,1,0,1,EUR\n", "bids[0].buyer (bids.csv line 2, id b)", "is required");
    expect_single_bid_problem(bids_header + "b,B,EU,1,0,\"\",EUR\n", "bids[0].limit (bids.csv line 2, id b)",
                              "is required");
}

TEST(CsvBids, OutOfRangeValuesAreLeftToValidation) {
    BidsRead r = read_bids_csv(bids_header + "b,B,EU,-5,-1,-3,EURO\nc,C,EU,0,9,1234567890123.12345678901,X\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    ASSERT_EQ(r.bids.size(), 2u);
    EXPECT_EQ(r.bids[0].lots, -5);
    EXPECT_EQ(r.bids[0].min_lots, -1);
    EXPECT_EQ(r.bids[0].limit, Decimal::integer(-3));
    EXPECT_EQ(r.bids[0].currency, std::optional<std::string>("EURO"));
    EXPECT_EQ(r.bids[1].lots, 0);
    EXPECT_EQ(r.bids[1].min_lots, 9);
    EXPECT_EQ(r.bids[1].limit.integer_digits(), 13);
    EXPECT_EQ(r.bids[1].limit.scale(), 11);
}

TEST(CsvBids, TextCellsMustBeUtf8) {
    // An id that is not UTF-8 does not name its row.
    expect_single_bid_problem(bids_header + "b\xFF,B,EU,1,0,1,\n", "bids[0].id (bids.csv line 2)",
                              "is not UTF-8 text (byte 0xFF at position 2" + utf8_hint);
    // Overlong forms, surrogates and a sequence cut short are not UTF-8 either.
    expect_single_bid_problem(bids_header + "b,\xC0\xAF,EU,1,0,1,\n", "bids[0].buyer (bids.csv line 2, id b)",
                              "is not UTF-8 text (byte 0xC0 at position 1" + utf8_hint);
    expect_single_bid_problem(bids_header + "b,B,E\xED\xA0\x80,1,0,1,\n", "bids[0].bloc (bids.csv line 2, id b)",
                              "is not UTF-8 text (byte 0xED at position 2" + utf8_hint);
    expect_single_bid_problem(bids_header + "b,B,EU,1,0,1,EU\xE6\x9D\n", "bids[0].currency (bids.csv line 2, id b)",
                              "is not UTF-8 text (byte 0xE6 at position 3" + utf8_hint);
    OffersRead o = read_offers_csv(offers_header + "o,S\x80,AU,1,0,1,,true\n");
    EXPECT_TRUE(same_problems(o.problems, only("offers[0].supplier (offers.csv line 2, id o)",
                                               "is not UTF-8 text (byte 0x80 at position 2" + utf8_hint)));
    EXPECT_TRUE(o.offers.empty());
    // Well-formed multi-byte text is kept as it is.
    BidsRead r = read_bids_csv(bids_header + "\xE6\x9D\xB1\xF0\x9F\x98\x80,B,JP,1,0,1,\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    EXPECT_EQ(r.bids[0].id, "\xE6\x9D\xB1\xF0\x9F\x98\x80");
}

TEST(CsvBids, LotsMustBeWholeNumbers) {
    const std::string path = "bids[0].lots (bids.csv line 2, id b)";
    for (const char* bad : {"5.0", "1e3", "+5", "-", "5 ", " 5", "five", "0x10"})
        expect_single_bid_problem(bids_header + "b,B,EU," + bad + ",0,1,\n", path,
                                  "\"" + std::string(bad) + "\" is not a whole number");
    expect_single_bid_problem(bids_header + "b,B,EU,1,1.5,1,\n", "bids[0].min_lots (bids.csv line 2, id b)",
                              "\"1.5\" is not a whole number");
}

TEST(CsvBids, LotsBeyondInt64AreProblems) {
    expect_single_bid_problem(bids_header + "b,B,EU,9223372036854775808,0,1,\n", "bids[0].lots (bids.csv line 2, id b)",
                              "\"9223372036854775808\" is too large a whole number");
    expect_single_bid_problem(bids_header + "b,B,EU,1,-9223372036854775809,1,\n",
                              "bids[0].min_lots (bids.csv line 2, id b)",
                              "\"-9223372036854775809\" is too large a whole number");
    expect_single_bid_problem(bids_header + "b,B,EU,123456789012345678901234567890,0,1,\n",
                              "bids[0].lots (bids.csv line 2, id b)",
                              "\"123456789012345678901234567890\" is too large a whole number");

    // The ends of the range itself are kept, for validation to judge.
    BidsRead r = read_bids_csv(bids_header + "b,B,EU,9223372036854775807,-9223372036854775808,1,\n");
    ASSERT_TRUE(r.problems.empty()) << r.problems[0].to_string();
    EXPECT_EQ(r.bids[0].lots, INT64_MAX);
    EXPECT_EQ(r.bids[0].min_lots, INT64_MIN);
}

TEST(CsvBids, PricesAreDecimalsWithoutExponent) {
    const std::string path = "bids[0].limit (bids.csv line 2, id b)";
    for (const char* bad : {"1e3", "1.5E2", ".5", "5.", "+5", "EUR 5", "0x1p3", "nan"})
        expect_single_bid_problem(bids_header + "b,B,EU,1,0,\"" + bad + "\",\n", path,
                                  "\"" + std::string(bad) + "\" is not a decimal");
    // Thousands separators and decimal commas get a way out.
    expect_single_bid_problem(bids_header + "b,B,EU,1,0,\"15,000\",\n", path,
                              "\"15,000\" is not a decimal; write 15000 if ',' groups thousands, or 15.000 if it is a "
                              "decimal comma");
    expect_single_bid_problem(bids_header + "b,B,EU,1,0,\"1,234.5\",\n", path,
                              "\"1,234.5\" is not a decimal; write it without thousands separators, with '.' as the "
                              "decimal mark");
    expect_single_bid_problem(bids_header + "b,B,EU,1,0,1234567890123456789012345678901234567890,\n", path,
                              "\"1234567890123456789012345678901234567890\" has more than 38 significant digits");
}

TEST(CsvOffers, ErrorPathsNameTheOffersList) {
    OffersRead r = read_offers_csv(offers_header + "o,S,AU,1,0,1,,true\no2,S,AU,x,0,1,2,yes\n", "my offers.csv");
    EXPECT_TRUE(same_problems(
        r.problems, (Problems{{"offers[1].lots (my offers.csv line 3, id o2)", "\"x\" is not a whole number"},
                              {"offers[1].certified (my offers.csv line 3, id o2)", "\"yes\" is not true or false"}})));
    EXPECT_TRUE(r.offers.empty());

    r = read_offers_csv(offers_header + "o,S,AU,1,0,\"13 200\",EUR,TRUE\n");
    EXPECT_TRUE(same_problems(
        r.problems, (Problems{{"offers[0].ask (offers.csv line 2, id o)", "\"13 200\" is not a decimal"},
                              {"offers[0].certified (offers.csv line 2, id o)", "\"TRUE\" is not true or false"}})));
}

TEST(CsvBids, EveryProblemIsReportedAndNoBidIsReturned) {
    const std::string text = bids_header +
                             "a,A,EU,1,0,10,\n"       // line 2: fine
                             "b,,EU,1.5,0,1 0,EUR\n"  // line 3: three problems
                             "c,C,EU,1,0\n"           // line 4: too few cells
                             "d,D,EU,1,0,10,\n";      // line 5: fine
    BidsRead r = read_bids_csv(text, "round-7-bids.csv");
    EXPECT_TRUE(same_problems(
        r.problems, (Problems{{"bids[1].buyer (round-7-bids.csv line 3, id b)", "is required"},
                              {"bids[1].lots (round-7-bids.csv line 3, id b)", "\"1.5\" is not a whole number"},
                              {"bids[1].limit (round-7-bids.csv line 3, id b)", "\"1 0\" is not a decimal"},
                              {"bids[2] (round-7-bids.csv line 4)", "has 5 cells where the header (line 1) has 7"}})));
    EXPECT_TRUE(r.bids.empty());
}

TEST(CsvBids, WrongCellCount) {
    expect_single_bid_problem(bids_header + "a,A,EU,1,0,10,EUR,extra\n", "bids[0] (bids.csv line 2)",
                              "has 8 cells where the header (line 1) has 7 (a ',' inside a value that is not quoted, "
                              "such as a decimal comma?)");
    expect_single_bid_problem(bids_header + "a,A,EU,1,0,10\n", "bids[0] (bids.csv line 2)",
                              "has 6 cells where the header (line 1) has 7");
    // A lone quoted empty cell is a record, not a blank line.
    expect_single_bid_problem(bids_header + "\"\"\n", "bids[0] (bids.csv line 2)",
                              "has 1 cells where the header (line 1) has 7");
}

TEST(CsvBids, UnknownColumnIsAProblem) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limt\na,A,EU,1,10\n");
    EXPECT_TRUE(same_problems(
        r.problems,
        (Problems{{"bids.csv line 1",
                   "unknown column \"limt\" (bids columns are: id, buyer, bloc, lots, min_lots, limit, currency, "
                   "delivery); did you mean \"limit\"?"},
                  {"bids.csv line 1", "required column \"limit\" is missing"}})));
    EXPECT_TRUE(r.bids.empty());

    // Offer-only columns are unknown in a bids file.
    r = read_bids_csv("id,buyer,bloc,lots,limit,certified\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "bids.csv line 1");
    EXPECT_EQ(r.problems[0].message.rfind("unknown column \"certified\"", 0), 0u) << r.problems[0].message;
}

TEST(CsvOffers, MissingRequiredColumns) {
    OffersRead r = read_offers_csv("id,lots,ask,certified\n");
    EXPECT_TRUE(same_problems(r.problems, (Problems{{"offers.csv line 1", "required column \"supplier\" is missing"},
                                                    {"offers.csv line 1", "required column \"origin\" is missing"}})));
}

TEST(CsvBids, DuplicatedAndUnnamedColumns) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit,buyer,\n");
    EXPECT_TRUE(
        same_problems(r.problems, (Problems{{"bids.csv line 1", "column \"buyer\" appears twice (cells 2 and 6)"},
                                            {"bids.csv line 1", "cell 7 names no column (name it, with x- in front "
                                                                "to have it ignored, or delete the column)"}})));
}

TEST(CsvBids, HeaderProblemsDoNotHideRowProblems) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit,limt\na,A,EU,x,10,\n");
    ASSERT_EQ(r.problems.size(), 2u);
    EXPECT_EQ(r.problems[0].path, "bids.csv line 1");
    EXPECT_EQ(r.problems[1], (Problem{"bids[0].lots (bids.csv line 2, id a)", "\"x\" is not a whole number"}));
}

TEST(CsvBids, UnterminatedQuote) {
    expect_single_bid_problem(bids_header + "a,A,EU,1,0,10,\nb,\"B,EU,1,0,10,\nc,C,EU,1,0,10,\n",
                              "bids[1].buyer (bids.csv line 3)", "has a quote opened on line 3 that is never closed");
    expect_single_bid_problem("id,\"buyer\nbloc,lots,limit\n", "bids.csv line 1",
                              "cell 2 has a quote opened on line 1 that is never closed");
}

TEST(CsvBids, MalformedQuotingIsReportedAndReadingGoesOn) {
    const std::string text = bids_header +
                             "a,\"A\"x,EU,1,0,10,\n"       // line 2
                             "b,B\"s,EU,1,0,10,\n"         // line 3
                             "c,C,EU,1,0,10,EUR,\"x\"y\n"  // line 4: past the last column
                             "d,D,EU,1,0,z,\n";            // line 5: still checked
    BidsRead r = read_bids_csv(text);
    EXPECT_TRUE(same_problems(
        r.problems, (Problems{{"bids[0].buyer (bids.csv line 2, id a)", "has text after its closing quote"},
                              {"bids[1].buyer (bids.csv line 3, id b)",
                               "has a quote inside an unquoted cell (quote the whole cell and double the quote)"},
                              {"bids[2] (bids.csv line 4)", "cell 8 has text after its closing quote"},
                              {"bids[3].limit (bids.csv line 5, id d)", "\"z\" is not a decimal"}})));
    EXPECT_TRUE(r.bids.empty());
}

TEST(CsvBids, MaxOrdersLimit) {
    const std::string three = bids_header + "a,A,EU,1,0,1,\nb,B,EU,1,0,1,\nc,C,EU,1,0,1,\n";
    ReadLimits limits;
    limits.max_orders = 2;
    BidsRead r = read_bids_csv(three, "bids.csv", limits);
    EXPECT_TRUE(same_problems(r.problems, only("bids.csv", "holds more than 2 orders")));
    EXPECT_TRUE(r.bids.empty());

    limits.max_orders = 3;
    r = read_bids_csv(three, "bids.csv", limits);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.bids.size(), 3u);

    // Blank lines are not orders.
    limits.max_orders = 1;
    r = read_bids_csv(bids_header + "\n\na,A,EU,1,0,1,\n\n", "bids.csv", limits);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.bids.size(), 1u);
}

TEST(CsvOffers, MaxBytesLimit) {
    const std::string text = offers_header + "o,S,AU,1,0,1,,\n";
    ReadLimits limits;
    limits.max_bytes = text.size() - 1;
    OffersRead r = read_offers_csv(text, "offers.csv", limits);
    EXPECT_TRUE(same_problems(
        r.problems, only("offers.csv", "is larger than the limit of " + std::to_string(text.size() - 1) + " bytes")));
    EXPECT_TRUE(r.offers.empty());

    limits.max_bytes = text.size();
    r = read_offers_csv(text, "offers.csv", limits);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.offers.size(), 1u);
}

// --- delivery places and routes (spec 10) ---------------------------------------

TEST(CsvBids, DeliveryColumnEmptyCellIsAbsent) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit,delivery\n"
                               "a,A,JP,1,10,JP-YOK\n"
                               "b,B,EU,1,10,\n"
                               "c,C,EU,1,10,\"NL, \"\"RTM\"\"\"\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.bids.size(), 3u);
    EXPECT_EQ(r.bids[0].delivery, std::optional<std::string>("JP-YOK"));
    EXPECT_EQ(r.bids[1].delivery, std::nullopt);
    EXPECT_EQ(r.bids[2].delivery, std::optional<std::string>("NL, \"RTM\""));
    // Without the column, no bid has a place.
    EXPECT_EQ(read_bids_csv(bids_header + "a,A,EU,1,0,10,\n").bids.at(0).delivery, std::nullopt);
    // Port is an offer column.
    r = read_bids_csv("id,buyer,bloc,lots,limit,port\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].message.rfind("unknown column \"port\"", 0), 0u) << r.problems[0].message;
    // Text cells must be UTF-8 here too.
    expect_single_bid_problem("id,buyer,bloc,lots,limit,delivery\na,A,JP,1,10,JP\xFF\n",
                              "bids[0].delivery (bids.csv line 2, id a)",
                              "is not UTF-8 text (byte 0xFF at position 3" + utf8_hint);
}

TEST(CsvOffers, PortColumnEmptyCellIsAbsent) {
    OffersRead r = read_offers_csv("port,id,supplier,origin,lots,ask\nAU-PHE,o-1,S,AU,1,1\n,o-2,S,CL,1,1\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.offers.size(), 2u);
    EXPECT_EQ(r.offers[0].port, std::optional<std::string>("AU-PHE"));
    EXPECT_EQ(r.offers[1].port, std::nullopt);
    r = read_offers_csv("id,supplier,origin,lots,ask,delivery\n");
    EXPECT_TRUE(same_problems(
        r.problems, only("offers.csv line 1", "unknown column \"delivery\" (offers columns are: id, supplier, origin, "
                                              "lots, min_lots, ask, currency, certified, port); to keep it in the "
                                              "file, rename it x-delivery or pass --ignore-columns delivery")));
}

const std::string routes_header = "from,to,freight,currency,capacity_lots\n";

TEST(CsvRoutes, WellFormedFileReadsEveryField) {
    RoutesRead r = read_routes_csv(routes_header +
                                   "AU-PHE,JP-YOK,38.00,EUR,40\n"
                                   "AU-PHE,NL-RTM,81,,\n"
                                   "NL-RTM,NL-RTM,0,,0\n"
                                   "CL-ANF,\"NL, RTM\",123456789012.0123456789,JPY,1000000000\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.routes.size(), 4u);
    EXPECT_EQ(r.routes[0].from, "AU-PHE");
    EXPECT_EQ(r.routes[0].to, "JP-YOK");
    EXPECT_EQ(r.routes[0].freight, Decimal::from_units(3800, 2));
    EXPECT_EQ(r.routes[0].currency, std::optional<std::string>("EUR"));
    EXPECT_EQ(r.routes[0].capacity_lots, std::optional<std::int64_t>(40));
    EXPECT_EQ(r.routes[1].freight, Decimal::integer(81));
    EXPECT_EQ(r.routes[1].currency, std::nullopt);
    EXPECT_EQ(r.routes[1].capacity_lots, std::nullopt);
    EXPECT_EQ(r.routes[2].capacity_lots, std::optional<std::int64_t>(0));
    EXPECT_EQ(r.routes[3].to, "NL, RTM");
    const int128 units = int128{123456789012} * detail::pow10(10) + 123456789;
    EXPECT_EQ(r.routes[3].freight, Decimal::from_units(units, 10));  // exact: no double on the way
    EXPECT_EQ(r.routes[3].capacity_lots, std::optional<std::int64_t>(1000000000));
}

TEST(CsvRoutes, ColumnsInAnyOrderOptionalOnesLeftOutCrLfAndBom) {
    RoutesRead r = read_routes_csv("\xEF\xBB\xBF" "freight,to,from\r\n57.5,NL-RTM,CL-ANF\r\n\r\n0,X,X");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.routes.size(), 2u);
    EXPECT_EQ(r.routes[0].from, "CL-ANF");
    EXPECT_EQ(r.routes[0].to, "NL-RTM");
    EXPECT_EQ(r.routes[0].freight, Decimal::from_units(575, 1));
    EXPECT_EQ(r.routes[0].currency, std::nullopt);
    EXPECT_EQ(r.routes[1].from, "X");
    // A header alone is an empty list (the value checks want one route).
    r = read_routes_csv(routes_header);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_TRUE(r.routes.empty());
}

TEST(CsvRoutes, ProblemsNameTheRouteAndTheLine) {
    RoutesRead r = read_routes_csv(routes_header +
                                       "AU-PHE,JP-YOK,38.00,EUR,40\n"  // line 2: fine
                                       "AU-PHE,,3,5,EUR,x\n"           // line 3: 6 cells
                                       ",NL-RTM,1e2,EUR,4.5\n"         // line 4: three problems
                                       "A,B,,,-1\n"                     // line 5: freight missing
                                       "A,B,1,,99999999999999999999\n", // line 6: beyond int64
                                   "lanes.csv");
    EXPECT_TRUE(same_problems(
        r.problems,
        (Problems{{"logistics.routes[1] (lanes.csv line 3)",
                   "has 6 cells where the header (line 1) has 5 (a ',' inside a value that is not quoted, such as a "
                   "decimal comma?)"},
                  {"logistics.routes[2].from (lanes.csv line 4)", "is required"},
                  {"logistics.routes[2].freight (lanes.csv line 4)", "\"1e2\" is not a decimal"},
                  {"logistics.routes[2].capacity_lots (lanes.csv line 4)", "\"4.5\" is not a whole number"},
                  {"logistics.routes[3].freight (lanes.csv line 5)", "is required"},
                  {"logistics.routes[4].capacity_lots (lanes.csv line 6)",
                   "\"99999999999999999999\" is too large a whole number"}})));
    EXPECT_TRUE(r.routes.empty());
    // Out-of-range values that fit are left to the value checks.
    r = read_routes_csv(routes_header + "A,B,-5,eur,-1\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    EXPECT_EQ(r.routes.at(0).freight, Decimal::integer(-5));
    EXPECT_EQ(r.routes.at(0).capacity_lots, std::optional<std::int64_t>(-1));
}

TEST(CsvRoutes, HeaderProblems) {
    RoutesRead r = read_routes_csv("from,to,frieght,capacity,from\n");
    EXPECT_TRUE(same_problems(
        r.problems,
        (Problems{{"routes.csv line 1",
                   "unknown column \"frieght\" (routes columns are: from, to, freight, currency, capacity_lots); "
                   "did you mean \"freight\"?"},
                  {"routes.csv line 1",
                   "unknown column \"capacity\" (routes columns are: from, to, freight, currency, capacity_lots); "
                   "did you mean \"capacity_lots\"?"},
                  {"routes.csv line 1", "column \"from\" appears twice (cells 1 and 5)"},
                  {"routes.csv line 1", "required column \"freight\" is missing"}})));
    EXPECT_TRUE(same_problems(read_routes_csv("").problems, only("routes.csv", "has no header row")));
    EXPECT_TRUE(same_problems(read_routes_csv("from,to,freight\nA,\"B,1\n").problems,
                              only("logistics.routes[0].to (routes.csv line 2)",
                                   "has a quote opened on line 2 that is never closed")));
}

TEST(CsvRoutes, Limits) {
    const std::string three = routes_header + "A,B,1,,\nB,C,1,,\nC,D,1,,\n";
    ReadLimits limits;
    limits.max_orders = 2;
    RoutesRead r = read_routes_csv(three, "routes.csv", limits);
    EXPECT_TRUE(same_problems(r.problems, only("routes.csv", "holds more than 2 routes")));
    EXPECT_TRUE(r.routes.empty());
    limits.max_orders = 3;
    EXPECT_EQ(read_routes_csv(three, "routes.csv", limits).routes.size(), 3u);
    limits.max_bytes = three.size() - 1;
    EXPECT_TRUE(same_problems(read_routes_csv(three, "routes.csv", limits).problems,
                              only("routes.csv", "is larger than the limit of " + std::to_string(three.size() - 1) +
                                                     " bytes")));
}

TEST(CsvBids, EmptyTextHasNoHeader) {
    EXPECT_TRUE(same_problems(read_bids_csv("").problems, only("bids.csv", "has no header row")));
    EXPECT_TRUE(same_problems(read_bids_csv("\xEF\xBB\xBF").problems, only("bids.csv", "has no header row")));
    EXPECT_TRUE(same_problems(read_offers_csv("\n\r\n", "o.csv").problems, only("o.csv", "has no header row")));
}

TEST(CsvBids, HeaderOnlyIsAnEmptyList) {
    for (const char* text :
         {"id,buyer,bloc,lots,limit", "id,buyer,bloc,lots,limit\n", "id,buyer,bloc,lots,limit\r\n"}) {
        BidsRead r = read_bids_csv(text);
        EXPECT_TRUE(r.problems.empty()) << text;
        EXPECT_TRUE(r.bids.empty()) << text;
    }
}

TEST(CsvBids, BlankLinesAreSkippedButCounted) {
    const std::string text = "\nid,buyer,bloc,lots,limit\n\na,A,EU,1,10\r\n\r\n\nb,B,EU,1,x\n\n";
    BidsRead r = read_bids_csv(text);
    // Record indexes skip blank lines; line numbers do not.
    EXPECT_TRUE(same_problems(r.problems, only("bids[1].limit (bids.csv line 7, id b)", "\"x\" is not a decimal")));

    r = read_bids_csv("\nid,buyer,bloc,lots,limit\n\na,A,EU,1,10\n\n\nb,B,EU,1,2\n\n");
    ASSERT_TRUE(r.problems.empty());
    ASSERT_EQ(r.bids.size(), 2u);
    EXPECT_EQ(r.bids[1].id, "b");

    // The header line in problems is where the header really is.
    r = read_bids_csv("\n\nid,buyer,bloc,lots,limit,oops\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "bids.csv line 3");
}

TEST(CsvBids, LongCellsAreShortenedInMessages) {
    const std::string long_text(500, '9');
    BidsRead r = read_bids_csv(bids_header + "a,A,EU,1,0,x" + long_text + ",\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_LT(r.problems[0].message.size(), 100u);
    EXPECT_EQ(r.problems[0].message.rfind("\"x999", 0), 0u);
}

TEST(CsvBids, ManyRowsReadInOrder) {
    std::string text = bids_header;
    constexpr int rows = 50'000;
    for (int i = 0; i < rows; ++i)
        text += "b-" + std::to_string(i) + ",Buyer " + std::to_string(i) + ",EU," + std::to_string(i + 1) + ",0," +
                std::to_string(i) + ".25,EUR\n";
    BidsRead r = read_bids_csv(text);
    ASSERT_TRUE(r.problems.empty());
    ASSERT_EQ(r.bids.size(), static_cast<std::size_t>(rows));
    EXPECT_EQ(r.bids[rows - 1].id, "b-49999");
    EXPECT_EQ(r.bids[rows - 1].lots, rows);
    EXPECT_EQ(r.bids[rows - 1].limit, Decimal::from_units(int128{4999925}, 2));
    EXPECT_EQ(r.bids[123].buyer, "Buyer 123");
}

}  // namespace
}  // namespace jpclear
