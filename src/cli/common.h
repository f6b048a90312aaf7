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

/// The options of every command that reads a round: ROUND (`-` for stdin),
/// --bids, --offers, --routes, --ignore-columns, --strict, --max-bytes,
/// --max-orders.
void add_input_options(po::options_description& named, po::positional_options_description& positional);

/// A round as read from the command line's files.
struct Input {
    /// The round, with CSV lists in place of the JSON ones where given:
    /// whenever the JSON document could be read, even if a CSV file had
    /// problems (its rows are then those that could be read, see CsvFile).
    std::optional<Round> round;
    /// Nothing went wrong while reading: `round` is what the files say, and
    /// only its values remain to be checked (validate(), clear()).
    bool read_cleanly = false;
    /// With problems in reading: every problem of every file, reading and
    /// the value problems of the rows that were read (merge_csv_problems()).
    Problems problems;
    /// The CSV readers' warnings (a file separated by ';', codes in lower case).
    Problems warnings;
    /// The CSV files read, to name their rows in later problems.
    std::vector<CsvFile> files;

    /// Value problems with CSV rows named by file, line and id, in file order.
    Problems located(Problems values) const;
    /// plausibility_warnings() of the round, named like problems.
    Problems plausibility() const;
    /// Every warning: the readers', then plausibility() (also when a CSV file
    /// had problems, so that one run says everything).
    Problems all_warnings() const;
    /// Moves the reading problems after `problems`: the command ends with
    /// finish_checks() when the round was not read cleanly.
    Problems take_problems(Problems problems);
};

/// Reads the round and the CSV files the options name; see Input.
Input load_round(const po::variables_map& vm, spdlog::logger& log);

/// The end of a command that checked a round: with --strict the warnings
/// join the problems; warnings are printed on stderr (`jpclear: warning:
/// PATH: MESSAGE`), then the problems. Returns exit_bad_input when there is
/// any problem, otherwise nullopt (go on).
std::optional<int> finish_checks(Problems problems, const Problems& warnings, const po::variables_map& vm);

/// --node-limit and --time-limit-ms, for every command that clears.
void add_limit_options(po::options_description& named);

/// The clearing options those flags give; a problem naming the option when
/// a value is out of its range.
Options clear_options(const po::variables_map& vm, Problems& problems);

}  // namespace jpclear::cli
