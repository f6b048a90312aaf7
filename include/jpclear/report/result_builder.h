#pragma once
// From an allocation to the typed Result: prices, statuses, reasons, awards
// and totals (spec sections 6-8).
//
// Every total is computed in whole tick-lots (int128) and turned into money
// once, as ticks * tick * lot_tonnes, so nothing is rounded on the way.
// Reasons compare each order with the reference price it lost against: the
// uniform price, or under pay-as-bid the interval's end that binds it.
//
// With places (spec 10) every figure is per place: the price lattice of the
// allocation (clearing/support.h) gives each traded place its interval, the
// uniform rule a price per place, routes their freight and congestion rents;
// reasons name the order's place and, where a full route set its price, the
// route. A one-place round is the one-node case of the same code.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jpclear/clearing/allocation.h"
#include "jpclear/clearing/market.h"
#include "jpclear/clearing/solution.h"
#include "jpclear/clearing/support.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/pricing/price.h"
#include "jpclear/report/awards.h"

namespace jpclear {

namespace detail {

class ResultBuilder {
public:
    /// With `keep_lines` false, build() leaves Result::bids and ::offers
    /// empty and the builder can make each line later (bid_line(),
    /// offer_line()); it then must outlive its use, as must what it refers to.
    ResultBuilder(const Round& round, const OrderBook& book, const Allocation& a,
                  const std::vector<std::int64_t>* arc_flow = nullptr, bool keep_lines = true)
        : round_(round),
          book_(book),
          a_(a),
          arc_flow_(arc_flow),
          digits_(std::max(book.tick.scale(), 0)),
          keep_lines_(keep_lines) {}
    ResultBuilder(const ResultBuilder&) = delete;
    ResultBuilder& operator=(const ResultBuilder&) = delete;

    /// The line of bid `b` (its index in round.bids), as build() makes it.
    OrderResult bid_line(std::size_t b) const {
        const std::int64_t x = a_.bid_fill[b], L = book_.bid_lots[b];
        const std::uint32_t q = bid_place(b);
        OrderResult o;
        o.order = OrderIndex{static_cast<std::uint32_t>(b)};
        o.id = round_.bids[b].id;
        o.filled = Lots{x};
        o.status = fill_status(x, L);
        if (x > 0) o.price = pays_[q];
        if (o.status != FillStatus::filled) classify(o, true, q, book_.bid_price[b], x, L, book_.bid_min[b], nullptr);
        return o;
    }

    /// The line of offer `i` (its index in round.offers); `e` is its index
    /// among the eligible offers (the Market's), read only when it is eligible.
    OrderResult offer_line(std::size_t i, std::size_t e) const {
        const Offer& offer = round_.offers[i];
        OrderResult o;
        o.order = OrderIndex{static_cast<std::uint32_t>(i)};
        o.id = offer.id;
        switch (book_.offer_eligibility[i]) {
            case Eligibility::excluded_origin:
                o.status = FillStatus::ineligible;
                o.reason_code = ReasonCode::excluded_origin;
                o.reason.text = ReasonText::excluded_origin;
                o.reason.bid = false;
                o.reason.where = excluded_index(offer.origin);
                return o;
            case Eligibility::not_certified:
                o.status = FillStatus::ineligible;
                o.reason_code = ReasonCode::not_certified;
                o.reason.text = ReasonText::not_certified;
                o.reason.bid = false;
                return o;
            case Eligibility::eligible: break;
        }
        const std::int64_t y = a_.offer_fill[e], L = book_.offer_lots[e], A = book_.offer_price[e];
        const std::uint32_t q = offer_place(e);
        o.filled = Lots{y};
        o.status = fill_status(y, L);
        if (y > 0) o.price = uniform() ? receives_[q] : price(A);
        if (o.status != FillStatus::filled) {
            const std::uint32_t origin = book_.offer_origin[e];
            classify(o, false, q, A, y, L, book_.offer_min[e], at_cap_[origin] ? &origin : nullptr, &origin);
        }
        return o;
    }

    Result build(Optimality optimality, const std::optional<int128>& bound_tick_lots) {
        if (book_.has_places()) return build_places(optimality, bound_tick_lots);
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

        place_.assign(1, Place{});
        Place& one = place_[0];
        one.traded = a_.volume > 0;
        one.buyers_pay = one.offers_receive = buyer_pays_;
        one.bid_reference = bid_reference_;
        one.offer_reference = offer_reference_;
        finish(r);
        awards(r);
        return r;
    }

