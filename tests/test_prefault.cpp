// The readers' prefault helper (src/io/prefault.h): it faults a list in ahead
// of its reader, as far as `lead` beyond what has been written and no further.
//
// What it does is only seen in the pages a list has in memory, so the test
// on a real mapping asks the kernel (mincore) which pages are resident.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "io/prefault.h"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace jpclear::io_detail {
namespace {

TEST(Prefault, FaultsToPageBoundariesWithinTheList) {
    constexpr std::uintptr_t page = 4096;
    for (std::uintptr_t start : {std::uintptr_t{0x10000}, std::uintptr_t{0x10040}, std::uintptr_t{0x10FFF}}) {
        const std::uintptr_t end = start + (std::uintptr_t{100} << 20) + 123;
        for (std::size_t written : {std::size_t{0}, std::size_t{1}, std::size_t{3} << 20, std::size_t{99} << 20}) {
            const std::uintptr_t until = Prefault::fault_until(start, written, end, page);
            EXPECT_EQ(until % page, 0u) << start << " " << written;  // madvise() takes nothing else
            EXPECT_LE(until, end);
            EXPECT_LE(until, start + written + Prefault::lead);
            EXPECT_GT(until + page, std::min(end, start + written + Prefault::lead));
        }
    }
}

#if defined(__linux__) && defined(MADV_POPULATE_WRITE)

// Resident pages of [data, data + bytes).
std::size_t resident_bytes(void* data, std::size_t bytes) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> in_core((bytes + page - 1) / page);
    if (::mincore(data, bytes, in_core.data()) != 0) return 0;
    std::size_t resident = 0;
    for (unsigned char c : in_core) resident += (c & 1) * page;
    return resident;
}

TEST(Prefault, KeepsItsLeadAheadOfTheWriterAndNoFurther) {
    constexpr std::size_t bytes = std::size_t{64} << 20;
    void* const data = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(data, MAP_FAILED);
    // Headers newer than the kernel (before Linux 5.14, or a sandbox that
    // filters madvise): the helper would quit at once, as it should.
    if (::madvise(data, static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)), MADV_POPULATE_WRITE) != 0) {
        ::munmap(data, bytes);
        GTEST_SKIP() << "this kernel does not take MADV_POPULATE_WRITE";
    }
    ::madvise(data, bytes, MADV_DONTNEED);  // the probe's page out again
    // Small pages, so that what is resident is what was faulted in.
    ::madvise(data, bytes, MADV_NOHUGEPAGE);
    // Resident bytes once the helper has had time (up to 10 s) to reach `least`.
    const auto resident_after = [&](std::size_t least) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (resident_bytes(data, bytes) < least && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return resident_bytes(data, bytes);
    };
    std::size_t written = 0;
    {
        // 64 bytes in, as the command line's allocator places a large block.
        Prefault helper(static_cast<char*>(data) + 64, bytes - 64);
        // Twice: the helper goes on from where it stopped.
        for (std::size_t mib : {16, 32}) {
            written = mib << 20;
            helper.written_one(written / 64, 64);
            const std::size_t resident = resident_after(written + Prefault::lead - Prefault::step);
            EXPECT_GE(resident, written + Prefault::lead - Prefault::step) << "written " << mib << " MiB";
            EXPECT_LE(resident, written + Prefault::lead) << "written " << mib << " MiB";
        }
    }
    // Stopped with the list: nothing more after it is destroyed.
    EXPECT_LE(resident_bytes(data, bytes), written + Prefault::lead);
    ::munmap(data, bytes);
}

#endif

}  // namespace
}  // namespace jpclear::io_detail
