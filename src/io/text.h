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

/// A value as shown in a message, quoted or not, cut short so that a runaway
/// value (a quote never closed, megabytes of digits) does not flood the report.
inline std::string shown(std::string_view value, bool quote = true) {
    constexpr std::size_t max_shown = 60;
    std::size_t cut = value.size();
    if (cut > max_shown) {
        cut = max_shown;
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    }
    const std::string_view part = value.substr(0, cut);
    return (quote ? detail::quoted(part) : std::string(part)) + (cut < value.size() ? "..." : "");
}

}  // namespace jpclear::io_detail
