// The compiled clear() and validate() of clear.h: the header-only engine,
// compiled once here so that callers include only declarations.

#include "jpclear/clear.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "jpclear/clear_inline.h"

namespace jpclear {

ClearOutcome clear(const Round& round, const Options& options) { return clear_inline(round, options); }

Problems validate(const Round& round) { return validate_inline(round); }

// What a StreamedResult keeps: the market and the solution the builder reads,
// the builder itself (its prices and references per place), and the totals.
// Never moved once built: the builder refers to the members before it.
struct StreamedResult::State {
    State(const Round& round, Market&& m, Solution&& s)
        : market(std::move(m)),
          solution(std::move(s)),
          builder(round, market, solution.allocation, &solution.arc_flow, false) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    Market market;
    Solution solution;
    detail::ResultBuilder builder;
    Result totals;
    std::vector<std::uint32_t> eligible_index;  // per offer: its index among the eligible ones
};

StreamedResult& StreamedResult::operator=(StreamedResult&& other) noexcept {
    if (this != &other) {
        delete state_;
        state_ = other.state_;
        other.state_ = nullptr;
    }
    return *this;
}

StreamedResult::~StreamedResult() { delete state_; }

const Result& StreamedResult::totals() const { return state_->totals; }
const Market& StreamedResult::market() const { return state_->market; }
std::size_t StreamedResult::bid_count() const { return state_->market.bid_count(); }
std::size_t StreamedResult::offer_count() const { return state_->eligible_index.size(); }

OrderResult StreamedResult::bid(std::size_t i) const {
    if (i >= bid_count()) throw std::out_of_range("jpclear::StreamedResult::bid: no bid " + std::to_string(i));
    return state_->builder.bid_line(i);
}

OrderResult StreamedResult::offer(std::size_t i) const {
    if (i >= offer_count()) throw std::out_of_range("jpclear::StreamedResult::offer: no offer " + std::to_string(i));
    return state_->builder.offer_line(i, state_->eligible_index[i]);
}

Result StreamedResult::materialized() const {
    Result r = state_->totals;
    r.bids.reserve(bid_count());
    for (std::size_t i = 0; i < bid_count(); ++i) r.bids.push_back(bid(i));
    r.offers.reserve(offer_count());
    for (std::size_t i = 0; i < offer_count(); ++i) r.offers.push_back(offer(i));
    return r;
}

StreamedOutcome clear_streamed(const Round& round, const Options& options) {
    StreamedOutcome out;
    Prepared prepared = prepare(round);
    if (!prepared.problems.empty()) {
        out.status = CallStatus::invalid_input;
        out.problems = std::move(prepared.problems);
        return out;
    }
    // As clear_inline(), with the builder kept: the same exceptions mean the same problems.
    try {
        Solution solution = solve(prepared.book, options);
        auto state = std::make_unique<StreamedResult::State>(round, std::move(prepared.book), std::move(solution));
        const Solution& s = state->solution;
        state->totals = state->builder.build(s.optimality, s.bound);
        state->eligible_index.reserve(round.offers.size());
        std::uint32_t e = 0;
        for (Eligibility eligibility : state->market.offer_eligibility) {
            state->eligible_index.push_back(e);
            if (eligibility == Eligibility::eligible) ++e;
        }
        out.result.emplace(StreamedResult(state.release()));
    } catch (const NoPlacePrices& e) {
        out.status = CallStatus::invalid_input;
        out.problems = detail::problems_of(e);
    } catch (const OverflowError& e) {
        out.status = CallStatus::invalid_input;
        out.problems = detail::problems_of(e);
    }
    return out;
}

}  // namespace jpclear
