/* The guard's maps and what every program does first: find the caller's namespace from its
 * cgroup, and report a decision to the audit ring. Included by guard.bpf.c only. */
#ifndef IREACTOR_BPF_GUARD_COMMON_BPF_H
#define IREACTOR_BPF_GUARD_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "guard_abi.h"

#define EPERM 1

/* One policy set: what the slots of `policy` point to. Userspace (policy_slots.cpp) creates
 * maps of exactly this shape; not preallocated, so a 10-entry set does not cost 65536 slots
 * (filling a preallocated one was not measurably faster).
 * Sizes rather than BTF types: clang leaves the types of a template only __array names as
 * forward declarations, which libbpf cannot size. */
struct policy_set {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, IR_POLICY_MAX_ENTRIES);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __uint(key_size, sizeof(struct ir_rule_key));
  __uint(value_size, sizeof(struct ir_rule_value));
};

/* Two slots: the set in force and the next one, staged aside (guard_abi.h). */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
  __uint(max_entries, IR_POLICY_SLOTS);
  __type(key, __u32);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
  __array(values, struct policy_set);
} policy SEC(".maps");

/* Which slot of `policy` is in force. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} policy_active SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, IR_AUDIT_RING_BYTES);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} audit SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, IR_COUNTER_MAX);
  __type(key, __u32);
  __type(value, __u64);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

/* Set by the loader before load: the LSM programs are attached too, so cgroup/dev leaves the
 * auditing of allowed opens to lsm/file_open (one event per open, not two). */
const volatile __u8 lsm_layer = 0;

/* The caller's namespace: the policy set in force, and the namespace settings of the caller's
 * cgroup (IR_RULE_CGROUP entries carry the whole ir_namespace_rule). */
struct ns_ctx {
  void* set;
  const struct ir_namespace_rule* ns;
};

/* One hash lookup, keyed by the caller's cgroup id. False for every process outside a namespace
 * cgroup, which the caller then allows without looking further. */
static __always_inline bool current_namespace(struct ns_ctx* ctx) {
  __u32 zero = 0;
  /* The slot read and the set taken from it in one RCU read section, also in sleepable
   * programs: once userspace has flipped policy_active and waited a grace period, no program
   * can still take the set from the other slot, which it then replaces with a fresh copy of
   * the set in force (bpf/policy_slots.cpp). */
  bpf_rcu_read_lock();
  __u32* active = bpf_map_lookup_elem(&policy_active, &zero);
  __u32 slot = active ? *active & (IR_POLICY_SLOTS - 1) : 0;
  void* set = bpf_map_lookup_elem(&policy, &slot);
  bpf_rcu_read_unlock();
  if (!set) return false;
  struct ir_rule_key key = {.id = bpf_get_current_cgroup_id(), .kind = IR_RULE_CGROUP};
  struct ir_rule_value* v = bpf_map_lookup_elem(set, &key);
  if (!v) return false;
  ctx->set = set;
  ctx->ns = &v->ns;
  return true;
}

static __always_inline bool feature_denied(const struct ns_ctx* ctx, int feature) {
  return (ctx->ns->kernel_deny >> feature) & 1;
}

static __always_inline void count(__u32 which) {
  __u64* c = bpf_map_lookup_elem(&counters, &which);
  if (c) __sync_fetch_and_add(c, 1);
}

/* Reserves an audit event with the fields every event has; the caller fills the rest and
 * submits. NULL when the ring is full: counted, so the agent reports the loss. */
static __always_inline struct ir_audit_event* event_begin(const struct ns_ctx* ctx, __u16 kind,
                                                          __u8 decision, __u8 layer,
                                                          __u32 rule_id) {
  struct ir_audit_event* e = bpf_ringbuf_reserve(&audit, sizeof(*e), 0);
  if (!e) {
    count(IR_COUNTER_AUDIT_LOST);
    return NULL;
  }
  __builtin_memset(e, 0, sizeof(*e));
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  e->boot_ns = bpf_ktime_get_boot_ns();
  e->ns_id = ctx->ns->ns_id;
  e->generation = ctx->ns->generation;
  e->pid = pid_tgid >> 32;
  e->tid = (__u32)pid_tgid;
  e->rule_id = rule_id;
  e->kind = kind;
  e->decision = decision;
  e->layer = layer;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  return e;
}

/* A denied kernel feature: counted always, reported when the namespace audits denials. */
static __always_inline void feature_denial(const struct ns_ctx* ctx, __u8 layer, int feature,
                                           __s64 detail) {
  count(IR_COUNTER_DENIED);
  if (!(ctx->ns->audit & IR_AUDIT_DENIALS)) return;
  struct ir_audit_event* e = event_begin(ctx, IR_EV_FEATURE, IR_DENY, layer, IR_RULE_DEFAULT);
  if (!e) return;
  e->feature = feature;
  e->detail = detail;
  bpf_ringbuf_submit(e, 0);
}

#endif
