#!/usr/bin/env python3
"""Runs a hostile Windows program (hostile.exe, raw Linux system calls from PE code) or the
read-only drive program through `ireactor run`, against the real kernel, for ctest.

Modes:
  enforced    ireactord runs (its guard on this kernel's layers); `ireactor run --ns hostile`:
              every attempt must be refused, and each refusal the guard can see must be in
              audit.jsonl. With --require-lsm (the guest) the agent must have the LSM layer.
              With --lsm-only as well, no Landlock domain is made (no read-only drive, the
              program copied into C:), so every feature and ioctl refusal must be the LSM
              layer's: a Landlock domain refuses mount and ptrace before the BPF LSM hook runs.
  unenforced  no agent; `run --ns hostile --unenforced`: the process-start layers alone (seccomp,
              Landlock) must refuse what they cover; what only the guard covers (device opens,
              raw inet sockets) must NOT be refused, which shows the run is what it says.
  control     no namespace at all (`run --unenforced`, no --ns): no attempt may be refused, which
              shows every attempt is a real one that reaches the kernel and passes its checks.
  readonly    readonly_drive.exe in `run --ns hostile --unenforced`: the NT view of a read-only
              drive (STATUS_MEDIA_WRITE_PROTECTED) with Landlock in force, C: still writable.
  children    an ordinary program that starts processes (tests/win32/process_spawn.exe) in
              `run --ns hostile --unenforced`: its children run `ireactor run --ns` again under
              its seccomp and Landlock layers (the cgroup mounts fenced, clone3 refused) and
              all of its checks pass.

Everything lives in a fresh scratch directory through the IREACTOR_* variables, with a cgroup
parent and bpffs directory of its own (ireactor-test-<pid>), removed afterwards. Needs root
(cgroups, and in control mode the operations themselves); otherwise SKIP (exit 77).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
from cgroup2 import cgroup2_mount  # noqa: E402 (tests/lib)

SKIP = 77
NS = "hostile"
HERE = os.path.dirname(os.path.abspath(__file__))

# Attempts the process-start layers refuse (seccomp: features, clone3; Landlock: ioctl, the cgroup
# mounts, read-only drive). ro_drive stays last (the LSM-only run leaves it out).
START_LAYER_ATTEMPTS = ["ioctl_device", "ptrace", "mount", "packet_socket", "bpf", "perf_event",
                        "module_load", "set_time", "reboot", "cgroup", "ro_drive"]
# Attempts only the guard refuses (cgroup/dev, cgroup/sock_create or LSM).
GUARD_ATTEMPTS = ["open_device", "raw_socket"]
LINE = re.compile(r"^(?P<what>[^:\n]+?): (?P<result>ok \(-?\d+\)|-E[A-Z?]+(?: \(\d+\))?|"
                  r"not attempted.*)$", re.MULTILINE)
REFUSED = re.compile(r"^-(EPERM|EACCES)$")
# clone3 is refused with ENOSYS, so that libc falls back to clone (which cannot pick a cgroup).
REFUSED_WITH_ENOSYS = ("clone3",)

# Label prefix of each attempt's line -> the audit record the guard writes for its refusal
# (event, feature or device) and the layers (status.json "layers") that can see it.
AUDITED = [
    ("openat /dev/zero", {"event": "device_open", "dev": "c 1:5"}, ("cgroup_dev", "lsm")),
    ("socket AF_INET SOCK_RAW", {"event": "feature", "feature": "rawSockets"},
     ("sock_create", "lsm")),
    ("socket AF_PACKET", {"event": "feature", "feature": "packetSockets"},
     ("seccomp_audit", "lsm")),
    ("ptrace", {"event": "feature", "feature": "ptrace"}, ("seccomp_audit", "lsm")),
    ("mount", {"event": "feature", "feature": "mount"}, ("seccomp_audit", "lsm")),
    ("bpf", {"event": "feature", "feature": "bpf"}, ("seccomp_audit", "lsm")),
    ("perf_event_open", {"event": "feature", "feature": "perfEvents"}, ("seccomp_audit", "lsm")),
    ("init_module", {"event": "feature", "feature": "moduleLoad"}, ("seccomp_audit", "lsm")),
    ("settimeofday", {"event": "feature", "feature": "setTime"}, ("seccomp_audit", "lsm")),
    ("adjtimex", {"event": "feature", "feature": "setTime"}, ("seccomp_audit", "lsm")),
    ("reboot", {"event": "feature", "feature": "kexecReboot"}, ("seccomp_audit", "lsm")),
    ("ioctl /dev/urandom", {"event": "ioctl"}, ("lsm",)),
    ("cgroup write-open", {"event": "feature", "feature": "cgroupWrite"}, ("lsm",)),
    ("cgroup mkdir", {"event": "feature", "feature": "cgroupWrite"}, ("lsm",)),
]

failures = []


def check(cond, what, detail=""):
    print(("ok   " if cond else "FAIL ") + what + (("\n     " + detail) if detail and not cond
                                                   else ""), flush=True)
    if not cond:
        failures.append(what)
    return cond


def skip(reason):
    print(f"SKIP: {reason}", flush=True)
    sys.exit(SKIP)


class Harness:
    def __init__(self, a):
        self.a = a
        self.tag = f"ireactor-test-{os.getpid()}"
        if a.work:
            shutil.rmtree(a.work, ignore_errors=True)
            os.makedirs(a.work)
            self.scratch = os.path.abspath(a.work)
        else:
            self.scratch = tempfile.mkdtemp(prefix="ireactor-hostile-")
        self.dirs = {k: os.path.join(self.scratch, k) for k in ("policy", "state", "run", "log")}
        for d in self.dirs.values():
            os.makedirs(d)
        self.ro = os.path.join(self.scratch, "ro")
        os.makedirs(self.ro)
        self.mnt = os.path.join(self.scratch, "mnt")  # what hostile.exe tries to mount on
        os.makedirs(self.mnt)
        with open(os.path.join(self.ro, "existing.txt"), "w") as f:
            f.write("read-only\n")
        self.bpffs = f"/sys/fs/bpf/{self.tag}"
        self.cgroup_root = os.path.join(cgroup2_mount(), self.tag)
        self.env = dict(os.environ, IREACTOR_POLICY_DIR=self.dirs["policy"],
                        IREACTOR_STATE_DIR=self.dirs["state"], IREACTOR_RUN_DIR=self.dirs["run"],
                        IREACTOR_LOG_DIR=self.dirs["log"], IREACTOR_BPFFS_DIR=self.bpffs,
                        IREACTOR_CGROUP=self.tag,
                        XDG_DATA_HOME=os.path.join(self.scratch, "xdg"))
        self.status_file = os.path.join(self.dirs["run"], "status.json")
        self.audit_log = os.path.join(self.dirs["log"], "audit.jsonl")
        self.agent = None
        self.target = None

    def ireactor(self, *args, timeout=60):
        cmd = [self.a.ireactor] + list(args)
        print("$ " + " ".join(cmd), flush=True)
        p = subprocess.run(cmd, capture_output=True, text=True, env=self.env, timeout=timeout)
        sys.stdout.write(p.stdout)
        sys.stdout.write("".join("  | " + l + "\n" for l in p.stderr.splitlines()))
        return p

    def create_namespace(self, read_only_drive=True):
        drive = ["--drive", f"D:={self.ro}:ro"] if read_only_drive else []
        p = self.ireactor("ns", "create", NS, "--from", os.path.join(HERE, "hostile_policy.yaml"),
                          *drive)
        if p.returncode != 0:
            raise RuntimeError("ireactor ns create failed")

    def program_inside_c(self):
        """A copy of the program on C: (no read-only drive for its directory)."""
        copy = os.path.join(self.dirs["state"], "namespaces", NS, "c",
                            os.path.basename(self.a.program))
        shutil.copy(self.a.program, copy)
        return copy

    def status(self):
        try:
            with open(self.status_file) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def start_agent(self):
        log = open(os.path.join(self.scratch, "agent.log"), "w")
        cmd = [self.a.ireactord, "--debounce-ms", "2"]
        if self.a.require_lsm:
            cmd += ["--require", "lsm"]
        print("$ " + " ".join(cmd), flush=True)
        self.agent = subprocess.Popen(cmd, stdout=log, stderr=log, env=self.env)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            st = self.status()
            if st and st.get("pid") == self.agent.pid and NS in st.get("namespaces", {}):
                return st
            if self.agent.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("ireactord did not put namespace hostile in force:\n" + self.agent_log())

    def agent_log(self):
        try:
            with open(os.path.join(self.scratch, "agent.log")) as f:
                return f.read()
        except OSError:
            return ""

    def cleanup(self):
        if os.path.ismount(self.mnt):  # the control run mounts and unmounts; never leave one
            subprocess.run(["umount", self.mnt])
        if self.target and self.target.poll() is None:
            self.target.kill()
            self.target.wait()
        if self.agent is not None:
            self.agent.send_signal(signal.SIGTERM)
            try:
                self.agent.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.agent.kill()
                self.agent.wait()
            subprocess.run([self.a.ireactord, "--uninstall"], env=self.env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.path.isdir(self.bpffs):
            for root, dirs, files in os.walk(self.bpffs, topdown=False):
                for name in files:
                    os.unlink(os.path.join(root, name))
                for name in dirs:
                    os.rmdir(os.path.join(root, name))
            os.rmdir(self.bpffs)
        if os.path.isdir(self.cgroup_root):
            for root, dirs, _ in os.walk(self.cgroup_root, topdown=False):
                for name in dirs:
                    os.rmdir(os.path.join(root, name))
            os.rmdir(self.cgroup_root)
        if failures:
            print(f"kept {self.scratch} for a look")
        elif not self.a.work:
            shutil.rmtree(self.scratch, ignore_errors=True)


def run_hostile(h, ns_args, only=None, program=None):
    # A process of our own to PTRACE_ATTACH: never the test runner or anything that matters.
    h.target = subprocess.Popen(["sleep", "300"])
    args = ["run", "-v"] + ns_args
    if h.a.entry:
        args += ["--entry", h.a.entry]
    # A cgroup directory of our own for the mkdir attempt (the control run really makes it).
    os.makedirs(h.cgroup_root, exist_ok=True)
    args += [program or h.a.program, f"ptrace_pid={h.target.pid}", f"ro_dir={h.ro}", f"mount_dir={h.mnt}",
             f"cgroup_procs={os.path.join(cgroup2_mount(), 'cgroup.procs')}",
             f"cgroup_dir={h.cgroup_root}"]
    if only:
        args.append("only=" + ",".join(only))
    p = h.ireactor(*args)
    h.target.kill()
    h.target.wait()
    results = {m.group("what"): m.group("result") for m in LINE.finditer(p.stdout)}
    check(bool(results), "the program reports its attempts", p.stdout + p.stderr)
    check("reached from Windows code" in p.stdout, "glibc's syscall() was found from PE code")
    return p, results


def refused(what, result):
    if what.startswith(REFUSED_WITH_ENOSYS):
        return result == "-ENOSYS"
    return bool(REFUSED.match(result))


def expect_all(results, want_refused, why):
    for what, result in results.items():
        if result.startswith("not attempted"):
            check(False, f"{what}: attempted", result)
        elif want_refused:
            check(refused(what, result), f"{what}: refused ({why})", result)
        else:
            check(not refused(what, result), f"{what}: not refused ({why})", result)


def audit_records(h):
    try:
        with open(h.audit_log) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def check_audit(h, results, layers):
    """Every refusal a working layer can see is in audit.jsonl, with our namespace."""
    wanted = []
    for prefix, fields, seen_by in AUDITED:
        if not any(w.startswith(prefix) for w in results):
            continue
        if any(layers.get(layer) for layer in seen_by):
            # Where the LSM layer works, it is the one that must have refused (and said so);
            # device opens meet cgroup/dev first.
            if h.a.lsm_only and fields["event"] != "device_open":
                fields = dict(fields, layer="lsm")
            wanted.append((prefix, fields))
        else:
            print(f"note {prefix}: refused by a process-start layer; none of "
                  f"{', '.join(seen_by)} works here, so the guard cannot audit it")
    deadline = time.monotonic() + 10
    while True:
        records = [r for r in audit_records(h) if r.get("ns") == NS and r.get("decision") == "deny"]
        missing = [(p, f) for p, f in wanted
                   if not any(all(r.get(k) == v for k, v in f.items()) for r in records)]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for prefix, fields in wanted:
        check((prefix, fields) not in missing, f"{prefix}: audited as {fields}",
              f"{len(records)} denial records for {NS}: "
              + "; ".join(json.dumps(r) for r in records[:20]))
    images = {r.get("image") for r in records}
    if records:
        check(any(i and i.startswith("hostile") for i in images),
              "audit records name the Windows program (comm hostile.exe)", str(images))


def mode_enforced(h):
    h.create_namespace(read_only_drive=not h.a.lsm_only)
    st = h.start_agent()
    layers = st.get("layers", {})
    print("layers: " + json.dumps(layers), flush=True)
    if h.a.require_lsm:
        check(layers.get("lsm") is True, "the agent has the LSM layer", json.dumps(layers))
    if h.a.lsm_only:
        p, results = run_hostile(h, ["--ns", NS], program=h.program_inside_c(),
                                 only=GUARD_ATTEMPTS + START_LAYER_ATTEMPTS[:-1])
        check("Landlock" not in p.stderr, "no Landlock domain was made", p.stderr)
    else:
        p, results = run_hostile(h, ["--ns", NS])
    expect_all(results, True, "guard and process-start layers")
    check(p.returncode == 0, "exit status 0: every attempt refused", f"exit {p.returncode}")
    check("UNENFORCED" not in p.stderr, "the run was enforced (no --unenforced warning)")
    check_audit(h, results, layers)


def mode_unenforced(h):
    h.create_namespace()
    p, results = run_hostile(h, ["--ns", NS, "--unenforced"])
    check("UNENFORCED" in p.stderr, "ireactor run warns that the namespace is unenforced")
    start = {w: r for w, r in results.items()
             if not any(w.startswith(g) for g in ("openat /dev/zero", "socket AF_INET SOCK_RAW"))}
    guard = {w: r for w, r in results.items() if w not in start}
    check(len(guard) == 2, "the guard-only attempts ran", str(results))
    expect_all(start, True, "seccomp / Landlock at process start")
    expect_all(guard, False, "only the guard covers it, and it is not running")
    check(os.path.exists(os.path.join(h.ro, "existing.txt")), "the read-only drive kept its file")


def mode_control(h):
    # No namespace: the default one, no cgroup, no layers.
    p, results = run_hostile(h, ["--unenforced"])
    expect_all(results, False, "outside any namespace")
    check(results.get("openat /dev/zero") is not None and
          results["openat /dev/zero"].startswith("ok"), "openat /dev/zero succeeds outside")
    check(p.returncode == 1, "exit status 1: attempts got through", f"exit {p.returncode}")
    check(not os.path.ismount(h.mnt), "the control's tmpfs mount was undone")


def mode_readonly(h):
    h.create_namespace()
    cmd = ["run", "-v", "--ns", NS, "--unenforced"]
    if h.a.entry:
        cmd += ["--entry", h.a.entry]
    p = h.ireactor(*cmd, h.a.program, "ro=D")
    m = re.search(r"^(\d+) passed, (\d+) failed\s*$", p.stdout, re.MULTILINE)
    check(m is not None and int(m.group(2)) == 0 and int(m.group(1)) > 0,
          "readonly_drive.exe: all checks pass", p.stdout[-2000:])
    check(p.returncode == 0, "exit status 0", f"exit {p.returncode}")
    check("is read-only" in p.stderr, "Landlock keeps the read-only drive read-only", p.stderr)
    check(sorted(os.listdir(h.ro)) == ["existing.txt"], "nothing changed on the read-only drive",
          str(os.listdir(h.ro)))


def mode_children(h):
    h.create_namespace()
    cmd = ["run", "-v", "--ns", NS, "--unenforced"]
    if h.a.entry:
        cmd += ["--entry", h.a.entry]
    p = h.ireactor(*cmd, h.program_inside_c(), timeout=240)
    m = re.search(r"^(\d+) passed, (\d+) failed\s*$", p.stdout, re.MULTILINE)
    check(m is not None and int(m.group(2)) == 0 and int(m.group(1)) > 0,
          "process_spawn.exe: all checks pass, children included", p.stdout[-2000:])
    check(p.returncode == 0, "exit status 0", f"exit {p.returncode}")
    check("no writes beneath the" in p.stderr, "Landlock fences the cgroup mounts", p.stderr)
    check("435/cgroupWrite" in p.stderr, "seccomp refuses clone3", p.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", required=True,
                    choices=("enforced", "unenforced", "control", "readonly", "children"))
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--ireactord", help="needed by --mode enforced")
    ap.add_argument("--program", required=True,
                    help="hostile.exe, readonly_drive.exe or (children) process_spawn.exe")
    ap.add_argument("--entry", choices=("gate", "sud"))
    ap.add_argument("--work", help="scratch directory (default: a new temporary one)")
    ap.add_argument("--require-lsm", action="store_true")
    ap.add_argument("--lsm-only", action="store_true",
                    help="enforced mode without a Landlock domain: the LSM layer must refuse")
    a = ap.parse_args()
    a.program = os.path.abspath(a.program)

    if os.geteuid() != 0:
        skip("needs root: namespace cgroups, and the operations the control run performs")
    if cgroup2_mount() is None:
        skip("cgroup2 is not mounted")
    if a.mode == "enforced" and not (a.ireactord and os.access(a.ireactord, os.X_OK)):
        skip(f"ireactord is not built ({a.ireactord})")
    h = Harness(a)
    try:
        {"enforced": mode_enforced, "unenforced": mode_unenforced, "control": mode_control,
         "readonly": mode_readonly, "children": mode_children}[a.mode](h)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        check(False, str(e))
    finally:
        h.cleanup()
    print(f"run_hostile_test: {'FAIL' if failures else 'ok'} ({len(failures)} failed)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
