// The order scanner: the order lists of a clean round, read in one pass
// without an index of the text.
//
// Why. simdjson (json_fast_reader.cpp) indexes the whole text before it reads
// any of it: four bytes per structural character, about 116 MB for a
// 10^6-order round, written once and read once. On a virtual machine fresh
// memory costs more than parsing it (its first touch was the largest single
// cost of the read), and the index was a quarter of the command's peak. The
// order lists are nearly all of a large round and have one shape: a list of
// flat objects whose fields are strings, numbers and booleans. This file
// reads them itself, straight into the round's lists, and hands the rest of
// the document (a few hundred bytes: format, material, rules, logistics...)
// to the simdjson reader as a document of its own.
//
// Like the simdjson reader it only ever says "this is the round" or "not
// sure", and it is unsure of more: an escape or a control character in an
// order's string, a key it does not expect, a value of the wrong type, CSV
// lists. Then the simdjson reader reads the whole text, and the careful one
// after it if need be, so no message depends on this file. It follows the
// careful reader's rules through json_tokens.h, and fuzz_fast_reader holds it
// to that reader.
//
// A list is reserved before its length is known, at an upper bound: the
// number of '{' left in the text (each order opens one), capped by the
// orders the text could hold at all and by limits.max_orders. What is
// reserved beyond the orders is never touched, so it costs address space,
// not memory; the prefault helper (prefault.h) keeps to what has been written.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/json_fast_reader.h"
#include "io/json_tokens.h"
#include "io/drop_behind.h"
#include "io/prefault.h"

namespace jpclear::io_detail {
namespace {

// The shortest order the careful reader takes without a problem of syntax,
// {"id":"","buyer":"","bloc":"","lots":0,"limit":0}, and the comma after it:
// no text holds more orders than its length over this.
constexpr std::size_t least_order_bytes = 50;

// How many bytes of [from, to) are `c`, eight at a time: std::count widens
// every byte to a 64-bit count, and this is run over most of the text.
std::size_t count_byte(const char* from, const char* to, char c) {
    constexpr std::uint64_t ones = 0x0101010101010101, low7 = 0x7F7F7F7F7F7F7F7F;
    constexpr std::uint64_t lanes16 = 0x00FF00FF00FF00FF;
    const std::uint64_t pattern = ones * static_cast<unsigned char>(c);
    std::size_t count = 0;
    while (to - from >= 8) {
        // Per byte, how many of up to 255 words had `c` there.
        std::uint64_t per_byte = 0;
        for (int i = 0; i < 255 && to - from >= 8; ++i, from += 8) {
            std::uint64_t word;
            std::memcpy(&word, from, 8);
            word ^= pattern;  // the bytes that were `c` are now zero
            per_byte += (~(((word & low7) + low7) | word | low7)) >> 7;  // 1 in each byte that is zero
        }
        const std::uint64_t pairs = (per_byte & lanes16) + ((per_byte >> 8) & lanes16);  // four 16-bit sums
        count += static_cast<std::size_t>((pairs * 0x0001000100010001) >> 48);
    }
    for (; from < to; ++from) count += *from == c;
    return count;
}

class Scanner {
public:
    Scanner(std::string_view text, const ReadLimits& limits, const ReadHelp& help)
        : at_(text.data()),
          end_(text.data() + text.size()),
          limits_(limits),
          prefault_(help.prefault),
          behind_(text.data(), help.drop_read_pages_every) {}

    // The whole document: its order lists into `bids` and `offers`, and the
    // rest, in its order, into `header` as a document of its own.
    bool document(std::string& header, std::vector<Bid>& bids, std::vector<Offer>& offers) {
        if (!take('{')) return false;
        header += '{';
        bool seen_bids = false, seen_offers = false, first = true;
        blanks();
        if (at_ < end_ && *at_ == '}') return ++at_, header += '}', end();
        for (;;) {
            blanks();
            const char* const key_from = at_;
            std::string_view key;
            if (!plain_string(key) || !take(':')) return false;
            if (!first) header += ',';
            first = false;
            header.append(key_from, static_cast<std::size_t>(at_ - key_from));
            if (key == "bids" || key == "offers") {
                bool& seen = key == "bids" ? seen_bids : seen_offers;
                if (seen) return false;  // repeated: the careful reader's to say
                seen = true;
                if (!(key == "bids" ? list(bids, &Scanner::bid) : list(offers, &Scanner::offer))) return false;
                header += "[]";
            } else {
                blanks();
                const char* const value_from = at_;
                if (!skip_value()) return false;
                header.append(value_from, static_cast<std::size_t>(at_ - value_from));
            }
            const Next next = after_value('}');
            if (next == Next::broken) return false;
            if (next == Next::closed) return header += '}', end();
        }
    }

private:
    // Only blanks may follow the document.
    bool end() {
        blanks();
        return at_ == end_;
    }

