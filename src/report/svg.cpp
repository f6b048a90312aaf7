// The SVG writer of report pictures; see svg.h for what it promises.

#include "report/svg.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>

#include "io/text.h"

namespace jpclear::svg {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = io_detail::utf8_length(text.substr(i));
        const auto byte = static_cast<unsigned char>(text[i]);
        if (n == 0 || (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r')) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            i += n == 0 ? 1 : n;
            continue;
        }
        // U+FFFE and U+FFFF are well-formed UTF-8 but not XML characters.
        const std::string_view c = text.substr(i, n);
        if (c == "\xEF\xBF\xBE" || c == "\xEF\xBF\xBF") {
            out += "\xEF\xBF\xBD";
        } else if (n == 1) {
            switch (text[i]) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&#39;"; break;
                default: out += text[i];
            }
        } else {
            out += c;
        }
        i += n;
    }
    return out;
}

const char* palette(std::size_t i) {
    // Tableau 10: distinct for most colour-blind readers, and soft on paper.
    static constexpr std::array<const char*, 10> colours = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1",
                                                            "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"};
    return colours[i % colours.size()];
}

std::string coordinate(double v) {
    if (!std::isfinite(v)) return "0";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
    if (ec != std::errc()) return "0";
    std::string s(buf, end);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

namespace {

// 10^e as a double by repeated exact-as-possible products, so no libm
// function (whose last bit may differ between machines) decides a tick.
double power_of_ten(int e) {
    double p = 1;
    for (int i = 0; i < (e < 0 ? -e : e); ++i) p *= 10;
    return e < 0 ? 1 / p : p;
}

// n * 10^e as decimal text, from the integers alone.
std::string scaled_label(std::int64_t n, int e) {
    const bool negative = n < 0;
    std::string digits = std::to_string(negative ? -static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n));
    if (e >= 0) {
        if (n != 0) digits.append(static_cast<std::size_t>(e), '0');
    } else {
        const auto frac = static_cast<std::size_t>(-e);
        if (digits.size() <= frac) digits.insert(0, frac + 1 - digits.size(), '0');
        digits.insert(digits.size() - frac, 1, '.');
        while (digits.back() == '0') digits.pop_back();
        if (digits.back() == '.') digits.pop_back();
    }
    if (negative && digits != "0") digits.insert(0, 1, '-');
    return digits;
}

}  // namespace

std::vector<Tick> nice_ticks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
    if (lo > hi) std::swap(lo, hi);
    if (lo == hi) {
        const double pad = lo == 0 ? 1 : std::fabs(lo) / 10;
        lo -= pad;
        hi += pad;
    }
    target = std::max(target, 2);
    const double raw = (hi - lo) / target;
    // raw = f * 10^e with 1 <= f < 10, found by multiplying and dividing only.
    int e = 0;
    while (power_of_ten(e) > raw && e > -300) --e;
    while (power_of_ten(e + 1) <= raw && e < 300) ++e;
    const double f = raw / power_of_ten(e);
    std::int64_t m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    if (m == 10) m = 1, ++e;
    const double step = static_cast<double>(m) * power_of_ten(e);
    const double first = std::floor(lo / step), last = std::ceil(hi / step);
    if (!(std::fabs(first) < 1e15 && std::fabs(last) < 1e15)) return nice_ticks(0, 1, target);
    std::vector<Tick> ticks;
    for (auto k = static_cast<std::int64_t>(first); k <= static_cast<std::int64_t>(last); ++k) {
        const std::int64_t n = k * m;
        const double value = e >= 0 ? static_cast<double>(n) * power_of_ten(e) : static_cast<double>(n) / power_of_ten(-e);
        ticks.push_back({value, scaled_label(n, e)});
    }
    return ticks;
}

namespace {

constexpr double font = 12, small_font = 11, title_font = 14;
constexpr double legend_row = 18;

// Width of `text` at `size` px, estimated: sans-serif averages ~0.6 em a
// character. Layout only needs it roughly, and it must not depend on fonts.
double text_width(std::string_view text, double size) {
    std::size_t chars = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    return 0.6 * size * static_cast<double>(chars);
}

// `text` cut to about `width` px, with an ellipsis when cut.
std::string fit(std::string_view text, double width, double size) {
    if (text_width(text, size) <= width) return std::string(text);
    std::string out;
    double used = text_width("\xE2\x80\xA6", size);
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = io_detail::utf8_length(text.substr(i));
        if (n == 0) n = 1;
        const double w = 0.6 * size;
        if (used + w > width) break;
        out.append(text.substr(i, n));
        used += w;
        i += n;
    }
    out += "\xE2\x80\xA6";
    return out;
}

