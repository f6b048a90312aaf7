#pragma once
// Plausibility warnings: a round that is valid but probably not what its
// owner meant (an inverted exchange rate, a price a hundred times its
// neighbours, an origin cap that cannot do anything or forbids all trade).
//
// A warning never changes the result: clear() does not look at these. The
// command line prints them on stderr, and `--strict` refuses a round that has
// any. Every figure is exact: prices are compared as the clearing compares
// them, converted onto the tick grid (to_ticks()), medians are order
// statistics (no averaging), and ratios are quotients of whole tick counts.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/detail/wide.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/round.h"

namespace jpclear {

enum class WarningKind {
    fx_rate,           ///< a currency's prices convert far from the others': an inverted or mistyped rate
    price_outlier,     ///< a limit or ask far from the median of its side: a typo, a misplaced decimal mark
    cap_cannot_bind,   ///< `max_origin_share` of 1: no share is above it
    cap_forbids_trade, ///< `max_origin_share` so small that no allocation meets it but no trade
};

inline const char* to_string(WarningKind k) {
    switch (k) {
        case WarningKind::fx_rate: return "fx-rate";
        case WarningKind::price_outlier: return "price-outlier";
        case WarningKind::cap_cannot_bind: return "cap-cannot-bind";
        case WarningKind::cap_forbids_trade: return "cap-forbids-trade";
    }
    return "?";
}

/// Something valid but implausible, named by the path of its field like a
/// Problem: `fx.JPY`, `bids[3].limit`, `rules.max_origin_share`.
struct Warning {
    WarningKind kind;
    std::string path;
    std::string message;  ///< one line: what looks wrong, the figures, what was probably meant

    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

using Warnings = std::vector<Warning>;

struct PlausibilityOptions {
    /// How far apart (as a ratio, both ways) prices must be to be implausible.
    std::int64_t factor = 10;
    /// Price outliers named one by one; the rest are counted in one more warning per side.
    std::size_t max_price_warnings = 5;
};

namespace detail {

inline std::string money(std::int64_t ticks, const Decimal& tick, const std::string& currency) {
    return (Decimal::integer(ticks) * tick).to_string(2) + " " + currency;
}

// 1 / rate to 4 significant digits (round half up), or nullopt beyond the
// digits a rate can have.
inline std::optional<Decimal> inverse(const Decimal& rate) {
    if (rate.sign() <= 0) return std::nullopt;
    const int128 c = rate.coefficient();
    for (int k = 0; rate.scale() + k <= 38; ++k) {
        const int128 n = pow10(rate.scale() + k);
        if (n / c >= 1000) return Decimal::from_units((n + c / 2) / c, k);
    }
    return std::nullopt;
}

// "about 26587 times" / "about 1/120 of": how `a` compares to `b` (both > 0 ticks, or a = 0).
inline std::string ratio_words(std::int64_t a, std::int64_t b) {
    if (a >= b) return "about " + std::to_string(a / b) + " times";
    if (a == 0) return "almost nothing beside";
    return "about 1/" + std::to_string(b / a) + " of";
}

}  // namespace detail

/// Warnings about `round`, in this order: exchange rates, price outliers
/// (bids, then offers), the origin cap. Meant for rounds validate() accepts;
/// on others it says what it can and skips the rest (an order without a
/// rate, a price that does not convert), and it never throws on values.
///
/// - fx rate: for each currency other than the clearing currency with a
///   rate, the median of its orders' positive limits and asks, converted,
///   against the median of the positive prices written in the clearing
///   currency; `factor` times apart either way is a warning on `fx.CODE`,
///   which says whether 1/rate would bring the two together (the inverted
///   rate). Without orders in the clearing currency nothing is compared.
/// - price outliers: on each side with at least 3 positive prices (orders
///   in a currency already warned about left out), a price at least
///   `factor` times the side's median, or at most 1/`factor` of it. An ask
///   of 0 is taken as "at any price" and never warned about.
/// - the cap: `rules.max_origin_share` of 1 cannot bind; a share s such
///   that s x (origins with eligible lots) < 1, or s x (the most lots that
///   could trade) < 1, allows no trade at all.
inline Warnings plausibility_warnings(const Round& round, const PlausibilityOptions& options = {}) {
    Warnings out;
    const Decimal& tick = round.rules.tick;
    const int128 factor = std::max<std::int64_t>(options.factor, 2);
    const Decimal one = Decimal::integer(1);
    // Within the digits a valid round allows (and so to_ticks() can convert).
    auto plain = [](const Decimal& d) {
        static constexpr auto limits = [] {
            std::array<int128, 11> l{};
            for (int s = 0; s <= 10; ++s) l[static_cast<std::size_t>(s)] = detail::pow10(12 + s);
            return l;
        }();
        return d.sign() > 0 && d.scale() <= 10 && d.coefficient() < limits[static_cast<std::size_t>(d.scale())];
    };
    const bool grid = plain(tick);

    // Every order's price converted once, as the clearing converts it (bids
    // down, asks up), grouped by currency. Few currencies: a short list.
    struct Currency {
        std::string_view code;
        const Decimal* rate;  // null: no usable rate, its orders are not judged
        std::size_t priced = 0;
        bool flagged = false;
    };
    std::vector<Currency> currencies;
    currencies.push_back({round.currency, &one, 0, false});
    const std::size_t bid_count = round.bids.size(), orders = bid_count + round.offers.size();
    std::vector<std::int64_t> ticks(grid ? orders : 0, -1);
    std::vector<std::uint32_t> currency_of(grid ? orders : 0, 0);
    auto currency_index = [&](const std::optional<Text>& code) -> std::size_t {
        if (!code || *code == round.currency) return 0;
        for (std::size_t c = 1; c < currencies.size(); ++c)
            if (currencies[c].code == *code) return c;
        auto it = round.fx.find(code->str());
        const Decimal* rate = it != round.fx.end() && plain(it->second) ? &it->second : nullptr;
        currencies.push_back({code->view(), rate, 0, false});
        return currencies.size() - 1;
    };
    auto price_of = [&](std::size_t order) -> const Decimal& {
        return order < bid_count ? round.bids[order].limit : round.offers[order - bid_count].ask;
    };
    if (grid) {
        for (std::size_t k = 0; k < orders; ++k) {
            const bool bid = k < bid_count;
            const Decimal& price = price_of(k);
            if (!plain(price)) continue;  // an ask of 0 among them: "at any price"
            const std::size_t c = currency_index(bid ? round.bids[k].currency : round.offers[k - bid_count].currency);
            currency_of[k] = static_cast<std::uint32_t>(c);
            if (!currencies[c].rate) continue;
            if (std::optional<std::int64_t> t = to_ticks(price, *currencies[c].rate, tick, !bid)) {
                ticks[k] = *t;
                ++currencies[c].priced;
            }
        }
    }
    // Lower median of the converted prices of the orders `take` accepts.
    // Reserved whole (only what is written is touched): grown by doubling, the
    // old and new lists were both held, 16 MB at 10^6 orders on the thread
    // the command line runs this on beside the clearing.
    std::vector<std::int64_t> scratch;
    scratch.reserve(ticks.size());
    auto median_where = [&](std::size_t first, std::size_t last, auto&& take) -> std::optional<std::int64_t> {
        scratch.clear();
        for (std::size_t k = first; k < last; ++k)
            if (ticks[k] >= 0 && take(k)) scratch.push_back(ticks[k]);
        if (scratch.empty()) return std::nullopt;
        auto mid = scratch.begin() + static_cast<std::ptrdiff_t>((scratch.size() - 1) / 2);
        std::nth_element(scratch.begin(), mid, scratch.end());
        return *mid;
    };
    auto within = [&](int128 a, int128 b) { return a < b * factor && a * factor > b; };

    // --- exchange rates ---
    if (grid && currencies.size() > 1 && currencies[0].priced > 0) {
        const std::int64_t ref = *median_where(0, orders, [&](std::size_t k) { return currency_of[k] == 0; });
        for (std::size_t c = 1; c < currencies.size(); ++c) {
            Currency& cur = currencies[c];
            if (cur.priced == 0 || ref <= 0) continue;
            auto mine = [&](std::size_t k) { return currency_of[k] == c; };
            const std::int64_t converted = *median_where(0, orders, mine);
            if (within(converted, ref)) continue;
            std::size_t order = 0;
            while (!(ticks[order] == converted && mine(order))) ++order;
            const std::string code(cur.code);
            const Decimal& rate = *cur.rate;
            const Decimal& median = price_of(order);
            std::string message = rate.to_string() + " " + round.currency + " per " + code + " makes the " + code +
                                  " prices " + detail::ratio_words(converted, ref) + " those in " + round.currency +
                                  ": their median " + median.to_string() + " " + code + " converts to " +
                                  detail::money(converted, tick, round.currency) + ", the median in " +
                                  round.currency + " is " + detail::money(ref, tick, round.currency);
            const std::optional<Decimal> inv = detail::inverse(rate);
            const std::optional<std::int64_t> fixed =
                inv && plain(*inv) ? to_ticks(median, *inv, tick, false) : std::optional<std::int64_t>();
            if (fixed && within(*fixed, ref))
                message += "; is the rate inverted? 1/" + rate.to_string() + " = " + inv->to_string() +
                           " would make it " + detail::money(*fixed, tick, round.currency);
            else
                message += "; check the rate (the value of one " + code + " in " + round.currency + ")";
            out.push_back({WarningKind::fx_rate, "fx." + code, std::move(message)});
            cur.flagged = true;
        }
    }

    // --- price outliers ---
    if (grid) {
        for (const bool bid : {true, false}) {
            const std::size_t first = bid ? 0 : bid_count, last = bid ? bid_count : orders;
            const std::optional<std::int64_t> found =
                median_where(first, last, [&](std::size_t k) { return !currencies[currency_of[k]].flagged; });
            if (!found || scratch.size() < 3 || *found <= 0) continue;
            const std::int64_t median = *found;
            const char* field = bid ? "limit" : "ask";
            const char* list = bid ? "bids" : "offers";
            std::size_t named = 0, more = 0;
            for (std::size_t k = first; k < last; ++k) {
                if (ticks[k] < 0 || currencies[currency_of[k]].flagged || within(ticks[k], median)) continue;
                if (named == options.max_price_warnings) {
                    ++more;
                    continue;
                }
                ++named;
                const std::string code(currencies[currency_of[k]].code);
                std::string written = price_of(k).to_string() + " " + code;
                if (code != round.currency) written += " (" + detail::money(ticks[k], tick, round.currency) + ")";
                out.push_back({WarningKind::price_outlier,
                               std::string(list) + "[" + std::to_string(k - first) + "]." + field,
                               written + " is " + detail::ratio_words(ticks[k], median) + " the median " + field +
                                   " of the " + list + " (" + detail::money(median, tick, round.currency) +
                                   "); a typo or a misplaced decimal mark?"});
            }
            if (more > 0)
                out.push_back({WarningKind::price_outlier, list,
                               std::to_string(more) + " more " + list + " have a " + field + " at least " +
                                   std::to_string(static_cast<std::int64_t>(factor)) +
                                   " times above or below the median (" +
                                   detail::money(median, tick, round.currency) + "); the first " +
                                   std::to_string(named) + " are named above"});
        }
    }

    // --- the origin cap ---
    if (const std::optional<Decimal>& s = round.rules.max_origin_share;
        s && s->sign() > 0 && s->scale() <= 10 && *s <= one) {
        if (*s == one) {
            out.push_back({WarningKind::cap_cannot_bind, "rules.max_origin_share",
                           "1 cannot bind: no origin's share is ever above 1; leave it out for no cap, or give the "
                           "share meant (0.65 for 65%)"});
        } else {
            const std::set<std::string, std::less<>> excluded(round.rules.excluded_origins.begin(),
                                                 round.rules.excluded_origins.end());
            std::set<std::string_view> origins;
            int128 supply = 0, demand = 0;
            for (const Offer& o : round.offers) {
                if (o.lots <= 0 || excluded.count(o.origin.view()) || (round.rules.require_certified && !o.certified))
                    continue;
                origins.insert(o.origin);
                supply += o.lots;
            }
            for (const Bid& b : round.bids)
                if (b.lots > 0) demand += b.lots;
            const int128 most = std::min(supply, demand);
            auto list = [&] {
                std::string names;
                std::size_t shown = 0;
                for (std::string_view o : origins) {
                    if (shown++ == 4) return names + ", ...";
                    names.append(names.empty() ? "" : ", ").append(o);
                }
                return names;
            };
            const Decimal k = Decimal::integer(static_cast<std::int64_t>(origins.size()));
            if (!origins.empty() && *s * k < one) {
                out.push_back({WarningKind::cap_forbids_trade, "rules.max_origin_share",
                               s->to_string() + " allows no trade: only " + std::to_string(origins.size()) +
                                   (origins.size() == 1 ? " origin has" : " origins have") + " eligible lots (" +
                                   list() + "), and " + std::to_string(origins.size()) + " x " + s->to_string() +
                                   " = " + (*s * k).to_string() +
                                   " < 1 of the volume; the round will clear no trade"});
            } else if (most > 0 && most <= INT64_MAX &&
                       *s * Decimal::integer(static_cast<std::int64_t>(most)) < one) {
                out.push_back({WarningKind::cap_forbids_trade, "rules.max_origin_share",
                               s->to_string() + " allows no trade: at most " +
                                   std::to_string(static_cast<std::int64_t>(most)) +
                                   " lots can trade, and a share of " + s->to_string() +
                                   " of them is less than one lot; the round will clear no trade"});
            }
        }
    }
    return out;
}

}  // namespace jpclear
