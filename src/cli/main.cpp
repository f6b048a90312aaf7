// jpclear command line: see `jpclear --help`.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
    try {
        return jpclear::cli::run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::cerr << "jpclear: internal error: " << e.what() << "\n";
        return jpclear::cli::exit_failure;
    }
}
