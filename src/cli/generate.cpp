// `jpclear generate`: writes a synthetic round.

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iostream>
#include <stdexcept>

#include "jpclear/generate.h"

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/output_file.h"

namespace jpclear::cli {

const char* const generate_usage = R"(  jpclear generate --bids N --offers M [--seed S] [--blocks PER_MILLE] [--cap [SHARE]]
                   [--scenario NAME | --origin-weights CN=62,AU=20,...] [--places] [--out ROUND.json]
)";

namespace {

const char* const generate_examples = R"(  jpclear generate --bids 2000 --offers 300 --out round.json
  jpclear generate --bids 2000 --offers 300 --scenario lithium-refined --cap 0.5 --out capped.json
  jpclear generate --bids 900 --offers 100 --origin-weights CN=62,AU=20,CL=18 --cap 0.4
  jpclear generate --bids 500 --offers 80 --places --blocks 100
)";

// "CN=62,AU=20": every entry CODE=WEIGHT with a positive whole weight.
std::vector<OriginWeight> parse_weights(const std::string& text) {
    std::vector<OriginWeight> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        const std::string entry = text.substr(start, end - start);
        const std::size_t eq = entry.find('=');
        std::uint32_t weight = 0;
        const char* first = entry.data() + (eq == std::string::npos ? 0 : eq + 1);
        const auto [ptr, ec] = std::from_chars(first, entry.data() + entry.size(), weight);
        if (eq == std::string::npos || ec != std::errc() || ptr != entry.data() + entry.size() || first == ptr)
            throw UsageError{"--origin-weights: \"" + entry + "\" is not CODE=WEIGHT with a whole weight (e.g. CN=62)"};
        out.push_back({entry.substr(0, eq), weight});
        start = end + 1;
    }
    return out;
}

std::string scenario_list() {
    std::string text;
    for (const Scenario& s : scenarios())
        text += "  " + std::string(s.name) + std::string(18 - std::min<std::size_t>(17, s.name.size()), ' ') +
                std::string(s.description) + "\n";
    return text;
}

}  // namespace

int cmd_generate(const std::vector<std::string>& args) {
    po::options_description named;
    po::positional_options_description positional;
    named.add_options()("bids", po::value<std::uint64_t>()->required(), "number of bids")(
        "offers", po::value<std::uint64_t>()->required(), "number of offers")(
        "seed", po::value<std::uint64_t>()->default_value(1), "random seed; the round id is generated-SEED")(
        "blocks", po::value<std::uint32_t>()->default_value(0), "blocks per thousand orders (0 to 1000)")(
        "cap", po::value<std::string>()->implicit_value("0.65"),
        "set rules.max_origin_share: --cap alone is 0.65 (the CRMA benchmark), --cap=0.4 or --cap 0.4 another share")(
        "scenario", po::value<std::string>(), "a named origin mix (see below)")(
        "origin-weights", po::value<std::string>(),
        "the origin mix as CODE=WEIGHT,... (weights are relative); origins the generator does not know get "
        "made-up suppliers")("places", "delivery places, ports and a freight table (logistics, spec section 10)")(
        "out", po::value<std::string>(), "write here instead of stdout")("help,h", "show this help");
    if (wants_help(args)) {
        help(generate_usage, named, generate_examples);
        std::cout << "\nscenarios (--scenario):\n" << scenario_list();
        return exit_ok;
    }
    // `--cap 0.4`: boost takes an implicit value only as --cap=0.4, so a
    // share given as the next word is joined to it here.
    std::vector<std::string> joined;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--cap" && i + 1 < args.size() && !args[i + 1].empty() &&
            (std::isdigit(static_cast<unsigned char>(args[i + 1][0])) || args[i + 1][0] == '.')) {
            joined.push_back("--cap=" + args[i + 1]);
            ++i;
        } else {
            joined.push_back(args[i]);
        }
    }
    po::variables_map vm = parse(joined, named, positional);
    GenerateSpec spec;
    spec.bids = vm["bids"].as<std::uint64_t>();
    spec.offers = vm["offers"].as<std::uint64_t>();
    spec.seed = vm["seed"].as<std::uint64_t>();
    spec.block_per_mille = vm["blocks"].as<std::uint32_t>();
    spec.places = vm.count("places") > 0;
    if (vm.count("cap")) {
        const std::string text = vm["cap"].as<std::string>();
        const ParsedDecimal share = Decimal::parse(text);
        if (!share.value || *share.value <= Decimal() || *share.value > Decimal::integer(1))
            throw UsageError{"--cap: \"" + text + "\" is not a share in (0, 1] such as 0.65"};
        spec.origin_cap = true;
        spec.cap_share = *share.value;
    }
    if (vm.count("scenario") && vm.count("origin-weights"))
        throw UsageError{"--scenario and --origin-weights both set the origin mix; give one"};
    if (vm.count("scenario")) {
        const std::string name = vm["scenario"].as<std::string>();
        auto weights = scenario_weights(name);
        if (!weights) throw UsageError{"--scenario: unknown scenario \"" + name + "\"; the scenarios are:\n" + scenario_list()};
        spec.origin_weights = std::move(*weights);
    }
    if (vm.count("origin-weights")) spec.origin_weights = parse_weights(vm["origin-weights"].as<std::string>());
    if (spec.block_per_mille > 1000) throw UsageError{"--blocks must be 0 to 1000"};
    if (spec.bids + spec.offers > ReadLimits{}.max_orders)
        throw UsageError{"--bids plus --offers must be at most " + std::to_string(ReadLimits{}.max_orders)};
    Round round;
    try {
        round = generate_round(spec);
    } catch (const std::invalid_argument& e) {
        throw UsageError{e.what()};
    }
    if (vm.count("out")) {
        if (!write_whole_file(vm["out"].as<std::string>(), [&](std::ostream& f) { write_round_json(f, round); }))
            return exit_failure;
    } else {
        write_round_json(std::cout, round);
    }
    return exit_ok;
}

}  // namespace jpclear::cli
