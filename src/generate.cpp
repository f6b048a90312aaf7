// Synthetic lithium-carbonate rounds (see generate.h).
//
// Everything here is integer arithmetic on our own PRNG, so a seed gives the
// same bytes with every compiler and standard library: std:: distributions
// are left alone because their algorithms are implementation-defined.
//
// Bids, offers and block choices each draw from their own stream, so the size
// of one side leaves the other alone, and block_per_mille turns orders into
// blocks without moving any price or size (benches compare like with like).

#include "jpclear/generate.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jpclear {

namespace {

// --- random numbers ---------------------------------------------------------

// splitmix64 only expands a seed into xoshiro state: it mixes well even for
// seeds 0, 1, 2..., which xoshiro itself must never be given all-zero.
std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// xoshiro256**: fast, 256 bits of state, good enough for test data.
class Rng {
public:
    Rng(std::uint64_t seed, std::uint64_t stream) {
        std::uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ull);
        for (auto& word : s_) word = splitmix64(sm);
    }

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform in [0, n), n > 0. Multiply-high: the bias is below n / 2^64,
    /// far under anything a test could see, and it needs no division.
    std::uint64_t below(std::uint64_t n) {
        return static_cast<std::uint64_t>((static_cast<uint128>(next()) * n) >> 64);
    }

    /// Uniform in [lo, hi].
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }

    /// True with probability per_mille / 1000.
    bool chance(std::uint32_t per_mille) { return below(1000) < per_mille; }

private:
    std::array<std::uint64_t, 4> s_{};
};

// Stream tags: any distinct constants.
constexpr std::uint64_t bid_stream = 1, offer_stream = 2, bid_block_stream = 3, offer_block_stream = 4;

// --- the market -------------------------------------------------------------

// Prices are drawn as an offset from the market price in basis points, then
// put on a coarse grid so equal prices (and pro-rata groups) are common.
constexpr std::int64_t market_eur = 14000;  // per tonne
constexpr std::int64_t eur_grid = 10;       // EUR limits and asks are multiples of this
constexpr std::int64_t jpy_grid = 1000;     // JPY limits are multiples of this
// fx JPY = 0.0061 EUR, i.e. 61 / 10000: one EUR is 10000 / 61 JPY.
constexpr std::int64_t fx_num = 61, fx_den = 10000;

// A triangular spread (sum of two uniforms) puts most orders near the centre,
// like a real book; the tails are the price-takers that make rounds trade.
constexpr std::int64_t bid_lo_bp = -1200, bid_hi_bp = 1200;     // -12% .. +12%
constexpr std::int64_t offer_lo_bp = -1500, offer_hi_bp = 1000;  // -15% .. +10%
constexpr std::uint32_t tail_per_mille = 30;
constexpr std::int64_t bid_tail_hi_bp = 2500;      // eager buyers up to +25%
constexpr std::int64_t offer_tail_lo_bp = -3000;   // distressed sellers down to -30%

constexpr std::int64_t max_lots = 50;

std::int64_t triangular(Rng& rng, std::int64_t lo, std::int64_t hi) {
    const std::int64_t half = (hi - lo) / 2;
    return lo + rng.between(0, half) + rng.between(0, hi - lo - half);
}

// Rounded to the nearest multiple of `grid` (values here are positive).
std::int64_t nearest(std::int64_t num, std::int64_t den, std::int64_t grid) {
    const std::int64_t d = den * grid;
    return (num + d / 2) / d * grid;
}

std::int64_t eur_price(std::int64_t bp) { return nearest(market_eur * (10000 + bp), 10000, eur_grid); }

// The same market price expressed in JPY: EUR * fx_den / fx_num.
std::int64_t jpy_price(std::int64_t bp) {
    return nearest(market_eur * (10000 + bp) * fx_den, 10000 * fx_num, jpy_grid);
}

// Minimum of two uniform draws: lot k has weight (51 - k), mean about 17,
// so many small buyers and a few large ones.
std::int64_t lot_size(Rng& rng) {
    const std::int64_t a = rng.between(1, max_lots), b = rng.between(1, max_lots);
    return a < b ? a : b;
}

// --- names ------------------------------------------------------------------

