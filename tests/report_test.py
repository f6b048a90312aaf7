#!/usr/bin/env python3
"""End-to-end test of `jpclear clear --report`, rendered in a real browser.

Usage: report_test.py JPCLEAR EXAMPLES_DIR [--screenshot OUT.png] [--chromium PATH]

For the lithium example, the delivered (places) example and a generated round
with an origin cap: the page is written, every inline <svg> is well-formed XML
with the expected pictures, nothing refers outside the page (no http(s) src or
href, no script, no stylesheet link), the same input gives the same bytes, and
a big generated round gets capped tables. Then headless Chromium renders the
lithium page to a PNG, which must have the window's size and be a real
picture, not a blank page. Without Chromium the test fails (CI installs it; see
scripts/run.sh). Ends with 'N passed, M failed'.
"""
import argparse, os, re, shutil, struct, subprocess, sys, tempfile, zlib
from e2e import check, finish
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"
WIDTH, HEIGHT = 1200, 1800

parser = argparse.ArgumentParser()
parser.add_argument("jpclear")
parser.add_argument("examples")
parser.add_argument("--screenshot", help="keep the lithium page's screenshot here")
parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
args = parser.parse_args()




def run(*argv):
    return subprocess.run([args.jpclear, *argv], capture_output=True, text=True, timeout=600)


def read_png(path):
    """(width, height, rows of RGB(A) tuples) of a PNG, decoded with zlib and the five PNG filters."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    channels = {2: 3, 6: 4, 0: 1, 4: 2}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def svgs_of(page):
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


def external_references(page):
    """What in the page would load something from elsewhere."""
    found = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//|file:|data:)""", page, flags=re.I)
    found += re.findall(r"<script\b", page, flags=re.I)
    found += re.findall(r"<link\b", page, flags=re.I)
    found += re.findall(r"@import|url\(", page, flags=re.I)
    return found


def texts(svg_root):
    return ["".join(t.itertext()) for t in svg_root.iter(SVG_NS + "text")]


def write_report(name, round_path, extra=()):
    out = os.path.join(tmp, name + ".html")
    p = run("clear", round_path, "--out", os.path.join(tmp, name + ".json"), "--report", out, *extra)
    check(f"{name}: clear --report exits 0", p.returncode == 0, p.stderr[:300])
    return open(out, encoding="utf-8").read() if os.path.exists(out) else ""


