// SPDX-License-Identifier: GPL-2.0
/* The NT hot path in the kernel: struct_ops implementations of ntgate.ko's nt_syscall_ops.
 * /dev/ntgate's NTGATE_IOC_CALL hands each NT call to the attached implementation, which serves
 * the few services below and returns NTGATE_UNHANDLED for everything else, so the runtime serves
 * it in userspace (docs/kmod.md).
 *
 * The call's number is in the caller's Windows build; nt_numbering (filled by the loader and
 * refreshed by ireactord, pinned and shared by every implementation) turns {build, number} into
 * ntcore's build-independent service id, and the ids of the services served here and the
 * builds of the map's slots are constants the loader sets before loading. The one object holds the
 * same program twice, as the struct_ops maps "hotpath" and "hotpath_b", so one can replace the
 * other live. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "nt_defs.bpf.h"
#include "nt_file_io.bpf.h"
#include "nt_hotpath_abi.h"
#include "nt_query_file.bpf.h"
#include "nt_time_sync.bpf.h"
#include "ntgate_kernel.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, NT_NUMBERING_MAP_SIZE);
  __type(key, __u32);
  __type(value, __u32);
  __uint(map_flags, BPF_F_RDONLY_PROG);
} nt_numbering SEC(".maps");

/* Service ids (ntcore's service_id()), set by the loader; NT_NO_SERVICE is never served. */
const volatile __u32 svc_read_file = NT_NO_SERVICE;
const volatile __u32 svc_write_file = NT_NO_SERVICE;
const volatile __u32 svc_query_information_file = NT_NO_SERVICE;
const volatile __u32 svc_query_performance_counter = NT_NO_SERVICE;
const volatile __u32 svc_yield_execution = NT_NO_SERVICE;
const volatile __u32 svc_delay_execution = NT_NO_SERVICE;
/* The builds of nt_numbering's slots, set by the loader; 0 is an unused slot. */
const volatile __u32 numbering_builds[NT_NUMBERING_MAX_BUILDS];
/* Longer relative delays sleep in userspace (nt_time_sync.bpf.h). */
const volatile __u64 max_delay_ns = 100000000;

/* The call's service id, or NT_NO_SERVICE: {build, number} at its slot of nt_numbering. */
static __always_inline __u32 service_of(const struct nt_call_ctx* ctx) {
  const __u32 build = ctx->build, number = ctx->number;
  if (!build || number >= NT_NUMBERING_NUMBERS) return NT_NO_SERVICE;
  for (__u32 slot = 0; slot < NT_NUMBERING_MAX_BUILDS; slot++) {
    if (numbering_builds[slot] != build) continue;
    const __u32 index = slot * NT_NUMBERING_NUMBERS + number;
    const __u32* found = bpf_map_lookup_elem(&nt_numbering, &index);
    return found ? *found : NT_NO_SERVICE;
  }
  return NT_NO_SERVICE;
}

static __always_inline __s64 serve(struct nt_call_ctx* ctx) {
  const __u32 service = service_of(ctx);
  if (service == NT_NO_SERVICE) return NTGATE_UNHANDLED;
  if (service == svc_read_file) return nt_read_file(ctx);
  if (service == svc_write_file) return nt_write_file(ctx);
  if (service == svc_query_performance_counter) return nt_query_performance_counter(ctx);
  if (service == svc_query_information_file) return nt_query_information_file(ctx);
  if (service == svc_yield_execution) return nt_yield_execution(ctx);
  if (service == svc_delay_execution) return nt_delay_execution(ctx, max_delay_ns);
  return NTGATE_UNHANDLED;
}

SEC("struct_ops.s/call")
__s64 BPF_PROG(hotpath_call, struct nt_call_ctx* call) {
  return serve(call);
}

SEC("struct_ops.s/call")
__s64 BPF_PROG(hotpath_b_call, struct nt_call_ctx* call) {
  return serve(call);
}

SEC(".struct_ops.link")
struct nt_syscall_ops hotpath = {
    .call = (void*)hotpath_call,
    .name = NT_HOTPATH_IMPL_A,
};

SEC(".struct_ops.link")
struct nt_syscall_ops hotpath_b = {
    .call = (void*)hotpath_b_call,
    .name = NT_HOTPATH_IMPL_B,
};
