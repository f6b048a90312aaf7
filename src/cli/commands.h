#pragma once
// The command line's subcommands; each returns the process exit code.

#include <string>
#include <vector>

namespace jpclear::cli {

/// Exit codes: success, any failure that is not the input's, bad input.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;

/// Dispatches `args` (without the program name) to a subcommand.
int run(const std::vector<std::string>& args);

/// The subcommands, each given the arguments after its name. A malformed
/// command line throws UsageError (common.h), which run() prints with the usage.
int cmd_clear(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_generate(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);

/// Each subcommand's synopsis, for its --help and for `jpclear --help`.
extern const char* const clear_usage;
extern const char* const validate_usage;
extern const char* const generate_usage;
extern const char* const sweep_usage;

}  // namespace jpclear::cli
