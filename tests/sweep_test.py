#!/usr/bin/env python3
"""End-to-end tests of `jpclear sweep`.

Usage: sweep_test.py JPCLEAR EXAMPLES_DIR
Every CSV row is checked against a separate `jpclear clear` of the same
variant (the round JSON changed here, in Python), on a round where the origin
cap binds so that the rows differ; then byte-identical output across runs and
thread counts, the progress bar's place, the plot, and the errors. Ends with
'N passed, M failed'.
"""
import csv, io, itertools, json, os, sys, tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal

from e2e import check, finish, runner

JP, EXAMPLES = sys.argv[1], sys.argv[2]
run = runner(JP)


def capped_round():
    """AU is cheapest and could sell most of what is bought, so every cap
    below about 0.6 moves lots to dearer origins; JP bids in JPY."""
    bids = [("eu-1", "EU", 20, "15200", None), ("eu-2", "EU", 12, "14700", None), ("eu-3", "EU", 8, "14150", None),
            ("jp-1", "JP", 15, "2450000", "JPY"), ("jp-2", "JP", 10, "2350000", "JPY"),
            ("jp-3", "JP", 6, "2300000", "JPY")]
    offers = [("au-1", "AU", 25, "13300", True), ("au-2", "AU", 15, "13600", True), ("cl-1", "CL", 10, "13900", True),
              ("cn-1", "CN", 12, "14000", False), ("ar-1", "AR", 8, "14100", True), ("ca-1", "CA", 6, "14300", True)]
    return {
        "format": "jpclear.round/1", "round": "sweep-test", "currency": "EUR",
        "material": {"code": "LI2CO3", "lot_tonnes": "20"}, "fx": {"JPY": "0.0061"},
        "rules": {"pricing": {"rule": "uniform", "k": "0.5"}, "tick": "0.01", "max_origin_share": "0.65"},
        "bids": [dict({"id": i, "buyer": i.upper(), "bloc": b, "lots": n, "limit": p}, **({"currency": c} if c else {}))
                 for i, b, n, p, c in bids],
        "offers": [{"id": i, "supplier": i.upper(), "origin": o, "lots": n, "ask": a, "certified": cert}
                   for i, o, n, a, cert in offers],
    }


