#!/usr/bin/env python3
"""`ireactor ns create|list|show|delete` and `ireactor run --ns` against a namespace store in a
scratch directory (IREACTOR_POLICY_DIR, IREACTOR_STATE_DIR, ... point into it).

The store part runs as any user. The cgroup part (run --ns joins <cgroup2>/PARENT/NAME, delete
refuses while a process lives in it) needs root: without it the script says so and exits 77
after the rest passed.

Usage: ns_cli.py --ireactor PATH --hello HELLO_EXE --examples DIR --scratch DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from cgroup2 import cgroup2_mount  # noqa: E402 (tests/lib)

failures = 0
passed = 0


def result(ok, label, detail=""):
    global failures, passed
    if ok:
        passed += 1
        print(f"ok {label}")
    else:
        failures += 1
        print(f"FAIL {label}" + (f"\n  {detail}" if detail else ""))
    return ok


class Cli:
    def __init__(self, ireactor, env):
        self.ireactor = ireactor
        self.env = env

    def __call__(self, args, status, stderr_has=None, stdout_has=None, check=None):
        p = subprocess.run([self.ireactor] + args, capture_output=True, text=True, env=self.env,
                           timeout=60)
        problems = []
        if p.returncode != status:
            problems.append(f"exit status {p.returncode}, want {status}")
        if stderr_has and stderr_has not in p.stderr:
            problems.append(f"stderr lacks {stderr_has!r}")
        if stdout_has and stdout_has not in p.stdout:
            problems.append(f"stdout lacks {stdout_has!r}")
        if check:
            try:
                check(p.stdout)
            except Exception as e:  # noqa: BLE001 - a failing check is a test failure
                problems.append(f"check failed: {e!r}")
        result(not problems, "ireactor " + " ".join(args),
               "; ".join(problems) + f"\n  stdout: {p.stdout!r}\n  stderr: {p.stderr!r}")
        return p


def store_tests(cli, a, dirs):
    policy_dir, state_dir = dirs["policy"], dirs["state"]
    cli(["ns", "list"], 0, stdout_has="NAME")
    cli(["ns", "list", "--json"], 0, check=lambda out: json.loads(out) == [] or 1 / 0)

    # A namespace with the default policy and its own C: under the state directory.
    cli(["ns", "create", "alpha"], 0, stdout_has="created namespace alpha")
    alpha_c = os.path.join(state_dir, "namespaces", "alpha", "c")
    result(os.path.isdir(os.path.join(alpha_c, "Windows", "System32")),
           "ns create made the default C: with the minimal Windows tree")
    result(os.path.isfile(os.path.join(policy_dir, "alpha.yaml")), "alpha.yaml is in the store")

    def alpha_json(out):
        j = json.loads(out)
        assert j["name"] == "alpha" and j["valid"] and j["errors"] == [], j
        assert j["build"] == "10.0.19045", j["build"]
        assert j["drives"] == [{"letter": "C:", "path": alpha_c, "readOnly": False}], j["drives"]
        assert j["devices"]["default"] == "deny"
        allowed = {r["device"] for r in j["devices"]["rules"] if r["effect"] == "allow"}
        for dev in ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                    "/dev/tty", "/dev/ptmx", "char 136:*"):
            assert dev in allowed, (dev, allowed)
        assert all(v == "deny" for v in j["kernel"].values()), j["kernel"]
        assert j["audit"]["denials"] is True
        assert j["startLayers"]["seccompDeny"], "no seccomp rules for denied features"
        assert j["cgroup"]["exists"] is False and j["enforced"] is False
    cli(["ns", "show", "alpha", "--json"], 0, check=alpha_json)
    cli(["ns", "show", "alpha"], 0, stdout_has="kernel features denied:")
    cli(["ns", "create", "alpha"], 1, stderr_has="exists already")

    # Drives and build given; no default C: made then.
    c_dir = os.path.join(a.scratch, "beta-c")
    d_dir = os.path.join(a.scratch, "shared")
    os.makedirs(c_dir)
    os.makedirs(d_dir)
    cli(["ns", "create", "beta", "--drive", f"C:={c_dir}", "--drive", f"d:={d_dir}:ro",
         "--build", "10.0.22621"], 0)

    def beta_json(out):
        j = json.loads(out)
        assert j["build"] == "10.0.22621", j["build"]
        assert j["drives"] == [{"letter": "C:", "path": c_dir, "readOnly": False},
                               {"letter": "D:", "path": d_dir, "readOnly": True}], j["drives"]
    cli(["ns", "show", "beta", "--json"], 0, check=beta_json)
    result(not os.path.exists(os.path.join(state_dir, "namespaces", "beta")),
           "no default C: for a namespace given its own")

    # Bad input.
    cli(["ns", "create", "Bad.Name"], 2, stderr_has="invalid namespace name")
    cli(["ns", "create", "gamma", "--build", "9.9.9"], 2, stderr_has="supported builds")
    cli(["ns", "create", "gamma", "--drive", "C"], 2, stderr_has="C:=DIR")
    cli(["ns", "create", "gamma", "--drive", "1:=/tmp"], 2, stderr_has="not a drive letter")
    cli(["ns", "create", "gamma", "--drive", f"E:={a.scratch}/missing"], 1,
        stderr_has="is not a directory")
    cli(["ns", "create", "gamma", "--drive", f"E:={d_dir}", "--drive", f"e:={d_dir}"], 2,
        stderr_has="twice")
    result(not os.path.exists(os.path.join(policy_dir, "gamma.yaml")),
           "refused creations leave no policy file")

    # --from: an example policy's rules under a new name, C: its own.
    cli(["ns", "create", "office2", "--from", os.path.join(a.examples, "office.yaml")], 0)

    def office_json(out):
        j = json.loads(out)
        assert j["valid"], j["errors"]
        assert j["name"] == "office2"
        drives = {d["letter"]: d for d in j["drives"]}
        assert drives["C:"]["path"] == os.path.join(state_dir, "namespaces", "office2", "c")
        assert drives["D:"]["readOnly"] is True  # the example's shared drive stays
        assert any(r["device"] == "char 226:*" for r in j["devices"]["rules"])
    cli(["ns", "show", "office2", "--json"], 0, check=office_json)
    broken = os.path.join(a.scratch, "broken.yaml")
    with open(broken, "w") as f:
        f.write("apiVersion: ireactor/v1\nkind: Namespace\nmetadata: {name: x}\n"
                "spec:\n  drives: {C: /tmp}\n  kernel: {ptrace: maybe}\n")
    cli(["ns", "create", "delta", "--from", broken], 1, stderr_has=broken + ":6:")

    # A file with errors in the store: listed as invalid, shown with file:line:col, never run.
    with open(os.path.join(policy_dir, "epsilon.yaml"), "w") as f:
        f.write("apiVersion: ireactor/v1\nkind: Namespace\nmetadata: {name: epsilon}\n"
                "spec:\n  drives: {C: /tmp}\n  devices: {default: sometimes}\n")

    def list_json(out):
        j = {n["name"]: n for n in json.loads(out)}
        assert sorted(j) == ["alpha", "beta", "epsilon", "office2"], sorted(j)
        assert j["epsilon"]["valid"] is False and j["epsilon"]["errors"], j["epsilon"]
        assert ":6:" in j["epsilon"]["errors"][0], j["epsilon"]["errors"]
        assert j["beta"]["build"] == "10.0.22621"
    cli(["ns", "list", "--json"], 0, check=list_json)
    cli(["ns", "list"], 0, stdout_has="invalid: 1 error")
    cli(["ns", "show", "epsilon"], 0, stdout_has="INVALID")
    cli(["run", "--ns", "epsilon", a.hello], 1, stderr_has="epsilon.yaml:6:")
    cli(["run", "--ns", "nosuch", a.hello], 1, stderr_has='namespace "nosuch" does not exist')
    cli(["run", "--ns", "alpha", "--build", "10.0.22621", a.hello], 2,
        stderr_has="conflicts with namespace alpha")
    cli(["ns", "delete", "nosuch"], 1, stderr_has="does not exist")
    cli(["ns", "delete", "epsilon"], 0)

    # --purge removes the default C:, and only that.
    cli(["ns", "delete", "beta", "--purge"], 0, stdout_has="not the namespace's default drive")
    result(os.path.isdir(c_dir), "--purge left a C: that is not the default one")
    cli(["ns", "delete", "office2", "--purge"], 0)
    result(not os.path.exists(os.path.join(state_dir, "namespaces", "office2")),
           "--purge removed the default C:")


def cgroup_tests(cli, a, dirs, cgroup_root):
    cli(["run", "--ns", "alpha", a.hello], 1, stderr_has="ireactord")
    cg = os.path.join(cgroup_root, "alpha")
    result(os.path.isdir(cg), "run --ns created the namespace cgroup")
    cli(["run", "--ns", "alpha", "--unenforced", a.hello], 0, stdout_has="Hello from Windows",
        stderr_has="UNENFORCED")
    cli(["ns", "show", "alpha", "--json"], 0,
        check=lambda out: (json.loads(out)["cgroup"]["exists"] and
                           json.loads(out)["cgroup"]["procs"] == 0) or 1 / 0)
    # The agent's status lists the namespace with another cgroup id: still refused.
    with open(os.path.join(dirs["run"], "status.json"), "w") as f:
        json.dump({"pid": 0, "layers": {"lsm": False},
                   "namespaces": {"alpha": {"cgroup_id": 1, "sha256": "", "generation": 3}}}, f)
    cli(["run", "--ns", "alpha", a.hello], 1, stderr_has="cgroup id 1")
    # ... and with ours: run, as the guard's programs would be attached to it.
    with open(os.path.join(dirs["run"], "status.json"), "w") as f:
        json.dump({"pid": 0, "layers": {"lsm": False},
                   "namespaces": {"alpha": {"cgroup_id": os.stat(cg).st_ino, "sha256": "",
                                            "generation": 3}}}, f)
    cli(["run", "--ns", "alpha", a.hello], 0, stdout_has="Hello from Windows")
    os.remove(os.path.join(dirs["run"], "status.json"))

    # A process in the namespace's cgroup keeps it from being deleted.
    sleeper = subprocess.Popen(["sh", "-c", f"echo $$ > {cg}/cgroup.procs && exec sleep 60"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with open(os.path.join(cg, "cgroup.procs")) as f:
            if f.read().strip():
                break
        time.sleep(0.02)
    cli(["ns", "list"], 0, stdout_has="alpha ")
    cli(["ns", "delete", "alpha"], 1, stderr_has="still run")
    result(os.path.exists(os.path.join(dirs["policy"], "alpha.yaml")),
           "a refused delete keeps the policy file")
    sleeper.kill()
    sleeper.wait()
    time.sleep(0.1)
    cli(["ns", "delete", "alpha"], 0)
    result(not os.path.exists(cg), "ns delete removed the empty cgroup")
    result(not os.path.exists(os.path.join(dirs["policy"], "alpha.yaml")),
           "ns delete removed the policy file")
    result(os.path.isdir(os.path.join(dirs["state"], "namespaces", "alpha", "c")),
           "without --purge the default C: stays")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--hello", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--scratch", required=True)
    a = ap.parse_args()
    a.scratch = os.path.abspath(a.scratch)
    shutil.rmtree(a.scratch, ignore_errors=True)
    dirs = {k: os.path.join(a.scratch, k) for k in ("policy", "state", "run", "log")}
    for d in dirs.values():
        os.makedirs(d)
    tag = f"ireactor-test-{os.getpid()}"
    env = dict(os.environ, IREACTOR_POLICY_DIR=dirs["policy"], IREACTOR_STATE_DIR=dirs["state"],
               IREACTOR_RUN_DIR=dirs["run"], IREACTOR_LOG_DIR=dirs["log"],
               IREACTOR_BPFFS_DIR=f"/sys/fs/bpf/{tag}", IREACTOR_CGROUP=tag,
               XDG_DATA_HOME=os.path.join(a.scratch, "xdg"))
    cli = Cli(a.ireactor, env)
    store_tests(cli, a, dirs)

    skipped = None
    mount = cgroup2_mount()
    if os.geteuid() != 0:
        skipped = "not root: cannot create namespace cgroups"
    elif mount is None:
        skipped = "cgroup2 is not mounted"
    else:
        cgroup_root = os.path.join(mount, tag)
        try:
            cgroup_tests(cli, a, dirs, cgroup_root)
        finally:
            if os.path.isdir(cgroup_root):
                for root, subdirs, _ in os.walk(cgroup_root, topdown=False):
                    for name in subdirs:
                        os.rmdir(os.path.join(root, name))
                os.rmdir(cgroup_root)

    print(f"{passed} passed, {failures} failed")
    if failures:
        return 1
    if skipped:
        print(f"SKIP: the cgroup part: {skipped} (the store part passed)")
        return 77
    shutil.rmtree(a.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
