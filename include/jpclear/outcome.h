#pragma once
// What clear() returns, apart from how it is computed: both the compiled
// clear() (clear.h) and the header-only clear_inline() (clear_inline.h)
// return a ClearOutcome, so code can switch between them freely.
//
// Two questions are kept apart, as in HiGHS: `ClearOutcome::status` says
// whether the call worked (the input was valid and could be solved), and the
// Result says what the clearing found (cleared or no-trade; proven or limit).
// Nothing is half-done: when the status is not `ok` there is no result.

#include <optional>

#include "jpclear/model/problem.h"
#include "jpclear/model/result.h"

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

}  // namespace jpclear