// Fictional names, built from regions and kinds of firm: 8 x 5 = 40 per bloc.
// Every name fits in 15 characters, the in-place buffer of std::string in the
// common standard libraries, so copying one into an order never allocates
// (10^7 orders would otherwise mean 10^7 more allocations and ~300 MB).
constexpr std::size_t short_string = 15;

constexpr std::array<std::string_view, 8> eu_regions = {"Rhein", "Baltic", "Alpine", "Iberia",
                                                        "Danube", "Nordic", "Loire", "Adria"};
constexpr std::array<std::string_view, 5> eu_kinds = {"Cells", "Battery", "Energy", "Mobility", "Cathodes"};
// Cell makers (Denchi, Cell, Kasei) and trading houses (Shoji, Tsusho).
constexpr std::array<std::string_view, 8> jp_regions = {"Kanto", "Kansai", "Chubu", "Kyushu",
                                                        "Tohoku", "Setouchi", "Hokuriku", "Sanin"};
constexpr std::array<std::string_view, 5> jp_kinds = {"Denchi", "Shoji", "Cell", "Tsusho", "Kasei"};

template <std::size_t N>
constexpr std::size_t longest(const std::array<std::string_view, N>& words) {
    std::size_t n = 0;
    for (std::string_view w : words) n = w.size() > n ? w.size() : n;
    return n;
}
static_assert(longest(eu_regions) + 1 + longest(eu_kinds) <= short_string, "EU buyer names must stay short");
static_assert(longest(jp_regions) + 1 + longest(jp_kinds) <= short_string, "JP buyer names must stay short");

template <std::size_t R, std::size_t K>
std::vector<std::string> name_pool(const std::array<std::string_view, R>& regions,
                                   const std::array<std::string_view, K>& kinds) {
    std::vector<std::string> pool;
    pool.reserve(R * K);
    for (std::string_view r : regions)
        for (std::string_view k : kinds) pool.push_back(std::string(r) + " " + std::string(k));
    return pool;
}

struct Origin {
    std::string_view code;
    std::uint32_t per_mille;  // share of offers
    std::array<std::string_view, 3> suppliers;
};

// Roughly today's mined lithium supply by country; the last 1% is spread over
// smaller producers so rare origins appear in big rounds too.
constexpr std::array<Origin, 12> origins = {{
    {"AU", 370, {"Yilgarn Lithium", "Pilbara Coast", "Swan Chemicals"}},
    {"CL", 240, {"Atacama Salar", "Andes Brine", "Pacifico Litio"}},
    {"CN", 180, {"Sichuan Li", "Jiangxi Li", "Qinghai Salt"}},
    {"AR", 70, {"Puna Lithium", "Salta Brine", "Catamarca Li"}},
    {"ZW", 50, {"Zambezi Lithium", "Masvingo Mining", "Harare Minerals"}},
    {"BR", 40, {"Minas Litio", "Jequi Mining", "Vale Verde Li"}},
    {"CA", 20, {"Laurentian Li", "Abitibi Lithium", "Manitoba Li"}},
    {"US", 10, {"Nevada Brine", "Carolina Li", "Smackover Brine"}},
    {"PT", 10, {"Minho Minerals", "Barroso Litio", "Douro Lithium"}},
    {"ML", 4, {"Sahel Lithium", "Bougouni Mining", "Niger Valley Li"}},
    {"NA", 3, {"Erongo Lithium", "Karibib Mining", "Namib Lithium"}},
    {"DE", 3, {"Oberrhein Li", "Erzgebirge Li", "Lausitz Lithium"}},
}};

constexpr bool origins_well_formed() {
    std::uint32_t total = 0;
    for (const Origin& o : origins) {
        total += o.per_mille;
        if (longest(o.suppliers) > short_string) return false;
    }
    return total == 1000;
}
static_assert(origins_well_formed(), "origin weights are per mille and supplier names short");

const Origin& pick_origin(Rng& rng) {
    std::uint64_t r = rng.below(1000);
    for (const Origin& o : origins) {
        if (r < o.per_mille) return o;
        r -= o.per_mille;
    }
    return origins.back();
}

constexpr std::uint32_t certified_per_mille = 850;

