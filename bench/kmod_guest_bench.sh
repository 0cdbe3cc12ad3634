#!/usr/bin/env bash
# Inside the guest (bench/run_kmod): loads kmod-min, joins a namespace cgroup (the module serves
# only those), measures the dispatch to a struct_ops implementation that answers at once (the
# floor under the hot path: ntgate_client bench), attaches the hot path and runs
# bench/run_benchmarks.py with the kmod entry, then the gate without the runtime
# (ntgate_hotpath_calls bench).
# Usage: kmod_guest_bench.sh BUILD_DIR ITERATIONS
set -euo pipefail
if [ "${IREACTOR_IN_GUEST:-}" != 1 ]; then
  echo "kmod_guest_bench.sh: run me with tests/vm/run-in-guest (bench/run_kmod)" >&2
  exit 2
fi
build=$1
iterations=$2
insmod "$build/kmod-min/ntgate/ntgate.ko"
cgroup2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
mkdir -p "$cgroup2/ireactor/bench"
echo $$ >"$cgroup2/ireactor/bench/cgroup.procs"
"$build/bin/ntgate_client" bench "$build/tests/kmod/ntgate_test_ops.bpf.o" "$iterations" |
  grep -v '^PASS: '
"$build/bin/ireactor" kmod attach
python3 bench/run_benchmarks.py --build-dir "$build" --no-wine --no-hello --kmod \
  --iterations "$iterations" --rounds 3 --markdown
# The gate alone, without the runtime, fastest of ten interleaved rounds: steadier against the
# host's load than the medians above, whose floor and kmod column come from different processes.
echo
"$build/bin/ntgate_hotpath_calls" bench "$iterations"
"$build/bin/ireactor" kmod status
"$build/bin/ireactor" kmod detach
