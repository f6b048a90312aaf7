// write_result_csv(): the result's tables for a spreadsheet.
//
// The files are read back with an RFC 4180 reader of the test's own and
// checked against the Result they came from: every order once, awards that
// add up to the fills and name both sides, exact decimals in both styles,
// and text that a spreadsheet can neither split nor run as a formula.

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "round_builders.h"

namespace jpclear {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// RFC 4180 with any separator; rows end with CRLF.
Rows parse_csv(const std::string& text, char sep) {
    Rows rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        std::string& cell = rows.back().back();
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == sep) {
            rows.back().emplace_back();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
            rows.emplace_back(1);
        } else {
            cell += c;
        }
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
    return rows;
}

std::string csv_text(CsvTable table, const Round& round, const Result& result, const CsvStyle& style = {}) {
    std::ostringstream out;
    write_result_csv(out, table, round, result, style);
    return out.str();
}

// Rows as maps from the header's names; every row as wide as the header.
std::vector<std::map<std::string, std::string>> records(const std::string& text, char sep = ',') {
    const Rows rows = parse_csv(text, sep);
    std::vector<std::map<std::string, std::string>> out;
    EXPECT_FALSE(rows.empty());
    if (rows.empty()) return out;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        EXPECT_EQ(rows[r].size(), rows[0].size()) << "row " << r;
        std::map<std::string, std::string> rec;
        for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) rec[rows[0][c]] = rows[r][c];
        out.push_back(std::move(rec));
    }
    return out;
}

Result cleared(const Round& round) {
    ClearOutcome out = clear(round);
    EXPECT_TRUE(out.ok());
    return out.ok() ? *out.result : Result{};
}

TEST(CsvWriter, EveryOrderOnceAndAwardsNameBothSides) {
    GenerateSpec spec;
    spec.bids = 400;
    spec.offers = 120;
    spec.seed = 9;
    spec.block_per_mille = 50;
    spec.origin_cap = true;
    spec.cap_share = dec("0.5");
    spec.origin_weights = *scenario_weights("lithium-refined");
    const Round round = generate_round(spec);
    const Result result = cleared(round);
    ASSERT_GT(result.cleared_lots.count, 0);

    const auto bids = records(csv_text(CsvTable::bids, round, result));
    ASSERT_EQ(bids.size(), round.bids.size());
    std::int64_t filled = 0;
    for (std::size_t i = 0; i < bids.size(); ++i) {
        EXPECT_EQ(bids[i].at("id"), round.bids[i].id);
        EXPECT_EQ(bids[i].at("bloc"), round.bids[i].bloc);
        EXPECT_EQ(bids[i].at("status"), to_string(result.bids[i].status));
        EXPECT_EQ(bids[i].at("reason"), reason_text(result, result.bids[i]));
        filled += std::stoll(bids[i].at("filled_lots"));
    }
    EXPECT_EQ(filled, result.cleared_lots.count);
    EXPECT_EQ(records(csv_text(CsvTable::offers, round, result)).size(), round.offers.size());

    std::map<std::string, const Bid*> bid_by_id;
    std::map<std::string, const Offer*> offer_by_id;
    for (const Bid& b : round.bids) bid_by_id[b.id.str()] = &b;
    for (const Offer& o : round.offers) offer_by_id[o.id.str()] = &o;
    std::int64_t awarded = 0;
    Decimal amounts;
    for (const auto& a : records(csv_text(CsvTable::awards, round, result))) {
        const Bid& b = *bid_by_id.at(a.at("bid"));
        const Offer& o = *offer_by_id.at(a.at("offer"));
        EXPECT_EQ(a.at("buyer"), b.buyer);
        EXPECT_EQ(a.at("bloc"), b.bloc);
        EXPECT_EQ(a.at("supplier"), o.supplier);
        EXPECT_EQ(a.at("origin"), o.origin);
        const std::int64_t lots = std::stoll(a.at("lots"));
        awarded += lots;
        EXPECT_EQ(dec(a.at("amount")), dec(a.at("price")) * dec(a.at("tonnes")));
        EXPECT_EQ(dec(a.at("tonnes")), Decimal::integer(lots) * round.material.lot_tonnes);
        amounts = amounts + dec(a.at("amount"));
    }
    EXPECT_EQ(awarded, result.cleared_lots.count);
    // Uniform pricing: suppliers receive what buyers pay.
    Decimal cost;
    for (const auto& [code, t] : result.blocs) cost = cost + t.cost;
    EXPECT_EQ(amounts, cost);

    bool any_at_cap = false;
    for (const auto& o : records(csv_text(CsvTable::origins, round, result))) {
        const OriginTotals& t = result.origins.at(o.at("origin"));
        EXPECT_EQ(dec(o.at("supplier_surplus")), t.supplier_surplus);
        EXPECT_EQ(o.at("cap"), "0.5");
        any_at_cap = any_at_cap || o.at("at_cap") == "true";
    }
    EXPECT_TRUE(any_at_cap) << "the refined-lithium mix under a 0.5 cap should bind";
    for (const auto& b : records(csv_text(CsvTable::blocs, round, result)))
        EXPECT_EQ(dec(b.at("buyer_surplus")), result.blocs.at(b.at("bloc")).buyer_surplus);
    EXPECT_EQ(csv_tables(result).size(), 5u);
}

