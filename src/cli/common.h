#pragma once
// What every subcommand shares: parsing its options, reading the round (JSON
// with CSV lists in place of its own), reporting problems, logging.

#include <boost/program_options.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/io.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/round.h"
#include "jpclear/options.h"

namespace jpclear::cli {

namespace po = boost::program_options;

/// A malformed command line: printed with the usage, exit 2.
struct UsageError {
    std::string message;
};

/// The logger on stderr, at debug level with --verbose and warn otherwise.
std::shared_ptr<spdlog::logger> make_logger(bool verbose);

/// Prints every problem on stderr; returns exit_bad_input.
int report(const Problems& problems);

double ms_since(std::chrono::steady_clock::time_point t0);

/// Parses `args`; a po::error becomes a UsageError.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& named,
                        const po::positional_options_description& positional);

/// `COMMAND --help` (or -h) anywhere among the arguments: looked for before
/// parsing, which would first complain about missing required options.
bool wants_help(const std::vector<std::string>& args);

/// Prints the command's usage, its options and its examples on stdout.
int help(const char* command_usage, const po::options_description& named, const char* examples = "");

/// The options of every command that reads a round: ROUND, --bids, --offers,
/// --routes, --max-bytes, --max-orders.
void add_input_options(po::options_description& named, po::positional_options_description& positional);

/// The round, with CSV lists in place of the JSON ones where given; nullopt
/// with `problems` filled when any file has any problem.
std::optional<Round> load_round(const po::variables_map& vm, Problems& problems, spdlog::logger& log);

/// --node-limit and --time-limit-ms, for every command that clears.
void add_limit_options(po::options_description& named);

/// The clearing options those flags give; a problem naming the option when
/// a value is out of its range.
Options clear_options(const po::variables_map& vm, Problems& problems);

}  // namespace jpclear::cli
