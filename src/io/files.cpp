// Reading whole files within the reader's size limit.

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "jpclear/io.h"
#include "io/json_fast_reader.h"

namespace jpclear {

namespace {

// Reads to the end of `file`, `size_hint` bytes expected (a regular file's
// size; 0 when unknown), into a string sized once from the hint, with
// io_detail::json_padding bytes of room after the text so the fast JSON
// reader parses it where it is. The end is still read to: a file may have
// grown, and a pipe has no size.
std::optional<std::string> read_all(std::FILE* file, const std::string& name, const ReadLimits& limits,
                                    std::uint64_t size_hint, Problems& problems) {
    const auto too_large = [&] {
        problems.push_back({name, "is larger than the reader's limit of " + std::to_string(limits.max_bytes) +
                                      " bytes"});
        return std::nullopt;
    };
    if (size_hint > limits.max_bytes) return too_large();
    // One byte more than expected, so that the read which finds the end fits.
    const std::uint64_t cap = limits.max_bytes < UINT64_MAX ? limits.max_bytes + 1 : UINT64_MAX;
    std::string text;
    text.reserve(static_cast<std::size_t>(std::max<std::uint64_t>(size_hint + 1, 1 << 16)) + io_detail::json_padding);
    text.resize(text.capacity() - io_detail::json_padding);
    std::size_t used = 0;
    for (;;) {
        if (used == text.size()) text.resize(static_cast<std::size_t>(std::min<std::uint64_t>(2 * text.size(), cap)));
        const std::size_t n = std::fread(text.data() + used, 1, text.size() - used, file);
        if (n == 0) break;
        used += n;
        if (used > limits.max_bytes) return too_large();
    }
    if (std::ferror(file)) {
        problems.push_back({name, std::string("could not be read: ") + std::strerror(errno)});
        return std::nullopt;
    }
    text.resize(used);
    text.reserve(used + io_detail::json_padding);
    return text;
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path, const ReadLimits& limits, Problems& problems) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) {
        problems.push_back({path, std::string("cannot be opened: ") + std::strerror(errno)});
        return std::nullopt;
    }
    struct stat info {};
    const bool sized = ::fstat(::fileno(file.get()), &info) == 0 && S_ISREG(info.st_mode);
    return read_all(file.get(), path, limits, sized ? static_cast<std::uint64_t>(info.st_size) : 0, problems);
}

std::optional<std::string> read_standard_input(const ReadLimits& limits, Problems& problems, const std::string& name) {
    return read_all(stdin, name, limits, 0, problems);
}

}  // namespace jpclear
