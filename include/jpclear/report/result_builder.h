#pragma once
// From an allocation to the typed Result: prices, statuses, reasons, awards
// and totals (spec sections 6-8).
//
// Every total is computed in whole tick-lots (int128) and turned into money
// once, as ticks * tick * lot_tonnes, so nothing is rounded on the way.
// Reasons compare each order with the reference price it lost against: the
// uniform price, or under pay-as-bid the interval's end that binds it.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/order_book.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/pricing/interval.h"
#include "jpclear/pricing/price.h"
#include "jpclear/report/awards.h"

namespace jpclear {

namespace detail {

class ResultBuilder {
public:
    ResultBuilder(const Round& round, const OrderBook& book, const Allocation& a)
        : round_(round), book_(book), a_(a), digits_(std::max(book.tick.scale(), 0)) {}

    Result build(Optimality optimality, const std::optional<int128>& bound_tick_lots) {
        Result r;
        r.round = round_.id;
        r.currency = round_.currency;
        r.price_digits = digits_;
        r.optimality = optimality;
        optimality_ = optimality;
        if (optimality == Optimality::limit && bound_tick_lots) r.bound = money(*bound_tick_lots);
        r.cleared_lots = Lots{a_.volume};
        r.cleared_tonnes = Decimal::integer(a_.volume) * book_.lot_tonnes;
        r.status = a_.volume > 0 ? RoundStatus::cleared : RoundStatus::no_trade;

        int128 bid_value = 0, ask_cost = 0;  // sum P x and sum A y, tick-lots
        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            bid_value = checked_add(bid_value, checked_mul(book_.bid_price[b], a_.bid_fill[b]));
        for (std::size_t o = 0; o < book_.offer_count(); ++o)
            ask_cost = checked_add(ask_cost, checked_mul(book_.offer_price[o], a_.offer_fill[o]));
        r.welfare = money(checked_sub(bid_value, ask_cost));

        if (a_.volume > 0) {
            auto interval = price_interval(book_, a_);
            if (!interval) throw std::logic_error("jpclear: allocation without a supporting price");
            interval_ = *interval;
            r.price_low = price(interval_.low);
            r.price_high = price(interval_.high);
            if (round_.rules.pricing == PricingRule::uniform) {
                buyer_pays_ = uniform_price(interval_, round_.rules.k);
                const int128 paid = checked_mul(buyer_pays_, a_.volume);
                r.buyer_surplus = money(checked_sub(bid_value, paid));
                r.supplier_surplus = money(checked_sub(paid, ask_cost));
                r.rounding_residual = Decimal();
                bid_reference_ = offer_reference_ = buyer_pays_;
            } else {
                buyer_pays_ = pooled_mean_price(ask_cost, a_.volume);
                const int128 paid = checked_mul(buyer_pays_, a_.volume);
                r.buyer_surplus = money(checked_sub(bid_value, paid));
                r.supplier_surplus = Decimal();
                r.rounding_residual = money(checked_sub(paid, ask_cost));
                bid_reference_ = interval_.low;
                offer_reference_ = interval_.high;
            }
            r.clearing_price = price(buyer_pays_);
        }

        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            if (book_.bid_price[b] == bid_reference_) bid_lots_at_reference_ += a_.bid_fill[b];
        for (std::size_t o = 0; o < book_.offer_count(); ++o)
            if (book_.offer_price[o] == offer_reference_) offer_lots_at_reference_ += a_.offer_fill[o];
        at_cap_ = origins_at_cap(book_, a_);
        origin_lots_ = origin_totals(book_, a_);
        if (book_.max_origin_share) cap_lots_ = origin_cap_lots(*book_.max_origin_share, a_.volume);
        bids(r);
        offers(r);
        awards(r);
        origins(r);
        return r;
    }

private:
    static int128 checked_mul(std::int64_t a, std::int64_t b) {
        return detail::checked_mul(static_cast<int128>(a), static_cast<int128>(b));
    }

    Decimal price(std::int64_t ticks) const { return Decimal::integer(ticks) * book_.tick; }
    Decimal money(int128 tick_lots) const { return Decimal::from_units(tick_lots, 0) * book_.tick * book_.lot_tonnes; }
    std::string price_text(std::int64_t ticks) const {
        return price(ticks).to_string(digits_) + " " + round_.currency + "/t";
    }
    bool uniform() const { return round_.rules.pricing == PricingRule::uniform; }
    const char* reference_name() const { return uniform() ? "the clearing price" : "the marginal price"; }