// Appends every part to `out`: a fold of appends rather than a chain of
// operator+, which also spares GCC 12 its false -Wrestrict (bug 105329).
template <class... Parts>
void put(std::string& out, const Parts&... parts) {
    (out.append(std::string_view(parts)), ...);
}

class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}

    void text(double x, double y, std::string_view s, double size, std::string_view anchor = "start",
              bool bold = false, std::string_view color = "#222222", bool halo = false) {
        put(out_, "<text x=\"", coordinate(x), "\" y=\"", coordinate(y), "\" font-size=\"", coordinate(size), "\"");
        if (anchor != "start") put(out_, " text-anchor=\"", anchor, "\"");
        if (bold) put(out_, " font-weight=\"bold\"");
        put(out_, " fill=\"", escape(color), "\"");
        // A white outline behind the letters keeps a label readable over lines.
        if (halo) put(out_, " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"");
        put(out_, ">", escape(s), "</text>\n");
    }
    void vertical_text(double x, double y, std::string_view s, double size) {
        put(out_, "<text x=\"", coordinate(x), "\" y=\"", coordinate(y), "\" font-size=\"", coordinate(size),
            "\" text-anchor=\"middle\" fill=\"#222222\" transform=\"rotate(-90 ", coordinate(x), " ", coordinate(y),
            ")\">", escape(s), "</text>\n");
    }
    void line(double x1, double y1, double x2, double y2, std::string_view color, double width = 1,
              bool dashed = false) {
        put(out_, "<line x1=\"", coordinate(x1), "\" y1=\"", coordinate(y1), "\" x2=\"", coordinate(x2), "\" y2=\"",
            coordinate(y2), "\"");
        stroke(color, width, dashed);
    }
    void rect(double x, double y, double w, double h, std::string_view fill) {
        put(out_, "<rect x=\"", coordinate(x), "\" y=\"", coordinate(y), "\" width=\"", coordinate(w),
            "\" height=\"", coordinate(h), "\" fill=\"", escape(fill), "\"/>\n");
    }
    void path(std::string_view d, std::string_view color, double width, bool dashed) {
        if (d.empty()) return;
        put(out_, "<path d=\"", d, "\" fill=\"none\" stroke-linejoin=\"round\"");
        stroke(color, width, dashed);
    }
    void dot(double x, double y, std::string_view color) {
        put(out_, "<circle cx=\"", coordinate(x), "\" cy=\"", coordinate(y), "\" r=\"3\" fill=\"", escape(color),
            "\"/>\n");
    }

private:
    void stroke(std::string_view color, double width, bool dashed) {
        put(out_, " stroke=\"", escape(color), "\" stroke-width=\"", coordinate(width), "\"");
        if (dashed) put(out_, " stroke-dasharray=\"6 4\"");
        put(out_, "/>\n");
    }

    std::string& out_;
};

struct LegendEntry {
    std::string name, color;
    bool dashed = false;
    bool bar = false;  // a square swatch instead of a line
};

// Legend rows from `left` within `width`; returns the height used.
double legend_height(const std::vector<LegendEntry>& entries, double width) {
    if (entries.empty()) return 0;
    double x = 0, rows = 1;
    for (const LegendEntry& e : entries) {
        const double w = 22 + text_width(e.name, small_font) + 14;
        if (x > 0 && x + w > width) ++rows, x = 0;
        x += w;
    }
    return rows * legend_row;
}

void draw_legend(Writer& w, const std::vector<LegendEntry>& entries, double left, double top, double width) {
    double x = 0, y = top;
    for (const LegendEntry& e : entries) {
        const double item = 22 + text_width(e.name, small_font) + 14;
        if (x > 0 && x + item > width) y += legend_row, x = 0;
        const double mid = y + legend_row / 2;
        if (e.bar)
            w.rect(left + x + 4, mid - 6, 12, 12, e.color);
        else
            w.line(left + x, mid, left + x + 18, mid, e.color, 2.5, e.dashed);
        w.text(left + x + 22, mid + 4, e.name, small_font);
        x += item;
    }
}

