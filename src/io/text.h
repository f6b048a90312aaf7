#pragma once
// Text helpers the readers and the writer share (internal to src/io).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "jpclear/model/validate.h"

namespace jpclear::io_detail {

/// Length of the well-formed UTF-8 sequence `s` starts with (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF), or 0 if none.
/// ASCII is a sequence of one.
inline std::size_t utf8_length(std::string_view s) {
    const auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    const unsigned lead = byte(0);
    if (s.empty()) return 0;
    if (lead < 0x80) return 1;
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) n = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) n = 3;
    else if (lead >= 0xF0 && lead <= 0xF4) n = 4;
    else return 0;
    if (lead == 0xE0) lo = 0xA0;  // overlong
    if (lead == 0xED) hi = 0x9F;  // surrogates
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
    if (byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i)
        if ((byte(i) & 0xC0) != 0x80) return 0;
    return n;
}

/// Position of the first byte of `s` that starts no well-formed UTF-8
/// sequence, if there is one.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_length(s.substr(i));
        if (n == 0) return i;
        i += n;
    }
    return std::nullopt;
}

/// `value` with what a message must not carry raw written out: bytes that
/// are not UTF-8 as `\xNN` (a terminal would garble them, and they would
/// make the report itself invalid text), control characters as `\u00NN`,
/// and with `quote` also `"` and `\` escaped. Stops after `max_bytes` of the
/// value (never inside a UTF-8 sequence), so a runaway value does not flood
/// the report; `cut` says whether it did.
inline std::string escaped(std::string_view value, bool quote, std::size_t max_bytes, bool* cut = nullptr) {
    constexpr const char* hex = "0123456789abcdef";
    constexpr const char* upper_hex = "0123456789ABCDEF";
    std::string out;
    std::size_t i = 0;
    while (i < value.size()) {
        const auto byte = static_cast<unsigned char>(value[i]);
        const std::size_t n = utf8_length(value.substr(i));
        if (i + (n == 0 ? 1 : n) > max_bytes) break;
        if (n == 0) {
            out += "\\x";
            out += upper_hex[byte >> 4];
            out += upper_hex[byte & 0xF];
            ++i;
            continue;
        }
        if (n == 1) {
            if (byte < 0x20 || byte == 0x7F) {
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
                ++i;
                continue;
            }
            if (quote && (byte == '"' || byte == '\\')) out += '\\';
        }
        out.append(value.substr(i, n));
        i += n;
    }
    if (cut) *cut = i < value.size();
    return out;
}

/// A value as shown in a message, quoted or not, cut short so that a runaway
/// value (a quote never closed, megabytes of digits) does not flood the
/// report, and escaped as escaped() says.
inline std::string shown(std::string_view value, bool quote = true) {
    constexpr std::size_t max_shown = 60;
    bool cut = false;
    std::string body = escaped(value, quote, max_shown, &cut);
    return (quote ? "\"" + body + "\"" : body) + (cut ? "..." : "");
}

/// A name (a file, an order id, a column) as it reads best in a path or a
/// suggestion: as it is when it holds only letters, digits and `-_.:/#+@`,
/// otherwise quoted and escaped like shown().
inline std::string plain_or_shown(std::string_view name) {
    bool plain = !name.empty() && name.size() <= 60;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        std::string_view("-_.:/#+@").find(c) != std::string_view::npos;
        plain = plain && ok;
    }
    return plain ? std::string(name) : shown(name);
}

}  // namespace jpclear::io_detail
