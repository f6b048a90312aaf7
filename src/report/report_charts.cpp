// The pictures of a cleared round; see report_charts.h.
//
// Doubles appear only as pixel positions handed to the SVG writer; every
// number a reader sees is written from a Decimal, lot count or tick count.

#include "report/report_charts.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/curves.h"
#include "report/svg.h"

namespace jpclear::report {

namespace {

constexpr double page_width = 1100;
// Supply colours: the origins offering most get their own, the rest share grey.
constexpr std::size_t own_colours = 9;
constexpr const char* other_colour = "#9e9e9e";
// Bloc demand is dashed in dark tones so it never looks like an origin's supply.
constexpr const char* bloc_colours[] = {"#08306b", "#a50f15", "#54278f", "#00441b", "#7f2704"};

double pixels(const Decimal& d) {
    double v = static_cast<double>(d.coefficient());
    for (int i = 0; i < d.scale(); ++i) v /= 10;
    return v;
}

std::string money(const Decimal& d, int digits) { return d.to_string(digits); }

// The points of a curve for a line: every piece's two ends, in order.
std::vector<svg::Point> line_of(const Curve& c, double tick) {
    std::vector<svg::Point> points;
    points.reserve(2 * c.pieces.size());
    for (const CurvePiece& p : c.pieces) {
        points.push_back({static_cast<double>(p.q0), static_cast<double>(p.p0) * tick});
        points.push_back({static_cast<double>(p.q1), static_cast<double>(p.p1) * tick});
    }
    return points;
}

}  // namespace

CurvesPicture curves_picture(const Round& round, const Market& market, const Result& result, std::size_t max_steps) {
    const double tick = pixels(market.tick);
    const std::string& currency = result.currency;
    const int digits = result.price_digits;

    // The curves read the market through sorted indices (4 bytes an order)
    // rather than copies of the orders: at 10^6 orders, copied lists were the
    // largest part of the command's peak memory. The bids are placed bloc by
    // bloc (blocs in byte order), each bloc best price first; the pooled
    // demand merges the blocs' runs, so no per-bid bloc is kept.
    std::map<std::string_view, std::size_t> bloc_next;  // bids counted, then where the next one goes
    for (std::size_t b = 0; b < market.bid_count(); ++b) ++bloc_next[round.bids[b].bloc];
    std::vector<std::string_view> blocs;
    std::vector<std::size_t> bloc_start{0};  // bloc k's bids are [bloc_start[k], bloc_start[k + 1])
    for (auto& [bloc, next] : bloc_next) {
        blocs.push_back(bloc);
        bloc_start.push_back(bloc_start.back() + next);
        next = bloc_start[bloc_start.size() - 2];
    }
    std::vector<std::uint32_t> bids_by_bloc(market.bid_count());
    for (std::uint32_t b = 0; b < bids_by_bloc.size(); ++b)
        bids_by_bloc[bloc_next.find(round.bids[b].bloc)->second++] = b;
    const auto higher_bid = [&](std::uint32_t a, std::uint32_t b) {
        if (market.bid_price[a] != market.bid_price[b]) return market.bid_price[a] > market.bid_price[b];
        return a < b;
    };
    for (std::size_t k = 0; k < blocs.size(); ++k)
        std::sort(bids_by_bloc.begin() + static_cast<std::ptrdiff_t>(bloc_start[k]),
                  bids_by_bloc.begin() + static_cast<std::ptrdiff_t>(bloc_start[k + 1]), higher_bid);
    const auto bid_order = [&](std::uint32_t b) { return CurveOrder{market.bid_price[b], market.bid_lots[b], 0}; };

    std::vector<std::int64_t> offered(market.origins.size(), 0);
    for (std::size_t o = 0; o < market.offer_count(); ++o) offered[market.offer_origin[o]] += market.offer_lots[o];
    // Colour groups: the `own_colours` origins with most lots offered, in code order.
    std::vector<std::uint32_t> rank(market.origins.size());
    for (std::uint32_t i = 0; i < rank.size(); ++i) rank[i] = i;
    std::stable_sort(rank.begin(), rank.end(), [&](auto a, auto b) { return offered[a] > offered[b]; });
    if (rank.size() > own_colours) rank.resize(own_colours);
    std::sort(rank.begin(), rank.end());
    const auto others = static_cast<std::uint32_t>(rank.size());
    std::vector<std::uint32_t> colour_of(market.origins.size(), others);
    for (std::uint32_t k = 0; k < rank.size(); ++k) colour_of[rank[k]] = k;
    const auto colour_group = [&](std::uint32_t o) { return colour_of[market.offer_origin[o]]; };
    std::vector<std::uint32_t> offers_in_order(market.offer_count());
    for (std::uint32_t o = 0; o < offers_in_order.size(); ++o) offers_in_order[o] = o;
    std::sort(offers_in_order.begin(), offers_in_order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (market.offer_price[a] != market.offer_price[b]) return market.offer_price[a] < market.offer_price[b];
        if (colour_group(a) != colour_group(b)) return colour_group(a) < colour_group(b);
        return a < b;
    });

