#pragma once
// Exact clearing with blocks and origin caps (spec sections 4 and 5).
//
// Problem. As in convex.h, plus: an order with min_lots > 0 trades 0 or at
// least min_lots (a block; all-or-none when min_lots = lots), no origin may
// sell more than K = floor(s V) lots, and the allocation must admit one
// uniform price p meeting 4(a)-(c), where a rejected block and an offer of an
// origin at its cap are exempt from 4(b)/(c). Maximise welfare, then V. This
// is a mixed-integer problem; the answer here is the exact optimum.
//
// Algorithm. Every feasible allocation is supported by the low end of its
// price interval, which is an order price. So the search runs over candidate
// prices p, and for each solves FP(p), the best allocation that p supports.
// Fixing p fixes almost everything (P and A are prices in ticks):
//   bids   P > p: divisible ones buy in full; blocks buy in full or nothing
//          P = p: anything their lot rules allow;  P < p: nothing
//   offers A < p: divisible ones sell in full unless their origin is at its
//          cap; blocks all or nothing (cut to >= min_lots at the cap)
//          A = p: anything allowed;                A > p: nothing
// and, since sum x = sum y, welfare = sum (P - p) x + sum (p - A) y, to which
// orders at p add nothing. FP(p) is then a branch-and-bound over the in/out
// decisions of the blocks, most valuable first, bounded by the value of the
// blocks still open and by whether demand and supply can still meet. Each
// leaf is completed exactly: with a cap, welfare only grows with V (a larger
// V lifts the cap), so the largest V that demand, supply and the caps admit
// is the best one, found by a downward scan that jumps over infeasible V.
// With a cap, a new incumbent is improved at once by one-block flips
// (improve_incumbent()); the search then goes on from its own path. Also
// with a cap, before its first search each price is dived (dive()): the
// blocks the cap relaxation's LP solution at p takes (cap_bound.h), rounded
// out and then in, are completed exactly and offered as incumbents. Without
// it the search within a price was the weak point under a binding cap: it
// filled the cap with the first blocks by value and ended at the node limit
// 1-3 % below the bound on 10^4-order rounds; with it most such rounds are
// proven in well under a second (docs/blocks-and-caps.md, section 3.5).
// Candidate prices are ordered from the crossing of the relaxed market (all
// blocks divisible, no cap) outwards, and a price is skipped when even every
// order in the money at it could not beat the incumbent, or when its
// must-trade orders cannot be matched. With a cap, the LP relaxation of
// cap_bound.h (blocks divisible, each origin at most s V) bounds the round,
// each price before any search, and every node of it; the prices are then
// searched best bound first. The search over prices widens iteratively: each
// open price gets kFirstBudget nodes, and prices whose FP(p) outgrows its
// budget are searched again from scratch in rounds of twice the budget, so
// that no price takes the node limit from the others (issue 12). A price is
// closed when its FP(p) is searched to the end or its bound falls to the
// incumbent: a search that ends without a limit is exact.
//
// Complexity. O(n log n) set-up; O(n log n) per price set up, plus the search
// over that price's b blocks, which is exponential in the worst case (the
// problem is NP-hard) and bounded by Options::node_limit / time_limit_ms. A
// node costs O(origins + log b): the decisions are kept as sums changed one
// block at a time (reset_decisions()), and with a cap the node bound prices
// the cap with the LP's duals in O(1) (price_cap_duals()). Without blocks
// and caps clear() never comes here: convex.h is the fast path.
//
// Limits. They bound the whole search, not only its nodes: the clock is read
// before each price's bound, the node limit and the clock before each set-up, a set-up that ends
// without a node is charged one node per 1024 orders, and inside a price the clock is read every
// 1024 nodes or every 2^16 steps of node work, whichever comes first. A
// round whose cap admits no trade at all (round_facts.h) is answered before
// any of it.
//
// Caveats. When a limit stops the search, the result is the best allocation
// found (feasible and price-consistent), reported with optimality `limit`
// and the best welfare bound (with a cap, one that knows the cap). Orders at p share their lots pro rata to size;
// where blocks or caps make that impossible, the split is: a block at p
// first gets its min_lots, then the rest is shared pro rata to each order's
// remaining room, origins at their cap taking no more (deterministic; see
// docs/blocks-and-caps.md). A time limit makes the result depend on the
// machine's speed; the default has none, and the search is single-threaded
// and deterministic.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/cap_bound.h"
#include "jpclear/clearing/convex.h"
#include "jpclear/clearing/limits.h"
#include "jpclear/clearing/lots_tree.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/clearing/pro_rata.h"
#include "jpclear/clearing/round_facts.h"
#include "jpclear/model/result.h"
#include "jpclear/options.h"
#include "jpclear/clearing/support.h"

namespace jpclear {

struct BlockSearchOutcome {
    Allocation allocation;
    Optimality optimality = Optimality::proven;
    int128 bound = 0;            ///< best welfare bound (tick-lots); = welfare when proven
    std::int64_t nodes = 0;      ///< branch-and-bound nodes visited; a price ruled out by its set-up alone counts n / 1024
    std::int64_t prices = 0;     ///< candidate prices whose FP(p) was searched (once each, however many rounds)
};

namespace detail {

/// One block decision of FP(p).
struct BlockItem {
    bool bid;
    bool at_price;       ///< priced exactly at p: trades 0 or [min, lots], adds no welfare
    std::uint32_t order;
    std::uint32_t origin;  ///< offers only
    std::int64_t lots, min;
    int128 value;        ///< (P - p) L or (p - A) L when in, strict blocks only
};

/// The parts of one origin's supply at price p.
struct OriginAtPrice {
    std::int64_t below_lots = 0;       ///< divisible offers with A < p
    int128 below_value = 0;            ///< their sum (p - A) L
    std::vector<std::uint32_t> below;  ///< those offers, by A then id
    std::int64_t at_lots = 0;          ///< divisible offers with A = p
    std::vector<std::uint32_t> at;     ///< those offers
};

struct PriceProblem {
    std::int64_t p = 0;
    std::int64_t forced_demand = 0;      ///< divisible bids with P > p
    int128 forced_demand_value = 0;      ///< their sum (P - p) L
    std::int64_t demand_at = 0;          ///< divisible bids with P = p
    std::vector<std::uint32_t> bids_at;  ///< those bids
    std::vector<OriginAtPrice> origins;
    std::vector<BlockItem> items;        ///< strict blocks by value, then blocks at p
    std::vector<int128> value_after;     ///< sum of item values from i on
    std::vector<std::uint32_t> bids_by_density, offers_by_density;  ///< strict items, least value a lot first
};

/// What a leaf of FP(p) completes to.
struct Completion {
    int128 welfare;
    std::int64_t volume;
};

class BlockSearch {
public:
    BlockSearch(const OrderBook& book, const Options& options)
        : book_(book), options_(options), deadline_(options) {
        if (book.max_origin_share) {
            share_num_ = book.max_origin_share->coefficient();
            share_den_ = pow10(book.max_origin_share->scale());
        }
    }

