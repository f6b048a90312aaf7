// The compiled clear() and validate() of clear.h: the header-only engine,
// compiled once here so that callers include only declarations.

#include "jpclear/clear.h"

#include "jpclear/clear_inline.h"

namespace jpclear {

ClearOutcome clear(const Round& round, const Options& options) { return clear_inline(round, options); }

Problems validate(const Round& round) { return validate_inline(round); }

}  // namespace jpclear
