// What every subcommand shares (see common.h).

#include "cli/common.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.h"

namespace jpclear::cli {

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

bool wants_help(const std::vector<std::string>& args) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") return true;
    return false;
}

int help(const char* command_usage, const po::options_description& named, const char* examples) {
    std::cout << "usage:\n" << command_usage << "\n" << named;
    if (*examples) std::cout << "\nexamples:\n" << examples;
    return exit_ok;
}

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

void add_limit_options(po::options_description& named) {
    named.add_options()("node-limit", po::value<std::int64_t>(), "branch-and-bound node limit")(
        "time-limit-ms", po::value<std::int64_t>(), "branch-and-bound time limit");
}

Options clear_options(const po::variables_map& vm, Problems& problems) {
    Options options;
    for (const char* name : {"node-limit", "time-limit-ms"}) {
        if (!vm.count(name)) continue;
        std::string option(name);
        for (char& c : option) c = c == '-' ? '_' : c;
        if (auto p = set_option(options, option, vm[name].as<std::int64_t>())) problems.push_back(*p);
    }
    return options;
}

}  // namespace jpclear::cli
