#pragma once
// clear(): a Round in, a Result out (or every problem of the input).
//
// Compiled: these are declarations, defined in libjpclear (link
// jpclear::jpclear). The clearing engine (block search, network, pricing) is
// thousands of lines of inline code; compiled once in the library instead of
// in every file that calls clear(), it leaves this header cheap to include. For the same functions without linking
// anything, include jpclear/clear_inline.h and call clear_inline() /
// validate_inline(): distinct names, so a program may use both without an
// ODR clash. docs/api.md describes both.

#include <cstddef>
#include <optional>

#include "jpclear/model/problem.h"
#include "jpclear/model/round.h"
#include "jpclear/options.h"
#include "jpclear/outcome.h"

namespace jpclear {

/// Clears `round` under `options`. Never throws for bad input: an invalid
/// round, or one whose totals overflow 128-bit arithmetic, gives
/// CallStatus::invalid_input with every problem. Re-entrant: calls on
/// distinct rounds may run in parallel (docs/api.md, "Threads").
ClearOutcome clear(const Round& round, const Options& options = {});

/// Problems of `round`, empty when it is valid (no clearing is done).
Problems validate(const Round& round);

struct StreamedOutcome;
struct Market;  // clearing/market.h

/// clear() for a caller that writes the result and need not hold its lines
/// (the command line, when it writes only the JSON result): the same status
/// and problems, and a StreamedResult in place of the Result. `round` must
/// outlive the answer.
StreamedOutcome clear_streamed(const Round& round, const Options& options = {});

/// A cleared round whose order lines are made when they are read instead of
/// held: what clear_streamed() gives a caller that only writes the result.
///
/// Why. A Result holds a line per order (88 bytes, plus its awards); for a
/// round of 10^6 orders that is most of what clearing it adds to the round
/// itself. `totals()` is that Result without the lines (its `bids` and
/// `offers` are empty; everything else, awards included, is there), and
/// `bid(i)` / `offer(i)` make line i, equal to `clear(round).result->bids[i]`
/// / `offers[i]`, each time they are called (a few hundred nanoseconds).
/// write_result_json() (io.h) writes the same bytes from it as from the
/// Result.
///
/// It keeps the clearing's working arrays (about 50 bytes an order) and refers
/// to the round it cleared, which must outlive it and stay unchanged. Movable
/// (a moved-from one may only be assigned or destroyed), not copyable; const
/// calls may be made from several threads at once.
class StreamedResult {
public:
    StreamedResult(StreamedResult&& other) noexcept : state_(other.state_) { other.state_ = nullptr; }
    StreamedResult& operator=(StreamedResult&& other) noexcept;
    StreamedResult(const StreamedResult&) = delete;
    StreamedResult& operator=(const StreamedResult&) = delete;
    ~StreamedResult();

    const Result& totals() const;
    std::size_t bid_count() const;
    std::size_t offer_count() const;
    OrderResult bid(std::size_t i) const;    ///< i < bid_count(); std::out_of_range otherwise
    OrderResult offer(std::size_t i) const;  ///< i < offer_count(); std::out_of_range otherwise
    /// The order book the round was cleared on (clearing/market.h): what
    /// prepare(round).book gives, kept so that a report need not prepare the
    /// round again.
    const Market& market() const;
    /// All of it, as clear() gives it: the lines made and kept.
    Result materialized() const;

    struct State;  ///< defined in libjpclear

private:
    friend StreamedOutcome clear_streamed(const Round& round, const Options& options);
    explicit StreamedResult(State* state) noexcept : state_(state) {}
    // Owned. Not a std::unique_ptr: <memory> brings <ostream> with it, and
    // this header must stay cheap to include (tests/light_header_test.sh).
    State* state_;
};

/// clear_streamed()'s answer: as ClearOutcome, with a StreamedResult.
struct StreamedOutcome {
    CallStatus status = CallStatus::ok;
    Problems problems;
    std::optional<StreamedResult> result;

    bool ok() const { return status == CallStatus::ok; }
};

}  // namespace jpclear
