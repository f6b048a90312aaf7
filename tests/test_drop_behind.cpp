// The order scanner letting a mapped file's pages go behind it
// (src/io/drop_behind.h, ReadHelp::drop_read_pages_every): on a real
// read-only private mapping of a file, what it reads is the careful reader's
// round, the mapping's resident pages fall behind it, and a reader that
// reads the text again after the scanner gave up (the simdjson tier) still
// finds every byte.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "io/json_fast_reader.h"
#include "jpclear/generate.h"
#include "jpclear/io.h"
#include "round_equal.h"

#if defined(__linux__)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace jpclear {
namespace {

#if defined(__linux__)

std::string round_text(const Round& round) {
    std::ostringstream out;
    write_round_json(out, round);
    return out.str();
}

// `text` written to a file and mapped as the command line maps a round.
class MappedText {
public:
    explicit MappedText(const std::string& text) {
        path_ = (std::filesystem::temp_directory_path() / ("jpclear-drop-" + std::to_string(::getpid()))).string();
        std::ofstream(path_, std::ios::binary) << text;
        const int fd = ::open(path_.c_str(), O_RDONLY);
        size_ = text.size();
        data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        ::close(fd);
    }
    ~MappedText() {
        if (data_ != MAP_FAILED) ::munmap(data_, size_);
        std::remove(path_.c_str());
    }
    bool ok() const { return data_ != MAP_FAILED; }
    std::string_view text() const { return {static_cast<const char*>(data_), size_}; }

    // The mapping's resident bytes, as /proc/self/smaps counts them.
    std::size_t resident() const {
        std::ifstream smaps("/proc/self/smaps");
        const auto start = reinterpret_cast<std::uintptr_t>(data_);
        std::string line;
        bool mine = false;
        while (std::getline(smaps, line)) {
            std::uintptr_t from = 0, to = 0;
            if (std::sscanf(line.c_str(), "%lx-%lx", &from, &to) == 2 && line.find(' ') != std::string::npos &&
                line.find('-') < line.find(' '))
                mine = from == start;
            else if (mine && line.rfind("Rss:", 0) == 0)
                return std::stoul(line.substr(4)) * 1024;
        }
        return 0;
    }

private:
    std::string path_;
    std::size_t size_ = 0;
    void* data_ = MAP_FAILED;
};

io_detail::ReadHelp dropping() {
    io_detail::ReadHelp help;
    help.drop_read_pages_every = 64 * 1024;
    return help;
}

TEST(DropBehind, ReadsTheRoundAndLetsThePagesGo) {
    const std::string text = round_text(generate_round({.bids = 9000, .offers = 1000, .seed = 21}));
    ASSERT_GT(text.size(), std::size_t{1} << 20);
    MappedText mapped(text);
    ASSERT_TRUE(mapped.ok());
    const std::size_t before = mapped.resident();
    const std::optional<Round> scanned = io_detail::read_round_scanned(mapped.text(), {}, {}, dropping());
    ASSERT_TRUE(scanned.has_value());
    const RoundRead careful = io_detail::read_round_careful(text, {}, {});
    ASSERT_TRUE(careful.round.has_value());
    EXPECT_EQ(testing::round_difference(*scanned, *careful.round), "");
    // MAP_POPULATE mapped it all; the scanner leaves at most its last step
    // (and the pages the header's read touched again).
    const std::size_t after = mapped.resident();
    EXPECT_GE(before, text.size() / 2) << "smaps shows no resident pages: nothing to compare";
    EXPECT_LT(after, text.size() / 4) << before << " bytes before, " << after << " after";
}

TEST(DropBehind, ATextReadAgainAfterTheScannerGaveUpIsWhole) {
    Round round = generate_round({.bids = 9000, .offers = 1000, .seed = 22});
    round.offers.back().supplier = "Swan \"Chemicals\"";  // an escape, near the end: the scanner gives up there
    const std::string text = round_text(round);
    MappedText mapped(text);
    ASSERT_TRUE(mapped.ok());
    EXPECT_FALSE(io_detail::read_round_scanned(mapped.text(), {}, {}, dropping()).has_value());
    // The scanner dropped what it read; the simdjson tier reads it from the file again.
    const std::optional<Round> fast = io_detail::read_round_fast(mapped.text(), mapped.text().size(), {}, {}, dropping());
    ASSERT_TRUE(fast.has_value());
    EXPECT_EQ(testing::round_difference(*fast, round), "");
    EXPECT_EQ(mapped.text(), text);
}

#endif

}  // namespace
}  // namespace jpclear
