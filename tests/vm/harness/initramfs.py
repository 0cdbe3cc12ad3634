"""The guest's initramfs: static busybox, the 9p modules and guest/init, built on demand and cached.

The archive is an uncompressed newc cpio written here (no root, mknod or cpio tool needed);
uncompressed because unpacking is faster under TCG than decompressing."""

import gzip
import hashlib
import lzma
import os
import stat
import subprocess
import tempfile

from .kernel import Unavailable, load_order

HERE = os.path.dirname(os.path.abspath(__file__))
INIT_SCRIPT = os.path.join(os.path.dirname(HERE), "guest", "init")
BUSYBOX = "/bin/busybox"
# Bump when the archive's layout changes in a way the inputs' hash does not see.
LAYOUT = b"ireactor-vm initramfs 1"


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "ireactor-vm")


def ensure_initramfs(kernel, cache_dir):
    """The path of the cached initramfs for this kernel and init script, built if missing.

    Concurrent callers may both build; each writes a private temporary file and renames it into
    place, so readers only ever see a complete archive."""
    busybox = _static_busybox()
    modules = load_order(kernel.modules_dir)
    with open(INIT_SCRIPT, "rb") as f:
        init = f.read()

    digest = hashlib.sha256(LAYOUT)
    digest.update(init)
    digest.update(_file_digest(busybox))
    for name, path in modules:
        digest.update(name.encode() + b"\0" + _file_digest(path))
    target = os.path.join(cache_dir, f"initramfs-{kernel.version}-{digest.hexdigest()[:16]}.cpio")
    if os.path.exists(target):
        return target

    os.makedirs(cache_dir, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=".initramfs-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            _write_archive(out, init, busybox, modules)
        os.chmod(temp, 0o644)
        os.rename(temp, target)
    except BaseException:
        os.unlink(temp)
        raise
    return target


def _write_archive(out, init, busybox, modules):
    archive = _Newc(out)
    for d in ["bin", "dev", "proc", "sys", "newroot", "modules", "layers"]:
        archive.directory(d)
    archive.device("dev/console", stat.S_IFCHR | 0o600, 5, 1)
    archive.file("init", init, 0o755)
    with open(busybox, "rb") as f:
        archive.file("bin/busybox", f.read(), 0o755)
    for name, path in modules:
        archive.file(f"modules/{name}.ko", _decompressed_module(path), 0o644)
    archive.file("modules/order", "".join(f"{name}\n" for name, _ in modules).encode(), 0o644)
    archive.trailer()


def _decompressed_module(path):
    """busybox insmod takes plain .ko files only."""
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".gz"):
        return gzip.decompress(data)
    if path.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    return data


def _static_busybox():
    if not os.path.isfile(BUSYBOX):
        raise Unavailable(f"{BUSYBOX} is missing (apt-get install busybox-static)")
    if _has_interpreter(BUSYBOX):
        raise Unavailable(f"{BUSYBOX} is dynamically linked (apt-get install busybox-static)")
    return BUSYBOX


def _has_interpreter(path):
    """Whether an ELF64 little-endian file has a PT_INTERP program header."""
    with open(path, "rb") as f:
        header = f.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2:
            return True
        phoff = int.from_bytes(header[32:40], "little")
        phentsize = int.from_bytes(header[54:56], "little")
        phnum = int.from_bytes(header[56:58], "little")
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(int.from_bytes(table[i * phentsize:i * phentsize + 4], "little") == 3
               for i in range(phnum))


def _file_digest(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").digest()


class _Newc:
    """Writes the "new ASCII" cpio format the kernel unpacks into its rootfs."""

    def __init__(self, out):
        self.out = out
        self.ino = 0

    def directory(self, name):
        self._entry(name, stat.S_IFDIR | 0o755, b"", nlink=2)

    def file(self, name, data, mode):
        self._entry(name, stat.S_IFREG | mode, data)

    def device(self, name, mode, major, minor):
        self._entry(name, mode, b"", rdev=(major, minor))

    def trailer(self):
        self.ino = -1
        self._entry("TRAILER!!!", 0, b"", nlink=1)

    def _entry(self, name, mode, data, nlink=1, rdev=(0, 0)):
        self.ino += 1
        encoded = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(encoded), 0]
        header = b"070701" + b"".join(b"%08x" % v for v in fields)
        self._padded(header + encoded)
        self._padded(data)

    def _padded(self, data):
        self.out.write(data)
        self.out.write(b"\0" * (-len(data) % 4))
