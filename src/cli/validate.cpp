// `jpclear validate`: reports every problem of a round, or that it is valid.

#include <fstream>
#include <iostream>

#include "jpclear/clear.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace jpclear::cli {

const char* const validate_usage = R"(  jpclear validate ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                              [--ignore-columns NAME,...] [--strict] [--verbose]
                              [--max-bytes N] [--max-orders N]
)";

namespace {

const char* const validate_examples = R"(  jpclear validate round.json
  jpclear validate round.json --bids bids.csv --offers offers.csv     # every problem of every file at once
  jpclear validate round.json --bids export.csv --ignore-columns comment,region
  cat round.json | jpclear validate - --strict                         # warnings refuse the round too
)";

}  // namespace

int cmd_validate(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    named.add_options()("verbose", "log steps to stderr")("help,h", "show this help");
    if (wants_help(args)) return help(validate_usage, named, validate_examples);
    po::variables_map vm = parse(args, named, positional);
    auto log = make_logger(vm.count("verbose") > 0);
    Input in = load_round(vm, *log);
    // Every problem and every warning of every file in one run.
    Problems problems = in.read_cleanly ? in.located(validate(*in.round)) : std::move(in.problems);
    const Problems warnings = in.all_warnings();
    if (std::optional<int> code = finish_checks(std::move(problems), warnings, vm)) return *code;
    std::cout << "valid: " << in.round->bids.size() << " bids, " << in.round->offers.size() << " offers";
    if (!warnings.empty()) std::cout << " (" << warnings.size() << (warnings.size() == 1 ? " warning)" : " warnings)");
    std::cout << "\n";
    return exit_ok;
}

}  // namespace jpclear::cli
