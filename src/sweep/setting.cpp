// Sweep settings: parsing `NAME=VALUES` and setting one value in a round.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "jpclear/model/validate.h"
#include "jpclear/sweep.h"

namespace jpclear {
namespace {

struct ParameterInfo {
    SweepParameter parameter;
    std::string_view name;
    std::string_view forms;  ///< what VALUES may be, for messages
};

// fx.CUR stands for every currency; the others are matched by name.
constexpr std::array<ParameterInfo, 7> parameters{{
    {SweepParameter::max_origin_share, "rules.max_origin_share",
     "decimals (0.65), ranges FROM:TO:STEP (0.3:1.0:0.05), none (no cap) or base"},
    {SweepParameter::pricing_k, "rules.pricing.k", "decimals (0.5), ranges FROM:TO:STEP (0:1:0.25) or base"},
    {SweepParameter::pricing_rule, "rules.pricing.rule", "uniform, pay-as-bid or base"},
    {SweepParameter::require_certified, "rules.require_certified", "true, false or base"},
    {SweepParameter::excluded_origins, "rules.excluded_origins",
     "none (no origin excluded), base, or origins added to and removed from the round's list (+CN, +CN+RU, -XX+CN)"},
    {SweepParameter::fx_rate, "fx.CUR",
     "decimals (0.0061), ranges FROM:TO:STEP (0.0060:0.0066:0.0002) or base"},
    {SweepParameter::freight_scale, "logistics.freight_scale",
     "decimals (1.5), ranges FROM:TO:STEP (0.5:2:0.5) or base"},
}};

const ParameterInfo& info(SweepParameter p) {
    return *std::find_if(parameters.begin(), parameters.end(), [&](const ParameterInfo& i) { return i.parameter == p; });
}

std::string setting_names() {
    std::string out;
    for (const ParameterInfo& i : parameters) {
        if (!out.empty()) out += ", ";
        out += i.name;
    }
    return out + " (fx.CUR for a currency CUR, e.g. fx.JPY)";
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// `text` in double quotes. Built by append: GCC 12 misreads `"\"" + s` as an
// overlapping memcpy (bug 105329) and -Werror would stop the build.
std::string in_quotes(std::string_view text) {
    std::string out = "\"";
    out.append(text).append("\"");
    return out;
}

// A failed parse: the problem names the setting and what it accepts.
ParsedSweepAxis refuse(const SweepAxis& axis, std::string_view item, const std::string& why) {
    ParsedSweepAxis out;
    out.problem = {axis.name, in_quotes(item) + " " + why + "; " + axis.name + " takes " +
                                  std::string(info(axis.parameter).forms) + ", separated by commas"};
    return out;
}

// FROM:TO:STEP into `values`; an error sentence when it is not one.
std::string add_range(std::string_view item, std::vector<SweepValue>& values) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t colon = item.find(':', start);
        parts.push_back(item.substr(start, colon - start));
        if (colon == std::string_view::npos) break;
        start = colon + 1;
    }
    if (parts.size() != 3) return "is not a range FROM:TO:STEP (it has " + std::to_string(parts.size()) + " parts)";
    std::array<Decimal, 3> bounds;
    for (std::size_t i = 0; i < 3; ++i) {
        ParsedDecimal d = Decimal::parse(parts[i]);
        if (!d.value) return "is not a range FROM:TO:STEP (" + in_quotes(parts[i]) + " " + d.error + ")";
        bounds[i] = *d.value;
    }
    const auto [from, to, step] = bounds;
    if (step.sign() <= 0) return "is not a range FROM:TO:STEP (STEP must be greater than 0)";
    if (to < from) return "is not a range FROM:TO:STEP (TO must be at least FROM)";
    try {
        const int128 steps = floor_quotient(to - from, step);
        if (steps >= static_cast<int128>(max_sweep_values))
            return "has more than " + std::to_string(max_sweep_values) + " values";
        // Each value from FROM by whole steps, so no rounding accumulates.
        for (int128 i = 0; i <= steps; ++i) {
            SweepValue v;
            v.kind = SweepValue::Kind::number;
            v.number = from + step * Decimal::from_units(i, 0);
            values.push_back(std::move(v));
        }
    } catch (const OverflowError&) {
        return "is a range too large for exact arithmetic";
    }
    return "";
}

// `+CN-RU`: two-letter origins, each after + (add) or - (remove).
std::string add_origin_edits(std::string_view item, std::vector<SweepValue>& values) {
    SweepValue v;
    v.kind = SweepValue::Kind::origins;
    for (std::size_t i = 0; i < item.size(); i += 3) {
        const char sign = item[i];
        const std::string_view code = item.substr(i + 1, 2);
        if ((sign != '+' && sign != '-') || !detail::is_upper_code(code, 2) ||
            (i + 3 < item.size() && item[i + 3] != '+' && item[i + 3] != '-'))
            return "is not a list of origin edits (each a + or - and a code of 2 upper-case letters)";
        v.origin_edits.emplace_back(sign == '+', std::string(code));
    }
    values.push_back(std::move(v));
    return "";
}

// One comma-separated item into `values`; an error sentence when it is none
// of the axis's forms.
std::string add_item(const SweepAxis& axis, std::string_view item, std::vector<SweepValue>& values) {
    using Kind = SweepValue::Kind;
    const SweepParameter p = axis.parameter;
    SweepValue v;
    if (item.empty()) return "is empty";
    if (item == "base") {
        values.push_back(v);
        return "";
    }
    if (item == "none" && (p == SweepParameter::max_origin_share || p == SweepParameter::excluded_origins)) {
        v.kind = Kind::none;
        values.push_back(v);
        return "";
    }
    switch (p) {
        case SweepParameter::pricing_rule:
            if (item != "uniform" && item != "pay-as-bid") return "is not a pricing rule";
            v.kind = Kind::rule;
            v.rule = item == "uniform" ? PricingRule::uniform : PricingRule::pay_as_bid;
            break;
        case SweepParameter::require_certified:
            if (item != "true" && item != "false") return "is not true or false";
            v.kind = Kind::flag;
            v.flag = item == "true";
            break;
        case SweepParameter::excluded_origins: return add_origin_edits(item, values);
        default: {
            if (item.find(':') != std::string_view::npos) return add_range(item, values);
            ParsedDecimal d = Decimal::parse(item);
            if (!d.value) return d.error;
            v.kind = Kind::number;
            v.number = *d.value;
        }
    }
    values.push_back(v);
    return "";
}

}  // namespace

