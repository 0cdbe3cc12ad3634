#!/usr/bin/env python3
"""Runs an ordinary Windows program (mingw CRT, kernel32) through `ireactor run` and, when Wine is
installed, under Wine too, and holds ireactor to Wine's behaviour: the same exit status and the
same check lines. The ireactor run alone must pass (its closing "N passed, N failed" line with
no failure, unless --no-summary, and --expect-exit); Wine missing skips only the comparison.

Usage: run_win32_test.py --ireactor IREACTOR --work DIR [--expect-exit N] [--no-summary]
                         -- PROGRAM.exe [ARGS...]
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


def run(cmd, cwd, env, timeout):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          errors="replace", timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def check_lines(out):
    """The program's own check lines, without line numbers' context noise."""
    return [l for l in out.splitlines() if l.startswith(("ok ", "FAIL "))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--expect-exit", type=int, default=0)
    ap.add_argument("--no-summary", action="store_true")
    ap.add_argument("--timeout", type=float, default=240)
    ap.add_argument("--ignore-wine-exit", action="store_true",
                    help="don't compare the exit status with Wine's (Wine's is not reliable)")
    ap.add_argument("program", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    program = args.program[1:] if args.program[:1] == ["--"] else args.program

    if os.path.lexists(args.work):
        shutil.rmtree(args.work)
    data = os.path.join(args.work, "data")
    cwd = os.path.join(data, "ireactor", "namespaces", "default", "c", "work")
    os.makedirs(cwd)  # the program's current directory: C:\work, writable
    env = dict(os.environ, XDG_DATA_HOME=data)
    status, out, err = run([args.ireactor, "run"] + program, cwd, env, args.timeout)
    sys.stdout.write(out)
    sys.stderr.write(err)
    failed = False
    if status != args.expect_exit:
        print(f"FAIL: ireactor: exit status {status}, expected {args.expect_exit}")
        failed = True
    if not args.no_summary:
        m = SUMMARY.findall(out)
        if not m or int(m[-1][1]) or not int(m[-1][0]):
            print(f"FAIL: ireactor: no clean closing summary ({m[-1] if m else 'none'})")
            failed = True

    wine = find_wine()
    if not wine:
        print("NOTE: Wine is not installed (Debian's wine64): the comparison with Wine is skipped")
    else:
        wine_cwd = os.path.join(args.work, "wine-cwd")
        os.makedirs(wine_cwd)
        wine_env = dict(os.environ, WINEPREFIX=os.path.join(os.path.dirname(args.work),
                                                            "wineprefix"),
                        WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
        w_status, w_out, _ = run([wine] + program, wine_cwd, wine_env, args.timeout)
        print(f"--- Wine: exit status {w_status}")
        if w_status != status and not args.ignore_wine_exit:
            print(f"FAIL: exit status {status} under ireactor, {w_status} under Wine")
            failed = True
        if check_lines(w_out) != check_lines(out):
            print("FAIL: the check lines differ from Wine's:")
            print("\n".join("  wine: " + l for l in check_lines(w_out)))
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
