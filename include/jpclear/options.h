#pragma once
// The options of clear(), in one registry with their defaults and ranges.
//
// Options change how hard the solver may work, never the rules: with the
// defaults, clearing is deterministic and exact. A time limit makes a search
// result depend on the machine's speed, so there is none unless asked for.

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "jpclear/model/problem.h"

namespace jpclear {

struct Options {
    /// Branch-and-bound nodes explored for rounds with blocks or caps before
    /// the search stops with `optimality: limit`. A candidate price ruled out
    /// by its set-up alone (O(n log n)) counts as n / 1024 nodes.
    std::int64_t node_limit = 2'000'000;
    /// Wall-clock limit of that search in milliseconds, counted from the start
    /// of solve(); none by default. The search stops at it, the pro-rata pass
    /// after it at 1.25 times it: clearing answers within about the limit plus
    /// its linear work (docs/blocks-and-caps.md section 3.7).
    std::optional<std::int64_t> time_limit_ms;
    /// Cooperative cancellation: when another thread sets `*stop`, the search
    /// stops as at a limit (`optimality: limit`, the best result so far). It
    /// is read, never written, before each candidate price, at least every
    /// 1024 nodes (sooner when nodes are costly) and in the pro-rata pass;
    /// the convex path, validation and the result builder run to their end
    /// (they are linear).
    /// Not in the registry below: it is no number to set from a command line.
    const std::atomic<bool>* stop = nullptr;
};

struct OptionInfo {
    std::string_view name;
    std::string_view description;
    std::string_view default_text;
    std::int64_t min;
    std::int64_t max;
    void (*set)(Options&, std::int64_t);
};

/// Every option clear() takes.
inline std::span<const OptionInfo> option_registry() {
    static const OptionInfo registry[] = {
        {"node_limit", "branch-and-bound nodes before the search stops with optimality \"limit\"", "2000000", 1,
         INT64_MAX, [](Options& o, std::int64_t v) { o.node_limit = v; }},
        {"time_limit_ms", "wall-clock milliseconds before the search stops with optimality \"limit\"", "none", 1,
         INT64_MAX, [](Options& o, std::int64_t v) { o.time_limit_ms = v; }},
    };
    return registry;
}

/// Sets option `name` to `value`; a Problem when the name or range is wrong.
inline std::optional<Problem> set_option(Options& options, std::string_view name, std::int64_t value) {
    for (const OptionInfo& info : option_registry()) {
        if (info.name != name) continue;
        if (value < info.min || value > info.max)
            return Problem{std::string(name), std::to_string(value) + " is outside " + std::to_string(info.min) +
                                                  " to " + std::to_string(info.max)};
        info.set(options, value);
        return std::nullopt;
    }
    return Problem{std::string(name), "is not an option of jpclear"};
}

}  // namespace jpclear
