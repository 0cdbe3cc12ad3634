"""Boots the guest under qemu (TCG) and relays the job's output and exit status."""

import ctypes
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

from .console import JobStream
from .kernel import Unavailable

QEMU = "qemu-system-x86_64"
# Exit status when the guest, not the job, failed (panic, timeout, no marker).
GUEST_FAILED = 125

KERNEL_ARGS = [
    "console=ttyS0",
    "quiet",
    "loglevel=1",
    "panic=-1",
    # BPF LSM is the point of the guest; the rest keeps what the Debian kernel stacks by default
    # minus the MAC modules we do not test against.
    "lsm=landlock,lockdown,yama,bpf",
    # A throwaway TCG guest: spectre/meltdown mitigations only cost emulation time here.
    "mitigations=off",
    # Emulated timers are noisy; the checks would only slow the boot.
    "tsc=reliable",
    "no_timer_check",
    # Self-tests of every crypto algorithm take a third of a second of emulated boot.
    "cryptomgr.notests",
    "rdinit=/init",
]


def find_qemu():
    path = shutil.which(QEMU)
    if not path:
        raise Unavailable(f"{QEMU} is not installed (apt-get install qemu-system-x86)")
    return path


def command_line(qemu, kernel, initramfs, job_dir, mem, smp, verbose, append=(),
                 tcg_thread="single"):
    """tcg_thread="single" runs all vCPUs on one host thread: with one thread per vCPU, qemu 7.2
    lets a vCPU run stale code while another patches kernel text (the guest oopses on "int3" in
    bpf_lsm_file_open while BPF LSM links are attached and files are opened); one thread boots
    as fast here and leaves the other host core free."""
    args = KERNEL_ARGS + [f"ireactor.job={job_dir}"]
    if verbose:
        args = [a for a in args if a not in ("quiet", "loglevel=1")] + ["loglevel=7"]
    args += append
    return [
        qemu, "-accel", f"tcg,thread={tcg_thread}", "-cpu", "max", "-smp", str(smp), "-m", str(mem),
        "-nodefaults", "-no-user-config", "-nographic", "-no-reboot", "-monitor", "none",
        "-kernel", kernel.image, "-initrd", initramfs, "-append", " ".join(args),
        "-virtfs",
        "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
        # ttyS0: the kernel console and init's chatter, kept in a file.
        "-serial", f"file:{job_dir}/console.log",
        # ttyS1: the job's output and nothing else, on qemu's stdout.
        "-chardev", "stdio,id=job,signal=off", "-serial", "chardev:job",
    ]  # yapf: disable


def _die_with_parent():
    # qemu must not outlive us when ctest kills run-in-guest on its own timeout.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run(cmd, job_dir, timeout, verbose, out=sys.stdout.buffer, err=sys.stderr):
    """Runs qemu; returns the job's exit status, or GUEST_FAILED after saying why on err."""
    console_log = os.path.join(job_dir, "console.log")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    stream = JobStream()
    console = _ConsoleTail(console_log, err if verbose else None)
    qemu_errors = b""
    open_pipes = {proc.stdout.fileno(): "out", proc.stderr.fileno(): "err"}
    failure = None
    try:
        while open_pipes:
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                failure = f"the guest did not finish within {timeout:g} s"
                break
            ready, _, _ = select.select(list(open_pipes), [], [], min(left, 0.2))
            console.poll()
            for fd in ready:
                data = os.read(fd, 65536)
                if not data:
                    del open_pipes[fd]
                elif open_pipes[fd] == "out":
                    out.write(stream.feed(data))
                    out.flush()
                else:
                    qemu_errors += data
            if stream.done:
                break
    finally:
        # After the marker the guest only powers off; nothing of it is worth waiting for.
        if proc.poll() is None and not stream.done:
            proc.kill()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        console.poll()
        out.write(stream.flush())
        out.flush()
    elapsed = time.monotonic() - started
    if verbose:
        print(f"run-in-guest: guest ran {elapsed:.1f} s", file=err)

    if stream.status is not None:
        return stream.status
    if failure is None:
        if stream.init_failed:
            failure = "the guest init failed before running the command"
        elif _console_says(console_log, b"Kernel panic"):
            failure = "the guest kernel panicked"
        else:
            failure = (f"the guest ended without reporting the command's exit status "
                       f"(qemu exit status {proc.returncode}; kernel panic?)")
    _report_failure(failure, qemu_errors, console_log, err)
    return GUEST_FAILED


def _console_says(console_log, text):
    try:
        with open(console_log, "rb") as f:
            return text in f.read()
    except OSError:
        return False


# The firmware's terminal resets and colours on the console.
_ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|c)")


# Where a kernel crash report begins; the lines after it say what happened.
_CRASH = re.compile(r"\] (BUG:|Oops|general protection|WARNING:|Kernel panic)")


def _report_failure(failure, qemu_errors, console_log, err, lines=40):
    print(f"run-in-guest: FAILED: {failure}", file=err)
    if qemu_errors.strip():
        said = qemu_errors.decode(errors="replace").rstrip()
        print(f"run-in-guest: qemu said:\n{said}", file=err)
    try:
        with open(console_log, "rb") as f:
            text = _ESCAPES.sub("", f.read().decode(errors="replace").replace("\r", ""))
    except OSError:
        text = ""
    console = text.splitlines()
    crash = next((i for i, line in enumerate(console) if _CRASH.search(line)), None)
    if crash is not None:
        shown = console[max(0, crash - 5):][:120]
        where = "the guest console from the first crash report"
    else:
        shown = console[-lines:]
        where = f"last {len(shown)} lines of the guest console"
    print(f"run-in-guest: {where} (all of it with --verbose):", file=err)
    for line in shown:
        print(f"  | {line}", file=err)


class _ConsoleTail:
    """Copies what the guest console log gains to a stream (for --verbose)."""

    def __init__(self, path, dest):
        self.path, self.dest, self.offset = path, dest, 0

    def poll(self):
        if self.dest is None:
            return
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return
        self.offset += len(data)
        if data:
            self.dest.write(data.decode(errors="replace").replace("\r", ""))
            self.dest.flush()
