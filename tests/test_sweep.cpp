// What-if sweeps (jpclear/sweep.h): --set specs, settings applied to a
// round, the grid's order, running it on threads, and the CSV.

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "jpclear/clear.h"
#include "jpclear/sweep.h"
#include "round_builders.h"
#include "xml_check.h"

namespace {

using jpclear::dec;
using jpclear::Round;
using jpclear::SweepAxis;
using jpclear::SweepValue;
using jpclear::test::same;
using Kind = SweepValue::Kind;

SweepAxis axis(const char* text) {
    jpclear::ParsedSweepAxis parsed = jpclear::parse_sweep_axis(text);
    EXPECT_TRUE(parsed.axis) << text << ": " << parsed.problem.to_string();
    return parsed.axis ? *parsed.axis : SweepAxis{};
}

// The problem text for a spec that must not parse.
std::string refusal(const char* text) {
    jpclear::ParsedSweepAxis parsed = jpclear::parse_sweep_axis(text);
    EXPECT_FALSE(parsed.axis) << text << " parsed";
    return parsed.problem.to_string();
}

std::vector<std::string> numbers(const SweepAxis& a) {
    std::vector<std::string> out;
    for (const SweepValue& v : a.values) out.push_back(v.kind == Kind::number ? v.number.to_string() : "?");
    return out;
}

// AU is cheap and could sell 30 of the 50 lots bought; a cap below 0.6 binds.
Round capped_round() {
    using jpclear::test::bid;
    using jpclear::test::offer;
    Round r = jpclear::test::case_round("sweep");
    r.bids = {bid("eu-1", "EU", 30, "15000"), bid("jp-1", "JP", 20, "2400000", "JPY")};
    r.offers = {offer("au-1", "AU", 30, "13000"), offer("cl-1", "CL", 10, "13500", true),
                offer("cn-1", "CN", 15, "14000")};
    r.rules.max_origin_share = dec("0.65");
    return r;
}

TEST(SweepSpec, RangeIsSteppedExactly) {
    const SweepAxis a = axis("rules.max_origin_share=0.3:1.0:0.05");
    ASSERT_EQ(a.values.size(), 15u);
    for (std::size_t i = 0; i < a.values.size(); ++i)
        EXPECT_EQ(a.values[i].number, dec("0.3") + dec("0.05") * jpclear::Decimal::integer(static_cast<int>(i)));
    EXPECT_TRUE(same(a.values[1].number, "0.35"));
    EXPECT_TRUE(same(a.values.back().number, "1"));
    // Binary floating point would miss the end: 0.006 + 3 * 0.0002 != 0.0066 in doubles.
    EXPECT_EQ(numbers(axis("fx.JPY=0.0060:0.0066:0.0002")),
              (std::vector<std::string>{"0.006", "0.0062", "0.0064", "0.0066"}));
}

TEST(SweepSpec, RangeStopsAtTheLastStepNotAbove) {
    EXPECT_EQ(numbers(axis("rules.pricing.k=0:1:0.3")), (std::vector<std::string>{"0", "0.3", "0.6", "0.9"}));
    EXPECT_EQ(numbers(axis("rules.pricing.k=0.5:0.5:0.1")), (std::vector<std::string>{"0.5"}));
}

TEST(SweepSpec, ListsMixValuesKeywordsAndRanges) {
    const SweepAxis a = axis("rules.max_origin_share=none, 0.5 ,0.4:0.5:0.05,base");
    EXPECT_EQ(a.name, "rules.max_origin_share");
    ASSERT_EQ(a.values.size(), 6u);
    EXPECT_EQ(a.values[0].kind, Kind::none);
    EXPECT_TRUE(same(a.values[1].number, "0.5"));
    EXPECT_TRUE(same(a.values[2].number, "0.4"));
    EXPECT_TRUE(same(a.values[4].number, "0.5"));
    EXPECT_EQ(a.values[5].kind, Kind::base);
}

TEST(SweepSpec, RulesFlagsAndOrigins) {
    const SweepAxis rule = axis("rules.pricing.rule=uniform,pay-as-bid");
    ASSERT_EQ(rule.values.size(), 2u);
    EXPECT_EQ(rule.values[1].rule, jpclear::PricingRule::pay_as_bid);
    const SweepAxis flag = axis("rules.require_certified=false,true");
    EXPECT_FALSE(flag.values[0].flag);
    EXPECT_TRUE(flag.values[1].flag);
    const SweepAxis origins = axis("rules.excluded_origins=none,+CN,+CN+RU,-XX+CN");
    ASSERT_EQ(origins.values.size(), 4u);
    EXPECT_EQ(origins.values[0].kind, Kind::none);
    EXPECT_EQ(origins.values[2].origin_edits,
              (std::vector<std::pair<bool, std::string>>{{true, "CN"}, {true, "RU"}}));
    EXPECT_EQ(origins.values[3].origin_edits,
              (std::vector<std::pair<bool, std::string>>{{false, "XX"}, {true, "CN"}}));
    const SweepAxis fx = axis("fx.JPY=0.0061");
    EXPECT_EQ(fx.parameter, jpclear::SweepParameter::fx_rate);
    EXPECT_EQ(fx.currency, "JPY");
}

TEST(SweepSpec, BadFormsSayWhatIsWrongAndWhatIsAccepted) {
    const std::string no_eq = refusal("rules.max_origin_share");
    EXPECT_NE(no_eq.find("is not NAME=VALUES"), std::string::npos) << no_eq;
    const std::string unknown = refusal("rules.tick=0.01");
    EXPECT_NE(unknown.find("\"rules.tick\" is not a setting"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("rules.max_origin_share, rules.pricing.k"), std::string::npos) << unknown;
    EXPECT_NE(refusal("fx.yen=1").find("\"yen\" is not a currency code"), std::string::npos);

    const std::string word = refusal("rules.pricing.k=0.5,half");
    EXPECT_EQ(word.rfind("rules.pricing.k: \"half\" is not a decimal; rules.pricing.k takes decimals", 0), 0u) << word;
    EXPECT_NE(refusal("rules.pricing.k=none").find("\"none\" is not a decimal"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0.5,,1").find("\"\" is empty"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0.5,").find("is empty"), std::string::npos);

    EXPECT_NE(refusal("rules.pricing.k=1:0:0.1").find("TO must be at least FROM"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0:1:0").find("STEP must be greater than 0"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0:1:-0.1").find("STEP must be greater than 0"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0:1").find("(it has 2 parts)"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0:1:0.1:2").find("(it has 4 parts)"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0:1:.1").find("\".1\" is not a decimal"), std::string::npos);
    EXPECT_NE(refusal("rules.pricing.k=0:1:0.00001").find("has more than 10000 values"), std::string::npos);

    const std::string rule = refusal("rules.pricing.rule=vickrey");
    EXPECT_NE(rule.find("\"vickrey\" is not a pricing rule; rules.pricing.rule takes uniform, pay-as-bid or base"),
              std::string::npos)
        << rule;
    EXPECT_NE(refusal("rules.require_certified=yes").find("is not true or false"), std::string::npos);
    for (const char* bad : {"rules.excluded_origins=CN", "rules.excluded_origins=+C", "rules.excluded_origins=+cn",
                            "rules.excluded_origins=+CNRU", "rules.excluded_origins=+CN+"})
        EXPECT_NE(refusal(bad).find("is not a list of origin edits"), std::string::npos) << bad;
}

TEST(SweepApply, EachSettingChangesItsField) {
    Round r = capped_round();
    r.rules.excluded_origins = {"XX"};
    auto apply = [&](const char* spec, std::size_t index = 0) {
        const SweepAxis a = axis(spec);
        EXPECT_FALSE(jpclear::apply_sweep_value(r, a, a.values[index]));
        return jpclear::sweep_value_text(r, a, &a.values[index]);
    };
    EXPECT_EQ(apply("rules.max_origin_share=0.4"), "0.4");
    EXPECT_TRUE(same(r.rules.max_origin_share, "0.4"));
    EXPECT_EQ(apply("rules.max_origin_share=none"), "none");
    EXPECT_FALSE(r.rules.max_origin_share);
    EXPECT_EQ(apply("rules.pricing.k=0.25"), "0.25");
    EXPECT_EQ(apply("rules.pricing.rule=pay-as-bid"), "pay-as-bid");
    EXPECT_EQ(r.rules.pricing, jpclear::PricingRule::pay_as_bid);
    EXPECT_EQ(apply("rules.require_certified=true"), "true");
    EXPECT_TRUE(r.rules.require_certified);
    // Edits start from the round's list; adding twice or removing what is
    // not there changes nothing.
    EXPECT_EQ(apply("rules.excluded_origins=+CN+RU+CN"), "XX+CN+RU");
    EXPECT_EQ(apply("rules.excluded_origins=-XX-BR"), "CN+RU");
    EXPECT_EQ(apply("rules.excluded_origins=none"), "none");
    EXPECT_TRUE(r.rules.excluded_origins.empty());
    EXPECT_EQ(apply("fx.JPY=0.0064"), "0.0064");
    EXPECT_TRUE(same(r.fx["JPY"], "0.0064"));
    EXPECT_EQ(apply("fx.USD=0.9"), "0.9");
    // `base` leaves the field as it is.
    EXPECT_EQ(apply("rules.pricing.k=base"), "0.25");
}

TEST(SweepApply, FreightScaleMultipliesEveryRouteExactly) {
    Round r = capped_round();
    r.logistics.emplace();
    jpclear::Route a{"AU-PHE", "JP-YOK", dec("38.50"), std::nullopt, std::nullopt};
    jpclear::Route b{"CL-ANF", "JP-YOK", dec("91.5"), std::nullopt, 20};
    r.logistics->routes = {a, b};
    const SweepAxis scale = axis("logistics.freight_scale=1.5,base");
    EXPECT_FALSE(jpclear::apply_sweep_value(r, scale, scale.values[0]));
    EXPECT_TRUE(same(r.logistics->routes[0].freight, "57.75"));
    EXPECT_TRUE(same(r.logistics->routes[1].freight, "137.25"));
    EXPECT_EQ(jpclear::sweep_value_text(r, scale, &scale.values[0]), "1.5");
    EXPECT_EQ(jpclear::sweep_value_text(r, scale, &scale.values[1]), "1");
    EXPECT_EQ(jpclear::sweep_value_text(r, scale), "1");
}

TEST(SweepCheck, RefusesWhatNoVariantCouldDo) {
    const Round r = capped_round();
    EXPECT_TRUE(jpclear::check_sweep(r, {axis("rules.pricing.k=0:1:0.5")}).empty());
    const auto twice = jpclear::check_sweep(r, {axis("rules.pricing.k=0"), axis("rules.pricing.k=1")});
    ASSERT_EQ(twice.size(), 1u);
    EXPECT_EQ(twice[0].to_string(), "rules.pricing.k: is set twice; give its values in one --set");
    const auto freight = jpclear::check_sweep(r, {axis("logistics.freight_scale=2")});
    ASSERT_EQ(freight.size(), 1u);
    EXPECT_NE(freight[0].message.find("no logistics.routes"), std::string::npos);
    const SweepAxis big = axis("rules.pricing.k=0:0.9999:0.0001");
    const auto grid = jpclear::check_sweep(r, {big, axis("fx.JPY=0.006:0.007:0.0001")});
    ASSERT_EQ(grid.size(), 1u);
    EXPECT_NE(grid[0].message.find("the grid has 110000 variants, more than 100000"), std::string::npos);
}

TEST(SweepGrid, FirstAxisVariesSlowest) {
    const std::vector<SweepAxis> axes{axis("rules.pricing.k=0,1"), axis("rules.max_origin_share=0.4,0.5,0.6")};
    EXPECT_EQ(jpclear::sweep_variant_count(axes), 6u);
    EXPECT_EQ(jpclear::sweep_variant(axes, 0), (std::vector<std::size_t>{0, 0}));
    EXPECT_EQ(jpclear::sweep_variant(axes, 1), (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(jpclear::sweep_variant(axes, 3), (std::vector<std::size_t>{1, 0}));
    EXPECT_EQ(jpclear::sweep_variant(axes, 5), (std::vector<std::size_t>{1, 2}));
}

TEST(SweepRun, EveryRowIsTheClearingOfItsVariant) {
    const Round base = capped_round();
    const std::vector<SweepAxis> axes{axis("rules.max_origin_share=none,0.4:0.7:0.1"),
                                      axis("rules.pricing.rule=uniform,pay-as-bid")};
    jpclear::SweepOptions options;
    options.jobs = 3;
    const jpclear::SweepRun run = jpclear::run_sweep(base, axes, options);
    ASSERT_EQ(run.variants.size(), 10u);
    ASSERT_TRUE(run.base.result);
    std::set<std::string> welfares;
    for (std::size_t i = 0; i < run.variants.size(); ++i) {
        const auto at = jpclear::sweep_variant(axes, i);
        Round variant = base;
        variant.rules.pricing = at[1] ? jpclear::PricingRule::pay_as_bid : jpclear::PricingRule::uniform;
        if (at[0] == 0) variant.rules.max_origin_share.reset();
        else variant.rules.max_origin_share = dec("0.3") + dec("0.1") * jpclear::Decimal::integer(static_cast<int>(at[0]));
        const jpclear::ClearOutcome want = jpclear::clear(variant);
        const jpclear::SweepRow& row = run.variants[i];
        ASSERT_TRUE(want.ok() && row.result) << i;
        EXPECT_EQ(row.result->welfare, want.result->welfare) << i;
        EXPECT_EQ(row.result->clearing_price, want.result->clearing_price) << i;
        EXPECT_EQ(row.result->blocs.at("JP").buyer_surplus, want.result->blocs.at("JP").buyer_surplus) << i;
        EXPECT_EQ(row.result->origins.size(), want.result->origins.size()) << i;
        EXPECT_TRUE(row.result->bids.empty() && row.result->awards.empty()) << "orders are dropped from rows";
        welfares.insert(row.result->welfare.to_string());
    }
    EXPECT_GE(welfares.size(), 3u) << "the cap binds, so the rows differ";
    EXPECT_EQ(run.variants[0].values, (std::vector<std::string>{"none", "uniform"}));
    EXPECT_EQ(run.base.values, (std::vector<std::string>{"0.65", "uniform"}));
}

TEST(SweepRun, AnInvalidVariantIsARowNotAFailure) {
    const std::vector<SweepAxis> axes{axis("rules.max_origin_share=0,0.5,1.5")};
    const jpclear::SweepRun run = jpclear::run_sweep(capped_round(), axes);
    ASSERT_EQ(run.variants.size(), 3u);
    EXPECT_FALSE(run.variants[0].valid());
    EXPECT_EQ(run.variants[0].problems[0].to_string(), "rules.max_origin_share: 0 must be greater than 0");
    EXPECT_TRUE(run.variants[1].valid());
    EXPECT_FALSE(run.variants[2].valid());
}

TEST(SweepRun, SameRowsWhateverTheThreadsAndProgressCountsThemAll) {
    const Round base = capped_round();
    const std::vector<SweepAxis> axes{axis("rules.max_origin_share=0.3:1:0.05"), axis("rules.pricing.k=0,1")};
    std::string text[2];
    for (unsigned jobs : {1u, 4u}) {
        jpclear::SweepOptions options;
        options.jobs = jobs;
        std::vector<std::size_t> seen;
        options.progress = [&](std::size_t done, std::size_t total) {
            EXPECT_EQ(total, 31u);
            seen.push_back(done);
        };
        const jpclear::SweepRun run = jpclear::run_sweep(base, axes, options);
        std::ostringstream csv;
        jpclear::write_sweep_csv(csv, base, axes, run);
        text[jobs == 1 ? 0 : 1] = csv.str();
        ASSERT_EQ(seen.size(), 31u);
        for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
    }
    EXPECT_EQ(text[0], text[1]);
}

TEST(SweepCsv, ColumnsComeFromTheRoundAndCellsAreQuoted) {
    Round base = capped_round();
    base.bids[1].bloc = "JP, \"Tokyo\"";
    const std::vector<SweepAxis> axes{axis("rules.max_origin_share=0.5,0")};
    std::ostringstream csv;
    jpclear::write_sweep_csv(csv, base, axes, jpclear::run_sweep(base, axes));
    std::istringstream lines(csv.str());
    std::string header, base_row, capped, invalid;
    std::getline(lines, header);
    std::getline(lines, base_row);
    std::getline(lines, capped);
    std::getline(lines, invalid);
    EXPECT_EQ(header,
              "variant,rules.max_origin_share,status,optimality,clearing_price,cleared_lots,cleared_tonnes,welfare,"
              "buyer_surplus,supplier_surplus,buyer_surplus.EU,\"buyer_surplus.JP, \"\"Tokyo\"\"\",share.AU,share.CL,"
              "share.CN,welfare_change,buyer_surplus_change,supplier_surplus_change,buyer_surplus_change.EU,"
              "\"buyer_surplus_change.JP, \"\"Tokyo\"\"\",problem");
    EXPECT_EQ(base_row.rfind("base,0.65,cleared,proven,", 0), 0u) << base_row;
    EXPECT_NE(base_row.find(",0.00,0.00,0.00,0.00,0.00,"), std::string::npos) << "no change against itself";
    // Cap 0.5 of 50 lots: AU 25, CL 10, CN 15.
    EXPECT_EQ(capped.rfind("1,0.5,cleared,proven,", 0), 0u) << capped;
    EXPECT_NE(capped.find(",0.500000,0.200000,0.300000,"), std::string::npos) << capped;
    EXPECT_EQ(invalid, "2,0,invalid,,,,,,,,,,,,,,,,,,rules.max_origin_share: 0 must be greater than 0");
}

TEST(SweepPlot, WelfareAndPriceAgainstTheFirstSettingAsWellFormedSvg) {
    const Round base = capped_round();
    const std::vector<SweepAxis> axes{axis("rules.max_origin_share=none,0,0.4:0.6:0.1"),
                                      axis("rules.pricing.rule=uniform,pay-as-bid")};
    const jpclear::SweepRun run = jpclear::run_sweep(base, axes);
    const std::string svg = jpclear::sweep_plot_svg(axes, run);
    EXPECT_EQ(jpclear::test::xml_problem(svg), "");
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    for (const char* text : {"Welfare against rules.max_origin_share", "Clearing price against rules.max_origin_share",
                             "rules.pricing.rule pay-as-bid", "base " /* the base round's level */,
                             "none (rules.pricing.rule uniform) "})
        EXPECT_NE(svg.find(text), std::string::npos) << text;
    // Two panels, two lines each; the invalid cap of 0 is not drawn.
    std::size_t lines = 0;
    for (std::size_t at = svg.find("<path d=\"M"); at != std::string::npos; at = svg.find("<path d=\"M", at + 1)) ++lines;
    EXPECT_EQ(lines, 4u);
    EXPECT_EQ(svg, jpclear::sweep_plot_svg(axes, jpclear::run_sweep(base, axes))) << "same bytes";

    const std::vector<SweepAxis> words{axis("rules.excluded_origins=none,+CN,+CN+AU")};
    const std::string categories = jpclear::sweep_plot_svg(words, jpclear::run_sweep(base, words));
    EXPECT_EQ(jpclear::test::xml_problem(categories), "");
    EXPECT_NE(categories.find(">CN+AU<"), std::string::npos) << "each value named by a marker";
}

}  // namespace
