"""What the tracer tests share: the checks that decide whether they can run here, and the
kernel's view of the tracer's programs and links (through bpftool)."""
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from cgroup2 import cgroup2_mount  # noqa: E402 (tests/lib)

PROG_NAMES = {"nt_enter", "nt_exit"}


def skip(why):
    print("SKIP: " + why, flush=True)
    sys.exit(77)


def require_root_bpf():
    """Skips (exit 77) unless root, bpftool and cgroup2 (run --ns needs it) are here."""
    if os.geteuid() != 0:
        skip("needs root (USDT programs)")
    if shutil.which("bpftool") is None:
        skip("bpftool not installed")
    if cgroup2_mount() is None:
        skip("cgroup2 is not mounted (run --ns needs the namespace cgroup)")


def bpftool(*args):
    out = subprocess.run(["bpftool", "-j"] + list(args), capture_output=True, text=True, check=True)
    return json.loads(out.stdout or "[]")


def tracer_progs():
    """Ids of the loaded programs named like the tracer's USDT programs."""
    return {p["id"] for p in bpftool("prog", "show") if p.get("name") in PROG_NAMES
            and p.get("type") == "kprobe"}


def links_of(progs):
    return {l["id"] for l in bpftool("link", "show") if l.get("prog_id") in progs}


def wait_gone(progs):
    """Programs are freed once their last link and fd are gone, after an RCU grace period.
    Returns what is still there after 5 s: (programs, links)."""
    for _ in range(50):
        left = tracer_progs() & progs
        links = links_of(progs)
        if not left and not links:
            break
        time.sleep(0.1)
    return left, links


def remove_cgroup_tree(path):
    if os.path.isdir(path):
        for root, subdirs, _ in os.walk(path, topdown=False):
            for name in subdirs:
                os.rmdir(os.path.join(root, name))
        os.rmdir(path)
