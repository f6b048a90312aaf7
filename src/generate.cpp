// Synthetic lithium-carbonate rounds (see generate.h).
//
// Everything here is integer arithmetic on our own PRNG, so a seed gives the
// same bytes with every compiler and standard library: std:: distributions
// are left alone because their algorithms are implementation-defined.
//
// Bids, offers and block choices each draw from their own stream, so the size
// of one side leaves the other alone, and block_per_mille turns orders into
// blocks without moving any price or size (benches compare like with like).
//
// Places (GenerateSpec::places) draw from streams of their own as well: a
// round with places holds exactly the orders of the same round without, plus
// a delivery per bid, a port per offer and the freight table.

#include "jpclear/generate.h"

#include <array>
#include <cstdint>
#include <stdexcept>
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
constexpr std::uint64_t bid_place_stream = 5, offer_place_stream = 6, route_stream = 7;

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

// The supply mix of one round: the table's weights, or the spec's over the
// table's origins and any others (with made-up supplier names).
struct MixEntry {
    std::string code;
    std::array<std::string, 3> suppliers;
    std::uint64_t weight;
    std::size_t table_index;  // into origins / origin_ports; origins.size() when not in the table
};

std::size_t table_index(std::string_view code) {
    std::size_t i = 0;
    while (i < origins.size() && origins[i].code != code) ++i;
    return i;
}

std::vector<MixEntry> make_mix(const GenerateSpec& spec) {
    std::vector<MixEntry> mix;
    auto add = [&](std::string_view code, std::uint64_t weight) {
        MixEntry e{std::string(code), {}, weight, table_index(code)};
        for (std::size_t k = 0; k < 3; ++k)
            e.suppliers[k] = e.table_index < origins.size()
                                 ? std::string(origins[e.table_index].suppliers[k])
                                 : std::string(code) + " Supplier " + static_cast<char>('A' + k);
        mix.push_back(std::move(e));
    };
    if (spec.origin_weights.empty()) {
        for (const Origin& o : origins) add(o.code, o.per_mille);
        return mix;
    }
    for (const OriginWeight& w : spec.origin_weights) {
        const bool code_ok = w.origin.size() == 2 && w.origin[0] >= 'A' && w.origin[0] <= 'Z' &&
                             w.origin[1] >= 'A' && w.origin[1] <= 'Z';
        if (!code_ok)
            throw std::invalid_argument("origin \"" + w.origin + "\" is not two upper-case letters (ISO 3166 alpha-2)");
        if (w.weight == 0) throw std::invalid_argument("origin " + w.origin + " has weight 0; leave it out instead");
        for (const MixEntry& e : mix)
            if (e.code == w.origin) throw std::invalid_argument("origin " + w.origin + " is given twice");
        add(w.origin, w.weight);
        if (spec.places && mix.back().table_index == origins.size())
            throw std::invalid_argument("origin " + w.origin +
                                        " has no port in the generated freight table; with places use only " +
                                        "origins the table knows");
    }
    return mix;
}

const MixEntry& pick_origin(Rng& rng, const std::vector<MixEntry>& mix, std::uint64_t total_weight) {
    std::uint64_t r = rng.below(total_weight);
    for (const MixEntry& e : mix) {
        if (r < e.weight) return e;
        r -= e.weight;
    }
    return mix.back();
}

// Named mixes, in per mille of offers. The mix moves only the origin of
// each offer (one draw whatever the mix), so rounds of the same seed under
// different mixes have the same prices and lots: a what-if compares like
// with like. Shares of supply are rounded from
// public estimates of 2023-2024 (USGS, IEA); they are for what-if studies,
// not market data.
struct NamedMix {
    Scenario scenario;
    std::vector<OriginWeight> weights;
};