    BlockSearchOutcome run() {
        if (caps_admit_only_no_trade(book_)) {
            // A whole-round fact (round_facts.h): no trade is the only
            // feasible allocation, hence the proven optimum; no search.
            BlockSearchOutcome out;
            out.allocation = empty_allocation();
            return out;
        }
        prepare_sweeps();
        Allocation fallback = first_incumbent();
        std::vector<std::int64_t> order = candidate_order();
        if (capped() && !relaxed_solution_) {
            // The cap-aware relaxation (cap_bound.h) at the candidate prices:
            // it clamps every bound below, so that a binding cap no longer
            // leaves the uncapped welfare as the bound.
            cap_relaxation_.emplace(book_);
            std::vector<std::int64_t> ascending(order);
            std::sort(ascending.begin(), ascending.end());
            cap_bound_ = cap_relaxation_->best_over(ascending);
        }
        if (relaxed_solution_) {
            // The blocks and caps do not bind: the convex optimum (with its
            // pro-rata split at the price) is feasible, hence optimal.
            BlockSearchOutcome out;
            out.allocation = std::move(*relaxed_solution_);
            out.bound = relaxed_welfare_;
            return out;
        }
        int128 open_bound = 0;  // best bound of prices not searched to the end
        // Prices left open after a limit: their loose bounds' maximum, and
        // the prices, whose cap relaxations best_over() bounds together
        // (not one relaxation per price: they may be 10^4).
        int128 open_loose = 0;
        std::vector<std::int64_t> open_prices;
        bool stopped = false;
        // Best-first with iterative widening (issue 12). First every price
        // is bounded (cheap: no set-up); then, in rounds, each open price is
        // searched with a budget of nodes, from scratch, the highest bound
        // first (with a cap; without one, the loose bounds say little, and
        // the prices keep their order from the relaxed market's price out).
        // The first budget is kFirstBudget nodes, each further round twice
        // the last. One price's depth-first search used to take the whole
        // node limit while the optimum sat at a neighbouring price. Redoing
        // a price costs at most the work of its last round again (the
        // budgets double); a price searched to the end, or whose bound falls
        // to the incumbent, is closed, so a search that ends without a limit
        // is still exact.
        std::vector<Unfinished> unfinished;
        for (std::size_t i = 0; i < order.size(); ++i) {
            const std::int64_t p = order[i];
            int128 ub = loose_bound(p);
            if (stopped) {
                if (!cannot_improve(ub, max_volume(p))) {
                    open_loose = std::max(open_loose, ub);
                    open_prices.push_back(p);
                }
                continue;
            }
            if (at_relaxed_optimum() || cannot_improve(ub, max_volume(p)) || !may_be_feasible(p)) continue;
            if (deadline_.passed()) {
                stopped = true;
                open_bound = std::max(open_bound, ub);
                continue;
            }
            int128 cap_ub = ub;
            if (cap_relaxation_) {
                // The cap relaxation at p alone: O(origins log^3 n), cheaper than
                // the set-up it may save; it also bounds FP(p)'s nodes.
                cap_ub = cap_relaxation_->bound(p, p);
                ub = std::min(ub, cap_ub);
                if (cannot_improve(ub, max_volume(p))) continue;
            }
            unfinished.push_back({p, ub, cap_ub, i});
        }
        if (cap_relaxation_)
            std::stable_sort(unfinished.begin(), unfinished.end(),
                             [](const Unfinished& x, const Unfinished& y) { return x.ub > y.ub; });
        std::int64_t budget = kFirstBudget;
        std::vector<char> searched(order.size(), 0);
        while (!stopped && !unfinished.empty()) {
            std::vector<Unfinished> next;
            for (const Unfinished& u : unfinished) {
                if (stopped) {
                    next.push_back(u);
                    continue;
                }
                if (at_relaxed_optimum() || cannot_improve(u.ub, max_volume(u.p))) continue;
                // Setting up FP(p) is O(n log n) however few nodes it has: a
                // round of 10^4 prices that each fail before their first node
                // took seconds past a time limit checked only between nodes, and
                // past a node limit of 1. So the limits are read before each
                // set-up, and a set-up that ends without a node is charged one
                // node per 1024 orders of the round (search_price): about the
                // work of that many nodes, free on small rounds as before.
                if (nodes_ >= options_.node_limit || deadline_.passed()) {
                    stopped = true;
                    next.push_back(u);
                    continue;
                }
                if (!searched[u.rank]) {
                    searched[u.rank] = 1;
                    ++prices_;
                }
                price_cap_bound_ = u.cap_ub;
                switch (search_price(u.p, budget)) {
                case Search::done: break;
                case Search::budget:
                    next.push_back(u);
                    keep_price_problem();
                    break;
                case Search::limit:
                    stopped = true;
                    next.push_back(u);
                    break;
                }
            }
            unfinished = std::move(next);
            budget = budget > std::numeric_limits<std::int64_t>::max() / 2 ? std::numeric_limits<std::int64_t>::max()
                                                                            : budget * 2;
        }
        // A limit left these prices part-searched: their bounds stay open.
        for (const Unfinished& u : unfinished)
            if (!cannot_improve(u.ub, max_volume(u.p))) open_bound = std::max(open_bound, u.ub);
        if (!open_prices.empty()) {
            std::sort(open_prices.begin(), open_prices.end());
            open_bound = std::max(open_bound, cap_relaxation_ ? std::min(open_loose, cap_relaxation_->best_over(open_prices))
                                                              : open_loose);
        }
        BlockSearchOutcome out;
        out.allocation = best_ ? build(*best_) : std::move(fallback);
        out.nodes = nodes_;
        out.prices = prices_;
        out.optimality = stopped ? Optimality::limit : Optimality::proven;
        out.bound = std::min(std::max(best_welfare_, open_bound), std::max(best_welfare_, relaxed_welfare_));
        if (cap_relaxation_) out.bound = std::min(out.bound, std::max(best_welfare_, cap_bound_));
        return out;
    }

private:
    // A price whose search outgrew its budget, for the next widening round.
    struct Unfinished {
        std::int64_t p;
        int128 ub;           ///< its bound (loose, with the cap relaxation at p)
        int128 cap_ub;       ///< the cap relaxation at p alone (price_cap_bound_)
        std::size_t rank;    ///< place in candidate_order(): ties of ub by it
    };
    // The first round's node budget per price; small enough that a round of
    // hundreds of open prices reaches them all well within the default
    // node limit, large enough that small rounds finish each price in it.
    static constexpr std::int64_t kFirstBudget = 4096;
    enum class Search { done, budget, limit };

    struct Incumbent {
        std::int64_t p;
        std::vector<char> in;  // per item of the price problem
        std::int64_t volume;
    };

    static int128 pow10(int n) { return detail::pow10(n); }

    // A feasible allocation before any search, so that a limit always leaves
    // one: without a cap, the divisible orders cleared alone (every block
    // rejected, which 4(b)/(c) exempt); with a cap, no trade (every origin is
    // then at its cap of 0, which exempts all offers).
    Allocation first_incumbent() {
        if (capped()) return empty_allocation();
        OrderBook divisible = book_;
        for (std::size_t b = 0; b < divisible.bid_count(); ++b)
            if (divisible.bid_min[b] > 0) divisible.bid_lots[b] = 0;
        for (std::size_t o = 0; o < divisible.offer_count(); ++o)
            if (divisible.offer_min[o] > 0) divisible.offer_lots[o] = 0;
        Allocation a = clear_convex(divisible);
        best_volume_ = a.volume;
        best_welfare_ = 0;
        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            best_welfare_ += static_cast<int128>(book_.bid_price[b]) * a.bid_fill[b];
        for (std::size_t o = 0; o < book_.offer_count(); ++o)
            best_welfare_ -= static_cast<int128>(book_.offer_price[o]) * a.offer_fill[o];
        return a;
    }

    std::int64_t cap_lots(std::int64_t volume) const {
        return static_cast<std::int64_t>(share_num_ * volume / share_den_);
    }
    bool capped() const { return share_den_ != 0; }

    // --- sweeps over sorted prices, for the cheap per-price tests ------------

    struct Sweep {
        std::vector<std::int64_t> price;  // ascending
        std::vector<int128> lots_upto;    // prefix sums over the sorted prices
        std::vector<int128> value_upto;   // prefix sums of price * lots
    };
    static Sweep make_sweep(std::vector<std::pair<std::int64_t, std::int64_t>> priced) {
        std::sort(priced.begin(), priced.end());
        Sweep s;
        s.lots_upto.push_back(0);
        s.value_upto.push_back(0);
        for (auto [price, lots] : priced) {
            s.price.push_back(price);
            s.lots_upto.push_back(s.lots_upto.back() + lots);
            s.value_upto.push_back(s.value_upto.back() + static_cast<int128>(price) * lots);
        }
        return s;
    }
    // Sums over entries with price < p (below) or <= p (or_equal).
    static std::size_t count_below(const Sweep& s, std::int64_t p, bool or_equal) {
        return static_cast<std::size_t>(
            (or_equal ? std::upper_bound(s.price.begin(), s.price.end(), p)
                      : std::lower_bound(s.price.begin(), s.price.end(), p)) -
            s.price.begin());
    }

    void prepare_sweeps() {
        std::vector<std::pair<std::int64_t, std::int64_t>> bids, offers, divisible_bids, divisible_offers;
        for (std::size_t b = 0; b < book_.bid_count(); ++b) {
            bids.push_back({book_.bid_price[b], book_.bid_lots[b]});
            if (book_.bid_min[b] == 0) divisible_bids.push_back({book_.bid_price[b], book_.bid_lots[b]});
        }
        for (std::size_t o = 0; o < book_.offer_count(); ++o) {
            offers.push_back({book_.offer_price[o], book_.offer_lots[o]});
            if (book_.offer_min[o] == 0) divisible_offers.push_back({book_.offer_price[o], book_.offer_lots[o]});
        }
        bids_ = make_sweep(std::move(bids));
        offers_ = make_sweep(std::move(offers));
        divisible_bids_ = make_sweep(std::move(divisible_bids));
        divisible_offers_ = make_sweep(std::move(divisible_offers));
        volume_cap_ = round_volume_cap();
        std::vector<std::uint32_t> by_id(book_.bid_count() + book_.offer_count());
        for (std::uint32_t k = 0; k < by_id.size(); ++k) by_id[k] = k;
        const auto bid_count = static_cast<std::uint32_t>(book_.bid_count());
        auto id = [&](std::uint32_t k) { return k < bid_count ? book_.bid_id[k] : book_.offer_id[k - bid_count]; };
        std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t x, std::uint32_t y) { return id(x) < id(y); });
        bid_rank_.assign(book_.bid_count(), 0);
        offer_rank_.assign(book_.offer_count(), 0);
        for (std::uint32_t r = 0; r < by_id.size(); ++r)
            (by_id[r] < bid_count ? bid_rank_[by_id[r]] : offer_rank_[by_id[r] - bid_count]) = r;
        offers_by_price_.resize(book_.offer_count());
        for (std::uint32_t o = 0; o < offers_by_price_.size(); ++o) offers_by_price_[o] = o;
        std::sort(offers_by_price_.begin(), offers_by_price_.end(), [&](std::uint32_t a, std::uint32_t b) {
            if (book_.offer_price[a] != book_.offer_price[b]) return book_.offer_price[a] < book_.offer_price[b];
            return book_.offer_id[a] < book_.offer_id[b];
        });
    }

    // A whole-round volume bound from the cap: with S_c the lots origin c
    // offers, any feasible V has V = sum_c y_c <= sum_c min(S_c, floor(s V)),
    // since each origin sells at most its lots and at most the cap. That is
    // largest_volume() over ranges [0, S_c], with V at most all demand: the
    // largest V meeting it bounds every allocation's V (and none: only V = 0,
    // in which case no price passes may_be_feasible with must-buy lots).
    // Prices whose divisible bids above p must buy more are skipped before
    // their set-up; max_volume() is clamped by it.
    std::int64_t round_volume_cap() const {
        const std::int64_t demand = static_cast<std::int64_t>(bids_.lots_upto.back());
        if (!capped()) return demand;
        std::vector<OriginRange> r(book_.origins.size(), OriginRange{0, 0, 0, 0, 0});
        for (std::size_t o = 0; o < book_.offer_count(); ++o) r[book_.offer_origin[o]].hi += book_.offer_lots[o];
        const std::optional<VolumePlan> plan = largest_volume(r, 1, demand);
        return plan ? plan->volume : 0;
    }

