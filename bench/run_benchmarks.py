#!/usr/bin/env python3
"""Runs the NT call benchmark side by side: native Linux, ireactor (fast gate and SUD) and Wine.

Prints per-call cost in ns and the ratios the issue sets targets for, plus hello startup wall
time. Invoked by bench/run after a build; `--markdown` prints a table for docs/benchmarks.md.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OPS = ["write64", "pread64", "open_close", "clock"]
OP_LABEL = {
    "write64": "NtWriteFile 64 B / write(2)",
    "pread64": "NtReadFile 64 B at offset / pread(2)",
    "open_close": "NtCreateFile+NtClose / open+close",
    "clock": "NtQueryPerformanceCounter / clock_gettime",
}


def parse(output):
    result = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                result[parts[0]] = float(parts[1])
            except ValueError:
                pass
    return result


def run(cmd, env=None):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"benchmark: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def wall_ms(cmd, runs, env=None):
    subprocess.run(cmd, capture_output=True, env=env)  # warm caches first
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=True)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=200000)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--no-wine", action="store_true")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--kmod", action="store_true",
                    help="also the kmod entry (kmod-min loaded, struct_ops attached, run from a "
                         "namespace cgroup: bench/run_kmod does that in the qemu guest)")
    ap.add_argument("--no-hello", action="store_true", help="skip the startup wall time")
    args = ap.parse_args()
    ireactor = os.path.join(args.build_dir, "bin", "ireactor")
    native_calls = os.path.join(args.build_dir, "bin", "native_calls")
    nt_bench = os.path.join(args.build_dir, "pe", "nt_bench.exe")
    hello = os.path.join(args.build_dir, "pe", "bench_hello.exe")

    scratch = tempfile.mkdtemp(prefix="ireactor-bench-")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(scratch, "data"))
    n = str(args.iterations)
    # Rounds alternate the runs so that drift in the machine's load hits every column alike;
    # each figure is the median over the rounds.
    runs = {"native": lambda: run([native_calls, n, scratch])}
    entries = ("gate", "gate-only", "sud") + (("kmod",) if args.kmod else ())
    for entry in entries:
        runs[entry] = lambda entry=entry: run([ireactor, "run", "--entry", entry, nt_bench, n], env)
    wine = shutil.which("wine") if not args.no_wine else None
    if wine:
        wenv = dict(env, WINEPREFIX=os.path.join(scratch, "wineprefix"), WINEDEBUG="-all")
        subprocess.run([wine, "wineboot", "-i"], capture_output=True, env=wenv)
        runs["wine"] = lambda: run([wine, nt_bench, n], wenv)
    samples = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            samples[name].append(parse(fn()))
    rows = {name: {op: statistics.median(s[op] for s in got) for op in got[0]}
            for name, got in samples.items()}
    # Ratios: the median over the rounds of each round's figure against that round's native run.
    # On a host whose speed drifts from second to second this is steadier than a ratio of the two
    # columns' medians, which may come from different moments.
    def round_ratio(name, op, floor_op):
        return statistics.median(s[op] / n[floor_op] for s, n in zip(samples[name], samples["native"]))

    ratios = {name: {op: round_ratio(name, op, op) for op in got[0] if op in samples["native"][0]}
              for name, got in samples.items()}
    if wine and not args.no_hello:
        hello_wine = wall_ms([wine, hello], 10, wenv)
    if not args.no_hello:
        hello_gate = wall_ms([ireactor, "run", hello], 20, env)
    shutil.rmtree(scratch, ignore_errors=True)

    native = rows["native"]
    peers = [p for p in ("gate", "gate-only", "sud", "kmod", "wine") if p in rows]
    if args.markdown:
        print("| call (ns/call; ratio to native) | native | " + " | ".join(peers) + " |")
        print("|---|---|" + "---|" * len(peers))
    else:
        print(f"{'call':45} {'native':>9} " + " ".join(f"{p:>18}" for p in peers))
    for op in OPS:
        cells = []
        for p in peers:
            v = rows[p].get(op)
            cells.append(f"{v:.0f} ({ratios[p][op]:.2f}x)" if v else "n/a")
        if args.markdown:
            print(f"| {OP_LABEL[op]} | {native[op]:.0f} | " + " | ".join(cells) + " |")
        else:
            print(f"{OP_LABEL[op]:45} {native[op]:9.0f} " + " ".join(f"{c:>18}" for c in cells))
    # A zero-length NtReadFile makes no system call: what the runtime itself adds to a read.
    own = ", ".join(f"{p} {rows[p]['read0']:.0f} ns" for p in entries
                    if "read0" in rows[p])
    print(("\n" if args.markdown else "") +
          f"runtime's own cost per NtReadFile (0 bytes, no system call): {own}")
    # SUD is measured against the floor of its mechanism: a bare SIGSYS round trip.
    sud_floor = native["sigsys_roundtrip"]
    sud_call = rows["sud"].get("clock")
    line = (f"SUD NtQueryPerformanceCounter {sud_call:.0f} ns vs bare SIGSYS round trip "
            f"{sud_floor:.0f} ns: {round_ratio('sud', 'clock', 'sigsys_roundtrip'):.2f}x")
    print(("\n" if args.markdown else "") + line)
    if args.kmod:
        # The kmod entry against the floor of its mechanism: an ioctl into the module that does
        # nothing. NtQueryPerformanceCounter is served whole in the kernel by the hot path.
        floor = native.get("ntgate_ioctl")
        kmod_call = rows["kmod"].get("clock")
        if floor and kmod_call:
            print(("\n" if args.markdown else "") +
                  f"kmod NtQueryPerformanceCounter {kmod_call:.0f} ns vs bare /dev/ntgate ioctl "
                  f"{floor:.0f} ns: {round_ratio('kmod', 'clock', 'ntgate_ioctl'):.2f}x")
    if not args.no_hello:
        hello = f"hello startup wall time: ireactor {hello_gate:.1f} ms"
        if wine:
            hello += f", Wine (warm) {hello_wine:.1f} ms"
        print(("\n" if args.markdown else "") + hello)


if __name__ == "__main__":
    main()
