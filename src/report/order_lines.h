// The order lines of a result, held by a Result or made one at a time by a
// StreamedResult (clear.h).
//
// Why. The summary, the CSV tables and the HTML report read every order's
// line. Read from a Result, the lines are all held at once: at 10^6 orders
// 88 bytes each, which doubled the command line's memory beyond the round
// when any of them was asked for. Read through this, they take a
// StreamedResult as well, and a line exists only while it is read.

#ifndef JPCLEAR_SRC_REPORT_ORDER_LINES_H
#define JPCLEAR_SRC_REPORT_ORDER_LINES_H

#include <cstddef>

#include "jpclear/clear.h"
#include "jpclear/model/result.h"

namespace jpclear::detail {

class OrderLines {
public:
    explicit OrderLines(const Result& held) : totals_(held), held_(&held) {}
    explicit OrderLines(const StreamedResult& made) : totals_(made.totals()), made_(&made) {}

    /// Everything but the order lines (a Result's own lines are there too,
    /// but read them through count() and line()).
    const Result& totals() const { return totals_; }

    std::size_t count(bool bids) const {
        if (held_) return bids ? held_->bids.size() : held_->offers.size();
        return bids ? made_->bid_count() : made_->offer_count();
    }

    /// Line i of one side, i < count(bids).
    OrderResult line(bool bids, std::size_t i) const {
        if (held_) return bids ? held_->bids[i] : held_->offers[i];
        return bids ? made_->bid(i) : made_->offer(i);
    }

    /// `fn(line)` for every line of one side, in order.
    template <class Fn>
    void each(bool bids, Fn&& fn) const {
        if (held_) {
            for (const OrderResult& o : bids ? held_->bids : held_->offers) fn(o);
            return;
        }
        const std::size_t n = count(bids);
        for (std::size_t i = 0; i < n; ++i) {
            const OrderResult o = line(bids, i);
            fn(o);
        }
    }

private:
    const Result& totals_;
    const Result* held_ = nullptr;
    const StreamedResult* made_ = nullptr;
};

}  // namespace jpclear::detail

#endif
