// clear() is re-entrant (docs/api.md, "Threads"): 8 threads clear the same
// generated rounds at once, each in its own order, some as their own copy and
// some shared read-only, some with clear() and some with clear_streamed(),
// while some also write shared StreamedResults (their lines made by several
// threads at once, and on larger rounds by WriteOptions' own threads too),
// and every result must be byte for byte the result of a single-threaded
// run. Under ThreadSanitizer (JPCLEAR_TSAN) any data race between the calls
// fails it as well.
//
//   test_threads [ROUNDS]   (default 48 rounds of every shape)

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "jpclear/jpclear.h"

namespace {

constexpr unsigned thread_count = 8;

// Small rounds of every shape the engine has: convex, blocks, a cap, places,
// and places with blocks and a cap, so each algorithm runs concurrently.
jpclear::GenerateSpec spec_of(std::uint64_t i) {
    jpclear::GenerateSpec spec;
    spec.bids = 24 + i % 17;
    spec.offers = 8 + i % 7;
    spec.seed = 1000 + i;
    const std::uint64_t shape = i % 5;
    spec.block_per_mille = (shape == 1 || shape == 4) ? 300 : 0;
    spec.origin_cap = shape == 2 || shape == 4;
    spec.places = shape >= 3;
    if (spec.origin_cap) {  // a supply mix where the cap binds
        spec.origin_weights = *jpclear::scenario_weights("lithium-refined");
        spec.cap_share = jpclear::dec("0.5");
    }
    return spec;
}

// A node limit keeps the searches short and, unlike a time limit,
// deterministic, so the threaded results can be compared with the reference.
jpclear::Options options() {
    jpclear::Options o;
    o.node_limit = 5000;
    return o;
}

// A ClearOutcome or a StreamedOutcome as text: its result document, or its
// problems.
template <class Outcome>
std::string outcome_text(const jpclear::Round& round, const Outcome& outcome, jpclear::WriteOptions writing = {}) {
    if (!outcome.ok()) {
        std::string text = "invalid:";
        for (const jpclear::Problem& p : outcome.problems) text.append(" ").append(p.to_string());
        return text;
    }
    return jpclear::result_json(round, *outcome.result, writing);
}

}  // namespace

int main(int argc, char** argv) {
    const std::uint64_t rounds = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 48;

    std::vector<jpclear::Round> shared;
    shared.reserve(rounds);  // a StreamedResult refers to its round: never moved
    std::vector<std::string> expected;
    std::vector<jpclear::StreamedOutcome> streamed;  // read by several threads at once
    for (std::uint64_t i = 0; i < rounds; ++i) {
        shared.push_back(jpclear::generate_round(spec_of(i)));
        expected.push_back(outcome_text(shared.back(), jpclear::clear(shared.back(), options())));
        streamed.push_back(jpclear::clear_streamed(shared.back(), options()));
    }

    // Each thread writes only its own slot; the main thread reads after join().
    std::vector<std::uint64_t> mismatches(thread_count, 0);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            for (std::uint64_t k = 0; k < rounds; ++k) {
                const std::uint64_t i = (k + t * rounds / thread_count) % rounds;
                // Odd threads generate and clear a round of their own, even
                // ones clear the shared one that other threads read as well.
                // Threads 2 and 6 clear it with clear_streamed(); 0 and 4
                // also write the shared StreamedResult of the round.
                if (t % 2 == 1) {
                    const jpclear::Round own = jpclear::generate_round(spec_of(i));
                    if (outcome_text(own, jpclear::clear(own, options())) != expected[i]) ++mismatches[t];
                } else if (t % 4 == 2) {
                    if (outcome_text(shared[i], jpclear::clear_streamed(shared[i], options())) != expected[i])
                        ++mismatches[t];
                } else {
                    if (outcome_text(shared[i], jpclear::clear(shared[i], options())) != expected[i]) ++mismatches[t];
                    if (outcome_text(shared[i], streamed[i]) != expected[i]) ++mismatches[t];
                }
            }
        });
    }
    for (std::thread& th : threads) th.join();

    // Larger rounds, whose result lines are made in blocks by three threads
    // each (WriteOptions::threads), written by every thread at once.
    std::vector<jpclear::Round> large;
    large.reserve(2);
    std::vector<std::string> large_expected;
    std::vector<jpclear::StreamedOutcome> large_streamed;
    for (std::uint64_t i = 0; i < 2; ++i) {
        jpclear::GenerateSpec spec{.bids = 6000, .offers = 3000, .seed = 77 + i};
        spec.places = i == 1;
        large.push_back(jpclear::generate_round(spec));
        large_expected.push_back(outcome_text(large.back(), jpclear::clear(large.back(), options())));
        large_streamed.push_back(jpclear::clear_streamed(large.back(), options()));
    }
    threads.clear();
    for (unsigned t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            const jpclear::WriteOptions writing{.threads = 3};
            for (std::size_t i = 0; i < large.size(); ++i) {
                const std::size_t k = (i + t) % large.size();
                if (outcome_text(large[k], large_streamed[k], writing) != large_expected[k]) ++mismatches[t];
            }
        });
    }
    for (std::thread& th : threads) th.join();

    std::uint64_t total = 0;
    for (unsigned t = 0; t < thread_count; ++t) {
        if (mismatches[t]) std::fprintf(stderr, "thread %u: %llu results differ from the single-threaded run\n", t,
                                        static_cast<unsigned long long>(mismatches[t]));
        total += mismatches[t];
    }
    if (total) return 1;
    std::printf("%u threads cleared %llu rounds each; every result equals the single-threaded one\n", thread_count,
                static_cast<unsigned long long>(rounds));
    return 0;
}
