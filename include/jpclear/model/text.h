#pragma once
// Text: the string an order holds (its id, buyer, bloc, origin, currency),
// in 16 bytes.
//
// Why not std::string. A round holds millions of orders and each held five
// std::strings (32 bytes each, 40 as std::optional): 216 bytes a bid, most of
// it the room of strings like "b000123", "EU" or "JPY". Memory is what a
// round of 10^6 orders costs most (every fresh page is zeroed, and on a
// virtual machine each first touch costs more than the clearing does with
// it), so the order's strings are kept in 16 bytes: up to 15 bytes in place,
// longer ones on the heap.
//
// What it is. A value type: copies copy, moves leave the source empty. It
// converts implicitly to std::string_view and to std::string (a copy; code
// written when these fields were std::strings keeps compiling), is built from a std::string, a std::string_view or a C string,
// compares and orders as its bytes (like std::string), and is printed by
// operator<< (and fmt, jpclear/fmt.h). data() is always followed by a '\0',
// so c_str() works. Any bytes, '\0' included, may be held; at most
// max_size() of them (std::length_error beyond).
//
// How. In place, the 16th byte holds 15 - size, so that a 15-byte text ends
// in the '\0' it needs; the bytes after a shorter text are zero. On the heap
// the 16th byte is `on_heap` (never 0..15) and the first 12 hold the pointer
// and the size, copied in and out with memcpy (no type punning).

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jpclear {

class Text {
public:
    static constexpr std::size_t inline_capacity = 15;

    Text() noexcept { clear_bytes(); }
    Text(std::string_view s) { assign_fresh(s); }  // NOLINT: implicit, as std::string's
    Text(const std::string& s) : Text(std::string_view(s)) {}  // NOLINT
    Text(const char* s) : Text(std::string_view(s)) {}  // NOLINT
    Text(std::nullptr_t) = delete;

    Text(const Text& other) { assign_fresh(other.view()); }
    Text(Text&& other) noexcept {
        std::memcpy(bytes_, other.bytes_, sizeof bytes_);
        other.clear_bytes();
    }
    Text& operator=(const Text& other) {
        if (this != &other) assign(other.view());
        return *this;
    }
    Text& operator=(Text&& other) noexcept {
        if (this != &other) {
            release();
            std::memcpy(bytes_, other.bytes_, sizeof bytes_);
            other.clear_bytes();
        }
        return *this;
    }
    Text& operator=(std::string_view s) {
        assign(s);
        return *this;
    }
    Text& operator=(const std::string& s) { return *this = std::string_view(s); }
    Text& operator=(const char* s) { return *this = std::string_view(s); }
    ~Text() { release(); }

    /// Replaces the bytes; a view into this text itself is allowed.
    void assign(std::string_view s) {
        Text fresh(s);
        *this = std::move(fresh);
    }

    void clear() noexcept {
        release();
        clear_bytes();
    }

    Text& operator+=(std::string_view s) {
        std::string joined;
        joined.reserve(size() + s.size());
        joined.append(view()).append(s);
        assign(joined);
        return *this;
    }
    Text& operator+=(char c) { return *this += std::string_view(&c, 1); }

    static constexpr std::size_t max_size() noexcept { return std::numeric_limits<std::uint32_t>::max(); }

    std::size_t size() const noexcept {
        if (!on_heap()) return inline_capacity - bytes_[tag_at];
        std::uint32_t n;
        std::memcpy(&n, bytes_ + size_at, sizeof n);
        return n;
    }
    std::size_t length() const noexcept { return size(); }
    bool empty() const noexcept { return size() == 0; }
    const char* data() const noexcept {
        if (!on_heap()) return reinterpret_cast<const char*>(bytes_);
        return heap_pointer();
    }
    const char* c_str() const noexcept { return data(); }
    const char* begin() const noexcept { return data(); }
    const char* end() const noexcept { return data() + size(); }
    char operator[](std::size_t i) const noexcept { return data()[i]; }
    char front() const noexcept { return data()[0]; }
    char back() const noexcept { return data()[size() - 1]; }

    std::string_view view() const noexcept { return {data(), size()}; }
    static constexpr std::size_t npos = std::string_view::npos;
    std::size_t find(std::string_view s, std::size_t from = 0) const noexcept { return view().find(s, from); }
    std::size_t find(char c, std::size_t from = 0) const noexcept { return view().find(c, from); }
    bool starts_with(std::string_view s) const noexcept { return view().starts_with(s); }
    bool ends_with(std::string_view s) const noexcept { return view().ends_with(s); }
    std::string substr(std::size_t from, std::size_t count = npos) const { return std::string(view().substr(from, count)); }
    operator std::string_view() const noexcept { return view(); }  // NOLINT: implicit, as std::string's
    std::string str() const { return std::string(view()); }
    operator std::string() const { return str(); }  // NOLINT: implicit, so that code written for std::string fields still compiles

    friend bool operator==(const Text& a, const Text& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const Text& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const Text& a, const std::string& b) noexcept { return a.view() == b; }
    friend bool operator==(const Text& a, const char* b) noexcept { return a.view() == b; }
    friend std::strong_ordering operator<=>(const Text& a, const Text& b) noexcept { return a.view() <=> b.view(); }
    friend std::strong_ordering operator<=>(const Text& a, std::string_view b) noexcept { return a.view() <=> b; }
    friend std::strong_ordering operator<=>(const Text& a, const std::string& b) noexcept {
        return a.view() <=> std::string_view(b);
    }
    friend std::strong_ordering operator<=>(const Text& a, const char* b) noexcept {
        return a.view() <=> std::string_view(b);
    }

    friend std::string operator+(const std::string& a, const Text& b) {
        std::string out;
        out.reserve(a.size() + b.size());
        return out.append(a).append(b.view());
    }
    friend std::string operator+(std::string&& a, const Text& b) { return std::move(a.append(b.view())); }
    friend std::string operator+(const char* a, const Text& b) { return std::string(a) + b; }
    friend std::string operator+(const Text& a, const std::string& b) { return a.str().append(b); }
    friend std::string operator+(const Text& a, const char* b) { return a.str().append(b); }
    friend std::string operator+(const Text& a, char b) { return a.str() + b; }
    friend std::string operator+(char a, const Text& b) { return std::string(1, a) + b; }

    // A template only so that this header needs <iosfwd>, not <ostream> (as Decimal's).
    template <class Traits>
    friend std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& out, const Text& t) {
        return out << t.view();
    }

private:
    static constexpr std::size_t tag_at = 15;
    static constexpr std::size_t size_at = sizeof(char*);
    static constexpr unsigned char on_heap_tag = 0x80;

    bool on_heap() const noexcept { return bytes_[tag_at] == on_heap_tag; }
    char* heap_pointer() const noexcept {
        char* p;
        std::memcpy(&p, bytes_, sizeof p);
        return p;
    }
    void clear_bytes() noexcept {
        std::memset(bytes_, 0, sizeof bytes_);
        bytes_[tag_at] = static_cast<unsigned char>(inline_capacity);
    }
    void release() noexcept {
        if (on_heap()) delete[] heap_pointer();
    }
    // Fills the bytes of a Text that holds nothing to release.
    void assign_fresh(std::string_view s) {
        if (s.size() <= inline_capacity) {
            clear_bytes();
            if (!s.empty()) std::memcpy(bytes_, s.data(), s.size());
            bytes_[tag_at] = static_cast<unsigned char>(inline_capacity - s.size());
            return;
        }
        if (s.size() > max_size()) throw std::length_error("jpclear::Text: longer than 4 GiB");
        char* p = new char[s.size() + 1];
        std::memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
        const auto n = static_cast<std::uint32_t>(s.size());
        std::memset(bytes_, 0, sizeof bytes_);
        std::memcpy(bytes_, &p, sizeof p);
        std::memcpy(bytes_ + size_at, &n, sizeof n);
        bytes_[tag_at] = on_heap_tag;
    }

    alignas(8) unsigned char bytes_[16];
};
static_assert(sizeof(Text) == 16, "a Text is kept per order field: keep it 16 bytes");

}  // namespace jpclear

template <>
struct std::hash<jpclear::Text> {
    std::size_t operator()(const jpclear::Text& t) const noexcept { return std::hash<std::string_view>{}(t.view()); }
};
