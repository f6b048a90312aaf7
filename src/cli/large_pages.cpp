// The command line's large allocations, in transparent huge pages.
//
// Why. On a large round the whole path is held back by the first touch of
// fresh memory more than by any computation: the round's text, the Round, the
// order book and the Result are each hundreds of megabytes at 10^6 orders, and
// every 4 KiB page of them costs a page fault when it is first written. On a
// virtual machine a fault costs several microseconds (measured here: a 10^6-
// order `clear` spent about half its wall time faulting). Linux backs memory
// with 2 MiB pages, one fault per 512 small ones, when the memory asks for it
// (madvise(MADV_HUGEPAGE); Debian's default THP mode is "madvise"). glibc can
// ask for all its memory (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) but only from
// the environment at start-up, so the command line replaces the global
// operator new and delete instead: blocks of `large_block` and more are mapped
// directly, 2 MiB aligned, and advised; everything smaller goes to malloc as
// before. A kernel without THP ignores the advice and nothing else changes.
//
// Only the `jpclear` executable does this: the library never replaces its
// caller's allocator. Under a sanitizer the replacement is left out (the
// sanitizer's own operator new must see every block), and the CMake option
// JPCLEAR_LARGE_PAGES=OFF leaves it out too. At run time the environment
// variable JPCLEAR_LARGE_PAGES=0 sends every block to malloc: the tests clear
// a large round both ways and compare the bytes.
//
// It also keeps the blocks' owners from waiting for their first touch where a
// command says they will be filled whole: see PrefaultLargeBlocks in
// large_pages.h, whose helper thread faults such blocks in ahead of them.
//
// A mapped block is told from a malloc'd one by a table of the blocks this file
// mapped, looked at only for pointers at the offset every mapped block has, so
// that freeing a small block costs one test.

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define JPCLEAR_NO_LARGE_PAGES 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define JPCLEAR_NO_LARGE_PAGES 1
#endif

#include "cli/large_pages.h"

#if defined(__linux__) && !defined(JPCLEAR_NO_LARGE_PAGES)

#include <sys/mman.h>

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>

namespace {

constexpr std::size_t huge_page = std::size_t{2} << 20;
// 1 MiB, not more: at 10^5 orders the order book's arrays are 1 to 2 MiB
// each, and with 4 KiB pages their faults made the whole run about 12%
// slower (143 against 126 ms median, 10 alternating runs), for 0.7 MB more
// at the peak (a block of just over 1 MiB takes a whole 2 MiB page).
constexpr std::size_t large_block = std::size_t{1} << 20;
// The user's pointer sits this far into its mapping, so that malloc's blocks
// (16 past a page boundary, or anywhere in its heap) rarely share the offset
// and the table is rarely consulted. It keeps the default new alignment.
constexpr std::size_t user_offset = 64;
static_assert(user_offset % __STDCPP_DEFAULT_NEW_ALIGNMENT__ == 0);
// What the prefault helper faults in at one go: small enough that a block's
// owner seldom waits for it when freeing, large enough to stay ahead.
constexpr std::size_t prefault_step = huge_page;

struct Mapping {
    void* user = nullptr;
    void* base = nullptr;
    std::size_t length = 0;
    std::uint64_t serial = 0;  // order of mapping: the newest block is faulted in first
    std::size_t faulted = 0;   // bytes from base the helper has faulted in
    bool to_fault = false;     // mapped while a PrefaultLargeBlocks lived, and not done
    bool faulting = false;     // the helper is in madvise() on it: it must not be unmapped yet
};

// Fixed-size and static, so that the table itself never allocates. The round
// path holds a few dozen large blocks at once; when the table is full a large
// block simply comes from malloc.
//
// It also hands blocks to the prefault helper (PrefaultLargeBlocks): the
// helper takes one step of the newest block still to fault, with the table's
// lock released while it faults. Freeing a block ends its faulting: no step
// starts on it after take(), and the step under way, if any, is waited for
// before the block is unmapped.
class MappedBlocks {
public:
    bool add(const Mapping& m) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (Mapping& slot : slots_)
            if (slot.user == nullptr) {
                slot = m;
                slot.serial = ++serial_;
                slot.to_fault = prefaulting_;
                if (prefaulting_) wake_.notify_all();
                return true;
            }
        return false;
    }
    // Forgets and returns the mapping of `user`, or one with a null base.
    Mapping take(void* user) {
        std::unique_lock<std::mutex> lock(mutex_);
        for (Mapping& slot : slots_)
            if (slot.user == user) {
                // No further steps on it; the one under way is waited for.
                // (The helper unlocks only around a step, so this runs while
                // one is under way or none is.)
                slot.to_fault = false;
                wake_.wait(lock, [&] { return !slot.faulting; });
                const Mapping found = slot;
                slot = Mapping{};
                return found;
            }
        return Mapping{};
    }