    // Every order in the money at p trading in full: no allocation supported
    // by p has more welfare.
    int128 loose_bound(std::int64_t p) const {
        const std::size_t nb = count_below(bids_, p, true);  // bids with P <= p
        const int128 bid_lots = bids_.lots_upto.back() - bids_.lots_upto[nb];
        const int128 bid_value = bids_.value_upto.back() - bids_.value_upto[nb];
        const std::size_t no = count_below(offers_, p, false);  // offers with A < p
        return (bid_value - bid_lots * p) + (offers_.lots_upto[no] * p - offers_.value_upto[no]);
    }
    std::int64_t max_volume(std::int64_t p) const {
        const int128 demand = bids_.lots_upto.back() - bids_.lots_upto[count_below(bids_, p, false)];
        const int128 supply = offers_.lots_upto[count_below(offers_, p, true)];
        return static_cast<std::int64_t>(std::min({demand, supply, static_cast<int128>(volume_cap_)}));
    }
    // Divisible bids above p must buy in full, divisible offers below p must
    // sell in full (unless a cap cuts them): can the other side take that?
    bool may_be_feasible(std::int64_t p) const {
        const std::size_t nb = count_below(divisible_bids_, p, true);
        const int128 must_buy = divisible_bids_.lots_upto.back() - divisible_bids_.lots_upto[nb];
        const int128 can_sell = offers_.lots_upto[count_below(offers_, p, true)];
        if (must_buy > can_sell) return false;
        if (capped()) return must_buy <= volume_cap_;
        const int128 must_sell = divisible_offers_.lots_upto[count_below(divisible_offers_, p, false)];
        const int128 can_buy = bids_.lots_upto.back() - bids_.lots_upto[count_below(bids_, p, false)];
        return must_sell <= can_buy;
    }

    // Bounds are clamped by the relaxed market (every block divisible, no
    // cap): no allocation beats its welfare, nor, at that welfare, its volume.
    // Likewise by the cap relaxation of the round (cap_bound.h), on welfare only.
    bool cannot_improve(int128 welfare_bound, std::int64_t volume_bound) const {
        if (welfare_bound >= relaxed_welfare_) {
            welfare_bound = relaxed_welfare_;
            volume_bound = std::min(volume_bound, relaxed_volume_);
        }
        if (cap_relaxation_) welfare_bound = std::min(welfare_bound, cap_bound_);
        return welfare_bound < best_welfare_ || (welfare_bound == best_welfare_ && volume_bound <= best_volume_);
    }
    // The incumbent already equals the relaxed market's optimum: proven.
    bool at_relaxed_optimum() const {
        return best_ && best_welfare_ == relaxed_welfare_ && best_volume_ >= relaxed_volume_;
    }

    // Whether an allocation of the relaxed market also meets the blocks, the
    // caps and 4(a)-(c) with their exemptions: then it is optimal as it is.
    bool meets_rules(const Allocation& a) const {
        auto fits = [](std::int64_t fill, std::int64_t min) { return fill == 0 || fill >= min; };
        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            if (!fits(a.bid_fill[b], book_.bid_min[b])) return false;
        for (std::size_t o = 0; o < book_.offer_count(); ++o)
            if (!fits(a.offer_fill[o], book_.offer_min[o])) return false;
        if (capped()) {
            const std::int64_t cap = cap_lots(a.volume);
            for (std::int64_t lots : origin_totals(book_, a))
                if (lots > cap) return false;
        }
        return a.volume == 0 || price_interval(book_, a).has_value();
    }

    // Distinct order prices, nearest the relaxed market's price first.
    std::vector<std::int64_t> candidate_order() {
        std::vector<std::int64_t> prices(book_.bid_price);
        prices.insert(prices.end(), book_.offer_price.begin(), book_.offer_price.end());
        std::sort(prices.begin(), prices.end());
        prices.erase(std::unique(prices.begin(), prices.end()), prices.end());
        OrderBook relaxed = book_;
        std::fill(relaxed.bid_min.begin(), relaxed.bid_min.end(), 0);
        std::fill(relaxed.offer_min.begin(), relaxed.offer_min.end(), 0);
        relaxed.max_origin_share.reset();
        Allocation a = clear_convex(relaxed);
        if (meets_rules(a)) relaxed_solution_ = a;
        relaxed_welfare_ = 0;
        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            relaxed_welfare_ += static_cast<int128>(book_.bid_price[b]) * a.bid_fill[b];
        for (std::size_t o = 0; o < book_.offer_count(); ++o)
            relaxed_welfare_ -= static_cast<int128>(book_.offer_price[o]) * a.offer_fill[o];
        relaxed_volume_ = a.volume;
        std::int64_t centre = prices.empty() ? 0 : prices[prices.size() / 2];
        if (auto interval = price_interval(relaxed, a)) centre = interval->low;
        std::stable_sort(prices.begin(), prices.end(), [centre](std::int64_t x, std::int64_t y) {
            const auto dx = static_cast<int128>(x) - centre, dy = static_cast<int128>(y) - centre;
            return (dx < 0 ? -dx : dx) < (dy < 0 ? -dy : dy);
        });
        return prices;
    }

    // --- FP(p) ------------------------------------------------------------------

    // A price whose budget ran out is searched again in the next, wider
    // round: its problem is kept for it, as long as all kept problems hold
    // at most twice the round's orders, instead of being built and sorted
    // again (O(n log n), more than its nodes cost when few prices are open).
    static std::size_t entries(const PriceProblem& pp) {
        std::size_t n = pp.items.size() + pp.bids_at.size() + pp.origins.size();
        for (const OriginAtPrice& c : pp.origins) n += c.below.size() + c.at.size();
        return n;
    }
    void keep_price_problem() {
        const std::size_t n = entries(pp_);
        if (kept_entries_ + n > 2 * (book_.bid_count() + book_.offer_count()) + 1024) return;
        kept_entries_ += n;
        kept_problems_[pp_.p] = std::move(pp_);
    }

    PriceProblem price_problem(std::int64_t p) const {
        PriceProblem pp;
        pp.p = p;
        pp.origins.resize(book_.origins.size());
        for (std::uint32_t b = 0; b < book_.bid_count(); ++b) {
            const std::int64_t P = book_.bid_price[b], L = book_.bid_lots[b], m = book_.bid_min[b];
            if (P < p) continue;
            if (m > 0) {
                pp.items.push_back({true, P == p, b, 0, L, m, static_cast<int128>(P - p) * L});
            } else if (P > p) {
                pp.forced_demand += L;
                pp.forced_demand_value += static_cast<int128>(P - p) * L;
            } else {
                pp.demand_at += L;
                pp.bids_at.push_back(b);
            }
        }
        for (std::uint32_t o : offers_by_price_) {
            const std::int64_t A = book_.offer_price[o], L = book_.offer_lots[o], m = book_.offer_min[o];
            if (A > p) break;
            OriginAtPrice& c = pp.origins[book_.offer_origin[o]];
            if (m > 0) {
                pp.items.push_back({false, A == p, o, book_.offer_origin[o], L, m, static_cast<int128>(p - A) * L});
            } else if (A < p) {
                c.below_lots += L;
                c.below_value += static_cast<int128>(p - A) * L;
                c.below.push_back(o);
            } else {
                c.at_lots += L;
                c.at.push_back(o);
            }
        }
        // Most valuable blocks first (they decide the bound); blocks at p last;
        // equal ones by id, so that the input's order never matters.
        std::sort(pp.items.begin(), pp.items.end(), [this](const BlockItem& a, const BlockItem& b) {
            if (a.at_price != b.at_price) return !a.at_price;
            if (a.value != b.value) return a.value > b.value;
            return rank_of(a) < rank_of(b);
        });
        pp.value_after.assign(pp.items.size() + 1, 0);
        for (std::size_t i = pp.items.size(); i-- > 0;) pp.value_after[i] = pp.value_after[i + 1] + pp.items[i].value;
        for (std::uint32_t k = 0; k < pp.items.size(); ++k)
            if (!pp.items[k].at_price) (pp.items[k].bid ? pp.bids_by_density : pp.offers_by_density).push_back(k);
        auto sparser = [&pp](std::uint32_t a, std::uint32_t b) {
            const BlockItem &x = pp.items[a], &y = pp.items[b];
            if (x.value * y.lots != y.value * x.lots) return x.value * y.lots < y.value * x.lots;
            return a < b;
        };
        std::sort(pp.bids_by_density.begin(), pp.bids_by_density.end(), sparser);
        std::sort(pp.offers_by_density.begin(), pp.offers_by_density.end(), sparser);
        return pp;
    }

    // The least and most each side can trade with some blocks decided and
    // the rest open (caps ignored: an upper bound on V).
    struct Sides {
        std::int64_t demand_min, demand_max, supply_min, supply_max;
    };

    // Ids are unique across bids and offers; their order, ranked once, breaks
    // ties between items without comparing strings at every set-up.
    std::uint32_t rank_of(const BlockItem& it) const {
        return it.bid ? bid_rank_[it.order] : offer_rank_[it.order];
    }

    // Searches FP(p) for at most `budget` nodes: done (to the end), budget
    // (that budget stopped it) or limit (the node limit or the clock).
    Search search_price(std::int64_t p, std::int64_t budget) {
        price_node_limit_ = nodes_ > std::numeric_limits<std::int64_t>::max() - budget
                                ? std::numeric_limits<std::int64_t>::max()
                                : nodes_ + budget;
        global_stop_ = false;
        if (auto kept = kept_problems_.find(p); kept != kept_problems_.end()) {
            pp_ = std::move(kept->second);
            kept_entries_ -= entries(pp_);
            kept_problems_.erase(kept);
        } else {
            pp_ = price_problem(p);
        }
        base_value_ = pp_.forced_demand_value;
        Sides sides{pp_.forced_demand, pp_.forced_demand + pp_.demand_at, 0, 0};
        for (const OriginAtPrice& c : pp_.origins) {
            base_value_ += c.below_value;
            sides.supply_min += c.below_lots;
            sides.supply_max += c.below_lots + c.at_lots;
        }
        for (const BlockItem& it : pp_.items) (it.bid ? sides.demand_max : sides.supply_max) += it.lots;
        // With a cap, an origin above it may sell less than its must-sell lots;
        // V >= the must-buy lots bounds the cap from below, and so the cut.
        cut_room_ = 0;
        supply_floor_ = 0;
        if (capped()) {
            const std::int64_t least_cap = cap_lots(pp_.forced_demand);
            std::vector<std::int64_t> sellable(pp_.origins.size(), 0);
            for (std::size_t c = 0; c < pp_.origins.size(); ++c) sellable[c] = pp_.origins[c].below_lots;
            for (const BlockItem& it : pp_.items)
                if (!it.bid && !it.at_price) sellable[it.origin] += it.lots;
            for (std::int64_t lots : sellable) cut_room_ += std::max<std::int64_t>(0, lots - least_cap);
            // Cut or not, every origin still sells its divisible lots below p up to the cap.
            for (const OriginAtPrice& c : pp_.origins) supply_floor_ += std::min(c.below_lots, least_cap);
        }
        in_.assign(pp_.items.size(), 0);
        reset_decisions();
        price_cap_duals();
        if (capped() && !caps_admit_some_volume(sides)) {
            nodes_ += setup_charge();  // the set-up's work, in nodes (see run())
            return Search::done;
        }
        if (cap_relaxation_ && budget == kFirstBudget && !pp_.items.empty()) {
            // (Without blocks the root is the only leaf: nothing to dive for.)
            dive();
            std::fill(in_.begin(), in_.end(), 0);
            // A limit hit in the dive leaves the price open unless the
            // incumbent it found already reaches the price's bound.
            if (global_stop_) return cannot_improve(price_cap_bound_, max_volume(p)) ? Search::done : Search::limit;
        }
        if (descend(0, 0, sides)) return Search::done;
        return global_stop_ ? Search::limit : Search::budget;
    }