// The part of a panel its title and legend leave for the plot.
struct Box {
    double left, top, right, bottom;
    double width() const { return right - left; }
    double height() const { return bottom - top; }
};

Box header(Writer& w, double x, double y, double width, double height, const std::string& title,
           const std::vector<LegendEntry>& legend) {
    double top = y + 6;
    if (!title.empty()) {
        w.text(x + 4, top + title_font, fit(title, width - 8, title_font), title_font, "start", true);
        top += title_font + 10;
    }
    const double lh = legend_height(legend, width - 8);
    draw_legend(w, legend, x + 4, top, width - 8);
    top += lh;
    return {x, top, x + width, y + height};
}

// A linear map from data to pixels over the ticks' range.
struct Scale {
    double d0, d1, p0, p1;
    double operator()(double v) const { return d1 == d0 ? p0 : p0 + (v - d0) / (d1 - d0) * (p1 - p0); }
};

double widest_label(const std::vector<Tick>& ticks) {
    double w = 0;
    for (const Tick& t : ticks) w = std::max(w, text_width(t.label, small_font));
    return w;
}

int tick_target(double pixels, double per_tick) { return std::max(2, static_cast<int>(pixels / per_tick)); }

// Bottom axis: gridlines across `top..bottom`, labels under it, title under those.
void x_axis(Writer& w, const std::vector<Tick>& ticks, const Scale& sx, double top, double bottom,
            const std::string& label, bool grid) {
    for (const Tick& t : ticks) {
        const double px = sx(t.value);
        if (grid) w.line(px, top, px, bottom, "#e6e6e6");
        w.line(px, bottom, px, bottom + 4, "#555555");
        w.text(px, bottom + 16, t.label, small_font, "middle");
    }
    w.line(sx.p0, bottom, sx.p1, bottom, "#555555");
    if (!label.empty()) w.text((sx.p0 + sx.p1) / 2, bottom + 34, label, font, "middle");
}

// Left axis: gridlines across `left..right`, labels left of it, title rotated.
void y_axis(Writer& w, const std::vector<Tick>& ticks, const Scale& sy, double left, double right,
            const std::string& label, double label_x, bool grid) {
    for (const Tick& t : ticks) {
        const double py = sy(t.value);
        if (grid) w.line(left, py, right, py, "#e6e6e6");
        w.line(left - 4, py, left, py, "#555555");
        w.text(left - 7, py + 4, t.label, small_font, "end");
    }
    w.line(left, sy.p0, left, sy.p1, "#555555");
    if (!label.empty()) w.vertical_text(label_x, (sy.p0 + sy.p1) / 2, label, font);
}

std::string colour_of(const std::string& given, std::size_t index) { return given.empty() ? palette(index) : given; }

std::string path_of(const Series& s, const Scale& sx, const Scale& sy) {
    std::string d;
    auto move = [&](const Point& p) { put(d, "M", coordinate(sx(p.x)), " ", coordinate(sy(p.y))); };
    auto to = [&](double x, double y) { put(d, "L", coordinate(sx(x)), " ", coordinate(sy(y))); };
    const std::vector<Point>& p = s.points;
    for (std::size_t i = 0; i < p.size(); ++i) {
        switch (s.style) {
            case Style::line:
                if (i == 0) move(p[i]); else to(p[i].x, p[i].y);
                break;
            case Style::step:
                if (i == 0) {
                    move(p[i]);
                } else {
                    to(p[i].x, p[i - 1].y);
                    to(p[i].x, p[i].y);
                }
                break;
            case Style::segments:
                if (i % 2 == 0) move(p[i]); else to(p[i].x, p[i].y);
                break;
        }
    }
    return d;
}

}  // namespace

Document::Document(double width, double height) : width_(width), height_(height) {}

void Document::text(double x, double y, std::string_view s, double size, bool bold) {
    Writer(body_).text(x, y, s, size, "start", bold);
}

