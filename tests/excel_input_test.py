#!/usr/bin/env python3
"""End-to-end tests of CSV files as an analyst brings them from Excel.

Usage: excel_input_test.py JPCLEAR
Drives the user stories of issue 11 through the command line: a ';'-separated
file with decimal commas is read, with one warning line; several problems in
bids.csv and offers.csv come out in one run, each with file, line and id; an
x-comment column is ignored; `-` reads the round from stdin; an inverted JPY
rate gives one warning line naming fx.JPY, and --strict refuses it. Ends with
'N passed, M failed'.
"""
import json, os, subprocess, sys, tempfile
from e2e import check, finish

JP = sys.argv[1]


def run(*args, input=None):
    p = subprocess.run([JP, *args], capture_output=True, input=input, timeout=300)
    # Every byte jpclear writes must be UTF-8 text, whatever the input held.
    try:
        p.out, p.err = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    except UnicodeDecodeError as e:
        p.out, p.err = "", f"NOT UTF-8: {e}"
    return p




def lines(text):
    return [l for l in text.splitlines() if l]


HEAD = {"format": "jpclear.round/1", "round": "excel-2027-Q1", "currency": "EUR",
        "material": {"code": "LI2CO3", "lot_tonnes": "20"}, "fx": {"JPY": "0.0061"}, "rules": {}}

# The same orders written plainly, and as Excel in a German locale saves them:
# a byte order mark, ';' between cells, decimal commas, CRLF, a name holding a
# ';' in quotes, a comment column marked x-, codes typed in lower case.
BIDS = ("id,buyer,bloc,lots,min_lots,limit,currency\n"
        "eu-a,EU-A,EU,8,,14800.00,\n"
        "jp-a,\"JP-A; Osaka\",JP,6,,2400000,JPY\n"
        "jp-b,JP-B,JP,4,,2300001,JPY\n"
        "eu-b,EU-B,EU,5,,14050.50,\n")
BIDS_EXCEL = ("\ufeffid;buyer;bloc;lots;min_lots;limit;currency;x-comment\r\n"
              "eu-a;EU-A;EU;8;;14800,00;;first call\r\n"
              "jp-a;\"JP-A; Osaka\";jp;6;;2400000;JPY;\r\n"
              "jp-b;JP-B;JP;4;;2300001;jpy;\r\n"
              "eu-b;EU-B;eu ;5;;14050,50;;\"late; by phone\"\r\n")
OFFERS = ("id,supplier,origin,lots,ask,certified\n"
          "au-1,AU-1,AU,10,13950.00,true\n"
          "cl-1,CL-1,CL,6,14010.25,\n"
          "ar-1,AR-1,AR,8,14400,false\n")
OFFERS_EXCEL = ("id;supplier;origin;lots;ask;certified\r\n"
                "au-1;AU-1;AU;10;13950,00;true\r\n"
                "cl-1;CL-1;CL;6;14010,25;\r\n"
                "ar-1;AR-1;AR;8;14400;false\r\n")