    // Section 10: prices per place from the lattice, freight and rents.
    Result build_places(Optimality optimality, const std::optional<int128>& bound_tick_lots) {
        Result r;
        r.round = round_.id;
        r.currency = round_.currency;
        r.price_digits = digits_;
        r.optimality = optimality_ = optimality;
        if (optimality == Optimality::limit && bound_tick_lots) r.bound = money(*bound_tick_lots);
        r.cleared_lots = Lots{a_.volume};
        r.cleared_tonnes = Decimal::integer(a_.volume) * book_.lot_tonnes;
        r.status = a_.volume > 0 ? RoundStatus::cleared : RoundStatus::no_trade;
        r.has_places = true;
        const std::vector<std::int64_t>& flow = *arc_flow_;
        const std::size_t n = book_.nodes.size();

        int128 bid_value = 0, ask_cost = 0, freight = 0;
        std::vector<std::int64_t> bought(n, 0), sold(n, 0);
        for (std::size_t b = 0; b < book_.bid_count(); ++b) {
            bid_value = checked_add(bid_value, checked_mul(book_.bid_price[b], a_.bid_fill[b]));
            bought[book_.bid_node[b]] += a_.bid_fill[b];
        }
        for (std::size_t o = 0; o < book_.offer_count(); ++o) {
            ask_cost = checked_add(ask_cost, checked_mul(book_.offer_price[o], a_.offer_fill[o]));
            sold[book_.offer_node[o]] += a_.offer_fill[o];
        }
        for (std::size_t k = 0; k < book_.arcs.size(); ++k)
            freight = checked_add(freight, checked_mul(book_.arcs[k].freight, flow[k]));
        r.welfare = money(checked_sub(checked_sub(bid_value, ask_cost), freight));
        r.freight_cost = money(freight);

        const auto lattice = price_lattice(book_, a_, flow);
        if (!lattice) throw std::logic_error("jpclear: an allocation with places and no supporting prices");
        place_.assign(n, Place{});
        std::int64_t pooled = 0;
        if (a_.volume > 0 && !uniform()) pooled = pooled_mean_price(checked_add(ask_cost, freight), a_.volume);
        for (std::size_t q = 0; q < n; ++q) {
            Place& pl = place_[q];
            pl.traded = bought[q] > 0 || sold[q] > 0;
            if (!pl.traded) continue;
            const PlaceInterval& iv = (*lattice)[q];
            if (!iv.low || !iv.high) throw std::logic_error("jpclear: a traded place with an unbounded price");
            pl.interval = PriceInterval{*iv.low, *iv.high};
            pl.buyers_pay = uniform() ? uniform_price(pl.interval, round_.rules.k) : pooled;
            pl.offers_receive = pl.buyers_pay;
            pl.bid_reference = uniform() ? pl.buyers_pay : pl.interval.low;
            pl.offer_reference = uniform() ? pl.buyers_pay : pl.interval.high;
        }
        // Untraded places: a bid there lost to the lowest price the place
        // could have had, an offer to the highest (the lattice's ends).
        for (std::size_t q = 0; q < n; ++q) {
            Place& pl = place_[q];
            if (pl.traded) continue;
            const PlaceInterval& iv = (*lattice)[q];
            pl.bid_reference = iv.low ? *iv.low : std::numeric_limits<std::int64_t>::min();
            pl.offer_reference = iv.high ? *iv.high : std::numeric_limits<std::int64_t>::max();
        }

        int128 paid = 0, received = 0, rents = 0;
        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            paid = checked_add(paid, checked_mul(place_[book_.bid_node[b]].buyers_pay, a_.bid_fill[b]));
        if (a_.volume > 0) {
            if (uniform()) {
                for (std::size_t o = 0; o < book_.offer_count(); ++o)
                    received = checked_add(received,
                                           checked_mul(place_[book_.offer_node[o]].offers_receive, a_.offer_fill[o]));
                r.clearing_price = price(static_cast<std::int64_t>(detail::ceil_div(paid, a_.volume)));
                r.supplier_surplus = money(checked_sub(received, ask_cost));
                r.rounding_residual = Decimal();
            } else {
                received = ask_cost;
                r.clearing_price = price(pooled);
                r.supplier_surplus = Decimal();
                r.rounding_residual = money(checked_sub(paid, checked_add(ask_cost, freight)));
            }
            r.buyer_surplus = money(checked_sub(bid_value, paid));
        }

        for (std::size_t k = 0; k < book_.arcs.size(); ++k) {
            const Arc& arc = book_.arcs[k];
            RouteResult rr;
            rr.from = book_.nodes[arc.from];
            rr.to = book_.nodes[arc.to];
            rr.lots = Lots{flow[k]};
            rr.freight = price(arc.freight);
            rr.capacity = arc.capacity ? std::optional<Lots>(Lots{*arc.capacity}) : std::nullopt;
            rr.full = arc.capacity && flow[k] == *arc.capacity && flow[k] > 0;
            std::int64_t rent = 0;
            if (rr.full && uniform())
                rent = place_[arc.to].buyers_pay - place_[arc.from].offers_receive - arc.freight;
            rr.rent = price(rent);
            rents = checked_add(rents, checked_mul(rent, flow[k]));
            if (rent > 0) {
                place_[arc.to].full_route_in = static_cast<std::int64_t>(k);
                place_[arc.from].full_route_out = static_cast<std::int64_t>(k);
            }
            r.routes.push_back(std::move(rr));
        }
        // Buyers pay what suppliers receive, the freight, the rents and the residual.
        if (a_.volume > 0 && uniform() && paid != checked_add(checked_add(received, freight), rents))
            throw std::logic_error("jpclear: money does not add up across places");

        for (std::size_t q = 0; q < n; ++q) {
            PlaceResult pr;
            pr.bought = Lots{bought[q]};
            pr.sold = Lots{sold[q]};
            if (place_[q].traded) {
                pr.price = price(place_[q].buyers_pay);
                pr.price_low = price(place_[q].interval.low);
                pr.price_high = price(place_[q].interval.high);
            }
            r.places.emplace(book_.nodes[q], std::move(pr));
        }
        finish(r);
        route_awards(r);
        return r;
    }

private:
    static int128 checked_mul(std::int64_t a, std::int64_t b) {
        return detail::checked_mul(static_cast<int128>(a), static_cast<int128>(b));
    }

