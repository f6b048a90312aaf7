// The SVG writer of report pictures (src/report/svg.h): escaping, axis
// ticks, and well-formed, deterministic documents with several panels.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "report/svg.h"
#include "xml_check.h"

namespace jpclear {
namespace {

using test::xml_problem;

std::vector<std::string> labels(const std::vector<svg::Tick>& ticks) {
    std::vector<std::string> out;
    for (const svg::Tick& t : ticks) out.push_back(t.label);
    return out;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(SvgEscape, MarkupCharactersBecomeEntities) {
    EXPECT_EQ(svg::escape("a<b & c>d \"e\" 'f'"), "a&lt;b &amp; c&gt;d &quot;e&quot; &#39;f&#39;");
    EXPECT_EQ(svg::escape("plain"), "plain");
    EXPECT_EQ(svg::escape("Jap\xC3\xA9n \xE6\x97\xA5\xE6\x9C\xAC"), "Jap\xC3\xA9n \xE6\x97\xA5\xE6\x9C\xAC");
}

TEST(SvgEscape, BytesXmlCannotHoldAreReplaced) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(svg::escape(std::string("a\x01z", 3)), "a" + fffd + "z");
    EXPECT_EQ(svg::escape(std::string("a\0z", 3)), "a" + fffd + "z");
    EXPECT_EQ(svg::escape("a\xFFz"), "a" + fffd + "z");        // not UTF-8
    EXPECT_EQ(svg::escape("a\xC3"), "a" + fffd);               // cut sequence
    EXPECT_EQ(svg::escape("\xED\xA0\x80"), fffd + fffd + fffd);  // a surrogate: three bad bytes
    EXPECT_EQ(svg::escape("\xEF\xBF\xBF"), fffd);              // U+FFFF
    EXPECT_EQ(svg::escape("tab\tnew\nline"), "tab\tnew\nline");
}

TEST(SvgTicks, RoundStepsCoveringTheRange) {
    EXPECT_EQ(labels(svg::nice_ticks(0, 100, 5)), (std::vector<std::string>{"0", "20", "40", "60", "80", "100"}));
    EXPECT_EQ(labels(svg::nice_ticks(13980, 14120, 5)),
              (std::vector<std::string>{"13950", "14000", "14050", "14100", "14150"}));
    EXPECT_EQ(labels(svg::nice_ticks(0, 1, 4)), (std::vector<std::string>{"0", "0.5", "1"}));
    EXPECT_EQ(labels(svg::nice_ticks(0, 1, 5)), (std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1"}));
    EXPECT_EQ(labels(svg::nice_ticks(0.003, 0.0072, 4)),
              (std::vector<std::string>{"0.002", "0.004", "0.006", "0.008"}));
    EXPECT_EQ(labels(svg::nice_ticks(-30, 45, 3)), (std::vector<std::string>{"-50", "0", "50"}));
    EXPECT_EQ(labels(svg::nice_ticks(0, 2500000, 5)),
              (std::vector<std::string>{"0", "500000", "1000000", "1500000", "2000000", "2500000"}));
}

TEST(SvgTicks, ValuesMatchLabelsAndEdgeCasesStaySane) {
    for (const svg::Tick& t : svg::nice_ticks(-0.35, 0.71, 6)) EXPECT_DOUBLE_EQ(t.value, std::stod(t.label));
    const auto flat = svg::nice_ticks(7, 7, 5);
    ASSERT_GE(flat.size(), 2u);
    EXPECT_LE(flat.front().value, 7);
    EXPECT_GE(flat.back().value, 7);
    EXPECT_LT(flat.front().value, flat.back().value);
    EXPECT_EQ(labels(svg::nice_ticks(5, 0, 5)), labels(svg::nice_ticks(0, 5, 5)));
    EXPECT_EQ(labels(svg::nice_ticks(NAN, 1, 5)), labels(svg::nice_ticks(0, 1, 5)));
    EXPECT_LE(svg::nice_ticks(0, 1e12, 5).size(), 8u);
}

TEST(SvgCoordinate, FixedDecimalsWithoutNoise) {
    EXPECT_EQ(svg::coordinate(12), "12");
    EXPECT_EQ(svg::coordinate(12.5), "12.5");
    EXPECT_EQ(svg::coordinate(1.0 / 3), "0.33");
    EXPECT_EQ(svg::coordinate(-0.001), "0");
    EXPECT_EQ(svg::coordinate(NAN), "0");
}

svg::LineChart sample_line_chart() {
    svg::LineChart c;
    c.title = "Demand & supply <pooled>";
    c.x_label = "lots";
    c.y_label = "price (EUR/t)";
    c.series.push_back({"EU \"bids\"", "", {{0, 14200}, {10, 14100}, {25, 14000}}, svg::Style::step});
    c.series.push_back({"supply", "#123456", {{0, 13900}, {20, 14050}}, svg::Style::line, 1.5, true, true});
    c.series.push_back({"", "", {{0, 13950}, {5, 13950}, {5, 13990}, {9, 13990}}, svg::Style::segments});
    c.markers.push_back({svg::Axis::x, 12, "66 lots", "#333333", true});
    c.markers.push_back({svg::Axis::y, 14050, "14050.00 EUR/t", "#333333", true});
    return c;
}

svg::BarChart sample_bar_chart(bool horizontal) {
    svg::BarChart b;
    b.title = "Lots by bloc";
    b.value_label = "lots";
    b.categories = {"EU", "JP", "a very long category name that must be cut to fit the column"};
    b.series.push_back({"requested", "", {40, 30, 5}, {"40", "30", "5"}});
    b.series.push_back({"filled", "", {36, 30}, {"36", "30"}});
    b.reference = svg::Reference{35, "cap 35 <lots>", "#c0392b"};
    b.horizontal = horizontal;
    return b;
}

std::string sample_document() {
    svg::Document doc(800, 1000);
    doc.line_chart(0, 0, 800, 400, sample_line_chart());
    doc.bar_chart(0, 400, 400, 300, sample_bar_chart(true));
    doc.bar_chart(400, 400, 400, 300, sample_bar_chart(false));
    doc.text(10, 990, "note: a & b");
    return doc.str();
}

TEST(SvgDocument, PanelsMakeOneWellFormedDocument) {
    const std::string s = sample_document();
    EXPECT_EQ(xml_problem(s), "") << s;
    EXPECT_EQ(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"1000\"", 0), 0u);
    EXPECT_NE(s.find("Demand &amp; supply &lt;pooled&gt;"), std::string::npos);
    EXPECT_NE(s.find("EU &quot;bids&quot;"), std::string::npos);
    EXPECT_NE(s.find("cap 35 &lt;lots&gt;"), std::string::npos);
    EXPECT_NE(s.find("14050.00 EUR/t"), std::string::npos);
    EXPECT_NE(s.find("note: a &amp; b"), std::string::npos);
    EXPECT_NE(s.find("\xE2\x80\xA6"), std::string::npos);  // the long category was cut
    EXPECT_EQ(count(s, "<path "), 3u);                      // one per series
    EXPECT_EQ(count(s, "<circle "), 2u);                    // dots of the second series
    EXPECT_EQ(count(s, "stroke=\"#123456\""), 2u);          // its line and its legend swatch
    // 2 bar charts x (3 + 3 bars, a missing value drawn as 0, + 2 legend swatches) + the background.
    EXPECT_EQ(count(s, "<rect "), 2u * 8u + 1u);
    EXPECT_EQ(s.find("nan"), std::string::npos);
    EXPECT_EQ(s.find("inf"), std::string::npos);
    EXPECT_EQ(sample_document(), s);  // the same bytes every time
}

TEST(SvgDocument, StepSeriesHoldsEachValueUntilTheNextPoint) {
    svg::LineChart c;
    c.series.push_back({"s", "", {{0, 0}, {10, 10}}, svg::Style::step});
    c.legend = false;
    svg::Document doc(300, 200);
    doc.line_chart(0, 0, 300, 200, c);
    const std::string s = doc.str();
    const std::size_t d = s.find("<path d=\"M");
    ASSERT_NE(d, std::string::npos);
    const std::string path = s.substr(d + 9, s.find('"', d + 9) - d - 9);
    // M(x0,y0) L(x1,y0) L(x1,y1): two segments, the first one horizontal.
    ASSERT_EQ(count(path, "L"), 2u) << path;
    const std::string first_y = path.substr(path.find(' ') + 1, path.find('L') - path.find(' ') - 1);
    const std::string second = path.substr(path.find('L') + 1, path.rfind('L') - path.find('L') - 1);
    EXPECT_EQ(second.substr(second.find(' ') + 1), first_y) << path;
}

TEST(SvgDocument, HostileTextAndEmptyChartsStayWellFormed) {
    svg::LineChart c;
    c.title = std::string("\x01<\xFF&]]>", 7);
    c.x_label = "\xC3";
    c.series.push_back({"\"'", "red\"/><script>", {}, svg::Style::line});
    c.markers.push_back({svg::Axis::y, NAN, "<m>", "#000", false});
    svg::BarChart b;
    b.title = "<none>";
    svg::Document doc(400, 400);
    doc.line_chart(0, 0, 400, 200, c);
    doc.bar_chart(0, 200, 400, 200, b);
    const std::string s = doc.str();
    EXPECT_EQ(xml_problem(s), "") << s;
    EXPECT_EQ(s.find("<script"), std::string::npos);
}

TEST(SvgXmlCheck, CatchesWhatItShould) {
    EXPECT_EQ(xml_problem("<a><b x=\"1\"/>t &amp; u</a>"), "");
    EXPECT_NE(xml_problem("<a><b></a>"), "");
    EXPECT_NE(xml_problem("<a>x & y</a>"), "");
    EXPECT_NE(xml_problem("<a x=1></a>"), "");
    EXPECT_NE(xml_problem("<a x=\"1\" x=\"2\"></a>"), "");
    EXPECT_NE(xml_problem("<a></a><b></b>"), "");
    EXPECT_NE(xml_problem("<a>\xFF</a>"), "");
    EXPECT_NE(xml_problem("<a>"), "");
}

}  // namespace
}  // namespace jpclear