    // The clock and the stop flag are read every 1024 nodes, and sooner when
    // the nodes are costly: a node is O(origins) plus O(log blocks) (the
    // origin ranges, the kept sums); when it walked the blocks, 1024 nodes of
    // a price with 10^5 blocks took over a second. `work_` counts that cost;
    // past kWorkPerCheck the clock is read (a clock read is some 20 ns:
    // negligible per 2^16 steps).
    static constexpr std::int64_t kWorkPerCheck = std::int64_t{1} << 16;
    std::int64_t setup_charge() const {
        return static_cast<std::int64_t>((book_.bid_count() + book_.offer_count()) / 1024);
    }
    bool limit_reached() {
        if (nodes_ >= options_.node_limit) return global_stop_ = true;
        if (nodes_ >= price_node_limit_) return true;  // this price's budget (run())
        work_ += static_cast<std::int64_t>(pp_.origins.size()) + 1;
        if ((nodes_ & 1023) != 0 && work_ < kWorkPerCheck) return false;
        work_ = 0;
        return global_stop_ = deadline_.limited() && deadline_.passed();
    }

    // Depth-first over the items from `i` on; `value_in` = value of items in
    // so far. Every item is tried in before out: more welfare and volume first.
    //
    // The depth-first order is kept on an explicit stack rather than by
    // recursion: the tree is as deep as the price has blocks, and a valid
    // round of 10^5 blocks recursed once per block overflowed the 8 MiB main
    // thread stack (SIGSEGV) long before the node limit. The nodes are visited
    // in exactly the recursive order (preorder, in before out), so node counts,
    // limits and results are unchanged.
    bool descend(std::size_t i, int128 value_in, const Sides& s) {
        struct Node {
            std::size_t i;
            int128 value_in;
            int128 penalty;  ///< what the decisions so far cost the priced relaxation (duals_)
            Sides sides;
            char decided;  ///< in_[i - 1] on the way to this node; unused at the root
        };
        std::vector<Node> pending{{i, value_in, 0, s, 0}};
        while (!pending.empty()) {
            const Node node = pending.back();
            pending.pop_back();
            if (node.i > i) {
                retreat_to(node.i - 1);
                in_[node.i - 1] = node.decided;
                advance_to(node.i);
            } else {
                retreat_to(i);
            }
            if (limit_reached()) return false;
            ++nodes_;
            if (!visit(node.i, node.value_in, node.penalty, node.sides)) continue;
            const BlockItem& it = pp_.items[node.i];
            const std::int64_t least = it.at_price ? it.min : it.lots;
            Sides in = node.sides, out = node.sides;
            (it.bid ? in.demand_min : in.supply_min) += least;
            (it.bid ? out.demand_max : out.supply_max) -= it.lots;
            const int128 penalty_in = duals_.active ? duals_.penalty_in[node.i] : 0;
            const int128 penalty_out = duals_.active ? duals_.penalty_out[node.i] : 0;
            // out: after the whole in subtree; in: next
            pending.push_back({node.i + 1, node.value_in, node.penalty + penalty_out, out, 0});
            pending.push_back({node.i + 1, node.value_in + it.value, node.penalty + penalty_in, in, 1});
        }
        return true;
    }

    // One node of descend(): bounds, and at a leaf its completion. True when
    // the node's item is to be branched on, false when the node is pruned or
    // is a leaf.
    bool visit(std::size_t i, int128 value_in, int128 penalty, const Sides& s) {
        int128 priced_bound = std::numeric_limits<int128>::max();
        if (duals_.active) {
            // O(1): prunes before the O(origins) work below.
            priced_bound = floor_div(duals_.root - penalty, duals_.scale);
            if (cannot_improve(priced_bound, std::min(s.demand_max, s.supply_max))) return false;
        }
        const std::optional<int128> open_value = open_value_bound(i, s);
        if (!open_value) return false;  // demand and supply can no longer meet
        std::int64_t volume_bound = std::min(s.demand_max, s.supply_max);
        if (capped()) {
            // Under a cap, check the decided blocks (open ones relaxed) against
            // the caps exactly as a leaf would: it prunes whole subtrees that
            // no choice of the open blocks can make feasible.
            const std::optional<VolumePlan> plan =
                largest_volume(ranges_with_open(), std::max<std::int64_t>(1, s.demand_min), s.demand_max);
            if (!plan) return false;
            volume_bound = std::min(volume_bound, plan->volume);
        }
        int128 welfare_bound = base_value_ + value_in + *open_value;
        if (cap_relaxation_) welfare_bound = std::min(welfare_bound, price_cap_bound_);  // R[p, p] bounds all of FP(p)
        welfare_bound = std::min(welfare_bound, priced_bound);
        if (cannot_improve(welfare_bound, volume_bound)) return false;
        if (i == pp_.items.size()) {
            // The first incumbent (divisible orders alone) yields to a search
            // result that ties it: that one shares at the price pro rata.
            auto beats = [this](const Completion& c) {
                if (best_) return c.welfare > best_welfare_ || (c.welfare == best_welfare_ && c.volume > best_volume_);
                return c.welfare > best_welfare_ || (c.welfare == best_welfare_ && c.volume >= best_volume_);
            };
            if (auto c = complete(); c && beats(*c)) {
                best_welfare_ = c->welfare;
                best_volume_ = c->volume;
                best_ = Incumbent{pp_.p, in_, c->volume};
                if (capped()) improve_incumbent();
            }
            return false;
        }
        return true;
    }

