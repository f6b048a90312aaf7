// build_curve(): see curves.h.

#include "report/curves.h"

#include <algorithm>
#include <map>

namespace jpclear::report {

Curve build_curve(std::vector<CurveOrder> orders, bool descending, std::size_t max_buckets) {
    orders.erase(std::remove_if(orders.begin(), orders.end(), [](const CurveOrder& o) { return o.lots <= 0; }),
                 orders.end());
    std::sort(orders.begin(), orders.end(), [&](const CurveOrder& a, const CurveOrder& b) {
        if (a.price != b.price) return descending ? a.price > b.price : a.price < b.price;
        return a.group < b.group;
    });
    Curve curve;
    for (std::size_t i = 0; i < orders.size(); ++i)
        if (i == 0 || orders[i].price != orders[i - 1].price) ++curve.levels;
    max_buckets = std::max<std::size_t>(max_buckets, 1);
    const std::size_t per_bucket = (curve.levels + max_buckets - 1) / max_buckets;

    std::int64_t q = 0;
    std::size_t i = 0;
    while (i < orders.size()) {
        // The bucket: `per_bucket` consecutive levels starting at order i.
        std::size_t end = i, levels = 0;
        while (end < orders.size() && (levels < per_bucket || orders[end].price == orders[end - 1].price)) {
            if (end == i || orders[end].price != orders[end - 1].price) ++levels;
            ++end;
        }
        ++curve.buckets;
        if (levels == 1) {
            // Exact: one piece per group, in group order (orders are sorted so).
            for (std::size_t k = i; k < end;) {
                CurvePiece piece{q, q, orders[k].price, orders[k].price, orders[k].group};
                for (; k < end && orders[k].group == piece.group; ++k) piece.q1 += orders[k].lots;
                q = piece.q1;
                curve.pieces.push_back(piece);
            }
        } else {
            std::map<std::uint32_t, std::int64_t> by_group;
            CurvePiece piece{q, q, orders[i].price, orders[end - 1].price, 0};
            for (std::size_t k = i; k < end; ++k) {
                piece.q1 += orders[k].lots;
                by_group[orders[k].group] += orders[k].lots;
            }
            std::int64_t most = -1;
            for (const auto& [group, lots] : by_group)
                if (lots > most) most = lots, piece.group = group;
            q = piece.q1;
            curve.pieces.push_back(piece);
        }
        i = end;
    }
    return curve;
}

}  // namespace jpclear::report