    // What follows a value in an object or a list: a comma and more, or the
    // `close` that ends it (taken), or anything else.
    enum class Next { more, closed, broken };
    Next after_value(char close) {
        blanks();
        if (at_ == end_) return Next::broken;
        const char c = *at_++;
        return c == ',' ? Next::more : c == close ? Next::closed : Next::broken;
    }

    void blanks() {
        while (at_ < end_ && is_blank(*at_)) ++at_;
    }

    bool take(char c) {
        blanks();
        if (at_ == end_ || *at_ != c) return false;
        ++at_;
        return true;
    }

    // A string without escapes and control characters, in UTF-8: its bytes
    // between the quotes, where they lie.
    bool plain_string(std::string_view& out) {
        blanks();
        if (at_ == end_ || *at_ != '"') return false;
        const char* const from = ++at_;
        unsigned char high = 0;
        for (;;) {
            if (at_ == end_) return false;
            const auto c = static_cast<unsigned char>(*at_);
            if (c == '"') break;
            if (c == '\\' || c < 0x20) return false;
            high |= c;
            ++at_;
        }
        out = std::string_view(from, static_cast<std::size_t>(at_ - from));
        ++at_;
        return high < 0x80 || is_utf8(out);
    }

    // A number's token: the longest run of the characters a number may hold
    // (number_token() then checks its form).
    std::string_view number() {
        const char* const from = at_;
        while (at_ < end_ && (is_digit(*at_) || *at_ == '-' || *at_ == '+' || *at_ == '.' || *at_ == 'e' ||
                              *at_ == 'E'))
            ++at_;
        return std::string_view(from, static_cast<std::size_t>(at_ - from));
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - at_) < word.size() || std::memcmp(at_, word.data(), word.size()) != 0)
            return false;
        at_ += word.size();
        return true;
    }

    // Any JSON value, skipped without being checked (the simdjson reader
    // checks the header it goes into); false where the text ends first.
    bool skip_value() {
        if (at_ == end_) return false;
        if (*at_ == '"') return skip_string();
        if (*at_ == '{' || *at_ == '[') {
            std::size_t depth = 0;
            while (at_ < end_) {
                const char c = *at_;
                if (c == '"') {
                    if (!skip_string()) return false;
                    continue;
                }
                ++at_;
                if (c == '{' || c == '[') ++depth;
                else if ((c == '}' || c == ']') && --depth == 0) return true;
            }
            return false;
        }
        const char* const from = at_;
        while (at_ < end_ && !is_blank(*at_) && *at_ != ',' && *at_ != '}' && *at_ != ']') ++at_;
        return at_ > from;
    }

    bool skip_string() {
        ++at_;  // the opening quote
        while (at_ < end_) {
            const char c = *at_++;
            if (c == '"') return true;
            if (c == '\\') {
                if (at_ == end_) return false;
                ++at_;
            }
        }
        return false;
    }

    // An upper bound on the orders of a list that starts here (see the top).
    std::size_t most_orders() const {
        const auto left = static_cast<std::size_t>(end_ - at_);
        const std::size_t opened = count_byte(at_, end_, '{');
        const std::uint64_t room = limits_.max_orders - orders_;
        return static_cast<std::size_t>(std::min<std::uint64_t>({opened, left / least_order_bytes + 1, room}));
    }

    template <class T>
    bool list(std::vector<T>& out, bool (Scanner::*element)(T&)) {
        if (!take('[')) return false;
        const std::size_t most = most_orders();
        out.reserve(most);
        Prefault ahead(out.data(), prefault_ ? most * sizeof(T) : 0);
        blanks();
        if (at_ < end_ && *at_ == ']') return ++at_, true;
        for (;;) {
            if (out.size() == most) return false;  // over limits.max_orders
            if (!(this->*element)(out.emplace_back())) return false;
            ahead.written_one(out.size(), sizeof(T));
            behind_.read_up_to(at_);
            const Next next = after_value(']');
            if (next == Next::broken) return false;
            if (next == Next::closed) return orders_ += out.size(), true;
        }
    }

