#!/usr/bin/env python3
"""What tracing costs an NT call: nt_bench.exe under ireactor with the dispatcher's probes built
out, built in but detached, and attached (an `ireactor trace` session printing every call, and
the pinned `ireactor stats` counters), side by side in one run.

Rounds alternate the configurations so that drift in the machine's load hits every column
alike; each figure is the median over the rounds, in ns per call. Invoked by bench/run_trace.
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

SUMMARIES = []  # the trace sessions' "events: N received, N lost, N untracked" lines
OPS = {"clock": "NtQueryPerformanceCounter", "write64": "NtWriteFile 64 B",
       "pread64": "NtReadFile 64 B at an offset", "open_close": "NtCreateFile+NtClose"}


def parse(out):
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in OPS:
            got[parts[0]] = float(parts[1])
    return got


def bench(ireactor, nt_bench, n, env):
    p = subprocess.run([ireactor, "run", nt_bench, str(n)], capture_output=True, text=True,
                       env=env)
    if p.returncode != 0:
        sys.exit("trace_bench: nt_bench failed:\n" + p.stdout + p.stderr)
    return parse(p.stdout)


class Attached:
    """Runs `ireactor trace` (output to /dev/null) or attaches `ireactor stats` for a block."""

    def __init__(self, ireactor, env, kind):
        self.ireactor, self.env, self.kind, self.proc = ireactor, env, kind, None

    def __enter__(self):
        if self.kind == "trace":
            self.proc = subprocess.Popen([self.ireactor, "trace"], env=self.env,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         text=True)
            line = self.proc.stderr.readline()
            if "attached" not in line:
                sys.exit("trace_bench: ireactor trace did not attach: " + line)
        else:
            subprocess.run([self.ireactor, "stats", "--json"], env=self.env, check=True,
                           capture_output=True)
        return self

    def __exit__(self, *exc):
        if self.proc:
            self.proc.send_signal(signal.SIGINT)
            _, err = self.proc.communicate(timeout=60)
            SUMMARIES.extend(l for l in err.splitlines() if l.startswith("events:"))
        else:
            subprocess.run([self.ireactor, "stats", "--detach"], env=self.env, check=True,
                           capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--noprobes-dir", required=True)
    ap.add_argument("--iterations", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("trace_bench: needs root (BPF)")
    with_probes = os.path.join(a.build_dir, "bin", "ireactor")
    without = os.path.join(a.noprobes_dir, "bin", "ireactor")
    nt_bench = os.path.join(a.build_dir, "pe", "nt_bench.exe")
    scratch = tempfile.mkdtemp(prefix="ireactor-trace-bench-")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(scratch, "data"),
               IREACTOR_BPFFS_DIR="/sys/fs/bpf/ireactor-trace-bench",
               IREACTOR_STATE_DIR=os.path.join(scratch, "state"))
    # Attached runs take two uprobe hits per call: fewer iterations keep them short.
    n_attached = max(a.iterations // 20, 1000)
    configs = {
        "not built in": lambda: bench(without, nt_bench, a.iterations, env),
        "detached": lambda: bench(with_probes, nt_bench, a.iterations, env),
    }

    def attached(kind):
        def run():
            with Attached(with_probes, env, kind):
                return bench(with_probes, nt_bench, n_attached, env)
        return run

    configs["attached: ireactor stats"] = attached("stats")
    configs["attached: ireactor trace"] = attached("trace")
    samples = {name: [] for name in configs}
    for _ in range(a.rounds):
        for name, fn in configs.items():
            samples[name].append(fn())
    med = {name: {op: statistics.median(s[op] for s in got) for op in OPS}
           for name, got in samples.items()}
    base = med["not built in"]
    print("| call (ns/call) | " + " | ".join(configs) + " |")
    print("|---|" + "---|" * len(configs))
    for op, label in OPS.items():
        cells = ["%.1f (%.3fx)" % (med[c][op], med[c][op] / base[op]) for c in configs]
        print("| %s | %s |" % (label, " | ".join(cells)))
    print("\nratios against the build without probes; %d iterations (attached: %d), median of %d "
          "rounds" % (a.iterations, n_attached, a.rounds))
    print("trace sessions: " + "; ".join(SUMMARIES))


if __name__ == "__main__":
    main()
