// Subcommands of the command line: clear, validate, generate.
//
// Bad input (a round with problems, a malformed command line) exits 2 with
// every problem on stderr and nothing on stdout; anything else that fails
// exits 1. Logging goes to stderr through spdlog and is off unless --verbose.

#include <boost/program_options.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "jpclear/version.h"

namespace po = boost::program_options;

namespace jpclear::cli {
namespace {

constexpr const char* clear_usage = R"(  jpclear clear ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                           [--out RESULT.json] [--summary] [--verbose] [--node-limit N]
                           [--time-limit-ms N] [--max-bytes N] [--max-orders N]
)";
constexpr const char* validate_usage = R"(  jpclear validate ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                              [--verbose] [--max-bytes N] [--max-orders N]
)";
constexpr const char* generate_usage = R"(  jpclear generate --bids N --offers M [--seed S] [--blocks PER_MILLE] [--cap] [--places]
                   [--out ROUND.json]
)";

const std::string usage = std::string("usage:\n") + clear_usage + validate_usage + generate_usage +
                          R"(  jpclear --version
  jpclear COMMAND --help

exit status: 0 done, 2 bad input (every problem on stderr), 1 any other failure
)";

struct UsageError {
    std::string message;
};

std::shared_ptr<spdlog::logger> make_logger(bool verbose) {
    auto log = spdlog::stderr_color_mt("jpclear");
    log->set_pattern("jpclear: [%l] %v");
    log->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
    return log;
}

int report(const Problems& problems) {
    for (const Problem& p : problems) std::cerr << "jpclear: " << p.to_string() << "\n";
    return exit_bad_input;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& named,
                        const po::positional_options_description& positional) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(named).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError{e.what()};
    }
    return vm;
}

ReadLimits read_limits(const po::variables_map& vm) {
    ReadLimits limits;
    limits.max_bytes = vm["max-bytes"].as<std::uint64_t>();
    limits.max_orders = vm["max-orders"].as<std::uint64_t>();
    if (limits.max_bytes == 0 || limits.max_orders == 0) throw UsageError{"--max-bytes and --max-orders must be at least 1"};
    return limits;
}

// `COMMAND --help` (or -h) anywhere among the arguments: looked for before
// parsing, which would first complain about missing required options.
bool wants_help(const std::vector<std::string>& args) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") return true;
    return false;
}

int help(const char* command_usage, const po::options_description& named) {
    std::cout << "usage:\n" << command_usage << "\n" << named;
    return exit_ok;
}

// The round, with CSV lists in place of the JSON ones where given.
std::optional<Round> load_round(const po::variables_map& vm, Problems& problems, spdlog::logger& log) {
    const ReadLimits limits = read_limits(vm);
    OrderSources sources;
    sources.bids_from_csv = vm.count("bids") > 0;
    sources.offers_from_csv = vm.count("offers") > 0;
    sources.routes_from_csv = vm.count("routes") > 0;
    auto t0 = std::chrono::steady_clock::now();
    RoundRead read = read_round_file(vm["round"].as<std::string>(), limits, sources);
    problems.insert(problems.end(), read.problems.begin(), read.problems.end());
    if (sources.bids_from_csv) {
        const std::string path = vm["bids"].as<std::string>();
        if (auto text = read_text_file(path, limits, problems)) {
            BidsRead bids = read_bids_csv(*text, path, limits);
            problems.insert(problems.end(), bids.problems.begin(), bids.problems.end());
            if (read.round) read.round->bids = std::move(bids.bids);
        }
    }
    if (sources.offers_from_csv) {
        const std::string path = vm["offers"].as<std::string>();
        if (auto text = read_text_file(path, limits, problems)) {
            OffersRead offers = read_offers_csv(*text, path, limits);
            problems.insert(problems.end(), offers.problems.begin(), offers.problems.end());
            if (read.round) read.round->offers = std::move(offers.offers);
        }
    }
    if (sources.routes_from_csv) {
        const std::string path = vm["routes"].as<std::string>();
        if (auto text = read_text_file(path, limits, problems)) {
            RoutesRead routes = read_routes_csv(*text, path, limits);
            problems.insert(problems.end(), routes.problems.begin(), routes.problems.end());
            // The document may leave `logistics` out: the routes make it.
            if (read.round) {
                if (!read.round->logistics) read.round->logistics.emplace();
                read.round->logistics->routes = std::move(routes.routes);
            }
        }
    }
    // Each reader keeps to the limit on its own; the limit is on the round.
    if (read.round) {
        const std::uint64_t orders = read.round->bids.size() + read.round->offers.size();
        if (orders > limits.max_orders)
            problems.push_back({"", "the round holds " + std::to_string(orders) + " orders, more than the limit of " +
                                        std::to_string(limits.max_orders) + " (--max-orders)"});
    }
    if (!problems.empty()) return std::nullopt;
    log.debug("read {} bids, {} offers and {} routes in {:.1f} ms", read.round->bids.size(),
              read.round->offers.size(), read.round->logistics ? read.round->logistics->routes.size() : 0,
              ms_since(t0));
    return std::move(read.round);
}

