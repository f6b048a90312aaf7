// Build a round in code (or load one from JSON), clear it, read the typed
// result and write it as JSON.
//
//   clear_in_code                 clears a small EU-Japan round built below
//   clear_in_code ROUND.json      clears the round in that file

#include <cstdint>
#include <iostream>

#include "jpclear/io.h"
#include "jpclear/jpclear.h"

namespace {

jpclear::Round small_round() {
    using jpclear::dec;
    jpclear::Round round;
    round.id = "example-in-code";
    round.material = {"NI-CLASS1", "Nickel, class 1 briquettes", dec("10")};
    round.currency = "EUR";
    round.fx["JPY"] = dec("0.0061");
    round.rules.pricing = jpclear::PricingRule::uniform;
    round.rules.k = dec("0.5");
    // Orders are plain structs; fields left alone keep their defaults (no
    // minimum, the clearing currency, no delivery place).
    auto bid = [&](const char* id, const char* buyer, const char* bloc, std::int64_t lots, const char* limit,
                   const char* currency = nullptr) {
        jpclear::Bid b;
        b.id = id;
        b.buyer = buyer;
        b.bloc = bloc;
        b.lots = lots;
        b.limit = dec(limit);
        if (currency) b.currency = currency;
        round.bids.push_back(b);
    };
    auto offer = [&](const char* id, const char* supplier, const char* origin, std::int64_t lots, const char* ask) {
        jpclear::Offer o;
        o.id = id;
        o.supplier = supplier;
        o.origin = origin;
        o.lots = lots;
        o.ask = dec(ask);
        o.certified = true;
        round.offers.push_back(o);
    };
    bid("eu-1", "Cathode Works", "EU", 6, "17200");
    bid("jp-1", "Kansai Metals", "JP", 5, "2800000", "JPY");
    bid("eu-2", "Alpine Alloys", "EU", 4, "16500");
    offer("id-1", "Sulawesi Nickel", "ID", 8, "16100");
    offer("au-1", "Kambalda Refining", "AU", 4, "16800");
    return round;
}

}  // namespace

int main(int argc, char** argv) {
    jpclear::Round round;
    if (argc > 1) {
        jpclear::RoundRead read = jpclear::read_round_file(argv[1]);
        for (const jpclear::Problem& p : read.problems) std::cerr << p.to_string() << "\n";
        if (!read.round) return 2;
        round = std::move(*read.round);
    } else {
        round = small_round();
    }

    jpclear::ClearOutcome outcome = jpclear::clear(round);
    if (!outcome.ok()) {
        // "Did the call work" is apart from "what was found": nothing to read here.
        for (const jpclear::Problem& p : outcome.problems) std::cerr << p.to_string() << "\n";
        return outcome.status == jpclear::CallStatus::invalid_input ? 2 : 1;
    }
    const jpclear::Result& result = *outcome.result;
    if (result.status == jpclear::RoundStatus::cleared)
        std::cerr << "cleared " << result.cleared_lots.count << " lots at "
                  << result.clearing_price->to_string(result.price_digits) << " " << result.currency << "/t\n";
    else
        std::cerr << "no trade\n";
    for (const jpclear::OrderResult& bid : result.bids)
        std::cerr << "  " << round.bids[bid.order.value].id << ": " << bid.filled.count << " lots"
                  << (bid.reason.empty() ? "" : " (" + jpclear::reason_text(result, bid) + ")") << "\n";
    jpclear::write_result_json(std::cout, round, result);
    return 0;
}
