#include "cli/output_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

namespace jpclear::cli {

namespace {

bool write_in_place(const std::string& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream file(path, std::ios::binary);
    write(file);
    file.close();
    if (!file) std::cerr << "jpclear: " << path << ": could not be written\n";
    return static_cast<bool>(file);
}

mode_t new_file_mode() {
    // Read by setting it: nothing else in the process makes files meanwhile.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return static_cast<mode_t>(0666 & ~mask);
}

}  // namespace

bool write_whole_file(const std::string& path, const std::function<void(std::ostream&)>& write) {
    struct stat old {};
    const bool exists = ::lstat(path.c_str(), &old) == 0;
    if (exists && (!S_ISREG(old.st_mode) || old.st_nlink > 1)) return write_in_place(path, write);

    const std::filesystem::path target(path);
    std::string name = ".";  // appended, not concatenated: GCC 12 misreads that (bug 105329)
    name.append(target.filename().string()).append(".jpclear-XXXXXX");
    const std::string pattern = (target.parent_path() / name).string();
    std::vector<char> temp(pattern.begin(), pattern.end());
    temp.push_back('\0');
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return write_in_place(path, write);  // no new file may be made there
    (void)::fchmod(fd, exists ? static_cast<mode_t>(old.st_mode & 07777) : new_file_mode());
    ::close(fd);

    const auto failed = [&](const std::string& why) {
        ::unlink(temp.data());
        std::cerr << "jpclear: " << path << ": could not be written" << why
                  << (exists ? "; the file already there is left as it was" : "") << "\n";
        return false;
    };
    bool written = false;
    int cause = 0;
    try {
        // Opened as it is ("r+"), not truncated: mkstemp made it empty, and on
        // ext4 a truncation, even of an empty file, makes close() start
        // writing the file back (measured: 48 ms for a 10^6-order result).
        std::ofstream file(temp.data(), std::ios::binary | std::ios::in | std::ios::out);
        errno = 0;
        write(file);
        file.close();
        written = static_cast<bool>(file);
        cause = errno;  // the failed write's, as a rule: a hint, said only when set
    } catch (...) {
        ::unlink(temp.data());
        throw;
    }
    if (!written) return failed(cause != 0 ? std::string(" (") + std::strerror(cause) + ")" : std::string());
    if (::rename(temp.data(), path.c_str()) != 0) return failed(std::string(" (") + std::strerror(errno) + ")");
    return true;
}

}  // namespace jpclear::cli
