#!/usr/bin/env python3
"""The whole path: `jpclear clear` on a generated JSON round, against its floors.

    bench/whole_path.py [--jpclear BIN] [--floor BIN] [--sizes 1e5,1e6,1e7]
                        [--repeat N] [--dir DIR] [--markdown] [--no-python] [--replace]

For each size (bids:offers about 10:1, no blocks, no cap, as the other
benchmarks) it generates the round once (kept in --dir, default a temporary
directory), then times, interleaved, N times each (default 3; 1 at 10^7):

- clear: the whole process `jpclear clear ROUND --out RESULT --verbose`, wall
  time and peak resident set (the kernel's high-water mark, from wait4), and
  the phases the command logs with --verbose ("read ... in X ms"). RESULT is
  removed before each run, so each run writes a new file; with --replace it
  is kept, and each run replaces the one before (on ext4 that adds the file
  system's work of freeing the old file and starting the new one's writeback:
  about 0.1 s at 10^6 and 2.5 s at 10^7 on the machine this was written on);
- floors, from `parse_floor` (bench/parse_floor.cpp, built with the benches
  when simdjson is found): reading the file into one buffer, and simdjson
  parsing it (every value visited); without it only a Python read is timed;
- Python's `json.load` of the same file, as a familiar reference (plain
  floats: the reference a reader of the page knows, not an exact reader).

It prints the medians as a Markdown table (--markdown) or as plain lines, with
nanoseconds per order (flat when the path is linear) and the peak memory per
order beyond the size of the input file (the issue's measure). Builds nothing:
say which build you measured.
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser(description="jpclear clear, whole process, against its floors")
parser.add_argument("--jpclear", default=os.path.join(here, "..", "build", "jpclear"))
parser.add_argument("--floor", default=None, help="parse_floor binary (default: look in build*/bench/)")
parser.add_argument("--sizes", default="1e5,1e6,1e7")
parser.add_argument("--repeat", type=int, default=3)
parser.add_argument("--dir", default=None, help="keep the generated rounds here (reused when present)")
parser.add_argument("--markdown", action="store_true")
parser.add_argument("--no-python", action="store_true", help="skip json.load (slow and memory-hungry at 10^7)")
parser.add_argument("--replace", action="store_true",
                    help="keep the result file between runs, so that each run replaces it (default: a new file)")
options = parser.parse_args()


def find_floor():
    if options.floor:
        return options.floor
    for build in ("build", "build-bench"):
        path = os.path.join(here, "..", build, "bench", "parse_floor")
        if os.access(path, os.X_OK):
            return path
    return None


def run_measured(cmd, stdout=subprocess.DEVNULL):
    """Wall seconds, peak RSS bytes and stderr of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"whole_path.py: {' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_maxrss * 1024, err


phase_line = re.compile(r"\[debug\] (.*?) in ([0-9.]+) ms")


def phases(stderr):
    out = {}
    for m in phase_line.finditer(stderr):
        label = re.sub(r"[0-9]+ ", "", m.group(1)).strip()  # "read 9 bids, 1 offers" -> "read bids, offers"
        label = label.split(" ")[0] if label.startswith("read") else label
        out[label] = out.get(label, 0.0) + float(m.group(2)) / 1000
    return out


def python_json_load(path):
    code = "import json,sys,time;t=time.perf_counter();json.load(open(sys.argv[1]));print(time.perf_counter()-t)"
    return float(subprocess.run([sys.executable, "-c", code, path], check=True, capture_output=True,
                                text=True).stdout)


def python_read(path):
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        f.read()
    return time.perf_counter() - t0


