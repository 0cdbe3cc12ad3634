#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ntgate.ko in the qemu guest (tests/vm/run-in-guest): load, who may open and attach, calls
# with nothing attached, a BPF implementation attached (the kfunc checks), STATUS, live
# replacement, detach, the cgroup_parent parameter, unload.
#
#   kmod_guest_test.sh DIR            DIR holds ntgate.ko (or ntgate/ntgate.ko), ntgate_client,
#                                     ntgate_test_ops.bpf.o, ntgate_test_bad.bpf.o
#   kmod_guest_test.sh KO CLIENT OBJ BAD_OBJ
#
# Prints a PASS:/FAIL: line per check and "N passed, N failed"; exits 1 on a failure.
set -u

if [ "${IREACTOR_IN_GUEST:-}" != 1 ]; then
	echo "kmod_guest_test.sh: runs in the qemu guest only (tests/vm/run-in-guest)" >&2
	exit 2
fi
if [ $# -eq 1 ]; then
	ko=$1/ntgate.ko
	[ -f "$ko" ] || ko=$1/ntgate/ntgate.ko
	client=$1/ntgate_client
	obj=$1/ntgate_test_ops.bpf.o
	bad=$1/ntgate_test_bad.bpf.o
elif [ $# -eq 4 ]; then
	ko=$1 client=$2 obj=$3 bad=$4
else
	echo "usage: $0 DIR | KO CLIENT OBJ BAD_OBJ" >&2
	exit 2
fi

. "$(dirname "$0")/guest_checks.sh"
# Runs the client in cgroup $1 (a directory of the cgroup2 mount) and counts its PASS/FAIL lines.
client_in() {
	local cg=$1 out
	shift
	out=$(sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" "$client" "$@" 2>&1)
	echo "$out"
	passed=$((passed + $(grep -c '^PASS: ' <<<"$out")))
	failed=$((failed + $(grep -c '^FAIL: ' <<<"$out")))
	# A client that died before its summary line is a failure of its own.
	grep -q '^client .* checks passed' <<<"$out" || { failed=$((failed + 1)); echo "FAIL: client $* did not finish"; }
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

for f in "$ko" "$client" "$obj" "$bad"; do
	[ -f "$f" ] || { echo "FAIL: missing $f"; failed=$((failed + 1)); finish; }
done
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg2" ] || { echo "FAIL: no cgroup2 mount"; failed=$((failed + 1)); finish; }
export NTGATE_CGROUP2=$cg2
param=/sys/module/ntgate/parameters/cgroup_parent

# --- load ---
check "insmod $ko" insmod "$ko"
grep -q '^ntgate ' /proc/modules || finish
check "/dev/ntgate is a character device" test -c /dev/ntgate
check "cgroup_parent defaults to ireactor" test "$(cat $param)" = ireactor
check "module BTF at /sys/kernel/btf/ntgate" test -f /sys/kernel/btf/ntgate
check "struct_ops type nt_syscall_ops in the module BTF" \
	sh -c "bpftool btf dump file /sys/kernel/btf/ntgate 2>/dev/null | grep -q \"STRUCT 'nt_syscall_ops'\""

# --- who may use it ---
mkdir -p "$cg2/ireactor/t1"
echo "== outside the namespaces (cgroup root)"
client_in "$cg2" outside
echo "== in the parent cgroup itself (not a namespace)"
client_in "$cg2/ireactor" outside

# --- nothing attached ---
echo "== namespace ireactor/t1, nothing attached"
client_in "$cg2/ireactor/t1" noimpl

# --- the test implementation ---
echo "== namespace ireactor/t1, test struct_ops attached"
client_in "$cg2/ireactor/t1" main "$obj"

# The benchmark's floor mode (bench/kmod_guest_bench.sh), briefly: its figures mean nothing here,
# but every call of every round must be answered as expected.
echo "== ntgate_client bench (200 calls)"
client_in "$cg2/ireactor/t1" bench "$obj" 200

echo "== programs the verifier must refuse"
client_in "$cg2/ireactor/t1" verifier "$bad"

# --- the parameter: another parent makes t1 an outsider ---
echo "== cgroup_parent=elsewhere"
mkdir -p "$cg2/elsewhere/n1"
check "set cgroup_parent" sh -c "echo elsewhere > $param"
client_in "$cg2/ireactor/t1" outside
client_in "$cg2/elsewhere/n1" noimpl
check "set cgroup_parent back" sh -c "echo ireactor > $param"

# --- unload ---
unload_module ntgate "rmmod ntgate (retried while BPF frees the maps)"
check "/dev/ntgate is gone" test ! -e /dev/ntgate
check_dmesg_clean
finish
