#pragma once
// Round builders and Decimal matchers shared by the clearing and pricing tests.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "jpclear/model/decimal.h"
#include "jpclear/model/round.h"

namespace jpclear::test {

inline jpclear::Bid bid(const char* id, const char* bloc, std::int64_t lots, const char* limit,
                        const char* currency = nullptr) {
    jpclear::Bid b;
    b.id = id;
    b.buyer = std::string("buyer ") + id;
    b.bloc = bloc;
    b.lots = lots;
    b.limit = jpclear::dec(limit);
    if (currency) b.currency = currency;
    return b;
}

inline jpclear::Offer offer(const char* id, const char* origin, std::int64_t lots, const char* ask,
                            bool certified = false, const char* currency = nullptr) {
    jpclear::Offer o;
    o.id = id;
    o.supplier = std::string("supplier ") + id;
    o.origin = origin;
    o.lots = lots;
    o.ask = jpclear::dec(ask);
    o.certified = certified;
    if (currency) o.currency = currency;
    return o;
}

// The settings every conformance case shares.
inline jpclear::Round case_round(const char* name) {
    jpclear::Round r;
    r.id = name;
    r.currency = "EUR";
    r.material.code = "LI2CO3";
    r.material.lot_tonnes = jpclear::dec("20");
    r.fx["JPY"] = jpclear::dec("0.0061");
    return r;
}

// Value equality of a Decimal with a literal, with both shown on failure.
inline ::testing::AssertionResult same(const jpclear::Decimal& got, const char* want) {
    if (got == jpclear::dec(want)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "got " << got.to_string() << ", want " << want;
}
inline ::testing::AssertionResult same(const std::optional<jpclear::Decimal>& got, const char* want) {
    if (!got) return ::testing::AssertionFailure() << "got nothing, want " << want;
    return same(*got, want);
}

}  // namespace jpclear::test
