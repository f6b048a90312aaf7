// Writing results and rounds as JSON, byte for byte the same for the same input.
//
// Hand-written rather than through nlohmann's DOM: the key order is the
// spec's, decimals are written as exact strings, nothing depends on locale or
// hash order, and a million orders stream out without building a tree.
// Layout: one top-level key per line, one order, award, bloc, origin, place or
// route per line.

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "jpclear/io.h"
#include "io/blocks_in_order.h"
#include "io/text.h"

namespace jpclear {
namespace {

// Builds JSON text in `out`. With a sink, the text is handed to the sink in
// chunks between list elements, so a document of 10^7 orders never sits in
// memory whole: at that size the buffer would be the largest thing the
// command line holds (see docs/performance.md, peak memory).
class Writer {
public:
    explicit Writer(std::string& out, std::ostream* sink = nullptr) : out_(out), sink_(sink) {
        if (sink_) out_.reserve(chunk_bytes + 64 * 1024);
    }

    /// Between list elements: a chunk never ends inside a value.
    void flush_if_full() {
        if (sink_ && out_.size() >= chunk_bytes) flush();
    }
    /// At the end of the document.
    void flush() {
        if (!sink_) return;
        sink_->write(out_.data(), static_cast<std::streamsize>(out_.size()));
        out_.clear();
    }

    Writer& raw(std::string_view s) {
        out_.append(s);
        return *this;
    }
    /// Text made elsewhere (a block of list elements): handed to the sink
    /// as it is, after what is buffered, rather than copied into the buffer.
    void block(std::string_view s) {
        if (!sink_) {
            out_.append(s);
            return;
        }
        flush();
        sink_->write(s.data(), static_cast<std::streamsize>(s.size()));
    }
    Writer& str(std::string_view s) {
        out_.push_back('"');
        for (std::size_t i = 0, n = 1; i < s.size(); i += n) {
            // Plain ASCII is copied a run at a time: ids and reasons are
            // nearly all of it, and a byte at a time was most of the writing.
            const std::size_t run = i + plain_run(s.substr(i));
            if (run > i) {
                out_.append(s.substr(i, run - i));
                n = run - i;
                continue;
            }
            const char c = s[i];
            const auto u = static_cast<unsigned char>(c);
            n = 1;
            if (c == '"' || c == '\\') {
                out_.push_back('\\');
                out_.push_back(c);
            } else if (u < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out_.append("\\u00");
                out_.push_back(hex[u >> 4]);
                out_.push_back(hex[u & 0xF]);
            } else if (u < 0x80) {
                out_.push_back(c);
            } else if ((n = io_detail::utf8_length(s.substr(i))) > 0) {
                out_.append(s.substr(i, n));
            } else {
                // JSON text is UTF-8, and a string may hold any bytes (ids
                // from a CSV file are not checked): a byte that starts no
                // well-formed sequence is written as U+FFFD, so that the
                // document stays valid JSON for every reader.
                out_.append("\\ufffd");
                n = 1;
            }
        }
        out_.push_back('"');
        return *this;
    }
    Writer& num(std::int64_t v) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
        return *this;
    }
    // A decimal's text is digits, '-' and '.': nothing to escape.
    Writer& dec(const Decimal& d, int min_digits) {
        out_.push_back('"');
        d.append_to(out_, min_digits);
        out_.push_back('"');
        return *this;
    }
    Writer& key(std::string_view k) { return str(k).raw(": "); }
    /// A field name of the formats (a literal in this file: ASCII letters and
    /// '_'), appended with its quotes at once: a million orders each write
    /// half a dozen, and scanning them for escapes was a tenth of writing.
    template <std::size_t N>
    Writer& key(const char (&name)[N]) {
        out_.push_back('"');
        out_.append(name, N - 1);
        out_.append("\": ", 3);
        return *this;
    }

private:
    // How many bytes at the start of `s` are plain_ascii(), eight at a time:
    // a word is plain when no byte is >= 0x80, < 0x20, '"' or '\\' (the
    // classic has-zero / has-less tests, exact about whether any byte hits).
    static std::size_t plain_run(std::string_view s) {
        constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
        const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
        std::size_t i = 0;
        for (; i + 8 <= s.size(); i += 8) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            const std::uint64_t below_space = (w - ones * 0x20) & ~w & highs;
            if ((w & highs) | below_space | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'))) break;
        }
        while (i < s.size() && plain_ascii(s[i])) ++i;
        return i;
    }
    static bool plain_ascii(char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
    }

