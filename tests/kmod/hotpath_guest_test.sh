#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The struct_ops hot path (kmod-min/bpf) in the qemu guest (tests/vm/run-in-guest): loads
# ntgate.ko, joins a namespace cgroup, then `ireactor kmod` attach / status / replace / detach
# and their refusals, every served service checked call by call (hotpath_calls checks), live
# replacement while a process calls in a loop (no call unhandled or failed, the module counts
# each once), ireactord refreshing the pinned numbering, and the errors once the module is gone.
#
#   hotpath_guest_test.sh KO IREACTOR HOTPATH_CALLS [IREACTORD]
#
# Prints a PASS:/FAIL: line per check and "N passed, N failed"; exits 1 on a failure.
set -u

if [ "${IREACTOR_IN_GUEST:-}" != 1 ]; then
	echo "hotpath_guest_test.sh: runs in the qemu guest only (tests/vm/run-in-guest)" >&2
	exit 2
fi
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
	echo "usage: $0 KO IREACTOR HOTPATH_CALLS [IREACTORD]" >&2
	exit 2
fi
ko=$1 ireactor=$2 calls=$3 ireactord=${4:-$(dirname "$2")/ireactord}
pins=/sys/fs/bpf/ireactor/kmod
export IREACTOR_BPFFS_DIR=/sys/fs/bpf/ireactor

. "$(dirname "$0")/guest_checks.sh"
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# run CMD...: its stdout+stderr in $out, its exit status in $rc (and echoed, for the log).
run() {
	out=$("$@" 2>&1)
	rc=$?
	echo "\$ ${*#"$ireactor "} -> $rc"
	[ -z "$out" ] || echo "$out" | sed 's/^/    /'
}
has() { grep -qF -- "$1" <<<"$out"; }
# result RC TEXT...: the last run exited RC and printed every TEXT.
result() {
	[ "$rc" = "$1" ] || return 1
	shift
	local t
	for t; do has "$t" || return 1; done
}
# jget PATH: a field of the JSON in $out, e.g. jget '["link"]["pinned"]' (JSON-encoded).
jget() {
	python3 -c 'import json, sys; print(json.dumps(eval("json.loads(sys.stdin.read())" + sys.argv[1])))' "$1" <<<"$out"
}
status_json() { run "$ireactor" kmod status --json; }

for f in "$ko" "$ireactor" "$calls"; do
	[ -f "$f" ] || { echo "FAIL: missing $f"; failed=$((failed + 1)); finish; }
done
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg2" ] || { echo "FAIL: no cgroup2 mount"; failed=$((failed + 1)); finish; }

# --- no module ---
run "$ireactor" kmod status
check "status without the module: exit 1" test "$rc" = 1
check "... says to load kmod-min" has "/dev/ntgate is missing: load kmod-min (docs/kmod.md)"
run "$ireactor" kmod attach
check "attach without the module: exit 1, same message" \
	result 1 "load kmod-min"

check "insmod $ko" insmod "$ko"
grep -q '^ntgate ' /proc/modules || finish

# Everything from here runs in namespace t1, as an NT process would.
mkdir -p "$cg2/ireactor/t1"
check "join namespace cgroup ireactor/t1" sh -c "echo $$ > '$cg2/ireactor/t1/cgroup.procs'"

# --- nothing attached ---
run "$ireactor" kmod status
check "status, nothing attached: exit 0" test "$rc" = 0
check "... implementation: none" has "implementation: none"
status_json
check "status --json: attached false" test "$(jget '["attached"]')" = false
check "... no link pinned" test "$(jget '["link"]["pinned"]')" = false
run "$ireactor" kmod detach
check "detach with nothing attached: exit 1, nothing attached" \
	result 1 "nothing attached"
run "$ireactor" kmod replace
check "replace with nothing attached: exit 1, use attach" \
	result 1 "ireactor kmod attach"
run "$ireactor" kmod attach --impl nonesuch
check "attach --impl nonesuch: usage error (2)" test "$rc" = 2
run setpriv --reuid=65534 --regid=65534 --clear-groups "$ireactor" kmod attach
check "attach as nobody: exit 1, needs root" \
	result 1 "needs root"

