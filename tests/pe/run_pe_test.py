#!/usr/bin/env python3
"""Runs one Windows test program through `ireactor run` for ctest, inside a fixture.

The fixture is a fresh directory WORK per test and entry path:
    WORK/data/                     XDG_DATA_HOME for the run
    WORK/data/ireactor/namespaces/default/c/   the default namespace's C:, pre-created
    WORK/outside/secret.txt        a secret outside C: that nothing may read or change
With --fixture escape (the default for test programs) C:\\ also gets symlinks that point out of
it (absolute and relative, to the secret and to its directory, and to /etc) and a decoy
C:\\outside\\secret.txt where the relative ones land once clamped at the root.

After the run it checks: the program's closing "N passed, N failed" line (failed == 0,
passed > 0) unless --no-summary, the exit status (--expect-exit, default 0), any
--expect-regex, and that nothing outside C: changed: the secret and its directory are intact,
nothing new appeared in WORK outside data/, no escape marker file exists anywhere outside C:.

Arguments after "--" are the program and its arguments; in them @UNIX_TIME@, @OUTSIDE@ and
@BUILD@ become the current Unix time, WORK/outside and the Windows build number.
"""

import argparse
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import time

DEFAULT_BUILD = "10.0.19045"
# Names the escape test gives everything it tries to create outside C:.
ESCAPE_MARKERS = ("created-by-escape", "renamed-by-escape", "ireactor-escape-marker",
                  "newdir-by-escape", "pwned")
HOST_MARKER_PATHS = ("/tmp/ireactor-escape-marker.txt", "/etc/created-by-escape.txt",
                     "/etc/renamed-by-escape.txt", "/created-by-escape.txt",
                     "/ireactor-escape-marker.txt", "/tmp/renamed-by-escape.txt")
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed\s*$")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ireactor", required=True, help="the ireactor CLI")
    p.add_argument("--entry", choices=("gate", "gate-only", "sud", "kmod"), help="entry path (default: the CLI's)")
    p.add_argument("--build", help="Windows build of the namespace (default: the CLI's)")
    p.add_argument("--work", required=True, help="fixture directory (emptied first)")
    p.add_argument("--fixture", choices=("escape", "demo", "none"), default="escape")
    p.add_argument("--expect-exit", type=int, default=0)
    p.add_argument("--no-summary", action="store_true",
                   help="the program prints no 'N passed, N failed' line")
    p.add_argument("--expect-regex", action="append", default=[],
                   help="a regular expression the output must match (repeatable)")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("program", nargs=argparse.REMAINDER)
    a = p.parse_args()
    if a.program and a.program[0] == "--":
        a.program = a.program[1:]
    if not a.program:
        p.error("no program given")
    return a