def generate(path, orders):
    bids = orders * 10 // 11
    subprocess.run([options.jpclear, "generate", "--bids", str(bids), "--offers", str(orders - bids), "--out", path],
                   check=True)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    floor = find_floor()
    sizes = [int(float(s)) for s in options.sizes.split(",")]
    tmp = tempfile.TemporaryDirectory()
    where = options.dir or tmp.name
    os.makedirs(where, exist_ok=True)
    rows = []
    for n in sizes:
        path = os.path.join(where, f"round-{n}.json")
        if not os.path.exists(path):
            generate(path, n)
        result = os.path.join(where, f"result-{n}.json")
        size = os.path.getsize(path)
        repeat = 1 if n >= 10**7 else options.repeat
        walls, peaks, reads, parses, loads, phase_runs = [], [], [], [], [], []
        for _ in range(repeat):
            if not options.replace and os.path.exists(result):
                os.remove(result)
            wall, peak, err = run_measured([options.jpclear, "clear", path, "--out", result, "--verbose"])
            walls.append(wall)
            peaks.append(peak)
            phase_runs.append(phases(err))
            if floor:
                got = json.loads(subprocess.run([floor, path], check=True, capture_output=True, text=True).stdout)
                reads.append(got["read_ms"] / 1000)
                parses.append(got["parse_ms"] / 1000)
            else:
                reads.append(python_read(path))
            if not options.no_python:
                loads.append(python_json_load(path))
        labels = list(phase_runs[0].keys())
        rows.append({
            "orders": n, "file_bytes": size, "wall": median(walls), "walls": walls, "peak": max(peaks),
            "phases": {k: median([p.get(k, 0.0) for p in phase_runs]) for k in labels},
            "read": median(reads), "parse": median(parses), "json_load": median(loads),
        })
        print(f"whole_path.py: {n} orders done", file=sys.stderr)
    report(rows, floor)


def exponent(n):
    e = len(str(n)) - 1
    return f"10^{e}" if n == 10**e else f"{n:,}"


def report(rows, floor):
    ms = lambda s: "-" if s != s else f"{s * 1000:,.1f} ms" if s < 0.01 else f"{s * 1000:,.0f} ms"
    if options.markdown:
        print("| orders | file | `jpclear clear`, wall | ns/order | peak memory beyond the file | "
              "read the file (floor) | simdjson parse (floor) | Python `json.load` | clear / (read + simdjson) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        n = r["orders"]
        per_order = r["wall"] / n * 1e9
        beyond = (r["peak"] - r["file_bytes"]) / n
        vs = r["wall"] / (r["read"] + r["parse"]) if r["parse"] == r["parse"] and r["parse"] > 0 else float("nan")
        ratio = f"{vs:.1f}x" if vs == vs else "-"
        if options.markdown:
            print(f"| {exponent(n)} | {r['file_bytes'] / 1e6:,.0f} MB | {ms(r['wall'])} | {per_order:,.0f} | "
                  f"{beyond:,.0f} B/order | {ms(r['read'])} | {ms(r['parse'])} | {ms(r['json_load'])} | "
                  f"{ratio} |")
        else:
            print(f"{exponent(n)} orders: wall {ms(r['wall'])} (runs: {', '.join(ms(w) for w in r['walls'])}), "
                  f"{per_order:,.0f} ns/order, peak {r['peak'] / 1e6:,.0f} MB = {beyond:,.0f} B/order beyond the "
                  f"{r['file_bytes'] / 1e6:,.0f} MB file; floors: read {ms(r['read'])}, simdjson {ms(r['parse'])}, "
                  f"json.load {ms(r['json_load'])}")
    print()
    if options.markdown:
        labels = []
        for r in rows:
            labels += [k for k in r["phases"] if k not in labels]
        print("| orders | " + " | ".join(labels) + " | rest of the process |")
        print("|---|" + "---:|" * (len(labels) + 1))
        for r in rows:
            total = r["wall"]
            cells = [f"{ms(r['phases'].get(k, 0.0))} ({r['phases'].get(k, 0.0) / total:.0%})" for k in labels]
            rest = total - sum(r["phases"].values())
            print(f"| {exponent(r['orders'])} | " + " | ".join(cells) + f" | {ms(rest)} ({rest / total:.0%}) |")
    else:
        for r in rows:
            print(f"{exponent(r['orders'])} phases: " + ", ".join(f"{k} {ms(v)}" for k, v in r["phases"].items()))
    if not floor:
        print("\n(no parse_floor binary: the read floor is Python's, and simdjson was not timed)")


main()
