// Fuzz target: the CSV readers (RFC 4180, header row naming fields, ';'
// files with decimal commas as Excel writes them).
//
// The same bytes are read as a bids file, an offers file and a routes file,
// and once more as bids with CsvOptions::keep_rows. Invariants: no row is
// returned when any problem is (nothing half-read), unless rows are kept;
// kept rows are one per data row, with lines that grow and unread cells
// that name kept rows in order; every problem has a message, and every
// problem and warning is UTF-8 text whatever bytes the input held; no more
// rows come back than the limit allows; and merge_csv_problems() keeps every
// reading problem.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "jpclear/clear.h"
#include "jpclear/io.h"

namespace {

bool utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

template <class Read>
void check(const Read& read, const jpclear::ReadLimits& limits, std::size_t count) {
    JPCLEAR_FUZZ_REQUIRE(read.problems.empty() || count == 0);
    JPCLEAR_FUZZ_REQUIRE(count <= limits.max_orders);
    for (const jpclear::Problem& p : read.problems) {
        JPCLEAR_FUZZ_REQUIRE(!p.message.empty());
        JPCLEAR_FUZZ_REQUIRE(utf8(p.to_string()));
    }
    for (const jpclear::Problem& w : read.warnings) JPCLEAR_FUZZ_REQUIRE(utf8(w.to_string()));
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

    CsvOptions keep;
    keep.keep_rows = true;
    keep.ignore_columns = {"note"};
    const BidsRead kept = read_bids_csv(text, "bids.csv", limits, keep);
    const CsvFile& file = kept.file;
    JPCLEAR_FUZZ_REQUIRE(kept.bids.size() == (file.complete ? file.rows : 0));
    JPCLEAR_FUZZ_REQUIRE(kept.bids.size() <= limits.max_orders);
    for (std::size_t i = 0; i + 1 < file.rows; ++i) JPCLEAR_FUZZ_REQUIRE(file.line_of(i) < file.line_of(i + 1));
    for (std::size_t i = 0; i < file.unread.size(); ++i) {
        JPCLEAR_FUZZ_REQUIRE(file.unread[i].first < file.rows);
        JPCLEAR_FUZZ_REQUIRE(i == 0 || file.unread[i - 1].first <= file.unread[i].first);
    }
    for (const Problem& p : kept.problems) JPCLEAR_FUZZ_REQUIRE(utf8(p.to_string()));

    Round round;
    round.id = "fuzz";
    // Whole, not field by field: GCC 12 warns (-Wrestrict, a known false
    // positive) on a literal assigned to the inlined string here.
    round.material = Material{std::string(1, 'X'), std::nullopt, Decimal::integer(1)};
    round.currency = "EUR";
    round.bids = kept.bids;
    const Problems merged = merge_csv_problems(kept.problems, validate(round), round, {&file});
    JPCLEAR_FUZZ_REQUIRE(merged.size() >= kept.problems.size());
    for (const Problem& p : merged) JPCLEAR_FUZZ_REQUIRE(!p.message.empty());
    return 0;
}
