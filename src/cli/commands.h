#pragma once
// The command line's subcommands; each returns the process exit code.

#include <string>
#include <vector>

namespace jpclear::cli {

/// Exit codes: success, any failure that is not the input's, bad input.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;

int run(const std::vector<std::string>& args);

}  // namespace jpclear::cli
