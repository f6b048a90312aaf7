// `jpclear clear`: clears a round and writes its result.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <system_error>
#include <thread>
#include <iostream>
#include <optional>

#include "jpclear/clear.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/large_pages.h"
#include "cli/output_file.h"
#include "report/html_report.h"

namespace jpclear::cli {

const char* const clear_usage = R"(  jpclear clear ROUND.json [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                           [--ignore-columns NAME,...] [--strict] [--out RESULT.json]
                           [--summary[=orders]] [--summary-rows N] [--summary-match TEXT]
                           [--csv-out DIR] [--csv-style plain|excel-eu] [--report REPORT.html] [--verbose]
                           [--write-threads N] [--node-limit N] [--time-limit-ms N] [--max-bytes N] [--max-orders N]
)";

namespace {

const char* const clear_examples = R"(  jpclear clear round.json --out result.json --summary
  jpclear clear round.json --bids bids.csv --offers offers.csv --out result.json
  jpclear clear round.json --out result.json --report report.html   # a page for people, opens offline
  jpclear clear round.json --out result.json --summary=orders --summary-match "Rhein Cells"
  jpclear clear round.json --out result.json --csv-out tables --csv-style excel-eu
)";

// in.all_warnings() on a thread of its own; on the calling thread when no
// thread can be started (the result is the same, only later).
std::future<Problems> warnings_beside(const Input& in) {
    try {
        return std::async(std::launch::async, [&in] { return in.all_warnings(); });
    } catch (const std::system_error&) {
        return std::async(std::launch::deferred, [&in] { return in.all_warnings(); });
    }
}

// Every table of the result into `dir` (made when missing); false, with a
// message, when a file cannot be written.
bool write_csv_tables(const std::string& dir, const Round& round, const StreamedResult& result,
                      const CsvStyle& style) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        std::cerr << "jpclear: " << dir << ": could not be made (" << ec.message() << ")\n";
        return false;
    }
    for (CsvTable table : csv_tables(result.totals())) {
        const std::string path = (std::filesystem::path(dir) / csv_file_name(table)).string();
        if (!write_whole_file(path, [&](std::ostream& f) { write_result_csv(f, table, round, result, style); }))
            return false;
    }
    return true;
}

}  // namespace

