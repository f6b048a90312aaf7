#pragma once

#define JPCLEAR_VERSION_MAJOR 0
#define JPCLEAR_VERSION_MINOR 1
#define JPCLEAR_VERSION_PATCH 0

namespace jpclear {
inline constexpr const char* version = "0.1.0";
}
