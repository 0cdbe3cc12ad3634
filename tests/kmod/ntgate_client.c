// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kmod's /dev/ntgate client, run by kmod_guest_test.sh in the guest:
 *
 *   ntgate_client outside          outside the namespaces (as root): who may open and attach
 *   ntgate_client noimpl           in a namespace, nothing attached: the ioctls and their errors
 *   ntgate_client main OPS.bpf.o   in a namespace: attaches ntgate_test_ops.bpf.o's test_a, the
 *                                  kfunc checks, STATUS, live replacement by test_b, detach,
 *                                  test_fast, and last moves itself out of the namespace
 *   ntgate_client verifier BAD.bpf.o   ntgate_test_bad.bpf.o's programs are all refused
 *   ntgate_client bench OPS.bpf.o CALLS   in a namespace: what the dispatch to an implementation
 *                                  costs (ntgate_client_bench.c)
 *
 * NTGATE_CGROUP2 names the cgroup2 mount. Prints PASS:/FAIL: lines; exits 1 on a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "ntgate_client.h"

int checks_passed, checks_failed;

long long ntgate_ioctl(int fd, unsigned long cmd, void *arg)
{
	long r = syscall(SYS_ioctl, fd, cmd, arg);

	return r == -1 ? -errno : r;
}

static long long vcall(int fd, uint32_t number, int nargs, va_list ap)
{
	struct ntgate_call c = { .number = number, .nargs = nargs };
	int i;

	for (i = 0; i < nargs && i < NTGATE_MAX_ARGS; i++)
		c.args[i] = va_arg(ap, uint64_t);
	return ntgate_ioctl(fd, NTGATE_IOC_CALL, &c);
}

long long ntgate_call(int fd, uint32_t number, int nargs, ...)
{
	va_list ap;
	long long r;

	va_start(ap, nargs);
	r = vcall(fd, number, nargs, ap);
	va_end(ap);
	return r;
}

long long ntgate_call32(int fd, uint32_t number, int nargs, ...)
{
	va_list ap;
	long long r;

	uint32_t v;

	va_start(ap, nargs);
	r = vcall(fd, number, nargs, ap);
	va_end(ap);
	if (r >= -4095 && r < 0)
		return -100000 + r;
	v = (uint32_t)r;
	if ((v & 0xf0000000u) == 0xe0000000u)
		return -(long long)(v & 0xffff);
	return v;
}

static int attach(int fd, uint64_t mirror, uint32_t capacity)
{
	struct ntgate_attach at = { .abi_version = NTGATE_ABI_VERSION, .build = TEST_BUILD,
				    .handle_mirror = mirror, .handle_capacity = capacity };

	return (int)ntgate_ioctl(fd, NTGATE_IOC_ATTACH, &at);
}

