"""Which guest kernel to boot and which of its modules the initramfs needs."""

import glob
import os
import re
from dataclasses import dataclass

# The guest kernel series: the newest Debian 6.12 (bookworm-backports), where BPF LSM works.
KERNEL_GLOB = "/boot/vmlinuz-6.12*"

# Mounting the host root needs these; their dependencies come from modules.dep.
INITRAMFS_MODULES = ["9pnet_virtio", "9p", "overlay"]


class Unavailable(Exception):
    """A prerequisite of the guest is missing on this host (the test should skip)."""


@dataclass
class Kernel:
    image: str  # /boot/vmlinuz-<version>
    version: str
    modules_dir: str  # /lib/modules/<version>


def image_version(path):
    """The release (uname -r) a bzImage was built as, from its boot protocol header."""
    with open(path, "rb") as f:
        header = f.read(0x210)
        if len(header) < 0x210 or header[0x202:0x206] != b"HdrS":
            return None
        offset = int.from_bytes(header[0x20E:0x210], "little")
        if not offset:
            return None
        f.seek(offset + 0x200)
        text = f.read(256)
    return text.split(b" ", 1)[0].decode(errors="replace") or None


def _version_key(version):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", version)]


def find_kernel(image=None):
    """The kernel given, or the newest /boot/vmlinuz-6.12* that has its modules installed."""
    if image:
        candidates = [image]
    else:
        candidates = sorted(glob.glob(KERNEL_GLOB), key=_version_key, reverse=True)
        if not candidates:
            raise Unavailable(f"no guest kernel {KERNEL_GLOB} (install linux-image-amd64 from "
                              "bookworm-backports)")
    for path in candidates:
        if not os.access(path, os.R_OK):
            reason = f"{path} is not readable"
            continue
        version = image_version(path)
        modules_dir = f"/lib/modules/{version}"
        if not version:
            reason = f"{path} is not an x86 bzImage"
        elif not os.path.isfile(os.path.join(modules_dir, "modules.dep")):
            reason = f"{modules_dir}/modules.dep is missing"
        else:
            return Kernel(path, version, modules_dir)
    raise Unavailable(f"no usable guest kernel: {reason}")


def read_modules_dep(modules_dir):
    """{module name: (relative path, [dependency names])} from modules.dep."""
    table = {}
    with open(os.path.join(modules_dir, "modules.dep")) as f:
        for line in f:
            path, _, deps = line.partition(":")
            table[module_name(path)] = (path, [module_name(d) for d in deps.split()])
    return table


def module_name(path):
    name = os.path.basename(path.strip())
    return name[: name.index(".ko")].replace("-", "_")


def load_order(modules_dir, wanted=INITRAMFS_MODULES):
    """[(name, path)] for the wanted modules and their dependencies, dependencies first.

    Modules built into the kernel are absent from modules.dep and need nothing."""
    table = read_modules_dep(modules_dir)
    builtin = _builtin_modules(modules_dir)
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if name not in table:
            if name in builtin:
                return
            raise Unavailable(f"module {name} is not in {modules_dir}/modules.dep")
        path, deps = table[name]
        for dep in deps:
            visit(dep)
        order.append((name, os.path.join(modules_dir, path)))

    for name in wanted:
        visit(name)
    return order


def _builtin_modules(modules_dir):
    try:
        with open(os.path.join(modules_dir, "modules.builtin")) as f:
            return {module_name(line) for line in f if line.strip()}
    except FileNotFoundError:
        return set()
