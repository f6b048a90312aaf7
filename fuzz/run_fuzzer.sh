#!/usr/bin/env bash
# Fuzz one target for a bounded time, starting from the committed seeds.
#   run_fuzzer.sh FUZZER SECONDS WORK_DIR DICT SEED_DIR...
# New inputs go to WORK_DIR/corpus (the committed seeds are only read); a
# crash is saved as WORK_DIR/crash-* and fails the run: copy it into
# fuzz/regressions/<target>/ once fixed, so every build replays it.
set -euo pipefail
fuzzer=$1 seconds=$2 work=$3 dict=$4
shift 4
mkdir -p "$work/corpus"
# -max_len: rounds of a few dozen orders; -timeout: one input may not take
# longer than this (a hang is a finding too); -rss_limit_mb: nor this much.
exec "$fuzzer" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
     -dict="$dict" -artifact_prefix="$work/" -print_final_stats=1 \
     "$work/corpus" "$@"
