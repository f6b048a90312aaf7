#!/usr/bin/env bash
# Installs jpclear into a scratch prefix and builds examples/consumer against
# it with find_package(jpclear): the exported package config must work.
set -euo pipefail
build_dir=$1 source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/examples/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/consumer" -j 2 >/dev/null
"$work/consumer/consumer" > "$work/result.json" 2>/dev/null
grep -q '"status": "cleared"' "$work/result.json"
echo "installed package builds and runs a consumer"
