#pragma once
// jpclear: exact clearing of joint procurement rounds.
//
// The model, the options, the typed result and clear() / validate(), whose
// definitions are compiled in libjpclear: link jpclear::jpclear. This header
// stays cheap to include; the clearing engine is not in it. Include
// jpclear/io.h as well to read and write files. Without linking anything
// (jpclear::core), include jpclear/clear_inline.h and call clear_inline().

#include "jpclear/clear.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/model/units.h"
#include "jpclear/options.h"
#include "jpclear/outcome.h"
#include "jpclear/version.h"
