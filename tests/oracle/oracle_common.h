#pragma once
// What the two CBC oracles share (cbc_oracle.cpp for one-place rounds,
// places_oracle.cpp for rounds with places): decimal digits of an int128,
// the origin share as an exact fraction and the rule-3 check built on it, the
// MIP as plain arrays with the rows both models write alike (rule 1 and
// "full", the origin cap), one CBC run, and the lexicographic solve (maximum
// welfare, then maximum volume) that both oracles run on their models.
//
// Like the oracle headers it includes no CBC header: only oracle_common.cpp
// does. Everything but to_string() is in namespace detail, for the oracles'
// own use.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jpclear/clearing/market.h"
#include "jpclear/model/decimal.h"

namespace jpclear::oracle {

/// Decimal digits of an int128.
std::string to_string(int128 v);

namespace detail {

// ---------------------------------------------------------------- exact arithmetic

/// max_origin_share as a reduced fraction num/den (0 < num <= den).
struct Fraction {
    int128 num = 1;
    int128 den = 1;
};

int128 gcd128(int128 a, int128 b);

Fraction share_fraction(const Decimal& s);

/// Doubles hold integers below 2^53 exactly; the oracles keep every
/// coefficient, bound and objective value of their models below this.
inline constexpr int128 kExact = static_cast<int128>(1) << 50;

/// Rule 1 for one order, exactly: a fill is 0 or in [max(min, 1), lots].
/// The reason it is broken ("bid b1 fills 3 lots"), or empty.
std::string fill_error(const char* side, std::string_view id, std::int64_t fill, std::int64_t lots,
                       std::int64_t min_lots);

/// Rule 3, exactly: no origin sells more than floor(s V) lots, s the
/// market's max_origin_share. Sets `at_cap` per origin (true where it sells
/// exactly floor(s V); all false without a cap) and returns the reason the
/// rule is broken, or empty.
std::string origin_cap_error(const Market& m, const std::vector<std::int64_t>& offer_fill, int128 volume,
                             std::vector<bool>& at_cap);

// ---------------------------------------------------------------- the MIP

/// CBC's infinity (COIN_DBL_MAX), for one-sided rows.
inline constexpr double kInf = std::numeric_limits<double>::max();

/// A sparse row: (column, coefficient) pairs.
using Terms = std::vector<std::pair<int, double>>;

/// The MIP as plain arrays, so that stage 2 can be the same model plus a
/// row. Every column is integer; CBC minimises `obj`.
struct Mip {
    std::vector<double> col_lb, col_ub, obj;
    std::vector<int> integers;
    std::vector<Terms> rows;  ///< without zero coefficients
    std::vector<double> row_lb, row_ub;