    const Curve supply = curve_in_order(
        [&](auto&& f) {
            for (const std::uint32_t o : offers_in_order)
                f(CurveOrder{market.offer_price[o], market.offer_lots[o], colour_group(o)});
        },
        max_steps);
    const auto bloc_demand = [&](std::size_t k) {
        return curve_in_order(
            [&](auto&& f) {
                for (std::size_t i = bloc_start[k]; i < bloc_start[k + 1]; ++i) f(bid_order(bids_by_bloc[i]));
            },
            max_steps);
    };
    const Curve demand = curve_in_order(
        [&](auto&& f) {
            // The blocs' runs merged, highest bid first: `heads` holds each
            // unfinished run's next position and its bloc.
            using Head = std::pair<std::size_t, std::size_t>;
            const auto later = [&](const Head& x, const Head& y) {
                return higher_bid(bids_by_bloc[y.first], bids_by_bloc[x.first]);
            };
            std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
            for (std::size_t k = 0; k < blocs.size(); ++k)
                if (bloc_start[k] < bloc_start[k + 1]) heads.push({bloc_start[k], k});
            while (!heads.empty()) {
                const auto [i, k] = heads.top();
                heads.pop();
                f(bid_order(bids_by_bloc[i]));
                if (i + 1 < bloc_start[k + 1]) heads.push({i + 1, k});
            }
        },
        max_steps);

    svg::LineChart chart;
    chart.title = "Pooled demand and supply";
    chart.x_label = "cumulative lots (1 lot = " + round.material.lot_tonnes.to_string() + " t)";
    chart.y_label = "price (" + currency + "/t)";
    chart.x_min = 0;
    // Supply first (underneath): the pooled staircase thin, each origin's steps thick in its colour.
    chart.series.push_back({"supply, pooled", "#bdbdbd", line_of(supply, tick), svg::Style::line, 1.5});
    std::vector<svg::Series> origin_series(rank.size() + 1);
    for (std::uint32_t k = 0; k < rank.size(); ++k)
        origin_series[k] = {"supply from " + market.origins[rank[k]], svg::palette(k), {}, svg::Style::segments, 4};
    origin_series[others] = {"supply from other origins", other_colour, {}, svg::Style::segments, 4};
    for (const CurvePiece& p : supply.pieces) {
        origin_series[p.group].points.push_back({static_cast<double>(p.q0), static_cast<double>(p.p0) * tick});
        origin_series[p.group].points.push_back({static_cast<double>(p.q1), static_cast<double>(p.p1) * tick});
    }
    for (svg::Series& s : origin_series)
        if (!s.points.empty()) chart.series.push_back(std::move(s));
    std::size_t bloc_colour = 0;
    std::size_t most_levels = std::max(supply.levels, demand.levels);
    bool exact = supply.exact() && demand.exact();
    for (std::size_t k = 0; k < blocs.size(); ++k) {
        const Curve c = bloc_demand(k);
        exact = exact && c.exact();
        const char* colour = bloc_colours[std::min(bloc_colour++, std::size(bloc_colours) - 1)];
        chart.series.push_back(
            {"demand " + std::string(blocs[k]), colour, line_of(c, tick), svg::Style::line, 1.75, true});
    }
    chart.series.push_back({"demand, pooled", "#111111", line_of(demand, tick), svg::Style::line, 2.5});

    const std::string volume = std::to_string(result.cleared_lots.count) + " lots cleared (" +
                               result.cleared_tonnes.to_string() + " t)";
    chart.markers.push_back({svg::Axis::x, static_cast<double>(result.cleared_lots.count), volume, "#333333", true});
    const bool uniform = round.rules.pricing == PricingRule::uniform;
    if (result.clearing_price && !result.has_places) {
        const std::string what = uniform ? "price " : "pooled mean price ";
        chart.markers.push_back({svg::Axis::y, pixels(*result.clearing_price),
                                 what + result.clearing_price->to_string(digits) + " " + currency + "/t", "#333333",
                                 true});
    }
    if (result.price_low && result.price_high && *result.price_low != *result.price_high && !result.has_places) {
        chart.markers.push_back({svg::Axis::y, pixels(*result.price_low),
                                 "interval low " + result.price_low->to_string(digits), "#9e9e9e", true});
        chart.markers.push_back({svg::Axis::y, pixels(*result.price_high),
                                 "interval high " + result.price_high->to_string(digits), "#9e9e9e", true});
    }