    /// The prices and references of one place (the one-place round has one).
    struct Place {
        bool traded = false;
        PriceInterval interval{0, 0};
        std::int64_t buyers_pay = 0;       // ticks per tonne
        std::int64_t offers_receive = 0;   // ticks per tonne (uniform)
        std::int64_t bid_reference = 0;    // the price a bid there is compared with
        std::int64_t offer_reference = 0;  // likewise for an offer
        std::int64_t bid_lots_at_reference = 0;    // lots bought there by bids priced at the reference
        std::int64_t offer_lots_at_reference = 0;  // lots sold there by offers priced at the reference
        std::int64_t full_route_in = -1;   // a full route with a rent into the place
        std::int64_t full_route_out = -1;  // ... out of it
    };

    std::uint32_t bid_place(std::size_t b) const { return book_.has_places() ? book_.bid_node[b] : 0; }
    std::uint32_t offer_place(std::size_t o) const { return book_.has_places() ? book_.offer_node[o] : 0; }

    // Per place: lots at the reference; per origin: totals and the cap.
    void finish(Result& r) {
        for (std::size_t b = 0; b < book_.bid_count(); ++b) {
            Place& pl = place_[bid_place(b)];
            if (book_.bid_price[b] == pl.bid_reference) pl.bid_lots_at_reference += a_.bid_fill[b];
        }
        for (std::size_t o = 0; o < book_.offer_count(); ++o) {
            Place& pl = place_[offer_place(o)];
            if (book_.offer_price[o] == pl.offer_reference) pl.offer_lots_at_reference += a_.offer_fill[o];
        }
        at_cap_ = origins_at_cap(book_, a_);
        origin_lots_ = origin_totals(book_, a_);
        if (book_.max_origin_share) cap_lots_ = origin_cap_lots(*book_.max_origin_share, a_.volume);
        reason_facts(r.reason_facts);
        // A price as a Decimal costs a 128-bit product and its normalisation;
        // under the uniform rule every order at a place gets the same one.
        pays_.clear();
        receives_.clear();
        for (const Place& pl : place_) {
            pays_.push_back(price(pl.buyers_pay));
            receives_.push_back(price(pl.offers_receive));
        }
        bids(r);
        offers(r);
        origins(r);
    }

