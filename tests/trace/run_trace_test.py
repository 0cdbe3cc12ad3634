#!/usr/bin/env python3
"""`ireactor trace` against a PE program with a known sequence of NT calls.

Runs trace_sequence.exe under a private copy of the ireactor executable (uprobes are per file,
so other tests running meanwhile are not traced) and asserts:
  - the exact decoded sequence, strace-style, through both entry paths (fast gate and Syscall
    User Dispatch), with two trace sessions attached at once (text and JSON);
  - every JSON line matches docs/trace-event.schema.json and says what the text line says;
  - the filters: --service, --failed, --ns, --pid, and --binary (another executable's programs);
  - attaching to a program that is already running: every call after the attach is reported;
  - Ctrl-C prints the summary, with the lost-event count;
  - once the sessions end, no program or link of theirs is left in the kernel.
Needs root and BPF; exits 77 with "SKIP: why" otherwise."""
import argparse
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

from trace_test_support import (cgroup2_mount, remove_cgroup_tree, require_root_bpf, skip,
                                tracer_progs, wait_gone)

H = r"(0x[0-9a-f]+)"
P = r"0x[0-9a-f]+"
# The program's calls as `ireactor trace` prints them (after "NAMESPACE PID "), without the
# trailing duration; a group captures a handle that later lines must repeat (\1, \2).
SEQUENCE = [
    r'NtCreateFile\("\\\?\?\\C:\\trace-seq\.txt", GENERIC_WRITE\|DELETE\|SYNCHRONIZE, 0, '
    r'FILE_OVERWRITE_IF, FILE_SYNCHRONOUS_IO_NONALERT\|FILE_NON_DIRECTORY_FILE\) = '
    r'STATUS_SUCCESS h=' + H + r' n=[23]',
    r'NtWriteFile\(\1, ' + P + r', 5, NULL\) = STATUS_SUCCESS n=5',
    r'NtQueryInformationFile\(\1, 8, FilePositionInformation\) = STATUS_SUCCESS n=8',
    r'NtSetInformationFile\(\1, "\\\?\?\\C:\\trace-seq2\.txt", 62, FileRenameInformation\) = '
    r'STATUS_SUCCESS n=0',
    r'NtClose\(\1\) = STATUS_SUCCESS',
    r'NtOpenFile\("\\\?\?\\C:\\no-such-file\.txt", GENERIC_READ\|SYNCHRONIZE, FILE_SHARE_READ, '
    r'FILE_SYNCHRONOUS_IO_NONALERT\) = STATUS_OBJECT_NAME_NOT_FOUND',
    r'NtCreateEvent\(NULL, EVENT_ALL_ACCESS, NotificationEvent, FALSE\) = STATUS_SUCCESS h=' + H,
    r'NtWaitForSingleObject\(\2, FALSE, -10000 \(1ms\)\) = STATUS_TIMEOUT',
    r'NtClose\(\2\) = STATUS_SUCCESS',
    r'NtClose\(0x7777\) = STATUS_INVALID_HANDLE',
    r'NtDeleteFile\("\\\?\?\\C:\\trace-seq2\.txt"\) = STATUS_SUCCESS',
    # The program's line, then the harness's "0 passed, 0 failed".
    r'NtWriteFile\((' + P + r'), ' + P + r', 54, NULL\) = STATUS_SUCCESS n=54',
    r'NtWriteFile\(\3, ' + P + r', 19, NULL\) = STATUS_SUCCESS n=19',
    r'NtTerminateProcess\(NtCurrentProcess\(\), STATUS_SUCCESS\) = \?',
]
DURATION = re.compile(r" <\d+\.\d+us>$")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


