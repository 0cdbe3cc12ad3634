#!/usr/bin/env python3
"""`ireactor policy validate|apply|show`: exit statuses, messages, what apply installs.

Usage:
  policy_cli.py offline --ireactor PATH --examples DIR --scratch DIR
  policy_cli.py agent --ireactor PATH --ireactord PATH --examples DIR --scratch DIR

offline: no agent anywhere (every path points into SCRATCH): validate good and bad files, apply
  refusing a bad file and installing a good one while saying no agent applies it, show.
agent: a real ireactord (real BPF guard, test cgroup parent and bpffs dir) applies what
  `policy apply` installs, and `policy show` reports it in force, then a rejected file. Needs
  root, bpffs and cgroup2: prints "SKIP: reason" and exits 77 without them.
"""
import argparse
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

SKIP = 77
failures = 0
passed = 0


def run(ireactor, args, env, timeout=60):
    return subprocess.run([ireactor] + args, capture_output=True, text=True, env=env,
                          timeout=timeout)


def expect(ireactor, env, args, status, stdout_has=(), stderr_has=(), check=None):
    """Runs `ireactor ARGS`; the exit status and each expected substring must match."""
    global failures, passed
    p = run(ireactor, args, env)
    problems = []
    if p.returncode != status:
        problems.append(f"exit status {p.returncode}, want {status}")
    for s in stdout_has:
        if s not in p.stdout:
            problems.append(f"stdout lacks {s!r}")
    for s in stderr_has:
        if s not in p.stderr:
            problems.append(f"stderr lacks {s!r}")
    if check:
        try:
            check(p)
        except Exception as e:  # noqa: BLE001 - any failure of the check is a test failure
            problems.append(f"check failed: {e!r}")
    label = "ireactor " + " ".join(os.path.basename(a) if os.path.isabs(a) else a for a in args)
    if problems:
        failures += 1
        print(f"FAIL {label}: {'; '.join(problems)}\n  stdout: {p.stdout!r}\n"
              f"  stderr: {p.stderr!r}")
    else:
        passed += 1
        print(f"ok {label}")
    sys.stdout.flush()
    return p


def test_env(scratch, cgroup_parent="ireactor-test-none", bpffs=None):
    env = dict(os.environ)
    env.update({
        "IREACTOR_POLICY_DIR": os.path.join(scratch, "policy.d"),
        "IREACTOR_STATE_DIR": os.path.join(scratch, "state"),
        "IREACTOR_RUN_DIR": os.path.join(scratch, "run"),
        "IREACTOR_LOG_DIR": os.path.join(scratch, "log"),
        "IREACTOR_BPFFS_DIR": bpffs or os.path.join(scratch, "bpffs-unused"),
        "IREACTOR_CGROUP": cgroup_parent,
    })
    return env


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def policy_text(name, extra=""):
    return (f"apiVersion: ireactor/v1\nkind: Namespace\nmetadata: {{name: {name}}}\nspec:\n"
            f"  drives: {{C: /tmp}}\n{extra}")


