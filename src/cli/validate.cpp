// `jpclear validate`: reports every problem of a round, or that it is valid.

#include <fstream>
#include <iostream>

#include "jpclear/clear.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace jpclear::cli {

const char* const validate_usage = R"(  jpclear validate ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                              [--verbose] [--max-bytes N] [--max-orders N]
)";

int cmd_validate(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    named.add_options()("verbose", "log steps to stderr")("help,h", "show this help");
    if (wants_help(args)) return help(validate_usage, named);
    po::variables_map vm = parse(args, named, positional);
    auto log = make_logger(vm.count("verbose") > 0);
    Problems problems;
    std::optional<Round> round = load_round(vm, problems, *log);
    if (round) problems = validate(*round);
    if (!problems.empty()) return report(problems);
    std::cout << "valid: " << round->bids.size() << " bids, " << round->offers.size() << " offers\n";
    return exit_ok;
}

}  // namespace jpclear::cli
