#pragma once
// The two readers of a `jpclear.round/1` document (internal to src/io).
//
// read_round_json() tries the fast reader first and falls back to the
// careful one: the fast reader only ever says "this is the round" or "not
// sure", and every problem message comes from the careful reader. Tests and
// the differential fuzz target call both directly.

#include <cstddef>
#include <optional>
#include <string_view>

#include "jpclear/io.h"
#include "jpclear/model/round.h"

namespace jpclear::io_detail {

/// Bytes simdjson may read past the end of a text (SIMDJSON_PADDING, checked
/// where simdjson is included): a buffer with this much room after its text
/// is parsed in place, any other text is copied first.
inline constexpr std::size_t json_padding = 64;

/// What the command line asks of a reader of a large text; the library's own
/// readers ask for none of it (they never start a thread or touch mappings).
struct ReadHelp {
    /// A list of more than 8 MiB of orders has its memory faulted in by a
    /// helper thread while the reader fills it (io/prefault.h).
    bool prefault = false;
    /// The text is a read-only private mapping of a file: the order scanner
    /// lets the pages it has read go every this many bytes (io/drop_behind.h);
    /// 0: never. On any other memory this would lose the text.
    std::size_t drop_read_pages_every = 0;
};

/// The round of `text` when it is a clean document that the careful reader
/// would read without any problem, exactly as that reader would read it;
/// nullopt whenever there is any doubt (then nothing is said about the text).
/// `readable` is how many bytes from text.data() may be read (text.size()
/// when unknown).
std::optional<Round> read_round_fast(std::string_view text, std::size_t readable, const ReadLimits& limits,
                                     const OrderSources& sources, const ReadHelp& help = {});

/// The two tiers of read_round_fast(), each with its contract (the text
/// without a byte order mark; one over limits.max_bytes is declined). The scanner
/// (json_order_scanner.cpp) reads the order lists itself, without simdjson's
/// index of the whole text, and gives up on more than the simdjson reader
/// (json_fast_reader.cpp) does: an escape in an order's string, for one.
std::optional<Round> read_round_scanned(std::string_view text, const ReadLimits& limits, const OrderSources& sources,
                                        const ReadHelp& help = {});
std::optional<Round> read_round_simdjson(std::string_view text, std::size_t readable, const ReadLimits& limits,
                                         const OrderSources& sources, const ReadHelp& help = {});

/// The careful reader (nlohmann-json SAX), with every problem and its path.
RoundRead read_round_careful(std::string_view text, const ReadLimits& limits, const OrderSources& sources);

/// read_round_json() for a text with `readable` bytes from text.data() (its
/// buffer's capacity, when read_text_file() or read_standard_input() made
/// it): the fast reader then parses it in place instead of copying it.
RoundRead read_round(std::string_view text, std::size_t readable, const ReadLimits& limits,
                     const OrderSources& sources, const ReadHelp& help = {});

}  // namespace jpclear::io_detail
