/* Device and ioctl decisions, shared by lsm/file_open, lsm/file_ioctl and cgroup/dev so every
 * layer decides the same way. Included by guard.bpf.c only. */
#ifndef IREACTOR_BPF_GUARD_RULES_BPF_H
#define IREACTOR_BPF_GUARD_RULES_BPF_H

#include "guard_common.bpf.h"

struct decision {
  __u32 rule_id;
  __u8 effect;     /* enum ir_effect */
  __u8 rule_audit; /* a deciding rule says audit: true */
};

#define DEVICE_KEYS 3

/* The rule keys of a device from the most specific to the least (guard_abi.h). */
static __always_inline __u64 device_key(int i, __u32 type, __u32 major, __u32 minor) {
  if (i == 0) return ir_dev_id(type, major, minor);
  if (i == 1) return ir_dev_id(type, major, IR_ANY_MINOR);
  return ir_dev_id(type, IR_ANY_MAJOR, IR_ANY_MINOR);
}

/* Each requested access bit is decided by the most specific rule covering it, else by the
 * namespace default; the access is allowed only when every bit is. */
static __always_inline struct decision decide_device(const struct ns_ctx* ctx, __u32 type,
                                                     __u32 major, __u32 minor, __u32 access) {
  struct decision d = {.rule_id = IR_RULE_DEFAULT, .effect = IR_ALLOW};
  __u32 undecided = access;
  for (int i = 0; i < DEVICE_KEYS && undecided; i++) {
    struct ir_rule_key key = {
        .id = device_key(i, type, major, minor), .ns_id = ctx->ns->ns_id, .kind = IR_RULE_DEVICE};
    struct ir_rule_value* v = bpf_map_lookup_elem(ctx->set, &key);
    if (!v) continue;
    __u32 bits = undecided & v->dev.access;
    if (!bits) continue;
    undecided &= ~bits;
    d.rule_id = v->dev.rule_id;
    d.rule_audit |= v->dev.audit;
    if (v->dev.effect != IR_ALLOW) {
      d.effect = IR_DENY;
      return d;
    }
  }
  if (undecided && ctx->ns->device_default != IR_ALLOW) {
    d.effect = IR_DENY;
    d.rule_id = IR_RULE_DEFAULT;
  }
  return d;
}

/* The ranges of the most specific device key first; a key whose ranges do not contain `cmd`
 * passes to the next one, and the namespace's ioctl default decides last. */
static __always_inline struct decision decide_ioctl(const struct ns_ctx* ctx, __u32 type,
                                                    __u32 major, __u32 minor, __u32 cmd) {
  struct decision d = {.rule_id = IR_RULE_DEFAULT,
                       .effect = ctx->ns->ioctl_default == IR_ALLOW ? IR_ALLOW : IR_DENY};
  for (int i = 0; i < DEVICE_KEYS; i++) {
    __u64 id = device_key(i, type, major, minor);
    for (int chunk = 0; chunk < IR_IOCTL_MAX_CHUNKS; chunk++) {
      struct ir_rule_key key = {
          .id = id, .ns_id = ctx->ns->ns_id, .kind = IR_RULE_IOCTL, .chunk = chunk};
      struct ir_rule_value* v = bpf_map_lookup_elem(ctx->set, &key);
      if (!v) break;
      __u32 n = v->ioctl.count;
      for (int r = 0; r < IR_IOCTL_RANGES_PER_CHUNK; r++) {
        if (r >= n) break;
        const struct ir_ioctl_range* range = &v->ioctl.ranges[r];
        if (cmd >= range->lo && cmd <= range->hi) {
          d.rule_id = range->rule_id;
          d.effect = range->effect == IR_ALLOW ? IR_ALLOW : IR_DENY;
          d.rule_audit = range->audit;
          return d;
        }
      }
      if (n < IR_IOCTL_RANGES_PER_CHUNK) break;
    }
  }
  return d;
}

/* Whether the namespace's audit settings ask for this device access to be logged. */
static __always_inline bool device_audited(const struct ns_ctx* ctx, const struct decision* d) {
  __u8 audit = ctx->ns->audit;
  if (audit & IR_AUDIT_DEVICES_ALL) return true;
  if ((audit & IR_AUDIT_DEVICES_RULES) && d->rule_audit) return true;
  return d->effect == IR_DENY && (audit & IR_AUDIT_DENIALS);
}

static __always_inline void count_decision(const struct decision* d, bool audited) {
  if (d->effect == IR_DENY)
    count(IR_COUNTER_DENIED);
  else if (audited)
    count(IR_COUNTER_ALLOWED_AUDITED);
}

#endif
