#!/usr/bin/env python3
"""`ireactor stats` against a PE program with known NT calls.

Attaches the tracer to a private copy of the ireactor executable (uprobes are per file, so PE
tests of the same build tree running meanwhile are not counted), runs trace_calls.exe through
both entry paths, and asserts the per-service counts, errors and histogram totals are exactly
what the program issued. Then --detach must leave no program, link or pin behind.
Needs root and BPF; exits 77 with "SKIP: why" otherwise."""
import argparse
import json
import os
import shutil
import subprocess
import sys

from trace_test_support import (bpftool, cgroup2_mount, links_of, remove_cgroup_tree,
                                require_root_bpf, skip, tracer_progs, wait_gone)

# Per run: calls, errors, calls timed. NtTerminateProcess (the harness's exit) never returns:
# counted on entry, never timed.
CALLS = {"NtQuerySystemTime": (1007, 7, 1007), "NtYieldExecution": (25, 0, 25),
         "NtTerminateProcess": (1, 0, 0)}


def run(cmd, env, check=True):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    sys.stdout.write(p.stdout)
    sys.stdout.write(p.stderr)
    if check and p.returncode != 0:
        sys.exit("FAIL: exit status %d" % p.returncode)
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--program", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()

    require_root_bpf()
    if not os.path.isdir("/sys/fs/bpf"):
        skip("no bpf filesystem at /sys/fs/bpf")

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    ireactor = os.path.join(a.work, "ireactor")
    shutil.copy2(a.ireactor, ireactor)
    bpffs = "/sys/fs/bpf/ireactor-test-%d" % os.getpid()
    env = dict(os.environ, IREACTOR_BPFFS_DIR=bpffs,
               IREACTOR_STATE_DIR=os.path.join(a.work, "state"),
               IREACTOR_POLICY_DIR=os.path.join(a.work, "policy"),
               IREACTOR_RUN_DIR=os.path.join(a.work, "run"),
               IREACTOR_LOG_DIR=os.path.join(a.work, "log"),
               IREACTOR_CGROUP="ireactor-test-%d" % os.getpid(),
               XDG_DATA_HOME=os.path.join(a.work, "data"))
    before = tracer_progs()
    cgroup_parent = os.path.join(cgroup2_mount() or "/nonexistent", env["IREACTOR_CGROUP"])
    try:
        p = run([ireactor, "stats", "--json"], env, check=False)
        if p.returncode != 0 and ("Operation not permitted" in p.stderr or "uprobe" in p.stderr):
            skip("the kernel refused the USDT programs: " + p.stderr.strip().splitlines()[-1])
        if p.returncode != 0:
            sys.exit("FAIL: stats could not attach")
        if json.loads(p.stdout.strip().splitlines()[-1]) != []:
            sys.exit("FAIL: fresh trace_stats is not empty")
        progs = tracer_progs() - before
        links = links_of(progs)
        if len(progs) != 2 or not links:
            sys.exit("FAIL: expected 2 programs with links, got programs %s links %s" % (progs, links))
        pins = sorted(os.listdir(bpffs))
        print("pins:", pins)
        if "trace_stats" not in pins:
            sys.exit("FAIL: trace_stats not pinned")
        # bpftool prints the map with its BTF field names.
        dump = subprocess.run(["bpftool", "map", "dump", "pinned", os.path.join(bpffs, "trace_stats")],
                              capture_output=True, text=True, check=True).stdout
        if "latency_log2" not in dump and dump.strip() not in ("[]", "Found 0 elements"):
            sys.exit("FAIL: bpftool map dump shows no field names:\n" + dump)

        runs = 0
        for entry in ("gate", "sud"):
            out = run([ireactor, "run", "--entry", entry, a.program], env).stdout
            if "issued NtQuerySystemTime" not in out:
                sys.exit("FAIL: trace_calls did not run to the end")
            runs += 1

        # The same program once in a stored namespace: counted under its id, apart from default.
        run([ireactor, "ns", "create", "tracens"], env)
        out = run([ireactor, "run", "--ns", "tracens", "--unenforced", a.program], env).stdout
        if "issued NtQuerySystemTime" not in out:
            sys.exit("FAIL: trace_calls did not run to the end in namespace tracens")
        with open(os.path.join(env["IREACTOR_STATE_DIR"], "ns-ids")) as f:
            ns_id = dict(line.split() for line in f if line.strip())["tracens"]

        failed = False
        for ns, want_id, ns_runs in (("default", 0, runs), ("tracens", int(ns_id), 1)):
            stats = json.loads(run([ireactor, "stats", "--json", "--ns", ns], env)
                               .stdout.strip().splitlines()[-1])
            by_name = {s["service"]: s for s in stats}
            for name, (calls, errors, timed) in CALLS.items():
                s = by_name.get(name)
                want = (calls * ns_runs, errors * ns_runs, timed * ns_runs)
                got = (s["calls"], s["errors"], sum(s["latency_log2_ns"])) if s else None
                ok = got == want and s["ns_id"] == want_id
                print("%s %s %s: calls, errors, timed %s (want %s), ns id %s (want %d)" %
                      ("ok" if ok else "FAIL", ns, name, got, want,
                       s["ns_id"] if s else None, want_id))
                failed |= not ok
        text = run([ireactor, "stats"], env).stdout
        if "NtQuerySystemTime" not in text or "distribution" not in text:
            print("FAIL: the table has no NtQuerySystemTime histogram")
            failed = True
        dump = subprocess.run(["bpftool", "map", "dump", "pinned", os.path.join(bpffs, "trace_stats")],
                              capture_output=True, text=True, check=True).stdout
        if '"calls"' not in dump and "calls" not in dump:
            print("FAIL: bpftool map dump shows no named fields")
            failed = True
    finally:
        run([ireactor, "stats", "--detach"], env, check=False)
        run([ireactor, "ns", "delete", "tracens"], env, check=False)
        remove_cgroup_tree(cgroup_parent)

    if os.path.exists(bpffs):
        print("FAIL: %s still exists: %s" % (bpffs, os.listdir(bpffs)))
        failed = True
    left_progs, left_links = wait_gone(progs)
    if left_progs or left_links:
        print("FAIL: left behind: programs %s links %s" % (left_progs, left_links))
        failed = True
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
