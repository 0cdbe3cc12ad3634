#!/usr/bin/env python3
"""Ordinary Windows programs under ireactor vs Wine (issue 6): hello wall time and file copy.

Runs, side by side in one run with the rounds alternating (so that drift in the machine's load
hits every column alike; each figure is the median over the rounds):
  - hello: win32_hello.exe (printf, mingw CRT) under `ireactor run` and under `wine` with a
    prepared WINEPREFIX, warm (one untimed run of each first). Wine is timed twice per round:
    with its wineserver stopped before the run (it starts one, as a fresh `wine` command does;
    the issue's 0.65 s) and right after, with the wineserver still running.
  - copy: win32_copy.exe copying a --size-mib file (fopen/fread/fwrite in 64 KiB blocks, and
    kernel32's CopyFileA) under ireactor (in the program's current directory, C:\\work of the
    default namespace's C: drive) and under Wine (a scratch directory); the program measures its
    own MiB/s and verifies the copy. Native reference: the same C loop built for Linux (glibc)
    and `cp` (timed by wall clock). The source is one file, hard-linked into both directories.
Prints ratios against the issue's targets; --markdown prints the tables for docs/benchmarks.md.
Invoked by bench/run_win32 after a build.
"""
import argparse
import fcntl
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCK = "/tmp/ireactor-build.lock"  # shared with the other builds of this tree
COPY_LINE = re.compile(r"^copy (\w+) (\d+) bytes ([\d.]+) s ([\d.]+) MiB/s (\w+)\s*$", re.M)


