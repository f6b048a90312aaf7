// Fuzz target: read a round, then clear it, as `jpclear clear` does.
//
// Checked on every input that reads and validates: the call either fails
// with problems and no result, or gives a result in which every order of the
// input appears once, in input order; lots are conserved (bids filled =
// offers filled = cleared lots = awarded lots); no order trades more than it
// offered or less than its minimum; buyers' payments equal suppliers'
// receipts plus the rounding residual (with places, plus freight and rents,
// and the routes carry every lot); and the result's bytes are the same when
// the round is cleared again by clear_streamed() (its lines made as they are
// written; its summary and CSV tables too), and (orders permuted back) when
// the input lists are reversed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "jpclear/clear.h"
#include "jpclear/io.h"

namespace {

using namespace jpclear;

// A search limit small enough that each input clears in milliseconds.
Options fuzz_options() {
    Options options;
    options.node_limit = 5000;
    return options;
}

template <class Order>
void check_orders(const std::vector<Order>& input, const std::vector<OrderResult>& results, std::int64_t& filled) {
    JPCLEAR_FUZZ_REQUIRE(results.size() == input.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const OrderResult& r = results[i];
        JPCLEAR_FUZZ_REQUIRE(r.order.value == i);
        const std::int64_t lots = r.filled.count;
        JPCLEAR_FUZZ_REQUIRE(lots >= 0 && lots <= input[i].lots);
        JPCLEAR_FUZZ_REQUIRE(lots == 0 || lots >= input[i].min_lots);
        JPCLEAR_FUZZ_REQUIRE((lots > 0) == r.price.has_value());
        JPCLEAR_FUZZ_REQUIRE((r.status == FillStatus::filled) == (lots == input[i].lots));
        JPCLEAR_FUZZ_REQUIRE((r.status == FillStatus::filled) == r.reason.empty());
        filled += lots;
    }
}

// Money each side moves: sum of lots x price x lot_tonnes.
Decimal money(const std::vector<OrderResult>& results, const Decimal& lot_tonnes) {
    Decimal total;
    for (const OrderResult& r : results)
        if (r.price) total = total + *r.price * Decimal::integer(r.filled.count) * lot_tonnes;
    return total;
}

void check_result(const Round& round, const Result& result) {
    std::int64_t bid_lots = 0, offer_lots = 0, awarded = 0;
    check_orders(round.bids, result.bids, bid_lots);
    check_orders(round.offers, result.offers, offer_lots);
    for (const Award& a : result.awards) {
        JPCLEAR_FUZZ_REQUIRE(a.lots.count > 0);
        awarded += a.lots.count;
    }
    JPCLEAR_FUZZ_REQUIRE(bid_lots == result.cleared_lots.count);
    JPCLEAR_FUZZ_REQUIRE(offer_lots == result.cleared_lots.count);
    JPCLEAR_FUZZ_REQUIRE(awarded == result.cleared_lots.count);
    const Decimal& tonnes = round.material.lot_tonnes;
    // With places (spec 10) buyers also pay the freight and the routes' rents.
    Decimal rents;
    std::int64_t carried = 0;
    for (const RouteResult& r : result.routes) {
        rents = rents + r.rent * Decimal::integer(r.lots.count) * tonnes;
        carried += r.lots.count;
    }
    JPCLEAR_FUZZ_REQUIRE(!result.has_places || carried == result.cleared_lots.count);
    JPCLEAR_FUZZ_REQUIRE(money(result.bids, tonnes) ==
                         money(result.offers, tonnes) + result.rounding_residual + result.freight_cost + rents);
}

template <class Order>
std::vector<Order> reversed(std::vector<Order> v) {
    std::reverse(v.begin(), v.end());
    return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const RoundRead read = read_round_json(fuzz::as_text(data, size), fuzz::fuzz_limits());
    if (!read.round) return 0;
    const Round& round = *read.round;
    const Options options = fuzz_options();

    const ClearOutcome first = clear(round, options);
    JPCLEAR_FUZZ_REQUIRE(first.ok() == first.result.has_value());
    JPCLEAR_FUZZ_REQUIRE(first.ok() == first.problems.empty());
    const StreamedOutcome second = clear_streamed(round, options);
    JPCLEAR_FUZZ_REQUIRE(second.status == first.status && second.problems.size() == first.problems.size());
    if (!first.ok()) return 0;
    check_result(round, *first.result);

    const std::string bytes = result_json(round, *first.result);
    JPCLEAR_FUZZ_REQUIRE(second.ok() && result_json(round, *second.result) == bytes);
    // What the command line writes beside it reads the lines again: the
    // summary with every order and each CSV table, the same from both.
    SummaryOptions every_order;
    every_order.orders = true;
    every_order.order_rows = 0;
    JPCLEAR_FUZZ_REQUIRE(summary_table(round, *second.result, every_order) ==
                         summary_table(round, *first.result, every_order));
    for (CsvTable table : csv_tables(*first.result)) {
        std::ostringstream made, held;
        write_result_csv(made, table, round, *second.result);
        write_result_csv(held, table, round, *first.result);
        JPCLEAR_FUZZ_REQUIRE(made.str() == held.str());
    }

    // The lists reversed: the same result, its order lines reversed back.
    Round mirrored = round;
    mirrored.bids = reversed(round.bids);
    mirrored.offers = reversed(round.offers);
    const ClearOutcome mirror = clear(mirrored, options);
    JPCLEAR_FUZZ_REQUIRE(mirror.ok());
    Result restored = *mirror.result;
    restored.bids = reversed(restored.bids);
    restored.offers = reversed(restored.offers);
    const std::size_t nb = round.bids.size(), no = round.offers.size();
    for (OrderResult& r : restored.bids) r.order.value = static_cast<std::uint32_t>(nb - 1 - r.order.value);
    for (OrderResult& r : restored.offers) r.order.value = static_cast<std::uint32_t>(no - 1 - r.order.value);
    for (Award& a : restored.awards) {
        a.bid.value = static_cast<std::uint32_t>(nb - 1 - a.bid.value);
        a.offer.value = static_cast<std::uint32_t>(no - 1 - a.offer.value);
    }
    JPCLEAR_FUZZ_REQUIRE(result_json(round, restored) == bytes);
    return 0;
}
