#pragma once
// A welfare bound that knows the origin cap (issue 12): the LP relaxation of
// the capped round over a range of candidate prices.
//
// Why. Without it the block search bounds a price by "every order in the money
// trades in full", clamped by the uncapped relaxed market: under a binding cap
// that is the welfare without the cap, so a search stopped by a limit reported
// a gap of several per cent that was only the cost of the cap, and could never
// prove an incumbent optimal by its bound.
//
// Relaxation R[lo, hi]. Take every allocation supported by some price p in
// [lo, hi] (spec 5, rules 1-4). Its traded bids have P >= p >= lo and its
// traded offers A <= p <= hi. Drop the lot rules of blocks (a fill may be any
// amount in [0, lots], fractional too), rule 4(b)/(c), and relax the cap
// floor(s V) to s V. What is left is the LP
//     max  sum P x - sum A y
//     s.t. 0 <= x_b <= L_b for bids with P >= lo, x_b = 0 otherwise,
//          0 <= y_o <= L_o for offers with A <= hi, y_o = 0 otherwise,
//          sum x = sum y = V,   sum_{o of origin c} y_o <= s V for every c.
// Every allocation of the range is feasible for it with the same objective
// (welfare is sum P x - sum A y whatever the price), so its optimum bounds
// theirs; welfare of an allocation is an integer (tick-lots), so the floor of
// the LP optimum does too. With lo = -inf and hi = +inf it bounds the round.
//
// Solving it. Fix V. The best demand side buys the V dearest lots: D(V), the
// prefix sum of bids by descending P, concave in V. The cheapest supply side
// takes the cheapest lots, skipping an origin once it sells s V: the
// capacities (each order, each origin) are laminar, so they define a
// polymatroid, over which the greedy is optimal for a linear cost (Edmonds);
// this is C(V). C is convex on the V it admits: it is the value of a
// minimising LP whose right-hand side (V, s V, ...) is linear in V, and an
// LP's value is convex in its right-hand side. The admitted V are those with
// sum_c min(S_c, s V) >= V (S_c: origin c's lots in range), a concave function
// minus V, hence an interval [0, Vf]. So g(V) = D(V) - C(V) is concave on
// [0, Vf], and over the integers its maximum is at the first V whose step
// g(V + 1) - g(V) is not positive: a binary search. (Allocations have integer
// V, so the integer maximum suffices.) Everything is kept exact by counting
// lots in units of 1/den, s = num / den.
//
// Cost. O(n log n) set-up; a bound costs O(log Vf * origins * log^2 n).

#include <algorithm>
#include <cstdint>
#include <limits>
#include <queue>
#include <vector>

#include "jpclear/clearing/order_book.h"
#include "jpclear/model/decimal.h"

