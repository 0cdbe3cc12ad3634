#!/usr/bin/env python3
"""ireactord against the running kernel: real BPF programs, real cgroups, a real namespace process.

Usage: agent_test.py SCENARIO --ireactord PATH --ireactor PATH --opener PATH [--lsm] [--reloads N]

Scenarios:
  hot_reload  N policy rewrites while a namespace process keeps opening a denied device: zero
              successful opens, and every rewrite became its own generation.
  malformed   a policy with a syntax error is refused with file:line:col (status.json and log),
              the namespace keeps its policy, also across an agent restart; a deleted policy
              file takes its namespace out of enforcement.
  restart     SIGTERM and start again, repeatedly, while the process keeps opening: zero
              successful opens, the pinned guard is picked up (same maps, one cgroup program).
  audit       denials reach audit.jsonl with every field; `ireactor audit` filters, formats and
              follows across logrotate; a full ring buffer is reported as lost events.
  status      `ireactor status [--json]` with and without a running agent.
  signals     SIGTERM/SIGINT exit 0 leaving the pins; --require; one agent at a time;
              --uninstall removes the guard.
--lsm: the kernel has BPF LSM (the qemu guest): the agent runs with --require lsm, and the
namespace process also issues an ioctl that only the LSM layer refuses.

Needs root, bpffs and cgroup2: prints "SKIP: reason" and exits 77 without them. Everything it
makes (temp dirs, cgroup ireactor-test-PID, bpffs ireactor-test-PID) is removed at the end.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from cgroup2 import cgroup2_mount  # noqa: E402 (tests/lib)

SKIP = 77
FAILURES = []


def check(cond, what, detail=""):
    if cond:
        print(f"ok {what}")
    else:
        FAILURES.append(what)
        print(f"FAIL {what}" + (f": {detail}" if detail else ""))
    sys.stdout.flush()
    return cond


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


class TestError(Exception):
    """A failure after which the scenario cannot go on."""


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def policy_text(ns, c_dir, variant=0, audit_denials=False, note=""):
    """A policy denying /dev/zero (explicitly) and allowing /dev/null; variants differ
    elsewhere. Returns (text, line of the /dev/zero deny rule)."""
    lines = [
        "apiVersion: ireactor/v1",
        "kind: Namespace",
        f"metadata: {{name: {ns}}}",
        "spec:",
        "  drives:",
        f"    C: {c_dir}",
        "  devices:",
        "    default: deny",
        "    allow:",
        "      - {path: /dev/null}",
    ]
    if variant % 2:
        lines.append("      - {path: /dev/full, access: r}")
    lines.append("    deny:")
    lines.append("      - {path: /dev/zero}")
    deny_line = len(lines)
    lines += [
        "  ioctls:",
        "    default: deny",
        f"  audit: {{devices: none, denials: {'true' if audit_denials else 'false'}}}",
    ]
    if note:
        lines.append(f"# {note}")
    return "\n".join(lines) + "\n", deny_line


class Opener:
    """dev_opener inside a namespace cgroup."""

    def __init__(self, harness, cgroup, denied, allowed, pause_us=0, ioctl=False):
        cmd = [harness.args.opener, cgroup, denied, allowed]
        if pause_us:
            cmd += ["--pause-us", str(pause_us)]
        if ioctl:
            cmd.append("--ioctl")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("ready "):
            self.proc.kill()
            raise TestError(f"dev_opener did not start in {cgroup}: {line!r}")
        self.pid = int(line.split()[1])

    def counts(self):
        self.proc.send_signal(signal.SIGUSR1)
        return json.loads(self.proc.stdout.readline())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=10)
        lines = [l for l in out.splitlines() if l.startswith("{")]
        return json.loads(lines[-1]) if lines else None


class Harness:
    def __init__(self, args):
        self.args = args
        self.tag = f"ireactor-test-{os.getpid()}"
        self.scratch = tempfile.mkdtemp(prefix="ireactor-agent-test-")
        self.dirs = {k: os.path.join(self.scratch, k) for k in ("policy", "state", "run", "log")}
        for d in self.dirs.values():
            os.makedirs(d)
        self.c_dir = os.path.join(self.scratch, "c")
        os.makedirs(self.c_dir)
        self.bpffs = f"/sys/fs/bpf/{self.tag}"
        self.cgroup_root = os.path.join(cgroup2_mount(), self.tag)
        self.env = dict(os.environ,
                        IREACTOR_POLICY_DIR=self.dirs["policy"],
                        IREACTOR_STATE_DIR=self.dirs["state"],
                        IREACTOR_RUN_DIR=self.dirs["run"],
                        IREACTOR_LOG_DIR=self.dirs["log"],
                        IREACTOR_BPFFS_DIR=self.bpffs,
                        IREACTOR_CGROUP=self.tag)
        self.status_file = os.path.join(self.dirs["run"], "status.json")
        self.audit_log = os.path.join(self.dirs["log"], "audit.jsonl")
        self.agent = None
        self.agent_log = None
        self.agent_count = 0
        self.openers = []

    # --- the agent ---------------------------------------------------------------------------
    def agent_cmd(self, *extra):
        cmd = [self.args.ireactord, "--debounce-ms", "2"]
        if self.args.lsm:
            cmd += ["--require", "lsm"]
        return cmd + list(extra)

    def start_agent(self, *extra):
        self.agent_count += 1
        self.agent_log = os.path.join(self.scratch, f"agent-{self.agent_count}.log")
        log = open(self.agent_log, "w")
        self.agent = subprocess.Popen(self.agent_cmd(*extra), stdout=log, stderr=log, env=self.env)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            st = self.status()
            if st and st.get("pid") == self.agent.pid:
                return st
            if self.agent.poll() is not None:
                raise TestError(f"ireactord exited with {self.agent.returncode}:\n"
                                + self.read_agent_log())
            time.sleep(0.01)
        raise TestError("ireactord wrote no status.json within 60 s:\n" + self.read_agent_log())

    def stop_agent(self, sig=signal.SIGTERM):
        self.agent.send_signal(sig)
        try:
            rc = self.agent.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.agent.kill()
            self.agent.wait()
            rc = None
        self.agent = None
        return rc

    def read_agent_log(self):
        with open(self.agent_log) as f:
            return f.read()

    def status(self):
        try:
            with open(self.status_file) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def wait_status(self, pred, what, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.status()
            if st is not None and pred(st):
                return st
            time.sleep(0.002)
        raise TestError(f"status.json never showed {what}; last: {json.dumps(self.status())}")

    def wait_in_force(self, ns, text):
        want = sha256(text)
        return self.wait_status(
            lambda st: st.get("namespaces", {}).get(ns, {}).get("sha256") == want,
            f"namespace {ns} in force with sha256 {want[:12]}")

    # --- policies ----------------------------------------------------------------------------
    def policy_file(self, ns):
        return os.path.join(self.dirs["policy"], f"{ns}.yaml")

    def write_policy(self, ns, text, atomic=True):
        path = self.policy_file(ns)
        if atomic:  # as `ireactor policy apply` does: aside, then rename
            tmp = os.path.join(self.dirs["policy"], f".{ns}.yaml.tmp")
            with open(tmp, "w") as f:
                f.write(text)
            os.rename(tmp, path)
        else:
            with open(path, "w") as f:
                f.write(text)
        return path

    def start_opener(self, ns, denied="/dev/zero", allowed="/dev/null", pause_us=0, ioctl=None):
        cgroup = self.status()["namespaces"][ns]["cgroup"]
        opener = Opener(self, cgroup, denied, allowed, pause_us,
                        self.args.lsm if ioctl is None else ioctl)
        self.openers.append(opener)
        return opener

    def ireactor(self, *args, env=None, timeout=30):
        return subprocess.run([self.args.ireactor] + list(args), capture_output=True, text=True,
                              env=env or self.env, timeout=timeout)

    # --- cleanup -----------------------------------------------------------------------------
    def cleanup(self):
        for o in self.openers:
            if o.proc.poll() is None:
                o.proc.kill()
                o.proc.wait()
        if self.agent is not None:
            self.stop_agent()
        subprocess.run([self.args.ireactord, "--uninstall"], env=self.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.path.isdir(self.bpffs):  # what --uninstall could not remove
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
        if FAILURES:
            print(f"kept {self.scratch} for a look")
        else:
            shutil.rmtree(self.scratch, ignore_errors=True)


def check_layers(h, st):
    layers = st["layers"]
    if h.args.lsm:
        if not layers.get("lsm"):
            raise TestError(f"--lsm: the kernel has no BPF LSM: {layers.get('lsm_error')}")
    elif not layers.get("cgroup_dev"):
        skip(f"cgroup/dev programs do not load on this kernel: layers {layers}")


def check_opener(what, counts, ioctl=None):
    """No successful open of the denied device, the allowed one always opened."""
    ioctl = ioctl if ioctl is not None else ARGS.lsm
    check(counts["attempts"] > 0, f"{what}: the namespace process kept opening", counts)
    check(counts["opened"] == 0, f"{what}: zero successful opens of the denied device "
          f"({counts['attempts']} attempts)", counts)
    check(counts["other_errors"] == 0, f"{what}: every refusal was EPERM", counts)
    check(counts["allowed_failures"] == 0, f"{what}: the allowed device always opened "
          f"({counts['allowed_attempts']} opens)", counts)
    if ioctl:
        check(counts["ioctl_passed"] == 0 and counts["ioctl_denied"] > 0,
              f"{what}: every ioctl refused by the LSM layer ({counts['ioctl_denied']})", counts)


def bpftool(*args):
    """bpftool's JSON answer; None when bpftool is missing or fails."""
    tool = shutil.which("bpftool") or "/usr/sbin/bpftool"
    if not os.path.exists(tool):
        return None
    p = subprocess.run([tool, "-j"] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return json.loads(p.stdout) if p.stdout.strip() else []


def pinned_map_id(h, name):
    info = bpftool("map", "show", "pinned", os.path.join(h.bpffs, name))
    return info["id"] if info else os.stat(os.path.join(h.bpffs, name)).st_ino


def cgroup_programs(cgroup):
    progs = bpftool("cgroup", "show", cgroup)
    return None if progs is None else [p.get("attach_type") for p in progs]


# --- scenarios --------------------------------------------------------------------------------
def scenario_hot_reload(h):
    st = h.start_agent()
    check_layers(h, st)
    text, _ = policy_text("alpha", h.c_dir, note="reload 0")
    h.write_policy("alpha", text)
    st = h.wait_in_force("alpha", text)
    first = st["generation"]
    opener = h.start_opener("alpha")
    time.sleep(0.2)
    check_opener("before the reloads", opener.counts())

    reloads = ARGS.reloads
    generations_ok = True
    started = time.monotonic()
    for i in range(1, reloads + 1):
        text, _ = policy_text("alpha", h.c_dir, variant=i, note=f"reload {i}")
        h.write_policy("alpha", text)
        st = h.wait_in_force("alpha", text)
        if st["generation"] != first + i and generations_ok:
            generations_ok = False
            check(False, f"reload {i} is generation {first + i}", f"got {st['generation']}")
    elapsed = time.monotonic() - started
    counts = opener.stop()
    print(f"{reloads} reloads in {elapsed:.1f} s ({1000 * elapsed / reloads:.1f} ms each); "
          f"{counts['attempts']} opens of the denied device meanwhile")
    check(generations_ok, f"each of the {reloads} rewrites applied as its own generation")
    st = h.status()
    check(st["generation"] == first + reloads,
          f"status.json generation {first} + {reloads}", st["generation"])
    check(st["namespaces"]["alpha"]["generation"] == first + reloads,
          "the namespace's generation is the last one")
    check_opener(f"during {reloads} reloads", counts)
    check(not st["rejected"], "no file rejected", st["rejected"])


def scenario_malformed(h):
    st = h.start_agent()
    check_layers(h, st)
    good, _ = policy_text("alpha", h.c_dir)
    path = h.write_policy("alpha", good)
    st = h.wait_in_force("alpha", good)
    gen = st["generation"]
    opener = h.start_opener("alpha")

    broken = good.replace("      - {path: /dev/null}", "      - {path: /dev/null")
    h.write_policy("alpha", broken, atomic=False)
    st = h.wait_status(lambda s: path in s.get("rejected", {}), f"{path} rejected")
    diags = st["rejected"][path]
    located = [d for d in diags if re.match(re.escape(path) + r":\d+:\d+: error: ", d)]
    check(located, "the syntax error is reported as file:line:col in status.json", diags)
    time.sleep(0.1)
    log = h.read_agent_log()
    check(located and located[0] in log, "and in the agent's log", log[-2000:])
    ns = st["namespaces"].get("alpha", {})
    check(ns.get("sha256") == sha256(good) and ns.get("generation") == gen,
          "the namespace keeps the policy in force", ns)
    check(st["generation"] == gen, "no new generation for a refused file", st["generation"])
    time.sleep(0.2)
    check_opener("with the refused file", opener.counts())

    # A restarted agent has no policy in memory: it must not let the broken file in either.
    check(h.stop_agent() == 0, "agent stopped")
    st = h.start_agent()
    ns = st["namespaces"].get("alpha", {})
    check(ns.get("sha256") == sha256(good), "after a restart the namespace still keeps the "
          "last good policy", st)
    check(path in st["rejected"], "after a restart the file is still reported", st["rejected"])
    time.sleep(0.2)
    check_opener("across the restart with the refused file", opener.counts())

    # A file naming another namespace is refused too.
    other = h.write_policy("other", good)
    st = h.wait_status(lambda s: other in s.get("rejected", {}), "other.yaml rejected")
    check(any("differs from the file name" in d for d in st["rejected"][other]),
          "metadata.name must match the file name", st["rejected"][other])
    os.unlink(other)

    fixed, _ = policy_text("alpha", h.c_dir, variant=1)
    h.write_policy("alpha", fixed)
    st = h.wait_in_force("alpha", fixed)
    st = h.wait_status(lambda s: not s["rejected"], "no file rejected")
    check(st["namespaces"]["alpha"]["generation"] > gen, "the fixed file goes in force")
    check_opener("after the fix", opener.counts())

    # Deleting the file takes the namespace out of enforcement (docs/agent.md).
    before = opener.counts()
    os.unlink(path)
    h.wait_status(lambda s: "alpha" not in s["namespaces"], "alpha no longer in force")
    time.sleep(0.2)
    after = opener.counts()
    check(after["opened"] > before["opened"], "a deleted policy file is no longer enforced",
          after)
    if bpftool("version") is not None:
        progs = cgroup_programs(os.path.join(h.cgroup_root, "alpha"))
        check(progs == [], "its cgroup programs are detached", progs)
    opener.stop()


def scenario_restart(h):
    st = h.start_agent()
    check_layers(h, st)
    text, _ = policy_text("alpha", h.c_dir)
    h.write_policy("alpha", text)
    st = h.wait_in_force("alpha", text)
    cgroup = st["namespaces"]["alpha"]["cgroup"]
    map_id = pinned_map_id(h, "policy")
    programs = cgroup_programs(cgroup)
    opener = h.start_opener("alpha")
    time.sleep(0.2)
    for k in range(1, 6):
        gen = h.status()["generation"]
        before = opener.counts()
        check(h.stop_agent() == 0, f"restart {k}: SIGTERM exit status 0")
        if k == 3:  # a change while no agent runs is applied by the next one
            text, _ = policy_text("alpha", h.c_dir, variant=1, note="changed while stopped")
            h.write_policy("alpha", text)
        time.sleep(0.3)  # no agent: the pinned guard alone enforces
        between = opener.counts()
        check(between["attempts"] > before["attempts"] and between["opened"] == 0,
              f"restart {k}: enforcement holds with no agent running", between)
        st = h.start_agent()
        check(st["resumed"] is True, f"restart {k}: the pinned guard is picked up")
        check(st["generation"] == gen + 1, f"restart {k}: generation numbering continues",
              (gen, st["generation"]))
        check(st["namespaces"].get("alpha", {}).get("sha256") == sha256(text),
              f"restart {k}: the current file is in force")
        check(pinned_map_id(h, "policy") == map_id, f"restart {k}: same pinned policy map")
        if programs is not None:
            check(cgroup_programs(cgroup) == programs,
                  f"restart {k}: the cgroup's programs are the same, not stacked",
                  cgroup_programs(cgroup))
    check_opener("across 5 agent restarts", opener.stop())


def audit_lines(h):
    try:
        with open(h.audit_log) as f:
            return [json.loads(l) for l in f if l.strip()]
    except FileNotFoundError:
        return []


AUDIT_FIELDS = ["time", "ns", "pid", "tid", "image", "event", "device", "dev", "access", "ioctl",
                "feature", "decision", "layer", "rule", "generation"]


def scenario_audit(h):
    st = h.start_agent()
    check_layers(h, st)
    alpha, deny_line = policy_text("alpha", h.c_dir, audit_denials=True)
    alpha_file = h.write_policy("alpha", alpha)
    # beta: /dev/zero falls to the default rule
    beta = alpha.replace("metadata: {name: alpha}", "metadata: {name: beta}").replace(
        "    deny:\n      - {path: /dev/zero}\n", "")
    h.write_policy("beta", beta)
    h.wait_in_force("alpha", alpha)
    st = h.wait_in_force("beta", beta)
    gen = st["generation"]
    t0 = time.time()
    a = h.start_opener("alpha", pause_us=20000, ioctl=False)
    b = h.start_opener("beta", pause_us=20000, ioctl=False)
    time.sleep(0.5)
    ca, cb = a.stop(), b.stop()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = audit_lines(h)
        na = sum(1 for e in lines if e.get("ns") == "alpha")
        nb = sum(1 for e in lines if e.get("ns") == "beta")
        if na >= ca["denied"] and nb >= cb["denied"]:
            break
        time.sleep(0.05)
    check(na == ca["denied"] and nb == cb["denied"],
          "every denial is in audit.jsonl, once", (na, ca["denied"], nb, cb["denied"]))
    ea = next((e for e in lines if e.get("ns") == "alpha"), None)
    eb = next((e for e in lines if e.get("ns") == "beta"), None)
    if not check(ea is not None and eb is not None, "both namespaces audited"):
        return
    check(list(ea.keys()) == AUDIT_FIELDS, "the documented fields, in order", list(ea.keys()))
    want = {"ns": "alpha", "pid": a.pid, "tid": a.pid, "image": "dev_opener",
            "event": "device_open", "device": "/dev/zero", "dev": "c 1:5", "access": "r",
            "ioctl": None, "feature": None, "decision": "deny",
            "rule": f"{alpha_file}:{deny_line}", "generation": gen}
    got = {k: ea.get(k) for k in want}
    check(got == want, "alpha's denial names namespace, process, device, rule", got)
    check(ea["layer"] in (("cgroup_dev", "lsm") if ARGS.lsm else ("cgroup_dev",)),
          "layer", ea["layer"])
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", ea["time"]) is not None,
          "time is RFC 3339 UTC with microseconds", ea["time"])
    when = time.mktime(time.strptime(ea["time"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    check(abs(when - t0) < 10, "time is the wall clock time of the denial", (ea["time"], t0))
    check(eb["rule"] == "default" and eb["pid"] == b.pid, "beta's denial names the default rule",
          eb)
    check(not any(e.get("device") == "/dev/null" for e in lines),
          "allowed opens are not audited (devices: none)")

    p = h.ireactor("audit", "--json", "--ns", "alpha")
    got = [json.loads(l) for l in p.stdout.splitlines()]
    check(p.returncode == 0 and len(got) == na and all(e["ns"] == "alpha" for e in got),
          "ireactor audit --json --ns alpha: alpha's lines only", (p.returncode, len(got), na))
    p = h.ireactor("audit", "--ns", "beta", "-n", "3")
    text = [" ".join(l.split()) for l in p.stdout.splitlines()]  # columns are padded
    check(p.returncode == 0 and len(text) == 3 and all(
        f" beta {b.pid} dev_opener device_open /dev/zero (c 1:5) r deny rule=default" in l
        for l in text),
        "ireactor audit --ns beta -n 3: three aligned text lines", p.stdout)
    p = h.ireactor("audit", "--ns", "nosuch")
    check(p.returncode == 0 and p.stdout == "", "an unknown namespace: no lines, exit 0", p)
    p = h.ireactor("audit", "--lines", "-1")
    check(p.returncode == 2, "a bad option: exit 2", p.returncode)
    p = h.ireactor("audit", env=dict(h.env, IREACTOR_LOG_DIR=os.path.join(h.scratch, "none")))
    check(p.returncode == 1 and "cannot read the audit log" in p.stderr,
          "no audit log: exit 1", p.stderr)

    # -f follows across logrotate (rename, SIGHUP to the agent, new file).
    follower = subprocess.Popen([h.args.ireactor, "audit", "-f", "--json", "--ns", "alpha",
                                 "-n", "0"], stdout=subprocess.PIPE, text=True, env=h.env)
    time.sleep(0.5)
    os.rename(h.audit_log, h.audit_log + ".1")
    h.agent.send_signal(signal.SIGHUP)
    h.wait_status(lambda s: os.path.exists(h.audit_log), "a new audit.jsonl after SIGHUP", 5)
    c = h.start_opener("alpha", pause_us=20000, ioctl=False)
    time.sleep(0.5)
    cc = c.stop()
    time.sleep(1.0)
    follower.terminate()
    out, _ = follower.communicate(timeout=10)
    followed = [json.loads(l) for l in out.splitlines()]
    check(len(followed) == cc["denied"] and all(e["pid"] == c.pid for e in followed),
          "audit -f follows into the new file after logrotate", (len(followed), cc["denied"]))
    check(len(audit_lines(h)) == cc["denied"], "the agent writes to the new file after SIGHUP")

    # A full ring buffer: the agent stopped reading; events are lost, counted and reported.
    h.agent.send_signal(signal.SIGSTOP)
    flood = h.start_opener("alpha", ioctl=False)
    time.sleep(1.5)
    flood_counts = flood.stop()
    h.agent.send_signal(signal.SIGCONT)
    st = h.wait_status(lambda s: s["audit_lost"] > 0, "audit_lost > 0", 10)
    lost = [e for e in audit_lines(h) if e.get("event") == "lost"]
    check(lost and lost[0]["count"] > 0 and sum(e["count"] for e in lost) == st["audit_lost"],
          "lost events are reported in audit.jsonl and status.json",
          (lost, st["audit_lost"], flood_counts["denied"]))
    time.sleep(0.2)
    check("events lost" in h.read_agent_log(), "and warned about in the log")
    p = h.ireactor("audit", "--ns", "alpha")
    lost_text = [l for l in p.stdout.splitlines() if re.match(r"\S+Z LOST \d+ audit events", l)]
    check(p.returncode == 0 and len(lost_text) == len(lost), "ireactor audit shows the lost lines",
          lost_text)


def scenario_status(h):
    st = h.start_agent()
    check_layers(h, st)
    text, _ = policy_text("alpha", h.c_dir)
    path = h.write_policy("alpha", text)
    bad = h.write_policy("broken", "apiVersion: ireactor/v1\nkind: [\n", atomic=False)
    h.wait_in_force("alpha", text)
    h.wait_status(lambda s: bad in s["rejected"], "broken.yaml rejected")

    p = h.ireactor("status", "--json")
    check(p.returncode == 0, "status --json exit 0 with the agent running", p.stderr)
    out = json.loads(p.stdout)
    check(out["running"] is True and out["pid"] == h.agent.pid, "running, with its pid")
    layers = out["layers"]
    check(sorted(layers) == sorted(["lsm", "lsm_error", "cgroup_dev", "sock_create", "sysctl",
                                    "seccomp_audit", "landlock_abi", "seccomp"]),
          "every layer is stated", sorted(layers))
    check(layers["lsm"] is ARGS.lsm and (ARGS.lsm or layers["lsm_error"]),
          "BPF LSM as this kernel has it, with the reason when not", layers)
    if not ARGS.lsm:
        check("LSM" not in out["enforcement"]["ioctls"] and
              "LSM" not in out["enforcement"]["device_opens"],
              "no LSM enforcement claimed without LSM", out["enforcement"])
    ns = out["namespaces"]["alpha"]
    cg = ns["cgroup"]
    check(ns["file"] == path and ns["sha256"] == sha256(text) and ns["rules"] == 2
          and ns["ns_id"] >= 1 and ns["generation"] == out["generation"],
          "the namespace: file, sha256, rules, id, generation", ns)
    check(os.path.isdir(cg) and ns["cgroup_id"] == os.stat(cg).st_ino
          and cg == os.path.join(h.cgroup_root, "alpha"), "its cgroup and cgroup id", ns)
    check(bad in out["rejected"] and re.match(re.escape(bad) + r":\d+:\d+: error",
                                               out["rejected"][bad][0]),
          "the rejected file with file:line:col", out["rejected"])
    check(out["audit_lost"] == 0, "audit_lost 0")
    check({"policy", "audit", "counters"} <= set(out["pins"]), "pins listed", out["pins"])

    p = h.ireactor("status")
    check(p.returncode == 0 and "running, pid" in p.stdout and "alpha" in p.stdout
          and bad in p.stdout, "status text", p.stdout)
    if not ARGS.lsm:
        check("BPF LSM UNAVAILABLE" in p.stdout, "says plainly that BPF LSM is unavailable")

    check(h.stop_agent() == 0, "agent stopped")
    p = h.ireactor("status")
    check(p.returncode == 1 and "NOT running" in p.stdout and "policy" in p.stdout,
          "no agent: says so, still shows the pins, exit 1", (p.returncode, p.stdout))
    p = h.ireactor("status", "--json")
    out = json.loads(p.stdout)
    check(p.returncode == 1 and out["running"] is False and "policy" in out["pins"],
          "no agent: --json running false, pins", out)
    p = h.ireactor("status", env=dict(h.env, IREACTOR_RUN_DIR=os.path.join(h.scratch, "none"),
                                      IREACTOR_BPFFS_DIR=os.path.join(h.scratch, "none")))
    check(p.returncode == 1 and "NOT running" in p.stdout and "none (nothing is enforced)"
          in p.stdout, "nothing installed: exit 1", p.stdout)


def scenario_signals(h):
    st = h.start_agent()
    check_layers(h, st)
    text, _ = policy_text("alpha", h.c_dir)
    h.write_policy("alpha", text)
    h.wait_in_force("alpha", text)

    second = subprocess.run(h.agent_cmd(), capture_output=True, text=True, env=h.env, timeout=60)
    check(second.returncode == 1 and "already runs" in second.stderr,
          "a second agent on the same directories refuses to start", second.stderr)
    uninstall = subprocess.run([h.args.ireactord, "--uninstall"], capture_output=True, text=True,
                               env=h.env, timeout=60)
    check(uninstall.returncode == 1 and os.path.exists(os.path.join(h.bpffs, "policy")),
          "--uninstall refuses while the agent runs", uninstall.stderr)

    check(h.stop_agent(signal.SIGTERM) == 0, "SIGTERM: exit status 0")
    log = h.read_agent_log()
    check("SIGTERM" in log, "the stop is logged", log[-500:])
    check(os.path.exists(os.path.join(h.bpffs, "policy")), "pins stay after SIGTERM")
    check(h.status()["namespaces"].get("alpha") is not None, "status.json stays")
    h.start_agent()
    check(h.stop_agent(signal.SIGINT) == 0, "SIGINT: exit status 0")

    if not ARGS.lsm:
        p = subprocess.run([h.args.ireactord, "--require", "lsm"], capture_output=True, text=True,
                           env=h.env, timeout=60)
        check(p.returncode == 1 and "required enforcement layer not available: lsm" in p.stderr,
              "--require lsm refuses to start without BPF LSM", p.stderr)
    p = subprocess.run([h.args.ireactord, "--require", "nosuch"], capture_output=True, text=True,
                       env=h.env, timeout=60)
    check(p.returncode == 2, "--require with an unknown layer: exit 2", p.returncode)
    p = subprocess.run(h.agent_cmd("--once"), capture_output=True, text=True, env=h.env,
                       timeout=60)
    check(p.returncode == 0 and h.status()["namespaces"].get("alpha"), "--once applies, exit 0",
          p.stderr)

    cgroup = os.path.join(h.cgroup_root, "alpha")
    p = subprocess.run([h.args.ireactord, "--uninstall"], capture_output=True, text=True,
                       env=h.env, timeout=60)
    check(p.returncode == 0 and not os.path.exists(h.bpffs), "--uninstall removes the pins",
          (p.returncode, p.stderr))
    if bpftool("version") is not None:
        check(cgroup_programs(cgroup) == [], "and detaches the cgroup programs",
              cgroup_programs(cgroup))
    o = Opener(h, cgroup, "/dev/zero", "/dev/null", ioctl=False)
    h.openers.append(o)
    time.sleep(0.1)
    counts = o.stop()
    check(counts["opened"] > 0, "after --uninstall nothing is enforced", counts)


SCENARIOS = {
    "hot_reload": scenario_hot_reload,
    "malformed": scenario_malformed,
    "restart": scenario_restart,
    "audit": scenario_audit,
    "status": scenario_status,
    "signals": scenario_signals,
}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--ireactord", required=True)
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--opener", required=True)
    ap.add_argument("--lsm", action="store_true")
    ap.add_argument("--reloads", type=int, default=1000)
    ARGS = ap.parse_args()

    if os.geteuid() != 0:
        skip("needs root (BPF programs, cgroups)")
    if not os.path.ismount("/sys/fs/bpf"):
        skip("bpffs is not mounted on /sys/fs/bpf")
    if cgroup2_mount() is None:
        skip("no cgroup2 mount")

    h = Harness(ARGS)
    try:
        SCENARIOS[ARGS.scenario](h)
    except TestError as e:
        check(False, "scenario could not go on", str(e))
        if h.agent_log and os.path.exists(h.agent_log):
            print("--- agent log (end) ---\n" + h.read_agent_log()[-3000:])
    finally:
        h.cleanup()
    print(f"{ARGS.scenario}: {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
