#pragma once
// Why an order did not trade in full, kept as a sentence's template and its
// figures rather than as its text.
//
// A Result of 10^6 orders held some 800,000 sentences of about 107 bytes,
// nearly half its memory and most of the time to build it; most of each
// sentence is the same for every order at a place. So an order keeps only
// what is its own (its price, lots, minimum, place or origin), the Result
// keeps the shared parts once (ReasonFacts), and the words are put together
// when they are needed: reason_text() in result.h, or a writer as it streams.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jpclear/model/decimal.h"

namespace jpclear {

/// The sentence an unfilled order gets; `Reason::text`.
enum class ReasonText : std::uint8_t {
    none,             ///< filled in full: no reason
    no_trade,         ///< nothing traded in the round (the side's sentence)
    untraded_place,   ///< nothing traded at the order's place
    price_outside,    ///< its price is on the wrong side of the reference
    block_not_placed, ///< all-or-none / minimum that could not be placed
    block_cap_room,   ///< an offer block not placed, set against its origin's room under the cap
    not_reached,      ///< at the reference, but nobody at that price traded
    rationed,         ///< at the reference, shared the last lots pro rata
    excluded_origin,  ///< offer's origin is excluded
    not_certified,    ///< offer not certified where that is required
    origin_cap,       ///< its origin is at its cap
    written,          ///< a text given as it is (ReasonFacts::written)
};

/// An order's reason: a template and the figures that are the order's own.
/// 24 bytes, against a std::string and its ~107-byte sentence before.
struct Reason {
    ReasonText text = ReasonText::none;
    bool bid = true;          ///< which side's words (bids and offers lose differently)
    std::uint32_t where = 0;  ///< place index; origin index for origin_cap and block_cap_room; index into
                              ///< ReasonFacts::excluded or ::written for those
    std::int64_t price = 0;   ///< the order's own price, in ticks
    std::int32_t lots = 0;    ///< the order's lots (at most 10^9)
    std::int32_t part = 0;    ///< a part of `lots`: the minimum (block_not_placed), or
                              ///< the lots got (rationed, origin_cap)

    bool empty() const { return text == ReasonText::none; }
    friend bool operator==(const Reason&, const Reason&) = default;
};
static_assert(sizeof(Reason) <= 24, "a Reason is kept per order: keep it small");

/// The parts of reasons that many orders share, once per Result.
struct ReasonFacts {
    /// Per place (one, unnamed, in a round without logistics).
    struct Place {
        std::string name;            ///< the place's id; empty without logistics
        std::string reference_name;  ///< "the clearing price", "the price at JP-YOK", ...
        std::string bid_reference;   ///< the price a bid there is compared with, as text; empty: none
        std::string offer_reference; ///< likewise for an offer
        std::string route_in;        ///< "; the route A -> B is full (...)" for bids; empty: no full route
        std::string route_out;       ///< likewise for offers
        /// What a block set against, so its reason can say what did not fit
        /// (-1: not known, as with places, where routes decide what reaches it).
        std::int64_t supply_left = -1;  ///< unsold lots at or below bid_reference, each origin within its cap room
        std::int64_t demand_left = -1;  ///< unfilled bid lots at or above offer_reference
    };
    Decimal tick;                    ///< a price in ticks times this is per tonne
    std::vector<Place> places;
    std::string no_trade_bid, no_trade_offer;
    std::vector<std::string> origin_cap;  ///< per origin index: the sentence up to " (got ..."
    /// Per origin index, under a cap in a one-place round (else empty): its
    /// code, its lots of room floor(s * V) - sold, and how that room came
    /// about, " (max_origin_share 0.5 allows 681 of the 1362 cleared lots; it sold 640)".
    std::vector<std::string> origin_names;
    std::vector<std::int64_t> origin_room;
    std::vector<std::string> origin_room_text;
    std::vector<std::string> excluded;    ///< origin codes named by excluded-origin reasons
    std::vector<std::string> written;     ///< texts of `written` reasons
};

}  // namespace jpclear
