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