def variant(base, values):
    """The base round with each swept field set to the value its CSV cell shows."""
    doc = json.loads(json.dumps(base))
    rules = doc.setdefault("rules", {})
    for name, value in values.items():
        if name == "rules.max_origin_share":
            if value == "none":
                rules.pop("max_origin_share", None)
            else:
                rules["max_origin_share"] = value
        elif name == "rules.pricing.k":
            rules.setdefault("pricing", {})["k"] = value
        elif name == "rules.pricing.rule":
            rules.setdefault("pricing", {})["rule"] = value
        elif name == "rules.require_certified":
            rules["require_certified"] = value == "true"
        elif name == "rules.excluded_origins":
            rules["excluded_origins"] = [] if value == "none" else value.split("+")
        elif name.startswith("fx."):
            doc.setdefault("fx", {})[name[3:]] = value
        elif name == "logistics.freight_scale":
            for r in doc["logistics"]["routes"]:
                r["freight"] = str(Decimal(str(r["freight"])) * Decimal(value))
        else:
            raise ValueError(name)
    return doc


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def compare_with_clears(tmp, label, base, sets, extra=()):
    """Sweeps `base` over `sets` and clears every row's variant on its own."""
    path = os.path.join(tmp, label + ".json")
    json.dump(base, open(path, "w"))
    p = run("sweep", path, *[a for s in sets for a in ("--set", s)], *extra)
    if p.returncode != 0:
        check(f"{label}: sweep runs", False, p.stderr[:400])
        return None
    rows = rows_of(p.stdout)
    names = [s.split("=")[0] for s in sets]
    blocs = sorted({b["bloc"] for b in base["bids"]})
    origins = sorted({o["origin"] for o in base["offers"]})
    want_cols = (["variant"] + names + ["status", "optimality", "clearing_price", "cleared_lots", "cleared_tonnes",
                 "welfare", "buyer_surplus", "supplier_surplus"] + (["freight_cost"] if "logistics" in base else [])
                 + [f"buyer_surplus.{b}" for b in blocs] + [f"share.{o}" for o in origins]
                 + ["welfare_change", "buyer_surplus_change", "supplier_surplus_change"]
                 + [f"buyer_surplus_change.{b}" for b in blocs] + ["problem"])
    check(f"{label}: the columns are the documented ones", list(rows[0].keys()) == want_cols,
          f"{list(rows[0].keys())} != {want_cols}")
    check(f"{label}: a row for the base and each variant, numbered in order",
          [r["variant"] for r in rows] == ["base"] + [str(i) for i in range(1, len(rows))])
    mismatches = []
    base_result = None
    for row in rows:
        doc = variant(base, {n: row[n] for n in names})
        vp = os.path.join(tmp, f"{label}-{row['variant']}.json")
        json.dump(doc, open(vp, "w"))
        c = run("clear", vp)
        if row["status"] == "invalid":
            problems = row["problem"].split("; ")
            if c.returncode != 2 or not row["problem"] or any(q not in c.stderr for q in problems):
                mismatches.append((row["variant"], "invalid", row["problem"], c.stderr[:200]))
            continue
        if c.returncode != 0:
            mismatches.append((row["variant"], "clear failed", c.stderr[:200]))
            continue
        r = json.loads(c.stdout)
        if row["variant"] == "base":
            base_result = r
        want = {"status": r["status"], "optimality": r["optimality"], "clearing_price": r["clearing_price"] or "",
                "cleared_lots": str(r["cleared_lots"]), "cleared_tonnes": r["cleared_tonnes"],
                "welfare": r["welfare"], "buyer_surplus": r["buyer_surplus"],
                "supplier_surplus": r["supplier_surplus"], "problem": ""}
        if "logistics" in base:
            want["freight_cost"] = r["freight_cost"]
        digits = len(r["welfare"].split(".")[1]) if "." in r["welfare"] else 0
        fmt = lambda d: f"{d:.{digits}f}"
        for b in blocs:
            want[f"buyer_surplus.{b}"] = r["blocs"][b]["buyer_surplus"]
        for o in origins:
            want[f"share.{o}"] = r["origins"].get(o, {}).get("share", "0.000000")
        if base_result is not None:
            want["welfare_change"] = fmt(Decimal(r["welfare"]) - Decimal(base_result["welfare"]))
            want["buyer_surplus_change"] = fmt(Decimal(r["buyer_surplus"]) - Decimal(base_result["buyer_surplus"]))
            want["supplier_surplus_change"] = fmt(Decimal(r["supplier_surplus"]) -
                                                  Decimal(base_result["supplier_surplus"]))
            for b in blocs:
                want[f"buyer_surplus_change.{b}"] = fmt(Decimal(r["blocs"][b]["buyer_surplus"]) -
                                                        Decimal(base_result["blocs"][b]["buyer_surplus"]))
        diff = {k: (row[k], v) for k, v in want.items() if row[k] != v}
        if diff:
            mismatches.append((row["variant"], diff))
    check(f"{label}: every row matches a separate clear of its variant", not mismatches, str(mismatches[:3]))
    return p.stdout, rows


