#pragma once
// Field-by-field comparison of two rounds, for the tests and the fuzz target
// that hold the fast JSON reader to the careful one. It names the first field
// that differs, so a failure says where the readers disagree.

#include <optional>
#include <string>
#include <vector>

#include "jpclear/model/round.h"

namespace jpclear::testing {

namespace round_equal_detail {

inline std::string text(const std::string& s) { return s; }
inline std::string text(const Text& s) { return s.str(); }
inline std::string text(const Decimal& d) { return d.to_string() + " (scale " + std::to_string(d.scale()) + ")"; }
inline std::string text(bool b) { return b ? "true" : "false"; }
inline std::string text(std::int64_t v) { return std::to_string(v); }
inline std::string text(PricingRule r) { return to_string(r); }
template <class T>
std::string text(const std::optional<T>& v) {
    return v ? text(*v) : "(absent)";
}

class Comparer {
public:
    template <class T>
    void field(const std::string& path, const T& a, const T& b) {
        if (!(a == b) && first_.empty()) first_ = path + ": " + text(a) + " vs " + text(b);
    }
    template <class T, class Each>
    void list(const std::string& path, const std::vector<T>& a, const std::vector<T>& b, Each each) {
        if (a.size() != b.size()) {
            field(path + ".size", static_cast<std::int64_t>(a.size()), static_cast<std::int64_t>(b.size()));
            return;
        }
        for (std::size_t i = 0; i < a.size() && first_.empty(); ++i)
            each(path + "[" + std::to_string(i) + "]", a[i], b[i]);
    }
    const std::string& first() const { return first_; }

private:
    std::string first_;
};

}  // namespace round_equal_detail

/// Empty when `a` and `b` are equal in every field, else the first field
/// that differs with both values.
inline std::string round_difference(const Round& a, const Round& b) {
    round_equal_detail::Comparer c;
    c.field("format", a.format, b.format);
    c.field("round", a.id, b.id);
    c.field("material.code", a.material.code, b.material.code);
    c.field("material.name", a.material.name, b.material.name);
    c.field("material.lot_tonnes", a.material.lot_tonnes, b.material.lot_tonnes);
    c.field("currency", a.currency, b.currency);
    c.field("fx.size", static_cast<std::int64_t>(a.fx.size()), static_cast<std::int64_t>(b.fx.size()));
    for (auto i = a.fx.begin(), j = b.fx.begin(); i != a.fx.end() && j != b.fx.end(); ++i, ++j) {
        c.field("fx key", i->first, j->first);
        c.field("fx." + i->first, i->second, j->second);
    }
    c.field("rules.pricing.rule", a.rules.pricing, b.rules.pricing);
    c.field("rules.pricing.k", a.rules.k, b.rules.k);
    c.field("rules.tick", a.rules.tick, b.rules.tick);
    c.field("rules.max_origin_share", a.rules.max_origin_share, b.rules.max_origin_share);
    c.list("rules.excluded_origins", a.rules.excluded_origins, b.rules.excluded_origins,
           [&](const std::string& p, const std::string& x, const std::string& y) { c.field(p, x, y); });
    c.field("rules.require_certified", a.rules.require_certified, b.rules.require_certified);
    c.list("bids", a.bids, b.bids, [&](const std::string& p, const Bid& x, const Bid& y) {
        c.field(p + ".id", x.id, y.id);
        c.field(p + ".buyer", x.buyer, y.buyer);
        c.field(p + ".bloc", x.bloc, y.bloc);
        c.field(p + ".lots", x.lots, y.lots);
        c.field(p + ".min_lots", x.min_lots, y.min_lots);
        c.field(p + ".limit", x.limit, y.limit);
        c.field(p + ".currency", x.currency, y.currency);
        c.field(p + ".delivery", x.delivery, y.delivery);
    });
    c.list("offers", a.offers, b.offers, [&](const std::string& p, const Offer& x, const Offer& y) {
        c.field(p + ".id", x.id, y.id);
        c.field(p + ".supplier", x.supplier, y.supplier);
        c.field(p + ".origin", x.origin, y.origin);
        c.field(p + ".lots", x.lots, y.lots);
        c.field(p + ".min_lots", x.min_lots, y.min_lots);
        c.field(p + ".ask", x.ask, y.ask);
        c.field(p + ".currency", x.currency, y.currency);
        c.field(p + ".certified", x.certified, y.certified);
        c.field(p + ".port", x.port, y.port);
    });
    c.field("logistics", std::optional<bool>(a.logistics.has_value()), std::optional<bool>(b.logistics.has_value()));
    if (a.logistics && b.logistics)
        c.list("logistics.routes", a.logistics->routes, b.logistics->routes,
               [&](const std::string& p, const Route& x, const Route& y) {
                   c.field(p + ".from", x.from, y.from);
                   c.field(p + ".to", x.to, y.to);
                   c.field(p + ".freight", x.freight, y.freight);
                   c.field(p + ".currency", x.currency, y.currency);
                   c.field(p + ".capacity_lots", x.capacity_lots, y.capacity_lots);
               });
    return c.first();
}

}  // namespace jpclear::testing
