#pragma once
// When solve() must stop: Options::time_limit_ms counted from one start, and
// the stop flag. Shared by the search and the passes after it, so that a
// limit bounds the whole clearing, not only the branch-and-bound loop.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "jpclear/options.h"

namespace jpclear::detail {

class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    explicit Deadline(const Options& options, Clock::time_point start = Clock::now())
        : stop_(options.stop), start_(start) {
        if (options.time_limit_ms) end_ = start + std::chrono::milliseconds(*options.time_limit_ms);
    }

    /// The same start and stop flag, `grace` (a fraction of the time limit)
    /// later: the budget of a pass that runs after the search.
    Deadline extended(double grace) const {
        Deadline d = *this;
        if (end_) d.end_ = *end_ + std::chrono::duration_cast<Clock::duration>((*end_ - start_) * grace);
        return d;
    }

    /// True once the time is up or the stop flag is set. Reads the clock:
    /// call it every so much work, not in the tightest loops.
    bool passed() const {
        if (stop_ && stop_->load(std::memory_order_relaxed)) return true;
        return end_ && Clock::now() >= *end_;
    }

    bool limited() const { return stop_ || end_; }

private:
    const std::atomic<bool>* stop_ = nullptr;
    Clock::time_point start_;
    std::optional<Clock::time_point> end_;
};

}  // namespace jpclear::detail
