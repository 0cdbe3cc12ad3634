/* The guard's ABI: the layout of the policy maps and audit events, shared by the BPF programs
 * (bpf/guard.bpf.c), the policy compiler (policy/) and ireactord (agent/). C, so both sides
 * compile it; every struct is padded explicitly so BPF and C++ agree byte for byte. */
#ifndef IREACTOR_BPF_GUARD_ABI_H
#define IREACTOR_BPF_GUARD_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Pinned under IR_BPFFS_DIR (default /sys/fs/bpf/ireactor, overridable for tests):
 *   policy   ARRAY_OF_MAPS[2] -> policy sets (HASH ir_rule_key -> ir_rule_value): the one in
 *            force and a fresh empty one staged in the other slot.
 *   policy_active  ARRAY[1] of __u32: the slot in force. Reload fills the staged set and
 *            stores the other slot number here: one atomic store, so a hook sees the old set
 *            or the new one, never a mix or a gap, and the switch waits for nothing. Afterwards,
 *            off the reload's path, the agent waits an RCU grace period (no hook can still be
 *            taking the old set) and stages in the old slot a fresh copy of the set in force,
 *            so the next reload writes only the difference.
 *   policy_epoch  ARRAY[1] of __u64: switches so far; the agent adds one after each flip of
 *            policy_active (atomically, by running the guard's guard_epoch_bump program).
 *            cgroup/dev's cache of allowed device opens (per cgroup, bpf/guard_dev_cache.bpf.h)
 *            answers only with entries of the current epoch.
 *   audit    RINGBUF of struct ir_audit_event.
 *   counters PERCPU_ARRAY[IR_COUNTER_MAX] of __u64 (lost audit events, decisions).
 *   links    link_<program> for the LSM/tracing links, cg_<program>@<ns> per namespace cgroup
 *            (bpffs refuses names with a dot: it keeps them for itself). */

#define IR_POLICY_MAX_ENTRIES 65536
#define IR_POLICY_SLOTS 2
#define IR_AUDIT_RING_BYTES (1u << 22)

enum ir_rule_kind {
  IR_RULE_CGROUP = 1,    /* id = cgroup id; value.ns: which namespace this cgroup is */
  IR_RULE_NAMESPACE = 2, /* ns_id; value.ns: defaults, kernel features, audit settings */
  IR_RULE_DEVICE = 3,    /* ns_id + id = ir_dev_id(); value.dev */
  IR_RULE_IOCTL = 4,     /* ns_id + id = ir_dev_id() + chunk; value.ioctl */
};

/* Device identity in rule keys: type, major, minor; IR_ANY_* are wildcards. Lookups go from the
 * most specific key to the least: (type, major, minor), (type, major, ANY), (type, ANY, ANY),
 * then the namespace's default. */
#define IR_DEV_CHAR 1u
#define IR_DEV_BLOCK 2u
#define IR_ANY_MAJOR 0xFFFu
#define IR_ANY_MINOR 0xFFFFFu
#define ir_dev_id(type, major, minor) \
  ((((__u64)(type)) << 32) | (((__u64)(major)&0xFFFu) << 20) | ((__u64)(minor)&0xFFFFFu))

struct ir_rule_key {
  __u64 id;
  __u32 ns_id;
  __u16 kind;  /* enum ir_rule_kind */
  __u16 chunk; /* IR_RULE_IOCTL: 0..IR_IOCTL_MAX_CHUNKS-1; else 0 */
};

enum ir_effect { IR_DENY = 0, IR_ALLOW = 1 };

/* Access bits, as cgroup/dev spells them (BPF_DEVCG_ACC_*). */
#define IR_ACC_MKNOD 1u
#define IR_ACC_READ 2u
#define IR_ACC_WRITE 4u

/* Kernel features a namespace may be denied (bit numbers). */
enum ir_feature {
  IR_FEAT_PTRACE = 0,
  IR_FEAT_BPF = 1,
  IR_FEAT_MOUNT = 2,
  IR_FEAT_MODULE_LOAD = 3,
  IR_FEAT_RAW_SOCKETS = 4,    /* SOCK_RAW in AF_INET/AF_INET6 */
  IR_FEAT_PACKET_SOCKETS = 5, /* AF_PACKET */
  IR_FEAT_PERF_EVENTS = 6,
  IR_FEAT_KEXEC_REBOOT = 7,
  IR_FEAT_SET_TIME = 8,
  IR_FEAT_SYSCTL_WRITE = 9,
  IR_FEAT_CGROUP_WRITE = 10, /* any write beneath a cgroup mount; clone3 (CLONE_INTO_CGROUP) */
  IR_FEAT_COUNT = 11,
};

/* What a namespace's audit section asks for. */
#define IR_AUDIT_DENIALS 1u       /* every denial */
#define IR_AUDIT_DEVICES_ALL 2u   /* every device open/ioctl, allowed or not */
#define IR_AUDIT_DEVICES_RULES 4u /* device accesses whose rule says audit: true */

struct ir_namespace_rule {
  __u32 ns_id;
  __u32 generation;    /* policy generation, echoed in audit events */
  __u8 device_default; /* enum ir_effect */
  __u8 ioctl_default;  /* enum ir_effect */
  __u8 audit;          /* IR_AUDIT_* */
  __u8 pad0;
  __u32 pad1;
  __u64 kernel_deny; /* 1 << enum ir_feature */
};

struct ir_device_rule {
  __u32 rule_id; /* index into the compiled policy's rule table (file:line) */
  __u8 effect;   /* enum ir_effect */
  __u8 access;   /* IR_ACC_* this rule covers; other accesses fall to the next key */
  __u8 audit;    /* 1: log every access this rule decides */
  __u8 pad;
};

#define IR_IOCTL_RANGES_PER_CHUNK 8
#define IR_IOCTL_MAX_CHUNKS 8

struct ir_ioctl_range {
  __u32 lo, hi; /* inclusive command range */
  __u32 rule_id;
  __u8 effect;
  __u8 audit;
  __u16 pad;
};

/* Ranges of one (namespace, device key): non-overlapping (the compiler resolves overlaps, deny
 * winning), first match decides; count < IR_IOCTL_RANGES_PER_CHUNK means no further chunk. */
struct ir_ioctl_chunk {
  __u32 count;
  __u32 pad;
  struct ir_ioctl_range ranges[IR_IOCTL_RANGES_PER_CHUNK];
};

struct ir_rule_value {
  union {
    struct ir_namespace_rule ns; /* IR_RULE_CGROUP and IR_RULE_NAMESPACE */
    struct ir_device_rule dev;
    struct ir_ioctl_chunk ioctl;
  };
};

enum ir_event_kind {
  IR_EV_DEVICE_OPEN = 1,
  IR_EV_DEVICE_MKNOD = 2,
  IR_EV_IOCTL = 3,
  IR_EV_FEATURE = 4,
};

/* Which kernel mechanism decided. */
enum ir_layer {
  IR_LAYER_LSM = 1,
  IR_LAYER_CGROUP_DEV = 2,
  IR_LAYER_SOCK_CREATE = 3,
  IR_LAYER_SYSCTL = 4,
  IR_LAYER_SECCOMP = 5, /* seen after the fact on sys_exit: seccomp itself cannot report */
  IR_LAYER_LANDLOCK = 6,
};

#define IR_RULE_DEFAULT 0xFFFFFFFFu /* rule_id when the namespace default decided */
#define IR_PATH_MAX 128

struct ir_audit_event {
  __u64 boot_ns; /* bpf_ktime_get_boot_ns(); the agent converts to wall time */
  __u32 ns_id;
  __u32 generation;
  __u32 pid; /* thread group id */
  __u32 tid;
  __u32 rule_id;
  __u16 kind;     /* enum ir_event_kind */
  __u8 decision;  /* enum ir_effect */
  __u8 layer;     /* enum ir_layer */
  __u32 dev_type; /* IR_DEV_* or 0 */
  __u32 major;
  __u32 minor;
  __u32 access; /* IR_ACC_* */
  __u32 ioctl_cmd;
  __u32 feature; /* enum ir_feature for IR_EV_FEATURE */
  __s64 detail;  /* feature-specific: syscall nr, socket family/type, ptrace mode */
  char comm[16];
  char path[IR_PATH_MAX]; /* device path when the hook can name it, else empty */
};

enum ir_counter {
  IR_COUNTER_AUDIT_LOST = 0, /* ring buffer full: events dropped (reported, never silent) */
  IR_COUNTER_DENIED = 1,
  IR_COUNTER_ALLOWED_AUDITED = 2,
  IR_COUNTER_MAX = 4,
};

#endif