int ntgate_open_attach(uint64_t mirror, uint32_t capacity)
{
	int fd = open("/dev/ntgate", O_RDWR | O_CLOEXEC);

	if (fd < 0 || attach(fd, mirror, capacity) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int status(int fd, struct ntgate_status *st)
{
	memset(st, 0, sizeof(*st));
	return (int)ntgate_ioctl(fd, NTGATE_IOC_STATUS, st);
}

/* The result of `fn` run in a child process, as its exit status. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int child_call(void *arg)
{
	long long r = ntgate_call(*(int *)arg, T_ANSWER, 0);

	return r == -EPERM ? 0 : 1;
}

static int child_nobody_open(void *arg)
{
	int fd;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return 2;
	fd = open("/dev/ntgate", O_RDWR);
	return fd < 0 && errno == EPERM ? 0 : 1;
}

static void mode_outside(void)
{
	struct ntgate_status st;
	int fd = open("/dev/ntgate", O_RDWR);

	CHECK(fd >= 0, "outside, root: open is allowed (STATUS only): %s",
	      fd < 0 ? strerror(errno) : "ok");
	CHECK(status(fd, &st) == 0 && st.abi_version == NTGATE_ABI_VERSION,
	      "outside, root: STATUS works, abi %u", st.abi_version);
	CHECK(attach(fd, 0, 0) == -EPERM, "outside: ATTACH -> EPERM");
	CHECK(ntgate_call(fd, T_ANSWER, 0) == -EPERM, "outside: CALL -> EPERM");
	close(fd);
	CHECK(in_child(child_nobody_open, NULL) == 0, "outside, not root: open -> EPERM");
}

static void mode_noimpl(void)
{
	struct ntgate_status st0, st;
	struct ntgate_attach bad;
	struct ntgate_call many = { .number = T_ANSWER, .nargs = NTGATE_MAX_ARGS + 1 };
	int fd = open("/dev/ntgate", O_RDWR);
	long long r;

	CHECK(fd >= 0, "namespace: open: %s", fd < 0 ? strerror(errno) : "ok");
	CHECK(status(fd, &st0) == 0, "STATUS before ATTACH");
	CHECK(ntgate_call(fd, T_ANSWER, 0) == -ENOTCONN, "CALL before ATTACH -> ENOTCONN");
	bad = (struct ntgate_attach){ .abi_version = 99, .build = TEST_BUILD };
	CHECK(ntgate_ioctl(fd, NTGATE_IOC_ATTACH, &bad) == -EPROTO, "ATTACH abi 99 -> EPROTO");
	bad = (struct ntgate_attach){ .abi_version = NTGATE_ABI_VERSION, .flags = 1 };
	CHECK(ntgate_ioctl(fd, NTGATE_IOC_ATTACH, &bad) == -EINVAL, "ATTACH flags 1 -> EINVAL");
	bad = (struct ntgate_attach){ .abi_version = NTGATE_ABI_VERSION,
				      .handle_mirror = 0xffff800000000000ULL, .handle_capacity = 4 };
	CHECK(ntgate_ioctl(fd, NTGATE_IOC_ATTACH, &bad) == -EFAULT, "ATTACH kernel mirror -> EFAULT");
	CHECK(ntgate_ioctl(fd, NTGATE_IOC_ATTACH, NULL) == -EFAULT, "ATTACH NULL -> EFAULT");
	CHECK(attach(fd, 0, 0) == 0, "ATTACH");
	CHECK(attach(fd, 0, 0) == -EBUSY, "second ATTACH -> EBUSY");
	r = ntgate_call(fd, T_ANSWER, 0);
	CHECK(r == UNHANDLED, "CALL with nothing attached -> UNHANDLED, -ENOSYS (%lld)", r);
	CHECK(ntgate_ioctl(fd, NTGATE_IOC_CALL, &many) == -EINVAL, "CALL nargs 13 -> EINVAL");
	CHECK(ntgate_ioctl(fd, NTGATE_IOC_CALL, (void *)8) == -EFAULT, "CALL bad pointer -> EFAULT");
	CHECK(ntgate_ioctl(fd, _IO('N', 99), NULL) == -ENOTTY, "unknown ioctl -> ENOTTY");
	CHECK(in_child(child_call, &fd) == 0, "CALL from a forked child -> EPERM");
	CHECK(status(fd, &st) == 0 && !st.attached && st.processes >= 1 &&
		      st.calls == st0.calls + 1 && st.unhandled == st0.unhandled + 1 &&
		      st.handled == st0.handled,
	      "STATUS: not attached, %u processes, calls +%llu unhandled +%llu", st.processes,
	      (unsigned long long)(st.calls - st0.calls),
	      (unsigned long long)(st.unhandled - st0.unhandled));
	close(fd);
}

/* --- main mode: a BPF implementation attached --- */

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

struct swap_worker {
	int gate;
	uint32_t number;
	uint64_t arg;
	volatile int *stop;
	long a, b, other;
	long long bad;
};

static void *swap_loop(void *p)
{
	struct swap_worker *w = p;

	while (!*w->stop) {
		long long r = ntgate_call(w->gate, w->number, 1, w->arg);

		if (r == 0x1234)
			w->a++;
		else if (r == 0x5678)
			w->b++;
		else if (w->other++ == 0)
			w->bad = r;
	}
	return NULL;
}

static void swap_checks(int gate, struct bpf_link *link, struct bpf_map *ma, struct bpf_map *mb)
{
	struct swap_worker w[3] = {
		{ .gate = gate, .number = T_ANSWER },
		{ .gate = gate, .number = T_ANSWER },
		{ .gate = gate, .number = T_SLOW, .arg = 2000000 },	/* asleep in the program */
	};
	volatile int stop = 0;
	pthread_t t[3];
	struct ntgate_status st0, st;
	int i, err, swaps_ok = 0;
	long na = 0, nb = 0, other = 0;

	status(gate, &st0);
	for (i = 0; i < 3; i++) {
		w[i].stop = &stop;
		pthread_create(&t[i], NULL, swap_loop, &w[i]);
	}
	for (i = 0; i < 10; i++) {
		struct bpf_map *to = i % 2 ? ma : mb;

		usleep(100 * 1000);
		err = bpf_link__update_map(link, to);
		status(gate, &st);
		if (!err && st.attached && !strcmp(st.ops_name, bpf_map__name(to)))
			swaps_ok++;
		else
			printf("swap %d to %s: err %d, STATUS name '%s'\n", i, bpf_map__name(to),
			       err, st.ops_name);
	}
	usleep(100 * 1000);
	stop = 1;
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		na += w[i].a;
		nb += w[i].b;
		other += w[i].other;
		if (w[i].other)
			printf("worker %d: first bad answer %#llx\n", i, w[i].bad);
	}
	CHECK(swaps_ok == 10, "10 live replacements (bpf_link__update_map), STATUS names follow");
	CHECK(other == 0 && na > 0 && nb > 0,
	      "during the replacements every call was answered by test_a (%ld) or test_b (%ld), "
	      "none unhandled or failed (%ld)", na, nb, other);
	status(gate, &st);
	CHECK(st.generation == st0.generation + 10, "generation +10 (%llu -> %llu)",
	      (unsigned long long)st0.generation, (unsigned long long)st.generation);
	/* Ends on test_a; one more replacement, with no calls running: counters start at 0. */
	err = bpf_link__update_map(link, mb);
	status(gate, &st);
	CHECK(!err && !strcmp(st.ops_name, "test_b") && st.ops_calls == 0 && st.ops_handled == 0,
	      "replacement resets the implementation's counters (%llu, %llu)",
	      (unsigned long long)st.ops_calls, (unsigned long long)st.ops_handled);
	CHECK(ntgate_call(gate, T_ANSWER, 0) == 0x5678, "test_b answers 0x5678");
}

struct sleeper {
	int gate;
	long long result;
};

static void *sleep_30s(void *p)
{
	struct sleeper *sl = p;

	sl->result = ntgate_call32(sl->gate, T_SLOW, 1, 30000000000ULL);
	return NULL;
}

static int move_out(const char *cgroup2)
{
	char path[512], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup2);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(pid, sizeof(pid), "%d", getpid());
	n = write(fd, pid, n) == n ? 0 : -1;
	close(fd);
	return n;
}