def snapshot(root, skip=None):
    """{relative path: (kind, size, sha256 or link target)} of everything under root."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        if skip and os.path.abspath(dirpath) == os.path.abspath(skip):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if skip and os.path.abspath(path) == os.path.abspath(skip):
                out[rel] = ("dir", 0, "")
                continue
            if os.path.islink(path):
                out[rel] = ("link", 0, os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir", 0, "")
            else:
                with open(path, "rb") as f:
                    data = f.read()
                out[rel] = ("file", len(data), hashlib.sha256(data).hexdigest())
    return out


def make_fixture(work, kind):
    if os.path.lexists(work):
        shutil.rmtree(work)
    data = os.path.join(work, "data")
    c = os.path.join(data, "ireactor", "namespaces", "default", "c")
    outside = os.path.join(work, "outside")
    os.makedirs(c)
    os.makedirs(outside)
    secret = "IREACTOR-SECRET %s\n" % secrets.token_hex(16)
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write(secret)
    if kind == "escape":
        # c/.. is default/, then namespaces/, ireactor/, data/, WORK: five levels up.
        up = "../../../../.."
        assert os.path.realpath(os.path.join(c, up)) == os.path.realpath(work)
        os.symlink(os.path.join(outside, "secret.txt"), os.path.join(c, "abs_secret"))
        os.symlink(up + "/outside/secret.txt", os.path.join(c, "rel_secret"))
        os.symlink(outside, os.path.join(c, "abs_dir"))
        os.symlink(up + "/outside", os.path.join(c, "rel_dir"))
        os.symlink("/etc", os.path.join(c, "etc_link"))
        os.makedirs(os.path.join(c, "outside"))
        with open(os.path.join(c, "outside", "secret.txt"), "w") as f:
            f.write("decoy: this file is inside C:\n")
    elif kind == "demo":
        with open(os.path.join(c, "readme.txt"), "w") as f:
            f.write("Welcome to ireactor's demo drive C:.\n")
        os.makedirs(os.path.join(c, "Documents"))
        with open(os.path.join(c, "Documents", "notes.txt"), "w") as f:
            f.write("notes\n")
    return data, c, outside, secret


def expand(arg, work, build):
    return (arg.replace("@UNIX_TIME@", str(int(time.time())))
            .replace("@OUTSIDE@", os.path.join(work, "outside"))
            .replace("@BUILD@", build.split(".")[-1]))


def main():
    a = parse_args()
    work = os.path.abspath(a.work)
    data, c, outside, secret = make_fixture(work, a.fixture)
    for path in HOST_MARKER_PATHS:  # leftovers of an earlier broken run would mislead us
        if os.path.lexists(path):
            os.remove(path)
    before_work = snapshot(work, skip=data)
    before_outside = snapshot(outside)

    build = a.build or DEFAULT_BUILD
    cmd = [a.ireactor, "run"]
    if a.build:
        cmd += ["--build", a.build]
    if a.entry:
        cmd += ["--entry", a.entry]
    cmd += [os.path.abspath(a.program[0])] + [expand(x, work, build) for x in a.program[1:]]
    env = dict(os.environ, XDG_DATA_HOME=data)
    print("$ XDG_DATA_HOME=%s %s" % (data, " ".join(cmd)), flush=True)
    failures = []
    try:
        proc = subprocess.run(cmd, env=env, cwd=work, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=a.timeout)
        output, status = proc.stdout.decode("utf-8", "replace"), proc.returncode
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode("utf-8", "replace")
        status = None
        failures.append("timed out after %gs" % a.timeout)
    sys.stdout.write(output)
    if output and not output.endswith("\n"):
        sys.stdout.write("\n")

    if status is not None and status != a.expect_exit:
        failures.append("exit status %s, want %d" % (status, a.expect_exit))
    if not a.no_summary:
        summaries = [SUMMARY.match(line) for line in output.splitlines()]
        summaries = [m for m in summaries if m]
        if not summaries:
            failures.append("no closing 'N passed, N failed' line")
        else:
            passed, failed = int(summaries[-1].group(1)), int(summaries[-1].group(2))
            if failed or not passed:
                failures.append("%d passed, %d failed" % (passed, failed))
    for rx in a.expect_regex:
        if not re.search(rx, output, re.MULTILINE):
            failures.append("output does not match /%s/" % rx)

    # Nothing outside C: changed.
    with open(os.path.join(outside, "secret.txt")) as f:
        if f.read() != secret:
            failures.append("the secret outside C: was changed")
    after_outside = snapshot(outside)
    if after_outside != before_outside:
        changed = sorted(set(after_outside.items()) ^ set(before_outside.items()))
        failures.append("the directory outside C: changed: %s" % changed)
    after_work = snapshot(work, skip=data)
    if after_work != before_work:
        changed = sorted(set(after_work) ^ set(before_work))
        failures.append("new or removed entries outside the data directory: %s" % changed)
    for dirpath, dirnames, filenames in os.walk(data):
        if os.path.abspath(dirpath) == os.path.abspath(c):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            if any(m in name for m in ESCAPE_MARKERS):
                failures.append("escape marker outside C:: %s" % os.path.join(dirpath, name))
    for path in HOST_MARKER_PATHS:
        if os.path.lexists(path):
            failures.append("escape marker on the host: %s" % path)

    if failures:
        for f in failures:
            print("run_pe_test: FAIL: %s" % f)
        return 1
    print("run_pe_test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
