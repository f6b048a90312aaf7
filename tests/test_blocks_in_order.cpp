// make_blocks_in_order (src/io/blocks_in_order.h) and the result writer's
// threads (WriteOptions::threads): whatever the number of threads, the text
// handed on is the text one thread makes, in order; no more than the ring's
// blocks are held at once; a failure on any thread reaches the caller, and
// nothing is left running.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/blocks_in_order.h"
#include "jpclear/clear.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"

namespace jpclear {
namespace {

// Item i's text: its number and a length that varies, so that blocks differ.
void append_item(std::string& text, std::size_t i) {
    text += std::to_string(i);
    text.append(i % 7, 'x');
    text += ',';
}

std::string made_by_one(std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) append_item(text, i);
    return text;
}

TEST(BlocksInOrder, AnyThreadsGiveOneThreadsText) {
    io_detail::BlockBuffers buffers;  // kept from call to call, as the writer keeps them
    for (std::size_t count : {0, 1, 5, 64, 1000, 4099})
        for (std::size_t block : {1, 3, 64, 5000})
            for (unsigned threads : {1u, 2u, 3u, 8u}) {
                SCOPED_TRACE(std::to_string(count) + " items, blocks of " + std::to_string(block) + ", " +
                             std::to_string(threads) + " threads");
                std::string out;
                std::size_t emitted = 0;
                io_detail::make_blocks_in_order(
                    count, block, threads, buffers,
                    [](std::string& text, std::size_t first, std::size_t last) {
                        for (std::size_t i = first; i < last; ++i) append_item(text, i);
                    },
                    [&](std::string_view text) {
                        out += text;
                        ++emitted;
                    });
                EXPECT_EQ(out, made_by_one(count));
                EXPECT_EQ(emitted, (count + block - 1) / block);
            }
}

// Blocks made and not yet handed on never exceed the ring (three a thread),
// even when handing on is slow and the makers are quick.
TEST(BlocksInOrder, HoldsAtMostTheRing) {
    for (unsigned threads : {2u, 4u}) {
        std::atomic<long> held{0};
        std::atomic<long> most{0};
        std::string out;
        io_detail::BlockBuffers buffers;
        io_detail::make_blocks_in_order(
            2000, 2, threads, buffers,
            [&](std::string& text, std::size_t first, std::size_t last) {
                for (std::size_t i = first; i < last; ++i) append_item(text, i);
                const long now = ++held;
                long seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
            },
            [&](std::string_view text) {
                --held;
                for (int spin = 0; spin < 2000; ++spin) out.push_back(text[0]);  // a slow sink
                out.resize(out.size() - 2000);
                out += text;
            });
        EXPECT_EQ(out, made_by_one(2000));
        EXPECT_LE(most.load(), static_cast<long>(threads) * 3);
    }
}

// A block that cannot be made fails the call with its own exception, on
// whichever thread made it; the blocks before it were handed on whole.
TEST(BlocksInOrder, AFailingBlockReachesTheCaller) {
    for (unsigned threads : {1u, 2u, 4u})
        for (std::size_t bad : {0, 1, 7, 49}) {
            SCOPED_TRACE(std::to_string(threads) + " threads, block " + std::to_string(bad) + " fails");
            std::size_t emitted = 0;
            io_detail::BlockBuffers buffers;
            EXPECT_THROW(io_detail::make_blocks_in_order(
                             500, 10, threads, buffers,
                             [&](std::string& text, std::size_t first, std::size_t) {
                                 if (first / 10 == bad) throw std::length_error("block " + std::to_string(bad));
                                 text += 'x';
                             },
                             [&](std::string_view) { ++emitted; }),
                         std::length_error);
            EXPECT_EQ(emitted, bad);
        }
}

// A sink that fails stops the makers: the call returns with its exception
// (a helper left running would be caught by ThreadSanitizer and by the join).
TEST(BlocksInOrder, AFailingSinkStopsTheMakers) {
    for (unsigned threads : {2u, 4u}) {
        std::atomic<std::size_t> made{0};
        io_detail::BlockBuffers buffers;
        EXPECT_THROW(io_detail::make_blocks_in_order(
                         100000, 1, threads, buffers,
                         [&](std::string& text, std::size_t, std::size_t) {
                             ++made;
                             text += 'x';
                         },
                         [](std::string_view) { throw std::runtime_error("disk full"); }),
                     std::runtime_error);
        EXPECT_LE(made.load(), std::size_t{threads} * 3 + threads);
    }
}

// The result writer: the same bytes from 1, 2, 3 and "as many as the machine
// has" threads, for the Result and the StreamedResult, on rounds with enough
// lines (many blocks of 1,024) that the threads take part.
TEST(WriteThreads, SameBytesWhateverTheThreads) {
    for (std::uint64_t seed : {1, 2, 3}) {
        GenerateSpec spec{.bids = 30'000 + 1'000 * seed, .offers = 20'000, .seed = seed};
        spec.block_per_mille = seed == 2 ? 100 : 0;
        spec.places = seed == 3;
        Round round = generate_round(spec);
        if (seed == 1) round.rules.pricing = PricingRule::pay_as_bid;
        Options options;
        options.node_limit = 5'000;
        const ClearOutcome held = clear(round, options);
        const StreamedOutcome streamed = clear_streamed(round, options);
        ASSERT_TRUE(held.ok());
        ASSERT_TRUE(streamed.ok());
        ASSERT_GT(held.result->awards.size() + held.result->bids.size(), 2u * 8192);
        const std::string one = result_json(round, *held.result);
        for (unsigned threads : {1u, 2u, 3u, 0u}) {
            SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(threads) + " threads");
            const WriteOptions writing{.threads = threads};
            EXPECT_EQ(result_json(round, *held.result, writing), one);
            EXPECT_EQ(result_json(round, *streamed.result, writing), one);
            std::ostringstream written;
            write_result_json(written, round, *streamed.result, writing);
            EXPECT_TRUE(written.str() == one);
            std::ostringstream written_held;
            write_result_json(written_held, *held.result, writing);
            EXPECT_TRUE(written_held.str() == result_json(*held.result));
        }
    }
}

}  // namespace
}  // namespace jpclear
