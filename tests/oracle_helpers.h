#pragma once
// What the two CBC oracle tests share (test_oracle.cpp for one-place rounds,
// test_places_oracle.cpp for rounds with places): order and round builders,
// the random prices of their sweeps, and money from tick-lots. The places
// test wraps the builders to add delivery places, ports and logistics.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "splitmix.h"
#include "sweep.h"

#include "jpclear/clearing/market.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/round.h"

namespace jpclear::oracle_test {

inline constexpr std::int64_t kTimeLimitMs = 20'000;  // per CBC run; these MIPs take milliseconds

/// The random sweeps' round counts, scaled by JPCLEAR_SWEEP_PERCENT (sweep.h).
inline int rounds(int full) { return jpclear::test::sweep_rounds(full); }

inline Decimal di(std::int64_t v) { return Decimal::integer(v); }

/// Tick-lots as money: ticks * tick * lot_tonnes.
inline Decimal money(const Market& m, int128 tick_lots) {
    return Decimal::from_units(tick_lots, 0) * m.tick * m.lot_tonnes;
}

inline jpclear::Bid bid(std::string id, std::int64_t lots, Decimal limit, std::int64_t min_lots = 0,
                        std::optional<std::string> currency = std::nullopt, std::string bloc = "EU") {
    jpclear::Bid b;
    b.buyer = "buyer " + id;
    b.id = std::move(id);
    b.bloc = std::move(bloc);
    b.lots = lots;
    b.min_lots = min_lots;
    b.limit = limit;
    b.currency = std::move(currency);
    return b;
}

inline jpclear::Offer offer(std::string id, std::string origin, std::int64_t lots, Decimal ask,
                            std::int64_t min_lots = 0, std::optional<std::string> currency = std::nullopt,
                            bool certified = true) {
    jpclear::Offer o;
    o.supplier = "supplier " + id;
    o.id = std::move(id);
    o.origin = std::move(origin);
    o.lots = lots;
    o.min_lots = min_lots;
    o.ask = ask;
    o.currency = std::move(currency);
    o.certified = certified;
    return o;
}

/// A round with the conformance cases' settings: EUR, 20 t lots, JPY at 0.0061.
inline Round base_round(std::string id) {
    Round r;
    r.id = std::move(id);
    r.currency = "EUR";
    r.material.code = "LI2CO3";
    r.material.lot_tonnes = dec("20");
    r.fx["JPY"] = dec("0.0061");
    return r;
}

/// A round in whole units: tick 1 and 1 t lots, so ticks = prices and
/// tick-lots = money. For the hand-made rounds.
inline Round unit_round(std::string id) {
    Round r = base_round(std::move(id));
    r.material.lot_tonnes = dec("1");
    r.rules.tick = dec("1");
    return r;
}

/// A EUR amount in cents: `base` + `step` * level, sometimes a few cents off
/// so that not every price sits on the grid.
inline std::int64_t grid_cents(test::Rng& rng, std::int64_t base, std::int64_t step, std::int64_t level) {
    std::int64_t cents = (base + step * level) * 100;
    if (rng.percent(15)) cents += rng.range(-3, 3);
    return cents;
}

/// The same value in JPY at 0.0061 (= 61/10000), rounded to the yen cent and
/// sometimes nudged, so that after floor/ceil onto the tick it ties with the
/// EUR value or misses it by a tick.
inline Decimal as_jpy(test::Rng& rng, std::int64_t eur_cents) {
    std::int64_t jpy_cents = (eur_cents * 10000 + 30) / 61;
    if (rng.percent(30)) jpy_cents += rng.range(-2, 2);
    return Decimal::from_units(std::max<std::int64_t>(jpy_cents, 0), 2);
}

/// "[ 1 2 3 ]", for failure messages.
inline std::string fills(const std::vector<std::int64_t>& v) {
    std::string s = "[";
    for (auto x : v) s += " " + std::to_string(x);
    return s + " ]";
}

/// A conformance case's expected optimum.
struct Expected {
    std::int64_t cleared_lots;
    const char* welfare;  // money, as in expected.json
};

}  // namespace jpclear::oracle_test
