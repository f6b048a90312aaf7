#include "jpclear/io.h"
