#!/usr/bin/env python3
"""Runs ../shared/tools/jpcheck.py over the conformance cases.

Usage: run_conformance.py --shared DIR [--cases SUBDIR] [--skip a,b] -- COMMAND...
--cases names a folder under cases/ (e.g. places, section 10 of the spec);
folders without a round.json (such as places/ itself) are not cases.
Cases named in --skip are left out (and listed as skipped); the rest run
through jpcheck, whose exit status this returns.
"""
import argparse, os, subprocess, sys, tempfile

def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__)
        return 2
    cut = argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--skip", default="")
    ap.add_argument("--cases", default="")
    args = ap.parse_args(argv[:cut])
    cmd = argv[cut + 1:]
    cases = os.path.join(args.shared, "cases", args.cases)
    skip = {s for s in args.skip.split(",") if s}
    missing = skip - set(os.listdir(cases))
    if missing:
        print(f"skip list names cases that do not exist: {sorted(missing)}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(cases)):
            src = os.path.join(cases, name)
            if os.path.isfile(os.path.join(src, "round.json")) and name not in skip:
                os.symlink(os.path.abspath(src), os.path.join(tmp, name))
        for name in sorted(skip):
            print(f"skip {name}")
        rc = subprocess.call([sys.executable, os.path.join(args.shared, "tools", "jpcheck.py"), tmp, "--"] + cmd)
    return rc

if __name__ == "__main__":
    sys.exit(main())
