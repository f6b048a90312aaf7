#pragma once
// A small SVG writer for the pictures in reports: line/step charts and bar
// charts, several of them as panels of one document.
//
// What it promises, so that pictures can go into files people keep:
// - well-formed XML whatever the text (escape() also replaces bytes that are
//   not UTF-8 and characters XML forbids), so an <svg> inlined in HTML or
//   saved on its own opens anywhere, with no script and no network;
// - the same input gives the same bytes: coordinates are written with a fixed
//   number of decimals by std::to_chars, colours come from a fixed palette;
// - numbers shown as text are never printed from a double: axis labels come
//   from exact integer arithmetic (nice_ticks), and every other text (bar
//   values, marker labels) is the caller's own string, made from exact values.
// Doubles here are pixel geometry only.
//
// Use:
//   svg::Document doc(800, 600);
//   svg::LineChart chart;
//   chart.title = "Welfare"; chart.x_label = "cap"; chart.y_label = "EUR";
//   chart.series.push_back({"welfare", "", {{0.1, 5}, {0.2, 7}}});
//   doc.line_chart(0, 0, 800, 300, chart);   // a panel at (0, 0)
//   doc.line_chart(0, 300, 800, 300, other); // a second panel under it
//   std::string text = doc.str();            // "<svg ...>...</svg>"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jpclear::svg {

/// `text` made safe as XML character data and as an attribute value (quoted
/// with "): & < > " ' escaped, bytes that are not well-formed UTF-8 and
/// characters XML 1.0 forbids (controls other than tab, LF, CR) replaced by
/// U+FFFD.
std::string escape(std::string_view text);

/// Colour number `i` of the fixed palette (colour-blind friendly, repeats
/// after 10), as "#rrggbb".
const char* palette(std::size_t i);

/// One tick of an axis: where it is, and its label, exact decimal text.
struct Tick {
    double value = 0;
    std::string label;
};

/// About `target` (>= 2) round-numbered ticks covering [lo, hi]: steps of 1,
/// 2 or 5 times a power of ten, the first tick at or below `lo` and the last
/// at or above `hi`, so the axis runs from the first tick to the last. The
/// labels are whole multiples of the step written by integer arithmetic
/// ("0.25", "14050", "1500000"). lo == hi gets a range around it; lo > hi
/// is taken as [hi, lo]; values that are not finite give the ticks of [0, 1].
std::vector<Tick> nice_ticks(double lo, double hi, int target = 5);

struct Point {
    double x = 0, y = 0;
};

enum class Style {
    line,      ///< straight lines from point to point
    step,      ///< y holds from each point to the next x, then jumps (step-after)
    segments,  ///< points taken in pairs, each pair one separate segment
};

struct Series {
    std::string name;           ///< in the legend; empty: not listed
    std::string color;          ///< any CSS colour; empty: palette(index of the series)
    std::vector<Point> points;  ///< in drawing order
    Style style = Style::line;
    double width = 2;           ///< stroke width in pixels
    bool dashed = false;
    bool dots = false;          ///< a dot on each point
};

enum class Axis { x, y };

/// A line across the plot at x = at (Axis::x, vertical) or y = at (Axis::y,
/// horizontal), with its label at the end.
struct Marker {
    Axis axis = Axis::x;
    double at = 0;
    std::string label;
    std::string color = "#333333";
    bool dashed = true;
};

struct LineChart {
    std::string title;
    std::string x_label, y_label;  ///< axis titles, units included ("price (EUR/t)")
    std::vector<Series> series;
    std::vector<Marker> markers;
    /// The axes always cover every point and marker; these widen them (for
    /// example to start an axis at zero).
    std::optional<double> x_min, x_max, y_min, y_max;
    bool legend = true;  ///< a legend of the named series under the title
};

struct BarSeries {
    std::string name;                 ///< in the legend; empty: not listed
    std::string color;                ///< empty: palette(index of the series)
    std::vector<double> values;       ///< one per category; missing ones are 0
    std::vector<std::string> labels;  ///< optional text at each bar's end (exact values)
};

/// A line across the bars at a value, such as a cap.
struct Reference {
    double value = 0;
    std::string label;
    std::string color = "#c0392b";
};

/// Grouped bars: one group per category, one bar per series in each group.
struct BarChart {
    std::string title;
    std::string value_label;              ///< title of the value axis
    std::vector<std::string> categories;  ///< group labels
    std::vector<BarSeries> series;
    std::optional<Reference> reference;
    bool horizontal = true;               ///< bars grow to the right; false: upwards
    bool legend = true;
};

/// One SVG document of a fixed size in pixels, holding panels placed at
/// pixel positions. Panels do not clip: each fits its data in its box.
class Document {
public:
    Document(double width, double height);

    double width() const { return width_; }
    double height() const { return height_; }

    /// Draws `chart` in the box at (x, y) of the given size.
    void line_chart(double x, double y, double width, double height, const LineChart& chart);
    void bar_chart(double x, double y, double width, double height, const BarChart& chart);
    /// A line of text, left-aligned at (x, y) (the baseline), in pixels.
    void text(double x, double y, std::string_view text, double size = 12, bool bold = false);

    /// The whole document, "<svg ...>...</svg>" with no XML declaration, so
    /// it can be inlined in HTML as it is or written to a .svg file.
    std::string str() const;

private:
    double width_, height_;
    std::string body_;
};

/// A pixel coordinate as text: at most two decimals, no trailing zeros, no
/// "-0" (exposed for tests and for callers that add their own elements).
std::string coordinate(double v);

}  // namespace jpclear::svg