    // The fields of one order, each at most once and each one of `names`, by
    // `on_field(index)` with the cursor at its value; a null optional field
    // is left out, as the careful reader takes it.
    template <std::size_t N, class OnField>
    bool fields(const std::array<std::string_view, N>& names, OnField&& on_field) {
        if (limits_.max_depth < 3 || !take('{')) return false;  // an order is at nesting level 3
        std::uint32_t seen = 0;
        std::size_t next = 0;  // the field that usually comes next: tried first
        blanks();
        if (at_ < end_ && *at_ == '}') return false;  // no id: the careful reader's to say
        for (;;) {
            std::string_view key;
            if (!plain_string(key) || !take(':')) return false;
            std::size_t i = next;
            if (next >= N || key != names[next])
                for (i = 0; i < N && key != names[i];) ++i;
            if (i == N || (seen & bit(i))) return false;
            seen |= bit(i);
            next = i + 1;
            blanks();
            if (at_ < end_ && *at_ == 'n') {
                if ((order_required & bit(i)) || !literal("null")) return false;
            } else if (!on_field(i)) {
                return false;
            }
            const Next after = after_value('}');
            if (after == Next::broken) return false;
            if (after == Next::closed) return (seen & order_required) == order_required;
        }
    }

    bool text(Text& out) {
        std::string_view s;
        if (!plain_string(s)) return false;
        out.assign(s);
        return true;
    }
    bool text(std::optional<Text>& out) { return text(out.emplace()); }

    bool whole(std::int64_t& out) { return whole_from_number(number(), out); }

    bool decimal(Decimal& out) {
        if (at_ < end_ && *at_ == '"') {
            std::string_view s;
            return plain_string(s) && decimal_from_string(s, out);
        }
        const std::string_view token = number();
        return !token.empty() && decimal_from_number(token, out);
    }

    bool boolean(bool& out) {
        if (literal("true")) return out = true, true;
        if (literal("false")) return out = false, true;
        return false;
    }

    bool bid(Bid& b) {
        return fields(bid_fields, [&](std::size_t i) {
            switch (i) {
                case 0: return text(b.id);
                case 1: return text(b.buyer);
                case 2: return text(b.bloc);
                case 3: return whole(b.lots);
                case 4: return whole(b.min_lots);
                case 5: return decimal(b.limit);
                case 6: return text(b.currency);
                default: return text(b.delivery);
            }
        });
    }

    bool offer(Offer& o) {
        return fields(offer_fields, [&](std::size_t i) {
            switch (i) {
                case 0: return text(o.id);
                case 1: return text(o.supplier);
                case 2: return text(o.origin);
                case 3: return whole(o.lots);
                case 4: return whole(o.min_lots);
                case 5: return decimal(o.ask);
                case 6: return text(o.currency);
                case 7: return boolean(o.certified);
                default: return text(o.port);
            }
        });
    }

    const char* at_;
    const char* const end_;
    const ReadLimits& limits_;
    const bool prefault_;
    DropBehind behind_;
    std::uint64_t orders_ = 0;  // bids and offers read so far
};

}  // namespace

std::optional<Round> read_round_scanned(std::string_view text, const ReadLimits& limits, const OrderSources& sources,
                                        const ReadHelp& help) {
    if (text.size() > limits.max_bytes) return std::nullopt;
    if (sources.bids_from_csv || sources.offers_from_csv || sources.routes_from_csv) return std::nullopt;
    std::string header;
    std::vector<Bid> bids;
    std::vector<Offer> offers;
    try {
        if (!Scanner(text, limits, help).document(header, bids, offers)) return std::nullopt;
    } catch (const std::bad_alloc&) {
        return std::nullopt;  // a list's reservation: the simdjson reader knows its length
    } catch (const std::length_error&) {
        return std::nullopt;
    }
    // The header holds every field but the orders, with "bids": [] and
    // "offers": [] where the lists were: whatever the careful reader would
    // say of those fields, the simdjson reader gives up on here.
    std::optional<Round> round = read_round_simdjson(header, header.size(), limits, sources);
    if (!round) return std::nullopt;
    round->bids = std::move(bids);
    round->offers = std::move(offers);
    return round;
}

}  // namespace jpclear::io_detail
