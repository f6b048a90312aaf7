#pragma once
// A round file mapped into memory rather than copied (internal to the
// command line; the library's read_round_file() copies).
//
// Why. On a large round the first write to fresh memory is one of the path's
// largest costs (docs/performance.md, "The whole path"): a copy of a 129 MB
// file is 129 MB of new pages, while a mapping of it is the page cache the
// file already sits in. The fast reader parses the mapping in place: the
// mapping is followed by at least io_detail::json_padding readable bytes (the rest of
// the file's last page, zero, then one anonymous page).
//
// The caveat, and why the library does not do this: if another process
// shortens the file while it is mapped, reading the lost pages ends the
// process with SIGBUS. A command reading its input once accepts that, as
// ripgrep and others do; a service that links the library should not, so
// only the `jpclear` executable uses this.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "jpclear/io.h"

namespace jpclear::cli {

class MappedFile {
public:
    /// Files smaller than this are read, not mapped: for them a copy is
    /// cheaper than setting up a mapping.
    static constexpr std::size_t least_bytes = std::size_t{1} << 20;

    /// The mapping of `path` when it is a regular file of at least
    /// least_bytes within limits.max_bytes. nullopt otherwise: with a problem
    /// in `problems` when the file cannot be opened, with none when it is for
    /// read_text_file() (small, over the limit, which that refuses with its
    /// message, not a regular file, or a mapping the system refused).
    static std::optional<MappedFile> map(const std::string& path, const ReadLimits& limits, Problems& problems);

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::string_view text() const { return {base_, size_}; }
    /// Bytes from text().data() that may be read: at least size + io_detail::json_padding.
    std::size_t readable() const { return readable_; }

private:
    MappedFile(const char* base, std::size_t size, std::size_t readable, std::size_t length)
        : base_(base), size_(size), readable_(readable), length_(length) {}
    void release() noexcept;

    const char* base_ = nullptr;
    std::size_t size_ = 0;
    std::size_t readable_ = 0;
    std::size_t length_ = 0;  ///< of the whole mapping
};

}  // namespace jpclear::cli
