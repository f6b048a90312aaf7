#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string_view>

namespace jpclear::cli {

namespace {

bool write_in_place(const std::string& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream file(path, std::ios::binary);
    write(file);
    file.close();
    if (!file) std::cerr << "jpclear: " << path << ": could not be written\n";
    return static_cast<bool>(file);
}

// Stopped by a signal while writing, the process removes its temporary file
// before the signal ends it as it would have: a user pressing Ctrl-C, a
// scheduler's SIGTERM or a closed terminal leaves no dot-file behind. Only
// what a signal handler may do is done there (unlink, sigaction, raise).
// SIGKILL and a power loss still leave one.
constexpr std::array<int, 3> interrupting_signals{SIGINT, SIGTERM, SIGHUP};
char pending_path[4096];
// An atomic, not a volatile sig_atomic_t: the signal may be handled on any of
// the process's threads (the prefault helper, the result writers), and a
// lock-free atomic is both safe in a handler and ordered across threads.
std::atomic<bool> path_pending{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void remove_pending_and_reraise(int signal_number) {
    if (path_pending.load()) ::unlink(pending_path);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    ::sigaction(signal_number, &default_action, nullptr);
    ::raise(signal_number);  // delivered when the handler returns, with the default action
}

// The temporary file, made so that a signal at any moment finds either no
// file or one whose name the handler holds. The handler is in place before
// the file is made, and the name is chosen and handed to it before open()
// makes the file: mkstemp() names its file only once it exists, which left
// a window where a signal ended the process and the file stayed (a test
// that freezes the process as soon as the file appears hit it). A signal
// before open() finds no file, and unlink() of a missing name does nothing.
//
// The signals' earlier actions come back when it ends. A signal the process
// was started ignoring (nohup, a background job) stays ignored.
class TemporaryFile {
public:
    explicit TemporaryFile(const std::string& prefix) {
        if (prefix.size() + suffix_length >= sizeof pending_path) return;  // no name to hand over: no file
        struct sigaction ours {};
        ours.sa_handler = remove_pending_and_reraise;
        sigemptyset(&ours.sa_mask);
        for (std::size_t i = 0; i < interrupting_signals.size(); ++i) {
            struct sigaction before {};
            if (::sigaction(interrupting_signals[i], nullptr, &before) != 0 || before.sa_handler == SIG_IGN) continue;
            if (::sigaction(interrupting_signals[i], &ours, &earlier_[i]) == 0) installed_[i] = true;
        }
        std::random_device entropy;
        constexpr std::string_view letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
            std::string name = prefix;
            for (std::size_t i = 0; i < suffix_length; ++i) name.push_back(letters[entropy() % letters.size()]);
            path_pending.store(false);
            std::memcpy(pending_path, name.c_str(), name.size() + 1);
            path_pending.store(true);
            fd_ = ::open(pending_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd_ >= 0) {
                path_ = std::move(name);
            } else {
                path_pending.store(false);
                if (errno != EEXIST) break;
            }
        }
    }
    ~TemporaryFile() {
        if (fd_ >= 0) ::close(fd_);
        for (std::size_t i = 0; i < interrupting_signals.size(); ++i)
            if (installed_[i]) ::sigaction(interrupting_signals[i], &earlier_[i], nullptr);
        path_pending.store(false);
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    /// Whether the new, empty file was made (its name is path()).
    bool made() const { return !path_.empty(); }
    const std::string& path() const { return path_; }
    /// Gives the new file its permission bits and closes the descriptor:
    /// the writer opens the file again by its name.
    void set_mode_and_close(mode_t mode) {
        if (fd_ < 0) return;
        (void)::fchmod(fd_, mode);
        ::close(fd_);
        fd_ = -1;
    }

private:
    static constexpr std::size_t suffix_length = 6;
    int fd_ = -1;
    std::string path_;
    std::array<struct sigaction, interrupting_signals.size()> earlier_{};
    std::array<bool, interrupting_signals.size()> installed_{};
};

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
    name.append(target.filename().string()).append(".jpclear-");
    TemporaryFile temporary((target.parent_path() / name).string());
    if (!temporary.made()) return write_in_place(path, write);  // no new file may be made there
    temporary.set_mode_and_close(exists ? static_cast<mode_t>(old.st_mode & 07777) : new_file_mode());
    const char* const temp = temporary.path().c_str();

    const auto failed = [&](const std::string& why) {
        ::unlink(temp);
        std::cerr << "jpclear: " << path << ": could not be written" << why
                  << (exists ? "; the file already there is left as it was" : "") << "\n";
        return false;
    };
    bool written = false;
    int cause = 0;
    try {
        // Opened as it is ("r+"), not truncated: open() made it empty, and on
        // ext4 a truncation, even of an empty file, makes close() start
        // writing the file back (measured: 48 ms for a 10^6-order result).
        std::ofstream file(temp, std::ios::binary | std::ios::in | std::ios::out);
        errno = 0;
        write(file);
        file.close();
        written = static_cast<bool>(file);
        cause = errno;  // the failed write's, as a rule: a hint, said only when set
    } catch (...) {
        ::unlink(temp);
        throw;
    }
    if (!written) return failed(cause != 0 ? std::string(" (") + std::strerror(cause) + ")" : std::string());
    if (::rename(temp, path.c_str()) != 0) return failed(std::string(" (") + std::strerror(errno) + ")");
    return true;
}

}  // namespace jpclear::cli
