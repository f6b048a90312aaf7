#!/usr/bin/env bash
# Peak resident set, wall and CPU time of the jpclear CLI on one large generated
# round, printed as a Markdown table for docs/performance.md ("Peak memory at
# 10^7 orders").
#
#   bench/peak_memory.sh [JPCLEAR]   # JPCLEAR: the binary, default build/jpclear
#
# Environment:
#   JPCLEAR_PEAK_ORDERS  bids + offers (default 10000000), split about 10:1 as
#                        the benchmarks do; smaller to try the script quickly
#
# Builds nothing: it measures the binary it is given, so say which build that
# was. At 10^7 orders it needs about 1.3 GB of disk in $TMPDIR for the round
# and 1.7 GB for the result, and several GB of memory; both files are deleted
# on exit. The resident set comes from GNU time (/usr/bin/time -v), which
# reads the kernel's high-water mark, so it counts what was touched, not what
# was reserved.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jpclear="${1:-$root/build/jpclear}"
orders="${JPCLEAR_PEAK_ORDERS:-10000000}"

if [[ ! -x "$jpclear" ]]; then
  echo "peak_memory.sh: $jpclear is not an executable; build the jpclear target first" >&2
  exit 2
fi
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  echo "peak_memory.sh: needs GNU time at /usr/bin/time (Debian package 'time')" >&2
  exit 2
fi

offers=$(((orders + 5) / 11))
bids=$((orders - offers))
work="$(mktemp -d "${TMPDIR:-/tmp}/jpclear-peak.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Bytes as GiB, or MiB below one GiB (small trial runs).
size_awk='function size(b) { return b >= 2^30 ? sprintf("%.2f GiB", b / 2^30) : sprintf("%.1f MiB", b / 2^20) }'
rows=()
# Runs one command under GNU time and records its row; a failing command stops
# the script, since its figures would describe an error path.
measure() {
  local label="$1"
  shift
  if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
    echo "peak_memory.sh: '$label' failed:" >&2
    cat "$work/stderr.txt" >&2
    exit 1
  fi
  local kb wall cpu
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {print s}' "$work/time.txt")
  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34" to seconds.
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' \
    "$work/time.txt")
  rows+=("$(awk -v label="$label" -v b="$((kb * 1024))" -v wall="$wall" -v cpu="$cpu" -v n="$orders" "$size_awk"'
    BEGIN {printf "| %s | %s | %.0f | %.1f s | %.1f s |", label, size(b), b / n, wall, cpu}')")
}

measure "\`jpclear generate --bids $bids --offers $offers --seed 1\`" \
  "$jpclear" generate --bids "$bids" --offers "$offers" --seed 1 --out "$work/round.json"
measure "\`jpclear validate round.json\`" "$jpclear" validate "$work/round.json"
measure "\`jpclear clear round.json --out result.json\`" "$jpclear" clear "$work/round.json" --out "$work/result.json"

file_row() {
  awk -v label="$1" -v b="$(stat -c %s "$2")" -v n="$orders" "$size_awk"'
    BEGIN {printf "| %s | %s (%.0f bytes) | %.0f |\n", label, size(b), b, b / n}'
}

echo "Orders: $orders ($bids bids, $offers offers; no blocks, no cap). Binary: \`$jpclear\`."
echo
echo "| command | max resident set | bytes per order | wall time | CPU time (user + sys) |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "| file | size | bytes per order |"
echo "|---|---:|---:|"
file_row "round.json (input)" "$work/round.json"
file_row "result.json (output)" "$work/result.json"
