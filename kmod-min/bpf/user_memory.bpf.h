/* SPDX-License-Identifier: GPL-2.0 */
/* Windows-side memory from the hot path, as ntcore's user_memory.h treats it: a range outside the
 * Windows address space, or one that faults, is STATUS_ACCESS_VIOLATION. The kernel cannot see
 * the runtime's VAD records, so "Windows memory" here is the address-space bounds plus what is
 * mapped with the access asked for. */
#ifndef IREACTOR_USER_MEMORY_BPF_H
#define IREACTOR_USER_MEMORY_BPF_H

#include "nt_defs.bpf.h"
#include "ntgate_kernel.bpf.h"

static __always_inline int in_user_range(__u64 addr, __u64 n) {
  return addr >= NT_LOWEST_USER_ADDRESS && addr <= NT_HIGHEST_USER_ADDRESS &&
         n - 1 <= NT_HIGHEST_USER_ADDRESS - addr;
}

/* user_memory.h's probe_user for two ranges, both needed: whether each [addr, addr+len) is
 * Windows memory mapped with the access asked for, checked before anything moves (the
 * address-space bounds here, the mappings by the module, which reads the caller's memory map
 * without touching the ranges). An empty range passes. One kfunc call for both: one hold of the
 * mmap lock, and one lookup when both lie in the same mapping, where a call each cost twice. */
static __always_inline int probe_user_pair(struct nt_call_ctx* ctx, __u64 a, __u64 a_len,
                                           int a_write, __u64 b, __u64 b_len, int b_write) {
  if ((a_len && !in_user_range(a, a_len)) || (b_len && !in_user_range(b, b_len))) return 0;
  const struct ntgate_user_range r[2] = {{.addr = a, .len = a_len, .write = a_write},
                                         {.addr = b, .len = b_len, .write = b_write}};
  return bpf_ntgate_probe_ranges(ctx, r, sizeof(r)) == 0;
}

static __always_inline int read_user_s64(struct nt_call_ctx* ctx, __u64 addr, __s64* out) {
  if (!in_user_range(addr, sizeof(*out))) return 0;
  return bpf_ntgate_copy_from_user(ctx, out, sizeof(*out), addr) == 0;
}

static __always_inline int write_user_s64(struct nt_call_ctx* ctx, __u64 addr, __s64 v) {
  if (!in_user_range(addr, sizeof(v))) return 0;
  return bpf_ntgate_copy_to_user(ctx, addr, &v, sizeof(v)) == 0;
}

/* io_status.h's write_io_status; like it, callers ignore a failure (the service's status
 * stands). */
static __always_inline void write_io_status(struct nt_call_ctx* ctx, __u64 addr, __u32 status,
                                            __u64 information) {
  struct nt_io_status_block b = {.status = status, .information = information};
  if (in_user_range(addr, sizeof(b))) bpf_ntgate_copy_to_user(ctx, addr, &b, sizeof(b));
}

#endif /* IREACTOR_USER_MEMORY_BPF_H */
