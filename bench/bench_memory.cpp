// Heap accounting for BM_CoreMemory, BM_ClearMemory and BM_JsonMemory: this
// binary replaces the global operator new and delete with ones that forward
// to malloc and free and, while tracking is on, add up the bytes held.
//
// Why replace them rather than trust vector capacities alone: capacity says
// what the workspace keeps, but not what a call holds at its peak (temporary
// vectors, the result) nor what the allocator rounds each block up to. The
// usable size (malloc_usable_size) is what glibc really set aside; it is
// read on both allocation and release, so the two always match.
//
// Off, the cost is one predictable branch per allocation; the timed clearing
// loops allocate only their result's two vectors per call. Benchmarks run on
// one thread, and tracking is only switched on around single calls made on
// that thread, so plain variables do.

#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "bench_support.h"

namespace {

bool tracking = false;
std::int64_t live = 0;  // bytes allocated minus bytes freed since tracking began
std::int64_t peak = 0;  // the most `live` has been

void* allocate(std::size_t size) {
    // malloc(0) may return nullptr, which new must not.
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    if (tracking) {
        live += static_cast<std::int64_t>(malloc_usable_size(p));
        if (live > peak) peak = live;
    }
    return p;
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    // Freeing memory allocated before tracking began lowers `live` below zero;
    // the peak then still counts only what the tracked code held at once.
    if (tracking) live -= static_cast<std::int64_t>(malloc_usable_size(p));
    std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }

namespace jpclear::bench {

void heap_tracking_begin() {
    live = 0;
    peak = 0;
    tracking = true;
}

HeapUse heap_tracking_end() {
    tracking = false;
    return {peak, live};
}

std::int64_t heap_bytes(const std::string& s) {
    // Within the object itself means the small-string buffer: no heap.
    const auto self = reinterpret_cast<std::uintptr_t>(&s);
    const auto text = reinterpret_cast<std::uintptr_t>(s.data());
    if (text >= self && text < self + sizeof s) return 0;
    return static_cast<std::int64_t>(malloc_usable_size(const_cast<char*>(s.data())));
}

bool heap_tracking_works() {
    heap_tracking_begin();
    {
        std::vector<char> probe(4096);
        benchmark::DoNotOptimize(probe.data());
    }
    return heap_tracking_end().peak >= 4096;
}

}  // namespace jpclear::bench