    CurvesPicture out;
    svg::Document doc(page_width, 560);
    doc.line_chart(0, 0, page_width, 560, chart);
    out.svg = doc.str();
    out.notes.push_back("Prices are in " + currency + " per tonne on the round's tick grid (" +
                        market.tick.to_string() +
                        "): bids rounded down, offers rounded up, as the clearing sees them. Ineligible offers are "
                        "not part of supply.");
    if (!exact)
        out.notes.push_back("The curves have up to " + std::to_string(most_levels) +
                            " price levels; they are drawn with at most " + std::to_string(max_steps) +
                            " steps each, consecutive levels merged, so between true corners of the staircase "
                            "the line runs straight. A merged stretch of supply takes the colour of the origin "
                            "with most lots in it.");
    if (result.has_places)
        out.notes.push_back("This round has delivery places: the pooled curves leave freight out, and each place "
                            "has its own price (see the table of places). The clearing price of the headline is "
                            "the mean buyers pay.");
    return out;
}

std::string blocs_picture(const Result& result) {
    const int digits = result.price_digits;
    svg::BarChart lots, cash;
    lots.title = "Lots by bloc";
    lots.value_label = "lots";
    cash.title = "Money by bloc";
    cash.value_label = result.currency;
    svg::BarSeries requested{"requested", "#9ecae1", {}, {}}, filled{"filled", "#2171b5", {}, {}};
    svg::BarSeries cost{"cost", "#fd8d3c", {}, {}}, surplus{"buyer surplus", "#31a354", {}, {}};
    for (const auto& [bloc, t] : result.blocs) {
        lots.categories.push_back(bloc);
        cash.categories.push_back(bloc);
        requested.values.push_back(static_cast<double>(t.requested.count));
        requested.labels.push_back(std::to_string(t.requested.count));
        filled.values.push_back(static_cast<double>(t.filled.count));
        filled.labels.push_back(std::to_string(t.filled.count));
        cost.values.push_back(pixels(t.cost));
        cost.labels.push_back(money(t.cost, digits));
        surplus.values.push_back(pixels(t.buyer_surplus));
        surplus.labels.push_back(money(t.buyer_surplus, digits));
    }
    lots.series = {requested, filled};
    cash.series = {cost, surplus};
    const double height = 110 + 62 * static_cast<double>(std::max<std::size_t>(result.blocs.size(), 1));
    svg::Document doc(page_width, height);
    doc.bar_chart(0, 0, page_width / 2, height, lots);
    doc.bar_chart(page_width / 2, 0, page_width / 2, height, cash);
    return doc.str();
}

std::string origins_picture(const Result& result) {
    const int digits = result.price_digits;
    const Decimal hundred = Decimal::integer(100);
    svg::BarChart share, surplus;
    share.title = "Share of the cleared lots by origin";
    share.value_label = "share (%)";
    surplus.title = "Supplier surplus by origin";
    surplus.value_label = result.currency;
    svg::BarSeries shares{"", "#4e79a7", {}, {}}, surpluses{"", "#59a14f", {}, {}};
    std::optional<Decimal> cap;
    for (const auto& [origin, t] : result.origins) {
        share.categories.push_back(origin);
        surplus.categories.push_back(origin);
        const Decimal percent = t.share * hundred;
        shares.values.push_back(pixels(percent));
        shares.labels.push_back(percent.to_string(4) + " % (" + std::to_string(t.lots.count) + " lots)");
        surpluses.values.push_back(pixels(t.supplier_surplus));
        surpluses.labels.push_back(money(t.supplier_surplus, digits));
        if (t.cap) cap = t.cap;
    }
    share.series = {shares};
    surplus.series = {surpluses};
    if (cap) share.reference = svg::Reference{pixels(*cap * hundred), "cap " + (*cap * hundred).to_string() + " %"};
    const double height = 100 + 26 * static_cast<double>(std::max<std::size_t>(result.origins.size(), 1));
    svg::Document doc(page_width, height);
    doc.bar_chart(0, 0, page_width * 0.55, height, share);
    doc.bar_chart(page_width * 0.55, 0, page_width * 0.45, height, surplus);
    return doc.str();
}

}  // namespace jpclear::report