def check_page(name, page):
    """The checks every page must pass; returns the parsed SVG roots."""
    check(f"{name}: an HTML5 page", page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"))
    roots = []
    for i, text in enumerate(svgs_of(page)):
        try:
            roots.append(ET.fromstring(text))
        except ET.ParseError as e:
            check(f"{name}: svg {i} is well-formed XML", False, str(e))
    check(f"{name}: three inline SVG pictures, all well-formed", len(roots) == 3, f"{len(roots)} parsed")
    check(f"{name}: nothing refers outside the page", external_references(page) == [],
          str(external_references(page)[:5]))
    return roots


with tempfile.TemporaryDirectory() as tmp:
    lithium = os.path.join(args.examples, "eu-japan-lithium", "round.json")
    page = write_report("lithium", lithium)
    roots = check_page("lithium", page)
    if len(roots) == 3:
        curves, blocs, origins = roots
        legend = texts(curves)
        check("lithium: demand per bloc and pooled, supply by origin",
              all(t in legend for t in ("demand EU", "demand JP", "demand, pooled", "supply, pooled",
                                        "supply from AU", "supply from CL")), str(legend[:20]))
        check("lithium: ineligible offers are not supply (the uncertified ZW offer)",
              "supply from ZW" not in legend and "supply from AR" in legend, str(legend[:20]))
        check("lithium: clearing price and volume marked",
              "price 14050.00 EUR/t" in legend and "66 lots cleared (1320 t)" in legend, str(legend))
        paths = [p for p in curves.iter(SVG_NS + "path")]
        check("lithium: one path a curve", len(paths) >= 9, str(len(paths)))
        bloc_text = texts(blocs)
        check("lithium: bloc bars with exact labels",
              all(t in bloc_text for t in ("43", "36", "37", "30", "10116000.00", "352000.00")), str(bloc_text))
        check("lithium: origin shares without a cap line (no cap in the round)",
              "42.4242 % (28 lots)" in texts(origins) and not any(t.startswith("cap ") for t in texts(origins)))
    for want in ("cleared", "14050.00 EUR/t", "1545420.00 EUR", "658420.00 EUR", "887000.00 EUR",
                 "Nordic Cell Works", "eu-northvolt-1", "Kansai Energy Devices", "ineligible", "partial",
                 "2430000 JPY"):
        check(f"lithium: page shows {want!r}", want in page)
    check("lithium: same input, same bytes", write_report("lithium-again", lithium) == page)

    bad = run("clear", lithium, "--out", os.path.join(tmp, "r.json"), "--report", os.path.join(tmp, "no", "r.html"))
    check("a report that cannot be written: exit 1, said on stderr",
          bad.returncode == 1 and "could not be written" in bad.stderr, bad.stderr[:300])

    delivered = write_report("delivered", os.path.join(args.examples, "eu-japan-delivered", "round.json"))
    check_page("delivered", delivered)
    check("delivered: a table of places and a note that prices differ per place",
          "<h2>Places</h2>" in delivered and "JP-YOK" in delivered and "NL-RTM" in delivered
          and "each place has its own price" in delivered and "14060.00" in delivered)

    # A generated round with a cap: the cap line is drawn, and beyond the
    # limits the tables are cut with a line saying so.
    big_round = os.path.join(tmp, "big.json")
    g = run("generate", "--bids", "3000", "--offers", "1500", "--seed", "5", "--cap", "--out", big_round)
    check("generate a capped round", g.returncode == 0, g.stderr[:300])
    big = write_report("big", big_round)
    roots = check_page("big", big)
    if len(roots) == 3:
        check("big: the cap line is drawn on the origin shares",
              any(t.startswith("cap ") and t.endswith(" %") for t in texts(roots[2])), str(texts(roots[2])[:30]))
        pooled_demand = list(roots[0].iter(f"{SVG_NS}path"))[-1].get("d")
        check("big: curves merged to at most 400 steps, and said so",
              "drawn with at most 400 steps" in big and len(re.findall(r"[ML]", pooled_demand)) <= 2 * 400,
              str(len(re.findall(r"[ML]", pooled_demand))))
    check("big: bid and offer tables cut at 1000 rows with a line saying where the rest is",
          "Showing the first 1000 of 3000 bids" in big and "Showing the first 1000 of 1500 offers" in big
          and big.count("<tr>") < 3 * 1000 + 200)

    # The browser: the page must render, at the size asked, and not blank.
    shot = os.path.abspath(args.screenshot) if args.screenshot else os.path.join(tmp, "report.png")
    html = os.path.join(tmp, "lithium.html")
    if not os.path.exists(args.chromium):
        check("chromium is installed", False, f"{args.chromium} not found (apt-get install chromium)")
    else:
        profile = os.path.join(tmp, "profile")
        r = subprocess.run([args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            f"--user-data-dir={profile}", f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                            "file://" + html], capture_output=True, text=True, timeout=180)
        check("chromium renders the page", r.returncode == 0 and os.path.exists(shot), r.stderr[-500:])
        if os.path.exists(shot):
            w, h, channels, rows = read_png(shot)
            check("screenshot has the window's size", (w, h) == (WIDTH, HEIGHT), f"{w}x{h}")
            colours, ink = set(), 0
            for row in rows[::4]:
                for x in range(0, len(row), channels * 4):
                    px = row[x:x + 3]
                    colours.add(px)
                    if px[0] < 200 or px[1] < 200 or px[2] < 200:
                        ink += 1
            sampled = len(rows[::4]) * len(range(0, w * channels, channels * 4))
            check("screenshot is a picture, not a blank page", len(colours) > 50 and ink > sampled // 50,
                  f"{len(colours)} colours, {ink} of {sampled} sampled pixels inked")

finish()