def offline(a):
    env = test_env(a.scratch)
    ir = a.ireactor
    examples = sorted(glob.glob(os.path.join(a.examples, "*.yaml")))
    if len(examples) < 4:
        raise SystemExit(f"expected the example policies in {a.examples}")

    # validate: every example is valid.
    expect(ir, env, ["policy", "validate"] + examples, 0,
           stdout_has=[f"{e}: ok" for e in examples])

    good = write(os.path.join(a.scratch, "good.yaml"), policy_text("good"))
    bad = write(os.path.join(a.scratch, "bad.yaml"), policy_text("bad", "  drivs: {}\n") +
                "  devices:\n    allow:\n      - {class: char, major: 4096}\n")
    expect(ir, env, ["policy", "validate", bad, good], 1,
           stdout_has=[f"{good}: ok\n"],
           stderr_has=[f"{bad}:6:3: error: unknown key \"spec.drivs\" (did you mean \"drives\"?)",
                       f"{bad}:9:30: error: spec.devices.allow[0].major: 4096 is out of range "
                       "(major numbers are 0..4094)",
                       "ireactor: error: 1 of 2 policy files has errors"],
           check=lambda p: assert_absent(f"{bad}: ok", p.stdout))
    syntax = write(os.path.join(a.scratch, "syntax.yaml"), "spec: {drives: [\n")
    expect(ir, env, ["policy", "validate", syntax], 1,
           stderr_has=[f"{syntax}:2:1: error: YAML syntax: end of sequence flow not found"])
    warn = write(os.path.join(a.scratch, "warn.yaml"),
                 policy_text("warn", "  devices: {allow: [{path: /dev/ireactor-nosuch}]}\n"))
    expect(ir, env, ["policy", "validate", warn], 0,
           stdout_has=[f"{warn}: ok (1 warning)"],
           stderr_has=[f"{warn}:6:21: warning: /dev/ireactor-nosuch does not exist on this host"])
    missing = os.path.join(a.scratch, "missing.yaml")
    expect(ir, env, ["policy", "validate", missing], 1,
           stderr_has=[f"{missing}: error: cannot read: No such file or directory"])
    expect(ir, env, ["policy", "validate"], 2)
    expect(ir, env, ["policy"], 2)

    # apply: a bad file installs nothing.
    policy_dir = env["IREACTOR_POLICY_DIR"]
    expect(ir, env, ["policy", "apply", bad], 1,
           stderr_has=[f"{bad}:6:3: error: unknown key",
                       f"ireactor: error: {bad} has 2 errors: nothing was installed"])
    assert_true(not os.path.exists(policy_dir), "a bad file created nothing")

    # apply without an agent: installed byte for byte, and said plainly that nothing applies it.
    office = os.path.join(a.examples, "office.yaml")
    installed = os.path.join(policy_dir, "office.yaml")
    expect(ir, env, ["policy", "apply", office], 1,
           stdout_has=[f"installed {office} as {installed}"],
           stderr_has=[f"ireactor: error: ireactord is not running (no "
                       f"{os.path.join(env['IREACTOR_RUN_DIR'], 'status.json')}): {installed} "
                       "is installed and will be applied when ireactord starts"])
    assert_true(os.path.exists(installed) and sha256_of(installed) == sha256_of(office),
                "apply installed the file byte for byte")
    assert_true(sorted(os.listdir(policy_dir)) == ["office.yaml"], "no temporary file left")

    # A status file left by an agent that is gone is not a running agent.
    dead = subprocess.Popen(["true"])
    dead.wait()
    os.makedirs(env["IREACTOR_RUN_DIR"], exist_ok=True)
    write(os.path.join(env["IREACTOR_RUN_DIR"], "status.json"),
          json.dumps({"pid": dead.pid, "namespaces": {}, "rejected": {}}))
    expect(ir, env, ["policy", "apply", good], 1,
           stderr_has=[f"ireactord is not running (its pid {dead.pid} in ",
                       "is installed and will be applied when ireactord starts"])
    expect(ir, env, ["policy", "apply", "--wait", "-1", good], 2)

    # show: the file, its rules, and that nothing is in force.
    expect(ir, env, ["policy", "show", "office"], 0,
           stdout_has=[f"namespace office: {installed} (valid",
                       "devices        default deny",
                       "allow   char 226:*  rw      yes",
                       "/dev/dri/renderD128  0x6400-0x64ff",
                       "denied: bpf cgroupWrite kexecReboot moduleLoad mount",
                       "in force:\n  ireactord is not running",
                       "namespace not in force"])

    def show_json(p):
        j = json.loads(p.stdout)
        assert j["name"] == "office" and j["valid"] is True, j
        assert j["sha256"] == sha256_of(installed), j["sha256"]
        assert j["build"] == "10.0.19045"
        assert j["devices"]["default"] == "deny" and len(j["devices"]["rules"]) == 2
        assert j["ioctls"]["rules"][0]["cmd"] == "0x6400-0x64ff"
        assert j["kernel"]["ptrace"] == "deny" and j["kernel"]["setTime"] == "deny"
        f = j["inForce"]
        assert f["agentRunning"] is False and f["present"] is False, f
    expect(ir, env, ["policy", "show", "office", "--json"], 0, check=show_json)
    expect(ir, env, ["policy", "show", "nosuch"], 1,
           stderr_has=['namespace "nosuch" does not exist (no '])
    expect(ir, env, ["policy", "show", "Bad!"], 2, stderr_has=["is not a namespace name"])
    write(os.path.join(policy_dir, "broken.yaml"), policy_text("broken", "  kernel: {ptrac: allow}\n"))
    expect(ir, env, ["policy", "show", "broken"], 1,
           stdout_has=["(INVALID)", "broken.yaml:6:12: error: unknown kernel feature"],
           stderr_has=["has 1 error; ireactord keeps the namespace's previous policy"])


def assert_absent(text, output):
    assert text not in output, f"{text!r} printed"


def assert_true(cond, what):
    global failures, passed
    if cond:
        passed += 1
        print(f"ok {what}")
    else:
        failures += 1
        print(f"FAIL {what}")


def cgroup2_mount():
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, _, right = line.partition(" - ")
            if right.split()[0] == "cgroup2":
                return left.split()[4]
    return None


