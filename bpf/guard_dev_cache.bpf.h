/* cgroup/dev's cache of the device opens it allowed silently, per namespace cgroup. On a host
 * without BPF LSM cgroup/dev decides every device open in a namespace; the full decision (slot
 * in force, the cgroup's entry, the device's rules: two hash lookups) made an open+close of
 * /dev/null 7-8% dearer than outside a namespace, a cache hit 3-4.5%, of which ~3% is the
 * kernel running any cgroup/dev program (docs/benchmarks.md, issue 3). The cost is pages
 * touched: kernel entries flush the TLB here (PTI, no PCID), so each is a miss.
 * Userspace side: bpf/policy_epoch.cpp. Included by guard.bpf.c only.
 *
 * What is cached: (device, read/write access) opens whose full decision was "allow" with no
 * audit event and no counter, whichever layers run, so that the answer was its only effect.
 * Denials, audited opens and mknod always take the full decision.
 *
 * Why a hit is never stale: policy_epoch counts policy switches; the loader adds one after each
 * switch has flipped policy_active (bpf/guard.cpp: swap_policy). An entry carries the epoch
 * read before the set it was decided from, the cache's header the epoch it was last cleared at,
 * and a hit needs both to equal the epoch read now. A program that read epoch E is done before
 * E + 3 is stored: each switch waits out an RCU grace period begun after the previous flip (the
 * staging in bpf/policy_slots.cpp), and a cgroup program runs in one RCU read section. So the
 * 28 epoch bits of an entry tell a late writer's apart, and the header (all 64 bits) clears
 * entries before those bits could wrap. Between the flip and the increment a hit may still give
 * the old set's answer: the switch has not returned, and a hook sees the old set or the new
 * one, as before. */
#ifndef IREACTOR_BPF_GUARD_DEV_CACHE_BPF_H
#define IREACTOR_BPF_GUARD_DEV_CACHE_BPF_H

#include "guard_common.bpf.h"

#ifndef READ_ONCE
#define READ_ONCE(x) (*(volatile typeof(x)*)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x)*)&(x) = (v))
#endif

#define DEV_CACHE_ENTRIES 32 /* direct-mapped; a namespace opens a handful of device nodes */

/* One 64-bit word per entry, so concurrent writers cannot tear it:
 * bits 0-33 ir_dev_id(type, major, minor), 34-35 read/write access, 36-63 epoch (low bits).
 * Never 0 (type is 1 or 2): a zeroed entry matches nothing. */
struct dev_cache {
  __u64 epoch; /* the epoch the entries were cleared at */
  __u64 entries[DEV_CACHE_ENTRIES];
};

/* Switch counter (guard_abi.h), added to by guard_epoch_bump (guard.bpf.c). Not mmapable: an
 * mmapable array is vmalloc'd, a page of its own to miss in the TLB on every open (kernel
 * entries flush it here: PTI without PCID), ~20 ns more per hit than this kmalloc'd one. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
  __uint(pinning, LIBBPF_PIN_BY_NAME);
} policy_epoch SEC(".maps");

/* Not pinned: each loaded guard has its own, all of them keyed to the one pinned epoch. */
struct {
  __uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct dev_cache);
} dev_cache SEC(".maps");

/* One device open's place in the cache, found before the full decision. */
struct dev_cache_ref {
  struct dev_cache* cache; /* NULL: the cgroup has none yet */
  __u64 epoch;
  __u64 word;
  __u32 index;
};

/* The cgroup bpf_get_current_cgroup_id() names: the one the policy's cgroup entry keys. */
static __always_inline struct cgroup* current_cgroup(void) {
  return bpf_get_current_task_btf()->cgroups->dfl_cgrp;
}

/* True when this open was allowed, silently, under the epoch in force. Reads the epoch before
 * the caller reads the slot in force, which the ordering argument above needs. */
static __always_inline bool dev_cache_hit(struct dev_cache_ref* ref, __u32 type, __u32 major,
                                          __u32 minor, __u32 access) {
  __u32 zero = 0;
  __u64* epoch = bpf_map_lookup_elem(&policy_epoch, &zero);
  ref->cache = NULL;
  if (!epoch) return false;
  ref->epoch = READ_ONCE(*epoch);
  __u64 rw = (access & (IR_ACC_READ | IR_ACC_WRITE)) >> 1;
  ref->word = (ref->epoch << 36) | (rw << 34) | ir_dev_id(type, major, minor);
  ref->index = (minor ^ (minor >> 5) ^ (major << 2) ^ (__u32)rw) & (DEV_CACHE_ENTRIES - 1);
  ref->cache = bpf_cgrp_storage_get(&dev_cache, current_cgroup(), 0, 0);
  if (!ref->cache) return false;
  return READ_ONCE(ref->cache->epoch) == ref->epoch &&
         READ_ONCE(ref->cache->entries[ref->index]) == ref->word;
}

/* Records an open the full decision allowed with no other effect. */
static __always_inline void dev_cache_store(struct dev_cache_ref* ref) {
  struct dev_cache* c = ref->cache;
  if (!c) c = bpf_cgrp_storage_get(&dev_cache, current_cgroup(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!c) return; /* no memory: the next open decides in full again */
  if (READ_ONCE(c->epoch) != ref->epoch) {
    /* Entries first, then the header: a reader that sees the new header sees them cleared. */
    for (int i = 0; i < DEV_CACHE_ENTRIES; i++) WRITE_ONCE(c->entries[i], 0);
    barrier();
    WRITE_ONCE(c->epoch, ref->epoch);
    barrier();
  }
  WRITE_ONCE(c->entries[ref->index & (DEV_CACHE_ENTRIES - 1)], ref->word);
}

#endif