class Tracer:
    """One `ireactor trace` session, started and waited for until it says it is attached."""

    def __init__(self, ireactor, env, *args):
        self.cmd = [ireactor, "trace"] + list(args)
        print("$ " + " ".join(self.cmd) + " &", flush=True)
        self.p = subprocess.Popen(self.cmd, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.err = ""
        deadline = time.time() + 60
        while "attached" not in self.err:
            if self.p.poll() is not None or time.time() > deadline:
                self.err += self.p.stderr.read() if self.p.poll() is not None else ""
                refused = "Operation not permitted" in self.err or "uprobe" in self.err
                self.p.kill()
                if refused:
                    skip("the kernel refused the USDT programs: " + self.err.strip())
                sys.exit("FAIL: %s did not attach: %s" % (" ".join(self.cmd), self.err))
            ready, _, _ = select.select([self.p.stderr], [], [], 1)
            if ready:
                self.err += self.p.stderr.readline()

    def stop(self):
        """Ctrl-C; returns (stdout lines, stderr)."""
        self.p.send_signal(signal.SIGINT)
        out, err = self.p.communicate(timeout=60)
        self.err += err
        check(self.p.returncode == 0, "%s exits 0 on Ctrl-C (got %s)" %
              (" ".join(self.cmd[1:]), self.p.returncode))
        return out.splitlines(), self.err


def run_program(ireactor, env, program, entry="gate", ns=None):
    """Runs trace_sequence.exe to its end; returns its pid."""
    cmd = [ireactor, "run", "--entry", entry] + (["--ns", ns, "--unenforced"] if ns else [])
    cmd += [program]
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=60)
    sys.stdout.write(out + err)
    if "trace_sequence:" not in out:
        sys.exit("FAIL: trace_sequence did not run to the end")
    return p.pid


def text_calls(lines, pid):
    prefix = re.compile(r"^(\S+) %d (.*)$" % pid)
    calls = []
    for line in lines:
        m = prefix.match(line)
        if m:
            calls.append((m.group(1), DURATION.sub("", m.group(2))))
    return from_program_start(calls, lambda c: c[1].startswith("NtCreateFile("))


def from_program_start(calls, is_first):
    """The calls from the test program's first one (NtCreateFile) on: ntdll's process attach
    (the process heap, the code-page tables) makes NT calls of its own before it."""
    first = next((i for i, c in enumerate(calls) if is_first(c)), 0)
    return calls[first:]


def check_sequence(calls, what, sequence=SEQUENCE):
    got = "\n".join(c for _, c in calls)
    want = "\n".join(sequence)
    ok = re.fullmatch(want, got) is not None
    check(ok, "%s: the exact decoded sequence (%d calls)" % (what, len(sequence)))
    if not ok:
        print("  got:\n    " + got.replace("\n", "\n    "))
        print("  want (regex):\n    " + want.replace("\n", "\n    "))


