// What a service file that calls clear() looks like: jpclear.h only.
// tests/light_header_test.sh compiles it and fails when the includes reach the
// clearing engine or <ostream>, which would make every such file slow to build.

#include <jpclear/jpclear.h>

int main() {
    jpclear::Round round;
    const jpclear::ClearOutcome outcome = jpclear::clear(round);
    return outcome.ok() ? 1 : 0;  // an empty round is invalid input
}