    std::string place_name(std::uint32_t q) const { return book_.has_places() ? book_.nodes[q] : std::string(); }
    // "the clearing price" in one place; "the price at JP-YOK" with places.
    std::string reference_name(std::uint32_t q) const {
        if (!book_.has_places()) return uniform() ? "the clearing price" : "the marginal price";
        return (uniform() ? "the price at " : "the marginal price at ") + place_name(q);
    }
    // "; the route CL-ANF -> JP-YOK is full (6 lots): its rent 65.00 EUR/t"
    std::string full_route_text(std::int64_t k) const {
        const Arc& arc = book_.arcs[static_cast<std::size_t>(k)];
        const std::int64_t lots = *arc.capacity;
        const std::int64_t rent = place_[arc.to].buyers_pay - place_[arc.from].offers_receive - arc.freight;
        return "; the route " + place_name(arc.from) + " -> " + place_name(arc.to) + " is full (" +
               std::to_string(lots) + (lots == 1 ? " lot" : " lots") + "): its rent " + price_text(rent);
    }
    Decimal price(std::int64_t ticks) const { return Decimal::integer(ticks) * book_.tick; }
    Decimal money(int128 tick_lots) const { return Decimal::from_units(tick_lots, 0) * book_.tick * book_.lot_tonnes; }
    std::string price_text(std::int64_t ticks) const {
        return price(ticks).to_string(digits_) + " " + round_.currency + "/t";
    }
    bool uniform() const { return round_.rules.pricing == PricingRule::uniform; }

    // What the reasons share, once: per place its name, reference and full
    // routes, the no-trade sentences, the origins at their caps.
    void reason_facts(ReasonFacts& f) const {
        f.tick = book_.tick;
        f.places.resize(place_.size());
        for (std::size_t q = 0; q < place_.size(); ++q) {
            const Place& pl = place_[q];
            ReasonFacts::Place& fp = f.places[q];
            fp.name = place_name(static_cast<std::uint32_t>(q));
            fp.reference_name = reference_name(static_cast<std::uint32_t>(q));
            // An untraded place may have no price on a side (the lattice is open there).
            if (pl.bid_reference != std::numeric_limits<std::int64_t>::min())
                fp.bid_reference = price_text(pl.bid_reference);
            if (pl.offer_reference != std::numeric_limits<std::int64_t>::max())
                fp.offer_reference = price_text(pl.offer_reference);
            if (pl.full_route_in >= 0) fp.route_in = full_route_text(pl.full_route_in);
            if (pl.full_route_out >= 0) fp.route_out = full_route_text(pl.full_route_out);
        }
        if (a_.volume == 0) {
            f.no_trade_bid = no_trade_text(true);
            f.no_trade_offer = no_trade_text(false);
        }
        f.origin_cap.assign(book_.origins.size(), std::string());
        for (std::size_t c = 0; c < book_.origins.size(); ++c)
            if (at_cap_[c])
                f.origin_cap[c] = "origin " + book_.origins[c] + " is at its cap: it supplies " +
                                  std::to_string(origin_lots_[c]) + " of " + std::to_string(a_.volume) +
                                  " cleared lots, and max_origin_share " + book_.max_origin_share->to_string() +
                                  " allows at most " + std::to_string(cap_lots_);
        f.excluded = round_.rules.excluded_origins;
        block_facts(f);
    }