int cmd_clear(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    named.add_options()("out", po::value<std::string>(), "write the result here instead of stdout")(
        "summary", po::value<std::string>()->implicit_value("totals"),
        "also print tables for people (stderr when the result goes to stdout): --summary the totals, "
        "--summary=orders the orders too, each with who, filled, price and reason")(
        "summary-rows", po::value<std::uint64_t>()->default_value(50),
        "with --summary=orders: at most this many orders per side (0: all)")(
        "summary-match", po::value<std::string>(),
        "with --summary=orders: only orders whose id, buyer or supplier contains TEXT")(
        "csv-out", po::value<std::string>(),
        "also write bids.csv, offers.csv, awards.csv (with buyer, bloc, supplier, origin), blocs.csv, "
        "origins.csv (and places.csv, routes.csv with places) into this folder")(
        "csv-style", po::value<std::string>()->default_value("plain"),
        "plain: ',' and '.'; excel-eu: ';' and a decimal comma, as Excel reads them in most of Europe")(
        "report", po::value<std::string>(),
        "also write a self-contained HTML page (curves, bars, tables; no script, no network) here")(
        "write-threads", po::value<unsigned>(),
        "threads that make the result's lines, 1 to 64 (default: the machine's cores, at most 4); "
        "the bytes are the same")(
        "verbose", "log steps and timings to stderr");
    add_limit_options(named);
    named.add_options()("help,h", "show this help");
    if (wants_help(args)) return help(clear_usage, named, clear_examples);
    po::variables_map vm = parse(args, named, positional);
    auto log = make_logger(vm.count("verbose") > 0);
    SummaryOptions summary;
    if (vm.count("summary")) {
        const std::string what = vm["summary"].as<std::string>();
        if (what != "totals" && what != "orders")
            throw UsageError{"--summary: \"" + what + "\" is not totals or orders"};
        summary.orders = what == "orders";
    }
    summary.order_rows = vm["summary-rows"].as<std::uint64_t>();
    if (vm.count("summary-match")) summary.match = vm["summary-match"].as<std::string>();
    const std::string style_name = vm["csv-style"].as<std::string>();
    if (style_name != "plain" && style_name != "excel-eu")
        throw UsageError{"--csv-style: \"" + style_name + "\" is not plain or excel-eu"};
    const CsvStyle csv_style = style_name == "plain" ? CsvStyle{} : CsvStyle::excel_eu();
    // By default up to four: at 10^6 orders two make the lines in about two
    // thirds of the time (docs/performance.md); more hold more blocks for little.
    unsigned write_threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    if (vm.count("write-threads")) {
        write_threads = vm["write-threads"].as<unsigned>();
        if (write_threads < 1 || write_threads > 64)
            throw UsageError{"--write-threads: " + std::to_string(write_threads) + " is not 1 to 64"};
    }

    Problems problems;
    const Options options = clear_options(vm, problems);
    Input in = load_round(vm, *log);
    // The warnings (the plausibility checks: about 80 ms of a 10^6-order
    // round) are worked out beside the clearing when nothing waits for them
    // first: both only read the round, and the warnings are printed after the
    // clearing either way, so the output is the same.
    Problems warnings;
    std::future<Problems> warnings_later;
    if (!in.read_cleanly || !problems.empty() || vm.count("strict")) warnings = in.all_warnings();
    else warnings_later = warnings_beside(in);
    if (!in.read_cleanly) return *finish_checks(in.take_problems(std::move(problems)), warnings, vm);
    const Round& round = *in.round;
    // Under --strict a warning refuses the round before it is cleared; the
    // value problems are looked for too, so that one run says everything.
    if (!problems.empty() || (vm.count("strict") && !warnings.empty())) {
        for (Problem& p : in.located(validate(round))) problems.push_back(std::move(p));
        return *finish_checks(std::move(problems), warnings, vm);
    }

    // The order lines are made as they are written, never held: at 10^6
    // orders a Result's lines were a quarter of the process's peak memory
    // (docs/performance.md, "The whole path"). The summary, the CSV tables
    // and the report make them again as they read them.
    auto t0 = std::chrono::steady_clock::now();
    StreamedOutcome outcome;
    {
        // What the clearing maps it fills whole: faulted in on the second core.
        const PrefaultLargeBlocks prefault;
        outcome = clear_streamed(round, options);
    }
    log->debug("cleared in {:.1f} ms", ms_since(t0));
    if (warnings_later.valid()) warnings = warnings_later.get();
    if (outcome.status == CallStatus::invalid_input)
        return *finish_checks(in.located(std::move(outcome.problems)), warnings, vm);
    if (outcome.status != CallStatus::ok) {
        for (const Problem& p : outcome.problems) std::cerr << "jpclear: " << p.to_string() << "\n";
        return exit_failure;
    }
    finish_checks({}, warnings, vm);  // prints the warnings
    const StreamedResult& result = *outcome.result;
    WriteOptions writing;
    writing.threads = write_threads;
    auto write_json = [&](std::ostream& f) { write_result_json(f, round, result, writing); };
    // The result is streamed, not built as one string first: for 10^7
    // orders that string would be the largest thing the process holds.
    t0 = std::chrono::steady_clock::now();
    if (vm.count("out")) {
        if (!write_whole_file(vm["out"].as<std::string>(), write_json)) return exit_failure;
        if (vm.count("summary")) std::cout << summary_table(round, result, summary);
    } else {
        write_json(std::cout);
        if (vm.count("summary")) std::cerr << summary_table(round, result, summary);
    }
    if (vm.count("csv-out") && !write_csv_tables(vm["csv-out"].as<std::string>(), round, result, csv_style))
        return exit_failure;
    std::cout.flush();
    if (!std::cout) return exit_failure;
    log->debug("wrote the result in {:.1f} ms", ms_since(t0));
    if (vm.count("report")) {
        t0 = std::chrono::steady_clock::now();
        if (!write_whole_file(vm["report"].as<std::string>(),
                              [&](std::ostream& f) { write_html_report(f, round, result); }))
            return exit_failure;
        log->debug("wrote the report in {:.1f} ms", ms_since(t0));
    }
    return exit_ok;
}

}  // namespace jpclear::cli
