// Fuzz target: the fast JSON round reader against the careful one.
//
// The fast reader (src/io/json_fast_reader.cpp, with its two tiers: the order
// scanner and the simdjson reader) may decline any text, but a
// round it reads must be exactly the round the careful reader reads, and the
// careful reader must find no problem in that text: otherwise a problem
// would go unreported, or a round would differ with the reader that ran.
// Checked with the document's own lists and with lists from CSV files (the
// length of the input picks which), and both with a buffer that has room for
// simdjson's padding and one that must be copied.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "io/json_fast_reader.h"
#include "jpclear/io.h"
#include "../tests/round_equal.h"

namespace {

// A round one of the fast readers read, against the careful reader's.
void same_as_careful(const char* reader, const jpclear::Round& fast, std::string_view text,
                     const jpclear::ReadLimits& limits, const jpclear::OrderSources& sources) {
    using namespace jpclear;
    const RoundRead careful = io_detail::read_round_careful(text, limits, sources);
    JPCLEAR_FUZZ_REQUIRE(careful.problems.empty());
    JPCLEAR_FUZZ_REQUIRE(careful.round.has_value());
    const std::string difference = testing::round_difference(fast, *careful.round);
    if (!difference.empty()) std::fprintf(stderr, "%s vs careful: %s\n", reader, difference.c_str());
    JPCLEAR_FUZZ_REQUIRE(difference.empty());
}

void check(std::string_view text, std::size_t readable, const jpclear::OrderSources& sources) {
    using namespace jpclear;
    const ReadLimits limits = fuzz::fuzz_limits();
    if (const std::optional<Round> fast = io_detail::read_round_fast(text, readable, limits, sources))
        same_as_careful("fast", *fast, text, limits, sources);
    // Each tier on its own too: the scanner takes most clean texts first,
    // and the simdjson reader must still hold where it does not.
    if (text.size() > limits.max_bytes || text.starts_with("\xEF\xBB\xBF")) return;
    if (const std::optional<Round> scanned = io_detail::read_round_scanned(text, limits, sources))
        same_as_careful("scanner", *scanned, text, limits, sources);
    if (const std::optional<Round> simd = io_detail::read_round_simdjson(text, readable, limits, sources))
        same_as_careful("simdjson", *simd, text, limits, sources);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace jpclear;
    const std::string_view text = fuzz::as_text(data, size);
    check(text, text.size(), {});
    const unsigned pick = static_cast<unsigned>(size % 7) + 1;
    OrderSources from_csv;
    from_csv.bids_from_csv = pick & 1;
    from_csv.offers_from_csv = pick & 2;
    from_csv.routes_from_csv = pick & 4;
    // Parsed in place: any read past the padding is the sanitizer's to see.
    std::string padded;
    padded.reserve(size + io_detail::json_padding);
    padded.assign(text);
    check(padded, padded.capacity(), from_csv);
    return 0;
}
