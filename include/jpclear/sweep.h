#pragma once
// What-if sweeps: one round cleared under many settings (compiled: link
// jpclear::jpclear).
//
// A setting such as `rules.max_origin_share=0.3:1.0:0.05` names a field of the
// round and the values to try; several settings make a grid (their cartesian
// product). Every variant is a copy of the base round with its values set,
// validated and cleared like any round, so a value the round refuses (a cap
// of 0) makes that variant `invalid` and leaves the others alone. Values are
// exact decimals, ranges are stepped in Decimal, and the rows come out in the
// grid's order whatever the number of threads.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jpclear/model/decimal.h"
#include "jpclear/model/problem.h"
#include "jpclear/model/result.h"
#include "jpclear/model/round.h"
#include "jpclear/options.h"

namespace jpclear {

/// The fields a sweep can vary.
enum class SweepParameter {
    max_origin_share,   ///< rules.max_origin_share: decimals, ranges, `none` (no cap)
    pricing_k,          ///< rules.pricing.k: decimals, ranges
    pricing_rule,       ///< rules.pricing.rule: uniform, pay-as-bid
    require_certified,  ///< rules.require_certified: true, false
    excluded_origins,   ///< rules.excluded_origins: `none`, or edits of the base list (+CN, +CN-RU)
    fx_rate,            ///< fx.CUR: decimals, ranges
    freight_scale,      ///< logistics.freight_scale: multiplies every route's freight
};

/// One alternative of a setting.
struct SweepValue {
    enum class Kind {
        base,     ///< `base`: the base round's value
        none,     ///< `none`: no cap / no excluded origin
        number,   ///< a decimal, written or stepped from a range
        rule,     ///< a pricing rule
        flag,     ///< true or false
        origins,  ///< edits of the base round's excluded origins
    };
    Kind kind = Kind::base;
    Decimal number;
    PricingRule rule = PricingRule::uniform;
    bool flag = false;
    /// In order: (true, "CN") adds CN, (false, "RU") removes RU.
    std::vector<std::pair<bool, std::string>> origin_edits;
};

/// One `--set`: a parameter and the values it takes, in the order written.
struct SweepAxis {
    SweepParameter parameter = SweepParameter::max_origin_share;
    std::string name;      ///< as written: `rules.max_origin_share`, `fx.JPY`
    std::string currency;  ///< for fx_rate: the currency code
    std::vector<SweepValue> values;
};

/// Most values one setting may take, and most variants a grid may have.
inline constexpr std::size_t max_sweep_values = 10'000;
inline constexpr std::size_t max_sweep_variants = 100'000;

/// A setting, or why the text is not one (the problem's path is the setting's
/// name, or `--set` when there is no name; the message names the accepted forms).
struct ParsedSweepAxis {
    std::optional<SweepAxis> axis;
    Problem problem;
};

/// Parses `NAME=VALUES`: VALUES separated by commas, each a value, a keyword
/// (`base`, and `none` where the parameter has it) or, for decimals, a range
/// `FROM:TO:STEP` (FROM, FROM+STEP, ... up to TO inclusive, exactly).
ParsedSweepAxis parse_sweep_axis(std::string_view text);

/// Problems of a sweep as a whole against its base round: a parameter given
/// twice, a freight scale for a round without routes, a grid over
/// max_sweep_variants. Empty when the sweep can run.
Problems check_sweep(const Round& base, const std::vector<SweepAxis>& axes);

/// Number of variants of the grid (the product of the value counts), not
/// counting the base round; saturates at SIZE_MAX.
std::size_t sweep_variant_count(const std::vector<SweepAxis>& axes);

/// The value indexes of variant `index` (0-based, grid order: the first axis
/// varies slowest, the last fastest).
std::vector<std::size_t> sweep_variant(const std::vector<SweepAxis>& axes, std::size_t index);

/// Sets `value` of `axis` in `round`; a problem when the value cannot be set
/// (a scaled freight too large for exact arithmetic). Field values the round
/// refuses are left for validate(), as for any round.
std::optional<Problem> apply_sweep_value(Round& round, const SweepAxis& axis, const SweepValue& value);

/// The axis's field in `round` as the CSV shows it: a decimal as text, `none`
/// for no cap or no excluded origin, origins joined by `+` in the round's
/// order, `true`/`false`, the rule's name; the freight scale of a round is 1
/// (the base) or the value set; an absent fx rate is empty.
std::string sweep_value_text(const Round& round, const SweepAxis& axis, const SweepValue* applied = nullptr);

/// One cleared (or refused) variant.
struct SweepRow {
    std::vector<std::string> values;  ///< per axis, sweep_value_text of the variant
    Problems problems;                ///< non-empty: the variant is invalid and has no result
    /// The variant's result without its orders and awards (totals, blocs,
    /// origins, places and routes are kept), so a large grid stays small.
    std::optional<Result> result;

    bool valid() const { return problems.empty(); }
};

struct SweepRun {
    SweepRow base;                  ///< the round as given
    std::vector<SweepRow> variants; ///< in grid order
};

struct SweepOptions {
    Options clear;      ///< node and time limits of each variant's clearing
    unsigned jobs = 0;  ///< threads; 0: std::thread::hardware_concurrency()
    /// Called after each variant is cleared with (done, total), from worker
    /// threads but never two at once; total counts the base round too.
    std::function<void(std::size_t, std::size_t)> progress;
};

/// Clears the base round and every variant of the grid. The base round must
/// be valid for a meaningful comparison: when it is not, `base.problems` says
/// why and the variants are still run. Rows come out in grid order whatever
/// `jobs` is.
SweepRun run_sweep(const Round& base, const std::vector<SweepAxis>& axes, const SweepOptions& options = {});

/// The sweep as CSV (RFC 4180 quoting, LF line ends): a header row, the base
/// round's row, then one row per variant; columns in docs/analysts.md. The
/// columns depend only on the base round and the axes.
void write_sweep_csv(std::ostream& out, const Round& base, const std::vector<SweepAxis>& axes, const SweepRun& run);

/// The sweep as an SVG picture: welfare (top) and clearing price (bottom)
/// against the first setting, one line for each combination of the other
/// settings, the base round as a dashed level. A first setting that is not a
/// decimal (a rule, origins) is placed by its position among its values, each
/// named by a marker; words among decimals (`none`) become levels too.
/// Invalid variants are left out, and no-trade ones from the price panel.
std::string sweep_plot_svg(const std::vector<SweepAxis>& axes, const SweepRun& run);

}  // namespace jpclear