def agent(a):
    if os.geteuid() != 0:
        print("SKIP: the agent loads BPF programs and creates cgroups: needs root")
        sys.exit(SKIP)
    if not os.path.isdir("/sys/fs/bpf") or not cgroup2_mount():
        print("SKIP: needs bpffs at /sys/fs/bpf and a cgroup2 mount")
        sys.exit(SKIP)
    tag = f"ireactor-test-{os.getpid()}"
    bpffs = f"/sys/fs/bpf/{tag}"
    env = test_env(a.scratch, cgroup_parent=tag, bpffs=bpffs)
    agent_args = [a.ireactord, "--policy-dir", env["IREACTOR_POLICY_DIR"],
                  "--state-dir", env["IREACTOR_STATE_DIR"], "--run-dir", env["IREACTOR_RUN_DIR"],
                  "--log-dir", env["IREACTOR_LOG_DIR"], "--bpffs-dir", bpffs,
                  "--cgroup-parent", tag]
    log = open(os.path.join(a.scratch, "ireactord.log"), "w")
    proc = subprocess.Popen(agent_args, stdout=log, stderr=subprocess.STDOUT)
    status_file = os.path.join(env["IREACTOR_RUN_DIR"], "status.json")
    try:
        deadline = time.time() + 30
        while not os.path.exists(status_file):
            if proc.poll() is not None or time.time() > deadline:
                log.flush()
                with open(log.name) as f:
                    text = f.read()
                print(f"SKIP: ireactord did not start (exit {proc.returncode}):\n{text}")
                sys.exit(SKIP)
            time.sleep(0.1)
        ir = a.ireactor
        locked = os.path.join(a.examples, "locked-down.yaml")
        installed = os.path.join(env["IREACTOR_POLICY_DIR"], "locked-down.yaml")
        expect(ir, env, ["policy", "apply", locked], 0,
               stdout_has=[f"installed {locked} as {installed}",
                           f"ireactord (pid {proc.pid}) applied it: namespace locked-down, "
                           "generation "])

        def in_force(p):
            f = json.loads(p.stdout)["inForce"]
            assert f["agentRunning"] and f["agentPid"] == proc.pid, f
            assert f["present"] and f["matchesFile"], f
            assert f["sha256"] == sha256_of(locked), f
            assert f["rules"] == 4 and f["nsId"] >= 1, f
            assert f["cgroup"].endswith(f"/{tag}/locked-down"), f
            assert f["cgroupId"] == os.stat(f["cgroup"]).st_ino, f
        expect(ir, env, ["policy", "show", "locked-down", "--json"], 0, check=in_force)

        # A second version: apply waits until the agent has it in force.
        v2 = write(os.path.join(a.scratch, "locked-down.yaml"),
                   open(locked).read() + "  kernel: {perfEvents: allow}\n")
        p = expect(ir, env, ["policy", "apply", v2], 0, stdout_has=["applied it"])
        with open(status_file) as f:
            st = json.load(f)
        assert_true(st["namespaces"]["locked-down"]["sha256"] == sha256_of(v2),
                    "status.json has the second version in force")

        # A broken file written behind apply's back: the agent rejects it, show says so.
        with open(installed, "a") as f:
            f.write("  windows: {build: 10.0.1}\n")
        deadline = time.time() + 10
        while time.time() < deadline:
            with open(status_file) as f:
                if json.load(f)["rejected"]:
                    break
            time.sleep(0.05)
        expect(ir, env, ["policy", "show", "locked-down"], 1,
               stdout_has=["(INVALID)",
                           "NOT the file as it is now (an earlier version is in force)",
                           "ireactord rejected the file:",
                           ':21:20: error: spec.windows.build: ireactor has no Windows build "10.0.1"'])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        subprocess.run(agent_args + ["--uninstall"], capture_output=True, timeout=30)
        parent = os.path.join(cgroup2_mount(), tag)
        if os.path.isdir(parent):
            for d in os.listdir(parent):
                if os.path.isdir(os.path.join(parent, d)):
                    os.rmdir(os.path.join(parent, d))
            os.rmdir(parent)
        shutil.rmtree(bpffs, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=["offline", "agent"])
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--ireactord")
    ap.add_argument("--examples", required=True)
    ap.add_argument("--scratch", required=True)
    a = ap.parse_args()
    a.scratch = os.path.abspath(a.scratch)
    shutil.rmtree(a.scratch, ignore_errors=True)
    os.makedirs(a.scratch)
    if a.scenario == "offline":
        offline(a)
    else:
        agent(a)
    print(f"{passed} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