TEST(CsvWriter, TextIsQuotedAndNeverAFormula) {
    using namespace jpclear::test;
    Round round = case_round("quoting");
    round.bids = {bid("=HYPERLINK(\"x\")", "EU", 5, "100"), bid("b,2", "JP", 5, "90")};
    round.bids[1].buyer = "Kanto \"Denchi\", Ltd";
    round.offers = {offer("-o1", "AU", 6, "80", true), offer("@o2", "CL", 6, "95", true)};
    const Result result = cleared(round);
    const auto bids = records(csv_text(CsvTable::bids, round, result));
    ASSERT_EQ(bids.size(), 2u);
    EXPECT_EQ(bids[0].at("id"), "'=HYPERLINK(\"x\")");
    EXPECT_EQ(bids[1].at("id"), "b,2");
    EXPECT_EQ(bids[1].at("buyer"), "Kanto \"Denchi\", Ltd");
    const auto offers = records(csv_text(CsvTable::offers, round, result));
    EXPECT_EQ(offers[0].at("id"), "'-o1");
    EXPECT_EQ(offers[1].at("id"), "'@o2");
    // Numbers are never quoted or prefixed, negative or not.
    EXPECT_EQ(csv_text(CsvTable::blocs, round, result).find('\''), std::string::npos);
}

TEST(CsvWriter, ExcelEuropeanStyleHasTheSameNumbers) {
    GenerateSpec spec;
    spec.bids = 200;
    spec.offers = 60;
    spec.seed = 2;
    const Round round = generate_round(spec);
    const Result result = cleared(round);
    for (CsvTable table : csv_tables(result)) {
        const auto plain = records(csv_text(table, round, result));
        const auto eu = records(csv_text(table, round, result, CsvStyle::excel_eu()), ';');
        ASSERT_EQ(plain.size(), eu.size());
        for (std::size_t r = 0; r < plain.size(); ++r)
            for (const auto& [column, value] : plain[r]) {
                // A number's decimal comma turns back into its point; text
                // (ids, reasons) is written as it is in either style.
                std::string back = eu[r].at(column);
                const bool number = !value.empty() && value.find_first_not_of("-0123456789.") == std::string::npos;
                if (number)
                    for (char& c : back)
                        if (c == ',') c = '.';
                EXPECT_EQ(back, value) << csv_file_name(table) << " row " << r << " " << column;
            }
    }
    EXPECT_NE(csv_text(CsvTable::blocs, round, result, CsvStyle::excel_eu()).find(",00"), std::string::npos);
}

TEST(CsvWriter, PlacesAddPortsDeliveriesAndTheirTables) {
    GenerateSpec spec;
    spec.bids = 300;
    spec.offers = 60;
    spec.seed = 4;
    spec.places = true;
    const Round round = generate_round(spec);
    const Result result = cleared(round);
    ASSERT_TRUE(result.has_places);
    EXPECT_EQ(csv_tables(result).size(), 7u);
    for (const auto& a : records(csv_text(CsvTable::awards, round, result))) {
        EXPECT_FALSE(a.at("from").empty());
        EXPECT_FALSE(a.at("to").empty());
    }
    const auto bids = records(csv_text(CsvTable::bids, round, result));
    EXPECT_EQ(bids[0].at("delivery"), *round.bids[0].delivery);
    EXPECT_EQ(records(csv_text(CsvTable::routes, round, result)).size(), result.routes.size());
    EXPECT_EQ(records(csv_text(CsvTable::places, round, result)).size(), result.places.size());
}

}  // namespace
}  // namespace jpclear
