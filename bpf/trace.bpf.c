// SPDX-License-Identifier: GPL-2.0
/* NT call statistics from the dispatcher's USDT probes (ireactor:nt_enter, ireactor:nt_exit in
 * ntcore/src/dispatch/dispatcher.cpp): per (namespace, service) call and error counts and a log2
 * latency histogram, in the pinned map trace_stats (trace_abi.h). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

#include "trace_abi.h"

char LICENSE[] SEC("license") = "GPL";

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, IR_TRACE_MAX_SERVICES);
  __type(key, struct ir_trace_key);
  __type(value, struct ir_trace_stat);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} trace_stats SEC(".maps");

/* When each thread entered its current NT call. Keyed by tid: a thread is in one call at a time.
 * LRU: a call that never returns (NtTerminateThread, NtTerminateProcess) leaves its entry
 * behind, and those must not fill the map. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, IR_TRACE_MAX_THREADS);
  __type(key, __u32);
  __type(value, __u64);
} trace_start SEC(".maps");

static __always_inline __u32 log2_slot(__u64 v) {
  __u32 slot = 0;
  for (int i = 0; i < IR_TRACE_SLOTS - 1; i++) {
    if (v < 2) break;
    v >>= 1;
    slot++;
  }
  return slot;
}

static __always_inline struct ir_trace_stat* stat_of(__u32 ns_id, __u32 number) {
  struct ir_trace_key key = {.ns_id = ns_id, .number = number};
  struct ir_trace_stat* st = bpf_map_lookup_elem(&trace_stats, &key);
  if (st) return st;
  static const struct ir_trace_stat zero;
  bpf_map_update_elem(&trace_stats, &key, &zero, BPF_NOEXIST);
  return bpf_map_lookup_elem(&trace_stats, &key); /* NULL: map full */
}

/* nt_enter(service, number, ns_id, frame). Counted here, so calls that never return count too. */
SEC("usdt")
int BPF_USDT(nt_enter, __u16 service, __u32 number, __u32 ns_id, void* frame) {
  struct ir_trace_stat* st = stat_of(ns_id, number);
  if (st) __sync_fetch_and_add(&st->calls, 1);
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  __u64 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&trace_start, &tid, &now, BPF_ANY);
  return 0;
}

/* nt_exit(service, number, ns_id, frame, status) */
SEC("usdt")
int BPF_USDT(nt_exit, __u16 service, __u32 number, __u32 ns_id, void* frame, __u32 status) {
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  struct ir_trace_stat* st = stat_of(ns_id, number);
  if (!st) return 0;
  if ((status >> 30) == 3)
    __sync_fetch_and_add(&st->errors, 1);
  else if ((status >> 30) == 2)
    __sync_fetch_and_add(&st->warnings, 1);

  /* A call already running when the program was attached has no start: not timed. */
  __u64* start = bpf_map_lookup_elem(&trace_start, &tid);
  if (start) {
    __u64 delta = bpf_ktime_get_ns() - *start;
    bpf_map_delete_elem(&trace_start, &tid);
    __sync_fetch_and_add(&st->total_ns, delta);
    __u32 slot = log2_slot(delta);
    if (slot < IR_TRACE_SLOTS) __sync_fetch_and_add(&st->latency_log2[slot], 1);
  }
  return 0;
}