ParsedSweepAxis parse_sweep_axis(std::string_view text) {
    ParsedSweepAxis out;
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) {
        out.problem = {"--set", in_quotes(text) +
                                    " is not NAME=VALUES (e.g. rules.max_origin_share=0.3:1.0:0.05)"};
        return out;
    }
    SweepAxis axis;
    axis.name = std::string(trimmed(text.substr(0, eq)));
    bool known = false;
    for (const ParameterInfo& i : parameters) {
        if (i.name == axis.name) {
            axis.parameter = i.parameter;
            known = true;
        }
    }
    if (!known && axis.name.starts_with("fx.")) {
        axis.parameter = SweepParameter::fx_rate;
        axis.currency = axis.name.substr(3);
        known = detail::is_upper_code(axis.currency, 3);
        if (!known) {
            out.problem = {axis.name, in_quotes(axis.currency) + " is not a currency code (3 upper-case letters)"};
            return out;
        }
    }
    if (!known) {
        out.problem = {"--set", in_quotes(axis.name) + " is not a setting sweep can vary; the settings are " +
                                    setting_names()};
        return out;
    }
    std::string_view rest = text.substr(eq + 1);
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = trimmed(rest.substr(0, comma));
        const std::string why = add_item(axis, item, axis.values);
        if (!why.empty()) return refuse(axis, item, why);
        if (axis.values.size() > max_sweep_values)
            return refuse(axis, item,
                          "makes more than the " + std::to_string(max_sweep_values) + " values a setting may take");
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    out.axis = std::move(axis);
    return out;
}

