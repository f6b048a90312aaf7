// What every subcommand shares (see common.h).

#include "cli/common.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "jpclear/clear.h"
#include "jpclear/plausibility.h"

#include "cli/commands.h"
#include "cli/mapped_file.h"
#include "io/json_fast_reader.h"

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

namespace {

// `--ignore-columns note,x` as a list of names.
std::vector<std::string> ignored_columns(const po::variables_map& vm) {
    std::vector<std::string> names;
    if (!vm.count("ignore-columns")) return names;
    const std::string list = vm["ignore-columns"].as<std::string>();
    std::size_t begin = 0;
    for (;;) {
        const std::size_t end = std::min(list.find(',', begin), list.size());
        std::string name = list.substr(begin, end - begin);
        const std::size_t first = name.find_first_not_of(' '), last = name.find_last_not_of(' ');
        if (first != std::string::npos) names.push_back(name.substr(first, last - first + 1));
        if (end == list.size()) break;
        begin = end + 1;
    }
    return names;
}

std::vector<const CsvFile*> pointers(const std::vector<CsvFile>& files) {
    std::vector<const CsvFile*> out;
    for (const CsvFile& f : files) out.push_back(&f);
    return out;
}

// One CSV file: its problems and warnings into `in` and `reading`, and its
// file record even when it cannot be read at all (its list is then unknown).
template <class Read>
std::optional<Read> read_csv(const std::string& path, const char* list, const ReadLimits& limits,
                             const CsvOptions& options, Input& in, Problems& reading,
                             Read (*reader)(std::string_view, const std::string&, const ReadLimits&,
                                            const CsvOptions&)) {
    std::optional<std::string> text = read_text_file(path, limits, reading);
    if (!text) {
        CsvFile unread;
        unread.source = path;
        unread.list = list;
        in.files.push_back(std::move(unread));
        return std::nullopt;
    }
    Read read = reader(*text, path, limits, options);
    reading.insert(reading.end(), read.problems.begin(), read.problems.end());
    in.warnings.insert(in.warnings.end(), read.warnings.begin(), read.warnings.end());
    in.files.push_back(std::move(read.file));
    return read;
}

}  // namespace

Problems Input::located(Problems values) const {
    if (!round) return values;
    return merge_csv_problems({}, std::move(values), *round, pointers(files));
}

Problems Input::plausibility() const {
    Problems out;
    if (!round) return out;
    const std::vector<const CsvFile*> list = pointers(files);
    for (Warning& w : plausibility_warnings(*round))
        out.push_back({csv_path(w.path, *round, list), std::move(w.message)});
    return out;
}

Problems Input::all_warnings() const {
    Problems out = warnings;
    for (Problem& w : plausibility()) out.push_back(std::move(w));
    return out;
}

Problems Input::take_problems(Problems before) {
    for (Problem& p : problems) before.push_back(std::move(p));
    problems.clear();
    return before;
}