def find_wine():
    for candidate in (shutil.which("wine"), "/usr/lib/wine/wine64"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def timed(cmd, cwd, env):
    """Wall time from start to the command's exit, and its stdout. Output goes to files, not
    pipes: helpers Wine leaves running (its wineserver and services) inherit the descriptors,
    and waiting for a pipe's end would time them too (about 2.4 s per hello here)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        status = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err).returncode
        dt = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        if status != 0:
            sys.exit(f"win32_bench: {' '.join(cmd)} failed ({status}):\n"
                     f"{stdout}{err.read().decode(errors='replace')}")
    return dt, stdout


def copy_run(cmd, cwd, env, dst, size):
    """Runs a copy; returns MiB/s as the program measured it. Removes the copy afterwards."""
    _, out = timed(cmd, cwd, env)
    m = COPY_LINE.search(out)
    if not m or m.group(5) != "verified" or int(m.group(2)) != size:
        sys.exit(f"win32_bench: {' '.join(cmd)}: copy not verified:\n{out}")
    os.unlink(dst)
    return float(m.group(4))


def cp_run(src, dst, cwd, size):
    dt, _ = timed(["cp", src, dst], cwd, None)
    dst = os.path.join(cwd, dst)
    if os.path.getsize(dst) != size:
        sys.exit("win32_bench: cp: wrong size")
    os.unlink(dst)
    return size / 1048576.0 / dt


def make_source(path, size):
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for i in range(size >> 20):
            # Not one block repeated: each MiB differs in its first bytes.
            f.write(i.to_bytes(8, "little") + block[8:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    ap.add_argument("--hello-runs", type=int, default=4,
                    help="timed hello runs per round and column (default 4)")
    ap.add_argument("--size-mib", type=int, default=256)
    ap.add_argument("--no-wine", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()

    b = args.build_dir
    wine = None if args.no_wine else find_wine()
    size = args.size_mib << 20
    scratch = tempfile.mkdtemp(prefix="ireactor-bench6-", dir=os.environ.get("TMPDIR", "/var/tmp"))
    # A snapshot of what runs, taken under the build lock: others rebuild this tree meanwhile.
    # `ireactor run` finds ntdll.dll next to its binary (bin/../pe/ntdll, docs/cli.md).
    tree = os.path.join(scratch, "tree")
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for f in ("bin/ireactor", "bin/win32_copy_native", "pe/win32/win32_hello.exe",
                  "pe/win32/win32_copy.exe"):
            if not os.path.exists(os.path.join(b, f)):
                sys.exit(f"win32_bench: {b}/{f} missing: build first (bench/run_win32 does)")
            os.makedirs(os.path.dirname(os.path.join(tree, f)), exist_ok=True)
            shutil.copy2(os.path.join(b, f), os.path.join(tree, f))
        shutil.copytree(os.path.join(b, "pe", "ntdll"), os.path.join(tree, "pe", "ntdll"))
    ireactor = os.path.join(tree, "bin", "ireactor")
    native_copy = os.path.join(tree, "bin", "win32_copy_native")
    hello = os.path.join(tree, "pe", "win32", "win32_hello.exe")
    copy = os.path.join(tree, "pe", "win32", "win32_copy.exe")
    print(f"ireactor: {ireactor} (snapshot of {b})", file=sys.stderr)

    data = os.path.join(scratch, "data")
    ir_cwd = os.path.join(data, "ireactor", "namespaces", "default", "c", "work")  # C:\work
    os.makedirs(ir_cwd)
    ir_env = dict(os.environ, XDG_DATA_HOME=data)
    wine_cwd = os.path.join(scratch, "wine")
    nat_cwd = os.path.join(scratch, "native")
    os.makedirs(wine_cwd)
    os.makedirs(nat_cwd)
    wine_env = dict(os.environ, WINEPREFIX=os.path.join(scratch, "wineprefix"), WINEDEBUG="-all",
                    WINEDLLOVERRIDES="mscoree,mshtml=")
    # The programs sit next to the data, in each one's own directory.
    for d in (ir_cwd, wine_cwd):
        shutil.copy(hello, d)
        shutil.copy(copy, d)

    def wineserver(*flags):
        subprocess.run([shutil.which("wineserver") or "/usr/lib/wine/wineserver64", *flags],
                       env=wine_env, capture_output=True)

    try:
        src = os.path.join(ir_cwd, "src.bin")
        make_source(src, size)
        os.link(src, os.path.join(wine_cwd, "src.bin"))
        os.link(src, os.path.join(nat_cwd, "src.bin"))
        if wine:
            print("preparing the Wine prefix (wineboot -i)...", file=sys.stderr)
            subprocess.run([wine, "wineboot", "-i"], env=wine_env, capture_output=True)
            wineserver("-w")

        ir_hello = [ireactor, "run", "win32_hello.exe"]
        wine_hello = [wine, "win32_hello.exe"] if wine else None
        # Warm: one untimed run of each first.
        timed(ir_hello, ir_cwd, ir_env)
        if wine:
            timed(wine_hello, wine_cwd, wine_env)

        hello = {"ireactor": [], "wine": [], "wine-server-up": []}
        copies = {k: [] for k in ("ireactor crt", "ireactor CopyFile", "wine crt", "wine CopyFile",
                                  "native C loop", "native cp")}
        for r in range(args.rounds):
            print(f"round {r + 1}/{args.rounds}", file=sys.stderr)
            for _ in range(args.hello_runs):
                hello["ireactor"].append(timed(ir_hello, ir_cwd, ir_env)[0])
                if wine:
                    wineserver("-k")
                    wineserver("-w")
                    hello["wine"].append(timed(wine_hello, wine_cwd, wine_env)[0])
                    hello["wine-server-up"].append(timed(wine_hello, wine_cwd, wine_env)[0])
            for mode, label in (("crt", "crt"), ("copyfile", "CopyFile")):
                copies[f"ireactor {label}"].append(copy_run(
                    [ireactor, "run", "win32_copy.exe", mode, "src.bin", "dst.bin"], ir_cwd,
                    ir_env, os.path.join(ir_cwd, "dst.bin"), size))
                if wine:
                    copies[f"wine {label}"].append(copy_run(
                        [wine, "win32_copy.exe", mode, "src.bin", "dst.bin"], wine_cwd, wine_env,
                        os.path.join(wine_cwd, "dst.bin"), size))
            copies["native C loop"].append(copy_run(
                [native_copy, "crt", "src.bin", "dst.bin"], nat_cwd, None,
                os.path.join(nat_cwd, "dst.bin"), size))
            copies["native cp"].append(cp_run("src.bin", "dst.bin", nat_cwd, size))
        if wine:
            wineserver("-k")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in {**hello, **copies}.items() if v}
    rng = {k: (min(v), max(v)) for k, v in {**hello, **copies}.items() if v}
    n_hello = args.rounds * args.hello_runs

    md = args.markdown
    if md:
        print(f"Hello (win32_hello.exe: printf with the mingw CRT), wall time of the whole "
              f"command, median of {n_hello} runs over {args.rounds} alternating rounds "
              f"(min–max):\n")
        print("| run | wall time (ms) | ireactor ÷ this |")
        print("|---|---|---|")
    else:
        print(f"hello wall time, median of {n_hello} (min-max), ms:")
    hello_rows = [("ireactor run", "ireactor"),
                  ("Wine, wineserver started by the run (prefix warm)", "wine"),
                  ("Wine, wineserver already running", "wine-server-up")]
    for label, k in hello_rows:
        if k not in med:
            continue
        ratio = med["ireactor"] / med[k]
        lo, hi = rng[k]
        if md:
            print(f"| {label} | {med[k] * 1000:.1f} ({lo * 1000:.1f}–{hi * 1000:.1f}) | "
                  f"{ratio:.3f} |")
        else:
            print(f"  {label:52} {med[k] * 1000:8.1f} ({lo * 1000:.1f}-{hi * 1000:.1f})  "
                  f"ireactor/this {ratio:.3f}")

    if md:
        print(f"\nFile copy of {args.size_mib} MiB, MiB/s as the program measured it (open to "
              f"close; `cp` by wall clock), median of {args.rounds} alternating rounds "
              f"(min–max):\n")
        print("| copy | MiB/s | ireactor ÷ this |")
        print("|---|---|---|")
    else:
        print(f"\nfile copy, {args.size_mib} MiB, MiB/s, median of {args.rounds} (min-max):")
    for k in copies:
        if k not in med:
            continue
        base = "ireactor crt" if ("crt" in k or "native" in k) else "ireactor CopyFile"
        lo, hi = rng[k]
        ratio = med[base] / med[k]
        ref = "" if k.startswith("ireactor") else (f"{ratio:.2f} ({base.split()[1]})")
        if md:
            print(f"| {k} | {med[k]:.0f} ({lo:.0f}–{hi:.0f}) | {ref} |")
        else:
            print(f"  {k:20} {med[k]:8.0f} ({lo:.0f}-{hi:.0f})  {ref}")

    print()
    if "wine" in med:
        r = med["ireactor"] / med["wine"]
        print(f"{'- ' if md else ''}target hello ≤ 1/10 of Wine's warm wall time: "
              f"{r:.3f} of Wine (wineserver started by the run) — "
              f"{'met' if r <= 0.1 else 'NOT met'}; "
              f"{med['ireactor'] / med['wine-server-up']:.3f} of Wine with its wineserver "
              f"already running — {'met' if med['ireactor'] <= 0.1 * med['wine-server-up'] else 'NOT met'}")
        for label in ("crt", "CopyFile"):
            r = med[f"ireactor {label}"] / med[f"wine {label}"]
            print(f"{'- ' if md else ''}target copy ≥ Wine's throughput ({label}): {r:.2f}x "
                  f"Wine — {'met' if r >= 1 else 'NOT met'}")
    else:
        print("Wine not installed or --no-wine: no comparison with Wine")


if __name__ == "__main__":
    main()
