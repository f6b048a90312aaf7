// `jpclear clear`: clears a round and writes its result.

#include <fstream>
#include <iostream>
#include <optional>

#include "jpclear/clear.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace jpclear::cli {

const char* const clear_usage = R"(  jpclear clear ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                           [--out RESULT.json] [--summary] [--verbose] [--node-limit N]
                           [--time-limit-ms N] [--max-bytes N] [--max-orders N]
)";

int cmd_clear(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    named.add_options()("out", po::value<std::string>(), "write the result here instead of stdout")(
        "summary", "also print a short table for people (stderr when the result goes to stdout)")(
        "verbose", "log steps and timings to stderr");
    add_limit_options(named);
    named.add_options()("help,h", "show this help");
    if (wants_help(args)) return help(clear_usage, named);
    po::variables_map vm = parse(args, named, positional);
    auto log = make_logger(vm.count("verbose") > 0);

    Problems problems;
    const Options options = clear_options(vm, problems);
    std::optional<Round> round = load_round(vm, problems, *log);
    if (!problems.empty()) return report(problems);

    auto t0 = std::chrono::steady_clock::now();
    ClearOutcome outcome = clear(*round, options);
    log->debug("cleared in {:.1f} ms", ms_since(t0));
    if (outcome.status == CallStatus::invalid_input) return report(outcome.problems);
    if (!outcome.ok()) {
        for (const Problem& p : outcome.problems) std::cerr << "jpclear: " << p.to_string() << "\n";
        return exit_failure;
    }
    const Result& result = *outcome.result;
    // The result is streamed, not built as one string first: for 10^7
    // orders that string would be the largest thing the process holds.
    t0 = std::chrono::steady_clock::now();
    if (vm.count("out")) {
        const std::string path = vm["out"].as<std::string>();
        std::ofstream file(path, std::ios::binary);
        write_result_json(file, *round, result);
        file.close();
        if (!file) {
            std::cerr << "jpclear: " << path << ": could not be written\n";
            return exit_failure;
        }
        if (vm.count("summary")) std::cout << summary_table(*round, result);
    } else {
        write_result_json(std::cout, *round, result);
        if (vm.count("summary")) std::cerr << summary_table(*round, result);
    }
    std::cout.flush();
    if (!std::cout) return exit_failure;
    log->debug("wrote the result in {:.1f} ms", ms_since(t0));
    return exit_ok;
}

}  // namespace jpclear::cli