// --- ids --------------------------------------------------------------------

// Fixed width per round, so byte order of ids is numeric order (the spec breaks
// pro-rata ties by id bytes, and people expect b10 after b9).
int id_width(std::uint64_t count) {
    int digits = 1;
    for (std::uint64_t n = count; n >= 10; n /= 10) ++digits;
    return digits < 6 ? 6 : digits;
}

std::string make_id(char prefix, std::uint64_t number, int width) {
    std::string id(static_cast<std::size_t>(width) + 1, '0');
    id[0] = prefix;
    for (std::size_t i = id.size() - 1; number > 0; --i, number /= 10) id[i] = static_cast<char>('0' + number % 10);
    return id;
}

}  // namespace

Round generate_round(const GenerateSpec& spec) {
    Round round;
    round.id = "generated-" + std::to_string(spec.seed);
    round.material.code = "LI2CO3";
    round.material.name = "Lithium carbonate, battery grade";
    round.material.lot_tonnes = Decimal::integer(20);
    round.currency = "EUR";
    round.fx.emplace("JPY", Decimal::from_units(fx_num, 4));
    if (spec.origin_cap) round.rules.max_origin_share = Decimal::from_units(65, 2);

    const std::uint32_t block_per_mille = spec.block_per_mille < 1000 ? spec.block_per_mille : 1000;

    const std::vector<std::string> eu_buyers = name_pool(eu_regions, eu_kinds);
    const std::vector<std::string> jp_buyers = name_pool(jp_regions, jp_kinds);
    const std::string eu = "EU", jp = "JP", eur = "EUR", jpy = "JPY";

    Rng rng(spec.seed, bid_stream);
    Rng blocks(spec.seed, bid_block_stream);
    const int bid_width = id_width(spec.bids);
    round.bids.reserve(spec.bids);
    for (std::uint64_t i = 0; i < spec.bids; ++i) {
        Bid& b = round.bids.emplace_back();
        b.id = make_id('b', i + 1, bid_width);
        const bool is_jp = rng.below(2) == 1;
        const std::int64_t bp = rng.chance(tail_per_mille) ? rng.between(bid_hi_bp + 1, bid_tail_hi_bp)
                                                            : triangular(rng, bid_lo_bp, bid_hi_bp);
        if (is_jp) {
            b.buyer = jp_buyers[rng.below(jp_buyers.size())];
            b.bloc = jp;
            b.limit = Decimal::integer(jpy_price(bp));
            b.currency = jpy;
        } else {
            b.buyer = eu_buyers[rng.below(eu_buyers.size())];
            b.bloc = eu;
            b.limit = Decimal::integer(eur_price(bp));
            b.currency = eur;
        }
        b.lots = lot_size(rng);
        // Always draw both numbers, so the block stream stays aligned with the
        // orders whatever block_per_mille is.
        const bool block = blocks.chance(block_per_mille);
        const std::int64_t min_lots = blocks.between(1, b.lots);
        if (block) b.min_lots = min_lots;
    }

    rng = Rng(spec.seed, offer_stream);
    blocks = Rng(spec.seed, offer_block_stream);
    const int offer_width = id_width(spec.offers);
    round.offers.reserve(spec.offers);
    for (std::uint64_t i = 0; i < spec.offers; ++i) {
        Offer& o = round.offers.emplace_back();
        o.id = make_id('o', i + 1, offer_width);
        const Origin& origin = pick_origin(rng);
        o.origin = std::string(origin.code);
        o.supplier = std::string(origin.suppliers[rng.below(origin.suppliers.size())]);
        const std::int64_t bp = rng.chance(tail_per_mille) ? rng.between(offer_tail_lo_bp, offer_lo_bp - 1)
                                                            : triangular(rng, offer_lo_bp, offer_hi_bp);
        o.ask = Decimal::integer(eur_price(bp));
        o.currency = eur;
        o.lots = lot_size(rng);
        o.certified = rng.chance(certified_per_mille);
        // Offers are all-or-none: a supplier ships a cargo or nothing.
        if (blocks.chance(block_per_mille)) o.min_lots = o.lots;
    }
    return round;
}

}  // namespace jpclear
