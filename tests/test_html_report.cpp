// The report's curves (src/report/curves.h) and the HTML page
// (src/report/html_report.h) on small rounds built in code.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "jpclear/clear.h"
#include "report/curves.h"
#include "report/html_report.h"
#include "round_builders.h"
#include "xml_check.h"

namespace jpclear {
namespace {

using report::build_curve;
using report::Curve;
using report::CurveOrder;
using report::CurvePiece;
using test::bid;
using test::offer;

TEST(ReportCurve, OrdersAtOnePriceAreOneExactLevel) {
    const Curve c = build_curve({{100, 3, 1}, {120, 2, 0}, {100, 4, 0}, {90, 1, 2}, {100, 5, 1}}, true, 10);
    EXPECT_EQ(c.levels, 3u);
    EXPECT_TRUE(c.exact());
    ASSERT_EQ(c.pieces.size(), 4u);
    // Highest first; at 100, group 0 then group 1 (3 + 5 lots).
    EXPECT_EQ(c.pieces[0].p0, 120);
    EXPECT_EQ(c.pieces[0].q1, 2);
    EXPECT_EQ(c.pieces[1].group, 0u);
    EXPECT_EQ(c.pieces[1].q0, 2);
    EXPECT_EQ(c.pieces[1].q1, 6);
    EXPECT_EQ(c.pieces[2].group, 1u);
    EXPECT_EQ(c.pieces[2].q1, 14);
    EXPECT_EQ(c.pieces[3].p0, 90);
    EXPECT_EQ(c.total_lots(), 15);
    const Curve supply = build_curve({{100, 3, 0}, {90, 1, 0}, {95, 0, 0}}, false, 10);
    ASSERT_EQ(supply.pieces.size(), 2u);  // no piece for the order with no lots
    EXPECT_EQ(supply.pieces[0].p0, 90);
}

TEST(ReportCurve, ManyLevelsMergeBetweenTrueCorners) {
    std::vector<CurveOrder> orders;
    for (std::int64_t p = 1; p <= 1000; ++p) orders.push_back({p, p % 7 + 1, static_cast<std::uint32_t>(p % 3)});
    const Curve c = build_curve(orders, false, 100);
    EXPECT_EQ(c.levels, 1000u);
    EXPECT_EQ(c.buckets, 100u);
    EXPECT_FALSE(c.exact());
    ASSERT_EQ(c.pieces.size(), 100u);
    std::int64_t lots = 0;
    for (const CurveOrder& o : orders) lots += o.lots;
    EXPECT_EQ(c.total_lots(), lots);  // merging loses no lots
    for (std::size_t i = 0; i < c.pieces.size(); ++i) {
        EXPECT_EQ(c.pieces[i].p0, static_cast<std::int64_t>(10 * i + 1));  // the bucket's first level ...
        EXPECT_EQ(c.pieces[i].p1, static_cast<std::int64_t>(10 * i + 10));  // ... and its last
        if (i > 0) {
            EXPECT_EQ(c.pieces[i].q0, c.pieces[i - 1].q1);
        }
    }
    EXPECT_EQ(build_curve(orders, false, 1).pieces.size(), 1u);
}

// The curve as the batch definition says it, written independently of the
// one-pass CurveSteps: sort, count levels, then cut the sorted list into
// buckets of `per_bucket` levels and draw each.
Curve batch_curve(std::vector<CurveOrder> orders, bool descending, std::size_t max_buckets) {
    std::erase_if(orders, [](const CurveOrder& o) { return o.lots <= 0; });
    std::sort(orders.begin(), orders.end(), [&](const CurveOrder& a, const CurveOrder& b) {
        if (a.price != b.price) return descending ? a.price > b.price : a.price < b.price;
        return a.group < b.group;
    });
    std::vector<std::size_t> level_starts;
    for (std::size_t i = 0; i < orders.size(); ++i)
        if (i == 0 || orders[i].price != orders[i - 1].price) level_starts.push_back(i);
    Curve curve;
    curve.levels = level_starts.size();
    const std::size_t per_bucket = std::max<std::size_t>((curve.levels + max_buckets - 1) / max_buckets, 1);
    std::int64_t q = 0;
    for (std::size_t l = 0; l < level_starts.size(); l += per_bucket) {
        const std::size_t begin = level_starts[l];
        const std::size_t end =
            l + per_bucket < level_starts.size() ? level_starts[l + per_bucket] : orders.size();
        ++curve.buckets;
        if (std::min(per_bucket, level_starts.size() - l) == 1) {
            for (std::size_t k = begin; k < end; ++k) {
                if (k == begin || orders[k].group != orders[k - 1].group)
                    curve.pieces.push_back({q, q, orders[k].price, orders[k].price, orders[k].group});
                curve.pieces.back().q1 += orders[k].lots;
                q += orders[k].lots;
            }
            continue;
        }
        std::map<std::uint32_t, std::int64_t> by_group;
        std::int64_t lots = 0;
        for (std::size_t k = begin; k < end; ++k) by_group[orders[k].group] += orders[k].lots, lots += orders[k].lots;
        const auto most = std::max_element(by_group.begin(), by_group.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        curve.pieces.push_back({q, q + lots, orders[begin].price, orders[end - 1].price, most->first});
        q += lots;
    }
    return curve;
}

void expect_same_curve(const Curve& got, const Curve& want) {
    EXPECT_EQ(got.levels, want.levels);
    EXPECT_EQ(got.buckets, want.buckets);
    ASSERT_EQ(got.pieces.size(), want.pieces.size());
    for (std::size_t i = 0; i < got.pieces.size(); ++i) {
        const CurvePiece& a = got.pieces[i];
        const CurvePiece& b = want.pieces[i];
        EXPECT_EQ(std::tie(a.q0, a.q1, a.p0, a.p1, a.group), std::tie(b.q0, b.q1, b.p0, b.p1, b.group))
            << "piece " << i;
    }
}

TEST(ReportCurve, OnePassEqualsTheBatchDefinitionOnRandomOrders) {
    std::mt19937_64 rng(20261203);
    for (int trial = 0; trial < 400; ++trial) {
        std::vector<CurveOrder> orders(rng() % 300);
        const std::int64_t prices = 1 + static_cast<std::int64_t>(rng() % 60);
        const std::uint32_t groups = 1 + static_cast<std::uint32_t>(rng() % 5);
        for (CurveOrder& o : orders)
            o = {static_cast<std::int64_t>(rng() % prices), static_cast<std::int64_t>(rng() % 9) - 1,
                 static_cast<std::uint32_t>(rng() % groups)};
        const bool descending = rng() % 2 == 0;
        const std::size_t max_buckets = 1 + rng() % 40;
        SCOPED_TRACE("trial " + std::to_string(trial));
        expect_same_curve(build_curve(orders, descending, max_buckets), batch_curve(orders, descending, max_buckets));
        // Visited through a sorted index, as the report reads the market, without copying the orders.
        std::vector<std::uint32_t> index(orders.size());
        for (std::uint32_t i = 0; i < index.size(); ++i) index[i] = i;
        std::sort(index.begin(), index.end(), [&](std::uint32_t a, std::uint32_t b) {
            if (orders[a].price != orders[b].price)
                return descending ? orders[a].price > orders[b].price : orders[a].price < orders[b].price;
            return orders[a].group < orders[b].group;
        });
        const Curve visited = report::curve_in_order(
            [&](auto&& f) {
                for (const std::uint32_t i : index) f(orders[i]);
            },
            max_buckets);
        expect_same_curve(visited, batch_curve(orders, descending, max_buckets));
    }
}

Round small_round() {
    Round r = test::case_round("report <test> & co");
    r.bids = {bid("eu-1", "EU", 10, "110"), bid("eu-2", "EU", 5, "95"), bid("jp-1", "JP", 8, "17000", "JPY")};
    r.offers = {offer("au-1", "AU", 9, "90", true), offer("cl-1", "CL", 6, "100", true),
                offer("zw-1", "ZW", 4, "80", false)};
    r.rules.require_certified = true;
    r.rules.max_origin_share = dec("0.7");
    return r;
}

std::string page_of(const Round& round, const HtmlReportLimits& limits = {}) {
    const ClearOutcome outcome = clear(round);
    EXPECT_TRUE(outcome.ok());
    std::ostringstream out;
    write_html_report(out, round, *outcome.result, limits);
    return out.str();
}

std::vector<std::string> svgs_of(const std::string& page) {
    std::vector<std::string> out;
    for (std::size_t at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1))
        out.push_back(page.substr(at, page.find("</svg>", at) + 6 - at));
    return out;
}

TEST(HtmlReport, HasTheCurvesBarsAndTablesAsWellFormedSvg) {
    const std::string page = page_of(small_round());
    const std::vector<std::string> svgs = svgs_of(page);
    ASSERT_EQ(svgs.size(), 3u);
    for (const std::string& s : svgs) EXPECT_EQ(test::xml_problem(s), "") << s.substr(0, 400);
    // Curves: blocs apart and pooled, supply by origin, the uncertified ZW offer left out.
    for (const char* want : {"demand EU", "demand JP", "demand, pooled", "supply from AU", "supply from CL"})
        EXPECT_NE(svgs[0].find(want), std::string::npos) << want;
    EXPECT_EQ(svgs[0].find("supply from ZW"), std::string::npos);
    EXPECT_NE(svgs[1].find("Lots by bloc"), std::string::npos);
    EXPECT_NE(svgs[2].find("cap 70 %"), std::string::npos);
    for (const char* want : {"<h2>Bids</h2>", "<h2>Offers</h2>", "<h2>Awards</h2>", "buyer eu-1", "supplier au-1",
                             "ineligible", "report &lt;test&gt; &amp; co", "17000 JPY"})
        EXPECT_NE(page.find(want), std::string::npos) << want;
    EXPECT_EQ(page.find("<script"), std::string::npos);
    EXPECT_EQ(page.find("<h2>Places</h2>"), std::string::npos);
}

TEST(HtmlReport, SameRoundSameBytes) {
    EXPECT_EQ(page_of(small_round()), page_of(small_round()));
}

TEST(HtmlReport, LongTablesAreCutAndSaySo) {
    HtmlReportLimits limits;
    limits.max_table_rows = 2;
    const std::string page = page_of(small_round(), limits);
    EXPECT_NE(page.find("Showing the first 2 of 3 bids"), std::string::npos);
    EXPECT_NE(page.find("Showing the first 2 of 3 offers"), std::string::npos);
    EXPECT_EQ(page.find("jp-1</td>"), std::string::npos);
    EXPECT_NE(page.find("eu-2</td>"), std::string::npos);
    EXPECT_EQ(page_of(small_round()).find("Showing the first"), std::string::npos);
}

TEST(HtmlReport, NoTradeRoundStillMakesAPage) {
    Round r = test::case_round("nothing");
    r.bids = {bid("b", "EU", 1, "50")};
    r.offers = {offer("o", "AU", 1, "60")};
    const std::string page = page_of(r);
    EXPECT_NE(page.find("no-trade"), std::string::npos);
    for (const std::string& s : svgs_of(page)) EXPECT_EQ(test::xml_problem(s), "");
}

}  // namespace
}  // namespace jpclear
