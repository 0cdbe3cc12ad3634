"""The files that tell the guest init what to run: guest.conf (for init) and job.sh (the job)."""

import os
import re
import shlex

DEFAULT_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME": "/root",
    "USER": "root",
    "LOGNAME": "root",
    "LANG": "C.UTF-8",
    "TERM": "dumb",
    "IREACTOR_IN_GUEST": "1",
}

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Writable tmpfs the guest init always mounts; a cwd below one of these is empty in the guest.
SCRATCH_DIRS = ["/tmp", "/var/tmp", "/run", "/var/log", "/var/lib", "/etc/ireactor"]


def parse_env(assignments):
    """{name: value} from K=V strings; ValueError on a malformed one."""
    env = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not NAME.match(name):
            raise ValueError(f"--env {item!r}: expected NAME=VALUE")
        env[name] = value
    return env


def cgroup2_dir():
    """Where the host mounts cgroup2 (if below /sys/fs/cgroup), so guest tests find it at the
    same path."""
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                fields = line.split()
                sep = fields.index("-")
                if fields[sep + 1] == "cgroup2" and fields[4].startswith("/sys/fs/cgroup"):
                    return fields[4]
    except (OSError, ValueError, IndexError):
        pass
    return "/sys/fs/cgroup"


def write_job(job_dir, command, cwd, env, extra_tmpfs, keep=()):
    merged = dict(DEFAULT_ENV)
    merged.update(env)
    lines = ["umask 022"]
    lines += [f"export {shlex.quote(f'{k}={v}')}" for k, v in merged.items()]
    hidden = [d for d in SCRATCH_DIRS + extra_tmpfs if cwd == d or cwd.startswith(d + "/")]
    why = f" (the guest's {hidden[0]} is an empty tmpfs)" if hidden else ""
    complaint = shlex.quote(f"run-in-guest: cannot enter {cwd} in the guest{why}")
    lines.append(f"cd -- {shlex.quote(cwd)} || {{ echo {complaint} >&2; exit 125; }}")
    lines.append("exec " + " ".join(shlex.quote(a) for a in command))
    _write(os.path.join(job_dir, "job.sh"), "\n".join(lines) + "\n")

    conf = {
        "CGROUP2_DIR": cgroup2_dir(),
        "EXTRA_TMPFS": " ".join(extra_tmpfs),
        # Host directories shown again (read-only) where a tmpfs above would hide them: a
        # checkout or build below /tmp must still be reachable in the guest.
        "KEEP_DIRS": " ".join(keep),
    }
    _write(os.path.join(job_dir, "guest.conf"),
           "".join(f"{k}={shlex.quote(v)}\n" for k, v in conf.items()))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)