const std::vector<NamedMix>& named_mixes() {
    static const std::vector<NamedMix> mixes = [] {
        std::vector<NamedMix> m;
        std::vector<OriginWeight> mined;
        for (const Origin& o : origins) mined.push_back({std::string(o.code), o.per_mille});
        m.push_back({{"lithium-mined", "today's mined lithium: AU 37%, CL 24%, CN 18%, ... (the default; a 0.65 cap never binds)"},
                     std::move(mined)});
        m.push_back({{"lithium-refined",
                      "today's lithium chemicals, China dominant: CN 65%, CL 23%, AR 5%, ... (a 0.65 cap binds on CN)"},
                     {{"CN", 650}, {"CL", 230}, {"AR", 50}, {"US", 20}, {"AU", 20}, {"DE", 10}, {"BR", 10}, {"CA", 10}}});
        m.push_back({{"two-giants", "two dominant origins: AU 42%, CN 38%, CL 10%, ... (a 0.4 cap binds on both)"},
                     {{"AU", 420}, {"CN", 380}, {"CL", 100}, {"AR", 50}, {"ZW", 30}, {"BR", 20}}});
        m.push_back({{"diversified", "the alliance's aim: no origin above 22% (caps down to 0.3 do not bind)"},
                     {{"AU", 220}, {"CL", 200}, {"CN", 150}, {"AR", 120}, {"CA", 100}, {"BR", 80}, {"ZW", 60},
                      {"US", 40}, {"PT", 30}}});
        return m;
    }();
    return mixes;
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

// --- places, ports and freight (spec 10) -------------------------------------

// Place ids in the style of UN/LOCODE: country, dash, three letters. The
// delivery places come first: the ports where EU and JP buyers take their
// lots. Rotterdam and Hamburg also load the little lithium Europe produces,
// so they are ports and delivery places at once, with a free self-route.
enum PlaceIndex : std::uint8_t {
    nl_rtm, de_ham, jp_yok, jp_ngo,  // delivery places
    au_phe, au_fre, cl_anf, cl_mjs, cn_sha, cn_ngb, ar_bue, mz_bew, za_dur,
    br_vix, ca_mtr, ca_van, us_oak, us_hou, pt_lei, ci_abj, na_wvb,
    place_count
};

constexpr std::array<std::string_view, place_count> place_ids = {
    "NL-RTM",  // Rotterdam
    "DE-HAM",  // Hamburg
    "JP-YOK",  // Yokohama
    "JP-NGO",  // Nagoya
    "AU-PHE",  // Port Hedland
    "AU-FRE",  // Fremantle (Kwinana)
    "CL-ANF",  // Antofagasta
    "CL-MJS",  // Mejillones
    "CN-SHA",  // Shanghai
    "CN-NGB",  // Ningbo
    "AR-BUE",  // Buenos Aires
    "MZ-BEW",  // Beira, Zimbabwe's way to the sea
    "ZA-DUR",  // Durban
    "BR-VIX",  // Vitoria
    "CA-MTR",  // Montreal
    "CA-VAN",  // Vancouver
    "US-OAK",  // Oakland
    "US-HOU",  // Houston
    "PT-LEI",  // Leixoes (Porto)
    "CI-ABJ",  // Abidjan, Mali's way to the sea
    "NA-WVB",  // Walvis Bay
};

// Where bids take delivery: the first place of their bloc with this chance,
// else the second.
constexpr std::uint32_t rotterdam_per_mille = 550;  // else Hamburg
constexpr std::uint32_t yokohama_per_mille = 600;   // else Nagoya

// Where each origin's offers are loaded: `first` with this chance, else
// `second` (the same place for origins with one port). Landlocked origins
// load at a neighbour's port; German geothermal lithium goes down the Rhine
// to Rotterdam or down the Elbe to Hamburg.
struct OriginPorts {
    std::string_view origin;
    PlaceIndex first, second;
    std::uint32_t first_per_mille;
};

constexpr std::array<OriginPorts, origins.size()> origin_ports = {{
    {"AU", au_phe, au_fre, 650},
    {"CL", cl_anf, cl_mjs, 600},
    {"CN", cn_sha, cn_ngb, 700},
    {"AR", ar_bue, ar_bue, 1000},
    {"ZW", mz_bew, za_dur, 600},
    {"BR", br_vix, br_vix, 1000},
    {"CA", ca_mtr, ca_van, 600},
    {"US", us_oak, us_hou, 500},
    {"PT", pt_lei, pt_lei, 1000},
    {"ML", ci_abj, ci_abj, 1000},
    {"NA", na_wvb, na_wvb, 1000},
    {"DE", nl_rtm, de_ham, 500},
}};

// The freight table: container freight per tonne, port to delivery place, in
// EUR cents before the round's own variation. Australia, China, Durban and
// the North American west coast are close to Japan; South America, West
// Africa and the Atlantic to Europe. Lanes not listed are not served (no
// Abidjan - Japan, no Antofagasta - Nagoya, ...).
//   always:    served in every round
//   sometimes: not served in about one round in seven
//   capped:    served in every round, with a capacity
// A few Japanese carriers quote in JPY.
enum LaneKind : std::uint8_t { always, sometimes, capped };

struct Lane {
    PlaceIndex from, to;
    std::int64_t eur_cents;
    bool jpy;
    LaneKind kind;
};

constexpr std::array<Lane, 53> lanes = {{
    {au_phe, jp_yok, 3800, false, capped},     {au_phe, jp_ngo, 4000, true, always},
    {au_phe, nl_rtm, 8200, false, always},     {au_phe, de_ham, 8600, false, sometimes},
    {au_fre, jp_yok, 4500, false, always},     {au_fre, jp_ngo, 4600, false, sometimes},
    {au_fre, nl_rtm, 7400, false, always},     {au_fre, de_ham, 7800, false, always},
    {cl_anf, nl_rtm, 5750, false, capped},     {cl_anf, de_ham, 6100, false, always},
    {cl_anf, jp_yok, 7200, true, always},
    {cl_mjs, nl_rtm, 5900, false, always},     {cl_mjs, de_ham, 6300, false, sometimes},
    {cl_mjs, jp_yok, 7400, false, sometimes},  {cl_mjs, jp_ngo, 7600, false, always},
    {cn_sha, jp_yok, 2200, false, always},     {cn_sha, jp_ngo, 2100, true, capped},
    {cn_sha, nl_rtm, 6800, false, always},     {cn_sha, de_ham, 7000, false, sometimes},
    {cn_ngb, jp_yok, 2400, false, sometimes},  {cn_ngb, jp_ngo, 2300, false, always},
    {cn_ngb, nl_rtm, 6600, false, always},
    {ar_bue, nl_rtm, 5200, false, always},     {ar_bue, de_ham, 5500, false, sometimes},
    {ar_bue, jp_yok, 8800, false, sometimes},
    {mz_bew, nl_rtm, 7000, false, always},     {mz_bew, de_ham, 7300, false, sometimes},
    {mz_bew, jp_yok, 6400, false, sometimes},
    {za_dur, nl_rtm, 6600, false, sometimes},  {za_dur, jp_yok, 6000, false, always},
    {za_dur, jp_ngo, 6200, false, sometimes},
    {br_vix, nl_rtm, 4800, false, always},     {br_vix, de_ham, 5100, false, sometimes},
    {br_vix, jp_yok, 9200, false, sometimes},
    {ca_mtr, nl_rtm, 3600, false, capped},     {ca_mtr, de_ham, 3900, false, sometimes},
    {ca_van, jp_yok, 4100, false, always},     {ca_van, jp_ngo, 4300, true, sometimes},
    {ca_van, nl_rtm, 8800, false, sometimes},
    {us_oak, jp_yok, 4500, false, always},     {us_oak, jp_ngo, 4700, false, sometimes},
    {us_hou, nl_rtm, 4600, false, always},     {us_hou, de_ham, 4900, false, sometimes},
    {us_hou, jp_yok, 8000, false, sometimes},
    {pt_lei, nl_rtm, 2400, false, always},     {pt_lei, de_ham, 2700, false, always},
    {pt_lei, jp_yok, 11000, false, sometimes},
    {ci_abj, nl_rtm, 4400, false, always},     {ci_abj, de_ham, 4700, false, sometimes},
    {na_wvb, nl_rtm, 5800, false, always},     {na_wvb, jp_yok, 7600, false, sometimes},
    {nl_rtm, nl_rtm, 0, false, always},
    {de_ham, de_ham, 0, false, always},
}};

constexpr bool is_delivery_place(PlaceIndex q) { return q <= jp_ngo; }

// The table keeps what the generated rounds rely on: lanes go to delivery
// places, each (from, to) once; self-routes are free, in EUR and never capped;
// every port has a lane served in every round, and so has every delivery
// place, so every order of every round has its route. A delivery place loads
// for itself only: lots never pass through a place, yet rule 4(d) would tie
// the price of Hamburg to Rotterdam's through a Rotterdam - Hamburg lane
// whether or not anything is loaded at Rotterdam, and with no lots there to
// move, no prices may meet the rules (clear() then rejects the round).
constexpr bool lanes_well_formed() {
    std::array<bool, place_count> served_from{}, served_to{};
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        const Lane& l = lanes[i];
        if (!is_delivery_place(l.to) || l.eur_cents < 0) return false;
        if (is_delivery_place(l.from) && l.from != l.to) return false;
        for (std::size_t j = 0; j < i; ++j)
            if (lanes[j].from == l.from && lanes[j].to == l.to) return false;
        if (l.from == l.to && (l.eur_cents != 0 || l.jpy || l.kind != always)) return false;
        if (l.from != l.to && l.eur_cents < 1000) return false;  // the variation never reaches 0
        if (l.kind != sometimes) served_from[l.from] = served_to[l.to] = true;
    }
    for (const OriginPorts& p : origin_ports)
        if (!served_from[p.first] || !served_from[p.second]) return false;
    for (std::size_t q = 0; q < place_count; ++q)
        if (is_delivery_place(static_cast<PlaceIndex>(q)) && !served_to[q]) return false;
    return true;
}
static_assert(lanes_well_formed(), "every port and delivery place has a lane served in every round");

