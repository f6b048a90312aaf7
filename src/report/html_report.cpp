// write_html_report(): the page behind `jpclear clear --report`; see html_report.h.
//
// The page is written top to bottom in reading order: what happened (the
// headline), why (the curves), who (blocs, origins, places), and the detail
// (awards, then every order). All text passes through svg::escape, which is
// as right for HTML as for SVG; every number is written from exact values.

#include "report/html_report.h"

#include <concepts>
#include <algorithm>
#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/version.h"
#include "report/order_lines.h"
#include "report/report_charts.h"
#include "report/svg.h"

namespace jpclear {

namespace {

using svg::escape;

const char* const style = R"(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #f4f5f7; }
main { max-width: 1140px; margin: 0 auto; padding: 20px 20px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d0d4d9; }
.sub { color: #555; margin: 0 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px; }
.card { background: #fff; border: 1px solid #e1e4e8; border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 11px; color: #666; text-transform: uppercase; letter-spacing: .05em; }
.card .value { font-size: 18px; font-weight: bold; margin-top: 3px; overflow-wrap: anywhere; }
.card .detail { font-size: 12px; color: #555; margin-top: 2px; }
figure { margin: 0 0 8px; background: #fff; border: 1px solid #e1e4e8; border-radius: 6px; padding: 6px; }
figure svg { display: block; width: 100%; height: auto; }
.note { font-size: 13px; color: #555; margin: 4px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; font-size: 13px; width: 100%; margin: 6px 0; }
th, td { border-bottom: 1px solid #e6e6e6; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: bold; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { white-space: nowrap; }
td.reason { min-width: 18em; }
.filled, .cleared { color: #1a7f37; font-weight: bold; }
.partial { color: #b35900; font-weight: bold; }
.rejected, .no-trade { color: #6e7781; font-weight: bold; }
.ineligible, .limit { color: #cf222e; font-weight: bold; }
.more { font-style: italic; color: #555; }
footer { margin-top: 32px; font-size: 12px; color: #666; }
@media print { body { background: #fff; } figure, .card { border-color: #bbb; } }
)";

/// A table cell: text (escaped when written) and its CSS class.
struct Cell {
    std::string text;
    std::string cls;
    Cell(std::string t, std::string c = "") : text(std::move(t)), cls(std::move(c)) {}
    Cell(const char* t) : text(t) {}
    // An order's id, buyer or code; a template so that string literals still take the first.
    template <std::same_as<Text> T>
    Cell(const T& t, std::string c = "") : text(t.str()), cls(std::move(c)) {}
};

Cell number(const std::string& text) { return {text, "n"}; }
Cell number(std::int64_t v) { return {std::to_string(v), "n"}; }

struct Column {
    std::string title;
    bool number = false;
};

class Table {
public:
    Table(std::ostream& out, const std::vector<Column>& columns) : out_(out) {
        out_ << "<div class=\"scroll\"><table>\n<thead><tr>";
        for (const Column& c : columns) out_ << (c.number ? "<th class=\"n\">" : "<th>") << escape(c.title) << "</th>";
        out_ << "</tr></thead>\n<tbody>\n";
    }
    Table(const Table&) = delete;
    Table& operator=(const Table&) = delete;
    ~Table() { out_ << "</tbody>\n</table></div>\n"; }

    void row(const std::vector<Cell>& cells) {
        out_ << "<tr>";
        for (const Cell& c : cells) {
            out_ << (c.cls.empty() ? "<td>" : "<td class=\"" + escape(c.cls) + "\">") << escape(c.text) << "</td>";
        }
        out_ << "</tr>\n";
    }

private:
    std::ostream& out_;
};

void card(std::ostream& out, const std::string& label, const std::string& value, const std::string& detail = "",
          const std::string& value_class = "") {
    out << "<div class=\"card\"><div class=\"label\">" << escape(label) << "</div><div class=\"value"
        << (value_class.empty() ? "" : " " + escape(value_class)) << "\">" << escape(value) << "</div>";
    if (!detail.empty()) out << "<div class=\"detail\">" << escape(detail) << "</div>";
    out << "</div>\n";
}

void note(std::ostream& out, const std::string& text, const char* cls = "note") {
    out << "<p class=\"" << cls << "\">" << escape(text) << "</p>\n";
}

// "7 filled, 0 partial, 4 rejected" (and ineligible, which only offers can be).
std::string status_counts(const detail::OrderLines& lines, bool offers) {
    std::array<std::size_t, 4> n{};  // by FillStatus
    lines.each(!offers, [&](const OrderResult& o) { ++n[static_cast<std::size_t>(o.status)]; });
    auto of = [&](FillStatus s) { return std::to_string(n[static_cast<std::size_t>(s)]); };
    std::string text = of(FillStatus::filled) + " filled, " + of(FillStatus::partial) + " partial, " +
                       of(FillStatus::rejected) + " rejected";
    if (offers) text += ", " + of(FillStatus::ineligible) + " ineligible";
    return text;
}

// Says what a capped table left out, and where all of it is.
void left_out(std::ostream& out, std::size_t shown, std::size_t total, const char* what) {
    if (shown >= total) return;
    note(out,
         "Showing the first " + std::to_string(shown) + " of " + std::to_string(total) + " " + what +
             ", in input order; the other " + std::to_string(total - shown) +
             " are in the result JSON (jpclear clear ROUND.json --out RESULT.json), under the same ids.",
         "note more");
}

class Page {
public:
    Page(std::ostream& out, const Round& round, const detail::OrderLines& lines, const Market& market,
         const HtmlReportLimits& limits)
        : out_(out), round_(round), result_(lines.totals()), lines_(lines), market_(market), limits_(limits),
          digits_(result_.price_digits), per_tonne_(" " + result_.currency + "/t") {}

    void write() {
        out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             << "<title>" << escape(result_.round) << " \xC2\xB7 jpclear report</title>\n"
             << "<style>" << style << "</style>\n</head>\n<body>\n<main>\n";
        out_ << "<h1>Round " << escape(result_.round) << "</h1>\n";
        std::string material = round_.material.code;
        if (round_.material.name) material += " (" + *round_.material.name + ")";
        note(out_, material + ", " + round_.material.lot_tonnes.to_string() + " t per lot; prices in " +
                       result_.currency + ".", "sub");
        headline();
        curves();
        blocs();
        origins();
        if (result_.has_places) places();
        awards();
        bids();
        offers();
        out_ << "<footer>Written by jpclear " << version
             << ". The result JSON (jpclear clear --out) is the authoritative record; this page is for reading. "
                "It needs no network and no script.</footer>\n</main>\n</body>\n</html>\n";
    }

private:
    std::string price(const std::optional<Decimal>& p) const { return p ? p->to_string(digits_) : ""; }
    std::string money(const Decimal& d) const { return d.to_string(digits_) + " " + result_.currency; }
    std::string on_grid(std::int64_t ticks) const {
        return (Decimal::integer(ticks) * market_.tick).to_string(digits_);
    }

    void headline() {
        const bool uniform = round_.rules.pricing == PricingRule::uniform;
        out_ << "<div class=\"cards\">\n";
        std::string optimality = to_string(result_.optimality);
        if (result_.optimality == Optimality::limit && result_.bound)
            optimality += " (welfare bound " + money(*result_.bound) + ")";
        card(out_, "status", to_string(result_.status), "optimality: " + optimality, to_string(result_.status));
        std::string rule = uniform ? "uniform, k " + round_.rules.k.to_string() : "pay-as-bid, pooled mean of asks";
        if (result_.has_places) rule += "; the mean buyers pay across places";
        card(out_, "clearing price", result_.clearing_price ? price(result_.clearing_price) + per_tonne_ : "none",
             rule);
        std::string interval = result_.has_places ? "per place" : "none", why;
        if (result_.price_low && result_.price_high && *result_.price_low == *result_.price_high) {
            interval = price(result_.price_low) + per_tonne_;
            why = "the only price that meets the rules";
        } else if (result_.price_low && result_.price_high) {
            interval = price(result_.price_low) + " .. " + price(result_.price_high);
            why = result_.currency + "/t: every price in it meets the rules";
        }
        card(out_, "price interval", interval, why);
        card(out_, "cleared", std::to_string(result_.cleared_lots.count) + " lots",
             result_.cleared_tonnes.to_string() + " t");
        card(out_, "welfare", money(result_.welfare), "buyers' plus suppliers' surplus");
        card(out_, "buyer surplus", money(result_.buyer_surplus), "limits minus prices paid");
        card(out_, "supplier surplus", money(result_.supplier_surplus), "prices received minus asks");
        if (!uniform) card(out_, "rounding residual", money(result_.rounding_residual), "collected by rounding up");
        if (result_.has_places) card(out_, "freight", money(result_.freight_cost), "paid on the routes used");
        card(out_, "orders",
             std::to_string(lines_.count(true)) + " bids, " + std::to_string(lines_.count(false)) + " offers",
             std::to_string(result_.awards.size()) + " awards");
        out_ << "</div>\n";
    }

    void curves() {
        out_ << "<h2>Demand and supply</h2>\n";
        const report::CurvesPicture picture =
            report::curves_picture(round_, market_, result_, limits_.max_curve_steps);
        out_ << "<figure>" << picture.svg << "</figure>\n";
        for (const std::string& n : picture.notes) note(out_, n);
    }

    void blocs() {
        out_ << "<h2>Blocs</h2>\n<figure>" << report::blocs_picture(result_) << "</figure>\n";
        Table t(out_, {{"bloc"}, {"bids", true}, {"requested lots", true}, {"filled lots", true},
                       {"cost (" + result_.currency + ")", true}, {"buyer surplus (" + result_.currency + ")", true}});
        for (const auto& [bloc, b] : result_.blocs)
            t.row({bloc, number(b.bids), number(b.requested.count), number(b.filled.count),
                   number(b.cost.to_string(digits_)), number(b.buyer_surplus.to_string(digits_))});
    }

    void origins() {
        out_ << "<h2>Origins</h2>\n<figure>" << report::origins_picture(result_) << "</figure>\n";
        if (round_.rules.max_origin_share)
            note(out_, "No origin may supply more than " + round_.rules.max_origin_share->to_string() +
                           " of the cleared lots (max_origin_share); the red line marks it.");
        Table t(out_, {{"origin"}, {"lots", true}, {"share", true}, {"cap", true}, {"cap lots", true},
                       {"supplier surplus (" + result_.currency + ")", true}});
        for (const auto& [origin, o] : result_.origins)
            t.row({origin, number(o.lots.count), number(o.share.to_string(6)),
                   number(o.cap ? o.cap->to_string() : "-"),
                   number(o.cap_lots ? std::to_string(o.cap_lots->count) : "-"),
                   number(o.supplier_surplus.to_string(digits_))});
    }

    void places() {
        out_ << "<h2>Places</h2>\n";
        note(out_, "Each delivery place has its own price (spec section 10): buyers pay their place's price, and "
                   "prices differ by freight and by the rents of full routes.");
        {
            Table t(out_, {{"place"}, {"price (" + result_.currency + "/t)", true}, {"interval", true},
                           {"bought lots", true}, {"sold lots", true}});
            for (const auto& [id, p] : result_.places) {
                const std::string interval =
                    p.price_low && p.price_high ? price(p.price_low) + " .. " + price(p.price_high) : "-";
                t.row({id, number(p.price ? price(p.price) : "-"), number(interval), number(p.bought.count),
                       number(p.sold.count)});
            }
        }
        Table t(out_, {{"route"}, {"lots", true}, {"capacity", true}, {"freight (" + result_.currency + "/t)", true},
                       {"rent (" + result_.currency + "/t)", true}, {"status"}});
        for (const RouteResult& r : result_.routes)
            t.row({r.from + " \xE2\x86\x92 " + r.to, number(r.lots.count),
                   number(r.capacity ? std::to_string(r.capacity->count) : "-"), number(r.freight.to_string(digits_)),
                   number(r.rent.to_string(digits_)), r.full ? Cell("full", "limit") : Cell("")});
    }

    void awards() {
        out_ << "<h2>Awards</h2>\n";
        note(out_, "Who delivers to whom: accepted bids from the highest limit, accepted offers from the lowest ask, "
                   "filled front to front (spec section 7). The price is what the supplier receives per tonne.");
        const std::size_t shown = std::min(result_.awards.size(), limits_.max_table_rows);
        {
            Table t(out_, {{"bid"}, {"buyer"}, {"offer"}, {"supplier"}, {"origin"}, {"lots", true},
                           {"price (" + result_.currency + "/t)", true}});
            for (std::size_t i = 0; i < shown; ++i) {
                const Award& a = result_.awards[i];
                const Bid& b = round_.bids[a.bid.value];
                const Offer& o = round_.offers[a.offer.value];
                t.row({Cell(b.id, "id"), b.buyer, Cell(o.id, "id"), o.supplier, o.origin, number(a.lots.count),
                       number(a.price.to_string(digits_))});
            }
        }
        left_out(out_, shown, result_.awards.size(), "awards");
    }

    Cell status(const OrderResult& r) const { return {to_string(r.status), to_string(r.status)}; }

    void bids() {
        out_ << "<h2>Bids</h2>\n";
        note(out_, std::to_string(lines_.count(true)) + " bids: " + status_counts(lines_, false) +
                       ". The limit on the grid is the limit in " + result_.currency +
                       ", rounded down to the tick, as the clearing sees it.");
        const std::size_t shown = std::min(lines_.count(true), limits_.max_table_rows);
        {
            std::vector<Column> columns = {{"id"}, {"buyer"}, {"bloc"}};
            if (result_.has_places) columns.push_back({"delivery"});
            columns.insert(columns.end(), {{"lots", true}, {"min lots", true}, {"limit", true},
                                           {"on the grid (" + result_.currency + "/t)", true}, {"status"},
                                           {"filled", true}, {"price", true}, {"reason"}});
            Table t(out_, columns);
            for (std::size_t i = 0; i < shown; ++i) {
                const OrderResult r = lines_.line(true, i);
                const Bid& b = round_.bids[r.order.value];
                std::vector<Cell> cells = {Cell(b.id, "id"), b.buyer, b.bloc};
                if (result_.has_places) cells.emplace_back(b.delivery.value_or("-"));
                cells.insert(cells.end(), {number(b.lots), number(b.min_lots),
                                           number(b.limit.to_string() + " " + b.currency.value_or(round_.currency)),
                                           number(on_grid(market_.bid_price[r.order.value])), status(r),
                                           number(r.filled.count), number(price(r.price)), Cell(reason_text(result_, r), "reason")});
                t.row(cells);
            }
        }
        left_out(out_, shown, lines_.count(true), "bids");
    }

    void offers() {
        out_ << "<h2>Offers</h2>\n";
        note(out_, std::to_string(lines_.count(false)) + " offers: " + status_counts(lines_, true) +
                       ". The ask on the grid is the ask in " + result_.currency +
                       ", rounded up to the tick; ineligible offers are not converted.");
        // Eligible offers' grid prices, by position in the round.
        std::vector<std::optional<std::int64_t>> ask(round_.offers.size());
        for (std::size_t k = 0; k < market_.offer_count(); ++k) ask[market_.offer_input[k]] = market_.offer_price[k];
        const std::size_t shown = std::min(lines_.count(false), limits_.max_table_rows);
        {
            std::vector<Column> columns = {{"id"}, {"supplier"}, {"origin"}};
            if (result_.has_places) columns.push_back({"port"});
            columns.insert(columns.end(), {{"certified"}, {"lots", true}, {"min lots", true}, {"ask", true},
                                           {"on the grid (" + result_.currency + "/t)", true}, {"status"},
                                           {"filled", true}, {"price", true}, {"reason"}});
            Table t(out_, columns);
            for (std::size_t i = 0; i < shown; ++i) {
                const OrderResult r = lines_.line(false, i);
                const Offer& o = round_.offers[r.order.value];
                std::vector<Cell> cells = {Cell(o.id, "id"), o.supplier, o.origin};
                if (result_.has_places) cells.emplace_back(o.port.value_or("-"));
                const std::optional<std::int64_t>& a = ask[r.order.value];
                cells.insert(cells.end(), {o.certified ? "yes" : "no", number(o.lots), number(o.min_lots),
                                           number(o.ask.to_string() + " " + o.currency.value_or(round_.currency)),
                                           number(a ? on_grid(*a) : "-"), status(r), number(r.filled.count),
                                           number(price(r.price)), Cell(reason_text(result_, r), "reason")});
                t.row(cells);
            }
        }
        left_out(out_, shown, lines_.count(false), "offers");
    }

    std::ostream& out_;
    const Round& round_;
    const Result& result_;  // the totals; the order lines are read through lines_
    const detail::OrderLines& lines_;
    const Market& market_;
    const HtmlReportLimits& limits_;
    int digits_;
    std::string per_tonne_;
};

}  // namespace

void write_html_report(std::ostream& out, const Round& round, const Result& result, const HtmlReportLimits& limits) {
    const Prepared prepared = prepare(round);
    const detail::OrderLines lines(result);
    Page(out, round, lines, prepared.book, limits).write();
}

void write_html_report(std::ostream& out, const Round& round, const StreamedResult& result,
                       const HtmlReportLimits& limits) {
    const detail::OrderLines lines(result);
    Page(out, round, lines, result.market(), limits).write();  // the book it was cleared on: not prepared twice
}

}  // namespace jpclear
