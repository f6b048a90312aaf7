// Running a sweep: the base round and every variant of the grid, cleared on
// a pool of threads, each row written to its own slot so that the order of
// the rows never depends on which thread finished first.

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "jpclear/clear.h"
#include "jpclear/sweep.h"

namespace jpclear {
namespace {

// `at` is the variant's value index per axis; nullptr for the base round.
SweepRow clear_variant(const Round& base, const std::vector<SweepAxis>& axes, const std::vector<std::size_t>* at,
                       const Options& options) {
    SweepRow row;
    std::optional<Round> copy;
    if (at) {
        copy = base;
        for (std::size_t i = 0; i < axes.size(); ++i)
            if (auto problem = apply_sweep_value(*copy, axes[i], axes[i].values[(*at)[i]]))
                row.problems.push_back(*problem);
    }
    const Round& round = copy ? *copy : base;
    for (std::size_t i = 0; i < axes.size(); ++i)
        row.values.push_back(sweep_value_text(round, axes[i], at ? &axes[i].values[(*at)[i]] : nullptr));
    if (!row.problems.empty()) return row;
    ClearOutcome outcome;
    try {
        outcome = clear(round, options);
    } catch (const OverflowError& e) {
        // A swept value can push a valid round past exact arithmetic where
        // clear() does not look for it; that is this variant's problem only.
        row.problems.push_back({"", std::string("the variant does not fit exact arithmetic (") + e.what() + ")"});
        return row;
    }
    if (!outcome.ok()) {
        row.problems = std::move(outcome.problems);
        return row;
    }
    row.result = std::move(outcome.result);
    // Orders and awards are the bulk of a result and no column reads them.
    row.result->bids = {};
    row.result->offers = {};
    row.result->awards = {};
    return row;
}

}  // namespace

SweepRun run_sweep(const Round& base, const std::vector<SweepAxis>& axes, const SweepOptions& options) {
    const std::size_t variants = sweep_variant_count(axes);
    const std::size_t total = variants + 1;  // slot 0 is the base round
    std::vector<SweepRow> rows(total);

    std::atomic<std::size_t> next{0};
    std::mutex report;  // guards `done`, `failure` and the progress callback
    std::size_t done = 0;
    std::exception_ptr failure;

    auto work = [&] {
        for (std::size_t task; (task = next.fetch_add(1)) < total;) {
            try {
                if (task == 0) {
                    rows[0] = clear_variant(base, axes, nullptr, options.clear);
                } else {
                    const std::vector<std::size_t> at = sweep_variant(axes, task - 1);
                    rows[task] = clear_variant(base, axes, &at, options.clear);
                }
            } catch (...) {
                // Not the input's fault (clear() reports those): stop the
                // others and let the caller see it.
                std::lock_guard lock(report);
                if (!failure) failure = std::current_exception();
                next.store(total);
                return;
            }
            std::lock_guard lock(report);
            ++done;
            if (options.progress) options.progress(done, total);
        }
    };

    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, total));
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < jobs; ++i) {
        try {
            pool.emplace_back(work);
        } catch (const std::system_error&) {
            break;  // the system gives no more threads: the ones running share the work
        }
    }
    work();
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);

    SweepRun run;
    run.base = std::move(rows[0]);
    run.variants.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
    return run;
}

}  // namespace jpclear
