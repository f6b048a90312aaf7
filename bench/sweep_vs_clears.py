#!/usr/bin/env python3
"""Wall time of `jpclear sweep` over 15 origin caps against 15 separate clears.

    bench/sweep_vs_clears.py [JPCLEAR] [--repeat N]   # JPCLEAR default build/jpclear

Generates a round of 20,000 orders (18,000 bids, 2,000 offers, --cap), moves
the Chilean and Chinese offers to Australia so that one origin holds about
82% of what clears and the 11 caps up to 0.8 bind, then times, N times each
(default 3), interleaved:

- sweep: `jpclear sweep ROUND --set rules.max_origin_share=0.3:1.0:0.05`
  (the base round and 15 variants) with --jobs = the cores, and with --jobs 1;
- clears: 15 `jpclear clear` runs in a row, one per cap, each on its own round
  file written beforehand (what a shell loop with jq does, without jq's time).

and prints the medians and the ratio sweep / (clears / cores): 1 means the
sweep is as fast as the 15 clears spread perfectly over the cores; below 1 it
gains from reading the round once. Builds nothing; say which build you ran.
"""
import argparse, json, os, statistics, subprocess, tempfile, time
from decimal import Decimal

parser = argparse.ArgumentParser(description="jpclear sweep against separate clears")
parser.add_argument("jpclear", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "build", "jpclear"))
parser.add_argument("--repeat", type=int, default=3)
options = parser.parse_args()
jpclear, repeat = options.jpclear, options.repeat
cores = os.cpu_count() or 1
caps = [Decimal("0.3") + Decimal("0.05") * i for i in range(15)]


def timed(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


with tempfile.TemporaryDirectory() as tmp:
    base = os.path.join(tmp, "round.json")
    doc = json.loads(subprocess.run([jpclear, "generate", "--bids", "18000", "--offers", "2000", "--cap"],
                                    check=True, capture_output=True, text=True).stdout)
    for o in doc["offers"]:
        if o["origin"] in ("CL", "CN"):
            o["origin"] = "AU"
    json.dump(doc, open(base, "w"))
    files = []
    for cap in caps:
        doc["rules"]["max_origin_share"] = str(cap)
        files.append(os.path.join(tmp, f"cap-{cap}.json"))
        json.dump(doc, open(files[-1], "w"))

    sweep_cmd = [jpclear, "sweep", base, "--set", "rules.max_origin_share=0.3:1.0:0.05", "--jobs", str(cores)]
    sweeps, singles, loops = [], [], []
    for _ in range(repeat):
        sweeps.append(timed(sweep_cmd))
        singles.append(timed(sweep_cmd[:-1] + ["1"]))
        loops.append(sum(timed([jpclear, "clear", f]) for f in files))
    sweep, single, loop = (statistics.median(x) for x in (sweeps, singles, loops))
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    print(f"cores                                {cores}")
    print(f"sweep, 15 caps + base, median        {sweep:.2f} s  (runs: {runs(sweeps)})")
    print(f"the same sweep with --jobs 1         {single:.2f} s  (runs: {runs(singles)})")
    print(f"15 clears in a row, median           {loop:.2f} s  (runs: {runs(loops)})")
    print(f"sweep / (15 clears / cores)          {sweep / (loop / cores):.2f}")
    print(f"sweep --jobs 1 / 15 clears in a row  {single / loop:.2f}")
