"""Where this host (or the qemu guest) mounts cgroup v2: shared by the test scripts that make
namespace cgroups. Scripts reach it with sys.path.insert(0, <tests>/lib)."""


def cgroup2_mount():
    """The cgroup2 mount point, or None when cgroup v2 is not mounted."""
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            # Optional fields end at "-"; the filesystem type follows it.
            if fields[fields.index("-") + 1] == "cgroup2":
                return fields[4]
    return None
