# Sourced by the kmod guest scripts: PASS/FAIL lines and their count.
passed=0 failed=0
check() {	# check "what" command...: passes when the command succeeds
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1)); echo "PASS: $what"
	else
		failed=$((failed + 1)); echo "FAIL: $what"
	fi
}

# unload_module NAME WHAT: rmmod, retried for up to 30 s (BPF frees detached struct_ops maps,
# and with them the module's BTF reference, only after an RCU grace period: EAGAIN/EBUSY till
# then), checked as WHAT.
unload_module() {
	local unloaded=false
	for _ in $(seq 1 60); do
		if rmmod "$1" 2>/dev/null; then unloaded=true; break; fi
		sleep 0.5
	done
	check "$2" $unloaded
}

# check_dmesg_clean: nothing the kernel complained about on the way (WARN_ON, BUG, lockdep,
# KASAN, hung tasks...).
check_dmesg_clean() {
	local complaints
	complaints=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|circular locking|INFO: task' || true)
	[ -z "$complaints" ] || echo "$complaints"
	check "no kernel warnings in dmesg" test -z "$complaints"
}
