#!/usr/bin/env bash
# Builds jpclear_bench in Release, runs the whole suite with JSON output and
# rewrites docs/performance.md from it (bench/report.py).
#
#   bench/run.sh                       # about 6 minutes on 2 cores
#   JPCLEAR_BENCH_HUGE=1 bench/run.sh  # also 10^7 orders (not the places benchmarks):
#                                      # several GB, about twice as long
#
# Environment:
#   JPCLEAR_BENCH_BUILD_DIR  build directory (default: build-bench at the top)
#   JPCLEAR_BENCH_FILTER     --benchmark_filter regex (default: everything)
#   JPCLEAR_BENCH_MIN_TIME   --benchmark_min_time in seconds (default 0.2)
#   JPCLEAR_BENCH_REPETITIONS  runs of every benchmark (default 3); the report
#                            shows medians and, for the targets, the range
#
# Its own build directory, so a Debug build elsewhere never leaks into the
# numbers; tests stay on in it because BM_CbcMip needs the test suite's CBC
# oracle target (only the benchmark target is built, not the tests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${JPCLEAR_BENCH_BUILD_DIR:-$root/build-bench}"
results="$build/bench-results.json"
page="$root/docs/performance.md"

# The revision is taken before building: the page must name the code that was
# measured, even if the working tree moves on while the suite runs.
revision="$(git -C "$root" describe --always --dirty=' with uncommitted changes' 2>/dev/null || echo unknown)"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DJPCLEAR_BUILD_BENCH=ON -DJPCLEAR_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j2 --target jpclear_bench

# The console table goes to the terminal as the run progresses; the JSON file
# is what the report is written from. The previous results are kept until the
# new run has finished, so an interrupted run leaves the old page consistent.
"$build/bench/jpclear_bench" \
  --benchmark_filter="${JPCLEAR_BENCH_FILTER:-.}" \
  --benchmark_min_time="${JPCLEAR_BENCH_MIN_TIME:-0.2}" \
  --benchmark_repetitions="${JPCLEAR_BENCH_REPETITIONS:-3}" \
  --benchmark_display_aggregates_only=true \
  --benchmark_out="$results.partial" \
  --benchmark_out_format=json
mv "$results.partial" "$results"

python3 "$root/bench/report.py" "$results" "$page" --build-dir "$build" --revision "$revision"