    // The node bound with the decided blocks fixed (issue 12). R[p, p] bounds
    // all of FP(p) but is the same at every node, so under a binding cap
    // nothing pruned a subtree before its leaves, and the rounds of 10^4
    // orders with 10 % blocks ended at the node limit. Its duals do better.
    // Take the LP of cap_bound.h at p plus V <= Vf (the most volume the caps
    // admit at p: every integer allocation keeps to it), and move the cap
    // rows y_c <= s V, that row and the balance sum x = sum y into the
    // objective with multipliers lambda_c >= 0, nu >= 0 and mu. For every
    // allocation the node admits,
    //     welfare = sum P x - sum A y
    //            <= sum (P - mu) x + sum (mu - A - lambda_c + s Lambda - nu) y + nu Vf
    // (Lambda = sum lambda_c; the added terms are zero or positive), and the
    // right side is separable: each order adds at most its reduced cost
    // times what it may trade at the node (0 to its lots while open, its
    // fixed lots once in, nothing once out; a divisible bid above p buys its
    // lots by rule 4(b), whatever its sign). So the bound at a node is the
    // price's root bound less what each decision gave up, one addition per
    // branch: O(1), checked before the rest of the node's work.
    //
    // It holds for any multipliers, so exactness does not depend on them.
    // They are read off the LP optimum (cap_bound.h's solution): with its V
    // inside [0, Vf), lambda_c = t - m_c for an origin cut at its cap at
    // marginal ask m_c (t: the greedy's threshold), nu = 0, and mu = t -
    // s Lambda or the marginal bid P_m; at V = Vf, mu = P_m with either
    // lambda_c = t - m_c and nu = P_m + s Lambda - t, or nu = 0 and the cut
    // origins' margins priced at zero, or (Multipliers::fixed_caps) the caps
    // written y_c <= floor(s Vf), which every allocation at p keeps to as
    // well since V <= Vf, with lambda_c = t - m_c and nu = P_m - t: that one
    // drops s Vf's fraction of a lot at each cut origin, worth lambda_c, which
    // no whole-lot allocation can use (it proved the 10^5-order rounds the
    // others left at the node limit). The candidate with the least root is
    // kept; at the optimum's duals the root equals R[p, p], and a decision
    // against the LP costs its reduced cost, so a subtree that strays from
    // the LP by more than the gap to the incumbent is pruned at once. All of
    // it is kept in integers over a common denominator (s = num / den).
    struct PriceDuals {
        bool active = false;
        int128 scale = 1;                      ///< everything below is times this
        int128 root = 0;                       ///< the bound at the price's root
        std::vector<int128> penalty_in, penalty_out;  ///< what deciding item k in / out gives up
    };
    // Multipliers as integers over a common denominator d: mu = mu_d / d,
    // lambda_c = lambda_d[c] / d. Reduced costs are then kept times den * d.
    struct Multipliers {
        int128 d = 1, mu_d = 0;
        std::vector<int128> lambda_d;
        int128 lambda_sum_d = 0;
        int128 nu_d = 0;  ///< on V <= the most volume the caps admit at p
        /// The caps as y_c <= floor(s Vf), a constant, instead of y_c <= s V:
        /// also true of every allocation at p (V <= Vf), and lower by the
        /// fraction of s Vf that no whole lot can use.
        bool fixed_caps = false;
        std::int64_t fixed_cap = 0;
    };
    int128 bid_reduced(const Multipliers& m, std::uint32_t b) const {
        return checked_mul(share_den_, checked_sub(checked_mul(m.d, book_.bid_price[b]), m.mu_d));
    }
    int128 offer_reduced(const Multipliers& m, std::uint32_t o) const {
        const int128 ask_d = checked_add(checked_mul(m.d, book_.offer_price[o]), m.lambda_d[book_.offer_origin[o]]);
        const int128 cost = checked_mul(share_den_, checked_sub(checked_sub(m.mu_d, ask_d), m.nu_d));
        return m.fixed_caps ? cost : checked_add(cost, checked_mul(share_num_, m.lambda_sum_d));
    }
    // The root bound of multipliers m at p, times den * d: every order in
    // range at its reduced cost times its lots, when positive; a divisible
    // bid above p at it whatever its sign, since rule 4(b) makes it buy in
    // full at p (an offer below p may stop at its origin's cap instead).
    int128 priced_root(const Multipliers& m, std::int64_t most_volume) const {
        int128 total = checked_mul(checked_mul(share_den_, m.nu_d), most_volume);
        if (m.fixed_caps) total = checked_add(total, checked_mul(checked_mul(share_den_, m.lambda_sum_d), m.fixed_cap));
        for (std::uint32_t b = 0; b < book_.bid_count(); ++b) {
            if (book_.bid_price[b] < pp_.p) continue;
            const int128 cost = bid_reduced(m, b);
            const bool must_buy = book_.bid_price[b] > pp_.p && book_.bid_min[b] == 0;
            total = checked_add(total, checked_mul(must_buy ? cost : std::max<int128>(0, cost), book_.bid_lots[b]));
        }
        for (std::uint32_t o : offers_by_price_) {
            if (book_.offer_price[o] > pp_.p) break;
            total = checked_add(total, checked_mul(std::max<int128>(0, offer_reduced(m, o)), book_.offer_lots[o]));
        }
        return total;
    }
    void price_cap_duals() {
        duals_.active = false;
        try {
            set_price_cap_duals();
        } catch (const OverflowError&) {
            duals_.active = false;  // see below: the other bounds remain
        }
    }
    struct ChosenDuals {
        Multipliers m;
        int128 root;
    };
    void set_price_cap_duals() {
        if (!cap_relaxation_ || pp_.items.empty()) return;
        // A price searched again in a wider round keeps its multipliers:
        // choosing them walks every order in range, several times.
        auto cached = chosen_duals_.find(pp_.p);
        if (cached == chosen_duals_.end()) cached = chosen_duals_.emplace(pp_.p, choose_duals()).first;
        if (!cached->second) return;
        const Multipliers& m = cached->second->m;
        const int128 best_root = cached->second->root;
        duals_.penalty_in.resize(pp_.items.size());
        duals_.penalty_out.resize(pp_.items.size());
        int128 most_penalty = 0;
        for (std::size_t k = 0; k < pp_.items.size(); ++k) {
            const BlockItem& it = pp_.items[k];
            const int128 cost = it.bid ? bid_reduced(m, it.order) : offer_reduced(m, it.order);
            // Open: 0 to lots; out: 0; in: its lots, except that a block at
            // p, or an offer block cut at its origin's cap, may trade from min.
            const std::int64_t least = (it.bid && !it.at_price) ? it.lots : it.min;
            const int128 open = cost > 0 ? checked_mul(cost, it.lots) : 0;
            const int128 in = cost > 0 ? open : checked_mul(cost, least);
            duals_.penalty_in[k] = checked_sub(open, in);
            duals_.penalty_out[k] = open;
            most_penalty = checked_add(most_penalty, std::max(duals_.penalty_in[k], duals_.penalty_out[k]));
        }
        (void)checked_sub(best_root, most_penalty);
        duals_.scale = share_den_ * m.d;
        duals_.root = best_root;
        duals_.active = true;
    }

