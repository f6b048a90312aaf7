// Fuzz target: the JSON round reader.
//
// Beyond "no crash, no sanitizer report": a read gives a round exactly when
// it reports no problem, and a round that was read is a fixed point of
// writing and reading again (the writer's text reads back to the same text),
// so the reader and writer agree on every value they let through.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "jpclear/io.h"

namespace {

std::string round_text(const jpclear::Round& round) {
    std::ostringstream out;
    jpclear::write_round_json(out, round);
    return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace jpclear;
    const ReadLimits limits = fuzz::fuzz_limits();
    const RoundRead read = read_round_json(fuzz::as_text(data, size), limits);
    JPCLEAR_FUZZ_REQUIRE(read.round.has_value() == read.problems.empty());
    for (const Problem& p : read.problems) JPCLEAR_FUZZ_REQUIRE(!p.message.empty());
    if (!read.round) return 0;

    const std::string written = round_text(*read.round);
    const RoundRead again = read_round_json(written, limits);
    JPCLEAR_FUZZ_REQUIRE(again.problems.empty());
    JPCLEAR_FUZZ_REQUIRE(round_text(*again.round) == written);
    return 0;
}
