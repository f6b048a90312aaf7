// The sweep as a CSV table: one row per variant, columns fixed by the base
// round (its blocs and origins) and the swept settings.

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "jpclear/sweep.h"

namespace jpclear {
namespace {

// RFC 4180: a cell with a comma, a quote or a line break goes in quotes,
// its quotes doubled. Bloc names and problem messages can hold any of them.
std::string cell(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void write_line(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << cell(cells[i]);
    out << '\n';
}

// Blocs and origins come from the round's orders, not from a result, so
// every row has the same columns whatever a variant excludes or fails on.
struct Columns {
    std::set<std::string> blocs, origins;
    bool places = false;
};

Columns columns_of(const Round& round) {
    Columns c;
    for (const Bid& b : round.bids) c.blocs.insert(b.bloc.str());
    for (const Offer& o : round.offers) c.origins.insert(o.origin.str());
    c.places = round.logistics.has_value();
    return c;
}

std::vector<std::string> header(const Columns& c, const std::vector<SweepAxis>& axes) {
    std::vector<std::string> h{"variant"};
    for (const SweepAxis& a : axes) h.push_back(a.name);
    for (const char* name : {"status", "optimality", "clearing_price", "cleared_lots", "cleared_tonnes", "welfare",
                             "buyer_surplus", "supplier_surplus"})
        h.emplace_back(name);
    if (c.places) h.emplace_back("freight_cost");
    for (const std::string& bloc : c.blocs) h.push_back("buyer_surplus." + bloc);
    for (const std::string& origin : c.origins) h.push_back("share." + origin);
    for (const char* name : {"welfare_change", "buyer_surplus_change", "supplier_surplus_change"}) h.emplace_back(name);
    for (const std::string& bloc : c.blocs) h.push_back("buyer_surplus_change." + bloc);
    h.emplace_back("problem");
    return h;
}

Decimal bloc_surplus(const Result& r, const std::string& bloc) {
    auto it = r.blocs.find(bloc);
    return it == r.blocs.end() ? Decimal{} : it->second.buyer_surplus;
}

// `width` is the header's: cells a row cannot fill (an invalid variant's
// result, changes against an invalid base) are left empty.
std::vector<std::string> row_cells(const Columns& c, std::size_t width, const std::string& name, const SweepRow& row,
                                   const SweepRow& base) {
    std::vector<std::string> cells{name};
    cells.insert(cells.end(), row.values.begin(), row.values.end());
    if (!row.result) {
        cells.emplace_back("invalid");
        cells.resize(width - 1);
        std::string problems;
        for (const Problem& p : row.problems) problems += (problems.empty() ? "" : "; ") + p.to_string();
        cells.push_back(problems);
        return cells;
    }
    const Result& r = *row.result;
    const auto money = [&](const Decimal& d) { return d.to_string(r.price_digits); };
    cells.emplace_back(to_string(r.status));
    cells.emplace_back(to_string(r.optimality));
    cells.push_back(r.clearing_price ? r.clearing_price->to_string(r.price_digits) : "");
    cells.push_back(std::to_string(r.cleared_lots.count));
    cells.push_back(r.cleared_tonnes.to_string());
    cells.push_back(money(r.welfare));
    cells.push_back(money(r.buyer_surplus));
    cells.push_back(money(r.supplier_surplus));
    if (c.places) cells.push_back(money(r.freight_cost));
    for (const std::string& bloc : c.blocs) cells.push_back(money(bloc_surplus(r, bloc)));
    for (const std::string& origin : c.origins) {
        auto it = r.origins.find(origin);
        // An origin a variant makes ineligible is not listed; it sold nothing.
        cells.push_back(it == r.origins.end() ? Decimal{}.to_string(6) : it->second.share.to_string(6));
    }
    if (base.result) {
        const Result& b = *base.result;
        cells.push_back(money(r.welfare - b.welfare));
        cells.push_back(money(r.buyer_surplus - b.buyer_surplus));
        cells.push_back(money(r.supplier_surplus - b.supplier_surplus));
        for (const std::string& bloc : c.blocs) cells.push_back(money(bloc_surplus(r, bloc) - bloc_surplus(b, bloc)));
    }
    cells.resize(width);
    return cells;
}

}  // namespace

void write_sweep_csv(std::ostream& out, const Round& base, const std::vector<SweepAxis>& axes, const SweepRun& run) {
    const Columns columns = columns_of(base);
    const std::vector<std::string> names = header(columns, axes);
    write_line(out, names);
    write_line(out, row_cells(columns, names.size(), "base", run.base, run.base));
    for (std::size_t i = 0; i < run.variants.size(); ++i)
        write_line(out, row_cells(columns, names.size(), std::to_string(i + 1), run.variants[i], run.base));
}

}  // namespace jpclear
