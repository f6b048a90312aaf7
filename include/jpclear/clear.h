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

}  // namespace jpclear