def json_calls(lines, pid, validator):
    calls, summary = [], None
    for line in lines:
        obj = json.loads(line)
        errors = sorted(validator.iter_errors(obj), key=str) if validator else []
        if errors:
            check(False, "JSON line matches the schema: %s\n  %s" % (errors[0].message, line))
        if obj["type"] == "summary":
            summary = obj
        elif obj["pid"] == pid:
            calls.append(obj)
    return from_program_start(calls, lambda c: c["service"] == "NtCreateFile"), summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ireactor", required=True)
    ap.add_argument("--program", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()

    require_root_bpf()
    try:
        import jsonschema
    except ImportError:
        # Debian's python3-jsonschema (scripts/setup) when ctest's Python is another one.
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import jsonschema
        except ImportError:
            skip("python3-jsonschema is not installed (scripts/setup installs it)")
    with open(a.schema) as f:
        validator = jsonschema.Draft202012Validator(json.load(f))

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    ireactor = os.path.join(a.work, "ireactor")
    shutil.copy2(a.ireactor, ireactor)
    env = dict(os.environ, IREACTOR_STATE_DIR=os.path.join(a.work, "state"),
               IREACTOR_POLICY_DIR=os.path.join(a.work, "policy"),
               IREACTOR_RUN_DIR=os.path.join(a.work, "run"),
               IREACTOR_LOG_DIR=os.path.join(a.work, "log"),
               IREACTOR_CGROUP="ireactor-trace-test-%d" % os.getpid(),
               XDG_DATA_HOME=os.path.join(a.work, "data"))
    cgroup_parent = os.path.join(cgroup2_mount(), env["IREACTOR_CGROUP"])
    before = tracer_progs()
    try:
        # 1. Two sessions at once, text and JSON, across both entry paths.
        text = Tracer(ireactor, env)
        js = Tracer(ireactor, env, "--json")
        pids = {entry: run_program(ireactor, env, a.program, entry=entry)
                for entry in ("gate", "sud")}
        text_lines, text_err = text.stop()
        json_lines, _ = js.stop()
        summary = None
        for entry, pid in pids.items():
            calls = text_calls(text_lines, pid)
            check(all(ns == "default" for ns, _ in calls), entry + ": namespace default")
            check_sequence(calls, "entry " + entry)
            jcalls, summary = json_calls(json_lines, pid, validator)
            check([c["service"] for c in jcalls] ==
                  [re.match(r"(\w+)\(", c).group(1) for _, c in calls],
                  entry + ": the JSON lines name the same calls as the text lines")
            if jcalls:
                create = jcalls[0]
                check(create["args"][2]["string"] == "\\??\\C:\\trace-seq.txt" and
                      create["args"][1]["text"] == "GENERIC_WRITE|DELETE|SYNCHRONIZE" and
                      create["status"] == "STATUS_SUCCESS" and create["status_code"] == 0 and
                      create["returned"] and create["duration_ns"] > 0,
                      entry + ": JSON NtCreateFile carries the path, access and status")
                check(jcalls[-1]["service"] == "NtTerminateProcess" and not jcalls[-1]["returned"]
                      and jcalls[-1]["time_ns"] >= jcalls[-2]["time_ns"] > 0,
                      entry + ": JSON NtTerminateProcess is reported on entry, timed")
        check(summary is not None and summary["lost"] == 0 and summary["received"] >= 24,
              "JSON summary: received all, lost none (%s)" % summary)
        check(re.search(r"^% time +seconds +usecs/call +calls +errors +service$", text_err, re.M)
              is not None and re.search(r"^\s*\S+\s+\S+\s+\d+\s+6\s+2\s+NtClose$", text_err, re.M) is not None,
              "Ctrl-C summary: NtClose 6 calls, 2 errors")
        check(re.search(r"^events: \d+ received, 0 lost, 0 untracked$", text_err, re.M) is not None,
              "Ctrl-C summary counts received and lost events")

        # 2. Filters: services and failures, in the kernel; the session is the build tree's
        # executable tracing the copy the programs run under (--binary).
        t = Tracer(a.ireactor, env, "--binary", ireactor, "--service", "NtClose,NtOpenFile",
                   "--failed")
        run_program(ireactor, env, a.program)
        lines, _ = t.stop()
        got = [DURATION.sub("", l.split(" ", 2)[2]) for l in lines]
        check(got == ['NtOpenFile("\\??\\C:\\no-such-file.txt", GENERIC_READ|SYNCHRONIZE, '
                      'FILE_SHARE_READ, FILE_SYNCHRONOUS_IO_NONALERT) = '
                      'STATUS_OBJECT_NAME_NOT_FOUND',
                      'NtClose(0x7777) = STATUS_INVALID_HANDLE'],
              "--service NtClose,NtOpenFile --failed: only the two failing calls (got %s)" % got)

        # 3. --ns: the default namespace's run is not reported, the namespace's is, by name.
        subprocess.run([ireactor, "ns", "create", "tracens"], env=env, check=True)
        t = Tracer(ireactor, env, "--ns", "tracens")
        run_program(ireactor, env, a.program)
        ns_pid = run_program(ireactor, env, a.program, ns="tracens")
        lines, _ = t.stop()
        check({l.split(" ", 2)[1] for l in lines} == {str(ns_pid)},
              "--ns tracens: only the process of the namespace")
        calls = text_calls(lines, ns_pid)
        check(all(ns == "tracens" for ns, _ in calls), "--ns tracens: named tracens")
        check_sequence(calls, "--ns tracens")

        # 4. Attach to a program already running (blocked reading stdin), by --pid.
        prog = subprocess.Popen([ireactor, "run", a.program, "wait"], env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)  # let it reach its read
        other = Tracer(ireactor, env, "--pid", str(prog.pid), "--json")
        t = Tracer(ireactor, env, "--pid", str(prog.pid))
        run_program(ireactor, env, a.program)  # another process: filtered out by --pid
        out, err = prog.communicate("go\n", timeout=60)
        sys.stdout.write(out + err)
        lines, _ = t.stop()
        other.stop()
        check({l.split(" ", 2)[1] for l in lines} == {str(prog.pid)},
              "--pid: only the process asked for")
        check_sequence(text_calls(lines, prog.pid), "attached while running")
    finally:
        subprocess.run([ireactor, "ns", "delete", "tracens"], env=env, capture_output=True)
        remove_cgroup_tree(cgroup_parent)

    # 5. Nothing left: the sessions' programs and links go with their process.
    left, links = wait_gone(tracer_progs() - before)
    check(not left and not links, "no program or link left behind (programs %s, links %s)" %
          (left, links))
    print("%d failed" % len(failures) if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
