/* SPDX-License-Identifier: GPL-2.0 */
/* Windows-side memory from the hot path, as ntcore's user_memory.h treats it: a range outside the
 * Windows address space, or one that faults, is STATUS_ACCESS_VIOLATION. The kernel cannot see
 * the runtime's VAD records, so "Windows memory" here is the address-space bounds plus what is
 * mapped with the access asked for. */
#ifndef IREACTOR_USER_MEMORY_BPF_H
#define IREACTOR_USER_MEMORY_BPF_H

#include "nt_defs.bpf.h"
#include "ntgate_kernel.bpf.h"

/* Probing touches one byte per page: buffers of more pages go to userspace (a large transfer
 * gains nothing from the kernel path, and the loop stays small for the verifier). */
#define NT_PROBE_MAX_PAGES 32

enum probe_result {
  PROBE_OK,
  PROBE_FAULT,   /* STATUS_ACCESS_VIOLATION */
  PROBE_TOO_BIG, /* more pages than probed here: NTGATE_UNHANDLED */
};

static __always_inline int in_user_range(__u64 addr, __u64 n) {
  return addr >= NT_LOWEST_USER_ADDRESS && addr <= NT_HIGHEST_USER_ADDRESS &&
         n - 1 <= NT_HIGHEST_USER_ADDRESS - addr;
}

/* Whether [addr, addr+n) can be read: every page it touches gives up a byte. n == 0 always
 * passes, as probe_user does. */
static __always_inline enum probe_result probe_readable(struct nt_call_ctx* ctx, __u64 addr,
                                                        __u64 n) {
  if (n == 0) return PROBE_OK;
  if (!in_user_range(addr, n)) return PROBE_FAULT;
  __u64 first = addr / NT_PAGE_SIZE, last = (addr + n - 1) / NT_PAGE_SIZE;
  if (last - first >= NT_PROBE_MAX_PAGES) return PROBE_TOO_BIG;
  for (int i = 0; i < NT_PROBE_MAX_PAGES; i++) {
    __u64 page = first + i;
    if (page > last) break;
    __u8 byte;
    if (bpf_ntgate_copy_from_user(ctx, &byte, 1, i == 0 ? addr : page * NT_PAGE_SIZE))
      return PROBE_FAULT;
  }
  return PROBE_OK;
}

/* Whether the IO_STATUS_BLOCK at addr can be written: read and written back unchanged, so a
 * read-only or unmapped block fails before any I/O, as it does in userspace. */
static __always_inline int probe_io_status(struct nt_call_ctx* ctx, __u64 addr) {
  struct nt_io_status_block b;
  if (!in_user_range(addr, sizeof(b))) return 0;
  if (bpf_ntgate_copy_from_user(ctx, &b, sizeof(b), addr)) return 0;
  return bpf_ntgate_copy_to_user(ctx, addr, &b, sizeof(b)) == 0;
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
