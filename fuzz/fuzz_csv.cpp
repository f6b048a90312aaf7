// Fuzz target: the CSV readers (RFC 4180, header row naming fields).
//
// The same bytes are read as a bids file, an offers file and a routes file.
// Invariants: no row is returned when any problem is (nothing half-read),
// every problem has a message, and no more rows come back than the limit
// allows.

#include <cstddef>
#include <cstdint>

#include "fuzz_check.h"
#include "jpclear/io.h"

namespace {

template <class Read>
void check(const Read& read, const jpclear::ReadLimits& limits, std::size_t count) {
    JPCLEAR_FUZZ_REQUIRE(read.problems.empty() || count == 0);
    JPCLEAR_FUZZ_REQUIRE(count <= limits.max_orders);
    for (const jpclear::Problem& p : read.problems) JPCLEAR_FUZZ_REQUIRE(!p.message.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace jpclear;
    const ReadLimits limits = fuzz::fuzz_limits();
    const auto text = fuzz::as_text(data, size);
    const BidsRead bids = read_bids_csv(text, "bids.csv", limits);
    check(bids, limits, bids.bids.size());
    const OffersRead offers = read_offers_csv(text, "offers.csv", limits);
    check(offers, limits, offers.offers.size());
    const RoutesRead routes = read_routes_csv(text, "routes.csv", limits);
    check(routes, limits, routes.routes.size());
    return 0;
}