Problems check_sweep(const Round& base, const std::vector<SweepAxis>& axes) {
    Problems problems;
    for (std::size_t i = 0; i < axes.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (axes[j].name == axes[i].name) problems.push_back({axes[i].name, "is set twice; give its values in one --set"});
        if (axes[i].parameter == SweepParameter::freight_scale && !base.logistics)
            problems.push_back({axes[i].name, "the round has no logistics.routes whose freight it could scale"});
    }
    const std::size_t count = sweep_variant_count(axes);
    if (count > max_sweep_variants)
        problems.push_back({"--set", "the grid has " + (count == SIZE_MAX ? std::string("too many") : std::to_string(count)) +
                                         " variants, more than " + std::to_string(max_sweep_variants) +
                                         "; sweep fewer values"});
    return problems;
}

std::size_t sweep_variant_count(const std::vector<SweepAxis>& axes) {
    if (axes.empty()) return 0;
    std::size_t count = 1;
    for (const SweepAxis& a : axes) {
        if (!a.values.empty() && count > SIZE_MAX / a.values.size()) return SIZE_MAX;
        count *= a.values.size();
    }
    return count;
}

std::vector<std::size_t> sweep_variant(const std::vector<SweepAxis>& axes, std::size_t index) {
    std::vector<std::size_t> at(axes.size());
    for (std::size_t i = axes.size(); i-- > 0;) {
        at[i] = index % axes[i].values.size();
        index /= axes[i].values.size();
    }
    return at;
}

std::optional<Problem> apply_sweep_value(Round& round, const SweepAxis& axis, const SweepValue& value) {
    using Kind = SweepValue::Kind;
    if (value.kind == Kind::base) return std::nullopt;
    Rules& rules = round.rules;
    switch (axis.parameter) {
        case SweepParameter::max_origin_share:
            if (value.kind == Kind::none) rules.max_origin_share.reset();
            else rules.max_origin_share = value.number;
            break;
        case SweepParameter::pricing_k: rules.k = value.number; break;
        case SweepParameter::pricing_rule: rules.pricing = value.rule; break;
        case SweepParameter::require_certified: rules.require_certified = value.flag; break;
        case SweepParameter::excluded_origins: {
            std::vector<std::string>& list = rules.excluded_origins;
            if (value.kind == Kind::none) list.clear();
            for (const auto& [add, code] : value.origin_edits) {
                auto at = std::find(list.begin(), list.end(), code);
                if (add && at == list.end()) list.push_back(code);
                if (!add && at != list.end()) list.erase(at);
            }
            break;
        }
        case SweepParameter::fx_rate: round.fx[axis.currency] = value.number; break;
        case SweepParameter::freight_scale:
            if (!round.logistics) return Problem{axis.name, "the round has no logistics.routes whose freight it could scale"};
            try {
                for (Route& r : round.logistics->routes) r.freight = r.freight * value.number;
            } catch (const OverflowError&) {
                return Problem{axis.name, value.number.to_string() +
                                              " makes a route's freight too large for exact arithmetic"};
            }
            break;
    }
    return std::nullopt;
}

std::string sweep_value_text(const Round& round, const SweepAxis& axis, const SweepValue* applied) {
    const Rules& rules = round.rules;
    switch (axis.parameter) {
        case SweepParameter::max_origin_share:
            return rules.max_origin_share ? rules.max_origin_share->to_string() : "none";
        case SweepParameter::pricing_k: return rules.k.to_string();
        case SweepParameter::pricing_rule: return to_string(rules.pricing);
        case SweepParameter::require_certified: return rules.require_certified ? "true" : "false";
        case SweepParameter::excluded_origins: {
            std::string out;
            for (const std::string& code : rules.excluded_origins) out += (out.empty() ? "" : "+") + code;
            return out.empty() ? "none" : out;
        }
        case SweepParameter::fx_rate: {
            auto it = round.fx.find(axis.currency);
            return it == round.fx.end() ? "" : it->second.to_string();
        }
        case SweepParameter::freight_scale:
            return applied && applied->kind == SweepValue::Kind::number ? applied->number.to_string() : "1";
    }
    return "";
}

}  // namespace jpclear