    std::string no_trade_reason(bool is_bid) const {
        if (optimality_ == Optimality::limit)
            return "nothing traded: the search for blocks and caps stopped at its limit before it found a trade "
                   "(raise --node-limit / --time-limit-ms)";
        if (is_bid && book_.offer_count() == 0) return "no eligible offer in the round; nothing traded";
        if (!is_bid && book_.bid_count() == 0) return "no bid in the round; nothing traded";
        if (is_bid) {
            auto lowest = *std::min_element(book_.offer_price.begin(), book_.offer_price.end());
            return "nothing traded: no price consistent with the rules lets any bid meet an offer (lowest eligible ask " +
                   price_text(lowest) + ")";
        }
        auto highest = *std::max_element(book_.bid_price.begin(), book_.bid_price.end());
        return "nothing traded: no price consistent with the rules lets any offer meet a bid (highest bid " +
               price_text(highest) + ")";
    }

    std::string rationed(std::int64_t got, std::int64_t lots, std::int64_t own_price, const char* side,
                         std::int64_t lots_at_price) const {
        // Nobody at this price traded: the better-priced side took everything.
        if (lots_at_price == 0)
            return std::string("not reached: its price ") + price_text(own_price) + " equals " + reference_name() +
                   ", but " + (side[0] == 'b' ? "higher bids took all the lots offered at that price"
                                              : "cheaper offers covered all the demand at that price");
        return "rationed at the margin: its price " + price_text(own_price) + " equals " + reference_name() +
               ", and the " + side + " at that price shared the remaining lots pro rata to size (got " +
               std::to_string(got) + " of " + std::to_string(lots) + ")";
    }

    std::string block_text(std::int64_t min_lots, std::int64_t lots) const {
        std::string what = min_lots == lots ? "all-or-none order of " + std::to_string(lots) + " lots"
                                            : "minimum of " + std::to_string(min_lots) +
                                                  (min_lots == 1 ? " lot" : " lots");
        return "block not placed: its " + what +
               " did not fit any welfare-maximal allocation that one uniform price supports "
               "(a block may be rejected even when the price suits it)";
    }

    static FillStatus fill_status(std::int64_t got, std::int64_t lots) {
        return got == lots ? FillStatus::filled : (got == 0 ? FillStatus::rejected : FillStatus::partial);
    }

    void bids(Result& r) {
        r.bids.reserve(book_.bid_count());
        std::unordered_map<std::string_view, BlocTotals*> bloc_of;
        std::unordered_map<std::string_view, int128> bloc_cost;  // tick-lots
        for (std::size_t b = 0; b < book_.bid_count(); ++b) {
            const Bid& bid = round_.bids[b];
            const std::int64_t x = a_.bid_fill[b], L = book_.bid_lots[b], P = book_.bid_price[b];
            OrderResult o;
            o.order = OrderIndex{static_cast<std::uint32_t>(b)};
            o.filled = Lots{x};
            o.status = fill_status(x, L);
            if (x > 0) o.price = price(buyer_pays_);
            if (o.status != FillStatus::filled) {
                if (a_.volume == 0) {
                    o.reason_code = ReasonCode::no_trade;
                    o.reason = no_trade_reason(true);
                } else if (P < bid_reference_) {
                    o.reason_code = ReasonCode::price_outside;
                    o.reason = "limit " + price_text(P) + " (converted to the tick grid) is below " +
                               reference_name() + " " + price_text(bid_reference_);
                } else if (book_.bid_min[b] > 0 && x == 0) {
                    o.reason_code = ReasonCode::block_not_placed;
                    o.reason = block_text(book_.bid_min[b], L);
                } else {
                    o.reason_code = bid_lots_at_reference_ ? ReasonCode::marginal_share : ReasonCode::not_reached;
                    o.reason = rationed(x, L, P, "bids", bid_lots_at_reference_);
                }
            }
            auto [it, fresh] = bloc_of.try_emplace(bid.bloc, nullptr);
            if (fresh) it->second = &r.blocs[bid.bloc];
            BlocTotals& t = *it->second;
            t.bids += 1;
            t.requested += Lots{L};
            t.filled += Lots{x};
            int128& cost = bloc_cost[bid.bloc];
            cost = checked_add(cost, checked_mul(buyer_pays_, x));
            r.bids.push_back(std::move(o));
        }
        for (auto& [code, cost] : bloc_cost) r.blocs[std::string(code)].cost = money(cost);
    }

