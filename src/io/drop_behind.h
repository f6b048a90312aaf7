#pragma once
// Letting a mapped file's pages go behind the order scanner (internal to
// src/io).
//
// Why. The command line maps the round file (src/cli/mapped_file.h) and the
// scanner turns it into the Round's order lists: held whole together, the
// mapped text and the lists were the process's peak (at 10^6 orders, 129 MB
// of text beside 141 MB of orders). What the scanner has read it never reads
// again, so every `step` bytes it lets the whole pages behind it go
// (madvise(MADV_DONTNEED)): they leave the process's resident set, and stay in
// the page cache. Few and large steps, because each call also flushes the
// other core's view of the mapping, which slowed reading when it was done
// every few thousand orders.
//
// Only for a read-only private mapping of a file, which the caller must
// promise (ReadHelp::drop_read_pages): there a page let go is read from the
// file again if it is touched again (as when the scanner gives up and the
// simdjson reader reads the text from the start). On any other memory the
// advice would lose the bytes. Does nothing where madvise is missing.

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <cstddef>
#include <cstdint>

namespace jpclear::io_detail {

class DropBehind {
public:
    /// `step` 0: nothing is dropped.
    DropBehind(const char* text, std::size_t step) : done_(page_floor(text)), step_(step) {}

    /// The reader is at `at` and will not read before it again.
    void read_up_to(const char* at) {
        if (step_ == 0 || static_cast<std::size_t>(at - done_) < step_) return;
        const char* until = page_floor(at);
#if defined(__linux__)
        // A failure leaves the pages where they were: only memory is at stake.
        (void)::madvise(const_cast<char*>(done_), static_cast<std::size_t>(until - done_), MADV_DONTNEED);
#endif
        done_ = until;
    }

private:
    static const char* page_floor(const char* p) {
#if defined(__linux__)
        static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
#else
        constexpr std::uintptr_t page = 4096;
#endif
        const auto at = reinterpret_cast<std::uintptr_t>(p);
        return p - (at % page);
    }

    const char* done_;  // pages before this are let go
    std::size_t step_;
};

}  // namespace jpclear::io_detail