    // The multipliers of the node bound at pp_.p, and its root bound (times
    // den * d); nullopt when the LP trades nothing or every candidate overflows.
    std::optional<ChosenDuals> choose_duals() const {
        const CapRelaxation::Solution lp = cap_relaxation_->solution(pp_.p, pp_.p);
        if (lp.volume == 0) return std::nullopt;  // R[p, p] = 0 already bounds every node
        const std::size_t origins = book_.origins.size();
        std::vector<std::size_t> cut;
        for (std::size_t c = 0; c < origins; ++c)
            if (lp.cut[c] && lp.ask_marginal[c] != std::numeric_limits<std::int64_t>::min()) cut.push_back(c);
        // The LP optimum's duals, by where its V lies. Inside the volumes the
        // caps admit, one more lot of V costs the threshold t less what it
        // lifts the caps by: lambda_c = t - m_c (a cut origin's lots below t
        // are worth t - m_c more than t's), mu = t - s Lambda; or mu may sit
        // at the demand side's margin P_m. At the largest volume the caps
        // admit, every origin not cut has sold out, and mu = P_m with each
        // cut origin's margin priced at zero, lambda_c = mu + s Lambda - m_c,
        // which solves to Lambda = den (|C| mu - sum m_c) / (den - num |C|).
        // Each candidate is a valid bound; the least root is kept.
        std::vector<Multipliers> candidates;
        {
            Multipliers m;
            m.d = share_den_;
            m.lambda_d.assign(origins, 0);
            int128 lambda_sum = 0;
            for (std::size_t c : cut) {
                const int128 lambda = std::max<int128>(0, static_cast<int128>(lp.threshold) - lp.ask_marginal[c]);
                m.lambda_d[c] = checked_mul(m.d, lambda);
                lambda_sum += lambda;
            }
            m.lambda_sum_d = checked_mul(m.d, lambda_sum);
            m.mu_d = checked_sub(checked_mul(share_den_, lp.threshold), checked_mul(share_num_, lambda_sum));
            candidates.push_back(m);
            m.mu_d = checked_mul(m.d, lp.bid_marginal);
            candidates.push_back(m);
            // And with V <= Vf priced: nu = P_m + s Lambda - t.
            const int128 nu_d = checked_sub(checked_add(m.mu_d, checked_mul(share_num_, lambda_sum)),
                                            checked_mul(share_den_, lp.threshold));
            if (nu_d > 0) {
                m.nu_d = nu_d;
                candidates.push_back(m);
            }
            // The same prices with the caps fixed at floor(s Vf): at the most
            // volume the caps admit they bind there, and s Vf's fraction is
            // worth lambda_c a lot to each cut origin. nu = P_m - t.
            Multipliers fixed;
            fixed.d = 1;
            fixed.mu_d = lp.bid_marginal;
            fixed.nu_d = std::max<int128>(0, static_cast<int128>(lp.bid_marginal) - lp.threshold);
            fixed.lambda_d.assign(origins, 0);
            for (std::size_t c : cut) {
                fixed.lambda_d[c] = std::max<int128>(0, static_cast<int128>(lp.threshold) - lp.ask_marginal[c]);
                fixed.lambda_sum_d += fixed.lambda_d[c];
            }
            fixed.fixed_caps = true;
            fixed.fixed_cap = cap_lots(lp.most_volume);
            candidates.push_back(fixed);
        }
        const int128 q = share_den_ - share_num_ * static_cast<int128>(cut.size());
        if (q > 0 && !cut.empty()) {
            Multipliers m;
            m.d = q;
            m.mu_d = checked_mul(q, lp.bid_marginal);
            m.lambda_d.assign(origins, 0);
            int128 margins = 0;
            for (std::size_t c : cut) margins = checked_add(margins, lp.ask_marginal[c]);
            const int128 excess = checked_sub(checked_mul(static_cast<int128>(cut.size()), lp.bid_marginal), margins);
            for (std::size_t c : cut) {
                const int128 lambda_d = checked_add(checked_mul(q, checked_sub(lp.bid_marginal, lp.ask_marginal[c])),
                                                    checked_mul(share_num_, excess));
                m.lambda_d[c] = std::max<int128>(0, lambda_d);
                m.lambda_sum_d = checked_add(m.lambda_sum_d, m.lambda_d[c]);
            }
            candidates.push_back(m);
        }
        // Caps of many digits (s = 0.9999999999) can take the scaled figures
        // past 128 bits: such a candidate is dropped, and without any the
        // nodes keep the other bounds. Every sum a path can form is checked
        // here, so the nodes add without checks.
        std::optional<std::size_t> best;
        int128 best_root = 0, best_bound = 0;
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            try {
                const int128 root = priced_root(candidates[k], lp.most_volume);
                const int128 bound = floor_div(root, checked_mul(share_den_, candidates[k].d));
                if (!best || bound < best_bound) {
                    best = k;
                    best_root = root;
                    best_bound = bound;
                }
            } catch (const OverflowError&) {
            }
        }
        if (!best) return std::nullopt;
        return ChosenDuals{candidates[*best], best_root};
    }

    // A dive guided by the cap relaxation (issue 12), once per price, before
    // its depth-first search. The LP R[p, p] of cap_bound.h says where its
    // optimum cuts each side: bids above its marginal bid price and each
    // origin's offers below its marginal ask are taken in full, those at
    // the margin in part. Its blocks are rounded both ways (the marginal
    // ones out, then in), each leaf completed exactly by complete(), which
    // enforces the caps and the price rules, and a leaf that beats the
    // incumbent becomes it and is improved by flips. Under a binding cap the
    // depth-first search, in before out by value, fills the cap with the
    // first blocks it meets and reaches the LP's choice only after an
    // exponential detour; the dive starts there. It only offers incumbents,
    // each completion counted as a node: exactness and limits are untouched.
    void dive() {
        const CapRelaxation::Solution lp = cap_relaxation_->solution(pp_.p, pp_.p);
        if (lp.volume == 0) return;
        for (int inclusive = 0; inclusive < 2; ++inclusive) {
            for (std::size_t k = 0; k < pp_.items.size(); ++k) {
                const BlockItem& it = pp_.items[k];
                if (it.bid) {
                    const std::int64_t P = book_.bid_price[it.order];
                    in_[k] = (P > lp.bid_marginal || (inclusive && P == lp.bid_marginal)) ? 1 : 0;
                } else {
                    const std::int64_t A = book_.offer_price[it.order], m = lp.ask_marginal[it.origin];
                    in_[k] = (A < m || (inclusive && A == m)) ? 1 : 0;
                }
            }
            if (limit_reached()) return;
            ++nodes_;
            retreat_to(0);
            advance_to(pp_.items.size());
            const std::optional<Completion> c = complete();
            if (c && (c->welfare > best_welfare_ || (c->welfare == best_welfare_ && c->volume > best_volume_))) {
                best_welfare_ = c->welfare;
                best_volume_ = c->volume;
                best_ = Incumbent{pp_.p, in_, c->volume};
                improve_incumbent();
            }
        }
    }

    // A local search from a new incumbent, under a cap (issue 12): flip one
    // block in or out at a time, keeping a flip whose exact completion beats
    // the incumbent, until a pass over every block keeps none (at most
    // kImprovePasses passes). Under a binding cap the depth-first search
    // revisits only the last blocks of its path, and on 10^4-order rounds
    // with 10 % blocks spent its node limit 11-16 % below the optimum; flips
    // anywhere on the path reach better leaves at once. Each completion counts
    // as a node (it costs about as much), so the limits hold. It only finds
    // incumbents: the search resumes from its own path, unchanged and exact.
    static constexpr int kImprovePasses = 4;
    void improve_incumbent() {
        const std::vector<char> path = in_;
        for (int pass = 0; pass < kImprovePasses; ++pass) {
            bool improved = false;
            for (std::size_t k = 0; k < in_.size(); ++k) {
                if (limit_reached()) {
                    restore_decisions(path);
                    return;
                }
                ++nodes_;
                in_[k] = in_[k] ? 0 : 1;
                redecide(k);
                const std::optional<Completion> c = complete();
                if (c && (c->welfare > best_welfare_ || (c->welfare == best_welfare_ && c->volume > best_volume_))) {
                    best_welfare_ = c->welfare;
                    best_volume_ = c->volume;
                    best_ = Incumbent{pp_.p, in_, c->volume};
                    improved = true;
                } else {
                    in_[k] = in_[k] ? 0 : 1;
                    redecide(k);
                }
            }
            if (!improved) break;
        }
        restore_decisions(path);
    }

    // With every block relaxed to divisible, is there a V that demand can buy
    // and the origins can sell under their caps? Prices far from the market
    // fail here at once instead of in a search over their blocks.
    bool caps_admit_some_volume(const Sides& s) const {
        std::vector<OriginRange> relaxed(pp_.origins.size());
        for (std::size_t c = 0; c < relaxed.size(); ++c) {
            const OriginAtPrice& o = pp_.origins[c];
            relaxed[c] = {o.below_lots, o.below_lots + o.at_lots, 0, 0, 0};
        }
        for (const BlockItem& it : pp_.items)
            if (!it.bid) relaxed[it.origin].hi += it.lots;
        return largest_volume(relaxed, std::max<std::int64_t>(1, s.demand_min), s.demand_max).has_value();
    }

    // The most the strict blocks still open (items i..) can add, with blocks
    // relaxed to divisible: taken whole, unless demand and supply could then
    // not meet; then the lots of least value a lot are dropped from the side
    // in excess. nullopt when even dropping all of it cannot make them meet.
    std::optional<int128> open_value_bound(std::size_t i, const Sides& s) const {
        // The open strict blocks are those still in the density trees.
        const std::int64_t open_bids = bid_density_.total_lots(), open_offers = offer_density_.total_lots();
        // Room each side has beyond its must-trade lots and the open strict blocks.
        const std::int64_t demand_flex = s.demand_max - s.demand_min - open_bids;
        const std::int64_t supply_flex = s.supply_max - s.supply_min - open_offers;
        // Taking X open bid lots and Y open offer lots, the sides meet iff
        // lo <= Y - X <= hi.
        const std::int64_t lo = s.demand_min - s.supply_min - supply_flex;
        const std::int64_t hi = s.demand_min + demand_flex - s.supply_min;
        const std::int64_t diff = open_offers - open_bids;
        if (supply_floor_ > s.demand_max) return std::nullopt;
        int128 value = pp_.value_after[i];
        // Drop `need` lots from one side, those of least value a lot first
        // (a block's value is its lots times one value a lot, so a part of
        // one is exact). False when the side has fewer open lots.
        auto drop = [&value](const LotsTree& by_density, std::int64_t need) -> bool {
            if (by_density.total_lots() < need) return false;
            value -= by_density.leading_value(need);
            return true;
        };
        if (diff > hi + cut_room_ && !drop(offer_density_, diff - hi - cut_room_)) return std::nullopt;
        if (diff < lo && !drop(bid_density_, lo - diff)) return std::nullopt;
        return value;
    }

    // The per-origin bounds of supply once the blocks are decided.
    struct OriginRange {
        std::int64_t lo, hi;        // without cutting: below p in full, blocks at p at min / lots
        std::int64_t at_min;        // blocks at p at their min
        std::int64_t strict_min;    // blocks below p at their min (when cut at the cap)
        int128 full_value;          // welfare when nothing is cut
    };

    // With every item decided (decided_ == items).
    std::vector<OriginRange> origin_ranges() const {
        std::vector<OriginRange> r(pp_.origins.size());
        for (std::size_t c = 0; c < r.size(); ++c) {
            const OriginAtPrice& o = pp_.origins[c];
            const OriginSums& d = origin_sums_[c];
            r[c] = {o.below_lots + d.lo_in, o.below_lots + o.at_lots + d.hi_in, d.at_min, d.strict_min,
                    o.below_value + d.value_in};
        }
        return r;
    }

    // Per-origin supply ranges with the items before decided_ decided and the
    // rest open (an open offer block may sell anything from 0 to its lots).
    std::vector<OriginRange> ranges_with_open() const {
        std::vector<OriginRange> r(pp_.origins.size());
        for (std::size_t c = 0; c < r.size(); ++c) {
            const OriginAtPrice& o = pp_.origins[c];
            const OriginSums& d = origin_sums_[c];
            r[c] = {o.below_lots + d.lo_in, o.below_lots + o.at_lots + d.hi_in + d.open_hi, d.at_min, d.strict_min, 0};
        }
        return r;
    }

    // Most welfare origin c can keep when cut to exactly `cap` lots: blocks at p
    // and below p at their min, then the cheapest remaining lots below p (its
    // pool: divisible offers below p and the room of its blocks above their min).
    int128 cut_value(std::size_t c, const OriginRange& r, std::int64_t cap) const {
        return origin_sums_[c].min_value_in + pool_[c].leading_value(cap - r.at_min - r.strict_min);
    }

    // --- the decided blocks as sums ---------------------------------------------
    //
    // A node used to rebuild its origin ranges, its open lots and its leaf's
    // completion from every item: O(blocks) a node, so that 10^5 blocks at one
    // price took seconds per 10^5 nodes (issue 12). The decisions are kept as
    // sums instead, changed one item at a time as the search moves: per
    // origin what its decided blocks add, per side the open strict blocks by
    // value a lot, and per origin its pool for a cut (lots_tree.h). A node
    // then costs O(origins + log blocks), and a step of the search changes
    // as many items as it moves down or back up the tree.
    struct OriginSums {
        std::int64_t lo_in = 0, hi_in = 0;       // decided-in blocks: least and most they sell
        std::int64_t at_min = 0, strict_min = 0;  // their mins, at p and below p
        std::int64_t open_hi = 0;                 // lots of the open offer blocks
        int128 value_in = 0;                      // decided-in strict blocks' value, sold in full
        int128 min_value_in = 0;                  // their value at their min
    };

    // Every item open; the trees built for pp_.
    void reset_decisions() {
        const std::size_t n = pp_.items.size(), origins = pp_.origins.size();
        item_state_.assign(n, kOpen);
        origin_sums_.assign(origins, OriginSums{});
        demand_lo_in_ = demand_hi_in_ = 0;
        bid_value_in_ = 0;
        decided_ = 0;
        density_pos_.assign(n, 0);
        auto fill_density = [&](LotsTree& tree, const std::vector<std::uint32_t>& by_density) {
            std::vector<std::int64_t> unit;
            unit.reserve(by_density.size());
            for (std::uint32_t k : by_density) {
                const BlockItem& it = pp_.items[k];
                unit.push_back(it.bid ? book_.bid_price[it.order] - pp_.p : pp_.p - book_.offer_price[it.order]);
            }
            tree.assign(std::move(unit));
            for (std::size_t e = 0; e < by_density.size(); ++e) {
                density_pos_[by_density[e]] = static_cast<std::uint32_t>(e);
                tree.set(e, pp_.items[by_density[e]].lots);
            }
        };
        fill_density(bid_density_, pp_.bids_by_density);
        fill_density(offer_density_, pp_.offers_by_density);
        for (const BlockItem& it : pp_.items)
            if (!it.bid) origin_sums_[it.origin].open_hi += it.lots;
        // Pools, by ask: the divisible offers below p hold their lots; a
        // strict offer block holds its room above min only while in.
        pool_pos_.assign(n, 0);
        item_of_offer_.assign(book_.offer_count(), kNoItem);
        for (std::uint32_t k = 0; k < n; ++k)
            if (!pp_.items[k].bid && !pp_.items[k].at_price) item_of_offer_[pp_.items[k].order] = k;
        std::vector<std::vector<std::int64_t>> unit(origins);
        std::vector<std::pair<std::uint32_t, std::uint32_t>> divisible;  // (origin, entry) of each divisible offer
        std::vector<std::int64_t> divisible_lots;
        for (std::uint32_t o : offers_by_price_) {
            const std::int64_t A = book_.offer_price[o];
            if (A >= pp_.p) break;
            const std::uint32_t c = book_.offer_origin[o];
            const auto entry = static_cast<std::uint32_t>(unit[c].size());
            if (book_.offer_min[o] == 0) {
                divisible.push_back({c, entry});
                divisible_lots.push_back(book_.offer_lots[o]);
            } else if (item_of_offer_[o] != kNoItem) {
                pool_pos_[item_of_offer_[o]] = entry;
            } else {
                continue;
            }
            unit[c].push_back(pp_.p - A);
        }
        pool_.resize(origins);
        for (std::size_t c = 0; c < origins; ++c) pool_[c].assign(std::move(unit[c]));
        for (std::size_t e = 0; e < divisible.size(); ++e) pool_[divisible[e].first].set(divisible[e].second, divisible_lots[e]);
    }

    // Item k, open, is decided in or out.
    void decide_item(std::size_t k, bool in) {
        const BlockItem& it = pp_.items[k];
        item_state_[k] = in ? kIn : kOut;
        if (!it.at_price) (it.bid ? bid_density_ : offer_density_).set(density_pos_[k], 0);
        if (!it.bid) origin_sums_[it.origin].open_hi -= it.lots;
        if (in) add_in(k, 1);
    }
    // Item k, decided, is open again.
    void reopen_item(std::size_t k) {
        const BlockItem& it = pp_.items[k];
        if (item_state_[k] == kIn) add_in(k, -1);
        item_state_[k] = kOpen;
        if (!it.at_price) (it.bid ? bid_density_ : offer_density_).set(density_pos_[k], it.lots);
        if (!it.bid) origin_sums_[it.origin].open_hi += it.lots;
    }
    // Adds (sign 1) or takes back (sign -1) what a decided-in item adds.
    void add_in(std::size_t k, int sign) {
        const BlockItem& it = pp_.items[k];
        const std::int64_t least = it.at_price ? it.min : it.lots;
        if (it.bid) {
            demand_lo_in_ += sign * least;
            demand_hi_in_ += sign * it.lots;
            bid_value_in_ += sign * it.value;
            return;
        }
        OriginSums& c = origin_sums_[it.origin];
        c.lo_in += sign * least;
        c.hi_in += sign * it.lots;
        if (it.at_price) {
            c.at_min += sign * it.min;
            return;
        }
        c.strict_min += sign * it.min;
        c.value_in += sign * it.value;
        c.min_value_in += sign * static_cast<int128>(pp_.p - book_.offer_price[it.order]) * it.min;
        pool_[it.origin].set(pool_pos_[k], sign > 0 ? it.lots - it.min : 0);
    }
    // Items from `depth` on open again.
    void retreat_to(std::size_t depth) {
        while (decided_ > depth) reopen_item(--decided_);
    }
    // Items before `depth` decided as in_ says.
    void advance_to(std::size_t depth) {
        for (; decided_ < depth; ++decided_) decide_item(decided_, in_[decided_] != 0);
    }
    // A decided item k takes in_[k] again.
    void redecide(std::size_t k) {
        reopen_item(k);
        decide_item(k, in_[k] != 0);
    }
    // Every item decided: back to `path`, item by item.
    void restore_decisions(const std::vector<char>& path) {
        for (std::size_t k = 0; k < path.size(); ++k)
            if (in_[k] != path[k]) {
                in_[k] = path[k];
                redecide(k);
            }
    }

    // The largest V whose cap floor(s V) is `cap`: ceil((cap + 1) / s) - 1.
    std::int64_t largest_volume_with_cap(int128 cap) const {
        return static_cast<std::int64_t>(ceil_div((cap + 1) * share_den_, share_num_) - 1);
    }

    struct VolumePlan {
        std::int64_t volume;
        std::int64_t cap;  // K at that volume (capped rounds)
    };

    // The largest V the decided blocks admit, or nullopt.
    std::optional<VolumePlan> largest_volume(const std::vector<OriginRange>& r, std::int64_t demand_lo,
                                             std::int64_t demand_hi) const {
        std::int64_t supply_hi = 0, supply_lo = 0;
        for (const OriginRange& c : r) {
            supply_hi += c.hi;
            supply_lo += c.lo;
        }
        if (!capped()) {
            const std::int64_t v = std::min(demand_hi, supply_hi);
            if (v < std::max(demand_lo, supply_lo)) return std::nullopt;
            return VolumePlan{v, 0};
        }
        std::int64_t v = std::min(demand_hi, supply_hi);
        while (v >= demand_lo && v > 0) {
            const std::int64_t k = cap_lots(v);
            std::int64_t lo = 0, hi = 0;
            bool possible = true;
            // For caps k' from lo_floor up to k, lo(k') = lo_base + lo_slope k'
            // (no origin's lo lies in between); likewise hi(k') from hi_floor.
            int128 lo_base = 0, hi_base = 0;
            std::int64_t lo_slope = 0, hi_slope = 0, lo_floor = 0, hi_floor = 0;
            for (const OriginRange& c : r) {
                if (c.lo <= k) {
                    lo += c.lo;
                    hi += std::min(c.hi, k);
                    lo_base += c.lo;
                    lo_floor = std::max(lo_floor, c.lo);
                } else {
                    if (c.at_min + c.strict_min > k) possible = false;  // its blocks alone exceed the cap
                    lo += k;
                    hi += k;
                    ++lo_slope;
                }
                if (c.hi <= k) {
                    hi_base += c.hi;
                    hi_floor = std::max(hi_floor, c.hi);
                } else {
                    ++hi_slope;
                }
            }
            if (!possible) return std::nullopt;  // a smaller V only lowers the cap further
            // The two jumps below skip whole runs of caps at once. Stepping one
            // cap at a time took about V / (1/s - origins cut) steps: with lots
            // of 10^9, a minute for a round of seven orders, which neither the
            // node limit nor the time limit bounds. The skipped caps provably
            // admit no V, so the V found (the largest feasible) is unchanged.
            if (v > hi) {
                v = std::min(v - 1, hi);  // the most supply grows with V: no V in (hi, v] works
                // A cap k' admits a V <= hi(k') only if its least V, ceil(k' / s),
                // is at most hi(k'): on hi's line that is k' (den - num hi_slope)
                // <= num hi_base. Skip the caps on the line above the last that can.
                const int128 slope = share_den_ - share_num_ * hi_slope;
                if (slope > 0) {
                    const int128 last = share_num_ * hi_base / slope;
                    if (last < k) v = std::min(v, largest_volume_with_cap(last >= hi_floor ? last : hi_floor - 1));
                }
                continue;
            }
            if (v < lo) {
                // Every smaller V with the same cap has the same forced supply and
                // fails too: go to the largest V of a lower cap that can reach lo.
                // A cap k' can only if its most V, ceil((k' + 1) / s) - 1, is at
                // least lo(k'): on lo's line that is k' slope > num lo_base - den.
                if (k == 0 || share_num_ == 0) return std::nullopt;
                std::int64_t next = k - 1;
                if (next >= lo_floor) {
                    const int128 slope = share_den_ - share_num_ * lo_slope, need = share_num_ * lo_base - share_den_;
                    if (slope >= 0) {
                        // The caps that can are those above a threshold: if next cannot, none on the line can.
                        if (!(slope * next > need)) next = lo_floor - 1;
                    } else {
                        const int128 last = ceil_div(need, slope) - 1;  // the caps that can are those up to last
                        if (last < next) next = last >= lo_floor ? static_cast<std::int64_t>(last) : lo_floor - 1;
                    }
                }
                if (next < 0) return std::nullopt;
                v = std::min(v - 1, largest_volume_with_cap(next));
                continue;
            }
            return VolumePlan{v, k};
        }
        return std::nullopt;
    }

    // The exact completion of a leaf: every item decided (decided_ == items).
    std::optional<Completion> complete() const {
        const std::int64_t demand_lo = pp_.forced_demand + demand_lo_in_;
        const std::int64_t demand_hi = pp_.forced_demand + pp_.demand_at + demand_hi_in_;
        int128 welfare = pp_.forced_demand_value + bid_value_in_;
        const std::vector<OriginRange> r = origin_ranges();
        const std::optional<VolumePlan> plan = largest_volume(r, demand_lo, demand_hi);
        if (!plan || plan->volume == 0) return std::nullopt;
        for (std::size_t c = 0; c < r.size(); ++c)
            welfare += (capped() && r[c].lo > plan->cap) ? cut_value(c, r[c], plan->cap) : r[c].full_value;
        return Completion{welfare, plan->volume};
    }

    // --- the allocation of the incumbent -----------------------------------------

    Allocation empty_allocation() const {
        Allocation a;
        a.bid_fill.assign(book_.bid_count(), 0);
        a.offer_fill.assign(book_.offer_count(), 0);
        return a;
    }

    // Shares `total` among `members` pro rata to `room` (capacity each), ties
    // of remainders to the smaller id. Requires total <= sum of room.
    static void share(std::vector<std::uint32_t>& members, std::vector<std::int64_t>& room,
                      const std::vector<std::string_view>& ids, std::int64_t total, std::int64_t* fill) {
        std::vector<std::string_view> member_ids;
        std::vector<std::uint32_t> local(members.size());
        for (std::uint32_t k = 0; k < members.size(); ++k) {
            local[k] = k;
            member_ids.push_back(ids[members[k]]);
        }
        std::vector<std::int64_t> got(members.size(), 0);
        std::vector<Remainder> scratch;
        share_pro_rata(local, room.data(), member_ids, total, got.data(), scratch);
        for (std::uint32_t k = 0; k < members.size(); ++k) fill[members[k]] += got[k];
    }

    Allocation build(const Incumbent& inc) {
        pp_ = price_problem(inc.p);
        in_ = inc.in;
        reset_decisions();
        advance_to(pp_.items.size());
        Allocation a = empty_allocation();
        a.volume = inc.volume;
        const std::int64_t cap = capped() ? cap_lots(inc.volume) : 0;

        // Demand: divisible above p and blocks in full; blocks at p at min;
        // the rest from the orders at p, pro rata to their room.
        std::int64_t demand = 0;
        for (std::uint32_t b = 0; b < book_.bid_count(); ++b)
            if (book_.bid_min[b] == 0 && book_.bid_price[b] > inc.p) demand += (a.bid_fill[b] = book_.bid_lots[b]);
        std::vector<std::uint32_t> at_members(pp_.bids_at);
        std::vector<std::int64_t> at_room;
        for (std::uint32_t b : pp_.bids_at) at_room.push_back(book_.bid_lots[b]);
        for (std::size_t k = 0; k < pp_.items.size(); ++k) {
            const BlockItem& it = pp_.items[k];
            if (!it.bid || !in_[k]) continue;
            a.bid_fill[it.order] = it.at_price ? it.min : it.lots;
            demand += a.bid_fill[it.order];
            if (it.at_price && it.lots > it.min) {
                at_members.push_back(it.order);
                at_room.push_back(it.lots - it.min);
            }
        }
        share(at_members, at_room, book_.bid_id, inc.volume - demand, a.bid_fill.data());

        // Supply, origin by origin: in full below p, or cut to the cap keeping
        // the cheapest lots; then what is missing from the orders at p.
        const std::vector<OriginRange> r = origin_ranges();
        std::int64_t supply = 0;
        std::vector<std::int64_t> origin_room(r.size(), 0);
        for (std::size_t c = 0; c < r.size(); ++c) {
            const bool cut = capped() && r[c].lo > cap;
            supply += cut ? fill_cut_origin(c, r[c], cap, a) : fill_full_origin(c, a);
            if (!cut) origin_room[c] = (capped() ? std::min(r[c].hi, cap) : r[c].hi) - r[c].lo;
        }
        fill_offers_at_price(inc.volume - supply, origin_room, r, cap, a);
        if (!price_interval(book_, a)) throw std::logic_error("jpclear: block search built an unsupported allocation");
        return a;
    }

    std::int64_t fill_full_origin(std::size_t c, Allocation& a) const {
        std::int64_t sold = 0;
        for (std::uint32_t o : pp_.origins[c].below) sold += (a.offer_fill[o] = book_.offer_lots[o]);
        for (std::size_t k = 0; k < pp_.items.size(); ++k) {
            const BlockItem& it = pp_.items[k];
            if (it.bid || !in_[k] || it.origin != c) continue;
            sold += (a.offer_fill[it.order] = it.at_price ? it.min : it.lots);
        }
        return sold;
    }

    // Cut to `cap`: every block at its min, then the cheapest lots below p
    // (equal asks pro rata), all orders at p otherwise idle.
    std::int64_t fill_cut_origin(std::size_t c, const OriginRange& r, std::int64_t cap, Allocation& a) const {
        std::vector<std::uint32_t> pool;
        std::vector<std::int64_t> room(book_.offer_count(), 0);
        for (std::size_t k = 0; k < pp_.items.size(); ++k) {
            const BlockItem& it = pp_.items[k];
            if (it.bid || !in_[k] || it.origin != c) continue;
            a.offer_fill[it.order] = it.min;
            if (!it.at_price && it.lots > it.min) {
                pool.push_back(it.order);
                room[it.order] = it.lots - it.min;
            }
        }
        for (std::uint32_t o : pp_.origins[c].below) {
            pool.push_back(o);
            room[o] = book_.offer_lots[o];
        }
        std::sort(pool.begin(), pool.end(), [&](std::uint32_t x, std::uint32_t y) {
            if (book_.offer_price[x] != book_.offer_price[y]) return book_.offer_price[x] < book_.offer_price[y];
            return book_.offer_id[x] < book_.offer_id[y];
        });
        std::int64_t left = cap - r.at_min - r.strict_min;
        for (std::size_t g = 0; g < pool.size() && left > 0;) {
            std::size_t h = g;
            std::int64_t group_room = 0;
            while (h < pool.size() && book_.offer_price[pool[h]] == book_.offer_price[pool[g]])
                group_room += room[pool[h++]];
            std::vector<std::uint32_t> members(pool.begin() + static_cast<std::ptrdiff_t>(g),
                                               pool.begin() + static_cast<std::ptrdiff_t>(h));
            std::vector<std::int64_t> member_room;
            for (std::uint32_t o : members) member_room.push_back(room[o]);
            const std::int64_t take = std::min(left, group_room);
            share(members, member_room, book_.offer_id, take, a.offer_fill.data());
            left -= take;
            g = h;
        }
        return cap;
    }

    // The orders at p of origins not cut fill `missing` lots pro rata to their
    // room; an origin that reaches its room (the cap) takes no more.
    void fill_offers_at_price(std::int64_t missing, std::vector<std::int64_t> origin_room,
                              const std::vector<OriginRange>& r, std::int64_t cap, Allocation& a) const {
        std::vector<std::uint32_t> members;
        std::vector<std::int64_t> room;
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (capped() && r[c].lo > cap) continue;
            for (std::uint32_t o : pp_.origins[c].at) {
                members.push_back(o);
                room.push_back(book_.offer_lots[o]);
            }
        }
        for (std::size_t k = 0; k < pp_.items.size(); ++k) {
            const BlockItem& it = pp_.items[k];
            if (it.bid || !in_[k] || !it.at_price || it.lots == it.min) continue;
            if (capped() && r[it.origin].lo > cap) continue;
            members.push_back(it.order);
            room.push_back(it.lots - it.min);
        }
        // Water-filling: share, clip origins past their room, share the rest.
        std::vector<bool> full_origin(r.size(), false);
        while (missing > 0) {
            std::vector<std::uint32_t> open;
            std::vector<std::int64_t> open_room;
            for (std::size_t k = 0; k < members.size(); ++k)
                if (!full_origin[book_.offer_origin[members[k]]] && room[k] > 0) {
                    open.push_back(members[k]);
                    open_room.push_back(room[k]);
                }
            std::vector<std::int64_t> trial(book_.offer_count(), 0);
            share(open, open_room, book_.offer_id, missing, trial.data());
            std::vector<std::int64_t> per_origin(r.size(), 0);
            for (std::uint32_t o : open) per_origin[book_.offer_origin[o]] += trial[o];
            bool clipped = false;
            for (std::size_t c = 0; c < r.size(); ++c) {
                if (full_origin[c] || per_origin[c] <= origin_room[c]) continue;
                // This origin takes exactly its room, pro rata among its own orders.
                std::vector<std::uint32_t> mine;
                std::vector<std::int64_t> mine_room;
                for (std::size_t k = 0; k < members.size(); ++k)
                    if (book_.offer_origin[members[k]] == c && room[k] > 0) {
                        mine.push_back(members[k]);
                        mine_room.push_back(room[k]);
                    }
                share(mine, mine_room, book_.offer_id, origin_room[c], a.offer_fill.data());
                missing -= origin_room[c];
                origin_room[c] = 0;
                full_origin[c] = true;
                clipped = true;
            }
            if (clipped) continue;
            for (std::uint32_t o : open) a.offer_fill[o] += trial[o];
            missing = 0;
        }
    }

    const OrderBook& book_;
    const Options& options_;
    Deadline deadline_;
    std::int64_t work_ = 0;  // node cost since the clock was last read
    int128 share_num_ = 0, share_den_ = 0;
    Sweep bids_, offers_, divisible_bids_, divisible_offers_;
    std::vector<std::uint32_t> offers_by_price_;
    std::int64_t volume_cap_ = 0;  // round_volume_cap()
    std::optional<CapRelaxation> cap_relaxation_;  // capped rounds only
    int128 cap_bound_ = 0;        // its bound over every price
    int128 price_cap_bound_ = 0;  // its bound at the price being searched
    PriceDuals duals_;            // the node bound's multipliers at that price
    std::map<std::int64_t, std::optional<ChosenDuals>> chosen_duals_;  // per price searched
    std::vector<std::uint32_t> bid_rank_, offer_rank_;  // each order's place among all ids

    PriceProblem pp_;
    std::map<std::int64_t, PriceProblem> kept_problems_;  // keep_price_problem()
    std::size_t kept_entries_ = 0;
    std::vector<char> in_;
    // The decisions as sums (reset_decisions()): items before decided_ are
    // decided as item_state_ says, the rest open.
    static constexpr char kOpen = 0, kIn = 1, kOut = 2;
    static constexpr std::uint32_t kNoItem = std::numeric_limits<std::uint32_t>::max();
    std::vector<char> item_state_;
    std::size_t decided_ = 0;
    std::vector<OriginSums> origin_sums_;
    std::int64_t demand_lo_in_ = 0, demand_hi_in_ = 0;  // decided-in bid blocks
    int128 bid_value_in_ = 0;
    LotsTree bid_density_, offer_density_;  // open strict blocks, least value a lot first
    std::vector<std::uint32_t> density_pos_;  // item -> its entry there
    std::vector<LotsTree> pool_;              // per origin, by ask (cut_value())
    std::vector<std::uint32_t> pool_pos_;     // strict offer item -> its entry in its origin's pool
    std::vector<std::uint32_t> item_of_offer_;  // offer -> its strict item, or kNoItem
    int128 base_value_ = 0;
    std::int64_t cut_room_ = 0;      // most supply the caps can cut at this price
    std::int64_t supply_floor_ = 0;  // least supply the caps leave at this price

    std::optional<Incumbent> best_;
    std::optional<Allocation> relaxed_solution_;  // the relaxed optimum, when it meets every rule
    int128 relaxed_welfare_ = 0;  // optimum of the relaxed market: a bound on everything
    std::int64_t relaxed_volume_ = 0;
    int128 best_welfare_ = 0;     // no trade: welfare 0, volume 0
    std::int64_t best_volume_ = 0;
    std::int64_t nodes_ = 0, prices_ = 0;
    std::int64_t price_node_limit_ = std::numeric_limits<std::int64_t>::max();  // nodes_ at which this price's budget ends
    bool global_stop_ = false;  // limit_reached() stopped on the node limit or the clock
};

}  // namespace detail

/// The exact optimum of a round with blocks and/or a cap; see the file comment.
inline BlockSearchOutcome clear_with_blocks(const OrderBook& book, const Options& options = {}) {
    return detail::BlockSearch(book, options).run();
}

}  // namespace jpclear