    void offers(Result& r) {
        r.offers.reserve(round_.offers.size());
        std::size_t e = 0;  // index among eligible offers
        for (std::size_t i = 0; i < round_.offers.size(); ++i) {
            const Offer& offer = round_.offers[i];
            OrderResult o;
            o.order = OrderIndex{static_cast<std::uint32_t>(i)};
            switch (book_.offer_eligibility[i]) {
                case Eligibility::excluded_origin:
                    o.status = FillStatus::ineligible;
                    o.reason_code = ReasonCode::excluded_origin;
                    o.reason = "ineligible: origin " + offer.origin + " is in rules.excluded_origins";
                    r.offers.push_back(std::move(o));
                    continue;
                case Eligibility::not_certified:
                    o.status = FillStatus::ineligible;
                    o.reason_code = ReasonCode::not_certified;
                    o.reason = "ineligible: the offer is not certified and rules.require_certified is true";
                    r.offers.push_back(std::move(o));
                    continue;
                case Eligibility::eligible: break;
            }
            const std::int64_t y = a_.offer_fill[e], L = book_.offer_lots[e], A = book_.offer_price[e];
            o.filled = Lots{y};
            o.status = fill_status(y, L);
            if (y > 0) o.price = price(uniform() ? buyer_pays_ : A);
            if (o.status != FillStatus::filled) {
                const std::uint32_t origin = book_.offer_origin[e];
                if (a_.volume == 0) {
                    o.reason_code = ReasonCode::no_trade;
                    o.reason = no_trade_reason(false);
                } else if (A > offer_reference_) {
                    o.reason_code = ReasonCode::price_outside;
                    o.reason = "ask " + price_text(A) + " (converted to the tick grid) is above " + reference_name() +
                               " " + price_text(offer_reference_);
                } else if (book_.offer_min[e] > 0 && y == 0) {
                    o.reason_code = ReasonCode::block_not_placed;
                    o.reason = block_text(book_.offer_min[e], L);
                } else if (at_cap_[origin]) {
                    o.reason_code = ReasonCode::origin_cap;
                    o.reason = "origin " + book_.origins[origin] + " is at its cap: it supplies " +
                               std::to_string(origin_lots_[origin]) + " of " + std::to_string(a_.volume) +
                               " cleared lots, and max_origin_share " + book_.max_origin_share->to_string() +
                               " allows at most " + std::to_string(cap_lots_) + " (got " + std::to_string(y) +
                               " of " + std::to_string(L) + ")";
                } else {
                    o.reason_code = offer_lots_at_reference_ ? ReasonCode::marginal_share : ReasonCode::not_reached;
                    o.reason = rationed(y, L, A, "offers", offer_lots_at_reference_);
                }
            }
            r.offers.push_back(std::move(o));
            ++e;
        }
    }

    void awards(Result& r) {
        for (const AwardLots& m : match_awards(book_, a_)) {
            Award aw;
            aw.bid = OrderIndex{m.bid};
            aw.offer = OrderIndex{book_.offer_input[m.offer]};
            aw.lots = Lots{m.lots};
            aw.price = price(uniform() ? buyer_pays_ : book_.offer_price[m.offer]);
            r.awards.push_back(aw);
        }
    }

    void origins(Result& r) {
        for (std::size_t c = 0; c < book_.origins.size(); ++c) {
            OriginTotals t;
            t.lots = Lots{origin_lots_[c]};
            // lots / V to 6 decimals, an exact half rounded up.
            int128 share = 0;
            if (a_.volume > 0)
                share = (static_cast<int128>(origin_lots_[c]) * 2'000'000 + a_.volume) / (2 * static_cast<int128>(a_.volume));
            t.share = Decimal::from_units(share, 6);
            if (book_.max_origin_share) {
                t.cap = book_.max_origin_share;
                t.cap_lots = Lots{cap_lots_};
            }
            r.origins.emplace(book_.origins[c], std::move(t));
        }
    }

    const Round& round_;
    const OrderBook& book_;
    const Allocation& a_;
    int digits_;
    Optimality optimality_ = Optimality::proven;
    PriceInterval interval_{0, 0};
    std::int64_t buyer_pays_ = 0;       // ticks per tonne
    std::int64_t bid_reference_ = 0;    // ticks
    std::int64_t offer_reference_ = 0;  // ticks
    std::int64_t bid_lots_at_reference_ = 0;    // lots bought by bids priced at the reference
    std::int64_t offer_lots_at_reference_ = 0;  // lots sold by offers priced at the reference
    std::vector<bool> at_cap_;
    std::vector<std::int64_t> origin_lots_;
    std::int64_t cap_lots_ = 0;
};

}  // namespace detail

/// The Result of `a` for `round` (prepared into `book`).
inline Result build_result(const Round& round, const OrderBook& book, const Allocation& a,
                           Optimality optimality = Optimality::proven,
                           const std::optional<int128>& bound_tick_lots = std::nullopt) {
    return detail::ResultBuilder(round, book, a).build(optimality, bound_tick_lots);
}

}  // namespace jpclear
