#!/usr/bin/env python3
"""The ireactor CLI's exit statuses and messages for bad input: 2 for usage, 1 for failures.

Usage: cli_errors.py IREACTOR HELLO_EXE SCRATCH_DIR
"""
import json
import os
import shutil
import subprocess
import sys

ireactor, hello, scratch = sys.argv[1:4]
shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
env = dict(os.environ, XDG_DATA_HOME=os.path.join(scratch, "data"))
failures = 0
passed = 0


def expect(args, status, stderr_has=None, stdout_check=None):
    global failures, passed
    p = subprocess.run([ireactor] + args, capture_output=True, text=True, env=env, timeout=60)
    problems = []
    if p.returncode != status:
        problems.append(f"exit status {p.returncode}, want {status}")
    if stderr_has and stderr_has not in p.stderr:
        problems.append(f"stderr lacks {stderr_has!r}")
    if stdout_check:
        try:
            stdout_check(p.stdout)
        except Exception as e:  # noqa: BLE001 - any failure of the check is a test failure
            problems.append(f"stdout check failed: {e}")
    label = "ireactor " + " ".join(args)
    if problems:
        failures += 1
        print(f"FAIL {label}: {'; '.join(problems)}\n  stdout: {p.stdout!r}\n  stderr: {p.stderr!r}")
    else:
        passed += 1
        print(f"ok {label}")


def builds_json(out):
    builds = {b["build"]: b for b in json.loads(out)}
    assert "10.0.19045" in builds and "10.0.22621" in builds, builds.keys()
    assert builds["10.0.19045"]["default"] is True
    assert all(os.path.exists(b["ntdll"]) for b in builds.values())


bad_image = os.path.join(scratch, "bad.exe")
with open(bad_image, "wb") as f:
    f.write(b"MZ not really a program")

expect([], 2)
expect(["run"], 2)
expect(["run", "--entry", "int2e", hello], 2)
expect(["run", "--build", "9.9.9", hello], 2, "supported builds: 10.0.19045, 10.0.22621")
expect(["run", "--ns", "nosuch", hello], 1, 'namespace "nosuch" does not exist')
expect(["run", os.path.join(scratch, "missing.exe")], 1, "cannot find the program")
expect(["run", bad_image], 1, "STATUS_INVALID_IMAGE_FORMAT")
expect(["run", "--entry", "gate-only", hello], 0)
# The kmod entry needs kmod-min: this host cannot load modules (the guest tests run it), so
# the refusal is checked here, and only where no /dev/ntgate exists.
if not os.path.exists("/dev/ntgate"):
    expect(["run", "--entry", "kmod", hello], 1, "/dev/ntgate is missing: load kmod-min")
    expect(["kmod", "status"], 1, "/dev/ntgate is missing: load kmod-min")
else:
    print("skip: /dev/ntgate exists here, so the missing-module refusals are not checked")
# The tracer refuses bad filters before it loads anything into the kernel.
expect(["trace", "--service", "NtCreateFile,NtNoSuchThing"], 2,
       "no NT service NtNoSuchThing in any supported Windows build")
expect(["trace", "--ns", "nosuch"], 2, "no namespace nosuch")
expect(["trace", "--pid", "notapid"], 2)
expect(["trace", "--pid", "999999999"], 2, "no process 999999999")
expect(["trace", "--pid", str(os.getpid())], 2, "not " + os.path.realpath(ireactor))
expect(["trace", "--binary", os.path.join(scratch, "missing")], 2)
expect(["builds", "--json"], 0, stdout_check=builds_json)
expect(["--version"], 0)

print(f"{passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
