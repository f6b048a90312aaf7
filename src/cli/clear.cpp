// `jpclear clear`: clears a round and writes its result.

#include <fstream>
#include <iostream>
#include <optional>

#include "jpclear/clear.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "report/html_report.h"

namespace jpclear::cli {

const char* const clear_usage = R"(  jpclear clear ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                           [--out RESULT.json] [--summary] [--report REPORT.html] [--verbose]
                           [--node-limit N] [--time-limit-ms N] [--max-bytes N] [--max-orders N]
)";

const char* const clear_examples = R"(  jpclear clear round.json --out result.json --summary
  jpclear clear round.json --out result.json --report report.html   # a page for people, opens offline
)";

namespace {

// Writes `path` with `write(stream)`; false, with a message on stderr, when
// the file could not be written whole.
template <class Write>
bool write_file(const std::string& path, Write&& write) {
    std::ofstream file(path, std::ios::binary);
    write(file);
    file.close();
    if (!file) std::cerr << "jpclear: " << path << ": could not be written\n";
    return static_cast<bool>(file);
}

}  // namespace

int cmd_clear(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    named.add_options()("out", po::value<std::string>(), "write the result here instead of stdout")(
        "summary", "also print a short table for people (stderr when the result goes to stdout)")(
        "report", po::value<std::string>(),
        "also write a self-contained HTML page (curves, bars, tables; no script, no network) here")(
        "verbose", "log steps and timings to stderr")("node-limit", po::value<std::int64_t>(),
                                                      "branch-and-bound node limit")(
        "time-limit-ms", po::value<std::int64_t>(), "branch-and-bound time limit")("help,h", "show this help");
    if (wants_help(args)) return help(clear_usage, named, clear_examples);
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
        if (!write_file(vm["out"].as<std::string>(), [&](std::ostream& f) { write_result_json(f, *round, result); }))
            return exit_failure;
        if (vm.count("summary")) std::cout << summary_table(*round, result);
    } else {
        write_result_json(std::cout, *round, result);
        if (vm.count("summary")) std::cerr << summary_table(*round, result);
    }
    std::cout.flush();
    if (!std::cout) return exit_failure;
    log->debug("wrote the result in {:.1f} ms", ms_since(t0));
    if (vm.count("report")) {
        t0 = std::chrono::steady_clock::now();
        if (!write_file(vm["report"].as<std::string>(), [&](std::ostream& f) { write_html_report(f, *round, result); }))
            return exit_failure;
        log->debug("wrote the report in {:.1f} ms", ms_since(t0));
    }
    return exit_ok;
}

}  // namespace jpclear::cli
