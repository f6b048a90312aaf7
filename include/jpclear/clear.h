#pragma once
// clear(): a Round in, a Result out (or every problem of the input).
//
// Two questions are kept apart, as in HiGHS: `ClearOutcome::status` says
// whether the call worked (the input was valid and could be solved), and the
// Result says what the clearing found (cleared or no-trade; proven or limit).
// Nothing is half-done: when the status is not `ok` there is no result.

#include <optional>
#include <string>
#include <utility>

#include "jpclear/clearing/market.h"
#include "jpclear/clearing/solve.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/options.h"
#include "jpclear/report/result_builder.h"

namespace jpclear {

enum class CallStatus {
    ok,             ///< `result` holds the outcome
    invalid_input,  ///< `problems` lists every problem of the round
};

inline const char* to_string(CallStatus s) {
    switch (s) {
        case CallStatus::ok: return "ok";
        case CallStatus::invalid_input: return "invalid-input";
    }
    return "?";
}

struct ClearOutcome {
    CallStatus status = CallStatus::ok;
    Problems problems;
    std::optional<Result> result;

    bool ok() const { return status == CallStatus::ok; }
};

namespace detail {

inline ClearOutcome failed(CallStatus status, Problems problems) {
    ClearOutcome out;
    out.status = status;
    out.problems = std::move(problems);
    return out;
}

}  // namespace detail

/// Problems of `round`, empty when it is valid (no clearing is done).
inline Problems validate(const Round& round) { return prepare(round).problems; }

/// Clears `round` under `options`; see the file comment.
inline ClearOutcome clear(const Round& round, const Options& options = {}) {
    Prepared prepared = prepare(round);
    if (!prepared.problems.empty()) return detail::failed(CallStatus::invalid_input, std::move(prepared.problems));
    const Market& market = prepared.book;
    try {
        ClearOutcome out;
        out.result = build_result(round, market, solve(market, options));
        return out;
    } catch (const NoPlacePrices& e) {
        return detail::failed(CallStatus::invalid_input, {{"logistics.routes", e.what()}});
    } catch (const OverflowError& e) {
        return detail::failed(CallStatus::invalid_input,
                              {{"", std::string("the round's totals do not fit exact 128-bit arithmetic (") + e.what() + ")"}});
    }
}

}  // namespace jpclear