    int col(double lb, double ub);
    int binary() { return col(0.0, 1.0); }
    void row(const Terms& terms, double lb, double ub);
};

/// The columns of one order: its fill in [0, lots] and the binaries "trades"
/// and "is full", added in that order.
struct OrderColumns {
    int fill = -1, trades = -1, full = -1;
};
OrderColumns add_order(Mip& mip, std::int64_t lots);

/// Rule 1 and "full" for an order: trades = 1 -> fill >= max(min, 1),
/// trades = 0 -> fill = 0, full = 1 -> fill = lots.
void add_order_rows(Mip& mip, const OrderColumns& c, std::int64_t lots, std::int64_t min_lots);

/// The origin cap's columns (only with a cap): K in [0, Vmax], then a
/// binary "at cap" per origin.
struct CapColumns {
    int cap = -1;
    std::vector<int> at_cap;
};
CapColumns add_cap(Mip& mip, std::int64_t vmax, std::size_t origins);

/// Rule 3 and "at cap": K = floor(num V / den) exactly, T_c <= K per origin
/// (T_c the lots of its offers, `offers` in market order), and
/// a_c = 1 -> T_c >= K.
void add_cap_rows(Mip& mip, const Fraction& share, const CapColumns& cap, int volume, const Market& m,
                  const std::vector<OrderColumns>& offers, std::int64_t vmax);

/// The origin share as an exact fraction, or nullopt with `failure` set when
/// the cap row den K <= num V would not be exact in doubles. Without a cap:
/// 1/1.
std::optional<Fraction> exact_share(const Market& m, std::int64_t vmax, std::string& failure);

/// A welfare term: coefficient `coef` on column j, maximised (CBC
/// minimises, hence obj = -coef), and recorded for stage 2's welfare row.
void add_welfare(Mip& mip, Terms& welfare, int j, double coef);

// ---------------------------------------------------------------- solving

/// One CBC run's outcome.
struct Run {
    bool has_solution = false;
    bool proven = false;      ///< proved optimal within the time limit
    bool infeasible = false;  ///< proved that the MIP has no solution
    std::vector<double> values;
};

/// One CBC run on `mip`, one thread, logs off, stopped by wall-clock
/// `time_limit_ms`, and only by a gap below 1/2 (the objective is integral).
/// `start`, when given, is a feasible point handed to CBC as its first
/// incumbent; `integer_tolerance`, when given, replaces CBC's default.
Run run_cbc(const Mip& mip, std::int64_t time_limit_ms, const std::vector<double>* start,
            std::optional<double> integer_tolerance);

/// Rounds `values` to whole numbers; false when one is not near an integer.
bool round_all(const std::vector<double>& values, std::vector<std::int64_t>& out);

/// The lexicographic optimum by solving twice: (1) maximise the welfare that
/// `mip.obj` holds (scaled: tick-lots / `scale`); W1 is that of the verified
/// rounded solution; (2) add the row "scaled welfare >= W1 / scale - 1/2"
/// (`welfare` holds its terms; the left side is an integer, so this is ">= W1"
/// with room for tolerances), maximise column `volume`, starting from
/// stage 1's solution. Stage 2's solution must keep welfare W1 and not lower
/// the volume.
///
/// `accept(ints, stage)` reads a run's rounded solution into `out`, checks it
/// exactly, and sets `out.welfare` and `out.volume` (true) or
/// `out.failure` (false). `Result` has welfare, volume, feasible, optimal
/// and failure; when it has `infeasible` as well, a run that CBC proves
/// infeasible sets it.
template <class Result, class Accept>
void solve_lexicographic(Mip& mip, const Terms& welfare, int volume, int128 scale, std::int64_t time_limit_ms,
                         std::optional<double> integer_tolerance, Result& out, Accept accept) {
    std::vector<std::int64_t> ints;
    auto stage = [&](const Run& run, const char* name) -> bool {
        if (!run.has_solution) {
            if constexpr (requires { out.infeasible; }) {
                out.infeasible = run.infeasible;
                out.failure = std::string(name) + (run.infeasible ? ": CBC proved that no allocation meets the rules"
                                                                  : ": CBC found no solution");
            } else {
                out.failure = std::string(name) + ": CBC found no solution";
            }
            return false;
        }
        if (!round_all(run.values, ints)) {
            out.failure = std::string(name) + ": CBC returned a value that is not near an integer";
            return false;
        }
        return accept(ints, name);
    };

    const Run first = run_cbc(mip, time_limit_ms, nullptr, integer_tolerance);
    if (!stage(first, "stage 1 (welfare)")) return;
    const int128 w1 = out.welfare;
    const std::int64_t v1 = out.volume;

    // Stage 2: keep welfare at W1 (scaled: W1 / scale, exact), maximise V.
    if (w1 % scale != 0) {
        out.failure =
            "welfare " + to_string(w1) + " is not a multiple of the scale " + to_string(scale) + " (oracle bug)";
        return;
    }
    mip.row(welfare, static_cast<double>(w1 / scale) - 0.5, kInf);
    std::fill(mip.obj.begin(), mip.obj.end(), 0.0);
    mip.obj[static_cast<std::size_t>(volume)] = -1.0;
    std::vector<double> start(ints.begin(), ints.end());
    const Run second = run_cbc(mip, time_limit_ms, &start, integer_tolerance);
    if (!stage(second, "stage 2 (volume)")) return;
    if (out.welfare != w1) {
        out.failure = "stage 2 changed welfare from " + to_string(w1) + " to " + to_string(out.welfare) +
                      " tick-lots: stage 1 was not optimal";
        return;
    }
    if (out.volume < v1) {
        out.failure = "stage 2 lowered the volume from " + std::to_string(v1) + " to " + std::to_string(out.volume);
        return;
    }
    out.feasible = true;
    out.optimal = first.proven && second.proven;
}

}  // namespace detail
}  // namespace jpclear::oracle