with tempfile.TemporaryDirectory() as tmp:
    def write(name, text, encoding="utf-8"):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding=encoding, newline="") as f:
            f.write(text)
        return path

    head = write("head.json", json.dumps(HEAD))
    bids, offers = write("bids.csv", BIDS), write("offers.csv", OFFERS)
    xbids, xoffers = write("bids-excel.csv", BIDS_EXCEL), write("offers-excel.csv", OFFERS_EXCEL)

    # --- A file from Excel is read as meant, and said so once per file.
    plain = run("clear", head, "--bids", bids, "--offers", offers)
    check("the plain files clear", plain.returncode == 0 and plain.err == "", plain.err[:300])
    excel = run("clear", head, "--bids", xbids, "--offers", xoffers)
    check("the Excel files clear to the same bytes", excel.returncode == 0 and excel.out == plain.out,
          excel.err[:500])
    warned = lines(excel.err)
    sep = [l for l in warned if "separated by ';'" in l]
    check("one warning line per ';' file, naming the file and what was read",
          len(sep) == 2 and sep[0].startswith("jpclear: warning: " + xbids + ": is separated by ';' with decimal commas")
          and '"14800,00" on line 2 as 14800.00' in sep[0] and xoffers in sep[1], excel.err[:800])
    check("lower-case codes are read upper-case, with one line per kind",
          any("2 bloc codes had spaces or lower case" in l and "read as JP, EU" in l for l in warned)
          and any("1 currency code" in l for l in warned) and len(warned) == 4, excel.err[:800])
    v = run("validate", head, "--bids", xbids, "--offers", xoffers)
    check("validate says valid, with the count of warnings", v.returncode == 0 and
          v.out == "valid: 4 bids, 3 offers (4 warnings)\n", v.out + v.err[:300])

    # An ambiguous value is never guessed: "14,500" with no other decimal in the file.
    amb = write("ambiguous.csv", "id;buyer;bloc;lots;limit\r\neu-a;EU-A;EU;8;14,500\r\neu-b;EU-B;EU;5;14050\r\n")
    a = run("validate", head, "--bids", amb, "--offers", offers)
    check("an ambiguous decimal is a problem that says what to write",
          a.returncode == 2 and a.out == "" and
          f"bids[0].limit ({amb} line 2, id eu-a): \"14,500\" is ambiguous" in a.err and "write 14500 or 14.500" in a.err,
          a.err[:500])

    # A tab-separated export is one line naming cause and fix, not a list of unknown columns.
    tabs = write("tabs.csv", BIDS.replace(",", "\t"))
    t = run("validate", head, "--bids", tabs, "--offers", offers)
    check("a tab-separated file is one problem line", t.returncode == 2 and lines(t.err) == [
        f"jpclear: {tabs}: is separated by tabs (Excel's \"Text (Tab delimited)\"?); save it as \"CSV UTF-8 (Comma "
        "delimited)\""], t.err[:500])

    # --- Every problem of every file in one run, each with file, line and id.
    bad_bids = write("bad-bids.csv",
                     "id,buyer,bloc,lots,min_lots,limit,currency\n"
                     "eu-a,EU-A,EU,8,,\"14800,5\",\n"      # line 2: decimal comma in a ',' file
                     "jp-a,JP-A,JP,0,,2400000,JPY\n"       # line 3: lots 0 (a value problem)
                     "jp-b,JP-B,JP,4,9,2300001,USD\n"      # line 4: min_lots 9 > 4, USD has no rate
                     "eu-b,,EU,5,,14050.50,\n"             # line 5: buyer missing
                     "eu-a,EU-C,EU,x,,14100,\n")           # line 6: lots not a number, id used twice
    bad_offers = write("bad-offers.csv",
                       "id,supplier,origin,lots,ask,certified,comment\n"
                       "au-1,AU-1,AU,10,13950.00,yes,call back\n"  # line 2: certified
                       "cl-1,CL-1,Chile,6,14010.25,,\n"            # line 3: origin (a value problem)
                       "ar-1,AR-1,AR,8,,false,\n")                  # line 4: ask missing
    want = [
        f"bids[0].limit ({bad_bids} line 2, id eu-a): \"14800,5\" is not a decimal; write 14800.5",
        f"bids[1].lots ({bad_bids} line 3, id jp-a): 0 is outside 1 to 1000000000",
        f"bids[2].min_lots ({bad_bids} line 4, id jp-b): 9 is outside 0 to lots (4)",
        f"bids[2].currency ({bad_bids} line 4, id jp-b): currency \"USD\" is neither",
        f"bids[3].buyer ({bad_bids} line 5, id eu-b): is required",
        f"bids[4].lots ({bad_bids} line 6, id eu-a): \"x\" is not a whole number",
        f"bids[4].id ({bad_bids} line 6, id eu-a): id \"eu-a\" is already used by bids[0] ({bad_bids} line 2)",
        f"{bad_offers} line 1: unknown column \"comment\"",
        f"offers[0].certified ({bad_offers} line 2, id au-1): \"yes\" is not true or false",
        f"offers[1].origin ({bad_offers} line 3, id cl-1): \"Chile\" is not an ISO 3166 alpha-2 code",
        f"offers[2].ask ({bad_offers} line 4, id ar-1): is required",
    ]
    for command in ("validate", "clear"):
        b = run(command, head, "--bids", bad_bids, "--offers", bad_offers)
        got = lines(b.err)
        problems = [l for l in got if not l.startswith("jpclear: warning: ")]
        in_order = len(problems) == len(want) and all(
            p.startswith("jpclear: " + w) for p, w in zip(problems, want))
        check(f"{command}: every problem of both files in one run, in file and line order",
              b.returncode == 2 and b.out == "" and in_order, "\n" + b.err)
    check("the unknown column says how to keep it",
          "rename it x-comment or pass --ignore-columns comment" in b.err, b.err[:300])

    # --- Extra columns: x-comment is ignored, --ignore-columns keeps others.
    noted = write("noted-offers.csv", OFFERS.replace("certified\n", "certified,comment\n", 1)
                  .replace("true\n", "true,call back\n").replace(",\n", ",,\n").replace("false\n", "false,\n"))
    n = run("clear", head, "--bids", bids, "--offers", noted, "--ignore-columns", "comment")
    check("--ignore-columns comment reads the file", n.returncode == 0 and n.out == plain.out, n.err[:300])
    xnoted = write("x-offers.csv", open(noted).read().replace(",comment\n", ",x-comment\n"))
    x = run("clear", head, "--bids", bids, "--offers", xnoted)
    check("an x-comment column is ignored", x.returncode == 0 and x.out == plain.out and x.err == "", x.err[:300])
    k = run("validate", head, "--bids", bids, "--offers", offers, "--ignore-columns", "ask")
    check("a column jpclear reads cannot be ignored", k.returncode == 2 and "cannot be ignored" in k.err, k.err[:300])

    # --- '-' reads the round from stdin.
    doc = dict(HEAD, bids=[{"id": "eu-a", "buyer": "EU-A", "bloc": "EU", "lots": 8, "limit": "14800.00"}],
               offers=[{"id": "au-1", "supplier": "AU-1", "origin": "AU", "lots": 10, "ask": "13950.00"}])
    whole = write("whole.json", json.dumps(doc))
    from_file = run("clear", whole)
    from_stdin = run("clear", "-", input=json.dumps(doc).encode())
    check("clear - reads the round from stdin", from_stdin.returncode == 0 and from_stdin.out == from_file.out,
          from_stdin.err[:300])
    vs = run("validate", "-", "--bids", bids, "--offers", offers, input=json.dumps(HEAD).encode())
    check("validate - takes CSV files beside it", vs.returncode == 0 and vs.out == "valid: 4 bids, 3 offers\n",
          vs.out + vs.err[:300])
    bad_stdin = run("validate", "-", input=b'{"format": ')
    check("a broken document on stdin is bad input", bad_stdin.returncode == 2 and "not valid JSON" in bad_stdin.err)

    # --- An inverted rate clears, with one warning line naming fx.JPY; --strict refuses it.
    inverted = write("inverted.json", json.dumps(dict(HEAD, fx={"JPY": "161.3"})))
    i = run("clear", inverted, "--bids", bids, "--offers", offers)
    fx = [l for l in lines(i.err) if "fx.JPY" in l]
    check("an inverted JPY rate gives one warning line naming fx.JPY and its inverse",
          i.returncode == 0 and json.loads(i.out)["status"] == "cleared" and len(lines(i.err)) == 1 and len(fx) == 1
          and fx[0].startswith("jpclear: warning: fx.JPY: 161.3 EUR per JPY") and "1/161.3 = 0.0062" in fx[0],
          i.err[:500])
    s = run("clear", inverted, "--bids", bids, "--offers", offers, "--strict")
    check("clear --strict refuses it: exit 2, nothing on stdout",
          s.returncode == 2 and s.out == "" and "jpclear: fx.JPY: " in s.err and "refused by --strict" in s.err,
          s.err[:500])
    sv = run("validate", inverted, "--bids", bids, "--offers", offers, "--strict")
    check("validate --strict too", sv.returncode == 2 and sv.out == "" and "fx.JPY" in sv.err, sv.err[:300])
    sp = run("clear", head, "--bids", bids, "--offers", offers, "--strict")
    check("--strict without warnings clears as usual", sp.returncode == 0 and sp.out == plain.out, sp.err[:300])
    se = run("clear", head, "--bids", xbids, "--offers", xoffers, "--strict")
    check("--strict also refuses what the readers warned about", se.returncode == 2 and se.out == "" and
          "4 warnings refused by --strict" in se.err, se.err[:500])

    # --- A price a hundred times its side's median names the row.
    typo = write("typo-bids.csv", BIDS.replace("14050.50", "1405050"))
    ty = run("validate", head, "--bids", typo, "--offers", offers)
    check("a price far from its side's median is a warning with file, line and id",
          ty.returncode == 0 and f"jpclear: warning: bids[3].limit ({typo} line 5, id eu-b): 1405050 EUR is about" in
          ty.err, ty.err[:500])

    # --- A file saved as Windows-1252: the messages stay UTF-8 and say how to fix it.
    latin = os.path.join(tmp, "latin.csv")
    with open(latin, "wb") as f:
        f.write(BIDS.replace("EU-A", "M\u00fcller").encode("cp1252"))
    la = run("validate", head, "--bids", latin, "--offers", offers)
    check("bytes that are not UTF-8 are named, never echoed",
          la.returncode == 2 and "NOT UTF-8" not in la.err and "is not UTF-8 text (byte 0xFC" in la.err and
          "CSV UTF-8" in la.err, la.err[:500])
    unknown = os.path.join(tmp, "unknown.csv")
    with open(unknown, "wb") as f:
        f.write(b"id,buyer,bloc,lots,limit,Pr\xe9is\n")
    un = run("validate", head, "--bids", unknown, "--offers", offers)
    check("an unknown column in Latin-1 is shown escaped", un.returncode == 2 and "Pr\\xE9is" in un.err, un.err[:300])

finish()