namespace jpclear::detail {

class CapRelaxation {
public:
    explicit CapRelaxation(const OrderBook& book) {
        if (book.max_origin_share) {
            num_ = book.max_origin_share->coefficient();
            den_ = pow10(book.max_origin_share->scale());
        }
        std::vector<std::uint32_t> bids(book.bid_count());
        for (std::uint32_t b = 0; b < bids.size(); ++b) bids[b] = b;
        std::sort(bids.begin(), bids.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return book.bid_price[a] > book.bid_price[b]; });
        bid_lots_.push_back(0);
        bid_value_.push_back(0);
        for (std::uint32_t b : bids) {
            bid_price_.push_back(book.bid_price[b]);
            bid_lots_.push_back(bid_lots_.back() + book.bid_lots[b]);
            bid_value_.push_back(checked_add(bid_value_.back(),
                                             checked_mul(book.bid_price[b], book.bid_lots[b])));
        }
        std::vector<std::uint32_t> offers(book.offer_count());
        for (std::uint32_t o = 0; o < offers.size(); ++o) offers[o] = o;
        std::sort(offers.begin(), offers.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return book.offer_price[a] < book.offer_price[b]; });
        origins_.resize(book.origins.size());
        for (Origin& c : origins_) {
            c.lots.push_back(0);
            c.value.push_back(0);
        }
        for (std::uint32_t o : offers) {
            Origin& c = origins_[book.offer_origin[o]];
            c.ask.push_back(book.offer_price[o]);
            c.lots.push_back(c.lots.back() + book.offer_lots[o]);
            c.value.push_back(checked_add(c.value.back(), checked_mul(book.offer_price[o], book.offer_lots[o])));
            if (asks_.empty() || asks_.back() != book.offer_price[o]) asks_.push_back(book.offer_price[o]);
        }
    }

    /// floor of the optimum of R[lo, hi]: no allocation supported by a price
    /// in [lo, hi] has more welfare. 0 when the range admits no trade (no
    /// trade has welfare 0 and is then the only allocation left).
    int128 bound(std::int64_t lo, std::int64_t hi) const {
        Range r = range(lo, hi);
        return floor_div(scaled_value(r, best_volume(r)), den_);
    }

    /// Where the optimum of R[lo, hi] cuts each side, for a primal heuristic
    /// (block_search.h's dive): bids priced above `bid_marginal` are taken in
    /// full, at it in part or not at all, below it not at all; an offer of
    /// origin c likewise against `ask_marginal[c]` (from below). An origin
    /// taking nothing has ask_marginal = the least int64, a side with V = 0
    /// the extremes. `threshold` is the greedy's ask t (origins not cut take
    /// everything below it) and `cut[c]` says origin c stopped at its cap
    /// s V instead: with them, block_search.h prices the cap rows (its node
    /// bound). No claim beyond that: the caller checks what it builds.
    struct Solution {
        std::int64_t volume = 0;
        std::int64_t bid_marginal = std::numeric_limits<std::int64_t>::max();
        std::int64_t threshold = std::numeric_limits<std::int64_t>::min();
        std::int64_t most_volume = 0;  ///< the largest integer V the range's capped supply admits

        std::vector<std::int64_t> ask_marginal;
        std::vector<char> cut;
    };
    Solution solution(std::int64_t lo, std::int64_t hi) const {
        Range r = range(lo, hi);
        Solution sol;
        sol.ask_marginal.assign(origins_.size(), std::numeric_limits<std::int64_t>::min());
        sol.cut.assign(origins_.size(), 0);
        const std::int64_t v = best_volume(r);
        sol.volume = v;
        sol.most_volume = largest_volume(r);
        if (v == 0) return sol;
        // The bid holding the V-th dearest lot (the last one with lots before it < V).
        const auto k = static_cast<std::size_t>(
            std::lower_bound(bid_lots_.begin(), bid_lots_.begin() + static_cast<std::ptrdiff_t>(r.bids) + 1, v) -
            bid_lots_.begin()) - 1;
        sol.bid_marginal = bid_price_[k];
        // The supply greedy of scaled_cost(): the threshold ask t, and each
        // origin cut at its cap or taking all below t (then t is its margin).
        const std::int64_t t = threshold_ask(r, v);
        sol.threshold = t;
        const int128 cap = cap_units(v);
        for (std::size_t c = 0; c < origins_.size(); ++c) {
            const Origin& o = origins_[c];
            const auto end = o.ask.begin() + static_cast<std::ptrdiff_t>(r.offers[c]);
            const auto below = static_cast<std::size_t>(std::lower_bound(o.ask.begin(), end, t) - o.ask.begin());
            const int128 units = checked_mul(o.lots[below], den());
            if (den_ != 0 && units > cap) {
                // Cut: its cheapest cap / den lots; the offer holding the last one.
                const auto j = static_cast<std::size_t>(
                    std::lower_bound(o.lots.begin(), o.lots.end(), cap,
                                     [this](int128 lots, int128 u) { return lots * den() < u; }) -
                    o.lots.begin());
                if (j > 0) sol.ask_marginal[c] = o.ask[j - 1];
                sol.cut[c] = 1;
            } else {
                sol.ask_marginal[c] = t;
            }
        }
        return sol;
    }

    /// R over every price: a bound on the whole round, but a loose one: it
    /// may buy bids below the asks it sells, which no uniform price allows.
    int128 bound() const {
        return bound(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
    }

    /// A bound on max over p in `prices` (ascending, distinct) of R[p, p]:
    /// the best of every allocation supported by one of those prices.
    ///
    /// R[p, p] for each of 10^4 prices would cost seconds, so this is a
    /// best-first search over runs of the prices: a run [p_i, p_j] is bounded
    /// by R[p_i, p_j], which is at least each R[p, p] inside it (a wider range
    /// only adds orders to the LP). The run with the highest bound is split in
    /// two until it is a single price, whose R is then the maximum. After
    /// `budget` relaxations the highest bound left is returned: still a bound.
    int128 best_over(const std::vector<std::int64_t>& prices, int budget = 256) const {
        if (prices.empty()) return 0;
        struct Run {
            int128 bound;
            std::size_t first, last;
            bool operator<(const Run& o) const { return bound < o.bound; }
        };
        std::priority_queue<Run> runs;
        runs.push({bound(prices.front(), prices.back()), 0, prices.size() - 1});
        for (int spent = 1; spent < budget; spent += 2) {
            const Run top = runs.top();
            if (top.first == top.last) break;
            runs.pop();
            const std::size_t mid = top.first + (top.last - top.first) / 2;
            runs.push({bound(prices[top.first], prices[mid]), top.first, mid});
            runs.push({bound(prices[mid + 1], prices[top.last]), mid + 1, top.last});
        }
        return std::max<int128>(0, runs.top().bound);  // no trade (welfare 0) is always allowed
    }

private:
    struct Origin {
        std::vector<std::int64_t> ask;  // ascending
        std::vector<int128> lots;       // prefix sums: lots[k] = lots of the k cheapest
        std::vector<int128> value;      // prefix sums of ask * lots
    };
    // The orders in range: the `bids` dearest bids (`demand` lots), and of
    // origin c its `offers[c]` cheapest offers.
    struct Range {
        std::size_t bids = 0;
        std::vector<std::size_t> offers;
        std::size_t asks = 0;  // distinct asks <= hi
        int128 demand = 0;
    };

    Range range(std::int64_t lo, std::int64_t hi) const {
        Range r;
        r.bids = static_cast<std::size_t>(
            std::partition_point(bid_price_.begin(), bid_price_.end(), [lo](std::int64_t P) { return P >= lo; }) -
            bid_price_.begin());
        r.demand = bid_lots_[r.bids];
        r.offers.resize(origins_.size());
        for (std::size_t c = 0; c < origins_.size(); ++c) r.offers[c] = count_upto(origins_[c].ask, hi);
        r.asks = count_upto(asks_, hi);
        return r;
    }
    static std::size_t count_upto(const std::vector<std::int64_t>& ascending, std::int64_t t) {
        return static_cast<std::size_t>(std::upper_bound(ascending.begin(), ascending.end(), t) -
                                        ascending.begin());
    }

    // Cap of an origin at V, in 1/den lots: s V = num V / den.
    int128 cap_units(std::int64_t v) const { return den_ == 0 ? 0 : checked_mul(num_, v); }
    int128 den() const { return den_ == 0 ? 1 : den_; }
    // `lots` of one origin, in units, cut to its cap.
    int128 capped_units(int128 lots, int128 cap) const {
        const int128 units = checked_mul(lots, den());
        return den_ == 0 ? units : std::min(units, cap);
    }

    // The integer V maximising g: g is concave on [0, vf], so the first V
    // whose step is not positive is the integer maximum (the steps do not grow).
    std::int64_t best_volume(const Range& r) const {
        std::int64_t a = 0, b = largest_volume(r);
        while (a < b) {
            const std::int64_t mid = a + (b - a) / 2;
            if (scaled_value(r, mid + 1) - scaled_value(r, mid) > 0)
                a = mid + 1;
            else
                b = mid;
        }
        return a;
    }

    // The largest V that demand and the capped supply of the range admit.
    std::int64_t largest_volume(const Range& r) const {
        int128 supply = 0;
        for (std::size_t c = 0; c < origins_.size(); ++c) supply += origins_[c].lots[r.offers[c]];
        std::int64_t a = 0, b = static_cast<std::int64_t>(std::min(r.demand, supply));
        if (den_ == 0) return b;
        auto admits = [&](std::int64_t v) {
            const int128 cap = cap_units(v);
            int128 units = 0;
            for (std::size_t c = 0; c < origins_.size(); ++c)
                units += capped_units(origins_[c].lots[r.offers[c]], cap);
            return units >= checked_mul(v, den());
        };
        while (a < b) {  // admits() holds on [0, Vf] only (see the file comment)
            const std::int64_t mid = b - (b - a) / 2;
            if (admits(mid))
                a = mid;
            else
                b = mid - 1;
        }
        return a;
    }

    // den * g(V) = den * (D(V) - C(V)), exact; V must be admitted.
    int128 scaled_value(const Range& r, std::int64_t v) const {
        return checked_sub(checked_mul(demand_value(r, v), den()), scaled_cost(r, v));
    }

    // D(V): the V dearest lots in range.
    int128 demand_value(const Range& r, std::int64_t v) const {
        const auto end = bid_lots_.begin() + static_cast<std::ptrdiff_t>(r.bids) + 1;
        const auto k = static_cast<std::size_t>(std::upper_bound(bid_lots_.begin(), end, v) - bid_lots_.begin()) - 1;
        if (k >= r.bids) return bid_value_[k];
        return checked_add(bid_value_[k], checked_mul(bid_price_[k], v - bid_lots_[k]));
    }

    // den * C(V): the greedy. Find the least ask t at which the capped supply
    // reaches V; take everything capped below t, the rest at t.
    int128 scaled_cost(const Range& r, std::int64_t v) const {
        const int128 want = checked_mul(v, den()), cap = cap_units(v);
        if (want == 0) return 0;
        const std::int64_t t = threshold_ask(r, v);
        int128 cost = 0, taken = 0;
        for (std::size_t c = 0; c < origins_.size(); ++c) {
            const Origin& o = origins_[c];
            const auto end = o.ask.begin() + static_cast<std::ptrdiff_t>(r.offers[c]);
            const auto k = static_cast<std::size_t>(std::lower_bound(o.ask.begin(), end, t) - o.ask.begin());
            const int128 units = capped_units(o.lots[k], cap);
            cost = checked_add(cost, cheapest_units(o, units));
            taken += units;
        }
        return checked_add(cost, checked_mul(t, want - taken));
    }

    // The least ask t at which the capped supply of the range reaches V > 0.
    std::int64_t threshold_ask(const Range& r, std::int64_t v) const {
        const int128 want = checked_mul(v, den()), cap = cap_units(v);
        auto supply_upto = [&](std::int64_t t, bool or_equal) {
            int128 units = 0;
            for (std::size_t c = 0; c < origins_.size(); ++c) {
                const Origin& o = origins_[c];
                const auto end = o.ask.begin() + static_cast<std::ptrdiff_t>(r.offers[c]);
                const auto k = static_cast<std::size_t>(
                    (or_equal ? std::upper_bound(o.ask.begin(), end, t) : std::lower_bound(o.ask.begin(), end, t)) -
                    o.ask.begin());
                units += capped_units(o.lots[k], cap);
            }
            return units;
        };
        std::size_t a = 0, b = r.asks - 1;  // V is admitted, so the last ask in range reaches it
        while (a < b) {
            const std::size_t mid = a + (b - a) / 2;
            if (supply_upto(asks_[mid], true) >= want)
                b = mid;
            else
                a = mid + 1;
        }
        return asks_[a];
    }

    // den * the cost of origin c's cheapest `units` / den lots.
    int128 cheapest_units(const Origin& o, int128 units) const {
        const int128 d = den();
        // The last k with d * lots[k] <= units.
        const auto k = static_cast<std::size_t>(
            std::upper_bound(o.lots.begin(), o.lots.end(), units,
                             [d](int128 u, int128 lots) { return u < lots * d; }) -
            o.lots.begin()) - 1;
        const int128 full = checked_mul(o.value[k], d);
        if (k + 1 >= o.lots.size()) return full;
        return checked_add(full, checked_mul(o.ask[k], units - o.lots[k] * d));
    }

    int128 num_ = 0, den_ = 0;  // den_ == 0: no cap
    std::vector<std::int64_t> bid_price_;  // descending
    std::vector<int128> bid_lots_, bid_value_;  // prefix sums by descending price
    std::vector<Origin> origins_;
    std::vector<std::int64_t> asks_;  // distinct asks, ascending
};

}  // namespace jpclear::detail
