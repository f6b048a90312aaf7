#!/usr/bin/env bash
# Set up, build and run jpclear on a Debian machine.
#   scripts/run.sh example   install what is missing, build, clear the example round
#   scripts/run.sh test      install what is missing, build, run the whole test suite
# Packages are installed with apt-get only when missing (needs root then).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make ccache pkg-config python3
          libboost-program-options-dev libspdlog-dev nlohmann-json3-dev
          libgtest-dev libbenchmark-dev coinor-libcbc-dev coinor-libclp-dev)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
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

case "${1:-}" in
  example)
    install_missing
    build >/dev/null
    ./build/jpclear clear examples/eu-japan-lithium/round.json --summary
    ;;
  test)
    install_missing
    build
    ctest --test-dir build --output-on-failure -j "$(nproc)"
    ;;
  *)
    echo "usage: scripts/run.sh example|test" >&2
    exit 2
    ;;
esac
