// The command line's entry: `jpclear COMMAND ...` to a subcommand.
//
// Bad input (a round with problems, a malformed command line) exits 2 with
// every problem on stderr and nothing on stdout; anything else that fails
// exits 1. Logging goes to stderr through spdlog and is off unless --verbose.

#include "cli/commands.h"

#include <iostream>
#include <string>
#include <vector>

#include "cli/common.h"
#include "jpclear/version.h"

namespace jpclear::cli {
namespace {

std::string usage() {
    return std::string("usage:\n") + clear_usage + validate_usage + generate_usage + sweep_usage +
           R"(  jpclear --version
  jpclear COMMAND --help      every flag of COMMAND, with examples

exit status: 0 done, 2 bad input (every problem on stderr), 1 any other failure
)";
}

}  // namespace

int run(const std::vector<std::string>& args) {
    // With nothing to do the usage is the answer, so it goes to stdout; the
    // exit status still says that nothing was done.
    if (args.empty()) {
        std::cout << usage();
        return exit_bad_input;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage();
        return exit_ok;
    }
    if (args[0] == "--version") {
        std::cout << "jpclear " << version << "\n";
        return exit_ok;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (args[0] == "clear") return cmd_clear(rest);
        if (args[0] == "validate") return cmd_validate(rest);
        if (args[0] == "generate") return cmd_generate(rest);
        if (args[0] == "sweep") return cmd_sweep(rest);
        throw UsageError{"unknown command '" + args[0] + "'"};
    } catch (const UsageError& e) {
        std::cerr << "jpclear: " << e.message << "\n" << usage();
        return exit_bad_input;
    }
}

}  // namespace jpclear::cli