    // What a rejected block was set against, so that its reason says what did
    // not fit: per origin its room under the cap at the cleared volume, and
    // the supply and demand left at the references. Only in a one-place round
    // that traded: with places, what reaches a place depends on the routes,
    // and these sums would promise lots no route could carry.
    void block_facts(ReasonFacts& f) const {
        if (book_.has_places() || a_.volume == 0 || !place_[0].traded) return;
        const Place& pl = place_[0];
        const std::size_t origins = book_.origins.size();
        std::vector<std::int64_t> unsold(origins, 0);  // per origin: unsold lots at or below bid_reference
        for (std::size_t o = 0; o < book_.offer_count(); ++o)
            if (book_.offer_price[o] <= pl.bid_reference)
                unsold[book_.offer_origin[o]] += book_.offer_lots[o] - a_.offer_fill[o];
        std::int64_t supply = 0;
        if (book_.max_origin_share) {
            f.origin_names = book_.origins;
            f.origin_room.assign(origins, 0);
            f.origin_room_text.assign(origins, std::string());
            const std::string share = book_.max_origin_share->to_string();
            for (std::size_t c = 0; c < origins; ++c) {
                // The result is feasible, so sold <= K; the max only guards the words.
                const std::int64_t room = std::max<std::int64_t>(0, cap_lots_ - origin_lots_[c]);
                f.origin_room[c] = room;
                f.origin_room_text[c] = " (max_origin_share " + share + " allows " + std::to_string(cap_lots_) +
                                        " of the " + std::to_string(a_.volume) + " cleared lots; it sold " +
                                        std::to_string(origin_lots_[c]) + ")";
                supply += std::min(unsold[c], room);
            }
        } else {
            for (std::int64_t u : unsold) supply += u;
        }
        std::int64_t demand = 0;
        for (std::size_t b = 0; b < book_.bid_count(); ++b)
            if (book_.bid_price[b] >= pl.offer_reference) demand += book_.bid_lots[b] - a_.bid_fill[b];
        f.places[0].supply_left = supply;
        f.places[0].demand_left = demand;
    }