    // PrefaultLargeBlocks: false when a helper already runs.
    bool start_prefaulting() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (prefaulting_) return false;
        prefaulting_ = true;
        return true;
    }
    void stop_prefaulting() {
        std::lock_guard<std::mutex> lock(mutex_);
        prefaulting_ = false;
        for (Mapping& slot : slots_) slot.to_fault = false;
        wake_.notify_all();
    }

    // The helper's loop: until stop_prefaulting(), one step at a time of the
    // newest block with something left to fault.
    void prefault_until_stopped() {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            Mapping* next = nullptr;
            wake_.wait(lock, [&] {
                next = newest_to_fault();
                return !prefaulting_ || next != nullptr;
            });
            if (!prefaulting_) return;
            Mapping& slot = *next;
            const std::size_t from = slot.faulted;
            const std::size_t step = slot.length - from < prefault_step ? slot.length - from : prefault_step;
            char* const at = static_cast<char*>(slot.base) + from;
            slot.faulting = true;
            lock.unlock();
            const bool faulted = ::madvise(at, step, MADV_POPULATE_WRITE) == 0;
            lock.lock();
            slot.faulting = false;
            slot.faulted = from + step;
            if (!faulted || slot.faulted == slot.length) slot.to_fault = false;
            if (!faulted) prefaulting_ = false;  // a kernel without the advice: stop asking
            wake_.notify_all();
        }
    }

private:
    Mapping* newest_to_fault() {
        Mapping* newest = nullptr;
        for (Mapping& slot : slots_)
            if (slot.user != nullptr && slot.to_fault && (newest == nullptr || slot.serial > newest->serial))
                newest = &slot;
        return newest;
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::array<Mapping, 256> slots_{};
    std::uint64_t serial_ = 0;
    bool prefaulting_ = false;
};

MappedBlocks& mapped_blocks() {
    static MappedBlocks blocks;  // constant-initialised members: safe from any static constructor
    return blocks;
}

void* map_large(std::size_t size) {
    if (size > SIZE_MAX - user_offset - 2 * huge_page) return nullptr;
    const std::size_t length = (size + user_offset + huge_page - 1) / huge_page * huge_page;
    // Mapped one huge page longer, then trimmed to a 2 MiB boundary: THP backs
    // only aligned 2 MiB ranges.
    void* raw = mmap(nullptr, length + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t base = (start + huge_page - 1) / huge_page * huge_page;
    if (base > start) munmap(raw, base - start);
    if (const std::uintptr_t tail = start + length + huge_page - (base + length); tail > 0)
        munmap(reinterpret_cast<void*>(base + length), tail);
    void* const base_ptr = reinterpret_cast<void*>(base);
    madvise(base_ptr, length, MADV_HUGEPAGE);  // advice: ignored where THP is off
    void* const user = reinterpret_cast<void*>(base + user_offset);
    if (!mapped_blocks().add({user, base_ptr, length})) {
        munmap(base_ptr, length);
        return nullptr;
    }
    return user;
}

bool may_be_mapped(void* p) { return reinterpret_cast<std::uintptr_t>(p) % huge_page == user_offset; }

bool enabled() {
    // Read once; a function-local static's guard does not allocate.
    static const bool on = [] {
        const char* v = std::getenv("JPCLEAR_LARGE_PAGES");
        return v == nullptr || std::strcmp(v, "0") != 0;
    }();
    return on;
}

void* allocate(std::size_t size) {
    if (size >= large_block && enabled())
        if (void* p = map_large(size)) return p;
    for (;;) {
        if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    if (may_be_mapped(p)) {
        const Mapping m = mapped_blocks().take(p);
        if (m.base != nullptr) {
            munmap(m.base, m.length);
            return;
        }
    }
    std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

namespace jpclear::cli {

namespace {

std::thread& prefault_helper() {
    static std::thread helper;  // joined by the PrefaultLargeBlocks that started it
    return helper;
}

}  // namespace

PrefaultLargeBlocks::PrefaultLargeBlocks() {
#if defined(MADV_POPULATE_WRITE)
    if (!enabled() || !mapped_blocks().start_prefaulting()) return;
    try {
        prefault_helper() = std::thread([] { mapped_blocks().prefault_until_stopped(); });
        started_ = true;
    } catch (const std::exception&) {
        // No thread (std::system_error, or std::bad_alloc for its state): the
        // owners fault their blocks in themselves, as without a scope.
        mapped_blocks().stop_prefaulting();
    }
#endif
}

PrefaultLargeBlocks::~PrefaultLargeBlocks() {
    if (!started_) return;
    mapped_blocks().stop_prefaulting();
    prefault_helper().join();
}

}  // namespace jpclear::cli

#else

namespace jpclear::cli {

PrefaultLargeBlocks::PrefaultLargeBlocks() = default;
PrefaultLargeBlocks::~PrefaultLargeBlocks() = default;

}  // namespace jpclear::cli

#endif
