// `jpclear sweep`: clears a round under a grid of settings and writes one CSV
// row per variant (the library side is jpclear/sweep.h).

#include <algorithm>
#include <iostream>
#include <thread>

#include "jpclear/clear.h"
#include "jpclear/sweep.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"
#include "cli/progress.h"

namespace jpclear::cli {

const char* const sweep_usage = R"(  jpclear sweep ROUND.json --set NAME=VALUES [--set NAME=VALUES ...] [--out SWEEP.csv]
                           [--plot SWEEP.svg] [--jobs N] [--progress] [--verbose]
                           [--node-limit N] [--time-limit-ms N]
                           [--bids BIDS.csv] [--offers OFFERS.csv] [--routes ROUTES.csv]
                           [--ignore-columns NAME,...] [--strict] [--max-bytes N] [--max-orders N]
)";

namespace {

const char* const sweep_examples = R"(  jpclear sweep round.json --set rules.max_origin_share=0.3:1.0:0.05 --out sweep.csv --plot sweep.svg
  jpclear sweep round.json --set rules.max_origin_share=none,0.65,0.5,0.4 --set rules.pricing.k=0:1:0.25
  jpclear sweep round.json --set rules.excluded_origins=none,+CN,+CN+RU --set rules.require_certified=false,true
  jpclear sweep round.json --set fx.JPY=0.0060:0.0066:0.0002 --set rules.pricing.rule=uniform,pay-as-bid
  jpclear sweep delivered.json --set logistics.freight_scale=0.5:2:0.5 --jobs 2 --progress

settings (VALUES are separated by commas; `base` is the round's own value):
  rules.max_origin_share   decimals, ranges FROM:TO:STEP, none (no cap)
  rules.pricing.k          decimals, ranges
  rules.pricing.rule       uniform, pay-as-bid
  rules.require_certified  true, false
  rules.excluded_origins   none (no origin excluded), or +CN, -XX, +CN+RU: origins added to and
                           removed from the round's list
  fx.CUR                   decimals, ranges (fx.JPY=0.0060:0.0066:0.0002)
  logistics.freight_scale  decimals, ranges: every route's freight times the value

Several --set make a grid: the first --set varies slowest, the last fastest. The
first row is the round as given (variant "base"); a variant the round refuses is a
row with status "invalid" and its problem. Columns: see docs/analysts.md.
)";

std::vector<SweepAxis> parse_axes(const std::vector<std::string>& specs) {
    std::vector<SweepAxis> axes;
    for (const std::string& spec : specs) {
        ParsedSweepAxis parsed = parse_sweep_axis(spec);
        if (!parsed.axis) throw UsageError{parsed.problem.to_string()};
        axes.push_back(std::move(*parsed.axis));
    }
    return axes;
}

// Writes to `path` (whole or not at all), or stdout when it is empty; false
// when that failed.
template <typename Write>
bool write_to(const std::string& path, Write write) {
    if (path.empty()) {
        write(std::cout);
        std::cout.flush();
        return static_cast<bool>(std::cout);
    }
    return write_whole_file(path, write);
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    add_input_options(named, positional);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    named.add_options()("set", po::value<std::vector<std::string>>()->required()->composing(),
                        "NAME=VALUES: a setting and the values to try (repeat for a grid)")(
        "out", po::value<std::string>(), "write the CSV here instead of stdout")(
        "plot", po::value<std::string>(), "also draw welfare and price against the first setting (SVG)")(
        "jobs", po::value<unsigned>()->default_value(cores), "variants cleared at once (default: the cores)")(
        "progress", "show a progress bar on stderr even when it is not a terminal")(
        "verbose", "log steps and timings to stderr");
    add_limit_options(named);
    named.add_options()("help,h", "show this help");
    if (wants_help(args)) return help(sweep_usage, named, sweep_examples);
    po::variables_map vm = parse(args, named, positional);
    auto log = make_logger(vm.count("verbose") > 0);

    const std::vector<SweepAxis> axes = parse_axes(vm["set"].as<std::vector<std::string>>());
    SweepOptions options;
    options.jobs = vm["jobs"].as<unsigned>();
    if (options.jobs == 0) throw UsageError{"--jobs must be at least 1"};
    Problems problems;
    options.clear = clear_options(vm, problems);
    Input in = load_round(vm, *log);
    const Problems warnings = in.all_warnings();
    if (!in.read_cleanly) return *finish_checks(in.take_problems(std::move(problems)), warnings, vm);
    const std::optional<Round>& round = in.round;
    // Every row is measured against the base round, so it must clear itself.
    for (Problem& p : check_sweep(*round, axes)) problems.push_back(std::move(p));
    if (problems.empty())
        for (Problem& p : in.located(validate(*round))) problems.push_back(std::move(p));
    // The warnings are the base round's: printed once, or with --strict refused.
    if (auto code = finish_checks(std::move(problems), warnings, vm)) return *code;

    ProgressBar bar(std::cerr, "variants", stderr_is_terminal(), vm.count("progress") > 0);
    options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
    const auto t0 = std::chrono::steady_clock::now();
    const SweepRun run = run_sweep(*round, axes, options);
    bar.finish();
    log->debug("cleared the base round and {} variants in {:.1f} ms with --jobs {}", run.variants.size(), ms_since(t0),
               options.jobs);
    if (!run.base.valid()) return report(run.base.problems);

    const std::string out = vm.count("out") ? vm["out"].as<std::string>() : "";
    if (!write_to(out, [&](std::ostream& s) { write_sweep_csv(s, *round, axes, run); })) return exit_failure;
    if (vm.count("plot") && !write_to(vm["plot"].as<std::string>(),
                                      [&](std::ostream& s) { s << sweep_plot_svg(axes, run) << '\n'; }))
        return exit_failure;
    return exit_ok;
}

}  // namespace jpclear::cli
