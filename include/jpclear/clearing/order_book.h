#pragma once
// Kept so that code written against jpclear 0.1 still compiles: the order
// book is now the one-place case of a Market (market.h).
#include "jpclear/clearing/market.h"