static void mode_main(const char *obj_path)
{
	const uint32_t capacity = 64;
	struct ntgate_handle *mirror;
	struct ntgate_status st0, st;
	struct bpf_object *obj;
	struct bpf_map *a, *b, *fast;
	struct bpf_link *link, *second;
	const char *cgroup2 = getenv("NTGATE_CGROUP2") ?: "/sys/fs/cgroup";
	long long r;
	int gate, i;

	mirror = mmap(NULL, capacity * sizeof(*mirror), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < (int)capacity; i++)
		mirror[i].fd = -1;
	gate = ntgate_open_attach((uint64_t)(uintptr_t)mirror, capacity);
	CHECK(gate >= 0, "open + ATTACH with a 64-entry handle mirror");

	libbpf_set_print(libbpf_print);
	obj = bpf_object__open_file(obj_path, NULL);
	CHECK(obj != NULL, "open %s", obj_path);
	if (!obj)
		return;
	CHECK(bpf_object__load(obj) == 0, "load the test struct_ops (verifier, kfuncs, module BTF)");
	a = bpf_object__find_map_by_name(obj, "test_a");
	b = bpf_object__find_map_by_name(obj, "test_b");
	if (!a || !b) {
		CHECK(0, "maps test_a and test_b");
		return;
	}
	r = ntgate_call(gate, T_ANSWER, 0);
	CHECK(r == UNHANDLED, "loaded but not attached: UNHANDLED (%lld)", r);

	status(gate, &st0);
	link = bpf_map__attach_struct_ops(a);
	CHECK(link != NULL, "attach test_a: %s", link ? "ok" : strerror(errno));
	if (!link)
		return;
	r = ntgate_call(gate, T_ANSWER, 0);
	CHECK(r == 0x1234, "CALL 0x7777 -> 0x1234 (%#llx)", r);
	second = bpf_map__attach_struct_ops(b);
	CHECK(!second && errno == EEXIST, "attaching test_b as well -> EEXIST (%s)",
	      second ? "attached" : strerror(errno));
	if (second)
		bpf_link__destroy(second);
	r = ntgate_call(gate, T_NEGATIVE, 0);
	CHECK(r == UNHANDLED, "a negative answer (-5) -> UNHANDLED (%lld)", r);
	r = ntgate_call(gate, 0x1, 0);
	CHECK(r == UNHANDLED, "a number the implementation declines -> UNHANDLED (%lld)", r);
	status(gate, &st);
	CHECK(st.attached && !strcmp(st.ops_name, "test_a") && st.generation == st0.generation + 1 &&
		      st.ops_calls == 3 && st.ops_handled == 1 && st.calls == st0.calls + 3 &&
		      st.handled == st0.handled + 1 && st.unhandled == st0.unhandled + 2,
	      "STATUS: test_a, generation +1, ops 3 calls / 1 handled, totals +3/+1/+2 "
	      "(name '%s' ops %llu/%llu)",
	      st.ops_name, (unsigned long long)st.ops_calls, (unsigned long long)st.ops_handled);
	CHECK(st.processes >= 1, "STATUS: %u attached processes", st.processes);
	/* Which answers are NTSTATUSes (ntgate_uapi.h): up to 0xfffff000, zero-extended. */
	{
		static const struct {
			uint64_t answer;
			long long result;
		} echo[] = {
			{ 0, 0 },
			{ 0x103, 0x103 },				/* STATUS_PENDING */
			{ 0x80000005, (int32_t)0x80000005 },		/* STATUS_BUFFER_OVERFLOW */
			{ 0xc0000005, (int32_t)0xc0000005 },		/* STATUS_ACCESS_VIOLATION */
			{ 0xfffff000, -4096 },
			{ 0xfffff001, UNHANDLED },
			{ 0xffffffff, UNHANDLED },
			{ 0x100000000ULL, UNHANDLED },			/* NTGATE_UNHANDLED */
			{ 0xffffffffc0000005ULL, UNHANDLED },		/* sign-extended: not one */
		};
		for (i = 0; i < (int)(sizeof(echo) / sizeof(echo[0])); i++) {
			r = ntgate_call(gate, T_ECHO, 1, echo[i].answer);
			CHECK(r == echo[i].result, "answer %#llx -> ioctl result %lld (%lld)",
			      (unsigned long long)echo[i].answer, echo[i].result, r);
		}
	}

	kfunc_checks(gate, mirror, capacity);

	swap_checks(gate, link, a, b);

	/* Detach while a call sleeps in the program: the sleep ends with -EAGAIN at once rather
	 * than holding the detach up for its 30 s. */
	{
		struct sleeper sl = { .gate = gate };
		pthread_t t;
		uint64_t t0, t1;

		pthread_create(&t, NULL, sleep_30s, &sl);
		usleep(300 * 1000);
		status(gate, &st0);
		t0 = mono_ns();
		CHECK(bpf_link__destroy(link) == 0, "detach (destroy the link) with a call asleep");
		t1 = mono_ns();
		pthread_join(t, NULL);
		CHECK(sl.result == -EAGAIN && t1 - t0 < 5000000000ULL,
		      "the sleeping call got -EAGAIN (%lld) and the detach took %llu ms", sl.result,
		      (unsigned long long)(t1 - t0) / 1000000);
	}
	r = ntgate_call(gate, T_ANSWER, 0);
	CHECK(r == UNHANDLED, "after detach: UNHANDLED (%lld)", r);
	status(gate, &st);
	CHECK(!st.attached && st.generation == st0.generation + 1 && !st.ops_name[0],
	      "STATUS after detach: nothing attached, generation +1");
	for (i = 0; i < 3; i++) {
		link = bpf_map__attach_struct_ops(i % 2 ? a : b);
		r = ntgate_call(gate, T_ANSWER, 0);
		if (!link || r != (i % 2 ? 0x1234 : 0x5678) || bpf_link__destroy(link))
			break;
	}
	CHECK(i == 3, "attach, call, detach three times over (%d)", i);
	CHECK(ntgate_call(gate, T_ANSWER, 0) == UNHANDLED, "and UNHANDLED again");

	/* A non-sleepable implementation in a map without BPF_F_LINK. */
	fast = bpf_object__find_map_by_name(obj, "test_fast");
	link = fast ? bpf_map__attach_struct_ops(fast) : NULL;
	CHECK(link != NULL, "attach test_fast (not sleepable, no link): %s",
	      link ? "ok" : strerror(errno));
	r = ntgate_call(gate, T_ANSWER, 0);
	CHECK(r == 0x9abc, "test_fast answers 0x9abc (%#llx)", r);
	second = bpf_map__attach_struct_ops(a);
	CHECK(!second && errno == EEXIST, "attaching test_a over it -> EEXIST");
	if (second)
		bpf_link__destroy(second);
	status(gate, &st);
	CHECK(!strcmp(st.ops_name, "test_fast"), "STATUS: test_fast ('%s')", st.ops_name);
	CHECK(link && bpf_link__destroy(link) == 0 && ntgate_call(gate, T_ANSWER, 0) == UNHANDLED,
	      "detach test_fast (map element deleted): UNHANDLED");

	link = bpf_map__attach_struct_ops(a);
	CHECK(in_child(child_call, &gate) == 0, "CALL from a forked child (another process) -> EPERM");
	CHECK(ntgate_call(gate, T_ANSWER, 0) == 0x1234, "the attacher's CALL still served");
	CHECK(move_out(cgroup2) == 0, "move out of the namespace cgroup");
	r = ntgate_call(gate, T_ANSWER, 0);
	CHECK(r == -EPERM, "CALL after leaving the namespace -> EPERM (%lld)", r);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	close(gate);
}

