// `jpclear clear`: clears a round and writes its result.

#include <fstream>
#include <iostream>
#include <optional>

#include "jpclear/clear.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace jpclear::cli {

const char* const clear_usage = R"(  jpclear clear ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                           [--ignore-columns NAME,...] [--strict] [--out RESULT.json] [--summary]
                           [--verbose] [--node-limit N] [--time-limit-ms N] [--max-bytes N] [--max-orders N]
)";

int cmd_clear(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    named.add_options()("out", po::value<std::string>(), "write the result here instead of stdout")(
        "summary", "also print a short table for people (stderr when the result goes to stdout)")(
        "verbose", "log steps and timings to stderr")("node-limit", po::value<std::int64_t>(),
                                                      "branch-and-bound node limit")(
        "time-limit-ms", po::value<std::int64_t>(), "branch-and-bound time limit")("help,h", "show this help");
    if (wants_help(args)) return help(clear_usage, named);
    po::variables_map vm = parse(args, named, positional);
    auto log = make_logger(vm.count("verbose") > 0);

    Options options;
    Problems problems;
    for (const char* name : {"node-limit", "time-limit-ms"}) {
        if (!vm.count(name)) continue;
        std::string option(name);
        for (char& c : option) c = c == '-' ? '_' : c;
        if (auto p = set_option(options, option, vm[name].as<std::int64_t>())) problems.push_back(*p);
    }
    Input in = load_round(vm, *log);
    Problems warnings = in.warnings;
    for (Problem& w : in.plausibility()) warnings.push_back(std::move(w));
    if (!in.read_cleanly) {
        problems.insert(problems.end(), in.problems.begin(), in.problems.end());
        return *finish_checks(std::move(problems), warnings, vm);
    }
    const Round& round = *in.round;
    // Under --strict a warning refuses the round before it is cleared; the
    // value problems are looked for too, so that one run says everything.
    if (!problems.empty() || (vm.count("strict") && !warnings.empty())) {
        for (Problem& p : in.located(validate(round))) problems.push_back(std::move(p));
        return *finish_checks(std::move(problems), warnings, vm);
    }

    auto t0 = std::chrono::steady_clock::now();
    ClearOutcome outcome = clear(round, options);
    log->debug("cleared in {:.1f} ms", ms_since(t0));
    if (outcome.status == CallStatus::invalid_input)
        return *finish_checks(in.located(std::move(outcome.problems)), warnings, vm);
    if (!outcome.ok()) {
        for (const Problem& p : outcome.problems) std::cerr << "jpclear: " << p.to_string() << "\n";
        return exit_failure;
    }
    finish_checks({}, warnings, vm);  // prints the warnings
    const Result& result = *outcome.result;
    // The result is streamed, not built as one string first: for 10^7
    // orders that string would be the largest thing the process holds.
    t0 = std::chrono::steady_clock::now();
    if (vm.count("out")) {
        const std::string path = vm["out"].as<std::string>();
        std::ofstream file(path, std::ios::binary);
        write_result_json(file, round, result);
        file.close();
        if (!file) {
            std::cerr << "jpclear: " << path << ": could not be written\n";
            return exit_failure;
        }
        if (vm.count("summary")) std::cout << summary_table(round, result);
    } else {
        write_result_json(std::cout, round, result);
        if (vm.count("summary")) std::cerr << summary_table(round, result);
    }
    std::cout.flush();
    if (!std::cout) return exit_failure;
    log->debug("wrote the result in {:.1f} ms", ms_since(t0));
    return exit_ok;
}

}  // namespace jpclear::cli
