// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kmod: the kfunc checks, through the fake NT numbers of ntgate_test_ops.bpf.c. Each
 * compares a kfunc's effect with what the matching Linux system call does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ntgate_client.h"

static off_t pos_of(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

static long long io(int gate, uint32_t nr, int fd, void *buf, uint32_t len, long long off,
		    uint32_t flags)
{
	return ntgate_call32(gate, nr, 5, (uint64_t)fd, (uint64_t)(uintptr_t)buf, (uint64_t)len,
			     (uint64_t)off, (uint64_t)flags);
}

static void ctx_checks(int gate)
{
	struct {
		uint32_t number, build;
		uint64_t cgroup_id;
		uint32_t tgid, nargs;
		uint64_t args[NTGATE_MAX_ARGS];
	} seen;
	struct stat cg;
	char path[512], line[512];
	FILE *f;
	long long rc;

	memset(&seen, 0xff, sizeof(seen));
	rc = ntgate_call32(gate, T_CTX, 3, (uint64_t)(uintptr_t)&seen, 0xaaULL, 0xbbULL);
	CHECK(rc == 0, "ctx: copied out (rc %lld)", rc);
	CHECK(seen.number == T_CTX && seen.build == TEST_BUILD, "ctx: number %#x build %u",
	      seen.number, seen.build);
	CHECK(seen.tgid == (uint32_t)getpid(), "ctx: tgid %u is getpid()", seen.tgid);
	CHECK(seen.nargs == 3 && seen.args[1] == 0xaa && seen.args[2] == 0xbb &&
		      seen.args[3] == 0 && seen.args[NTGATE_MAX_ARGS - 1] == 0,
	      "ctx: nargs %u, args as passed and zero past nargs", seen.nargs);
	/* A cgroup v2 id is its directory's inode number. */
	f = fopen("/proc/self/cgroup", "r");
	path[0] = 0;
	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		snprintf(path, sizeof(path), "%s%s", getenv("NTGATE_CGROUP2") ?: "/sys/fs/cgroup",
			 strchr(line, '/') ?: "/");
	}
	if (f)
		fclose(f);
	CHECK(stat(path, &cg) == 0 && seen.cgroup_id == (uint64_t)cg.st_ino,
	      "ctx: cgroup_id %llu is the inode of %s", (unsigned long long)seen.cgroup_id, path);
}

static void handle_checks(int gate, struct ntgate_handle *mirror, uint32_t capacity, int fd)
{
	struct ntgate_handle got;
	long long rc;
	int i;

	mirror[2] = (struct ntgate_handle){ .fd = fd, .access = 0x120089,
					   .flags = NTGATE_HANDLE_FILE | NTGATE_HANDLE_DISK };
	mirror[3] = (struct ntgate_handle){ .fd = -1 };
	for (i = 0; i < 4; i++) {
		memset(&got, 0, sizeof(got));
		rc = ntgate_call32(gate, T_HANDLE, 2, (uint64_t)(8 + i), (uint64_t)(uintptr_t)&got);
		CHECK(rc == 0 && got.fd == fd && got.access == 0x120089 &&
			      got.flags == (NTGATE_HANDLE_FILE | NTGATE_HANDLE_DISK),
		      "handle %#x (tag bits ignored) reads mirror entry 2 (rc %lld fd %d)", 8 + i,
		      rc, got.fd);
	}
	rc = ntgate_call32(gate, T_HANDLE, 2, 0ULL, (uint64_t)(uintptr_t)&got);
	CHECK(rc == -EBADF, "handle 0 -> EBADF (%lld)", rc);
	rc = ntgate_call32(gate, T_HANDLE, 2, 12ULL, (uint64_t)(uintptr_t)&got);
	CHECK(rc == -EBADF, "handle whose entry has fd -1 -> EBADF (%lld)", rc);
	rc = ntgate_call32(gate, T_HANDLE, 2, (uint64_t)capacity * 4, (uint64_t)(uintptr_t)&got);
	CHECK(rc == -EBADF, "handle at capacity -> EBADF (%lld)", rc);
	rc = ntgate_call32(gate, T_HANDLE, 2, (uint64_t)-1LL, (uint64_t)(uintptr_t)&got);
	CHECK(rc == -EBADF, "pseudo-handle -1 -> EBADF (%lld)", rc);

	/* A mirror that is no longer mapped. */
	{
		size_t len = 4096;
		void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int g2;

		munmap(m, len);
		g2 = ntgate_open_attach((uint64_t)(uintptr_t)m, 8);
		CHECK(g2 >= 0, "attach a second file with an unmapped mirror");
		rc = ntgate_call32(g2, T_HANDLE, 2, 8ULL, (uint64_t)(uintptr_t)&got);
		CHECK(rc == -EFAULT, "unreadable mirror entry -> EFAULT (%lld)", rc);
		close(g2);
	}
}