    static constexpr std::size_t chunk_bytes = 1 << 20;
    std::string& out_;
    std::ostream* sink_;
};

// `words`: a buffer for the reason's text, kept across orders.
void write_order(Writer& w, std::string_view id, const OrderResult& o, const Result& r, std::string& words) {
    w.raw("{").key("id").str(id).raw(", ").key("filled_lots").num(o.filled.count).raw(", ");
    w.key("status").str(to_string(o.status));
    if (o.price) w.raw(", ").key("price").dec(*o.price, r.price_digits);
    if (!o.reason.empty()) {
        words.clear();
        append_reason_text(words, r, o.reason);
        w.raw(", ").key("reason").str(words);
    }
    w.raw("}");
}

template <class Items, class Fn>
void write_list(Writer& w, const Items& items, Fn&& each) {
    if (items.empty()) {
        w.raw("[]");
        return;
    }
    w.raw("[\n");
    bool first = true;
    for (const auto& item : items) {
        w.raw(first ? "    " : ",\n    ");
        first = false;
        each(item);
        w.flush_if_full();
    }
    w.raw("\n  ]");
}

// As write_list, for `count` items made by `each(i)`.
template <class Fn>
void write_indexed(Writer& w, std::size_t count, Fn&& each) {
    if (count == 0) {
        w.raw("[]");
        return;
    }
    w.raw("[\n");
    for (std::size_t i = 0; i < count; ++i) {
        w.raw(i == 0 ? "    " : ",\n    ");
        each(i);
        w.flush_if_full();
    }
    w.raw("\n  ]");
}

// As write_indexed, `each(w, i, words)` making item i into a Writer of its
// own thread (with `words`, that thread's buffer for reason texts): with more
// than one thread, blocks of items are made at once and written in order
// (blocks_in_order.h), the same bytes as one thread writes.
template <class Fn>
void write_indexed_at_once(Writer& w, std::size_t count, unsigned threads, io_detail::BlockBuffers& buffers,
                           Fn&& each) {
    // About 180 KB of text a block of order lines: large enough that handing
    // blocks between threads costs little, small enough that a thread's
    // blocks stay in its cache (measured with BM_WriteThreads: blocks of 256
    // to 4,096 lines give about the same, 1,024 a little the best).
    constexpr std::size_t block_items = 1024;
    if (threads <= 1 || count < 2 * block_items) {
        std::string words;
        write_indexed(w, count, [&](std::size_t i) { each(w, i, words); });
        return;
    }
    w.raw("[\n");
    io_detail::make_blocks_in_order(
        count, block_items, threads, buffers,
        [&](std::string& text, std::size_t first, std::size_t last) {
            Writer bw(text);
            std::string words;
            for (std::size_t i = first; i < last; ++i) {
                bw.raw(i == 0 ? "    " : ",\n    ");
                each(bw, i, words);
            }
        },
        [&](std::string_view text) { w.block(text); });
    w.raw("\n  ]");
}

template <class Map, class Fn>
void write_map(Writer& w, const Map& map, Fn&& each) {
    if (map.empty()) {
        w.raw("{}");
        return;
    }
    w.raw("{\n");
    bool first = true;
    for (const auto& [k, v] : map) {
        w.raw(first ? "    " : ",\n    ");
        first = false;
        w.key(k);
        each(v);
    }
    w.raw("\n  }");
}

// An order's id: the Result's own, or (for Results built without ids) the
// round's, when the caller has the round.
const Text& order_id(const std::vector<OrderResult>& orders, std::size_t i, const Round* round, bool bid) {
    const OrderResult& o = orders[i];
    if (!o.id.empty() || !round) return o.id;
    return bid ? round->bids[o.order.value].id : round->offers[o.order.value].id;
}

// Where write_result() takes the order lines and the ids from: the lists a
// Result holds, or a StreamedResult that makes each line when it is written.
struct HeldLines {
    const Result& r;
    const Round* round;
    std::size_t bid_count() const { return r.bids.size(); }
    std::size_t offer_count() const { return r.offers.size(); }
    const OrderResult& bid(std::size_t i) const { return r.bids[i]; }
    const OrderResult& offer(std::size_t i) const { return r.offers[i]; }
    const Text& bid_id(std::size_t i) const { return order_id(r.bids, i, round, true); }
    const Text& offer_id(std::size_t i) const { return order_id(r.offers, i, round, false); }
};
struct MadeLines {
    const StreamedResult& s;
    const Round& round;
    std::size_t bid_count() const { return s.bid_count(); }
    std::size_t offer_count() const { return s.offer_count(); }
    OrderResult bid(std::size_t i) const { return s.bid(i); }
    OrderResult offer(std::size_t i) const { return s.offer(i); }
    const Text& bid_id(std::size_t i) const { return round.bids[i].id; }
    const Text& offer_id(std::size_t i) const { return round.offers[i].id; }
};

void write_price_or_null(Writer& w, const std::optional<Decimal>& price, int digits) {
    if (price) w.dec(*price, digits);
    else w.raw("null");
}

void write_places(Writer& w, const Result& r, int d) {
    w.raw(",\n  ").key("places");
    write_map(w, r.places, [&](const PlaceResult& p) {
        w.raw("{").key("price");
        write_price_or_null(w, p.price, d);
        w.raw(", ").key("price_interval");
        if (p.price_low && p.price_high) w.raw("[").dec(*p.price_low, d).raw(", ").dec(*p.price_high, d).raw("]");
        else w.raw("null");
        w.raw(", ").key("bought_lots").num(p.bought.count).raw(", ").key("sold_lots").num(p.sold.count).raw("}");
    });
    w.raw(",\n  ").key("routes");
    write_list(w, r.routes, [&](const RouteResult& route) {
        w.raw("{").key("from").str(route.from).raw(", ").key("to").str(route.to).raw(", ");
        w.key("lots").num(route.lots.count).raw(", ").key("freight").dec(route.freight, d).raw(", ");
        w.key("rent").dec(route.rent, d);
        if (route.capacity) w.raw(", ").key("capacity_lots").num(route.capacity->count);
        w.raw("}");
    });
}

template <class Lines>
void write_result(Writer& w, const Result& r, const Lines& lines, unsigned threads) {
    const int d = r.price_digits;
    w.raw("{\n  ").key("format").str(result_format);
    w.raw(",\n  ").key("round").str(r.round);
    w.raw(",\n  ").key("currency").str(r.currency);
    w.raw(",\n  ").key("status").str(to_string(r.status));
    w.raw(",\n  ").key("clearing_price");
    if (r.clearing_price) w.dec(*r.clearing_price, d);
    else w.raw("null");
    w.raw(",\n  ").key("price_interval");
    if (r.price_low && r.price_high) w.raw("[").dec(*r.price_low, d).raw(", ").dec(*r.price_high, d).raw("]");
    else w.raw("null");
    w.raw(",\n  ").key("cleared_lots").num(r.cleared_lots.count);
    w.raw(",\n  ").key("cleared_tonnes").dec(r.cleared_tonnes, 0);
    w.raw(",\n  ").key("optimality").str(to_string(r.optimality));
    if (r.bound) w.raw(",\n  ").key("bound").dec(*r.bound, d);
    w.raw(",\n  ").key("welfare").dec(r.welfare, d);
    w.raw(",\n  ").key("buyer_surplus").dec(r.buyer_surplus, d);
    w.raw(",\n  ").key("supplier_surplus").dec(r.supplier_surplus, d);
    w.raw(",\n  ").key("rounding_residual").dec(r.rounding_residual, d);
    if (r.has_places) w.raw(",\n  ").key("freight_cost").dec(r.freight_cost, d);
    io_detail::BlockBuffers buffers;  // the three lists' blocks are made in the same buffers
    w.raw(",\n  ").key("bids");
    write_indexed_at_once(w, lines.bid_count(), threads, buffers, [&](Writer& bw, std::size_t i, std::string& words) {
        write_order(bw, lines.bid_id(i), lines.bid(i), r, words);
    });
    w.raw(",\n  ").key("offers");
    write_indexed_at_once(w, lines.offer_count(), threads, buffers, [&](Writer& bw, std::size_t i, std::string& words) {
        write_order(bw, lines.offer_id(i), lines.offer(i), r, words);
    });
    w.raw(",\n  ").key("awards");
    write_indexed_at_once(w, r.awards.size(), threads, buffers, [&](Writer& bw, std::size_t i, std::string&) {
        const Award& a = r.awards[i];
        bw.raw("{").key("bid").str(lines.bid_id(a.bid.value)).raw(", ");
        bw.key("offer").str(lines.offer_id(a.offer.value)).raw(", ");
        bw.key("lots").num(a.lots.count).raw(", ").key("price").dec(a.price, d).raw("}");
    });
    w.raw(",\n  ").key("blocs");
    write_map(w, r.blocs, [&](const BlocTotals& b) {
        w.raw("{").key("bids").num(b.bids).raw(", ").key("requested_lots").num(b.requested.count).raw(", ");
        w.key("filled_lots").num(b.filled.count).raw(", ").key("cost").dec(b.cost, d);
        w.raw(", ").key("buyer_surplus").dec(b.buyer_surplus, d).raw("}");
    });
    w.raw(",\n  ").key("origins");
    write_map(w, r.origins, [&](const OriginTotals& o) {
        w.raw("{").key("lots").num(o.lots.count).raw(", ").key("share").dec(o.share, 6);
        if (o.cap) w.raw(", ").key("cap").dec(*o.cap, 0);
        if (o.cap_lots) w.raw(", ").key("cap_lots").num(o.cap_lots->count);
        w.raw(", ").key("supplier_surplus").dec(o.supplier_surplus, d).raw("}");
    });
    if (r.has_places) write_places(w, r, d);
    w.raw("\n}\n");
}

void write_round(Writer& w, const Round& round) {
    w.raw("{\n  ").key("format").str(round.format);
    w.raw(",\n  ").key("round").str(round.id);
    w.raw(",\n  ").key("material").raw("{").key("code").str(round.material.code);
    if (round.material.name) w.raw(", ").key("name").str(*round.material.name);
    w.raw(", ").key("lot_tonnes").dec(round.material.lot_tonnes, 0).raw("}");
    w.raw(",\n  ").key("currency").str(round.currency);
    w.raw(",\n  ").key("fx").raw("{");
    bool first = true;
    for (const auto& [code, rate] : round.fx) {
        w.raw(first ? "" : ", ").key(code).dec(rate, 0);
        first = false;
    }
    w.raw("}");
    const Rules& r = round.rules;
    w.raw(",\n  ").key("rules").raw("{").key("pricing").raw("{").key("rule").str(to_string(r.pricing));
    w.raw(", ").key("k").dec(r.k, 0).raw("}, ").key("tick").dec(r.tick, 0);
    if (r.max_origin_share) w.raw(", ").key("max_origin_share").dec(*r.max_origin_share, 0);
    w.raw(", ").key("excluded_origins").raw("[");
    for (std::size_t i = 0; i < r.excluded_origins.size(); ++i) w.raw(i ? ", " : "").str(r.excluded_origins[i]);
    w.raw("], ").key("require_certified").raw(r.require_certified ? "true" : "false").raw("}");
    w.raw(",\n  ").key("bids");
    write_list(w, round.bids, [&](const Bid& b) {
        w.raw("{").key("id").str(b.id).raw(", ").key("buyer").str(b.buyer).raw(", ").key("bloc").str(b.bloc);
        w.raw(", ").key("lots").num(b.lots).raw(", ").key("min_lots").num(b.min_lots);
        w.raw(", ").key("limit").dec(b.limit, 0);
        if (b.currency) w.raw(", ").key("currency").str(*b.currency);
        if (b.delivery) w.raw(", ").key("delivery").str(*b.delivery);
        w.raw("}");
    });
    w.raw(",\n  ").key("offers");
    write_list(w, round.offers, [&](const Offer& o) {
        w.raw("{").key("id").str(o.id).raw(", ").key("supplier").str(o.supplier).raw(", ");
        w.key("origin").str(o.origin).raw(", ").key("lots").num(o.lots).raw(", ").key("min_lots").num(o.min_lots);
        w.raw(", ").key("ask").dec(o.ask, 0);
        if (o.currency) w.raw(", ").key("currency").str(*o.currency);
        w.raw(", ").key("certified").raw(o.certified ? "true" : "false");
        if (o.port) w.raw(", ").key("port").str(*o.port);
        w.raw("}");
    });
    if (round.logistics) {
        w.raw(",\n  ").key("logistics").raw("{").key("routes");
        write_list(w, round.logistics->routes, [&](const Route& r) {
            w.raw("{").key("from").str(r.from).raw(", ").key("to").str(r.to).raw(", ").key("freight").dec(r.freight, 0);
            if (r.currency) w.raw(", ").key("currency").str(*r.currency);
            if (r.capacity_lots) w.raw(", ").key("capacity_lots").num(*r.capacity_lots);
            w.raw("}");
        });
        w.raw("}");
    }
    w.raw("\n}\n");
}

template <class Lines>
std::string result_text(const Result& result, const Lines& lines, unsigned threads) {
    std::string out;
    // About 170 bytes an order line (more with a reason), about 80 an award,
    // about 110 a place or a route.
    out.reserve(512 + 192 * (lines.bid_count() + lines.offer_count()) + 96 * result.awards.size() +
                128 * (result.places.size() + result.routes.size()));
    Writer w(out);
    write_result(w, result, lines, threads);
    return out;
}

template <class Lines>
void write_result_to(std::ostream& out, const Result& result, const Lines& lines, unsigned threads) {
    std::string buffer;
    Writer w(buffer, &out);
    write_result(w, result, lines, threads);
    w.flush();
}

unsigned thread_count(const WriteOptions& options) {
    if (options.threads != 0) return options.threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

std::string result_json(const Result& result, const WriteOptions& options) {
    return result_text(result, HeldLines{result, nullptr}, thread_count(options));
}

void write_result_json(std::ostream& out, const Result& result, const WriteOptions& options) {
    write_result_to(out, result, HeldLines{result, nullptr}, thread_count(options));
}

std::string result_json(const Round& round, const Result& result, const WriteOptions& options) {
    return result_text(result, HeldLines{result, &round}, thread_count(options));
}

void write_result_json(std::ostream& out, const Round& round, const Result& result, const WriteOptions& options) {
    write_result_to(out, result, HeldLines{result, &round}, thread_count(options));
}

std::string result_json(const Round& round, const StreamedResult& result, const WriteOptions& options) {
    return result_text(result.totals(), MadeLines{result, round}, thread_count(options));
}

void write_result_json(std::ostream& out, const Round& round, const StreamedResult& result,
                       const WriteOptions& options) {
    write_result_to(out, result.totals(), MadeLines{result, round}, thread_count(options));
}

void write_round_json(std::ostream& out, const Round& round) {
    std::string buffer;
    Writer w(buffer, &out);
    write_round(w, round);
    w.flush();
}

}  // namespace jpclear
