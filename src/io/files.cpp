// Reading whole files within the reader's size limit.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "jpclear/io.h"

namespace jpclear {

namespace {

std::optional<std::string> read_all(std::FILE* file, const std::string& name, const ReadLimits& limits,
                                    Problems& problems) {
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        std::size_t n = std::fread(buffer, 1, sizeof buffer, file);
        if (n == 0) break;
        if (text.size() + n > limits.max_bytes) {
            problems.push_back({name, "is larger than the reader's limit of " + std::to_string(limits.max_bytes) +
                                          " bytes"});
            return std::nullopt;
        }
        text.append(buffer, n);
    }
    if (std::ferror(file)) {
        problems.push_back({name, std::string("could not be read: ") + std::strerror(errno)});
        return std::nullopt;
    }
    return text;
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path, const ReadLimits& limits, Problems& problems) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) {
        problems.push_back({path, std::string("cannot be opened: ") + std::strerror(errno)});
        return std::nullopt;
    }
    return read_all(file.get(), path, limits, problems);
}

std::optional<std::string> read_standard_input(const ReadLimits& limits, Problems& problems, const std::string& name) {
    return read_all(stdin, name, limits, problems);
}

}  // namespace jpclear
