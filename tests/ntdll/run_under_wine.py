#!/usr/bin/env python3
"""Runs a test program under Debian's Wine (its own ntdll: the reference our ntdll's behaviour
is held to) and checks its closing "N passed, N failed" line. Exits 77 (skipped, said loudly)
when Wine is not installed.

Usage: run_under_wine.py --prefix DIR -- PROGRAM.exe [ARGS...]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed\s*$", re.M)


def find_wine():
    for candidate in (shutil.which("wine"), "/usr/lib/wine/wine64"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prefix", required=True, help="WINEPREFIX (created on first use)")
    ap.add_argument("program", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    program = [a for a in args.program if a != "--"]
    wine = find_wine()
    if not wine:
        print("SKIP: Wine is not installed (Debian's wine64): the reference run cannot happen")
        return 77
    env = dict(os.environ, WINEPREFIX=os.path.abspath(args.prefix), WINEDEBUG="-all",
               WINEDLLOVERRIDES="mscoree,mshtml=")
    os.makedirs(args.prefix, exist_ok=True)
    proc = subprocess.run([wine] + program, capture_output=True, text=True, env=env, timeout=300)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    m = SUMMARY.findall(proc.stdout)
    if not m:
        print(f"FAIL: no closing summary line (exit status {proc.returncode})")
        return 1
    passed, failed = map(int, m[-1])
    if failed or not passed or proc.returncode != 0:
        print(f"FAIL: {passed} passed, {failed} failed, exit status {proc.returncode}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
