// SPDX-License-Identifier: GPL-2.0
/*
 * `ntgate_client bench OPS.bpf.o CALLS`: what /dev/ntgate's dispatch to a struct_ops
 * implementation costs before any service does anything, the floor under every call the hot
 * path (kmod-min/bpf/) serves (bench/kmod_guest_bench.sh; docs/benchmarks.md). In ns per call,
 * each the fastest of ten rounds taken in turns (a TCG guest's timing drifts):
 *
 *   bare ioctl      a command the module refuses at once: the system call and the ioctl
 *                   dispatch alone, the kmod entry's yardstick
 *   unattached      a CALL with nothing attached: the module's own checks and argument copy
 *   answered        a CALL answered at once by test_a, sleepable like the hot path: plus the
 *                   BPF trampoline and a program that compares one number
 * (test_fast, the non-sleepable one, is left out: a map without a link attaches only once.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "ntgate_client.h"

/* ns per call of `calls` CALLs of T_ANSWER (or bare ioctls when bare); 0 if one went wrong. */
static double per_call_ns(int gate, unsigned long calls, int bare, long long expect)
{
	struct ntgate_call c = { .number = T_ANSWER };
	unsigned long i;
	uint64_t t0 = mono_ns();

	for (i = 0; i < calls; i++) {
		long long r = bare ? ntgate_ioctl(gate, _IO(NTGATE_IOC_MAGIC, 99), NULL)
				   : ntgate_ioctl(gate, NTGATE_IOC_CALL, &c);

		if (r != expect)
			return 0;
	}
	return (double)(mono_ns() - t0) / calls;
}

/* The fastest round so far, or -1 once a round went wrong. */
static void keep_fastest(double *best, double ns)
{
	if (*best < 0)
		return;
	if (ns == 0)
		*best = -1;
	else if (*best == 0 || ns < *best)
		*best = ns;
}

/* One round served by `map`'s implementation, attached for it alone. */
static void attached_round(int gate, struct bpf_map *map, unsigned long calls, long long answer,
			   double *best)
{
	struct bpf_link *link = bpf_map__attach_struct_ops(map);

	if (!link) {
		*best = -1;
		return;
	}
	keep_fastest(best, per_call_ns(gate, calls, 0, answer));
	bpf_link__destroy(link);
}

void mode_bench(const char *obj_path, unsigned long calls)
{
	double bare = 0, unattached = 0, answered = 0;
	unsigned long per_round = calls / 10 ? calls / 10 : 1;
	struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
	struct bpf_map *a;
	int gate = ntgate_open_attach(0, 0);
	int round;

	CHECK(gate >= 0 && obj && bpf_object__load(obj) == 0, "open /dev/ntgate and load %s",
	      obj_path);
	if (gate < 0 || !obj)
		return;
	a = bpf_object__find_map_by_name(obj, "test_a");
	CHECK(a != NULL, "map test_a");
	if (!a)
		return;
	for (round = 0; round < 10; round++) {
		keep_fastest(&bare, per_call_ns(gate, per_round, 1, -ENOTTY));
		keep_fastest(&unattached, per_call_ns(gate, per_round, 0, UNHANDLED));
		attached_round(gate, a, per_round, 0x1234, &answered);
	}
	CHECK(bare > 0 && unattached > 0 && answered > 0,
	      "every call answered as expected in every round");
	if (bare > 0 && unattached > 0 && answered > 0)
		printf("struct_ops floor: bare ioctl %.0f ns; CALL with nothing attached %.0f ns "
		       "(%.2fx); CALL answered at once by a sleepable implementation %.0f ns "
		       "(%.2fx)\n",
		       bare, unattached, unattached / bare, answered, answered / bare);
	bpf_object__close(obj);
	close(gate);
}