# --- attach ---
run "$ireactor" kmod attach
check "attach: exit 0" test "$rc" = 0
check "... attached hotpath (generation 1)" has "attached hotpath (generation 1)"
check "link pinned at $pins/link" test -e "$pins/link"
check "numbering pinned at $pins/nt_numbering" test -e "$pins/nt_numbering"
run "$ireactor" kmod attach
check "attach again: exit 1, already attached, use replace" \
	result 1 "attached already" "kmod replace"
status_json
check "status --json: attached hotpath" test "$(jget '["implementation"]')" = '"hotpath"'
check "... link runs hotpath" test "$(jget '["link"]["implementation"]')" = '"hotpath"'
entries=$(jget '["numbering"]["entries"]')
check "... numbering has entries ($entries)" test "$entries" -gt 400
run "$ireactor" kmod status
check "status text: hotpath and its link" result 0 "implementation: hotpath (generation 1)" "runs hotpath"

# --- the services, call by call ---
echo "== hotpath_calls checks"
callout=$("$calls" checks 2>&1)
echo "$callout"
passed=$((passed + $(grep -c '^PASS: ' <<<"$callout")))
failed=$((failed + $(grep -c '^FAIL: ' <<<"$callout")))
check "hotpath_calls finished" grep -qE '^[0-9]+ passed, [0-9]+ failed$' <<<"$callout"
status_json
check "the implementation served calls ($(jget '["implementation_handled"]'))" \
	test "$(jget '["implementation_handled"]')" -ge 30

# --- live replacement under load ---
echo "== replace while a process calls in a loop"
status_json
calls_before=$(jget '["calls"]') handled_before=$(jget '["handled"]')
stop=/tmp/hotpath_stop
rm -f "$stop"
"$calls" loop "$stop" >/tmp/hotpath_loop.out 2>&1 &
loop_pid=$!
sleep 1
run "$ireactor" kmod replace
check "replace: hotpath -> hotpath_b" result 0 "replaced hotpath with hotpath_b (generation 2)"
run "$ireactor" kmod replace --impl hotpath
check "replace --impl hotpath" result 0 "replaced hotpath_b with hotpath (generation 3)"
run "$ireactor" kmod replace --impl hotpath
check "replace hotpath by a fresh hotpath" result 0 "with hotpath (generation 4)"
run "$ireactor" kmod replace
check "replace: hotpath -> hotpath_b again" result 0 "with hotpath_b (generation 5)"
sleep 1
touch "$stop"
wait "$loop_pid"
loop=$(cat /tmp/hotpath_loop.out)
echo "$loop"
# (A here-string, not <(...): the guest's devtmpfs has no /dev/fd.)
read -r lc ls lu lf <<<"$(sed -n 's/^loop: \([0-9]*\) calls, \([0-9]*\) served, \([0-9]*\) unhandled, \([0-9]*\) failed$/\1 \2 \3 \4/p' <<<"$loop")"
check "loop made calls (${lc:-none})" test "${lc:-0}" -gt 0
check "every loop call served (none unhandled, none failed)" \
	test "${ls:-x}" = "${lc:-y}" -a "${lu:-x}" = 0 -a "${lf:-x}" = 0
status_json
check "the module counted each loop call once, served in the kernel" \
	test "$(($(jget '["calls"]') - calls_before))" = "${lc:-x}" -a \
	"$(($(jget '["handled"]') - handled_before))" = "${lc:-x}"
check "status: hotpath_b attached, generation 5" \
	test "$(jget '["implementation"]')" = '"hotpath_b"' -a "$(jget '["generation"]')" = 5
check "... the link runs hotpath_b" test "$(jget '["link"]["implementation"]')" = '"hotpath_b"'

