// write_result_csv(): the result's tables for a spreadsheet (see io.h).
//
// Every number is the exact decimal text of the JSON result (with the decimal
// mark of the style); nothing goes through binary floating point, so a
// spreadsheet sees the same figures an auditor reads in the JSON.

#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "jpclear/io.h"
#include "report/order_lines.h"

namespace jpclear {

namespace {

class CsvOut {
public:
    CsvOut(std::ostream& out, const CsvStyle& style) : out_(out), style_(style) {}

    CsvOut& text(std::string_view cell) {
        sep();
        const bool formula = !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@');
        bool quote = formula;
        for (char c : cell)
            if (c == style_.separator || c == '"' || c == '\n' || c == '\r') quote = true;
        if (!cell.empty() && (cell.front() == ' ' || cell.back() == ' ')) quote = true;
        if (!quote) {
            out_ << cell;
            return *this;
        }
        out_ << '"';
        if (formula) out_ << '\'';
        for (char c : cell) {
            if (c == '"') out_ << '"';
            out_ << c;
        }
        out_ << '"';
        return *this;
    }
    CsvOut& num(std::int64_t n) {
        sep();
        out_ << n;
        return *this;
    }
    CsvOut& dec(const Decimal& d, int digits = 0) {
        sep();
        std::string t = d.to_string(digits);
        if (style_.decimal_mark != '.')
            for (char& c : t)
                if (c == '.') c = style_.decimal_mark;
        out_ << t;
        return *this;
    }
    CsvOut& dec(const std::optional<Decimal>& d, int digits = 0) {
        if (d) return dec(*d, digits);
        return empty();
    }
    CsvOut& empty() {
        sep();
        return *this;
    }
    CsvOut& texts(std::initializer_list<std::string_view> cells) {
        for (std::string_view c : cells) text(c);
        return *this;
    }
    CsvOut& end() {
        out_ << "\r\n";  // RFC 4180, and what Excel writes
        first_ = true;
        return *this;
    }

private:
    void sep() {
        if (!first_) out_ << style_.separator;
        first_ = false;
    }
    std::ostream& out_;
    CsvStyle style_;
    bool first_ = true;
};

void bids(CsvOut& csv, const Round& round, const detail::OrderLines& lines) {
    const Result& r = lines.totals();
    const int d = r.price_digits;
    csv.texts({"id", "buyer", "bloc", "lots", "min_lots", "limit", "currency"});
    if (r.has_places) csv.text("delivery");
    csv.texts({"filled_lots", "status", "price", "reason_code", "reason"}).end();
    lines.each(true, [&](const OrderResult& o) {
        const Bid& b = round.bids[o.order.value];
        csv.text(b.id).text(b.buyer).text(b.bloc).num(b.lots).num(b.min_lots).dec(b.limit);
        csv.text(b.currency.value_or(round.currency));
        if (r.has_places) csv.text(b.delivery.value_or(""));
        csv.num(o.filled.count).text(to_string(o.status)).dec(o.price, d);
        csv.text(o.reason_code == ReasonCode::none ? "" : to_string(o.reason_code)).text(reason_text(r, o)).end();
    });
}

void offers(CsvOut& csv, const Round& round, const detail::OrderLines& lines) {
    const Result& r = lines.totals();
    const int d = r.price_digits;
    csv.texts({"id", "supplier", "origin", "lots", "min_lots", "ask", "currency", "certified"});
    if (r.has_places) csv.text("port");
    csv.texts({"filled_lots", "status", "price", "reason_code", "reason"}).end();
    lines.each(false, [&](const OrderResult& o) {
        const Offer& f = round.offers[o.order.value];
        csv.text(f.id).text(f.supplier).text(f.origin).num(f.lots).num(f.min_lots).dec(f.ask);
        csv.text(f.currency.value_or(round.currency)).text(f.certified ? "true" : "false");
        if (r.has_places) csv.text(f.port.value_or(""));
        csv.num(o.filled.count).text(to_string(o.status)).dec(o.price, d);
        csv.text(o.reason_code == ReasonCode::none ? "" : to_string(o.reason_code)).text(reason_text(r, o)).end();
    });
}

// An award's amount is what its supplier receives: price x lots x lot size.
void awards(CsvOut& csv, const Round& round, const Result& r) {
    const int d = r.price_digits;
    csv.texts({"bid", "buyer", "bloc", "offer", "supplier", "origin"});
    if (r.has_places) csv.texts({"from", "to"});
    csv.texts({"lots", "tonnes", "price", "amount"}).end();
    for (const Award& a : r.awards) {
        const Bid& b = round.bids[a.bid.value];
        const Offer& f = round.offers[a.offer.value];
        csv.text(b.id).text(b.buyer).text(b.bloc).text(f.id).text(f.supplier).text(f.origin);
        if (r.has_places) csv.text(f.port.value_or("")).text(b.delivery.value_or(""));
        const Decimal tonnes = Decimal::integer(a.lots.count) * round.material.lot_tonnes;
        csv.num(a.lots.count).dec(tonnes).dec(a.price, d).dec(a.price * tonnes, d).end();
    }
}

void blocs(CsvOut& csv, const Result& r) {
    const int d = r.price_digits;
    csv.texts({"bloc", "bids", "requested_lots", "filled_lots", "cost", "buyer_surplus"}).end();
    for (const auto& [code, t] : r.blocs)
        csv.text(code).num(t.bids).num(t.requested.count).num(t.filled.count).dec(t.cost, d).dec(t.buyer_surplus, d).end();
}

void origins(CsvOut& csv, const Result& r) {
    const int d = r.price_digits;
    csv.texts({"origin", "lots", "share", "cap", "cap_lots", "at_cap", "supplier_surplus"}).end();
    for (const auto& [code, t] : r.origins) {
        csv.text(code).num(t.lots.count).dec(t.share, 6).dec(t.cap);
        if (t.cap_lots)
            csv.num(t.cap_lots->count).text(t.lots == *t.cap_lots && t.lots.count > 0 ? "true" : "false");
        else
            csv.empty().empty();
        csv.dec(t.supplier_surplus, d).end();
    }
}

void places(CsvOut& csv, const Result& r) {
    const int d = r.price_digits;
    csv.texts({"place", "price", "price_low", "price_high", "bought_lots", "sold_lots"}).end();
    for (const auto& [id, p] : r.places)
        csv.text(id).dec(p.price, d).dec(p.price_low, d).dec(p.price_high, d).num(p.bought.count).num(p.sold.count).end();
}

void routes(CsvOut& csv, const Result& r) {
    const int d = r.price_digits;
    csv.texts({"from", "to", "lots", "capacity_lots", "freight", "rent", "full"}).end();
    for (const RouteResult& x : r.routes) {
        csv.text(x.from).text(x.to).num(x.lots.count);
        if (x.capacity)
            csv.num(x.capacity->count);
        else
            csv.empty();
        csv.dec(x.freight, d).dec(x.rent, d).text(x.full ? "true" : "false").end();
    }
}

}  // namespace

std::vector<CsvTable> csv_tables(const Result& result) {
    std::vector<CsvTable> t = {CsvTable::bids, CsvTable::offers, CsvTable::awards, CsvTable::blocs, CsvTable::origins};
    if (result.has_places) {
        t.push_back(CsvTable::places);
        t.push_back(CsvTable::routes);
    }
    return t;
}

const char* csv_file_name(CsvTable table) {
    switch (table) {
        case CsvTable::bids: return "bids.csv";
        case CsvTable::offers: return "offers.csv";
        case CsvTable::awards: return "awards.csv";
        case CsvTable::blocs: return "blocs.csv";
        case CsvTable::origins: return "origins.csv";
        case CsvTable::places: return "places.csv";
        case CsvTable::routes: return "routes.csv";
    }
    return "?";
}

namespace {

void write_table(std::ostream& out, CsvTable table, const Round& round, const detail::OrderLines& lines,
                 const CsvStyle& style) {
    const Result& result = lines.totals();
    CsvOut csv(out, style);
    switch (table) {
        case CsvTable::bids: bids(csv, round, lines); break;
        case CsvTable::offers: offers(csv, round, lines); break;
        case CsvTable::awards: awards(csv, round, result); break;
        case CsvTable::blocs: blocs(csv, result); break;
        case CsvTable::origins: origins(csv, result); break;
        case CsvTable::places: places(csv, result); break;
        case CsvTable::routes: routes(csv, result); break;
    }
}

}  // namespace

void write_result_csv(std::ostream& out, CsvTable table, const Round& round, const Result& result,
                      const CsvStyle& style) {
    write_table(out, table, round, detail::OrderLines(result), style);
}

void write_result_csv(std::ostream& out, CsvTable table, const Round& round, const StreamedResult& result,
                      const CsvStyle& style) {
    write_table(out, table, round, detail::OrderLines(result), style);
}

}  // namespace jpclear