    std::string no_trade_text(bool is_bid) const {
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

    // The reason of an unfilled eligible order and its code: the first of no
    // trade, an untraded place, a price outside, a block not placed, the
    // origin cap (`capped_origin`: the offer's origin when at its cap), the
    // margin. `origin`: an offer's origin (null for a bid).
    void classify(OrderResult& o, bool bid, std::uint32_t q, std::int64_t own_price, std::int64_t got,
                  std::int64_t lots, std::int64_t min_lots, const std::uint32_t* capped_origin,
                  const std::uint32_t* origin = nullptr) const {
        const Place& pl = place_[q];
        Reason why;
        why.bid = bid;
        why.where = q;
        why.price = own_price;
        why.lots = static_cast<std::int32_t>(lots);  // validated: at most 10^9
        why.part = static_cast<std::int32_t>(min_lots);
        const std::int64_t full_route = bid ? pl.full_route_in : pl.full_route_out;
        if (a_.volume == 0) {
            o.reason_code = ReasonCode::no_trade;
            why.text = ReasonText::no_trade;
        } else if (!pl.traded) {
            o.reason_code = ReasonCode::price_outside;
            why.text = ReasonText::untraded_place;
        } else if (bid ? own_price < pl.bid_reference : own_price > pl.offer_reference) {
            o.reason_code = full_route >= 0 ? ReasonCode::route_full : ReasonCode::price_outside;
            why.text = ReasonText::price_outside;
        } else if (min_lots > 0 && got == 0) {
            o.reason_code = ReasonCode::block_not_placed;
            why.text = ReasonText::block_not_placed;
            // An offer under a cap is set against its origin's room, not the
            // demand left: the room is what a cap takes from it.
            if (origin && book_.max_origin_share && !book_.has_places()) {
                why.text = ReasonText::block_cap_room;
                why.where = *origin;
            }
        } else if (capped_origin) {
            o.reason_code = ReasonCode::origin_cap;
            why.text = ReasonText::origin_cap;
            why.where = *capped_origin;
            why.part = static_cast<std::int32_t>(got);
        } else {
            const std::int64_t at_reference = bid ? pl.bid_lots_at_reference : pl.offer_lots_at_reference;
            o.reason_code = at_reference ? ReasonCode::marginal_share : ReasonCode::not_reached;
            why.text = at_reference ? ReasonText::rationed : ReasonText::not_reached;
            why.part = static_cast<std::int32_t>(got);
        }
        o.reason = why;
    }

    static FillStatus fill_status(std::int64_t got, std::int64_t lots) {
        return got == lots ? FillStatus::filled : (got == 0 ? FillStatus::rejected : FillStatus::partial);
    }

    void bids(Result& r) {
        if (keep_lines_) r.bids.reserve(book_.bid_count());
        // Totals by bloc index, one lookup per bid: the Result's map is filled
        // once at the end (three map lookups per bid were a third of this loop).
        std::unordered_map<std::string_view, std::uint32_t> bloc_index;
        struct Bloc {
            std::string_view code;
            BlocTotals totals;
            int128 cost = 0, surplus = 0;  // tick-lots
            bool traded = false;           // has a filled bid (a surplus to write)
        };
        std::vector<Bloc> blocs;
        int128 surplus_total = 0;
        for (std::size_t b = 0; b < book_.bid_count(); ++b) {
            const Bid& bid = round_.bids[b];
            const std::int64_t x = a_.bid_fill[b], L = book_.bid_lots[b], P = book_.bid_price[b];
            const Place& pl = place_[bid_place(b)];
            if (keep_lines_) r.bids.push_back(bid_line(b));
            auto [it, fresh] = bloc_index.try_emplace(bid.bloc, static_cast<std::uint32_t>(blocs.size()));
            if (fresh) blocs.push_back(Bloc{bid.bloc, {}});
            Bloc& t = blocs[it->second];
            t.totals.bids += 1;
            t.totals.requested += Lots{L};
            t.totals.filled += Lots{x};
            t.cost = checked_add(t.cost, checked_mul(pl.buyers_pay, x));
            if (x > 0) {
                const int128 surplus = checked_mul(P - pl.buyers_pay, x);
                t.surplus = checked_add(t.surplus, surplus);
                t.traded = true;
                surplus_total = checked_add(surplus_total, surplus);
            }
        }
        for (Bloc& t : blocs) {
            t.totals.cost = money(t.cost);
            if (t.traded) t.totals.buyer_surplus = money(t.surplus);
            r.blocs.emplace(std::string(t.code), std::move(t.totals));
        }
        if (money(surplus_total) != r.buyer_surplus)
            throw std::logic_error("jpclear: the blocs' surpluses do not add up to the buyer surplus");
    }

    // The index of `origin` in rules.excluded_origins (ReasonFacts::excluded).
    std::uint32_t excluded_index(std::string_view origin) const {
        const std::vector<std::string>& list = round_.rules.excluded_origins;
        return static_cast<std::uint32_t>(std::find(list.begin(), list.end(), origin) - list.begin());
    }

    void offers(Result& r) {
        if (keep_lines_) r.offers.reserve(round_.offers.size());
        origin_surplus_.assign(book_.origins.size(), 0);
        std::size_t e = 0;  // index among eligible offers
        for (std::size_t i = 0; i < round_.offers.size(); ++i) {
            if (keep_lines_) r.offers.push_back(offer_line(i, e));
            if (book_.offer_eligibility[i] != Eligibility::eligible) continue;
            const std::int64_t y = a_.offer_fill[e];
            if (y > 0 && uniform()) {
                int128& s = origin_surplus_[book_.offer_origin[e]];
                s = checked_add(s, checked_mul(place_[offer_place(e)].offers_receive - book_.offer_price[e], y));
            }
            ++e;
        }
    }

    void awards(Result& r) {
        const std::vector<AwardLots> matched = match_awards(book_, a_);
        r.awards.reserve(matched.size());  // grown by doubling, the old and new lists were both held at the peak
        for (const AwardLots& m : matched) {
            Award aw;
            aw.bid = OrderIndex{m.bid};
            aw.offer = OrderIndex{book_.offer_input[m.offer]};
            aw.lots = Lots{m.lots};
            aw.price = uniform() ? pays_[0] : price(book_.offer_price[m.offer]);
            r.awards.push_back(aw);
        }
    }

    // Spec 10, awards: route by route in input order, its lots front to front
    // between the accepted offers at its port and the accepted bids at its
    // delivery place that still have lots (A ascending / P descending, then id).
    void route_awards(Result& r) {
        const std::size_t n = book_.nodes.size();
        std::vector<std::vector<std::uint32_t>> offers_at(n), bids_at(n);
        for (std::uint32_t o = 0; o < book_.offer_count(); ++o)
            if (a_.offer_fill[o] > 0) offers_at[book_.offer_node[o]].push_back(o);
        for (std::uint32_t b = 0; b < book_.bid_count(); ++b)
            if (a_.bid_fill[b] > 0) bids_at[book_.bid_node[b]].push_back(b);
        for (auto& list : offers_at)
            std::sort(list.begin(), list.end(), [&](std::uint32_t i, std::uint32_t j) {
                if (book_.offer_price[i] != book_.offer_price[j]) return book_.offer_price[i] < book_.offer_price[j];
                return book_.offer_id[i] < book_.offer_id[j];
            });
        for (auto& list : bids_at)
            std::sort(list.begin(), list.end(), [&](std::uint32_t i, std::uint32_t j) {
                if (book_.bid_price[i] != book_.bid_price[j]) return book_.bid_price[i] > book_.bid_price[j];
                return book_.bid_id[i] < book_.bid_id[j];
            });
        std::vector<std::int64_t> offer_left(a_.offer_fill), bid_left(a_.bid_fill);
        std::vector<std::size_t> offer_cursor(n, 0), bid_cursor(n, 0);
        for (std::size_t k = 0; k < book_.arcs.size(); ++k) {
            const Arc& arc = book_.arcs[k];
            std::int64_t left = (*arc_flow_)[k];
            while (left > 0) {
                std::size_t& oc = offer_cursor[arc.from];
                std::size_t& bc = bid_cursor[arc.to];
                while (oc < offers_at[arc.from].size() && offer_left[offers_at[arc.from][oc]] == 0) ++oc;
                while (bc < bids_at[arc.to].size() && bid_left[bids_at[arc.to][bc]] == 0) ++bc;
                if (oc == offers_at[arc.from].size() || bc == bids_at[arc.to].size())
                    throw std::logic_error("jpclear: route flow without orders to award it to");
                const std::uint32_t o = offers_at[arc.from][oc], b = bids_at[arc.to][bc];
                const std::int64_t lots = std::min({left, offer_left[o], bid_left[b]});
                Award aw;
                aw.bid = OrderIndex{b};
                aw.offer = OrderIndex{book_.offer_input[o]};
                aw.lots = Lots{lots};
                aw.price = uniform() ? receives_[arc.from] : price(book_.offer_price[o]);
                r.awards.push_back(aw);
                left -= lots;
                offer_left[o] -= lots;
                bid_left[b] -= lots;
            }
        }
    }

    void origins(Result& r) {
        int128 surplus_total = 0;
        for (int128 s : origin_surplus_) surplus_total = checked_add(surplus_total, s);
        if (money(surplus_total) != r.supplier_surplus)
            throw std::logic_error("jpclear: the origins' surpluses do not add up to the supplier surplus");
        for (std::size_t c = 0; c < book_.origins.size(); ++c) {
            OriginTotals t;
            t.lots = Lots{origin_lots_[c]};
            // lots / V to 6 decimals, an exact half rounded up.
            int128 share = 0;
            if (a_.volume > 0)
                share = (static_cast<int128>(origin_lots_[c]) * 2'000'000 + a_.volume) / (2 * static_cast<int128>(a_.volume));
            t.share = Decimal::from_units(share, 6);
            t.supplier_surplus = money(origin_surplus_[c]);
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
    const std::vector<std::int64_t>* arc_flow_;  // with places only
    int digits_;
    bool keep_lines_;
    std::vector<Place> place_;
    Optimality optimality_ = Optimality::proven;
    PriceInterval interval_{0, 0};
    std::int64_t buyer_pays_ = 0;       // ticks per tonne
    std::int64_t bid_reference_ = 0;    // ticks
    std::int64_t offer_reference_ = 0;  // ticks
    std::vector<Decimal> pays_, receives_;  // per place: price(buyers_pay), price(offers_receive)
    std::vector<bool> at_cap_;
    std::vector<std::int64_t> origin_lots_;
    std::vector<int128> origin_surplus_;  // tick-lots, by origin index
    std::int64_t cap_lots_ = 0;
};

}  // namespace detail

/// The Result of `solution` for `round` (prepared into `market`); see the
/// file comment.
inline Result build_result(const Round& round, const Market& market, const Solution& solution) {
    return detail::ResultBuilder(round, market, solution.allocation, &solution.arc_flow)
        .build(solution.optimality, solution.bound);
}

/// The Result of `a` for `round` (prepared into `book`).
inline Result build_result(const Round& round, const OrderBook& book, const Allocation& a,
                           Optimality optimality = Optimality::proven,
                           const std::optional<int128>& bound_tick_lots = std::nullopt) {
    return detail::ResultBuilder(round, book, a).build(optimality, bound_tick_lots);
}

}  // namespace jpclear
