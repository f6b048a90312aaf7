#pragma once
// The tests' random numbers: splitmix64 and integer-only mappings, so every
// generated round is the same on every platform and compiler.

#include <cstdint>
#include <vector>

namespace jpclear::test {

// splitmix64: tiny, well mixed, and identical on every platform.
class Rng {
   public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e37'79b9'7f4a'7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58'476d'1ce4'e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d0'49bb'1331'11ebULL;
        return z ^ (z >> 31);
    }

    /// Uniform in [lo, hi] by multiply-shift; the bias (< 2^-40 here) does not matter for a test.
    std::int64_t range(std::int64_t lo, std::int64_t hi) {
        const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
        __extension__ using u128 = unsigned __int128;
        return lo + static_cast<std::int64_t>((static_cast<u128>(next()) * span) >> 64);
    }

    /// True with probability percent / 100.
    bool percent(int p) { return range(0, 99) < p; }

    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[static_cast<std::size_t>(range(0, static_cast<std::int64_t>(v.size()) - 1))];
    }

    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[static_cast<std::size_t>(range(0, static_cast<std::int64_t>(i) - 1))]);
    }

   private:
    std::uint64_t state_;
};

}  // namespace jpclear::test
