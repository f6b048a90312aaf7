// Text made in blocks by several threads and handed on in order.
//
// Why. Writing a result of 10^6 orders is a quarter of `jpclear clear`, and
// nearly all of it is making the order lines' text: the kernel's copy into the
// file is a few percent. The lines do not depend on one another, so blocks of
// them can be made at once and written in their order: the bytes are the same
// whatever the number of threads.
//
// How. Items [0, count) are cut into blocks of `block_items`. Whoever is free
// takes the next block not yet taken (the caller too), and makes it into one
// of its `depth` buffers; the caller hands the blocks on in order as they are
// done, and nobody takes a block beyond `threads * depth` of the next one to
// hand on, so at most that many blocks of text are held, whatever the count. Blocks are
// taken as threads come free rather than dealt out in turn: the caller also
// hands every block on (the kernel's copy into a file), and a fixed share
// would leave the others waiting for it.
//
// Failure. An exception in a helper is thrown again by the caller when it
// reaches that helper's block; an exception in the caller (a sink that throws)
// stops the helpers before it leaves. When a helper cannot be started, the
// caller makes its blocks itself: the bytes are the same, only later.

#ifndef JPCLEAR_SRC_IO_BLOCKS_IN_ORDER_H
#define JPCLEAR_SRC_IO_BLOCKS_IN_ORDER_H

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

namespace jpclear::io_detail {

/// The buffers blocks are made in, kept from one call to the next: a block's
/// text is hundreds of kilobytes, and fresh memory for each would cost more
/// page faults than the threads save (measured: two threads were slower than
/// one at 10^5 orders until the buffers were kept).
struct BlockBuffers {
    std::vector<std::string> texts;
};

/// `make(text, first, last)` appends items [first, last) to `text`;
/// `emit(text)` hands a block on. `make` runs on several threads at once and
/// must only read shared state; `emit` runs on the calling thread only.
template <class Make, class Emit>
void make_blocks_in_order(std::size_t count, std::size_t block_items, unsigned threads, BlockBuffers& buffers,
                          Make&& make, Emit&& emit) {
    const std::size_t blocks = block_items == 0 ? 0 : (count + block_items - 1) / block_items;
    const auto range = [&](std::size_t k, std::string& text) {
        const std::size_t first = k * block_items;
        make(text, first, std::min(count, first + block_items));
    };
    threads = static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(blocks, 1)));
    constexpr std::size_t depth = 3;
    const std::size_t window = static_cast<std::size_t>(threads) * depth;
    if (buffers.texts.size() < window) buffers.texts.resize(window);
    if (threads == 1) {
        std::string& text = buffers.texts.front();
        for (std::size_t k = 0; k < blocks; ++k) {
            text.clear();
            range(k, text);
            emit(std::string_view(text));
        }
        return;
    }

    struct Slot {
        std::size_t buffer = 0;  // index into buffers.texts
        bool ready = false;
        std::exception_ptr failure;
    };
    std::mutex mutex;
    std::condition_variable changed;
    bool abandoned = false;
    std::size_t next_to_take = 0;  // blocks below it are taken (made or being made)
    std::size_t next_to_emit = 0;  // blocks below it are handed on
    std::vector<Slot> ring(window);
    // Each thread makes its blocks in buffers of its own (thread t owns
    // [t * depth, (t + 1) * depth)): a buffer written by one thread and then
    // by another moves its lines from cache to cache, and measured here that
    // cost more than the second thread saved.
    std::vector<std::vector<std::size_t>> free_buffers(threads);
    for (unsigned t = 0; t < threads; ++t)
        for (std::size_t i = 0; i < depth; ++i) free_buffers[t].push_back(t * depth + i);
    // Only under the lock: the next block for thread t, when one is left, it
    // fits the ring and t has a buffer free.
    const auto take = [&](unsigned t) -> std::optional<std::size_t> {
        if (next_to_take == blocks || next_to_take == next_to_emit + window || free_buffers[t].empty())
            return std::nullopt;
        ring[next_to_take % window].buffer = free_buffers[t].back();
        free_buffers[t].pop_back();
        return next_to_take++;
    };
    // Makes block k into its slot's buffer; any exception is kept for the caller.
    const auto make_into_slot = [&](std::size_t k) {
        Slot& slot = ring[k % window];
        std::string& text = buffers.texts[slot.buffer];
        text.clear();
        std::exception_ptr failure;
        try {
            range(k, text);
        } catch (...) {
            failure = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(mutex);
        slot.failure = failure;
        slot.ready = true;
        changed.notify_all();
    };

    const auto help = [&](unsigned t) {
        for (;;) {
            std::optional<std::size_t> k;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return abandoned || next_to_take == blocks || (k = take(t)); });
                if (!k) return;
            }
            make_into_slot(*k);
        }
    };

    // Stops and joins the helpers on every way out, the caller's exceptions too.
    std::vector<std::thread> helpers;
    struct Joiner {
        std::mutex& mutex;
        std::condition_variable& changed;
        bool& abandoned;
        std::vector<std::thread>& helpers;
        ~Joiner() {
            {
                std::lock_guard<std::mutex> lock(mutex);
                abandoned = true;
            }
            changed.notify_all();
            for (std::thread& h : helpers) h.join();
        }
    } joiner{mutex, changed, abandoned, helpers};
    helpers.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) {
        try {
            helpers.emplace_back(help, t);
        } catch (const std::system_error&) {
            break;  // fewer helpers: the caller takes more blocks itself
        }
    }

    while (next_to_emit < blocks) {
        Slot& slot = ring[next_to_emit % window];
        std::optional<std::size_t> k;
        {
            std::unique_lock<std::mutex> lock(mutex);
            changed.wait(lock, [&] { return slot.ready || (k = take(0)); });
        }
        if (k) {
            make_into_slot(*k);
            continue;
        }
        if (slot.failure) std::rethrow_exception(slot.failure);
        emit(std::string_view(buffers.texts[slot.buffer]));
        {
            std::lock_guard<std::mutex> lock(mutex);
            free_buffers[slot.buffer / depth].push_back(slot.buffer);
            slot.ready = false;
            ++next_to_emit;
        }
        changed.notify_all();
    }
}

}  // namespace jpclear::io_detail

#endif
