/* The NT tracer's ABI: the layout of its pinned statistics map, shared by the BPF program
 * (bpf/trace.bpf.c) and its readers (bpf/trace.cpp, `ireactor stats`). C, padded explicitly so
 * BPF and C++ agree byte for byte. */
#ifndef IREACTOR_BPF_TRACE_ABI_H
#define IREACTOR_BPF_TRACE_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Pinned under IR_BPFFS_DIR (default /sys/fs/bpf/ireactor, overridable for tests):
 *   trace_stats        HASH ir_trace_key -> ir_trace_stat, one entry per (namespace, service)
 *                      seen since attach.
 *   trace_link_<prog>  the links of the USDT programs (ireactor:nt_enter, ireactor:nt_exit). */

#define IR_TRACE_MAX_SERVICES 16384
#define IR_TRACE_MAX_THREADS 65536
#define IR_TRACE_SLOTS 32 /* log2 latency buckets in ns: slot k counts [2^k, 2^(k+1)) */

struct ir_trace_key {
  __u32 ns_id;  /* the namespace's id (ireactor ns); 0: the default namespace */
  __u32 number; /* NT service number in the namespace's Windows build */
};

struct ir_trace_stat {
  __u64 calls;    /* entered (a call that never returns, NtTerminateProcess, counts too) */
  __u64 errors;   /* NTSTATUS severity error (0xC...) */
  __u64 warnings; /* NTSTATUS severity warning (0x8...) */
  __u64 total_ns; /* enter -> exit, summed over the calls timed (those that returned) */
  __u64 latency_log2[IR_TRACE_SLOTS];
};

#endif
