/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The struct_ops type of /dev/ntgate and its kfuncs: what a BPF implementation sees through
 * the module's BTF. Included by the module, and usable from BPF C too (then with __bpf__
 * defined: the structs are CO-RE relocatable and the kfuncs are declared __ksym).
 *
 * One implementation is attached at a time. NTGATE_IOC_CALL fills a struct nt_call_ctx and
 * calls the implementation's `call`, which returns the NTSTATUS (0..NTGATE_STATUS_MAX, i.e.
 * 0..0xfffff000, zero-extended: not a sign-extended negative) when it served the call, or
 * NTGATE_UNHANDLED (any other value counts as that) when the runtime must serve it in
 * userspace. `call` may be sleepable (SEC("struct_ops.s/call")); every kfunc below sleeps and
 * so needs a sleepable program.
 */
#ifndef IREACTOR_NTGATE_OPS_H
#define IREACTOR_NTGATE_OPS_H

#include "ntgate_uapi.h"

#if defined(__bpf__)
#define NTGATE_BTF_TYPE __attribute__((preserve_access_index))
#else
#define NTGATE_BTF_TYPE
#endif

#define NTGATE_OPS_NAME_LEN 16

struct ntgate_file;
struct ntgate_impl;

/* The call as the implementation sees it: read-only (the verifier refuses writes). */
struct nt_call_ctx {
	__u32 number;    /* NT system call number, in the caller's build's numbering */
	__u32 build;     /* Windows build from ATTACH, e.g. 19045 */
	__u64 cgroup_id; /* the caller's cgroup v2 id: its namespace */
	__u32 tgid;      /* the caller's process id (init pid namespace) */
	__u32 nargs;     /* arguments filled in args[]; the rest are zero */
	__u64 args[NTGATE_MAX_ARGS];
	/*
	 * Module-private (BPF has no use for them): the /dev/ntgate file the call came through
	 * and the attachment serving it. Being pointers, they also keep the struct from being
	 * "a struct of scalars", which the verifier would let a program forge on its stack and
	 * pass to the kfuncs as their ctx; so only the program's own (trusted) argument is
	 * accepted there.
	 */
	struct ntgate_file *file;
	struct ntgate_impl *impl;
} NTGATE_BTF_TYPE;

struct nt_syscall_ops {
	/* NTSTATUS, or NTGATE_UNHANDLED to hand the call back to userspace. */
	__s64 (*call)(struct nt_call_ctx *ctx);
	/* Shown by NTGATE_IOC_STATUS; must be NUL-terminated. */
	char name[NTGATE_OPS_NAME_LEN];
} NTGATE_BTF_TYPE;

/*
 * kfuncs (struct_ops programs of this type only; all sleepable; all act on the calling task,
 * the one whose NTGATE_IOC_CALL runs the program; ctx must be the program's own argument).
 * Errors are -errno. docs/kmod.md has the details.
 *
 *   bpf_ntgate_handle       the handle mirror entry of `handle` (index handle >> 2): 0, or
 *                           -EBADF (handle 0, index >= capacity, entry fd < 0), -EFAULT,
 *                           -EINVAL (out__sz too small)
 *   bpf_ntgate_read/_write  I/O on the caller's fd as read(2)/pread(2)/write(2)/pwrite(2)
 *                           would do it (struct ntgate_io): bytes transferred or -errno
 *   bpf_ntgate_probe_user   whether a user range is mapped readable (and writable): 0 or
 *                           -EFAULT, without touching it
 *   bpf_ntgate_probe_ranges the same for up to NTGATE_PROBE_RANGES_MAX ranges at once (struct
 *                           ntgate_user_range[]): one mmap lock hold, one lookup per mapping
 *   bpf_ntgate_copy_to_user / _from_user   0 or -EFAULT
 *   bpf_ntgate_file_info    sizes, position, links, mode of the fd's file: 0 or -errno
 *   bpf_ntgate_yield        1 when the caller was switched out, else 0
 *   bpf_ntgate_sleep_until  sleeps to a CLOCK_MONOTONIC deadline (ns) ignoring all but fatal
 *                           signals: 0; -EINTR on a fatal signal; -EAGAIN when the
 *                           implementation is being detached (return NTGATE_UNHANDLED then:
 *                           the runtime waits out the rest)
 * Monotonic time: the bpf_ktime_get_ns helper (CLOCK_MONOTONIC ns) is available.
 */
#if defined(__bpf__)
extern int bpf_ntgate_handle(struct nt_call_ctx *ctx, __u64 handle, struct ntgate_handle *out,
			     __u32 out__sz) __attribute__((section(".ksyms")));
extern __s64 bpf_ntgate_read(struct nt_call_ctx *ctx, const struct ntgate_io *io,
			     __u32 io__sz) __attribute__((section(".ksyms")));
extern __s64 bpf_ntgate_write(struct nt_call_ctx *ctx, const struct ntgate_io *io,
			      __u32 io__sz) __attribute__((section(".ksyms")));
extern int bpf_ntgate_probe_user(struct nt_call_ctx *ctx, __u64 uaddr, __u64 len,
				 __u32 write) __attribute__((section(".ksyms")));
extern int bpf_ntgate_probe_ranges(struct nt_call_ctx *ctx, const struct ntgate_user_range *ranges,
				   __u32 ranges__sz) __attribute__((section(".ksyms")));
extern int bpf_ntgate_copy_to_user(struct nt_call_ctx *ctx, __u64 uaddr, const void *src,
				   __u32 src__sz) __attribute__((section(".ksyms")));
extern int bpf_ntgate_copy_from_user(struct nt_call_ctx *ctx, void *dst, __u32 dst__sz,
				     __u64 uaddr) __attribute__((section(".ksyms")));
extern int bpf_ntgate_file_info(struct nt_call_ctx *ctx, __s32 fd, struct ntgate_file_info *out,
				__u32 out__sz) __attribute__((section(".ksyms")));
extern int bpf_ntgate_yield(struct nt_call_ctx *ctx) __attribute__((section(".ksyms")));
extern int bpf_ntgate_sleep_until(struct nt_call_ctx *ctx,
				  __u64 deadline_ns) __attribute__((section(".ksyms")));
#endif

#endif /* IREACTOR_NTGATE_OPS_H */
