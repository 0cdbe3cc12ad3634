#!/usr/bin/env python3
"""Runs an ordinary Windows program (mingw CRT, kernel32) through `ireactor run` and, when Wine is
installed, under Wine too, and holds ireactor to Wine's behaviour: the same exit status and the
same check lines. The ireactor run alone must pass (its closing "N passed, N failed" line with
no failure, unless --no-summary, and --expect-exit); Wine missing skips only the comparison.

Usage: run_win32_test.py --ireactor IREACTOR --work DIR [--expect-exit N] [--no-summary]
                         [--stdin TEXT]
                         [--pty --log FILE [--type PROMPT TEXT]... [--expect-text TEXT]...]
                         -- PROGRAM.exe [ARGS...]

--pty runs the program on a pseudo-terminal (80x25), so that its standard handles are a
console: whenever the program prints a PROMPT line, TEXT is typed (Python escapes: \r is Enter,
\x1b[A the up arrow). Its check lines are then read from FILE (in its current directory), and
each --expect-text must show on the terminal (escape sequences aside).
"""

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
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


def run(cmd, cwd, env, timeout, stdin=""):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          errors="replace", timeout=timeout, input=stdin)
    return proc.returncode, proc.stdout, proc.stderr


ESCAPE = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[78=>])")


def run_on_pty(cmd, cwd, env, timeout, typed):
    """Runs cmd on a new pseudo-terminal, typing typed[prompt] after each prompt shows. Returns
    the exit status and what the terminal showed, escape sequences removed."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.execve(cmd[0], cmd, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 25, 80, 0, 0))
    shown, answered = b"", set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the program and everything on the terminal are gone
                break
            if not data:
                break
            shown += data
        plain = ESCAPE.sub(b"", shown)
        for prompt, text in typed.items():
            if prompt not in answered and prompt.encode() + b"\r" in plain:
                time.sleep(0.2)  # let the program reach its read
                os.write(fd, text.encode("utf-8"))
                answered.add(prompt)
    else:
        os.kill(pid, signal.SIGKILL)
    _, wait_status = os.waitpid(pid, 0)
    os.close(fd)
    status = os.waitstatus_to_exitcode(wait_status)
    return status, ESCAPE.sub(b"", shown).decode("utf-8", "replace")


def run_program(cmd, cwd, env, args):
    """(status, check output, terminal text) of one run, on a pty or with pipes."""
    if not args.pty:
        stdin = args.stdin.encode().decode("unicode_escape")
        return run(cmd, cwd, env, args.timeout, stdin)
    typed = {prompt: text.encode().decode("unicode_escape") for prompt, text in args.type}
    status, shown = run_on_pty(cmd, cwd, env, args.timeout, typed)
    log = os.path.join(cwd, args.log)
    out = open(log, encoding="utf-8", errors="replace").read() if os.path.exists(log) else ""
    return status, out, shown


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
    ap.add_argument("--pty", action="store_true", help="run on a pseudo-terminal (a console)")
    ap.add_argument("--log", default="", help="with --pty: the file the check lines go to")
    ap.add_argument("--type", nargs=2, action="append", default=[], metavar=("PROMPT", "TEXT"))
    ap.add_argument("--expect-text", action="append", default=[])
    ap.add_argument("--stdin", default="", help="what the program reads from a pipe on stdin "
                    "(Python escapes); without it stdin is an empty pipe")
    ap.add_argument("program", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    program = args.program[1:] if args.program[:1] == ["--"] else args.program

    if os.path.lexists(args.work):
        shutil.rmtree(args.work)
    data = os.path.join(args.work, "data")
    cwd = os.path.join(data, "ireactor", "namespaces", "default", "c", "work")
    os.makedirs(cwd)  # the program's current directory: C:\work, writable
    env = dict(os.environ, XDG_DATA_HOME=data)
    status, out, err = run_program([args.ireactor, "run"] + program, cwd, env, args)
    sys.stdout.write(out)
    sys.stderr.write(err)
    failed = False
    for text in args.expect_text:
        if args.pty and text not in err:
            print(f"FAIL: ireactor: the terminal did not show {text!r}")
            failed = True
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
        w_status, w_out, w_shown = run_program([wine] + program, wine_cwd, wine_env, args)
        print(f"--- Wine: exit status {w_status}")
        for text in args.expect_text:
            if args.pty and text not in w_shown:
                print(f"FAIL: Wine: the terminal did not show {text!r}")
                failed = True
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