/* Each map of ntgate_test_bad.bpf.o alone: its program must fail verification. */
static void mode_verifier(const char *obj_path)
{
	static const char *const maps[] = { "bad_sleep", "bad_write", "bad_ctx" };
	unsigned int i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
		const struct bpf_map *keep = NULL;
		struct bpf_program *prog;
		struct bpf_map *map;
		int err;

		if (!obj) {
			CHECK(0, "open %s", obj_path);
			return;
		}
		bpf_object__for_each_map(map, obj) {
			if (!strcmp(bpf_map__name(map), maps[i]))
				keep = map;
			else
				bpf_map__set_autocreate(map, false);
		}
		/* Only the kept map's program: it is the one at offset 0 of its value. */
		bpf_object__for_each_program(prog, obj) {
			const char *name = bpf_program__name(prog);
			bool mine = (i == 0 && !strcmp(name, "sleep_in_atomic")) ||
				    (i == 1 && !strcmp(name, "write_ctx")) ||
				    (i == 2 && !strcmp(name, "forged_ctx"));

			bpf_program__set_autoload(prog, mine);
		}
		fprintf(stderr, "--- %s: the verifier's refusal follows\n", maps[i]);
		err = bpf_object__load(obj);
		CHECK(keep && err < 0, "the verifier refuses %s (%d)", maps[i], err);
		bpf_object__close(obj);
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "outside"))
		mode_outside();
	else if (argc >= 2 && !strcmp(argv[1], "noimpl"))
		mode_noimpl();
	else if (argc >= 3 && !strcmp(argv[1], "main"))
		mode_main(argv[2]);
	else if (argc >= 3 && !strcmp(argv[1], "verifier"))
		mode_verifier(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "bench"))
		mode_bench(argv[2], strtoul(argv[3], NULL, 10));
	else {
		fprintf(stderr, "usage: %s outside | noimpl | main OPS.bpf.o | verifier BAD.bpf.o | "
			"bench OPS.bpf.o CALLS\n",
			argv[0]);
		return 2;
	}
	printf("client %s: %d checks passed, %d failing\n", argv[1], checks_passed, checks_failed);
	return checks_failed ? 1 : 0;
}