# --- ireactord refreshes the pinned numbering ---
if [ -x "$ireactord" ]; then
	echo "== ireactord --once refreshes $pins/nt_numbering"
	# (nt_hotpath_abi.h: an ARRAY, 1024 numbers per build slot, 19045 in slot 0.) A stale entry
	# {19045, 1000} and NtReadFile of 19045 (number 6) pointed at no service (0xfffffffe; an
	# empty entry, 0xffffffff, would not count).
	bpftool map update pinned "$pins/nt_numbering" key hex e8 03 00 00 value hex 01 00 00 00
	bpftool map update pinned "$pins/nt_numbering" key hex 06 00 00 00 value hex fe ff ff ff
	status_json
	check "numbering has the stale entry" test "$(jget '["numbering"]["entries"]')" = $((entries + 1))
	run "$ireactord" --once
	check "ireactord --once: exit 0" test "$rc" = 0
	check "... refreshed the numbering ($entries entries)" has "refreshed the kernel hot path's NT numbering: $entries entries"
	status_json
	check "the stale entry is gone" test "$(jget '["numbering"]["entries"]')" = "$entries"
	callout=$("$calls" checks 2>&1)
	check "NtReadFile is served again (hotpath_calls checks all pass)" \
		grep -qE '^[0-9]+ passed, 0 failed$' <<<"$callout"
	grep '^FAIL: ' <<<"$callout"

	# Another release's version (index 8192): programs with other service ids would run on this
	# map, so the agent reloads the implementation on a map of its own instead of rewriting it.
	bpftool map update pinned "$pins/nt_numbering" key hex 00 20 00 00 value hex 01 00 00 00
	old_map=$(bpftool map show pinned "$pins/nt_numbering" | sed -n 's/^\([0-9]*\):.*/\1/p')
	run "$ireactord" --once
	check "ireactord --once with another release's map: exit 0" test "$rc" = 0
	check "... reloaded hotpath_b with this release's numbering" \
		has "reloaded the kernel hot path (hotpath_b) with this release's NT numbering: $entries entries"
	new_map=$(bpftool map show pinned "$pins/nt_numbering" | sed -n 's/^\([0-9]*\):.*/\1/p')
	check "a new numbering map is pinned ($old_map -> $new_map)" test -n "$new_map" -a "$new_map" != "$old_map"
	status_json
	check "hotpath_b attached, generation 6, $entries entries" \
		test "$(jget '["implementation"]')" = '"hotpath_b"' -a "$(jget '["generation"]')" = 6 -a \
		"$(jget '["numbering"]["entries"]')" = "$entries"
	callout=$("$calls" checks 2>&1)
	check "served as before (hotpath_calls checks all pass)" \
		grep -qE '^[0-9]+ passed, 0 failed$' <<<"$callout"
	grep '^FAIL: ' <<<"$callout"
	run "$ireactord" --once
	check "the next ireactord start rewrites in place" \
		has "refreshed the kernel hot path's NT numbering: $entries entries"
	# The agent's own pins go; ours stay.
	"$ireactord" --uninstall >/dev/null 2>&1
else
	echo "(no ireactord at $ireactord: numbering refresh not checked)"
fi

# --- detach ---
run "$ireactor" kmod detach
check "detach: exit 0, detached hotpath_b" result 0 "detached hotpath_b"
check "link pin removed" test ! -e "$pins/link"
status_json
check "status: nothing attached" test "$(jget '["attached"]')" = false
check "... numbering still pinned" test "$(jget '["numbering"]["pinned"]')" = true
touch "$stop"
loop=$("$calls" loop "$stop" 2>&1)
echo "$loop"
check "calls after detach go to userspace" grep -qF 'loop: 100 calls, 0 served, 100 unhandled, 0 failed' <<<"$loop"
run "$ireactor" kmod detach
check "detach again: exit 1, nothing attached" result 1 "nothing attached"
run "$ireactor" kmod attach --impl hotpath_b
check "attach --impl hotpath_b after a detach" result 0 "attached hotpath_b"
run "$ireactor" kmod detach
check "and detach it" test "$rc" = 0

# --- unload ---
rm -f "$pins/nt_numbering"
unload_module ntgate "rmmod ntgate"
run "$ireactor" kmod status --json
check "status after rmmod: exit 1, load kmod-min" result 1 "load kmod-min"
check_dmesg_clean
finish
