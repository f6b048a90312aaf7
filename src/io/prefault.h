#pragma once
// Faulting in a list's memory on a second thread while a reader fills it
// (internal to src/io).
//
// Why. On a virtual machine the first write to a fresh page is the largest
// single cost of reading a large round: the page has to be zeroed, and often
// backed by the host first. Faulting a list's storage in ahead of the reader
// moves that cost to the second core (at 10^6 orders on cold memory: the
// read phase from about 1.0 s to 0.6 s). MADV_POPULATE_WRITE (Linux 5.14)
// only maps pages; where the system lacks it, the advice fails and nothing
// changes.
//
// The helper keeps at most `lead` bytes ahead of what the reader says it has
// written (written_one()), because the order scanner reserves a list beyond its
// length (json_order_scanner.cpp): memory the list never uses stays
// untouched, and the peak holds only what the reader would take anyway.
//
// Only readers asked to by their caller start one (the command line asks;
// the library's own readers never start a thread).

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <thread>

namespace jpclear::io_detail {

class Prefault {
public:
    static constexpr std::size_t least_bytes = std::size_t{8} << 20;  // smaller lists fault in on their own
    static constexpr std::size_t lead = std::size_t{8} << 20;
    static constexpr std::size_t step = std::size_t{2} << 20;

    /// Starts the helper for the `bytes` at `data` (none for fewer than
    /// least_bytes, or where no thread can be started).
    Prefault(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
        if (bytes < least_bytes) return;
        const auto start = reinterpret_cast<std::uintptr_t>(data);
        try {
            helper_ = std::thread([this, start, bytes] { run(start, start + bytes); });
        } catch (const std::exception&) {
            // No thread (std::system_error, or std::bad_alloc for its state):
            // the reader faults its pages in itself, as it would anyway.
        }
#else
        (void)data;
        (void)bytes;
#endif
    }
    Prefault(const Prefault&) = delete;
    Prefault& operator=(const Prefault&) = delete;
    ~Prefault() {
        if (!helper_.joinable()) return;
        written_.store(done, std::memory_order_relaxed);
        written_.notify_one();
        helper_.join();
    }

    /// The reader has written `count` elements of `size` bytes: told to the
    /// helper every couple of megabytes.
    void written_one(std::size_t count, std::size_t size) {
        if (!helper_.joinable() || count % std::max<std::size_t>(1, step / size) != 0) return;
        written_.store(count * size, std::memory_order_relaxed);
        written_.notify_one();
    }

    /// How far the helper faults in once `written` bytes from `start` are
    /// written: `lead` beyond them, never beyond `end`, on a page boundary
    /// (madvise() refuses any other start, and the helper starts each step
    /// where the last one ended).
    static std::uintptr_t fault_until(std::uintptr_t start, std::size_t written, std::uintptr_t end,
                                      std::uintptr_t page) {
        const std::uintptr_t ahead = (start + written + lead) / page * page;
        return std::min(ahead, end / page * page);
    }

private:
    static constexpr std::size_t done = ~std::size_t{0};

#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    void run(std::uintptr_t start, std::uintptr_t end) {
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        std::uintptr_t at = (start + page - 1) / page * page;  // the pages the list has wholly to itself
        for (;;) {
            const std::size_t written = written_.load(std::memory_order_relaxed);
            if (written == done) return;
            const std::uintptr_t until = fault_until(start, written, end, page);
            while (at < until) {
                const std::uintptr_t length = std::min<std::uintptr_t>(step, until - at);
                if (::madvise(reinterpret_cast<void*>(at), length, MADV_POPULATE_WRITE) != 0) return;
                at += length;
            }
            if (at >= end / page * page) return;  // the last page it shares is left to the reader
            written_.wait(written, std::memory_order_relaxed);
        }
    }
#endif

    std::atomic<std::size_t> written_{0};
    std::thread helper_;
};

}  // namespace jpclear::io_detail