Input load_round(const po::variables_map& vm, spdlog::logger& log) {
    Input in;
    const ReadLimits limits = read_limits(vm);
    OrderSources sources;
    sources.bids_from_csv = vm.count("bids") > 0;
    sources.offers_from_csv = vm.count("offers") > 0;
    sources.routes_from_csv = vm.count("routes") > 0;
    CsvOptions csv;
    csv.ignore_columns = ignored_columns(vm);
    csv.keep_rows = true;  // rows that read are value-checked even when others did not
    auto t0 = std::chrono::steady_clock::now();

    const std::string round_path = vm["round"].as<std::string>();
    // A helper thread faults in the memory of large order lists while they
    // are read (src/io/prefault.h); the library's own readers never start one.
    io_detail::ReadHelp help;
    help.prefault = true;
    RoundRead read;
    if (round_path == "-") {
        // Parsed in place: read_standard_input() leaves the parser's padding.
        if (std::optional<std::string> text = read_standard_input(limits, read.problems))
            read = io_detail::read_round(*text, text->capacity(), limits, sources, help);
    } else if (std::optional<MappedFile> mapped = MappedFile::map(round_path, limits, read.problems)) {
        // A file mapping: what the scanner has read leaves the resident set
        // (src/io/drop_behind.h), so the text and the Round are never held whole together.
        help.drop_read_pages_every = std::size_t{32} << 20;
        read = io_detail::read_round(mapped->text(), mapped->readable(), limits, sources, help);
    } else if (read.problems.empty()) {
        read = read_round_file(round_path, limits, sources);
    }
    Problems reading = std::move(read.problems);

    std::vector<Bid> bids;
    std::vector<Offer> offers;
    std::vector<Route> routes;
    if (sources.bids_from_csv)
        if (auto r = read_csv(vm["bids"].as<std::string>(), "bids", limits, csv, in, reading, &read_bids_csv))
            bids = std::move(r->bids);
    if (sources.offers_from_csv)
        if (auto r = read_csv(vm["offers"].as<std::string>(), "offers", limits, csv, in, reading, &read_offers_csv))
            offers = std::move(r->offers);
    if (sources.routes_from_csv)
        if (auto r = read_csv(vm["routes"].as<std::string>(), "logistics.routes", limits, csv, in, reading,
                              &read_routes_csv))
            routes = std::move(r->routes);

    // The round the CSV rows go into. Without a readable document, a stand-in
    // lets the rows' own values be checked; what depends on the document
    // (currencies, places, other lists) is then left for the next run.
    const bool document = read.round.has_value();
    Round round = document ? std::move(*read.round) : Round{};
    if (!document) {
        round.id = "-";
        round.material.code = "-";
        round.material.lot_tonnes = Decimal::integer(1);
        round.currency = "EUR";
    }
    if (sources.bids_from_csv) round.bids = std::move(bids);
    if (sources.offers_from_csv) round.offers = std::move(offers);
    // The document may leave `logistics` out: the routes make it.
    if (sources.routes_from_csv) {
        if (!round.logistics) round.logistics.emplace();
        round.logistics->routes = std::move(routes);
    }
    // Each reader keeps to the limit on its own; the limit is on the round.
    const std::uint64_t orders = round.bids.size() + round.offers.size();
    const bool too_many = orders > limits.max_orders;
    if (too_many)
        reading.push_back({"", "the round holds " + std::to_string(orders) + " orders, more than the limit of " +
                                   std::to_string(limits.max_orders) + " (--max-orders)"});

    if (document) in.round = std::move(round);
    if (reading.empty()) {
        in.read_cleanly = true;
        log.debug("read {} bids, {} offers and {} routes in {:.1f} ms", in.round->bids.size(),
                  in.round->offers.size(), in.round->logistics ? in.round->logistics->routes.size() : 0,
                  ms_since(t0));
        return in;
    }
    // Problems in reading: the value problems of what was read join them, so
    // that one run shows everything (beyond the order limit it would cost
    // more than it tells).
    Problems values;
    const std::vector<const CsvFile*> files = pointers(in.files);
    if (too_many) {
        // nothing more
    } else if (document) {
        values = validate(*in.round);
    } else if (!in.files.empty()) {
        validate_fields(round, values);
        // Only the rows' own fields: everything else is the stand-in's.
        std::erase_if(values, [&](const Problem& p) {
            const bool row = std::any_of(in.files.begin(), in.files.end(), [&](const CsvFile& f) {
                return p.path.starts_with(f.list + "[");
            });
            return !row || p.path.ends_with(".delivery") || p.path.ends_with(".port");
        });
    }
    in.problems = merge_csv_problems(std::move(reading), std::move(values), document ? *in.round : round, files);
    return in;
}

std::optional<int> finish_checks(Problems problems, const Problems& warnings, const po::variables_map& vm) {
    const bool strict = vm.count("strict") > 0;
    if (strict && !warnings.empty()) {
        problems.insert(problems.end(), warnings.begin(), warnings.end());
        report(problems);
        std::cerr << "jpclear: " << warnings.size() << (warnings.size() == 1 ? " warning" : " warnings")
                  << " refused by --strict\n";
        return exit_bad_input;
    }
    for (const Problem& w : warnings) std::cerr << "jpclear: warning: " << w.to_string() << "\n";
    if (!problems.empty()) return report(problems);
    return std::nullopt;
}

void add_input_options(po::options_description& named, po::positional_options_description& positional) {
    named.add_options()("round", po::value<std::string>()->required(), "round file (JSON); - reads it from stdin")(
        "bids", po::value<std::string>(), "bids as CSV, replacing the round's bids")(
        "offers", po::value<std::string>(), "offers as CSV, replacing the round's offers")(
        "routes", po::value<std::string>(), "routes as CSV, giving the round's logistics.routes")(
        "ignore-columns", po::value<std::string>(),
        "CSV columns to skip, by name, comma-separated (columns named x-... are always skipped)")(
        "strict", "refuse the round (exit 2) on any warning, as on a problem")(
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
