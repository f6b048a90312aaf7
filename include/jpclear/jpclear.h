#pragma once
// jpclear: exact clearing of joint procurement rounds (header-only core).
//
// Include this for the model, the clearing and the typed result; link
// jpclear::jpclear and include jpclear/io.h to read and write files.

#include "jpclear/clear.h"
#include "jpclear/model/decimal.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/options.h"
#include "jpclear/plausibility.h"
#include "jpclear/version.h"
