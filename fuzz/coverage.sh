#!/usr/bin/env bash
# Line coverage that a fuzzing campaign's corpus reaches in jpclear's own code.
#   fuzz/coverage.sh TARGET CORPUS_DIR...      (TARGET: round_json, csv, parse_clear)
# Builds the replay binary of TARGET with Clang source-based coverage in
# build-fuzzcov/, runs it over every file of the corpus folders, and prints
# llvm-cov's per-file report for src/ and include/jpclear/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=$1
shift
build="$root/build-fuzzcov"
flags="-fprofile-instr-generate -fcoverage-mapping"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
  -DJPCLEAR_BUILD_BENCH=OFF -DJPCLEAR_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "fuzz_${target}_replay" >/dev/null
binary="$build/fuzz/fuzz_${target}_replay"
rm -f "$build/$target.profraw"
LLVM_PROFILE_FILE="$build/$target.profraw" "$binary" "$@" >/dev/null
llvm-profdata merge -sparse "$build/$target.profraw" -o "$build/$target.profdata"
llvm-cov report "$binary" -instr-profile="$build/$target.profdata" \
  "$root/src" "$root/include/jpclear"
