// SPDX-License-Identifier: GPL-2.0
/*
 * nt_syscall_ops implementations the verifier must refuse (tests/kmod, `ntgate_client
 * verifier`): one struct_ops map per mistake, loaded one at a time.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ntgate_ops.h"

char LICENSE[] SEC("license") = "GPL";

/* A sleepable kfunc from a non-sleepable program. */
SEC("struct_ops/call")
__s64 BPF_PROG(sleep_in_atomic, struct nt_call_ctx *nt)
{
	return bpf_ntgate_yield(nt);
}

/* The call context is read-only. */
SEC("struct_ops.s/call")
__s64 BPF_PROG(write_ctx, struct nt_call_ctx *nt)
{
	nt->number = 1;
	return 0;
}

/* A kfunc's ctx must be the program's own (trusted) argument, not any memory. */
SEC("struct_ops.s/call")
__s64 BPF_PROG(forged_ctx, struct nt_call_ctx *nt)
{
	__u64 fake[16] = {};

	return bpf_ntgate_yield((struct nt_call_ctx *)fake);
}

SEC(".struct_ops.link")
struct nt_syscall_ops bad_sleep = { .call = (void *)sleep_in_atomic, .name = "bad_sleep" };

SEC(".struct_ops.link")
struct nt_syscall_ops bad_write = { .call = (void *)write_ctx, .name = "bad_write" };

SEC(".struct_ops.link")
struct nt_syscall_ops bad_ctx = { .call = (void *)forged_ctx, .name = "bad_ctx" };
