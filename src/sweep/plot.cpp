// The sweep as a picture: welfare and clearing price against the first swept
// setting, one line for each combination of the other settings.

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/sweep.h"
#include "report/svg.h"

namespace jpclear {
namespace {

// Pixel geometry only: the values shown as text stay exact decimals.
double pixels(const Decimal& d) { return std::strtod(d.to_string().c_str(), nullptr); }

// Where a row sits on the x axis: its value when the first setting takes
// decimals, else the position of its value among the setting's values (1,
// 2, ...), which the chart labels with markers.
struct XAxis {
    bool numeric = false;
    std::vector<std::string> categories;  ///< in the order first met, when not numeric

    /// Nothing for a word (`none`) among decimals: such a row is a marker.
    std::optional<double> at(const std::string& value) const {
        if (numeric) {
            ParsedDecimal d = Decimal::parse(value);
            return d.value ? std::optional<double>(pixels(*d.value)) : std::nullopt;
        }
        return static_cast<double>(std::find(categories.begin(), categories.end(), value) - categories.begin() + 1);
    }
};

XAxis x_axis(const SweepRun& run) {
    XAxis x;
    for (const SweepRow& row : run.variants) {
        const std::string& v = row.values.front();
        if (std::find(x.categories.begin(), x.categories.end(), v) == x.categories.end()) x.categories.push_back(v);
        if (Decimal::parse(v).value) x.numeric = true;
    }
    return x;
}

// The other settings' values of a row, which name its line.
std::string line_name(const std::vector<SweepAxis>& axes, const SweepRow& row) {
    std::string name;
    for (std::size_t i = 1; i < axes.size(); ++i) name += (i > 1 ? ", " : "") + axes[i].name + " " + row.values[i];
    return name;
}

svg::LineChart panel(const std::vector<SweepAxis>& axes, const SweepRun& run, const XAxis& x, bool price) {
    const std::string unit = run.base.result ? run.base.result->currency : "";
    svg::LineChart chart;
    chart.title = (price ? "Clearing price against " : "Welfare against ") + axes.front().name;
    chart.x_label = axes.front().name + (x.numeric ? "" : " (one value per marker)");
    chart.y_label = price ? "clearing price (" + unit + "/t)" : "welfare (" + unit + ")";
    // One line per combination of the other settings, in grid order.
    std::map<std::string, std::size_t> line_of;
    for (const SweepRow& row : run.variants) {
        if (!row.result || (price && !row.result->clearing_price)) continue;  // invalid, or no price to show
        const std::string name = line_name(axes, row);
        const Decimal& y = price ? *row.result->clearing_price : row.result->welfare;
        const std::optional<double> at = x.at(row.values.front());
        if (!at) {  // `none` among caps: a level to compare the line with
            chart.markers.push_back({svg::Axis::y, pixels(y),
                                     row.values.front() + (name.empty() ? "" : " (" + name + ")") + " " +
                                         y.to_string(row.result->price_digits),
                                     "#999999", true});
            continue;
        }
        auto [it, fresh] = line_of.emplace(name, chart.series.size());
        if (fresh) chart.series.push_back({name, "", {}, svg::Style::line, 2, false, true});
        chart.series[it->second].points.push_back({*at, pixels(y)});
    }
    for (svg::Series& s : chart.series)
        std::stable_sort(s.points.begin(), s.points.end(), [](const svg::Point& a, const svg::Point& b) { return a.x < b.x; });
    chart.legend = axes.size() > 1;
    if (run.base.result && (!price || run.base.result->clearing_price)) {
        const Result& b = *run.base.result;
        const Decimal& y = price ? *b.clearing_price : b.welfare;
        chart.markers.push_back({svg::Axis::y, pixels(y), "base " + y.to_string(b.price_digits), "#333333", true});
    }
    if (!x.numeric)
        for (std::size_t i = 0; i < x.categories.size(); ++i)
            chart.markers.push_back({svg::Axis::x, static_cast<double>(i + 1), x.categories[i], "#999999", true});
    return chart;
}

}  // namespace

std::string sweep_plot_svg(const std::vector<SweepAxis>& axes, const SweepRun& run) {
    constexpr double width = 800, height = 360;
    const XAxis x = x_axis(run);
    svg::Document doc(width, 2 * height);
    doc.line_chart(0, 0, width, height, panel(axes, run, x, false));
    doc.line_chart(0, height, width, height, panel(axes, run, x, true));
    return doc.str();
}

}  // namespace jpclear