static void rw_file_checks(int gate, int dirfd, const char *dir)
{
	char path[512], buf[64];
	struct stat st;
	long long rc;
	int fd, ro, wo;

	snprintf(path, sizeof(path), "%s/rw.dat", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create %s", path);

	rc = io(gate, T_WRITE, fd, "hello world", 11, 0, 0);
	CHECK(rc == 11 && pos_of(fd) == 0, "pwrite at 0: 11 bytes, position stays 0 (%lld, %ld)",
	      rc, (long)pos_of(fd));
	memset(buf, 0, sizeof(buf));
	rc = io(gate, T_READ, fd, buf, 5, 6, 0);
	CHECK(rc == 5 && !memcmp(buf, "world", 5) && pos_of(fd) == 0,
	      "pread at 6: 'world', position stays 0 (%lld '%.5s')", rc, buf);
	memset(buf, 0, sizeof(buf));
	rc = io(gate, T_READ, fd, buf, 5, NTGATE_AT_POSITION, 0);
	CHECK(rc == 5 && !memcmp(buf, "hello", 5) && pos_of(fd) == 5,
	      "read at position: 'hello', position 5 (%lld, %ld)", rc, (long)pos_of(fd));
	rc = io(gate, T_WRITE, fd, "XY", 2, NTGATE_AT_POSITION, 0);
	CHECK(rc == 2 && pos_of(fd) == 7, "write at position: 2 bytes, position 7 (%lld, %ld)", rc,
	      (long)pos_of(fd));
	memset(buf, 0, sizeof(buf));
	CHECK(pread(fd, buf, sizeof(buf), 0) == 11 && !memcmp(buf, "helloXYorld", 11),
	      "file now 'helloXYorld' ('%s')", buf);
	memset(buf, 0, sizeof(buf));
	rc = io(gate, T_READ, fd, buf, 3, 2, NTGATE_IO_SET_POSITION);
	CHECK(rc == 3 && !memcmp(buf, "llo", 3) && pos_of(fd) == 5,
	      "read at 2 with SET_POSITION: 'llo', position 5 (%lld, %ld)", rc, (long)pos_of(fd));
	rc = io(gate, T_WRITE, fd, "ab", 2, 20, NTGATE_IO_SET_POSITION);
	CHECK(rc == 2 && pos_of(fd) == 22, "write at 20 with SET_POSITION: position 22 (%lld, %ld)",
	      rc, (long)pos_of(fd));
	lseek(fd, 5, SEEK_SET);
	rc = io(gate, T_WRITE, fd, "!!", 2, NTGATE_AT_END, 0);
	CHECK(rc == 2 && pos_of(fd) == 5 && fstat(fd, &st) == 0 && st.st_size == 24,
	      "write at end: size 24, position stays 5 (%lld, %ld, %ld)", rc, (long)pos_of(fd),
	      (long)st.st_size);
	rc = io(gate, T_WRITE, fd, "$$", 2, NTGATE_AT_END, NTGATE_IO_SET_POSITION);
	CHECK(rc == 2 && pos_of(fd) == 26, "write at end with SET_POSITION: position 26 (%lld, %ld)",
	      rc, (long)pos_of(fd));
	memset(buf, 0, sizeof(buf));
	CHECK(pread(fd, buf, 4, 22) == 4 && !memcmp(buf, "!!$$", 4), "appended bytes in order");
	rc = io(gate, T_READ, fd, buf, 8, 100, 0);
	CHECK(rc == 0, "pread past the end: 0 (%lld)", rc);
	lseek(fd, 7, SEEK_SET);
	rc = io(gate, T_READ, fd, buf, 8, 100, NTGATE_IO_SET_POSITION_IF_MOVED);
	CHECK(rc == 0 && pos_of(fd) == 7,
	      "read past the end with SET_POSITION_IF_MOVED: 0, position stays 7 (%lld, %ld)", rc,
	      (long)pos_of(fd));
	rc = io(gate, T_READ, fd, buf, 2, 1, NTGATE_IO_SET_POSITION_IF_MOVED);
	CHECK(rc == 2 && pos_of(fd) == 3,
	      "read at 1 with SET_POSITION_IF_MOVED: 2 bytes, position 3 (%lld, %ld)", rc,
	      (long)pos_of(fd));
	lseek(fd, 26, SEEK_SET);
	rc = io(gate, T_READ, fd, buf, 8, NTGATE_AT_POSITION, 0);
	CHECK(rc == 0 && pos_of(fd) == 26, "read at position at the end: 0 (%lld)", rc);

	rc = io(gate, T_READ, fd, (void *)16, 8, 0, 0);
	CHECK(rc == -EFAULT, "read into a bad buffer -> EFAULT (%lld)", rc);
	rc = io(gate, T_WRITE, fd, (void *)16, 8, 0, 0);
	CHECK(rc == -EFAULT, "write from a bad buffer -> EFAULT (%lld)", rc);
	rc = io(gate, T_READ, fd, buf, 8, NTGATE_AT_END, 0);
	CHECK(rc == -EINVAL, "read at end -> EINVAL (%lld)", rc);
	rc = io(gate, T_READ, fd, buf, 8, -3, 0);
	CHECK(rc == -EINVAL, "offset -3 -> EINVAL (%lld)", rc);
	rc = io(gate, T_READ, fd, buf, 8, 0, 4);
	CHECK(rc == -EINVAL, "unknown flag -> EINVAL (%lld)", rc);
	rc = io(gate, T_READ, -1, buf, 8, 0, 0);
	CHECK(rc == -EBADF, "fd -1 -> EBADF (%lld)", rc);
	rc = io(gate, T_READ, 987, buf, 8, 0, 0);
	CHECK(rc == -EBADF, "closed fd -> EBADF (%lld)", rc);

	ro = open(path, O_RDONLY);
	wo = open(path, O_WRONLY);
	rc = io(gate, T_WRITE, ro, "x", 1, 0, 0);
	CHECK(rc == -EBADF, "write on a read-only fd -> EBADF (%lld)", rc);
	rc = io(gate, T_READ, wo, buf, 1, 0, 0);
	CHECK(rc == -EBADF, "read on a write-only fd -> EBADF (%lld)", rc);
	rc = io(gate, T_READ, dirfd, buf, 8, NTGATE_AT_POSITION, 0);
	CHECK(rc == -EISDIR, "read on a directory -> EISDIR (%lld)", rc);
	close(ro);
	close(wo);
	{
		int pathfd = open(path, O_PATH);

		rc = io(gate, T_READ, pathfd, buf, 8, 0, 0);
		CHECK(rc == -EBADF, "read on an O_PATH fd -> EBADF, as read(2) (%lld)", rc);
		close(pathfd);
	}
	close(fd);
}

static void rw_stream_checks(int gate)
{
	char buf[64];
	long long rc;
	int p[2], m, s;

	CHECK(pipe(p) == 0, "pipe");
	rc = io(gate, T_WRITE, p[1], "through", 7, NTGATE_AT_POSITION, 0);
	CHECK(rc == 7, "pipe write at position: 7 (%lld)", rc);
	rc = io(gate, T_WRITE, p[1], "+end", 4, NTGATE_AT_END, 0);
	CHECK(rc == 4, "pipe write at end: 4 (%lld)", rc);
	memset(buf, 0, sizeof(buf));
	rc = io(gate, T_READ, p[0], buf, sizeof(buf), NTGATE_AT_POSITION, 0);
	CHECK(rc == 11 && !memcmp(buf, "through+end", 11), "pipe read: 'through+end' (%lld)", rc);
	rc = io(gate, T_READ, p[0], buf, 4, 0, 0);
	CHECK(rc == -ESPIPE, "pipe read at an offset -> ESPIPE, as pread(2) (%lld)", rc);
	rc = io(gate, T_WRITE, p[1], "x", 1, 5, 0);
	CHECK(rc == -ESPIPE, "pipe write at an offset -> ESPIPE (%lld)", rc);
	close(p[1]);
	rc = io(gate, T_READ, p[0], buf, 4, NTGATE_AT_POSITION, 0);
	CHECK(rc == 0, "pipe read after the writer closed: 0 (%lld)", rc);
	close(p[0]);

	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		CHECK(0, "pty: %s", strerror(errno));
		return;
	}
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	CHECK(s >= 0, "pty slave %s", ptsname(m));
	rc = io(gate, T_WRITE, s, "ping\n", 5, NTGATE_AT_POSITION, 0);
	CHECK(rc == 5, "tty write: 5 (%lld)", rc);
	memset(buf, 0, sizeof(buf));
	CHECK(read(m, buf, sizeof(buf)) > 0 && !strncmp(buf, "ping", 4),
	      "pty master reads 'ping' ('%.4s')", buf);
	CHECK(write(m, "pong\n", 5) == 5, "pty master writes 'pong'");
	memset(buf, 0, sizeof(buf));
	rc = io(gate, T_READ, s, buf, sizeof(buf), NTGATE_AT_POSITION, 0);
	CHECK(rc == 5 && !memcmp(buf, "pong\n", 5), "tty read: a canonical line 'pong' (%lld)", rc);
	close(s);
	close(m);
}

