/* SPDX-License-Identifier: GPL-2.0 */
/* The module's side as the programs see it: kmod-min/include/ntgate_ops.h declares the call
 * context (CO-RE relocated against the module's BTF at load: the host building the programs
 * runs another kernel, without the module) and the kfuncs; here, the read/write kfuncs in the
 * shape the services call them. */
#ifndef IREACTOR_NTGATE_KERNEL_BPF_H
#define IREACTOR_NTGATE_KERNEL_BPF_H

#include <linux/types.h>

#include "ntgate_ops.h"

/* bpf_ntgate_read/write of len bytes at buf, at offset (>= 0, NTGATE_AT_POSITION, or
 * NTGATE_AT_END for writes) with NTGATE_IO_* flags: bytes transferred or -errno. */
static __always_inline __s64 ntgate_read(struct nt_call_ctx* ctx, __s32 fd, __u64 buf, __u32 len,
                                         __s64 offset, __u32 flags) {
  const struct ntgate_io io = {.fd = fd, .flags = flags, .buf = buf, .offset = offset, .len = len};
  return bpf_ntgate_read(ctx, &io, sizeof(io));
}

static __always_inline __s64 ntgate_write(struct nt_call_ctx* ctx, __s32 fd, __u64 buf, __u32 len,
                                          __s64 offset, __u32 flags) {
  const struct ntgate_io io = {.fd = fd, .flags = flags, .buf = buf, .offset = offset, .len = len};
  return bpf_ntgate_write(ctx, &io, sizeof(io));
}

#endif /* IREACTOR_NTGATE_KERNEL_BPF_H */
