// The floor under reading a round: how long it takes to get a file into a
// padded buffer (as read_round_file does) and how long simdjson takes to
// parse all of it (DOM, every value), median of 5 runs each. The whole-path
// bench compares `jpclear clear --verbose` read times with these.
//
//   parse_floor FILE   ->   {"file": ..., "bytes": N, "read_ms": R, "parse_ms": P, "runs": 5}

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "jpclear/io.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;  // a file name for people; control bytes add nothing
        out += c;
    }
    return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: parse_floor FILE\n");
        return 2;
    }
    constexpr int runs = 5;
    const std::string path = argv[1];
    jpclear::ReadLimits limits;
    limits.max_bytes = UINT64_MAX;
    simdjson::dom::parser parser;
    std::vector<double> read_ms, parse_ms;
    std::size_t bytes = 0;
    for (int run = 0; run < runs; ++run) {
        jpclear::Problems problems;
        const Clock::time_point start = Clock::now();
        std::optional<std::string> text = jpclear::read_text_file(path, limits, problems);
        read_ms.push_back(ms_since(start));
        if (!text) {
            std::fprintf(stderr, "parse_floor: %s: %s\n", problems.front().path.c_str(), problems.front().message.c_str());
            return 1;
        }
        bytes = text->size();
        // read_text_file leaves simdjson's padding after the text (it is parsed in place).
        if (text->capacity() < text->size() + simdjson::SIMDJSON_PADDING) {
            std::fprintf(stderr, "parse_floor: the buffer has no room for simdjson's padding\n");
            return 1;
        }
        const Clock::time_point parse_start = Clock::now();
        simdjson::dom::element root;
        const simdjson::error_code error = parser.parse(text->data(), text->size(), false).get(root);
        parse_ms.push_back(ms_since(parse_start));
        if (error) {
            std::fprintf(stderr, "parse_floor: %s: %s\n", path.c_str(), simdjson::error_message(error));
            return 1;
        }
    }
    std::printf("{\"file\": %s, \"bytes\": %zu, \"read_ms\": %.1f, \"parse_ms\": %.1f, \"runs\": %d}\n",
                json_string(path).c_str(), bytes, median(read_ms), median(parse_ms), runs);
    return 0;
}
