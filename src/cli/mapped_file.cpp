// A round file mapped into memory (see mapped_file.h).

#include "cli/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "io/json_fast_reader.h"

namespace jpclear::cli {

namespace {

struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

std::optional<MappedFile> MappedFile::map(const std::string& path, const ReadLimits& limits, Problems& problems) {
    Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) {
        problems.push_back({path, std::string("cannot be opened: ") + std::strerror(errno)});
        return std::nullopt;
    }
    struct stat info {};
    if (::fstat(file.fd, &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
    const auto size = static_cast<std::uint64_t>(info.st_size);
    // A file over the limit is left to read_text_file(), which refuses it
    // before reading a byte and says so in its own words.
    if (size > limits.max_bytes || size < least_bytes || size > SIZE_MAX / 2) return std::nullopt;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t file_pages = (static_cast<std::size_t>(size) + page - 1) / page * page;
    // Room for the file and one page more, reserved first so that the page
    // after the file's last one is readable (zero), whatever the file's size.
    const std::size_t length = file_pages + page;
    void* room = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (room == MAP_FAILED) return std::nullopt;
    void* text = ::mmap(room, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE,
                        file.fd, 0);
    if (text == MAP_FAILED) {
        ::munmap(room, length);
        return std::nullopt;
    }
    ::madvise(text, static_cast<std::size_t>(size), MADV_SEQUENTIAL);
    static_assert(io_detail::json_padding > 0);
    // The file's last page is zero after its end, and one whole page follows.
    return MappedFile(static_cast<const char*>(text), static_cast<std::size_t>(size), length, length);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      readable_(std::exchange(other.readable_, 0)),
      length_(std::exchange(other.length_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        base_ = std::exchange(other.base_, nullptr);
        size_ = std::exchange(other.size_, 0);
        readable_ = std::exchange(other.readable_, 0);
        length_ = std::exchange(other.length_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() noexcept {
    if (base_ != nullptr) ::munmap(const_cast<char*>(base_), length_);
    base_ = nullptr;
}

}  // namespace jpclear::cli
