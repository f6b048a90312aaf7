// Text (model/text.h): the 16-byte string of an order's fields, checked
// against std::string as the model of what it must do.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>

#include "jpclear/model/round.h"

namespace {

using jpclear::Text;
using namespace std::string_literals;

// Every length around the switch from in place to the heap, and beyond.
std::string of_length(std::size_t n, char first = 'a') {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>(first + i % 26);
    return s;
}

TEST(Text, HoldsEveryLengthAndEndsInANul) {
    for (std::size_t n : {0, 1, 2, 7, 14, 15, 16, 17, 31, 100, 5000}) {
        const std::string s = of_length(n);
        const Text t(s);
        EXPECT_EQ(t.size(), n);
        EXPECT_EQ(t.empty(), n == 0);
        EXPECT_EQ(t.view(), s);
        EXPECT_EQ(t.str(), s);
        EXPECT_EQ(t.c_str()[n], '\0') << n;
        EXPECT_EQ(std::string(t.c_str()), s);
    }
}

TEST(Text, KeepsNulAndAnyByte) {
    const std::string s = "b\0-1\xFF\x80"s;
    const Text t(s);
    EXPECT_EQ(t.size(), 6u);
    EXPECT_EQ(t, s);
    const std::string long_one = s + of_length(20) + "\0"s;
    EXPECT_EQ(Text(long_one).view(), long_one);
}

TEST(Text, CopiesAndMovesAreValues) {
    for (std::size_t n : {3, 15, 16, 40}) {
        const std::string s = of_length(n);
        Text a(s);
        Text b = a;                 // copy
        EXPECT_EQ(b, s);
        EXPECT_NE(a.data(), b.data());
        Text c = std::move(a);      // move: the source is left empty
        EXPECT_EQ(c, s);
        EXPECT_TRUE(a.empty());     // NOLINT(bugprone-use-after-move): the documented state
        a = c;                      // copy-assign into the moved-from
        EXPECT_EQ(a, s);
        b = std::move(c);
        EXPECT_EQ(b, s);
        Text& same = b;
        b = same;                   // self-assignment keeps the text
        EXPECT_EQ(b, s);
        b = std::move(same);        // NOLINT: self-move too
        EXPECT_EQ(b, s);
        b.assign(b.view().substr(1));  // a view into itself
        EXPECT_EQ(b, s.substr(1));
        b.clear();
        EXPECT_TRUE(b.empty());
        EXPECT_EQ(b.c_str()[0], '\0');
    }
}

TEST(Text, ComparesAndOrdersAsStdString) {
    std::mt19937_64 random(7);
    std::vector<std::string> strings = {"", "a", "a\0"s, "ab", "b", of_length(15), of_length(16), of_length(16, 'b')};
    for (int i = 0; i < 40; ++i) strings.push_back(of_length(random() % 24, static_cast<char>('a' + random() % 3)));
    for (const std::string& x : strings)
        for (const std::string& y : strings) {
            const Text tx(x), ty(y);
            EXPECT_EQ(tx == ty, x == y);
            EXPECT_EQ(tx < ty, x < y);
            EXPECT_EQ(tx == y, x == y);
            EXPECT_EQ(y == tx, x == y);
            EXPECT_EQ(tx < std::string_view(y), x < y);
            EXPECT_EQ(tx == y.c_str(), std::string_view(x) == std::string_view(y.c_str()));
        }
}

TEST(Text, WorksWhereStdStringDid) {
    Text id = "b-1";
    id += "-x";
    id += '7';
    EXPECT_EQ(id, "b-1-x7");
    const std::string joined = "id " + id + " is " + Text("fine");
    EXPECT_EQ(joined, "id b-1-x7 is fine");
    std::map<std::string, int> by_id;
    by_id[id] = 1;  // converts to the key type
    EXPECT_EQ(by_id.count("b-1-x7"), 1u);
    const std::string copy = id;
    EXPECT_EQ(copy, "b-1-x7");
    EXPECT_EQ(id.find("-x"), 3u);
    EXPECT_TRUE(id.starts_with("b-") && id.ends_with("x7"));
    EXPECT_EQ(id.substr(2), "1-x7");
    std::ostringstream out;
    out << id << '|' << Text(of_length(20));
    EXPECT_EQ(out.str(), "b-1-x7|" + of_length(20));
    std::unordered_set<Text> seen = {Text("a"), Text(of_length(30))};
    EXPECT_EQ(seen.count(Text(of_length(30))), 1u);
    EXPECT_EQ(std::hash<Text>{}(Text("EU")), std::hash<std::string_view>{}("EU"));
}

// What the field type is for: an order's memory.
TEST(Text, KeepsOrdersSmall) {
    EXPECT_EQ(sizeof(Text), 16u);
    EXPECT_LE(sizeof(jpclear::Bid), 136u);
    EXPECT_LE(sizeof(jpclear::Offer), 144u);
}

}  // namespace