with tempfile.TemporaryDirectory() as tmp:
    base = capped_round()
    sets = ["rules.max_origin_share=none,0.3:1.0:0.1,0", "rules.pricing.rule=uniform,pay-as-bid"]
    out = compare_with_clears(tmp, "cap", base, sets)
    if out:
        text, rows = out
        caps = ["none"] + [str(Decimal("0.3") + Decimal("0.1") * i).rstrip("0").rstrip(".") for i in range(8)] + ["0"]
        grid = [list(v) for v in itertools.product(caps, ["uniform", "pay-as-bid"])]
        check("cap: the grid is the product, first --set slowest",
              [[r["rules.max_origin_share"], r["rules.pricing.rule"]] for r in rows[1:]] == grid,
              str([[r["rules.max_origin_share"], r["rules.pricing.rule"]] for r in rows[1:4]]))
        uniform = [r for r in rows[1:] if r["rules.pricing.rule"] == "uniform" and r["status"] == "cleared"]
        check("cap: the cap binds, so welfare differs along the curve", len({r["welfare"] for r in uniform}) >= 4,
              str([r["welfare"] for r in uniform]))
        check("cap: a cap of 0 is an invalid row naming the problem",
              all(r["status"] == "invalid" and "must be greater than 0" in r["problem"]
                  for r in rows if r["rules.max_origin_share"] == "0"))
        check("cap: tighter caps cost welfare (change <= 0 against no cap)",
              all(Decimal(r["welfare"]) <= Decimal(uniform[0]["welfare"]) for r in uniform))

        path = os.path.join(tmp, "cap.json")
        setargs = [a for s in sets for a in ("--set", s)]
        again = run("sweep", path, *setargs)
        check("the same sweep gives the same bytes", again.stdout == text)
        one = run("sweep", path, *setargs, "--jobs", "1")
        two = run("sweep", path, *setargs, "--jobs", "2")
        check("--jobs 1 and --jobs 2 give the same bytes", one.stdout == text and two.stdout == text)
        outp = os.path.join(tmp, "sweep.csv")
        f = run("sweep", path, *setargs, "--out", outp)
        check("--out writes the same CSV and nothing on stdout",
              f.returncode == 0 and f.stdout == "" and open(outp, newline="").read() == text)
        pr = run("sweep", path, *setargs, "--progress")
        check("--progress goes to stderr only", pr.stdout == text and "21/21 variants" in pr.stderr, pr.stderr[-200:])
        check("without --progress stderr stays quiet when it is not a terminal", one.stderr == "", one.stderr[:200])

        plots = []
        for jobs in ("1", "2"):
            svg = os.path.join(tmp, f"plot-{jobs}.svg")
            pl = run("sweep", path, *setargs, "--jobs", jobs, "--plot", svg)
            plots.append((pl, open(svg, "rb").read() if os.path.exists(svg) else b""))
        (pl, svg_bytes), (_, svg_again) = plots
        try:
            root = ET.fromstring(svg_bytes)
        except ET.ParseError as e:
            root = None
            print(e)
        texts = "".join(root.itertext()) if root is not None else ""
        check("--plot writes a well-formed SVG with welfare and price against the cap",
              pl.returncode == 0 and root is not None and root.tag == "{http://www.w3.org/2000/svg}svg"
              and "Welfare against rules.max_origin_share" in texts and "Clearing price against" in texts
              and "rules.pricing.rule pay-as-bid" in texts, pl.stderr[:300])
        check("--plot leaves the CSV on stdout, and the picture has the same bytes for any --jobs",
              pl.stdout == text and svg_bytes == svg_again)

    compare_with_clears(tmp, "rules", base, ["rules.excluded_origins=none,+CN,+CN+AU,-CN", "rules.require_certified=false,true",
                                             "rules.pricing.k=0:1:0.5"])
    compare_with_clears(tmp, "fx", base, ["fx.JPY=0.0058:0.0066:0.0002", "rules.max_origin_share=none,0.45"])
    delivered = json.load(open(os.path.join(EXAMPLES, "eu-japan-delivered", "round.json")))
    delivered.setdefault("rules", {})["max_origin_share"] = "0.45"
    compare_with_clears(tmp, "freight", delivered, ["logistics.freight_scale=0:3:0.5"])

    # What is not a sweep is refused before anything is cleared.
    path = os.path.join(tmp, "cap.json")
    bad = run("sweep", path, "--set", "rules.max_origin_share=0.3:1.0")
    check("a malformed --set is a usage error naming the accepted forms",
          bad.returncode == 2 and bad.stdout == "" and "FROM:TO:STEP" in bad.stderr and "usage:" in bad.stderr,
          bad.stderr[:300])
    unknown = run("sweep", path, "--set", "rules.tick=0.1")
    check("an unknown setting lists the settings", unknown.returncode == 2 and "rules.pricing.k" in unknown.stderr)
    none = run("sweep", path)
    check("sweep without --set is a usage error", none.returncode == 2 and "--set" in none.stderr, none.stderr[:200])
    twice = run("sweep", path, "--set", "rules.pricing.k=0", "--set", "rules.pricing.k=1")
    check("a setting given twice is refused", twice.returncode == 2 and "set twice" in twice.stderr)
    nolog = run("sweep", path, "--set", "logistics.freight_scale=2")
    check("a freight scale for a round without routes is refused",
          nolog.returncode == 2 and "no logistics.routes" in nolog.stderr, nolog.stderr[:200])
    badbase = dict(base, rules=dict(base["rules"], max_origin_share="0"))
    bp = os.path.join(tmp, "badbase.json")
    json.dump(badbase, open(bp, "w"))
    bb = run("sweep", bp, "--set", "rules.max_origin_share=0.5")
    check("an invalid base round is bad input", bb.returncode == 2 and bb.stdout == ""
          and "rules.max_origin_share: 0 must be greater than 0" in bb.stderr, bb.stderr[:200])
    jobs0 = run("sweep", path, "--set", "rules.pricing.k=0", "--jobs", "0")
    check("--jobs 0 is a usage error", jobs0.returncode == 2 and "--jobs" in jobs0.stderr)
    h = run("sweep", "--help")
    check("sweep --help prints usage, settings and examples", h.returncode == 0 and h.stdout.startswith("usage:")
          and "rules.excluded_origins" in h.stdout and "examples:" in h.stdout)

finish()
