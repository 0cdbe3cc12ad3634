#!/bin/sh
# Runs inside the guest (vm.smoke): the guest is what tests/vm/README.md promises.
# Usage: smoke.sh EXPECTED_CWD
set -u
if [ "${IREACTOR_IN_GUEST:-}" != 1 ]; then
  echo "smoke.sh: run me with tests/vm/run-in-guest" >&2
  exit 2
fi
expected_cwd=$1
failures=0

check() { # DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@"; then
    echo "ok: $what"
  else
    echo "FAIL: $what"
    failures=$((failures + 1))
  fi
}

fs_type() { stat -f -c %T "$1" 2>/dev/null; }

# A write must fail with EROFS, not merely for lack of a directory or permission.
write_fails_read_only() { # PATH
  err=$( (: >"$1") 2>&1) && { rm -f "$1"; return 1; }
  case "$err" in *"Read-only file system"*) return 0 ;; esac
  echo "  writing $1: $err"
  return 1
}

writable_tmpfs() { # DIR
  [ "$(fs_type "$1")" = tmpfs ] || return 1
  f="$1/ireactor-vm-smoke.$$"
  echo probe >"$f" && [ "$(cat "$f")" = probe ] && rm "$f"
}

cgroup2_usable() {
  dir=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  [ -n "$dir" ] && [ -f "$dir/cgroup.controllers" ] || return 1
  echo "  cgroup2 at $dir"
  mkdir "$dir/ireactor-vm-smoke" && echo $$ >"$dir/ireactor-vm-smoke/cgroup.procs" &&
    grep -qx "0::/ireactor-vm-smoke" /proc/self/cgroup &&
    echo $$ >"$dir/cgroup.procs" && rmdir "$dir/ireactor-vm-smoke"
}

check "kernel is 6.12 ($(uname -r))" sh -c 'uname -r | grep -q "^6\.12\."'
check "bpf is an active LSM ($(cat /sys/kernel/security/lsm))" \
  sh -c 'tr , "\n" </sys/kernel/security/lsm | grep -qx bpf'
check "running as root" [ "$(id -u)" = 0 ]
check "cwd is the caller's ($expected_cwd)" [ "$(pwd)" = "$expected_cwd" ]
check "--env reaches the command" [ "${IREACTOR_VM_SMOKE:-}" = "from-ctest" ]
check "host root is visible" [ -f "$expected_cwd/CTestTestfile.cmake" ]
check "host root is read-only (/usr)" write_fails_read_only /usr/ireactor-vm-smoke
check "host root is read-only (cwd)" write_fails_read_only "$expected_cwd/ireactor-vm-smoke"
check "host root is read-only (/etc)" write_fails_read_only /etc/ireactor-vm-smoke
for d in /tmp /var/tmp /run /var/log /var/lib /etc/ireactor /dev/shm; do
  check "$d is writable tmpfs" writable_tmpfs "$d"
done
check "/proc is procfs" [ "$(fs_type /proc)" = proc ]
check "/sys is sysfs" [ "$(fs_type /sys)" = sysfs ]
check "/dev is devtmpfs" grep -q "^devtmpfs /dev " /proc/mounts
check "/dev/null is a device" [ -c /dev/null ]
check "bpffs on /sys/fs/bpf" [ "$(fs_type /sys/fs/bpf)" = bpf_fs ]
check "debugfs on /sys/kernel/debug" [ "$(fs_type /sys/kernel/debug)" = debugfs ]
check "tracefs on /sys/kernel/tracing" [ "$(fs_type /sys/kernel/tracing)" = tracefs ]
check "cgroup2 mounted and usable" cgroup2_usable
check "loopback is up" sh -c 'ip -o link show lo | grep -q "UP"'

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all guest checks passed"
