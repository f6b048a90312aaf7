// summary_table(): the short plain-text report behind `jpclear clear --summary`.
//
// Meant for a terminal and for pasting into mails, so: ASCII only (bytes of
// the input outside printable ASCII are written as \xNN, which also keeps the
// columns aligned), fixed column order, every number in exact decimal text.
// The authoritative output stays the result JSON; nothing here is parsed back.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "jpclear/io.h"
#include "report/order_lines.h"

namespace jpclear {

namespace {

std::string printable(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F) {
            out += c;
        } else {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out;
}

// A table of left-aligned words and right-aligned numbers: `align` has an
// 'l' or 'r' per column, and by default only the first column is words. An
// empty row stands for a rule under the data.
class Table {
public:
    explicit Table(std::vector<std::string> header, std::string align = "")
        : header_(std::move(header)), align_(std::move(align)) {
        if (align_.empty()) {
            align_.assign(header_.size(), 'r');
            if (!align_.empty()) align_[0] = 'l';
        }
    }

    void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
    void rule() { rows_.emplace_back(); }

    void write(std::ostringstream& out) const {
        std::vector<std::size_t> width(header_.size(), 0);
        auto measure = [&](const std::vector<std::string>& cells) {
            for (std::size_t c = 0; c < cells.size() && c < width.size(); ++c)
                if (cells[c].size() > width[c]) width[c] = cells[c].size();
        };
        measure(header_);
        for (const auto& r : rows_) measure(r);

        auto line = [&](const std::vector<std::string>& cells) {
            std::string text = "  ";
            for (std::size_t c = 0; c < width.size(); ++c) {
                const std::string& cell = c < cells.size() ? cells[c] : empty_;
                const std::string pad(width[c] - cell.size(), ' ');
                if (c > 0) text += "  ";
                const bool left = align_[c] == 'l';
                text += left ? cell + pad : pad + cell;
            }
            // Trailing blanks of a short last cell would only confuse diffs.
            while (!text.empty() && text.back() == ' ') text.pop_back();
            out << text << '\n';
        };
        auto dashes = [&] {
            std::vector<std::string> cells;
            for (std::size_t w : width) cells.emplace_back(w, '-');
            line(cells);
        };
        line(header_);
        dashes();
        for (const auto& r : rows_) {
            if (r.empty())
                dashes();
            else
                line(r);
        }
    }

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    std::string align_;
    const std::string empty_;
};

void field(std::ostringstream& out, std::string_view label, const std::string& value) {
    constexpr std::size_t label_width = 16;
    out << label << std::string(label.size() < label_width ? label_width - label.size() : 1, ' ') << value << '\n';
}

struct StatusCounts {
    std::int64_t filled = 0, partial = 0, rejected = 0, ineligible = 0;
};

StatusCounts count(const detail::OrderLines& lines, bool bids) {
    StatusCounts n;
    lines.each(bids, [&](const OrderResult& o) {
        switch (o.status) {
            case FillStatus::filled: ++n.filled; break;
            case FillStatus::partial: ++n.partial; break;
            case FillStatus::rejected: ++n.rejected; break;
            case FillStatus::ineligible: ++n.ineligible; break;
        }
    });
    return n;
}

// Spec 10: each place's price and volume, and each route's lots, freight and
// congestion rent, so a buyer can see why lots went where they went.
void write_places(std::ostringstream& out, const Result& result, const std::string& currency) {
    const int digits = result.price_digits;
    out << "\nplaces\n";
    Table places({"place", "price (" + currency + "/t)", "interval", "bought lots", "sold lots"});
    for (const auto& [id, p] : result.places) {
        std::string interval = "-";
        if (p.price_low && p.price_high)
            interval = p.price_low->to_string(digits) + " .. " + p.price_high->to_string(digits);
        places.row({printable(id), p.price ? p.price->to_string(digits) : "-", interval,
                    std::to_string(p.bought.count), std::to_string(p.sold.count)});
    }
    places.write(out);

    out << "\nroutes\n";
    Table routes({"route", "lots", "capacity", "freight (" + currency + "/t)", "rent (" + currency + "/t)", "status"});
    bool any_full = false;
    for (const RouteResult& r : result.routes) {
        any_full = any_full || r.full;
        routes.row({printable(r.from) + " -> " + printable(r.to), std::to_string(r.lots.count),
                    r.capacity ? std::to_string(r.capacity->count) : "-", r.freight.to_string(digits),
                    r.rent.to_string(digits), r.full ? "full" : ""});
    }
    routes.write(out);
    if (any_full)
        out << "  full: the route carries its whole capacity; its rent is the price at its end minus the\n"
               "  price at its start minus its freight, and cheaper lots could not come that way\n";
}

bool matches(const std::string& match, std::string_view id, std::string_view who) {
    return match.empty() || id.find(match) != std::string_view::npos || who.find(match) != std::string_view::npos;
}

// One side's orders in input order, at most options.order_rows of those that
// match; the reason is the last column so long sentences do not push the
// numbers apart.
void write_orders(std::ostringstream& out, const Round& round, const detail::OrderLines& lines,
                  const SummaryOptions& options, bool bids) {
    const Result& result = lines.totals();
    const int digits = result.price_digits;
    out << (bids ? "\nbids\n" : "\noffers\n");
    Table table({"id", bids ? "buyer" : "supplier", bids ? "bloc" : "origin", "filled/lots",
                 "price (" + printable(result.currency) + "/t)", "status", "reason"},
                "lllrrll");
    std::uint64_t shown = 0, matching = 0;
    lines.each(bids, [&](const OrderResult& o) {
        const std::size_t i = o.order.value;
        const Text& who = bids ? round.bids[i].buyer : round.offers[i].supplier;
        if (!matches(options.match, o.id, who)) return;
        ++matching;
        if (options.order_rows != 0 && shown == options.order_rows) return;
        ++shown;
        const std::int64_t lots = bids ? round.bids[i].lots : round.offers[i].lots;
        table.row({printable(o.id), printable(who), printable(bids ? round.bids[i].bloc : round.offers[i].origin),
                   std::to_string(o.filled.count) + "/" + std::to_string(lots),
                   o.price ? o.price->to_string(digits) : "-", to_string(o.status), printable(reason_text(result, o))});
    });
    if (shown == 0) {
        out << "  (no " << (bids ? "bid" : "offer") << (options.match.empty() ? "" : " matches \"" + printable(options.match) + "\"")
            << ")\n";
        return;
    }
    table.write(out);
    if (shown < matching)
        out << "  ... " << matching - shown << " more (--summary-rows 0 shows all; --csv-out writes every order)\n";
}

std::string summary_of(const Round& round, const detail::OrderLines& lines, const SummaryOptions& options) {
    const Result& result = lines.totals();
    const int digits = result.price_digits;
    const std::string currency = printable(result.currency);
    const bool uniform = round.rules.pricing == PricingRule::uniform;
    std::ostringstream out;

    field(out, "round", printable(result.round));
    field(out, "material",
          printable(round.material.code) + ", " + round.material.lot_tonnes.to_string() + " t per lot");
    field(out, "status", to_string(result.status));

    std::string rule = uniform ? "uniform, k " + round.rules.k.to_string() : "pay-as-bid, pooled mean of asks";
    // With places (spec 10) buyers pay their place's price; the clearing
    // price is their mean, and pay-as-bid pools freight with the asks.
    if (result.has_places)
        rule = uniform ? "uniform per place, k " + round.rules.k.to_string() + "; mean paid by buyers"
                       : "pay-as-bid, pooled mean of asks and freight";
    if (result.clearing_price) {
        std::string price = result.clearing_price->to_string(digits) + " " + currency + "/t (" + rule;
        if (!uniform) price += ", rounding residual " + result.rounding_residual.to_string(digits) + " " + currency;
        field(out, "clearing price", price + ")");
    } else {
        field(out, "clearing price", "none (" + rule + ")");
    }
    if (result.price_low && result.price_high)
        field(out, "price interval", result.price_low->to_string(digits) + " .. " +
                                         result.price_high->to_string(digits) + " " + currency + "/t");
    else
        field(out, "price interval", result.has_places ? "per place, see places" : "none");
    field(out, "cleared",
          std::to_string(result.cleared_lots.count) + " lots, " + result.cleared_tonnes.to_string() + " t");
    if (result.has_places) field(out, "freight", result.freight_cost.to_string(digits) + " " + currency);
    field(out, "welfare", result.welfare.to_string(digits) + " " + currency + " (buyers " +
                              result.buyer_surplus.to_string(digits) + ", suppliers " +
                              result.supplier_surplus.to_string(digits) + ")");
    std::string optimality = to_string(result.optimality);
    if (result.optimality == Optimality::limit && result.bound)
        optimality += " (welfare bound " + result.bound->to_string(digits) + " " + currency + ")";
    field(out, "optimality", optimality);

    out << "\nblocs\n";
    Table blocs({"bloc", "bids", "requested lots", "filled lots", "cost (" + currency + ")",
                 "buyer surplus (" + currency + ")"});
    BlocTotals all;
    for (const auto& [code, t] : result.blocs) {
        blocs.row({printable(code), std::to_string(t.bids), std::to_string(t.requested.count),
                   std::to_string(t.filled.count), t.cost.to_string(digits), t.buyer_surplus.to_string(digits)});
        all.bids += t.bids;
        all.requested += t.requested;
        all.filled += t.filled;
        all.cost = all.cost + t.cost;
        all.buyer_surplus = all.buyer_surplus + t.buyer_surplus;
    }
    blocs.rule();
    blocs.row({"all", std::to_string(all.bids), std::to_string(all.requested.count), std::to_string(all.filled.count),
               all.cost.to_string(digits), all.buyer_surplus.to_string(digits)});
    blocs.write(out);

    out << "\norigins\n";
    bool capped = false;
    for (const auto& entry : result.origins) capped = capped || entry.second.cap.has_value();
    std::vector<std::string> header = {"origin", "lots", "share", "supplier surplus (" + currency + ")"};
    if (capped) header.push_back("cap");
    Table origins(std::move(header));
    for (const auto& [code, t] : result.origins) {
        std::vector<std::string> cells = {printable(code), std::to_string(t.lots.count), t.share.to_string(6),
                                          t.supplier_surplus.to_string(digits)};
        if (capped) {
            std::string cap = t.cap ? t.cap->to_string() : "-";
            if (t.cap_lots) cap += " (max " + std::to_string(t.cap_lots->count) + " lots)";
            if (t.cap_lots && t.lots == *t.cap_lots && t.lots.count > 0) cap += ", at cap";
            cells.push_back(cap);
        }
        origins.row(std::move(cells));
    }
    origins.write(out);

    if (result.has_places) write_places(out, result, currency);

    out << "\norders\n";
    Table orders({"side", "filled", "partial", "rejected", "ineligible"});
    const StatusCounts b = count(lines, true), o = count(lines, false);
    // Only offers can be ineligible (spec 3); a 0 for bids would suggest otherwise.
    orders.row({"bids", std::to_string(b.filled), std::to_string(b.partial), std::to_string(b.rejected), "-"});
    orders.row({"offers", std::to_string(o.filled), std::to_string(o.partial), std::to_string(o.rejected),
                std::to_string(o.ineligible)});
    orders.write(out);
    if (options.orders) {
        write_orders(out, round, lines, options, true);
        write_orders(out, round, lines, options, false);
    }
    return out.str();
}

}  // namespace

std::string summary_table(const Round& round, const Result& result, const SummaryOptions& options) {
    return summary_of(round, detail::OrderLines(result), options);
}

std::string summary_table(const Round& round, const StreamedResult& result, const SummaryOptions& options) {
    return summary_of(round, detail::OrderLines(result), options);
}

}  // namespace jpclear