static void handle_read_checks(int gate, struct ntgate_handle *mirror, const char *dir)
{
	char path[512], buf[16] = {};
	long long rc;
	int fd;

	snprintf(path, sizeof(path), "%s/mirror.dat", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(write(fd, "0123456789", 10) == 10 && lseek(fd, 3, SEEK_SET) == 3, "mirror.dat");
	mirror[5] = (struct ntgate_handle){ .fd = fd, .flags = NTGATE_HANDLE_FILE };
	rc = ntgate_call32(gate, T_HANDLE_READ, 3, 20ULL, (uint64_t)(uintptr_t)buf, 4ULL);
	CHECK(rc == 4 && !memcmp(buf, "3456", 4) && pos_of(fd) == 7,
	      "handle 20 -> mirror fd -> read at position '3456' (%lld '%s')", rc, buf);
	mirror[5].fd = -1;
	close(fd);
}

static void copy_checks(int gate)
{
	char out[16], in[16] = "0123456789abcde", back[16];
	long long rc;

	memset(out, 0, sizeof(out));
	rc = ntgate_call32(gate, T_TO_USER, 1, (uint64_t)(uintptr_t)out);
	CHECK(rc == 0 && !memcmp(out, "ntgate-pattern!", 16), "copy_to_user: pattern (%lld)", rc);
	rc = ntgate_call32(gate, T_TO_USER, 1, 16ULL);
	CHECK(rc == -EFAULT, "copy_to_user to a bad address -> EFAULT (%lld)", rc);
	rc = ntgate_call32(gate, T_TO_USER, 1, 0xffff800000000000ULL);
	CHECK(rc == -EFAULT, "copy_to_user to a kernel address -> EFAULT (%lld)", rc);
	memset(back, 0, sizeof(back));
	rc = ntgate_call32(gate, T_FROM_USER, 2, (uint64_t)(uintptr_t)in, (uint64_t)(uintptr_t)back);
	CHECK(rc == 0 && !memcmp(back, in, 16), "copy_from_user round trip (%lld)", rc);
	rc = ntgate_call32(gate, T_FROM_USER, 2, 16ULL, (uint64_t)(uintptr_t)back);
	CHECK(rc == -EFAULT, "copy_from_user from a bad address -> EFAULT (%lld)", rc);
	{
		/* Read-only memory: copy_to_user faults on it. */
		void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		rc = ntgate_call32(gate, T_TO_USER, 1, (uint64_t)(uintptr_t)ro);
		CHECK(rc == -EFAULT, "copy_to_user to read-only memory -> EFAULT (%lld)", rc);
		munmap(ro, 4096);
	}
	{
		/* probe_user: three pages, read-write, read-only, read-write; then a hole. */
		char *m = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		uint64_t a = (uint64_t)(uintptr_t)m;

		mprotect(m + 4096, 4096, PROT_READ);
		munmap(m + 3 * 4096, 4096);
		m[0] = 'x';
		rc = ntgate_call32(gate, T_PROBE, 3, a, 3 * 4096ULL, 0ULL);
		CHECK(rc == 0, "probe_user: three mapped pages are readable (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE, 3, a, 3 * 4096ULL, 1ULL);
		CHECK(rc == -EFAULT, "probe_user: a read-only page in the range is not writable (%lld)",
		      rc);
		rc = ntgate_call32(gate, T_PROBE, 3, a, 4096ULL, 1ULL);
		CHECK(rc == 0 && m[0] == 'x', "probe_user: a writable page, left untouched (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE, 3, a + 2 * 4096, 2 * 4096ULL, 0ULL);
		CHECK(rc == -EFAULT, "probe_user: a range running into a hole (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE, 3, 0xffff800000000000ULL, 8ULL, 0ULL);
		CHECK(rc == -EFAULT, "probe_user: a kernel address (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE, 3, 16ULL, 0ULL, 1ULL);
		CHECK(rc == 0, "probe_user: an empty range always passes (%lld)", rc);

		/* probe_ranges: two ranges, both needed, whichever fails. */
		rc = ntgate_call32(gate, T_PROBE2, 7, a, 16ULL, 1ULL, a + 8, 4096ULL, 0ULL, 0ULL);
		CHECK(rc == 0, "probe_ranges: two ranges in one mapping (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, a, 16ULL, 1ULL, a + 2 * 4096, 4096ULL, 1ULL,
				   0ULL);
		CHECK(rc == 0, "probe_ranges: two writable pages split by a read-only one (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, a, 16ULL, 1ULL, a + 4096, 16ULL, 1ULL, 0ULL);
		CHECK(rc == -EFAULT, "probe_ranges: the second not writable (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, a + 4096, 16ULL, 1ULL, a, 16ULL, 1ULL, 0ULL);
		CHECK(rc == -EFAULT, "probe_ranges: the first not writable (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, a, 3 * 4096ULL, 0ULL, a + 2 * 4096,
				   2 * 4096ULL, 0ULL, 0ULL);
		CHECK(rc == -EFAULT, "probe_ranges: the second running into a hole (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, a, 16ULL, 0ULL, 0xffff800000000000ULL, 8ULL,
				   0ULL, 0ULL);
		CHECK(rc == -EFAULT, "probe_ranges: a kernel address (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, 16ULL, 0ULL, 1ULL, a, 0ULL, 1ULL, 0ULL);
		CHECK(rc == 0, "probe_ranges: empty ranges always pass (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2, 7, a, 16ULL, 0ULL, a, 16ULL, 0ULL, 1ULL);
		CHECK(rc == -EINVAL, "probe_ranges: nonzero reserved -> EINVAL (%lld)", rc);
		rc = ntgate_call32(gate, T_PROBE2_ODD, 7, a, 16ULL, 0ULL, a, 16ULL, 0ULL, 0ULL);
		CHECK(rc == -EINVAL, "probe_ranges: a size of no whole ranges -> EINVAL (%lld)", rc);
		munmap(m, 3 * 4096);
	}
}

static void file_info_checks(int gate, int dirfd, const char *dir)
{
	struct ntgate_file_info fi;
	struct stat st;
	char path[512];
	long long rc;
	int fd;

	snprintf(path, sizeof(path), "%s/info.dat", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0640);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10 && lseek(fd, 4, SEEK_SET) == 4,
	      "info.dat");
	{
		char lnk[600];

		snprintf(lnk, sizeof(lnk), "%s/info.lnk", dir);
		CHECK(link(path, lnk) == 0, "hard link to info.dat");
	}
	fstat(fd, &st);
	memset(&fi, 0xff, sizeof(fi));
	rc = ntgate_call32(gate, T_FILE_INFO, 2, (uint64_t)fd, (uint64_t)(uintptr_t)&fi);
	CHECK(rc == 0 && fi.end_of_file == 10 && fi.allocation_size == (int64_t)st.st_blocks * 512 &&
		      fi.position == 4 && fi.links == 2 && fi.directory == 0 &&
		      fi.mode == st.st_mode && fi.reserved == 0,
	      "file_info of a file: eof %lld alloc %lld pos %lld links %u dir %u mode %o (rc %lld)",
	      (long long)fi.end_of_file, (long long)fi.allocation_size, (long long)fi.position,
	      fi.links, fi.directory, fi.mode, rc);
	fstat(dirfd, &st);
	rc = ntgate_call32(gate, T_FILE_INFO, 2, (uint64_t)dirfd, (uint64_t)(uintptr_t)&fi);
	CHECK(rc == 0 && fi.end_of_file == 0 && fi.allocation_size == 0 && fi.directory == 1 &&
		      fi.mode == st.st_mode && fi.links == st.st_nlink,
	      "file_info of a directory: eof 0, alloc 0, directory (rc %lld)", rc);
	rc = ntgate_call32(gate, T_FILE_INFO, 2, 987ULL, (uint64_t)(uintptr_t)&fi);
	CHECK(rc == -EBADF, "file_info of a closed fd -> EBADF (%lld)", rc);
	close(fd);
}

static volatile int spin_stop;

static void *spinner(void *arg)
{
	while (!spin_stop)
		;
	return NULL;
}

static void yield_checks(int gate)
{
	cpu_set_t one;
	pthread_t t;
	long long rc;
	int i, switched = 0;

	rc = ntgate_call32(gate, T_YIELD, 0);
	CHECK(rc == 0 || rc == 1, "yield: 0 or 1 (%lld)", rc);
	/* With a runnable thread on the same CPU, yielding lets it run. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	spin_stop = 0;
	pthread_create(&t, NULL, spinner, NULL);
	pthread_setaffinity_np(t, sizeof(one), &one);
	for (i = 0; i < 50 && !switched; i++)
		switched = ntgate_call32(gate, T_YIELD, 0) == 1;
	spin_stop = 1;
	pthread_join(t, NULL);
	CPU_ZERO(&one);
	for (i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &one);
	sched_setaffinity(0, sizeof(one), &one);
	CHECK(switched, "yield with a runnable thread on the same CPU returns 1");
}

static volatile int usr1_seen;

static void on_usr1(int sig)
{
	usr1_seen = 1;
}

struct kicker {
	pthread_t target;
	int sig;
};

static void *kick(void *arg)
{
	struct kicker *k = arg;

	usleep(100 * 1000);
	pthread_kill(k->target, k->sig);
	return NULL;
}

static void sleep_checks(int gate)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct kicker k = { .target = pthread_self(), .sig = SIGUSR1 };
	uint64_t t0, t1, ktime = 0;
	pthread_t t;
	long long rc;
	pid_t child;
	int status;

	t0 = mono_ns();
	rc = ntgate_call32(gate, T_KTIME, 1, (uint64_t)(uintptr_t)&ktime);
	t1 = mono_ns();
	CHECK(rc == 0 && ktime >= t0 && ktime <= t1,
	      "bpf_ktime_get_ns is CLOCK_MONOTONIC (%llu in [%llu, %llu])",
	      (unsigned long long)ktime, (unsigned long long)t0, (unsigned long long)t1);

	t0 = mono_ns();
	rc = ntgate_call32(gate, T_SLEEP, 1, t0 + 300000000ULL);
	t1 = mono_ns();
	/* The upper bound only catches a sleep that never ends: a loaded TCG guest is slow. */
	CHECK(rc == 0 && t1 - t0 >= 300000000ULL && t1 - t0 < 10000000000ULL,
	      "sleep_until now+300ms: 0 after %llu ms", (unsigned long long)(t1 - t0) / 1000000);
	t0 = mono_ns();
	rc = ntgate_call32(gate, T_SLEEP, 1, t0 - 1000000ULL);
	t1 = mono_ns();
	CHECK(rc == 0 && t1 - t0 < 1000000000ULL, "sleep_until a past deadline returns at once");

	/* An ordinary signal does not end the wait; it is delivered after the call. */
	sigaction(SIGUSR1, &sa, NULL);
	usr1_seen = 0;
	pthread_create(&t, NULL, kick, &k);
	t0 = mono_ns();
	rc = ntgate_call32(gate, T_SLEEP, 1, t0 + 500000000ULL);
	t1 = mono_ns();
	pthread_join(t, NULL);
	CHECK(rc == 0 && t1 - t0 >= 500000000ULL && usr1_seen,
	      "SIGUSR1 during sleep_until: sleeps the full 500 ms (%llu ms, rc %lld), handler ran "
	      "after (%d)",
	      (unsigned long long)(t1 - t0) / 1000000, rc, usr1_seen);

	/* A fatal signal ends it at once. The child attaches its own file (calls are per
	 * process). */
	child = fork();
	if (child == 0) {
		int g = ntgate_open_attach(0, 0);

		ntgate_call32(g, T_SLEEP, 1, mono_ns() + 60000000000ULL);
		_exit(3);
	}
	usleep(500 * 1000);
	t0 = mono_ns();
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	t1 = mono_ns();
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && t1 - t0 < 5000000000ULL,
	      "SIGKILL ends sleep_until at once (%llu ms)", (unsigned long long)(t1 - t0) / 1000000);
}

void kfunc_checks(int gate, struct ntgate_handle *mirror, uint32_t capacity)
{
	char dir[] = "/tmp/ntgate-kfuncs-XXXXXX";
	int dirfd;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	ctx_checks(gate);
	{
		char path[512];
		int fd;

		snprintf(path, sizeof(path), "%s/handle.dat", dir);
		fd = open(path, O_RDWR | O_CREAT, 0644);
		handle_checks(gate, mirror, capacity, fd);
		close(fd);
	}
	rw_file_checks(gate, dirfd, dir);
	rw_stream_checks(gate);
	handle_read_checks(gate, mirror, dir);
	copy_checks(gate);
	file_info_checks(gate, dirfd, dir);
	yield_checks(gate);
	sleep_checks(gate);
	close(dirfd);
}