void Document::line_chart(double x, double y, double width, double height, const LineChart& chart) {
    Writer w(body_);
    std::vector<LegendEntry> legend;
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const Series& s = chart.series[i];
        if (chart.legend && !s.name.empty()) legend.push_back({s.name, colour_of(s.color, i), s.dashed, false});
    }
    Box box = header(w, x, y, width, height, chart.title, legend);

    // Ranges: every point and marker, widened by the optional bounds.
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    auto cover = [](double& lo, double& hi, double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    };
    for (const Series& s : chart.series)
        for (const Point& p : s.points) cover(x0, x1, p.x), cover(y0, y1, p.y);
    for (const Marker& m : chart.markers) m.axis == Axis::x ? cover(x0, x1, m.at) : cover(y0, y1, m.at);
    for (const std::optional<double>& v : {chart.x_min, chart.x_max})
        if (v) cover(x0, x1, *v);
    for (const std::optional<double>& v : {chart.y_min, chart.y_max})
        if (v) cover(y0, y1, *v);
    if (x0 > x1) x0 = 0, x1 = 1;
    if (y0 > y1) y0 = 0, y1 = 1;

    const std::vector<Tick> yt = nice_ticks(y0, y1, tick_target(box.height() - 50, 40));
    const double label_x = box.left + 12;
    box.left += (chart.y_label.empty() ? 4 : 22) + widest_label(yt) + 10;
    box.right -= 16;
    box.top += 8;
    box.bottom -= chart.x_label.empty() ? 24 : 42;
    const std::vector<Tick> xt = nice_ticks(x0, x1, tick_target(box.width(), 90));
    const Scale sx{xt.front().value, xt.back().value, box.left, box.right};
    const Scale sy{yt.front().value, yt.back().value, box.bottom, box.top};

    y_axis(w, yt, sy, box.left, box.right, chart.y_label, label_x, true);
    x_axis(w, xt, sx, box.top, box.bottom, chart.x_label, true);
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const Series& s = chart.series[i];
        const std::string colour = colour_of(s.color, i);
        w.path(path_of(s, sx, sy), colour, s.width, s.dashed);
        if (s.dots)
            for (const Point& p : s.points) w.dot(sx(p.x), sy(p.y), colour);
    }
    // Labels of markers on the same axis are stacked so they never overlap.
    int on_x = 0, on_y = 0;
    for (const Marker& m : chart.markers) {
        if (m.axis == Axis::x) {
            const double px = sx(m.at);
            w.line(px, box.top, px, box.bottom, m.color, 1.5, m.dashed);
            const bool left_half = px < (box.left + box.right) / 2;
            w.text(left_half ? px + 5 : px - 5, box.top + 12 + 14 * on_x++, m.label, small_font,
                   left_half ? "start" : "end", false, "#222222", true);
        } else {
            const double py = sy(m.at);
            w.line(box.left, py, box.right, py, m.color, 1.5, m.dashed);
            w.text(box.right - 4, py - 5 - 14 * on_y, m.label, small_font, "end", false, "#222222", true);
            ++on_y;
        }
    }
}

