// `jpclear generate`: writes a synthetic round.

#include <fstream>
#include <iostream>

#include "jpclear/generate.h"

#include "cli/commands.h"
#include "cli/common.h"

namespace jpclear::cli {

const char* const generate_usage = R"(  jpclear generate --bids N --offers M [--seed S] [--blocks PER_MILLE] [--cap] [--places]
                   [--out ROUND.json]
)";

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

}  // namespace jpclear::cli
