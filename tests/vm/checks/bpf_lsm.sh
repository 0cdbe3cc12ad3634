#!/bin/sh
# Runs inside the guest (vm.bpf_lsm): loads lsm_probe.bpf.o as a BPF LSM program and shows it
# attached and enforcing, then detached and not.
# Usage: bpf_lsm.sh LSM_PROBE_OBJECT
set -u
if [ "${IREACTOR_IN_GUEST:-}" != 1 ]; then
  echo "bpf_lsm.sh: run me with tests/vm/run-in-guest" >&2
  exit 2
fi
object=$1
pins=/sys/fs/bpf/ireactor-vm-lsm
denied=/tmp/ireactor-vm-lsm-denied
fail() { echo "FAIL: $*"; exit 1; }

lsms=$(cat /sys/kernel/security/lsm)
echo "$lsms" | tr , '\n' | grep -qx bpf || fail "bpf is not among the active LSMs: $lsms"
echo secret >"$denied" && echo fine >/tmp/ireactor-vm-lsm-denied-not
cat "$denied" >/dev/null || fail "cannot open $denied before loading"

bpftool prog loadall "$object" "$pins" autoattach || fail "bpftool prog loadall autoattach"
echo "ok: loaded $(ls "$pins")"
bpftool prog show name vm_lsm_probe | tee /tmp/prog
grep -q ": lsm  name vm_lsm_probe" /tmp/prog || fail "bpftool lists no lsm program vm_lsm_probe"
prog_id=$(sed -n 's/^\([0-9]*\): lsm .*/\1/p' /tmp/prog)
bpftool link show | tee /tmp/links
grep -q "prog $prog_id" /tmp/links || fail "no link attaches program $prog_id"

err=$(cat "$denied" 2>&1) && fail "opened $denied while the program is attached"
case "$err" in *"Operation not permitted"*) echo "ok: opening $denied: $err" ;;
  *) fail "opening $denied failed, but not with EPERM: $err" ;; esac
cat /tmp/ireactor-vm-lsm-denied-not >/dev/null || fail "a longer name was denied too"
bpftool map dump name lsm_prob.bss | tee /tmp/bss
grep -q '"denials": [1-9]' /tmp/bss || fail "the program counted no denials"

rm -r "$pins"
[ "$(cat "$denied")" = secret ] || fail "$denied still refused after removing the pins"
echo "ok: BPF LSM loads, attaches, enforces and detaches in the guest"