void add_input_options(po::options_description& named, po::positional_options_description& positional) {
    named.add_options()("round", po::value<std::string>()->required(), "round file (JSON)")(
        "bids", po::value<std::string>(), "bids as CSV, replacing the round's bids")(
        "offers", po::value<std::string>(), "offers as CSV, replacing the round's offers")(
        "routes", po::value<std::string>(), "routes as CSV, giving the round's logistics.routes")(
        "max-bytes", po::value<std::uint64_t>()->default_value(ReadLimits{}.max_bytes), "largest input file, in bytes")(
        "max-orders", po::value<std::uint64_t>()->default_value(ReadLimits{}.max_orders), "most bids plus offers");
    positional.add("round", 1);
}

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

int cmd_generate(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    named.add_options()("bids", po::value<std::uint64_t>()->required(), "number of bids")(
        "offers", po::value<std::uint64_t>()->required(), "number of offers")(
        "seed", po::value<std::uint64_t>()->default_value(1), "random seed")(
        "blocks", po::value<std::uint32_t>()->default_value(0), "blocks per thousand orders (0 to 1000)")(
        "cap", "set max_origin_share 0.65")(
        "places", "delivery places, ports and a freight table (logistics, spec section 10)")(
        "out", po::value<std::string>(), "write here instead of stdout")("help,h", "show this help");
    if (wants_help(args)) return help(generate_usage, named);
    po::variables_map vm = parse(args, named, positional);
    GenerateSpec spec;
    spec.bids = vm["bids"].as<std::uint64_t>();
    spec.offers = vm["offers"].as<std::uint64_t>();
    spec.seed = vm["seed"].as<std::uint64_t>();
    spec.block_per_mille = vm["blocks"].as<std::uint32_t>();
    spec.origin_cap = vm.count("cap") > 0;
    spec.places = vm.count("places") > 0;
    if (spec.block_per_mille > 1000) throw UsageError{"--blocks must be 0 to 1000"};
    if (spec.bids + spec.offers > ReadLimits{}.max_orders)
        throw UsageError{"--bids plus --offers must be at most " + std::to_string(ReadLimits{}.max_orders)};
    Round round = generate_round(spec);
    if (vm.count("out")) {
        std::ofstream file(vm["out"].as<std::string>(), std::ios::binary);
        write_round_json(file, round);
        file.close();
        if (!file) {
            std::cerr << "jpclear: " << vm["out"].as<std::string>() << ": could not be written\n";
            return exit_failure;
        }
    } else {
        write_round_json(std::cout, round);
    }
    return exit_ok;
}

}  // namespace

int run(const std::vector<std::string>& args) {
    if (args.empty()) {
        std::cerr << usage;
        return exit_bad_input;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage;
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
        throw UsageError{"unknown command '" + args[0] + "'"};
    } catch (const UsageError& e) {
        std::cerr << "jpclear: " << e.message << "\n" << usage;
        return exit_bad_input;
    }
}

}  // namespace jpclear::cli
