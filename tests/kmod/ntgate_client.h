/* SPDX-License-Identifier: GPL-2.0 */
/* tests/kmod's /dev/ntgate client: shared helpers of its files. */
#ifndef NTGATE_CLIENT_H
#define NTGATE_CLIENT_H

#include <stdint.h>
#include <stdio.h>

#include "ntgate_uapi.h"

/* Numbers served by ntgate_test_ops.bpf.c */
#define T_ANSWER 0x7777
#define T_HANDLE 0x7778
#define T_READ 0x7779
#define T_WRITE 0x777a
#define T_TO_USER 0x777b
#define T_FROM_USER 0x777c
#define T_FILE_INFO 0x777d
#define T_YIELD 0x777e
#define T_SLEEP 0x777f
#define T_KTIME 0x7780
#define T_HANDLE_READ 0x7781
#define T_NEGATIVE 0x7782
#define T_CTX 0x7783
#define T_SLOW 0x7784
#define T_ECHO 0x7785
#define T_PROBE 0x7786
#define T_PROBE2 0x7787
#define T_PROBE2_ODD 0x7788

/* NTGATE_IOC_CALL's result for a call left to userspace */
#define UNHANDLED (-NTGATE_ERRNO_UNHANDLED)

#define TEST_BUILD 19045

extern int checks_passed, checks_failed;

/* One line per check: "PASS: what" or "FAIL: what (details)"; the guest script counts them. */
#define CHECK(cond, ...)                                                                 \
	do {                                                                               \
		if (cond) {                                                                \
			checks_passed++;                                                   \
			printf("PASS: ");                                                  \
		} else {                                                                   \
			checks_failed++;                                                   \
			printf("FAIL: [%s:%d] ", __FILE__, __LINE__);                       \
		}                                                                          \
		printf(__VA_ARGS__);                                                       \
		printf("\n");                                                              \
		fflush(stdout);                                                            \
	} while (0)

/* The ioctl's result: -errno (UNHANDLED among them), or the NTSTATUS as a sign-extended int. */
long long ntgate_ioctl(int fd, unsigned long cmd, void *arg);
long long ntgate_call(int fd, uint32_t number, int nargs, ...);
/* A kfunc test's result: the program's answer, its 0xe000xxxx -errno encoding decoded; an
 * ioctl error or UNHANDLED comes back as a value no kfunc returns (-100000 - errno). */
long long ntgate_call32(int fd, uint32_t number, int nargs, ...);
int ntgate_open_attach(uint64_t mirror, uint32_t capacity);
uint64_t mono_ns(void);

void kfunc_checks(int fd, struct ntgate_handle *mirror, uint32_t capacity);
void mode_bench(const char *obj_path, unsigned long calls);

#endif
