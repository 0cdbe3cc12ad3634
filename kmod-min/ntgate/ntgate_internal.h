/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntgate.ko's shared declarations: the per-open-file state and the
 * entry points each file of the module gives the others.
 */
#ifndef NTGATE_INTERNAL_H
#define NTGATE_INTERNAL_H

#include <linux/cgroup.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_trace.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "ntgate_ops.h"
#include "ntgate_user.h"

/* One open of /dev/ntgate. Everything but `lock` is written once, by ATTACH, and published
 * by the release store to `attached`; calls read it after an acquire load. */
struct ntgate_file {
	struct mutex lock;	/* serialises ATTACH */
	bool attached;
	bool status_only;	/* opened from outside the namespaces (by an admin): STATUS only */
	struct pid *tgid;	/* the attaching process: the only one whose calls are served */
	struct cgroup *parent;	/* <cgroup_parent>, held: callers must be strictly below it */
	u32 build;
	u32 capacity;		/* handle mirror entries */
	u64 mirror;		/* user address of struct ntgate_handle[capacity] */
};

/* ntgate_ns.c: namespace membership (cgroup v2 directories below the cgroup_parent param) */
struct cgroup *ntgate_parent_get(void);
int ntgate_check_open(void);

/*
 * Whether current is in a namespace below parent; its cgroup id if so. Every CALL asks, so it
 * is inline and guards the css_set with rcu_read_lock_sched (a preempt count; an RCU reader
 * for the css_set's kfree_rcu since the RCU flavours were merged) rather than rcu_read_lock,
 * two out-of-line calls with PREEMPT_RCU.
 */
static inline bool ntgate_in_namespace(struct cgroup *parent, u64 *id)
{
	struct cgroup *cgrp;
	bool ok;

	rcu_read_lock_sched();
	cgrp = task_dfl_cgroup(current);
	ok = cgrp != parent && cgroup_is_descendant(cgrp, parent);
	if (ok && id)
		*id = cgroup_id(cgrp);
	rcu_read_unlock_sched();
	return ok;
}

struct bpf_prog;

/* ntgate_ops.c: the struct_ops type and the attached implementation */
int ntgate_ops_register(void);
bool ntgate_ops_prog_is_ours(const struct bpf_prog *prog);
bool ntgate_ops_detaching(const struct nt_call_ctx *ctx);
extern struct wait_queue_head ntgate_detach_wq;
void ntgate_ops_status(struct ntgate_status *st);

struct ntgate_impl_stats {
	u64 calls;
	u64 handled;
};

/* One attachment of an implementation: its counters start at zero on attach and replacement. */
struct ntgate_impl {
	struct nt_syscall_ops *ops;	/* the struct_ops map's kernel copy */
	char name[NTGATE_OPS_NAME_LEN];
	struct ntgate_impl_stats __percpu *stats;
	bool detaching;			/* .unreg waits for its calls: cut their sleeps short */
};

/* The attached implementation (ntgate_ops.c has the rules: RCU Tasks Trace). */
extern struct ntgate_impl __rcu *ntgate_current;

/*
 * Runs ctx on the attached implementation: its NTSTATUS, or NTGATE_UNHANDLED when nothing is
 * attached or it declined. Inline in the CALL ioctl: a call and return cost a noticeable share
 * of the whole call under TCG.
 */
static __always_inline s64 ntgate_ops_dispatch(struct nt_call_ctx *ctx)
{
	struct ntgate_impl *impl;
	s64 ret = NTGATE_UNHANDLED;

	rcu_read_lock_trace();
	impl = rcu_dereference_check(ntgate_current, rcu_read_lock_trace_held());
	if (impl) {
		ctx->impl = impl;
		ret = impl->ops->call(ctx);
		this_cpu_inc(impl->stats->calls);
		/* Only an NTSTATUS is an answer (ntgate_uapi.h); anything else declines. */
		if (ret >= 0 && ret <= NTGATE_STATUS_MAX)
			this_cpu_inc(impl->stats->handled);
		else
			ret = NTGATE_UNHANDLED;
	}
	rcu_read_unlock_trace();
	return ret;
}

/* ntgate_kfuncs.c */
int ntgate_kfuncs_register(void);

/* ntgate_io.c: the read/write kfuncs' transfer */
s64 ntgate_io_transfer(const struct ntgate_io *io, int rw);

#endif /* NTGATE_INTERNAL_H */
