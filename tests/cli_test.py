#!/usr/bin/env python3
"""End-to-end tests of the jpclear command line.

Usage: cli_test.py JPCLEAR EXAMPLE_DIR [SLOW_CREATE_LIBRARY]
SLOW_CREATE_LIBRARY (tests/support/slow_exclusive_create.cpp) is preloaded
under the signal tests to make their race certain; without it they still run.
Checks exit codes, stdout/stderr discipline, --out/--summary, validate,
generate -> clear, CSV inputs, and byte-identical output across runs and
input permutations. Ends with 'N passed, M failed'.
"""
import json, os, random, sys, tempfile

from e2e import check, finish, runner

JP, EXAMPLE = sys.argv[1], sys.argv[2]
SLOW_CREATE = sys.argv[3] if len(sys.argv) > 3 else None
ROUND = os.path.join(EXAMPLE, "round.json")
run = runner(JP)


with tempfile.TemporaryDirectory() as tmp:
    p = run("clear", ROUND)
    check("clear example exits 0 with JSON on stdout", p.returncode == 0 and json.loads(p.stdout)["status"] == "cleared",
          p.stderr[:300])
    check("clear is silent on stderr without --verbose", p.stderr == "", p.stderr[:300])
    again = run("clear", ROUND)
    check("same input gives the same bytes", again.stdout == p.stdout)

    out = os.path.join(tmp, "result.json")
    q = run("clear", ROUND, "--out", out, "--summary")
    with open(out) as f:
        written = f.read()
    check("--out writes the same document", q.returncode == 0 and written == p.stdout)
    check("--summary with --out prints the table on stdout", "clearing price" in q.stdout and "origins" in q.stdout,
          q.stdout[:300])
    # An output file is replaced whole or not at all (src/cli/output_file.h).
    # Under a file-size limit the result does not fit, the write fails and
    # the file already there stays as it was; then it is replaced, keeping
    # its permissions, and no temporary file is left behind.
    import resource, signal, stat, subprocess

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(written) // 2, len(written) // 2))

    kept = os.path.join(tmp, "kept.json")
    with open(kept, "w") as f:
        f.write('{"older": "result"}\n')
    os.chmod(kept, 0o640)
    limited = subprocess.run([JP, "clear", ROUND, "--out", kept], capture_output=True, text=True,
                             preexec_fn=small_files, timeout=600)
    with open(kept) as f:
        after_failure = f.read()
    leftovers = [n for n in os.listdir(tmp) if ".jpclear-" in n]
    check("a result that cannot be written whole leaves the older file as it was", limited.returncode == 1
          and after_failure == '{"older": "result"}\n' and "left as it was" in limited.stderr and not leftovers,
          limited.stderr[:300] + str(leftovers))
    replaced = run("clear", ROUND, "--out", kept)
    with open(kept) as f:
        after = f.read()
    check("--out replaces an older file whole, keeping its permissions", replaced.returncode == 0
          and after == written and stat.S_IMODE(os.stat(kept).st_mode) == 0o640
          and not [n for n in os.listdir(tmp) if ".jpclear-" in n], replaced.stderr[:300])
    linked = os.path.join(tmp, "linked.json")
    os.symlink(kept, linked)
    with open(kept, "w") as f:
        f.write("{}\n")
    via_link = run("clear", ROUND, "--out", linked)
    check("--out through a symbolic link writes the file it points to", via_link.returncode == 0
          and os.path.islink(linked) and open(kept).read() == written)

    s = run("clear", ROUND, "--summary")
    check("--summary without --out keeps stdout pure JSON", json.loads(s.stdout) == json.loads(p.stdout)
          and "clearing price" in s.stderr)
    v = run("clear", ROUND, "--verbose")
    check("--verbose logs timings on stderr", v.returncode == 0 and "cleared in" in v.stderr, v.stderr[:300])

    # A round large enough that the command's big blocks are mapped in huge
    # pages (src/cli/large_pages.cpp) clears to the same bytes as with malloc.
    big = os.path.join(tmp, "big.json")
    g = run("generate", "--bids", "60000", "--offers", "6000", "--blocks", "5", "--cap", "--out", big)
    mapped = run("clear", big)
    plain = run("clear", big, env={"JPCLEAR_LARGE_PAGES": "0"})
    check("large blocks in huge pages give the same bytes as malloc",
          g.returncode == 0 and mapped.returncode == 0 and len(mapped.stdout) > 4 << 20
          and mapped.stdout == plain.stdout, mapped.stderr[:300] + plain.stderr[:300])

    # A round file of 1 MiB or more is mapped, not copied (src/cli/mapped_file.h),
    # and parsed where it lies; standard input is read. Both give the same bytes,
    # also when the file ends exactly at a page boundary, where the reader's
    # padding is the page the command maps after it.
    with open(big) as f:
        big_text = f.read()
    from_stdin = run("clear", "-", input=big_text)
    check("a mapped round file clears as the same text on standard input",
          from_stdin.returncode == 0 and from_stdin.stdout == mapped.stdout, from_stdin.stderr[:300])
    paged = os.path.join(tmp, "paged.json")
    size = len(big_text.encode())
    with open(paged, "w") as f:
        f.write(big_text + " " * ((-size) % 65536))
    on_boundary = run("clear", paged)
    check("a mapped round file that ends on a page boundary reads as it should",
          os.path.getsize(paged) % 65536 == 0 and on_boundary.returncode == 0 and on_boundary.stdout == mapped.stdout,
          on_boundary.stderr[:300])

    over = run("clear", big, "--max-bytes", "1000000")
    check("a round file too large to map is refused before it is read, as a small one is",
          over.returncode == 2 and over.stdout == "" and
          over.stderr == f"jpclear: {big}: is larger than the reader's limit of 1000000 bytes\n", over.stderr[:300])

    # Permuting the orders changes nothing but the listing order.
    doc = json.load(open(ROUND))
    rnd = random.Random(7)
    rnd.shuffle(doc["bids"])
    rnd.shuffle(doc["offers"])
    perm = os.path.join(tmp, "perm.json")
    json.dump(doc, open(perm, "w"))
    r1, r2 = json.loads(p.stdout), json.loads(run("clear", perm).stdout)
    same = all(r1[k] == r2[k] for k in ("clearing_price", "price_interval", "cleared_lots", "welfare",
                                        "awards", "blocs", "origins"))
    same = same and {b["id"]: b for b in r1["bids"]} == {b["id"]: b for b in r2["bids"]}
    same = same and {o["id"]: o for o in r1["offers"]} == {o["id"]: o for o in r2["offers"]}
    check("result is invariant under permuting the input", same)

    # Bad input: exit 2, every problem on stderr, nothing on stdout.
    bad = json.load(open(ROUND))
    bad["bids"][0]["lots"] = 0
    bad["bids"][1]["limit"] = "12,5"
    bad["offers"][0]["origin"] = "Australia"
    bad["offers"][1]["askk"] = "1"
    badp = os.path.join(tmp, "bad.json")
    json.dump(bad, open(badp, "w"))
    b = run("clear", badp)
    want = ["bids[0].lots", "bids[1].limit", "offers[0].origin", "offers[1].askk"]
    check("bad round: exit 2, nothing on stdout, every problem named",
          b.returncode == 2 and b.stdout == "" and all(w in b.stderr for w in want), b.stderr[:500])
    vb = run("validate", badp)
    check("validate reports the same problems", vb.returncode == 2 and all(w in vb.stderr for w in want))
    vg = run("validate", ROUND)
    check("validate accepts the example", vg.returncode == 0 and "valid" in vg.stdout)
    m = run("clear", os.path.join(tmp, "missing.json"))
    check("missing file is bad input", m.returncode == 2 and m.stdout == "" and "missing.json" in m.stderr)
    u = run("clear", ROUND, "--no-such-flag")
    check("unknown flag is a usage error", u.returncode == 2 and u.stdout == "")
    n = run("clear", ROUND, "--node-limit", "0")
    check("option out of range names the option", n.returncode == 2 and "node_limit" in n.stderr, n.stderr[:200])

    # CSV lists replace the JSON ones.
    bids_csv = os.path.join(tmp, "bids.csv")
    offers_csv = os.path.join(tmp, "offers.csv")
    with open(bids_csv, "w") as f:
        f.write("limit,id,buyer,bloc,lots,currency\n")
        for b in doc["bids"]:
            f.write(f'{b["limit"]},"{b["id"]}",{json.dumps(b["buyer"])},{b["bloc"]},{b["lots"]},{b.get("currency", "")}\n')
    with open(offers_csv, "w") as f:
        f.write("id,supplier,origin,lots,ask,certified\n")
        for o in doc["offers"]:
            f.write(f'{o["id"]},"{o["supplier"]}",{o["origin"]},{o["lots"]},{o["ask"]},{str(o["certified"]).lower()}\n')
    shell = dict(json.load(open(ROUND)))
    shell.pop("bids")
    shell.pop("offers")
    shellp = os.path.join(tmp, "shell.json")
    json.dump(shell, open(shellp, "w"))
    c = run("clear", shellp, "--bids", bids_csv, "--offers", offers_csv)
    rc = json.loads(c.stdout) if c.returncode == 0 else {}
    check("CSV bids and offers clear like the JSON lists",
          c.returncode == 0 and rc.get("welfare") == r1["welfare"] and rc.get("clearing_price") == r1["clearing_price"],
          c.stderr[:300])
    both = run("clear", ROUND, "--bids", bids_csv)
    check("lists given twice is bad input", both.returncode == 2 and "bids" in both.stderr)

    # Resource limits: a clear problem naming the limit, nothing on stdout.
    n_orders = len(doc["bids"]) + len(doc["offers"])
    mb = run("clear", ROUND, "--max-bytes", "100")
    check("--max-bytes refuses a larger file", mb.returncode == 2 and mb.stdout == ""
          and "limit of 100 bytes" in mb.stderr, mb.stderr[:300])
    mo = run("clear", ROUND, "--max-orders", str(n_orders - 1))
    check("--max-orders refuses a round with more orders", mo.returncode == 2 and mo.stdout == ""
          and f"more than {n_orders - 1}" in mo.stderr, mo.stderr[:300])
    ok_at = run("clear", ROUND, "--max-orders", str(n_orders), "--max-bytes", str(os.path.getsize(ROUND)))
    check("limits equal to the round's size accept it", ok_at.returncode == 0 and ok_at.stdout == p.stdout,
          ok_at.stderr[:300])
    split = run("validate", shellp, "--bids", bids_csv, "--offers", offers_csv, "--max-orders", str(n_orders - 1))
    check("--max-orders counts CSV bids and offers together", split.returncode == 2
          and f"holds {n_orders} orders, more than the limit of {n_orders - 1}" in split.stderr, split.stderr[:300])
    zero = run("clear", ROUND, "--max-orders", "0")
    check("a zero limit is a usage error", zero.returncode == 2 and "--max-orders" in zero.stderr, zero.stderr[:300])
    empty = os.path.join(tmp, "empty.json")
    open(empty, "w").close()
    e = run("clear", empty)
    check("an empty file is bad input with a problem", e.returncode == 2 and e.stdout == "" and e.stderr != "",
          e.stderr[:300])

    # generate -> clear, deterministic.
    g1 = run("generate", "--bids", "2000", "--offers", "200", "--seed", "5")
    g2 = run("generate", "--bids", "2000", "--offers", "200", "--seed", "5")
    check("generate is deterministic", g1.returncode == 0 and g1.stdout == g2.stdout and len(g1.stdout) > 1000)
    gen = os.path.join(tmp, "gen.json")
    open(gen, "w").write(g1.stdout)
    gc = run("clear", gen)
    check("a generated round clears with trade", gc.returncode == 0 and json.loads(gc.stdout)["cleared_lots"] > 0,
          gc.stderr[:300])

    # Delivery places (spec 10): routes from a CSV file clear like the JSON ones.
    gp = run("generate", "--bids", "300", "--offers", "40", "--places", "--seed", "4")
    placed = json.loads(gp.stdout) if gp.returncode == 0 else {}
    check("generate --places writes logistics, delivery and port", "logistics" in placed
          and all("delivery" in b for b in placed.get("bids", [])) and all("port" in o for o in placed.get("offers", [])),
          gp.stderr[:300])
    placedp = os.path.join(tmp, "placed.json")
    open(placedp, "w").write(gp.stdout)
    routes_csv = os.path.join(tmp, "routes.csv")
    with open(routes_csv, "w") as f:
        f.write("to,from,freight,capacity_lots,currency\n")
        for r in placed.get("logistics", {}).get("routes", []):
            f.write(f'{r["to"]},{r["from"]},{r["freight"]},{r.get("capacity_lots", "")},{r.get("currency", "")}\n')
    no_routes = dict(placed)
    no_routes.pop("logistics", None)
    no_routesp = os.path.join(tmp, "no-routes.json")
    json.dump(no_routes, open(no_routesp, "w"))
    cj = run("clear", placedp, "--summary")
    cr = run("clear", no_routesp, "--routes", routes_csv)
    check("--routes clears like logistics.routes in the document", cj.returncode == 0 and cr.stdout == cj.stdout
          and "places" in json.loads(cj.stdout) and "routes" in json.loads(cj.stdout), cr.stderr[:300])
    check("--summary of a round with places shows places and routes", "\nplaces\n" in cj.stderr
          and "\nroutes\n" in cj.stderr and " -> " in cj.stderr, cj.stderr[:300])
    vr = run("validate", no_routesp, "--routes", routes_csv)
    check("validate takes --routes", vr.returncode == 0 and vr.stdout.startswith("valid:"), vr.stderr[:300])
    twice = run("validate", placedp, "--routes", routes_csv)
    check("routes given twice is bad input", twice.returncode == 2 and twice.stdout == ""
          and "logistics.routes: is given both here and in a CSV file" in twice.stderr, twice.stderr[:300])
    with open(routes_csv, "a") as f:
        f.write("AU-PHE,JP-YOK,1e2,,\n")
    bad_routes = run("clear", no_routesp, "--routes", routes_csv)
    check("a bad routes file names the route and the line", bad_routes.returncode == 2 and bad_routes.stdout == ""
          and ".freight (" + routes_csv + " line " in bad_routes.stderr, bad_routes.stderr[:300])
    for cmd in ("clear", "validate", "generate", "sweep"):
        h = run(cmd, "--help")
        check(f"{cmd} --help prints its usage on stdout", h.returncode == 0 and h.stdout.startswith("usage:")
              and f"jpclear {cmd}" in h.stdout and "examples:" in h.stdout and h.stderr == "", h.stderr[:300])

    # Origin mixes and caps for what-if studies.
    def gen_json(*extra):
        g = run("generate", "--bids", "300", "--offers", "200", "--seed", "3", *extra)
        return json.loads(g.stdout) if g.returncode == 0 else None, g
    plain, _ = gen_json()
    for form in (("--cap", "0.4"), ("--cap=0.4",)):
        capped, g = gen_json(*form)
        check(f"generate {' '.join(form)} sets the cap", capped is not None
              and capped["rules"].get("max_origin_share") == "0.4", g.stderr[:300])
    default_cap, g = gen_json("--cap", "--blocks", "0")
    check("generate --cap alone is 0.65", default_cap is not None
          and default_cap["rules"].get("max_origin_share") == "0.65", g.stderr[:300])
    refined, g = gen_json("--scenario", "lithium-refined")
    cn = sum(o["origin"] == "CN" for o in refined["offers"]) if refined else 0
    check("--scenario lithium-refined makes China dominant", refined is not None and cn > 110
          and [o["ask"] for o in refined["offers"]] == [o["ask"] for o in plain["offers"]], g.stderr[:300])
    mixed, g = gen_json("--origin-weights", "CN=62,AU=20,XK=18")
    check("--origin-weights sets the mix", mixed is not None
          and {o["origin"] for o in mixed["offers"]} == {"CN", "AU", "XK"}, g.stderr[:300])
    for bad, says in ((("--origin-weights", "CN=62,AU"), "is not CODE=WEIGHT"),
                      (("--origin-weights", "cn=5"), "two upper-case letters"),
                      (("--scenario", "moon"), "unknown scenario"),
                      (("--cap", "1.5"), "not a share in (0, 1]"),
                      (("--scenario", "two-giants", "--origin-weights", "CN=1"), "give one")):
        _, g = gen_json(*bad)
        check(f"generate {' '.join(bad)} is a usage error", g.returncode == 2 and g.stdout == "" and says in g.stderr,
              g.stderr[:300])
    gh = run("generate", "--help")
    check("generate --help lists the scenarios and examples", "lithium-refined" in gh.stdout
          and "examples:" in gh.stdout)

    # Reports a person reads: orders in the summary, CSV tables for a spreadsheet.
    so = run("clear", ROUND, "--out", os.path.join(tmp, "r.json"), "--summary=orders", "--summary-rows", "2")
    check("--summary=orders lists orders with reasons", so.returncode == 0 and "\nbids\n" in so.stdout
          and "\noffers\n" in so.stdout and "reason" in so.stdout and " more (--summary-rows 0" in so.stdout,
          so.stderr[:300])
    res = json.load(open(os.path.join(tmp, "r.json")))
    loser = next(b for b in res["bids"] if b["status"] != "filled")
    sm = run("clear", ROUND, "--out", os.path.join(tmp, "r.json"), "--summary=orders", "--summary-match", loser["id"])
    check("--summary-match finds one bid and says why it lost", sm.returncode == 0 and loser["reason"] in sm.stdout
          and sm.stdout.count("\n  " + loser["id"] + " ") == 1, sm.stdout[-600:])
    csv_dir = os.path.join(tmp, "tables", "q1")
    co = run("clear", ROUND, "--out", os.path.join(tmp, "r.json"), "--csv-out", csv_dir)
    names = sorted(os.listdir(csv_dir)) if os.path.isdir(csv_dir) else []
    check("--csv-out writes the tables into a new folder", co.returncode == 0
          and names == ["awards.csv", "bids.csv", "blocs.csv", "offers.csv", "origins.csv"], str(names) + co.stderr[:300])
    if names:
        import csv as csvmod
        awards = list(csvmod.DictReader(open(os.path.join(csv_dir, "awards.csv"), newline="")))
        want = [(a["bid"], a["offer"], str(a["lots"]), a["price"]) for a in res["awards"]]
        got = [(a["bid"], a["offer"], a["lots"], a["price"]) for a in awards]
        check("awards.csv is the JSON's awards, with buyer, bloc, supplier and origin", got == want
              and all(a["buyer"] and a["bloc"] and a["supplier"] and a["origin"] for a in awards), str(got[:2]))
        eu = run("clear", ROUND, "--out", os.path.join(tmp, "r.json"), "--csv-out", csv_dir, "--csv-style", "excel-eu")
        blocs_eu = open(os.path.join(csv_dir, "blocs.csv"), newline="").read()
        check("--csv-style excel-eu writes ';' and decimal commas", eu.returncode == 0
              and blocs_eu.startswith("bloc;bids;") and ",00;" in blocs_eu, blocs_eu[:200])
    for bad in (("--summary=everything",), ("--csv-style", "tabs"), ("--write-threads", "0"),
                ("--write-threads", "65")):
        b = run("clear", ROUND, *bad)
        check(f"clear {' '.join(bad)} is a usage error", b.returncode == 2 and b.stdout == "", b.stderr[:200])
    ch = run("clear", "--help")
    check("clear --help shows examples", "examples:" in ch.stdout and "--csv-out" in ch.stdout)

    # A round of a million orders clears end to end (issue: it must finish).
    big = os.path.join(tmp, "million.json")
    gm = run("generate", "--bids", "909091", "--offers", "90909", "--seed", "11", "--out", big)
    bm = run("clear", big, "--out", os.path.join(tmp, "million-result.json"))
    with open(os.path.join(tmp, "million-result.json")) as f:
        head = f.read(400)
    check("a generated round of 10^6 orders clears", gm.returncode == 0 and bm.returncode == 0
          and '"status": "cleared"' in head, bm.stderr[:300])
    # Its lines made by one thread and by three: the same bytes.
    with open(os.path.join(tmp, "million-result.json"), "rb") as f:
        default_bytes = f.read()
    for threads in ("1", "3"):
        wt = run("clear", big, "--out", os.path.join(tmp, "million-" + threads + ".json"), "--write-threads", threads)
        with open(os.path.join(tmp, "million-" + threads + ".json"), "rb") as f:
            same = f.read() == default_bytes
        check(f"--write-threads {threads} writes the same bytes", wt.returncode == 0 and same, wt.stderr[:300])
    # Stopped by SIGTERM (or Ctrl-C) while it writes, the command removes its
    # temporary file and ends by the signal: the target never appears. The
    # process is frozen (SIGSTOP) as soon as its temporary file shows, so the
    # signal lands mid-write; an attempt where the write won the race is run again.
    # With SLOW_CREATE preloaded, the call that makes the file returns 200 ms
    # after the file exists, so the freeze lands there every time: the moment
    # a signal would find a file its handler cannot name, if there were one.
    import time
    signal_env = dict(os.environ)

    def signals_as_at_a_terminal():
        # A harness that runs the tests as a background job ignores SIGINT,
        # and ignored signals stay ignored across exec (the command keeps them so).
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_DFL)

    if SLOW_CREATE:
        signal_env["LD_PRELOAD"] = os.path.abspath(SLOW_CREATE)
        # The sanitizer build's runtime must otherwise come first.
        signal_env["ASAN_OPTIONS"] = (signal_env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    interrupted = os.path.join(tmp, "interrupted.json")

    def temporaries():
        return [n for n in os.listdir(tmp) if n.startswith(".interrupted.json.jpclear-")]

    for signal_sent in (signal.SIGTERM, signal.SIGINT):
        outcome = None
        for attempt in range(10):
            proc = subprocess.Popen([JP, "clear", big, "--out", interrupted], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, env=signal_env, preexec_fn=signals_as_at_a_terminal)
            while proc.poll() is None and not temporaries():
                time.sleep(0.0005)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGSTOP)
            if proc.poll() is not None or not temporaries():
                if proc.poll() is None:
                    os.kill(proc.pid, signal.SIGCONT)
                proc.wait()
                if os.path.exists(interrupted):
                    os.remove(interrupted)
                continue
            os.kill(proc.pid, signal_sent)
            os.kill(proc.pid, signal.SIGCONT)
            outcome = proc.wait()
            break
        check(f"{signal.Signals(signal_sent).name} while writing leaves no temporary file and no result",
              outcome == -signal_sent and not temporaries() and not os.path.exists(interrupted),
              f"attempts {attempt + 1}, status {outcome}, left {temporaries()}")

    # A round with blocks and a cap clears exactly (proven) through the CLI.
    gb = run("generate", "--bids", "9091", "--offers", "909", "--blocks", "50", "--cap", "--seed", "2")
    blk = os.path.join(tmp, "blocks.json")
    open(blk, "w").write(gb.stdout)
    cb = run("clear", blk)
    rb = json.loads(cb.stdout) if cb.returncode == 0 else {}
    check("blocks and a cap clear to proven optimality", rb.get("optimality") == "proven"
          and rb.get("cleared_lots", 0) > 0 and all("cap" in o for o in rb.get("origins", {}).values()),
          cb.stderr[:300])
    # The round above is proven within one node now (the cap-aware bound
    # proves its first incumbent); a cap of 0.2 on the lithium-refined mix
    # with 10% blocks still needs a search, so one node stops it.
    gl = run("generate", "--bids", "9000", "--offers", "1000", "--blocks", "100", "--scenario", "lithium-refined",
             "--cap", "0.2")
    hard = os.path.join(tmp, "hard.json")
    open(hard, "w").write(gl.stdout)
    lim = run("clear", hard, "--node-limit", "1")
    rl = json.loads(lim.stdout) if lim.returncode == 0 else {}
    check("a node limit gives optimality limit with a bound",
          rl.get("optimality") == "limit" and "bound" in rl, lim.stderr[:300])

finish()
