// SPDX-License-Identifier: GPL-2.0
/*
 * Test implementations of nt_syscall_ops for tests/kmod (not the real ones: kmod-min/bpf/).
 * Two maps, test_a and test_b, for the live replacement check: number 0x7777 answers 0x1234
 * (test_a) or 0x5678 (test_b); test_fast (not sleepable, not a link) answers 0x9abc. Numbers
 * 0x7778.. exercise one kfunc each and return its result (a -errno comes back as 0xe000xxxx:
 * an answer in 0xfffff001.. would count as declined); anything else is NTGATE_UNHANDLED.
 * Built without vmlinux.h: the types come from the module's own headers.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ntgate_ops.h"

char LICENSE[] SEC("license") = "GPL";

#define T_ANSWER 0x7777
#define T_HANDLE 0x7778      /* args: handle, user out (struct ntgate_handle) */
#define T_READ 0x7779        /* args: fd, buf, len, offset, flags */
#define T_WRITE 0x777a       /* same */
#define T_TO_USER 0x777b     /* args: uaddr: 16 pattern bytes */
#define T_FROM_USER 0x777c   /* args: from, to: 16 bytes copied through the program */
#define T_FILE_INFO 0x777d   /* args: fd, user out (struct ntgate_file_info) */
#define T_YIELD 0x777e
#define T_SLEEP 0x777f       /* args: deadline ns */
#define T_KTIME 0x7780       /* args: user out (u64): bpf_ktime_get_ns() */
#define T_HANDLE_READ 0x7781 /* args: handle, buf, len: read at the position via the mirror */
#define T_NEGATIVE 0x7782    /* returns -5: not an NTSTATUS, so unhandled */
#define T_CTX 0x7783         /* args: user out: the ctx as the program sees it */
#define T_SLOW 0x7784        /* args: ns: sleep that long, then answer like T_ANSWER */
#define T_ECHO 0x7785        /* args: v: returns v as it is */
#define T_PROBE 0x7786       /* args: uaddr, len, write: bpf_ntgate_probe_user */
#define T_PROBE2 0x7787      /* args: addr, len, write, addr2, len2, write2, reserved:
			      * bpf_ntgate_probe_ranges of two ranges (reserved in the first) */
#define T_PROBE2_ODD 0x7788  /* the same with a size that is not whole ranges */

static __always_inline __s64 ret32(__s64 v)
{
	return v < 0 ? 0xe0000000 | (-v & 0xffff) : v;
}