constexpr bool origin_ports_match() {
    for (std::size_t i = 0; i < origins.size(); ++i)
        if (origin_ports[i].origin != origins[i].code || origin_ports[i].first_per_mille > 1000) return false;
    return true;
}
static_assert(origin_ports_match(), "origin_ports lists the origins in their order");

// Each round varies the table: every freight by up to 10% either way (on a
// EUR 0.50 grid, JPY quotes on a JPY 10 grid), `sometimes` lanes dropped, and
// now and then a capacity on a lane that usually has none.
constexpr std::int64_t freight_variation_per_mille = 100;
constexpr std::int64_t eur_freight_grid_cents = 50;
constexpr std::int64_t jpy_freight_grid = 10;
constexpr std::uint32_t lane_drop_per_mille = 150;
constexpr std::uint32_t extra_capacity_per_mille = 80;
// A capacity is this share (per mille) of the smaller of the lots offered at
// the port and the lots bid at the delivery place, so it binds in rounds of
// any size: the cheap lanes fill up and the rest takes a dearer one.
constexpr std::int64_t capacity_lo_per_mille = 250, capacity_hi_per_mille = 500;
constexpr std::int64_t max_capacity_lots = 1'000'000'000;

using PlaceLots = std::array<std::int64_t, place_count>;

