/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntgate.ko's shared declarations: the per-open-file state and the
 * entry points each file of the module gives the others.
 */
#ifndef NTGATE_INTERNAL_H
#define NTGATE_INTERNAL_H

#include <linux/cgroup.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/types.h>

#include "ntgate_ops.h"

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
bool ntgate_in_namespace(struct cgroup *parent, u64 *id);
int ntgate_check_open(void);

struct bpf_prog;

/* ntgate_ops.c: the struct_ops type and the attached implementation */
int ntgate_ops_register(void);
bool ntgate_ops_prog_is_ours(const struct bpf_prog *prog);
bool ntgate_ops_detaching(const struct nt_call_ctx *ctx);
extern struct wait_queue_head ntgate_detach_wq;
s64 ntgate_ops_dispatch(struct nt_call_ctx *ctx);
void ntgate_ops_status(struct ntgate_status *st);

/* ntgate_kfuncs.c */
int ntgate_kfuncs_register(void);

/* ntgate_user.c: small copies from/to the caller's memory (0 or -EFAULT; dst of a failed
 * copy_in may be partly written) */
int ntgate_copy_in(void *dst, const void __user *src, size_t n);
int ntgate_copy_out(void __user *dst, const void *src, size_t n);

/* ntgate_io.c: the read/write kfuncs' transfer */
s64 ntgate_io_transfer(const struct ntgate_io *io, int rw);

#endif /* NTGATE_INTERNAL_H */
