#!/usr/bin/env bash
# Set up, build and run jpclear on a Debian machine.
#   scripts/run.sh example   install what is missing, build, clear the example round
#   scripts/run.sh test      install what is missing, build, run the whole test suite:
#                            once as built for users (GCC, Release), then again
#                            built with Clang under AddressSanitizer and
#                            UndefinedBehaviorSanitizer, with each fuzz target
#                            fuzzed for JPCLEAR_FUZZ_SECONDS (default 60), and
#                            last clear() from 8 threads under ThreadSanitizer
# Packages are installed with apt-get only when missing (needs root then).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make ccache pkg-config python3
          libboost-program-options-dev libspdlog-dev nlohmann-json3-dev libsimdjson-dev
          libgtest-dev libbenchmark-dev coinor-libcbc-dev coinor-libclp-dev)
# The sanitized build and libFuzzer need Clang and its runtime libraries;
# the report test renders `clear --report` pages in headless Chromium.
test_packages=(clang libclang-rt-dev chromium)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "jpclear: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

build() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DJPCLEAR_WARNINGS_AS_ERRORS=ON >/dev/null
  cmake --build build -j "$(nproc)"
}

# Everything the tests need, with ASan + UBSan, and the fuzzers (no benches:
# their numbers would mean nothing under a sanitizer).
build_sanitized() {
  CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Release \
    -DJPCLEAR_WARNINGS_AS_ERRORS=ON -DJPCLEAR_SANITIZE=ON -DJPCLEAR_FUZZ=ON \
    -DJPCLEAR_FUZZ_SECONDS="${JPCLEAR_FUZZ_SECONDS:-60}" \
    -DJPCLEAR_BUILD_BENCH=OFF -DJPCLEAR_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build build-sanitize -j "$(nproc)"
}

# clear() from 8 threads under ThreadSanitizer (docs/api.md, "Threads"):
# only libjpclear and the threads test, so it costs a minute or two, not a
# third build of everything.
build_tsan() {
  CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Release \
    -DJPCLEAR_WARNINGS_AS_ERRORS=ON -DJPCLEAR_TSAN=ON -DJPCLEAR_BUILD_CLI=OFF -DJPCLEAR_BUILD_TESTS=OFF \
    -DJPCLEAR_BUILD_BENCH=OFF -DJPCLEAR_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build build-tsan -j "$(nproc)" --target test_threads
}

case "${1:-}" in
  example)
    install_missing "${packages[@]}"
    build >/dev/null
    ./build/jpclear clear examples/eu-japan-lithium/round.json --summary
    ;;
  test)
    install_missing "${packages[@]}" "${test_packages[@]}"
    build
    ctest --test-dir build --output-on-failure -j "$(nproc)"
    build_sanitized
    # Fail on the first report, and say where leaks were allocated.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)"
    build_tsan
    ctest --test-dir build-tsan --output-on-failure
    ;;
  *)
    echo "usage: scripts/run.sh example|test" >&2
    exit 2
    ;;
esac