static __always_inline __s64 serve(struct nt_call_ctx *ctx, __s64 answer)
{
	__u32 nr = ctx->number;

	if (nr == T_ANSWER)
		return answer;
	if (nr == T_HANDLE) {
		struct ntgate_handle h = {};
		int rc = bpf_ntgate_handle(ctx, ctx->args[0], &h, sizeof(h));

		if (rc == 0)
			rc = bpf_ntgate_copy_to_user(ctx, ctx->args[1], &h, sizeof(h));
		return ret32(rc);
	}
	if (nr == T_READ || nr == T_WRITE) {
		struct ntgate_io io = {
			.fd = (__s32)ctx->args[0],
			.buf = ctx->args[1],
			.len = (__u32)ctx->args[2],
			.offset = (__s64)ctx->args[3],
			.flags = (__u32)ctx->args[4],
		};

		if (nr == T_READ)
			return ret32(bpf_ntgate_read(ctx, &io, sizeof(io)));
		return ret32(bpf_ntgate_write(ctx, &io, sizeof(io)));
	}
	if (nr == T_TO_USER) {
		char pat[16] = "ntgate-pattern!";

		return ret32(bpf_ntgate_copy_to_user(ctx, ctx->args[0], pat, sizeof(pat)));
	}
	if (nr == T_FROM_USER) {
		char buf[16] = {};
		int rc = bpf_ntgate_copy_from_user(ctx, buf, sizeof(buf), ctx->args[0]);

		if (rc == 0)
			rc = bpf_ntgate_copy_to_user(ctx, ctx->args[1], buf, sizeof(buf));
		return ret32(rc);
	}
	if (nr == T_FILE_INFO) {
		struct ntgate_file_info fi = {};
		int rc = bpf_ntgate_file_info(ctx, (__s32)ctx->args[0], &fi, sizeof(fi));

		if (rc == 0)
			rc = bpf_ntgate_copy_to_user(ctx, ctx->args[1], &fi, sizeof(fi));
		return ret32(rc);
	}
	if (nr == T_YIELD)
		return ret32(bpf_ntgate_yield(ctx));
	if (nr == T_SLEEP)
		return ret32(bpf_ntgate_sleep_until(ctx, ctx->args[0]));
	if (nr == T_KTIME) {
		__u64 now = bpf_ktime_get_ns();

		return ret32(bpf_ntgate_copy_to_user(ctx, ctx->args[0], &now, sizeof(now)));
	}
	if (nr == T_HANDLE_READ) {
		struct ntgate_handle h = {};
		struct ntgate_io io = {};
		int rc = bpf_ntgate_handle(ctx, ctx->args[0], &h, sizeof(h));

		if (rc)
			return ret32(rc);
		io.fd = h.fd;
		io.buf = ctx->args[1];
		io.len = (__u32)ctx->args[2];
		io.offset = NTGATE_AT_POSITION;
		return ret32(bpf_ntgate_read(ctx, &io, sizeof(io)));
	}
	if (nr == T_NEGATIVE)
		return -5;
	if (nr == T_ECHO)
		return ctx->args[0];
	if (nr == T_PROBE)
		return ret32(bpf_ntgate_probe_user(ctx, ctx->args[0], ctx->args[1],
						   (__u32)ctx->args[2]));
	if (nr == T_PROBE2 || nr == T_PROBE2_ODD) {
		struct ntgate_user_range r[2] = {
			{ .addr = ctx->args[0], .len = ctx->args[1], .write = (__u32)ctx->args[2],
			  .reserved = (__u32)ctx->args[6] },
			{ .addr = ctx->args[3], .len = ctx->args[4], .write = (__u32)ctx->args[5] },
		};

		if (nr == T_PROBE2_ODD)
			return ret32(bpf_ntgate_probe_ranges(ctx, r, sizeof(r) - 8));
		return ret32(bpf_ntgate_probe_ranges(ctx, r, sizeof(r)));
	}
	if (nr == T_CTX) {
		struct nt_call_ctx copy = {};

		copy.number = ctx->number;
		copy.build = ctx->build;
		copy.cgroup_id = ctx->cgroup_id;
		copy.tgid = ctx->tgid;
		copy.nargs = ctx->nargs;
		for (int i = 0; i < NTGATE_MAX_ARGS; i++)
			copy.args[i] = ctx->args[i];
		/* The public part: `file` is the module's. */
		return ret32(bpf_ntgate_copy_to_user(ctx, ctx->args[0], &copy,
						     __builtin_offsetof(struct nt_call_ctx, file)));
	}
	if (nr == T_SLOW) {
		int rc = bpf_ntgate_sleep_until(ctx, bpf_ktime_get_ns() + ctx->args[0]);

		return rc ? ret32(rc) : answer;
	}
	return NTGATE_UNHANDLED;
}

/* BPF_PROG names its own raw argument array `ctx`, hence `nt`. */
SEC("struct_ops.s/call")
__s64 BPF_PROG(call_a, struct nt_call_ctx *nt)
{
	return serve(nt, 0x1234);
}

SEC("struct_ops.s/call")
__s64 BPF_PROG(call_b, struct nt_call_ctx *nt)
{
	return serve(nt, 0x5678);
}

/* Not sleepable, no kfuncs: the fast path an implementation may take for pure services. */
SEC("struct_ops/call")
__s64 BPF_PROG(call_fast, struct nt_call_ctx *nt)
{
	return nt->number == T_ANSWER ? 0x9abc : NTGATE_UNHANDLED;
}

SEC(".struct_ops.link")
struct nt_syscall_ops test_a = {
	.call = (void *)call_a,
	.name = "test_a",
};

SEC(".struct_ops.link")
struct nt_syscall_ops test_b = {
	.call = (void *)call_b,
	.name = "test_b",
};

/* A map without BPF_F_LINK: attached by the map update itself, detached by deleting it. */
SEC(".struct_ops")
struct nt_syscall_ops test_fast = {
	.call = (void *)call_fast,
	.name = "test_fast",
};
