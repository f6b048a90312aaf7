// What the two CBC oracles share; see oracle_common.h.

#include "oracle/oracle_common.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <CbcModel.hpp>
#include <CoinMessageHandler.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

namespace jpclear::oracle {

std::string to_string(int128 v) {
    if (v == 0) return "0";
    const bool negative = v < 0;
    // Work on the magnitude as unsigned: -INT128_MIN does not fit in int128.
    uint128 mag = negative ? static_cast<uint128>(-(v + 1)) + 1 : static_cast<uint128>(v);
    std::string digits;
    while (mag != 0) {
        digits.push_back(static_cast<char>('0' + static_cast<int>(mag % 10)));
        mag /= 10;
    }
    if (negative) digits.push_back('-');
    std::reverse(digits.begin(), digits.end());
    return digits;
}

namespace detail {

int128 gcd128(int128 a, int128 b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
        int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

Fraction share_fraction(const Decimal& s) {
    Fraction f;
    f.num = s.coefficient();
    f.den = 1;
    for (int i = 0; i < s.scale(); ++i) f.den *= 10;
    const int128 g = gcd128(f.num, f.den);
    f.num /= g;
    f.den /= g;
    return f;
}

std::string fill_error(const char* side, std::string_view id, std::int64_t fill, std::int64_t lots,
                       std::int64_t min_lots) {
    const std::int64_t least = std::max<std::int64_t>(min_lots, 1);
    if (fill != 0 && (fill < least || fill > lots))
        return std::string(side) + " " + std::string(id) + " fills " + std::to_string(fill) + " lots";
    return {};
}

std::string origin_cap_error(const Market& m, const std::vector<std::int64_t>& offer_fill, int128 volume,
                             std::vector<bool>& at_cap) {
    std::vector<int128> origin_lots(m.origins.size(), 0);
    for (std::size_t o = 0; o < m.offer_count(); ++o) origin_lots[m.offer_origin[o]] += offer_fill[o];
    at_cap.assign(m.origins.size(), false);
    if (!m.max_origin_share) return {};
    const Fraction s = share_fraction(*m.max_origin_share);
    const int128 cap = s.num * volume / s.den;  // both non-negative: division floors
    for (std::size_t k = 0; k < origin_lots.size(); ++k) {
        if (origin_lots[k] > cap)
            return "origin " + m.origins[k] + " sells " + to_string(origin_lots[k]) + " lots, cap " + to_string(cap);
        at_cap[k] = origin_lots[k] == cap;
    }
    return {};
}

int Mip::col(double lb, double ub) {
    col_lb.push_back(lb);
    col_ub.push_back(ub);
    obj.push_back(0.0);
    const int j = static_cast<int>(col_lb.size()) - 1;
    integers.push_back(j);  // every variable of these models is integer
    return j;
}

void Mip::row(const Terms& terms, double lb, double ub) {
    Terms kept;
    for (const auto& [j, a] : terms)
        if (a != 0.0) kept.push_back({j, a});
    rows.push_back(std::move(kept));
    row_lb.push_back(lb);
    row_ub.push_back(ub);
}

OrderColumns add_order(Mip& mip, std::int64_t lots) {
    OrderColumns c;
    c.fill = mip.col(0.0, static_cast<double>(lots));
    c.trades = mip.binary();
    c.full = mip.binary();
    return c;
}

void add_order_rows(Mip& mip, const OrderColumns& c, std::int64_t lots, std::int64_t min_lots) {
    const double L = static_cast<double>(lots);
    const double least = static_cast<double>(std::max<std::int64_t>(min_lots, 1));
    mip.row({{c.fill, 1.0}, {c.trades, -least}}, 0.0, kInf);  // trades = 1 -> fill >= max(min, 1)
    mip.row({{c.fill, 1.0}, {c.trades, -L}}, -kInf, 0.0);     // trades = 0 -> fill = 0
    mip.row({{c.fill, 1.0}, {c.full, -L}}, 0.0, kInf);        // full = 1 -> fill = L
}

CapColumns add_cap(Mip& mip, std::int64_t vmax, std::size_t origins) {
    CapColumns c;
    c.cap = mip.col(0.0, static_cast<double>(vmax));
    for (std::size_t k = 0; k < origins; ++k) c.at_cap.push_back(mip.binary());
    return c;
}

void add_cap_rows(Mip& mip, const Fraction& share, const CapColumns& cap, int volume, const Market& m,
                  const std::vector<OrderColumns>& offers, std::int64_t vmax) {
    const double num = static_cast<double>(share.num), den = static_cast<double>(share.den);
    mip.row({{cap.cap, den}, {volume, -num}}, 1.0 - den, 0.0);  // K = floor(num V / den)
    std::vector<Terms> origin_terms(m.origins.size());
    for (std::size_t o = 0; o < m.offer_count(); ++o) origin_terms[m.offer_origin[o]].push_back({offers[o].fill, 1.0});
    const double big = static_cast<double>(vmax);
    for (std::size_t k = 0; k < m.origins.size(); ++k) {
        Terms t = origin_terms[k];
        t.push_back({cap.cap, -1.0});
        mip.row(t, -kInf, 0.0);  // T_c <= K
        t.push_back({cap.at_cap[k], -big});
        mip.row(t, -big, kInf);  // a_c = 1 -> T_c >= K
    }
}

std::optional<Fraction> exact_share(const Market& m, std::int64_t vmax, std::string& failure) {
    Fraction share;
    if (m.max_origin_share) {
        share = share_fraction(*m.max_origin_share);
        // den K and num V must stay exact in doubles as well.
        if (share.den * (vmax + 1) > kExact) {
            failure = "max_origin_share has too many digits for an exact cap row in doubles";
            return std::nullopt;
        }
    }
    return share;
}

void add_welfare(Mip& mip, Terms& welfare, int j, double coef) {
    mip.obj[static_cast<std::size_t>(j)] = -coef;
    welfare.push_back({j, coef});
}

Run run_cbc(const Mip& mip, std::int64_t time_limit_ms, const std::vector<double>* start,
            std::optional<double> integer_tolerance) {
    CoinPackedMatrix matrix(false, 0, 0);  // row-ordered
    matrix.setDimensions(0, static_cast<int>(mip.col_lb.size()));
    for (const Terms& terms : mip.rows) {
        CoinPackedVector r;
        for (const auto& [j, a] : terms) r.insert(j, a);
        matrix.appendRow(r);
    }

    OsiClpSolverInterface solver;
    solver.messageHandler()->setLogLevel(0);
    solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
    solver.loadProblem(matrix, mip.col_lb.data(), mip.col_ub.data(), mip.obj.data(), mip.row_lb.data(),
                       mip.row_ub.data());
    solver.setInteger(mip.integers.data(), static_cast<int>(mip.integers.size()));

    CbcModel model(solver);  // clones the solver
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.setNumberThreads(0);  // one thread: deterministic
    model.setRandomSeed(20260401);
    model.setUseElapsedTime(true);
    model.setMaximumSeconds(static_cast<double>(std::max<std::int64_t>(time_limit_ms, 1)) / 1000.0);
    if (integer_tolerance) model.setIntegerTolerance(*integer_tolerance);
    // The objective is integral, so a gap below 1/2 proves the optimum; no
    // relative gap may end the search early.
    model.setAllowableGap(0.5);
    model.setAllowableFractionGap(0.0);
    model.setAllowablePercentageGap(0.0);

    model.initialSolve();
    if (start) {
        double value = 0.0;
        for (std::size_t j = 0; j < start->size(); ++j) value += mip.obj[j] * (*start)[j];
        model.setBestSolution(start->data(), static_cast<int>(start->size()), value, true);
    }
    model.branchAndBound();

    Run run;
    const double* best = model.bestSolution();
    if (best) {
        run.has_solution = true;
        run.values.assign(best, best + mip.col_lb.size());
    }
    run.proven = model.isProvenOptimal() && !model.isSecondsLimitReached();
    run.infeasible = !best && model.isProvenInfeasible() && !model.isSecondsLimitReached();
    return run;
}

bool round_all(const std::vector<double>& values, std::vector<std::int64_t>& out) {
    out.resize(values.size());
    for (std::size_t j = 0; j < values.size(); ++j) {
        const double r = std::nearbyint(values[j]);
        if (std::fabs(values[j] - r) > 1e-4) return false;
        out[j] = static_cast<std::int64_t>(r);
    }
    return true;
}

}  // namespace detail
}  // namespace jpclear::oracle
