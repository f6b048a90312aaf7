// The CSV readers on files as spreadsheets write them (';' separators,
// decimal commas, extra columns, codes with spaces), the rows kept for value
// checks (CsvOptions::keep_rows, CsvFile), and merge_csv_problems().

#include <gtest/gtest.h>

#include "problem_matchers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/io.h"

namespace jpclear {
namespace {

using test::listed;
using test::same_problems;

Decimal dec(const char* text) { return *Decimal::parse(text).value; }

bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

// --- ';' separators and decimal commas ------------------------------------------

// As Excel saves "CSV" in a German or French locale: ';' between cells, ','
// as the decimal mark, CRLF, and ';' inside a quoted name.
const std::string excel_bids =
    "id;buyer;bloc;lots;min_lots;limit;currency\r\n"
    "eu-1;\"Acme; Cells\";EU;12;0;14500,50;\r\n"
    "jp-1;Tokyo Battery;JP;8;;2390000;JPY\r\n"
    "eu-2;Volt GmbH;EU;3;;123456789012,0123456789;EUR\r\n";

TEST(CsvExcel, SemicolonFileWithDecimalCommasIsReadExactlyWithOneWarning) {
    BidsRead r = read_bids_csv(excel_bids);
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.bids.size(), 3u);
    EXPECT_EQ(r.bids[0].buyer, "Acme; Cells");
    EXPECT_EQ(r.bids[0].limit, Decimal::from_units(1450050, 2));
    EXPECT_EQ(r.bids[1].limit, Decimal::integer(2390000));
    // 22 significant digits: exact, never through a double.
    const int128 units = int128{123456789012} * detail::pow10(10) + 123456789;
    EXPECT_EQ(r.bids[2].limit, Decimal::from_units(units, 10));
    EXPECT_TRUE(same_problems(
        r.warnings, {{"bids.csv", "is separated by ';' with decimal commas, as Excel writes CSV in a European "
                                  "locale; read that way (\"14500,50\" on line 2 as 14500.50). To silence this, save "
                                  "it with ',' separators and '.' decimals"}}));
}

TEST(CsvExcel, SemicolonFileWithoutDecimalCommasSaysOnlyTheSeparator) {
    OffersRead r = read_offers_csv("id;supplier;origin;lots;ask\no-1;S;AU;1;13950.25\no-2;S;CL;2;14000\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.offers.size(), 2u);
    EXPECT_EQ(r.offers[0].ask, dec("13950.25"));
    EXPECT_TRUE(same_problems(r.warnings, {{"offers.csv", "is separated by ';', as Excel writes CSV in a European "
                                                          "locale; read that way. To silence this, save it with ',' "
                                                          "separators"}}));
    // A routes file too, freight being its decimal.
    RoutesRead routes = read_routes_csv("from;to;freight\nAU-PHE;JP-YOK;38,5\n");
    ASSERT_TRUE(same_problems(routes.problems, {}));
    EXPECT_EQ(routes.routes.at(0).freight, dec("38.5"));
    EXPECT_EQ(routes.warnings.size(), 1u);
}

TEST(CsvExcel, ACommaFileIsNeverTakenForASemicolonFile) {
    // Commas in the header: ',' wins even with ';' inside a name.
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit\nb;1,B,EU,1,10\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    EXPECT_EQ(r.bids.at(0).id, "b;1");
    EXPECT_TRUE(r.warnings.empty());
}

TEST(CsvExcel, TheFilesDecimalMarkComesFromItsFirstUnambiguousDecimal) {
    // "14,500" alone could be 14.5 or 14500; "12,5" elsewhere settles it.
    BidsRead r = read_bids_csv("id;buyer;bloc;lots;limit\na;A;EU;1;14,500\nb;B;EU;1;12,5\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    EXPECT_EQ(r.bids.at(0).limit, dec("14.5"));
    EXPECT_EQ(r.bids.at(1).limit, dec("12.5"));

    // A '.' decimal settles it the other way: "14.500" is 14.5 too.
    r = read_bids_csv("id;buyer;bloc;lots;limit\na;A;EU;1;14.500\nb;B;EU;1;12.25\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    EXPECT_EQ(r.bids.at(0).limit, dec("14.5"));
}

TEST(CsvExcel, WhatCannotBeReadOneWayIsAProblemSayingWhatToWrite) {
    // Nothing in the file says which mark it uses.
    BidsRead r = read_bids_csv("id;buyer;bloc;lots;limit\na;A;EU;1;14,500\nb;B;EU;1;14.500\nc;C;EU;1;14500\n");
    EXPECT_TRUE(same_problems(
        r.problems,
        (Problems{{"bids[0].limit (bids.csv line 2, id a)",
                   "\"14,500\" is ambiguous: ',' may be a decimal comma (14.500) or group thousands (14500), and no "
                   "other decimal in the file says which; write 14500 or 14.500"},
                  {"bids[1].limit (bids.csv line 3, id b)",
                   "\"14.500\" is ambiguous in a file separated by ';': '.' may be a decimal point (14.500) or group "
                   "thousands (14500), and no other decimal in the file says which; write 14500 or 14,500"}})));
    EXPECT_TRUE(r.bids.empty());

    // Decimal commas first: a '.' then is a thousands separator or a slip.
    r = read_bids_csv("id;buyer;bloc;lots;limit\na;A;EU;1;12,5\nb;B;EU;1;14.500\nc;C;EU;1;14.5\nd;D;EU;1;1.234,5\n");
    EXPECT_TRUE(same_problems(
        r.problems,
        (Problems{{"bids[1].limit (bids.csv line 3, id b)",
                   "\"14.500\" has a '.' where this file writes decimals with ',' (as \"12,5\" on line 2 shows), so "
                   "it would group thousands; write 14500 (no thousands separators) or 14,500"},
                  {"bids[2].limit (bids.csv line 4, id c)",
                   "\"14.5\" has a '.' where this file writes decimals with ',' (as \"12,5\" on line 2 shows); write "
                   "14,5"},
                  {"bids[3].limit (bids.csv line 5, id d)",
                   "\"1.234,5\" is not a decimal; write it without thousands separators"}})));

    // Points first: a ',' is out of place.
    r = read_bids_csv("id;buyer;bloc;lots;limit\na;A;EU;1;12.5\nb;B;EU;1;12,5\nc;C;EU;1;14,500\n");
    EXPECT_TRUE(same_problems(
        r.problems,
        (Problems{{"bids[1].limit (bids.csv line 3, id b)",
                   "\"12,5\" has a ',' where this file writes decimals with '.' (as \"12.5\" on line 2 shows); write "
                   "12.5"},
                  {"bids[2].limit (bids.csv line 4, id c)",
                   "\"14,500\" has a ',' where this file writes decimals with '.' (as \"12.5\" on line 2 shows); "
                   "write 14500 (no thousands separators)"}})));
}

TEST(CsvExcel, ThousandsSeparatorsInLotsGetAWayOut) {
    BidsRead r = read_bids_csv("id;buyer;bloc;lots;limit\na;A;EU;1.000;10\n");
    EXPECT_TRUE(same_problems(r.problems, {{"bids[0].lots (bids.csv line 2, id a)",
                                            "\"1.000\" is not a whole number; write 1000 (no thousands separators)"}}));
}

TEST(CsvExcel, DecimalCommaInACommaFileSplitsTheRowAndSaysWhy) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit\na,A,EU,1,12,5\n");
    EXPECT_TRUE(same_problems(r.problems, {{"bids[0] (bids.csv line 2)",
                                            "has 6 cells where the header (line 1) has 5 (a ',' inside a value that "
                                            "is not quoted, such as a decimal comma?)"}}));
}

TEST(CsvExcel, TabsAndUtf16AreOneProblemEach) {
    EXPECT_TRUE(same_problems(read_bids_csv("id\tbuyer\tbloc\tlots\tlimit\na\tA\tEU\t1\t10\n").problems,
                              {{"bids.csv", "is separated by tabs (Excel's \"Text (Tab delimited)\"?); save it as "
                                            "\"CSV UTF-8 (Comma delimited)\""}}));
    EXPECT_TRUE(same_problems(read_bids_csv(std::string("\xFF\xFEi\0d\0", 6)).problems,
                              {{"bids.csv", "is UTF-16 text (Excel's \"Unicode Text\"?); save it as \"CSV UTF-8 "
                                            "(Comma delimited)\""}}));
}

// --- columns ---------------------------------------------------------------------

TEST(CsvExcel, XColumnsAreIgnored) {
    BidsRead r = read_bids_csv("id,x-comment,buyer,bloc,lots,limit,X-Note\na,\"anything, \"\"at all\"\"\",A,EU,1,10,\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.bids.size(), 1u);
    EXPECT_EQ(r.bids[0].buyer, "A");
    EXPECT_TRUE(r.warnings.empty());
    // The name "x-" alone is no column of its own.
    EXPECT_EQ(read_bids_csv("id,buyer,bloc,lots,limit,x-\n").problems.size(), 1u);
}

TEST(CsvExcel, UnknownColumnSaysHowToKeepIt) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit,comment\n");
    EXPECT_TRUE(same_problems(
        r.problems, {{"bids.csv line 1", "unknown column \"comment\" (bids columns are: id, buyer, bloc, lots, "
                                         "min_lots, limit, currency, delivery); to keep it in the file, rename it "
                                         "x-comment or pass --ignore-columns comment"}}));
    // A name with spaces is quoted in the advice.
    r = read_bids_csv("id,buyer,bloc,lots,limit,my note\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_TRUE(r.problems[0].message.ends_with("rename it \"x-my note\" or pass --ignore-columns \"my note\""))
        << r.problems[0].message;
    // A typo or a capital gets a guess instead.
    r = read_bids_csv("id,buyer,bloc,lots,Limit\n");
    ASSERT_EQ(r.problems.size(), 2u);
    EXPECT_TRUE(r.problems[0].message.ends_with("; did you mean \"limit\"?")) << r.problems[0].message;
}

TEST(CsvExcel, IgnoreColumnsOption) {
    CsvOptions options;
    options.ignore_columns = {"comment", "Approved by"};
    BidsRead r = read_bids_csv("id,buyer,bloc,comment,lots,limit,Approved by\na,A,EU,hi,1,10,me\n", "bids.csv", {},
                               options);
    ASSERT_TRUE(same_problems(r.problems, {}));
    EXPECT_EQ(r.bids.at(0).lots, 1);
    // A column the list reads is never skipped: that would change what is read.
    options.ignore_columns = {"currency"};
    r = read_bids_csv("id,buyer,bloc,lots,limit,currency\n", "bids.csv", {}, options);
    EXPECT_TRUE(same_problems(r.problems, {{"bids.csv line 1", "column \"currency\" is one jpclear reads; it cannot "
                                                               "be ignored (--ignore-columns)"}}));
}

TEST(CsvExcel, AnotherListsFileIsOneProblem) {
    BidsRead r = read_bids_csv("id,supplier,origin,lots,ask,certified\no,S,AU,1,10,true\n");
    EXPECT_TRUE(same_problems(r.problems, {{"bids.csv line 1", "the header names the columns of offers (supplier, "
                                                               "origin, ask, certified), not of bids; is this the "
                                                               "offers file?"}}));
    EXPECT_FALSE(read_offers_csv("id,buyer,bloc,lots,limit\n").problems.empty());
}

TEST(CsvExcel, MessagesNeverEchoBytesThatAreNotUtf8) {
    BidsRead r = read_bids_csv("id,buyer,bloc,lots,limit,n\xFFme\na,A,EU,1,1\xFE,\n", "b\xC3.csv");
    ASSERT_EQ(r.problems.size(), 2u);
    for (const Problem& p : r.problems) {
        EXPECT_TRUE(valid_utf8(p.to_string())) << p.to_string();
        EXPECT_NE(p.to_string().find("\\x"), std::string::npos) << p.to_string();
    }
    EXPECT_EQ(r.problems[1], (Problem{"bids[0].limit (b\\xC3.csv line 2, id a)", "\"1\\xFE\" is not a decimal"}));
}

// --- codes -------------------------------------------------------------------

TEST(CsvExcel, CodesWithSpacesOrLowerCaseAreReadAsCodesWithOneWarningPerKind) {
    BidsRead r = read_bids_csv(
        "id,buyer,bloc,lots,limit,currency\n"
        " a ,A,eu ,1,10,jpy\n"
        "b,B, jp,1,10,EUR\n"
        "c,C,Eu-North,1,10, usd \n"
        "d,D,jp,1,10,EURO\n");
    ASSERT_TRUE(same_problems(r.problems, {}));
    ASSERT_EQ(r.bids.size(), 4u);
    EXPECT_EQ(r.bids[0].id, " a ");  // ids are never changed
    EXPECT_EQ(r.bids[0].bloc, "EU");
    EXPECT_EQ(r.bids[1].bloc, "JP");
    EXPECT_EQ(r.bids[2].bloc, "Eu-North");  // not letters only: as written
    EXPECT_EQ(r.bids[0].currency, std::optional<std::string>("JPY"));
    EXPECT_EQ(r.bids[2].currency, std::optional<std::string>("USD"));
    EXPECT_EQ(r.bids[3].currency, std::optional<std::string>("EURO"));  // not a code either way: as written
    EXPECT_TRUE(same_problems(
        r.warnings,
        (Problems{{"bids.csv", "3 bloc codes had spaces or lower case (\"eu \", \" jp\", \"jp\"); read as EU, JP"},
                  {"bids.csv", "2 currency codes had spaces or lower case (\"jpy\", \" usd \"); read as JPY, USD"}})));

    OffersRead o = read_offers_csv("id,supplier,origin,lots,ask\no,S,au,1,1\np,S,Australia,1,1\nq,S,cl\xC2\xA0,1,1\n");
    ASSERT_TRUE(same_problems(o.problems, {}));
    EXPECT_EQ(o.offers[0].origin, "AU");
    EXPECT_EQ(o.offers[1].origin, "Australia");  // left for the value checks to refuse as written
    EXPECT_EQ(o.offers[2].origin, "CL");         // a no-break space too
    EXPECT_EQ(o.warnings.size(), 1u);
}

// --- rows kept for the value checks --------------------------------------------------

TEST(CsvExcel, KeepRowsKeepsWhatReadAndListsWhatDidNot) {
    CsvOptions keep;
    keep.keep_rows = true;
    const std::string text =
        "id,buyer,bloc,lots,limit\n"
        "a,A,EU,1,\"12,5\"\n"          // line 2: limit unreadable
        "b,\"B\nB\",EU,2,10\n"         // lines 3-4
        "\n"                           // line 5: blank
        "c,C,EU\n"                     // line 6: too few cells
        "d,,EU,x,10\n"                 // line 7: buyer missing, lots unreadable
        "e,E,EU,0,10\n";               // line 8: fine for the reader
    BidsRead r = read_bids_csv(text, "bids.csv", {}, keep);
    EXPECT_EQ(r.problems.size(), 4u);
    ASSERT_EQ(r.bids.size(), 5u);  // one per row, broken ones as placeholders
    EXPECT_EQ(r.bids[0].id, "a");
    EXPECT_EQ(r.bids[0].limit, Decimal());
    EXPECT_EQ(r.bids[1].buyer, "B\nB");
    EXPECT_EQ(r.bids[2].id, "");
    EXPECT_EQ(r.bids[4].lots, 0);
    const CsvFile& f = r.file;
    EXPECT_TRUE(f.complete);
    EXPECT_EQ(f.rows, 5u);
    EXPECT_EQ(f.list, "bids");
    EXPECT_EQ(f.source, "bids.csv");
    EXPECT_EQ(f.unread, (std::vector<std::pair<std::size_t, std::string>>{
                            {0, "limit"}, {2, ""}, {3, "buyer"}, {3, "lots"}}));
    EXPECT_EQ(f.line_of(0), 2u);
    EXPECT_EQ(f.line_of(1), 3u);
    EXPECT_EQ(f.line_of(2), 6u);
    EXPECT_EQ(f.line_of(3), 7u);
    EXPECT_EQ(f.line_of(4), 8u);

    // Without keep_rows nothing comes back, as before.
    EXPECT_TRUE(read_bids_csv(text).bids.empty());
    // A file that fails as a whole keeps nothing and says so.
    r = read_bids_csv("", "bids.csv", {}, keep);
    EXPECT_FALSE(r.file.complete);
    EXPECT_TRUE(r.bids.empty());
    r = read_bids_csv("id,buyer,lots\na,A,1\n", "bids.csv", {}, keep);
    EXPECT_TRUE(r.file.complete);
    EXPECT_EQ(r.file.missing_columns, (std::vector<std::string>{"bloc", "limit"}));
}

// --- one report ----------------------------------------------------------------

Round head() {
    Round round;
    round.id = "r";
    round.material.code = "LI2CO3";
    round.material.lot_tonnes = Decimal::integer(20);
    round.currency = "EUR";
    round.fx["JPY"] = dec("0.0061");
    return round;
}

TEST(CsvExcel, MergeReportsValueProblemsOfWhatReadAndDropsEchoes) {
    CsvOptions keep;
    keep.keep_rows = true;
    BidsRead bids = read_bids_csv(
        "id,buyer,bloc,lots,min_lots,limit,currency\n"
        "eu-1,A,EU,1,,\"12,5\",\n"     // line 2: limit unreadable (its 0 is no news)
        "eu-2,B,EU,0,,10,\n"           // line 3: lots 0, a value problem
        "eu-3,C,EU,x,2,10,\n"          // line 4: lots unreadable, min_lots 2 > 0 is no news
        "eu-1,D,EU,1,,10,USD\n",       // line 5: id used twice, currency without a rate
        "bids.csv", {}, keep);
    OffersRead offers = read_offers_csv(
        "id,supplier,origin,lots,ask\n"
        "o-1,S,Chile,1,10\n"           // line 2: origin, a value problem
        "o-2,S,AU,1\n",                // line 3: a broken row says nothing more
        "offers.csv", {}, keep);
    Round round = head();
    round.bids = bids.bids;
    round.offers = offers.offers;
    Problems reading = bids.problems;
    reading.insert(reading.end(), offers.problems.begin(), offers.problems.end());
    const std::vector<const CsvFile*> files{&bids.file, &offers.file};
    Problems values = validate(round);
    values.push_back({"fx.JPY", "a problem of the document"});
    const Problems all = merge_csv_problems(reading, values, round, files);
    EXPECT_TRUE(same_problems(
        all,
        (Problems{{"fx.JPY", "a problem of the document"},
                  {"bids[0].limit (bids.csv line 2, id eu-1)",
                   "\"12,5\" is not a decimal; write 12.5 (the decimal mark is '.' in a file separated by ',')"},
                  {"bids[1].lots (bids.csv line 3, id eu-2)", "0 is outside 1 to 1000000000"},
                  {"bids[2].lots (bids.csv line 4, id eu-3)", "\"x\" is not a whole number"},
                  {"bids[3].id (bids.csv line 5, id eu-1)", "id \"eu-1\" is already used by bids[0] (bids.csv line 2)"},
                  {"bids[3].currency (bids.csv line 5, id eu-1)",
                   "currency \"USD\" is neither the clearing currency \"EUR\" nor given in fx"},
                  {"offers[0].origin (offers.csv line 2, id o-1)", "\"Chile\" is not an ISO 3166 alpha-2 code"},
                  {"offers[1] (offers.csv line 3)", "has 4 cells where the header (line 1) has 5"}})));
    // Paths outside the CSV lists, and those already located, are left alone.
    EXPECT_EQ(csv_path("bids[3].limit", round, files), "bids[3].limit (bids.csv line 5, id eu-1)");
    EXPECT_EQ(csv_path("offers[1]", round, files), "offers[1] (offers.csv line 3)");
    EXPECT_EQ(csv_path("rules.tick", round, files), "rules.tick");
    EXPECT_EQ(csv_path("bids[9].limit", round, files), "bids[9].limit");
    EXPECT_EQ(csv_path("bids[0].limit (bids.csv line 2)", round, files), "bids[0].limit (bids.csv line 2)");
}

TEST(CsvExcel, MergeLeavesPlaceChecksWhileRoutesAreNotAllKnown) {
    CsvOptions keep;
    keep.keep_rows = true;
    RoutesRead routes = read_routes_csv("from,to,freight\nAU-PHE,NL-RTM,x\n,JP-YOK,3\n", "routes.csv", {}, keep);
    BidsRead bids = read_bids_csv("id,buyer,bloc,lots,limit,delivery\nb,B,EU,1,10,JP-YOK\n", "bids.csv", {}, keep);
    Round round = head();
    round.bids = bids.bids;
    round.logistics.emplace();
    round.logistics->routes = routes.routes;
    const std::vector<const CsvFile*> files{&bids.file, &routes.file};
    const Problems all = merge_csv_problems(routes.problems, validate(round), round, files);
    EXPECT_TRUE(same_problems(all, (Problems{{"logistics.routes[0].freight (routes.csv line 2)",
                                              "\"x\" is not a decimal"},
                                             {"logistics.routes[1].from (routes.csv line 3)", "is required"}})));

    // A routes file that could not be read at all: nothing about its list.
    RoutesRead none = read_routes_csv("", "routes.csv", {}, keep);
    round.logistics->routes.clear();
    const std::vector<const CsvFile*> files2{&bids.file, &none.file};
    EXPECT_TRUE(same_problems(merge_csv_problems(none.problems, validate(round), round, files2),
                              {{"routes.csv", "has no header row"}}));
}

TEST(CsvExcel, MergeOfACleanReadOnlyLocatesAndOrders) {
    BidsRead bids = read_bids_csv("id,buyer,bloc,lots,limit\na,A,EU,1,10\nb,B,EU,0,10\n");
    Round round = head();
    round.bids = bids.bids;
    round.rules.tick = Decimal();
    const Problems all = merge_csv_problems({}, validate(round), round, {&bids.file});
    EXPECT_TRUE(same_problems(all, (Problems{{"rules.tick", "0 must be greater than 0"},
                                             {"bids[1].lots (bids.csv line 3, id b)",
                                              "0 is outside 1 to 1000000000"}})));
}

}  // namespace
}  // namespace jpclear
