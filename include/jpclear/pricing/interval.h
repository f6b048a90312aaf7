#pragma once
// The price interval of an allocation now lives beside the allocation, in
// clearing/support.h (the check serves the clearing and the pricing alike).
#include "jpclear/clearing/support.h"
