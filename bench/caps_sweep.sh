#!/bin/bash
# Issue 12's sweep through the CLI, for sizes the Google Benchmark suite does
# not hold (10^5 orders): lithium-refined rounds (CN 65 %), 1 % and 10 %
# blocks, caps 0.2 to 0.65; per round the status, the wall time of
# `jpclear clear` (reading and writing included), welfare, bound and the gap
# (bound - welfare) / welfare. The node limit is lifted: the targets are times.
#
#   bench/caps_sweep.sh JPCLEAR BIDS OFFERS [TIME_LIMIT_MS]   e.g.
#   bench/caps_sweep.sh build/jpclear 90000 10000 10000
set -euo pipefail
J=$1 B=$2 O=$3 TL=${4:-10000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for blocks in 10 100; do
  for cap in 0.2 0.3 0.4 0.5 0.65; do
    "$J" generate --bids "$B" --offers "$O" --blocks "$blocks" --scenario lithium-refined --cap "$cap" \
      --out "$dir/round.json"
    start=$(date +%s.%N)
    "$J" clear "$dir/round.json" --time-limit-ms "$TL" --node-limit 1000000000000 --out "$dir/result.json" 2>/dev/null
    end=$(date +%s.%N)
    python3 - "$((B + O))" "$blocks" "$cap" "$start" "$end" "$dir/result.json" <<'PY'
import json, sys
n, blocks, cap, start, end, path = sys.argv[1:]
r = json.load(open(path))
w = float(r.get("welfare", "0"))
bound = r.get("bound")
gap = (float(bound) - w) / w * 100 if bound and w > 0 else 0.0
print(f"{n} orders, blocks {int(blocks) / 10:.0f}%, cap {cap}: {r.get('optimality')} "
      f"{float(end) - float(start):.2f} s, welfare {w:.0f}, bound {bound}, gap {gap:.3f}%")
PY
  done
done
