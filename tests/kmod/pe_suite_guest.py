#!/usr/bin/env python3
"""Guest side of kmod.pe_suite: the tests/pe programs through `ireactor run --entry kmod`.

Usage (in the guest, by run-in-guest): pe_suite_guest.py --runs FILE --module NTGATE_KO
                                           --ireactor BIN

Loads kmod-min, puts itself in a namespace cgroup (<cgroup2>/ireactor/kmod-pe: the module serves
only processes of ireactor namespaces) and checks, printing "ok:"/"FAIL:" lines and a closing
"N passed, N failed":
  - with no struct_ops implementation attached every call falls back to userspace, and a
    program still passes;
  - with the hot path attached (`ireactor kmod attach`), every tests/pe run of FILE (ctest's
    commands for the fast gate) passes through --entry kmod, and the kernel served calls;
  - a process outside every namespace cgroup is refused with a clear message;
  - detach and unload.
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from cgroup2 import cgroup2_mount  # noqa: E402 (tests/lib)

PARENT = "ireactor"
results = {"passed": 0, "failed": 0}


def check(ok, what, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok: " if ok else "FAIL: ") + what + (("\n" + detail) if detail and not ok else ""))
    sys.stdout.flush()
    return ok


def join_cgroup(path):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "cgroup.procs"), "w") as f:
        f.write(str(os.getpid()))


def kmod_status(ireactor):
    r = subprocess.run([ireactor, "kmod", "status", "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("FAIL: ireactor kmod status: " + r.stdout + r.stderr)
    return json.loads(r.stdout)


def kmod_run(run, work_root):
    """ctest's command for run, turned into the same run through --entry kmod."""
    cmd = list(run["command"])
    cmd[0] = sys.executable  # the host's python path may be a shim the guest cannot use
    for i, arg in enumerate(cmd):
        if arg == "--entry":
            cmd[i + 1] = "kmod"
        elif arg == "--work":
            cmd[i + 1] = os.path.join(work_root, run["name"])
    if "--entry" not in cmd:
        cmd[cmd.index("--"):cmd.index("--")] = ["--entry", "kmod"]
    return cmd


def run_one(run, work_root):
    r = subprocess.run(kmod_run(run, work_root), cwd=run["cwd"], capture_output=True, text=True,
                       timeout=600)
    return check(r.returncode == 0, run["name"].replace(".gate", ".kmod", 1),
                 (r.stdout + r.stderr)[-4000:])


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", required=True)
    p.add_argument("--module", required=True)
    p.add_argument("--ireactor", required=True)
    a = p.parse_args()
    if os.environ.get("IREACTOR_IN_GUEST") != "1":
        raise SystemExit("pe_suite_guest.py: run me with tests/vm/run-in-guest")
    with open(a.runs) as f:
        runs = json.load(f)
    work_root = "/tmp/kmod-pe"

    r = subprocess.run(["insmod", a.module], capture_output=True, text=True)
    if not check(r.returncode == 0, "insmod " + a.module, r.stderr):
        return 1
    mount = cgroup2_mount()
    if mount is None:
        raise SystemExit("FAIL: no cgroup2 mount in the guest")
    outside = os.path.join(mount, "kmod-outside")
    os.makedirs(outside, exist_ok=True)
    join_cgroup(os.path.join(mount, PARENT, "kmod-pe"))

    # Nothing attached: every call goes to the kernel and comes back unhandled.
    files = next(run for run in runs if run["name"] == "pe.files.gate")
    before = kmod_status(a.ireactor)
    run_one(files, work_root + "/detached")
    after = kmod_status(a.ireactor)
    check(after["calls"] > before["calls"] and after["handled"] == before["handled"],
          "with nothing attached the kernel saw the calls and served none",
          json.dumps({"before": before, "after": after}))

    r = subprocess.run([a.ireactor, "kmod", "attach"], capture_output=True, text=True)
    if not check(r.returncode == 0, "ireactor kmod attach", r.stdout + r.stderr):
        return 1
    before = kmod_status(a.ireactor)
    for run in runs:
        run_one(run, work_root)
    after = kmod_status(a.ireactor)
    check(after["handled"] > before["handled"],
          "the kernel served calls of the suite ({} of {})".format(
              after["handled"] - before["handled"], after["calls"] - before["calls"]),
          json.dumps(after))

    # Outside every namespace cgroup: refused at start, with the reason.
    def leave():
        with open(os.path.join(outside, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
    exe = files["command"][-2] if files["command"][-1].startswith("dir=") else files["command"][-1]
    r = subprocess.run([a.ireactor, "run", "--entry", "kmod", exe], capture_output=True, text=True,
                       preexec_fn=leave, env=dict(os.environ, XDG_DATA_HOME=work_root + "/data"))
    check(r.returncode != 0 and "refused" in r.stderr,
          "a process outside the namespace cgroups is refused", r.stdout + r.stderr)

    r = subprocess.run([a.ireactor, "kmod", "detach"], capture_output=True, text=True)
    check(r.returncode == 0, "ireactor kmod detach", r.stdout + r.stderr)
    for _ in range(100):  # the detached map holds the module until RCU frees it ("in use")
        r = subprocess.run(["rmmod", "ntgate"], capture_output=True, text=True)
        if r.returncode == 0:
            break
        time.sleep(0.1)
    check(r.returncode == 0, "rmmod ntgate", r.stderr)
    print("{} passed, {} failed".format(results["passed"], results["failed"]))
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
