"""What the end-to-end test scripts share: running jpclear and counting checks.

Each script prints one line per check and ends with finish(), which prints
'N passed, M failed' and exits 1 when any check failed.
"""
import os, subprocess, sys

_counts = {"passed": 0, "failed": 0}


def runner(jpclear):
    """A function that runs `jpclear ARGS...` and returns the CompletedProcess (text)."""
    def run(*args, input=None, env=None):
        full_env = None if env is None else {**os.environ, **env}
        return subprocess.run([jpclear, *args], capture_output=True, text=True, input=input, timeout=600,
                              env=full_env)
    return run


def check(name, ok, detail=""):
    if ok:
        _counts["passed"] += 1
        print(f"ok   {name}")
    else:
        _counts["failed"] += 1
        print(f"FAIL {name} {detail}")


def finish():
    print(f"{_counts['passed']} passed, {_counts['failed']} failed")
    sys.exit(1 if _counts["failed"] else 0)