Logistics make_logistics(std::uint64_t seed, const PlaceLots& offered, const PlaceLots& bid) {
    Rng rng(seed, route_stream);
    Logistics logistics;
    logistics.routes.reserve(lanes.size());
    for (const Lane& lane : lanes) {
        // Every lane draws the same four numbers, used or not, so one lane's
        // fate leaves the others alone.
        const std::int64_t variation = rng.between(-freight_variation_per_mille, freight_variation_per_mille);
        const bool dropped = rng.chance(lane_drop_per_mille);
        const bool extra_capacity = rng.chance(extra_capacity_per_mille);
        const std::int64_t share = rng.between(capacity_lo_per_mille, capacity_hi_per_mille);
        if (lane.kind == sometimes && dropped) continue;

        Route& r = logistics.routes.emplace_back();
        r.from = std::string(place_ids[lane.from]);
        r.to = std::string(place_ids[lane.to]);
        const std::int64_t cents =
            nearest(lane.eur_cents * (1000 + variation), 1000, eur_freight_grid_cents);
        if (lane.jpy) {
            r.freight = Decimal::integer(nearest(cents * fx_den, 100 * fx_num, jpy_freight_grid));
            r.currency = "JPY";
        } else {
            r.freight = Decimal::from_units(cents, 2);  // currency absent: the clearing currency
        }
        if (lane.from != lane.to && (lane.kind == capped || extra_capacity)) {
            const std::int64_t base = offered[lane.from] < bid[lane.to] ? offered[lane.from] : bid[lane.to];
            const std::int64_t lots = base / 1000 * share + base % 1000 * share / 1000;
            r.capacity_lots = lots < 1 ? 1 : lots > max_capacity_lots ? max_capacity_lots : lots;
        }
    }
    return logistics;
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
    if (spec.origin_cap) {
        if (spec.cap_share <= Decimal() || spec.cap_share > Decimal::integer(1))
            throw std::invalid_argument("the cap " + spec.cap_share.to_string() + " is not in (0, 1]");
        round.rules.max_origin_share = spec.cap_share;
    }
    const std::vector<MixEntry> mix = make_mix(spec);
    std::uint64_t total_weight = 0;
    for (const MixEntry& e : mix) total_weight += e.weight;

    const std::uint32_t block_per_mille = spec.block_per_mille < 1000 ? spec.block_per_mille : 1000;

    const std::vector<std::string> eu_buyers = name_pool(eu_regions, eu_kinds);
    const std::vector<std::string> jp_buyers = name_pool(jp_regions, jp_kinds);
    const std::string eu = "EU", jp = "JP", eur = "EUR", jpy = "JPY";

    // Places draw from their own streams, and only with spec.places: the
    // orders' own draws are the same with and without places.
    std::vector<std::string> places;
    if (spec.places)
        for (std::string_view id : place_ids) places.emplace_back(id);
    PlaceLots offered{}, bid{};

    Rng rng(spec.seed, bid_stream);
    Rng blocks(spec.seed, bid_block_stream);
    Rng where(spec.seed, bid_place_stream);
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
        if (spec.places) {
            const bool first = where.chance(is_jp ? yokohama_per_mille : rotterdam_per_mille);
            const PlaceIndex q = is_jp ? (first ? jp_yok : jp_ngo) : (first ? nl_rtm : de_ham);
            b.delivery = places[q];
            bid[q] += b.lots;
        }
    }

    rng = Rng(spec.seed, offer_stream);
    blocks = Rng(spec.seed, offer_block_stream);
    where = Rng(spec.seed, offer_place_stream);
    const int offer_width = id_width(spec.offers);
    round.offers.reserve(spec.offers);
    for (std::uint64_t i = 0; i < spec.offers; ++i) {
        Offer& o = round.offers.emplace_back();
        o.id = make_id('o', i + 1, offer_width);
        const MixEntry& origin = pick_origin(rng, mix, total_weight);
        o.origin = origin.code;
        o.supplier = origin.suppliers[rng.below(origin.suppliers.size())];
        const std::int64_t bp = rng.chance(tail_per_mille) ? rng.between(offer_tail_lo_bp, offer_lo_bp - 1)
                                                            : triangular(rng, offer_lo_bp, offer_hi_bp);
        o.ask = Decimal::integer(eur_price(bp));
        o.currency = eur;
        o.lots = lot_size(rng);
        o.certified = rng.chance(certified_per_mille);
        // Offers are all-or-none: a supplier ships a cargo or nothing.
        if (blocks.chance(block_per_mille)) o.min_lots = o.lots;
        if (spec.places) {
            const OriginPorts& ports = origin_ports[origin.table_index];
            const PlaceIndex q = where.chance(ports.first_per_mille) ? ports.first : ports.second;
            o.port = places[q];
            offered[q] += o.lots;
        }
    }
    if (spec.places) round.logistics = make_logistics(spec.seed, offered, bid);
    return round;
}

std::vector<Scenario> scenarios() {
    std::vector<Scenario> out;
    for (const NamedMix& m : named_mixes()) out.push_back(m.scenario);
    return out;
}

std::optional<std::vector<OriginWeight>> scenario_weights(std::string_view name) {
    for (const NamedMix& m : named_mixes())
        if (m.scenario.name == name) return m.weights;
    return std::nullopt;
}

std::vector<std::string> known_origins() {
    std::vector<std::string> out;
    for (const Origin& o : origins) out.emplace_back(o.code);
    return out;
}

}  // namespace jpclear