void Document::bar_chart(double x, double y, double width, double height, const BarChart& chart) {
    Writer w(body_);
    std::vector<LegendEntry> legend;
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const BarSeries& s = chart.series[i];
        if (chart.legend && !s.name.empty()) legend.push_back({s.name, colour_of(s.color, i), false, true});
    }
    Box box = header(w, x, y, width, height, chart.title, legend);
    if (chart.reference) box.top += 16;  // its label sits above the bars

    double lo = 0, hi = 0, value_text = 0;
    for (const BarSeries& s : chart.series) {
        for (double v : s.values)
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        for (const std::string& l : s.labels) value_text = std::max(value_text, text_width(l, small_font));
    }
    if (chart.reference && std::isfinite(chart.reference->value))
        lo = std::min(lo, chart.reference->value), hi = std::max(hi, chart.reference->value);
    if (lo == hi) hi = 1;

    const std::size_t groups = chart.categories.size();
    const std::size_t per_group = std::max<std::size_t>(chart.series.size(), 1);
    auto value_of = [&](const BarSeries& s, std::size_t c) {
        return c < s.values.size() && std::isfinite(s.values[c]) ? s.values[c] : 0.0;
    };

    if (chart.horizontal) {
        double names = 0;
        for (const std::string& c : chart.categories) names = std::max(names, text_width(c, small_font));
        names = std::min(names, 0.35 * width);
        box.left += names + 12;
        box.right -= std::max(16.0, value_text + 10);
        box.bottom -= chart.value_label.empty() ? 24 : 42;
        const std::vector<Tick> ticks = nice_ticks(lo, hi, tick_target(box.width(), 90));
        const Scale sv{ticks.front().value, ticks.back().value, box.left, box.right};
        x_axis(w, ticks, sv, box.top, box.bottom, chart.value_label, true);
        const double group = groups ? box.height() / static_cast<double>(groups) : 0;
        const double bar = std::min(26.0, 0.8 * group / static_cast<double>(per_group));
        for (std::size_t c = 0; c < groups; ++c) {
            const double g0 = box.top + group * static_cast<double>(c) + (group - bar * static_cast<double>(per_group)) / 2;
            w.text(box.left - 8, g0 + bar * static_cast<double>(per_group) / 2 + 4,
                   fit(chart.categories[c], names, small_font), small_font, "end");
            for (std::size_t s = 0; s < chart.series.size(); ++s) {
                const double v = value_of(chart.series[s], c), top = g0 + bar * static_cast<double>(s);
                const double a = std::min(sv(0), sv(v)), b = std::max(sv(0), sv(v));
                w.rect(a, top + 1, b - a, std::max(bar - 2, 1.0), colour_of(chart.series[s].color, s));
                const std::vector<std::string>& labels = chart.series[s].labels;
                if (c < labels.size() && !labels[c].empty()) w.text(b + 4, top + bar / 2 + 4, labels[c], small_font);
            }
        }
        w.line(sv(0), box.top, sv(0), box.bottom, "#555555");
        if (chart.reference) {
            const double px = sv(chart.reference->value);
            w.line(px, box.top - 4, px, box.bottom, chart.reference->color, 2, true);
            w.text(px, box.top - 8, chart.reference->label, small_font, "middle", true, chart.reference->color);
        }
        return;
    }

    box.right -= 16;
    box.bottom -= 24;
    box.top += 14;  // value labels above the tallest bar
    const std::vector<Tick> ticks = nice_ticks(lo, hi, tick_target(box.height(), 40));
    const double label_x = box.left + 12;
    box.left += (chart.value_label.empty() ? 4 : 22) + widest_label(ticks) + 10;
    const Scale sv{ticks.front().value, ticks.back().value, box.bottom, box.top};
    y_axis(w, ticks, sv, box.left, box.right, chart.value_label, label_x, true);
    const double group = groups ? box.width() / static_cast<double>(groups) : 0;
    const double bar = std::min(40.0, 0.8 * group / static_cast<double>(per_group));
    for (std::size_t c = 0; c < groups; ++c) {
        const double g0 = box.left + group * static_cast<double>(c) + (group - bar * static_cast<double>(per_group)) / 2;
        w.text(box.left + group * (static_cast<double>(c) + 0.5), box.bottom + 16,
               fit(chart.categories[c], group - 4, small_font), small_font, "middle");
        for (std::size_t s = 0; s < chart.series.size(); ++s) {
            const double v = value_of(chart.series[s], c), left = g0 + bar * static_cast<double>(s);
            const double a = std::min(sv(0), sv(v)), b = std::max(sv(0), sv(v));
            w.rect(left + 1, a, std::max(bar - 2, 1.0), b - a, colour_of(chart.series[s].color, s));
            const std::vector<std::string>& labels = chart.series[s].labels;
            if (c < labels.size() && !labels[c].empty())
                w.text(left + bar / 2, a - 4, labels[c], small_font, "middle");
        }
    }
    w.line(box.left, sv(0), box.right, sv(0), "#555555");
    if (chart.reference) {
        const double py = sv(chart.reference->value);
        w.line(box.left, py, box.right, py, chart.reference->color, 2, true);
        w.text(box.right, py - 5, chart.reference->label, small_font, "end", true, chart.reference->color,
               true);
    }
}

std::string Document::str() const {
    const std::string w = coordinate(width_), h = coordinate(height_);
    std::string out;
    put(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", w, "\" height=\"", h, "\" viewBox=\"0 0 ", w, " ",
        h, "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n");
    put(out, "<rect x=\"0\" y=\"0\" width=\"", w, "\" height=\"", h, "\" fill=\"#ffffff\"/>\n", body_, "</svg>\n");
    return out;
}

}  // namespace jpclear::svg
