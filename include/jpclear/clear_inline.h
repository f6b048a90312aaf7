#pragma once
// clear_inline() and validate_inline(): clear() and validate() of clear.h,
// header-only, for programs that use the core (jpclear::core) without
// linking libjpclear. Including this compiles the whole clearing engine in
// the including file (seconds of CPU per file); with libjpclear, include
// clear.h instead. The names differ from clear() / validate() on purpose:
// libjpclear defines those out of line from these, and an inline and an
// out-of-line definition of one function in one program would break the ODR.

#include <string>
#include <utility>

#include "jpclear/clearing/market.h"
#include "jpclear/clearing/solve.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/options.h"
#include "jpclear/outcome.h"
#include "jpclear/report/result_builder.h"

namespace jpclear {

namespace detail {

inline ClearOutcome failed(CallStatus status, Problems problems) {
    ClearOutcome out;
    out.status = status;
    out.problems = std::move(problems);
    return out;
}

// What a valid round that still cannot be cleared says (clear() and
// clear_streamed() alike): places whose prices no route connects, or totals
// beyond 128 bits.
inline Problems problems_of(const NoPlacePrices& e) { return {{"logistics.routes", e.what()}}; }
inline Problems problems_of(const OverflowError& e) {
    return {{"", std::string("the round's totals do not fit exact 128-bit arithmetic (") + e.what() + ")"}};
}

}  // namespace detail

/// Problems of `round`, empty when it is valid (no clearing is done).
inline Problems validate_inline(const Round& round) { return prepare(round).problems; }

/// Clears `round` under `options`; the same as clear() in clear.h.
inline ClearOutcome clear_inline(const Round& round, const Options& options = {}) {
    Prepared prepared = prepare(round);
    if (!prepared.problems.empty()) return detail::failed(CallStatus::invalid_input, std::move(prepared.problems));
    const Market& market = prepared.book;
    try {
        ClearOutcome out;
        out.result = build_result(round, market, solve(market, options));
        return out;
    } catch (const NoPlacePrices& e) {
        return detail::failed(CallStatus::invalid_input, detail::problems_of(e));
    } catch (const OverflowError& e) {
        return detail::failed(CallStatus::invalid_input, detail::problems_of(e));
    }
}

}  // namespace jpclear
