#!/usr/bin/env bash
# Builds a downstream project against jpclear and runs it, the three ways a
# user can get jpclear into a CMake project:
#   consumer_test.sh install BUILD SOURCE      cmake --install into a scratch prefix, then
#                                              find_package(jpclear) (examples/consumer)
#   consumer_test.sh build-tree BUILD SOURCE   find_package(jpclear) with jpclear_DIR=BUILD
#   consumer_test.sh subdirectory BUILD SOURCE add_subdirectory(SOURCE) (tests/add_subdirectory)
#                                              where spdlog, Boost, GTest and Google Benchmark
#                                              cannot be found: the library must not need them
# Extra arguments go to the consumer's cmake (compiler, launcher, -Werror).
set -euo pipefail
mode=$1 build_dir=$2 source_dir=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$mode" in
  install)
    cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
    cmake -S "$source_dir/examples/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" \
          -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
    ;;
  build-tree)
    cmake -S "$source_dir/examples/consumer" -B "$work/consumer" -Djpclear_DIR="$build_dir" \
          -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
    ;;
  subdirectory)
    cmake -S "$source_dir/tests/add_subdirectory" -B "$work/consumer" -DJPCLEAR_TREE="$source_dir" \
          -DCMAKE_BUILD_TYPE=Release -DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON \
          -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON \
          -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON "$@" >"$work/configure.log" ||
      { cat "$work/configure.log"; exit 1; }
    ;;
  *)
    echo "usage: consumer_test.sh install|build-tree|subdirectory BUILD SOURCE [cmake args]" >&2
    exit 2
    ;;
esac
cmake --build "$work/consumer" -j 2 >"$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/consumer/consumer" > "$work/result.json" 2>/dev/null
grep -q '"status": "cleared"' "$work/result.json"
echo "$mode: the consumer builds against jpclear and clears a round"
