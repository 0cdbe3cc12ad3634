// SPDX-License-Identifier: GPL-2.0
/*
 * The struct_ops type nt_syscall_ops: registration, attach (.reg), live replacement
 * (.update), detach (.unreg). The dispatch of a call to the attached implementation is inline
 * in the CALL ioctl (ntgate_ops_dispatch, ntgate_internal.h).
 *
 * The attached implementation is one pointer protected by RCU Tasks Trace, the flavour BPF
 * itself uses for sleepable programs: readers may sleep (the kfuncs do file I/O), and its read
 * side is a few inline instructions with no barrier, where SRCU's costs two full barriers per
 * call. A call reads the pointer once and runs on what it read, so during a replacement every
 * call is served by the old or the new implementation, never by none; .update and .unreg wait
 * (synchronize_rcu_tasks_trace) for the calls still running the old one before returning,
 * after which BPF may free its programs.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate_trace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "ntgate_internal.h"

DECLARE_WAIT_QUEUE_HEAD(ntgate_detach_wq);
struct ntgate_impl __rcu *ntgate_current;
static DEFINE_MUTEX(ntgate_ops_lock);	/* serialises reg/update/unreg and STATUS */
static u64 ntgate_generation;		/* under ntgate_ops_lock */
static struct btf *ntgate_btf;		/* this module's BTF, for the kfunc filter */

static struct ntgate_impl *ntgate_impl_new(struct nt_syscall_ops *ops)
{
	struct ntgate_impl *impl = kzalloc(sizeof(*impl), GFP_KERNEL);

	if (!impl)
		return NULL;
	impl->stats = alloc_percpu(struct ntgate_impl_stats);
	if (!impl->stats) {
		kfree(impl);
		return NULL;
	}
	impl->ops = ops;
	/* init_member checked the NUL. */
	strscpy(impl->name, ops->name, sizeof(impl->name));
	return impl;
}

static void ntgate_impl_free(struct ntgate_impl *impl)
{
	if (!impl)
		return;
	free_percpu(impl->stats);
	kfree(impl);
}

void ntgate_ops_status(struct ntgate_status *st)
{
	struct ntgate_impl *impl;
	int cpu;

	mutex_lock(&ntgate_ops_lock);
	/* Under the lock no unreg/update can free what we read. */
	impl = rcu_dereference_protected(ntgate_current, lockdep_is_held(&ntgate_ops_lock));
	st->generation = ntgate_generation;
	if (impl) {
		st->attached = 1;
		memcpy(st->ops_name, impl->name, sizeof(st->ops_name));
		for_each_possible_cpu(cpu) {
			struct ntgate_impl_stats *s = per_cpu_ptr(impl->stats, cpu);

			st->ops_calls += READ_ONCE(s->calls);
			st->ops_handled += READ_ONCE(s->handled);
		}
	}
	mutex_unlock(&ntgate_ops_lock);
}

/* Whether the implementation serving ctx is being detached (bpf_ntgate_sleep_until). */
bool ntgate_ops_detaching(const struct nt_call_ctx *ctx)
{
	return READ_ONCE(ctx->impl->detaching);
}

/* kfuncs are for programs implementing this type only (the set is per program type). */
bool ntgate_ops_prog_is_ours(const struct bpf_prog *prog)
{
	return prog->type == BPF_PROG_TYPE_STRUCT_OPS && ntgate_btf &&
	       prog->aux->attach_btf == ntgate_btf;
}

/* --- struct bpf_struct_ops callbacks --- */

static int ntgate_st_init(struct btf *btf)
{
	ntgate_btf = btf;
	return 0;
}

static int ntgate_st_init_member(const struct btf_type *t, const struct btf_member *member,
				 void *kdata, const void *udata)
{
	const struct nt_syscall_ops *uops = udata;
	struct nt_syscall_ops *kops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	if (moff != offsetof(struct nt_syscall_ops, name))
		return 0;	/* `call`: BPF fills it in */
	if (!memchr(uops->name, '\0', sizeof(uops->name)))
		return -EINVAL;
	memcpy(kops->name, uops->name, sizeof(kops->name));
	return 1;
}

static int ntgate_st_validate(void *kdata)
{
	const struct nt_syscall_ops *ops = kdata;

	return ops->call ? 0 : -EINVAL;
}

/* A checked implementation ready to attach (also for maps attached without a link, which skip
 * .validate). */
static int ntgate_impl_prepare(void *kdata, struct ntgate_impl **out)
{
	int err = ntgate_st_validate(kdata);

	if (err)
		return err;
	*out = ntgate_impl_new(kdata);
	return *out ? 0 : -ENOMEM;
}

static int ntgate_st_reg(void *kdata, struct bpf_link *link)
{
	struct ntgate_impl *impl;
	int err = ntgate_impl_prepare(kdata, &impl);

	if (err)
		return err;
	mutex_lock(&ntgate_ops_lock);
	if (rcu_access_pointer(ntgate_current)) {
		err = -EEXIST;
	} else {
		rcu_assign_pointer(ntgate_current, impl);
		ntgate_generation++;
	}
	mutex_unlock(&ntgate_ops_lock);
	if (err)
		ntgate_impl_free(impl);
	return err;
}

static int ntgate_st_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	struct ntgate_impl *impl, *old;
	int err = ntgate_impl_prepare(kdata, &impl);

	if (err)
		return err;
	mutex_lock(&ntgate_ops_lock);
	old = rcu_dereference_protected(ntgate_current, lockdep_is_held(&ntgate_ops_lock));
	if (!old || old->ops != old_kdata) {
		err = -ENOENT;
	} else {
		rcu_assign_pointer(ntgate_current, impl);
		ntgate_generation++;
	}
	mutex_unlock(&ntgate_ops_lock);
	if (err) {
		ntgate_impl_free(impl);
		return err;
	}
	/* Calls that read the old pointer finish before BPF drops the old map. */
	synchronize_rcu_tasks_trace();
	ntgate_impl_free(old);
	return 0;
}

static void ntgate_st_unreg(void *kdata, struct bpf_link *link)
{
	struct ntgate_impl *old;

	mutex_lock(&ntgate_ops_lock);
	old = rcu_dereference_protected(ntgate_current, lockdep_is_held(&ntgate_ops_lock));
	if (old && old->ops == kdata) {
		RCU_INIT_POINTER(ntgate_current, NULL);
		ntgate_generation++;
	} else {
		old = NULL;
	}
	mutex_unlock(&ntgate_ops_lock);
	if (!old)
		return;
	/*
	 * Calls asleep in bpf_ntgate_sleep_until would hold up the detach for as long as they
	 * wait (forever for an infinite wait): wake them, they return -EAGAIN and the runtime
	 * serves the rest. (A replacement waits for them instead: they finish on the old one.)
	 */
	WRITE_ONCE(old->detaching, true);
	wake_up_all(&ntgate_detach_wq);
	synchronize_rcu_tasks_trace();
	ntgate_impl_free(old);
}

static const struct bpf_func_proto *ntgate_get_func_proto(enum bpf_func_id func_id,
							  const struct bpf_prog *prog)
{
	/* The base helpers: maps, bpf_ktime_get_ns (CLOCK_MONOTONIC) and the like. */
	return bpf_base_func_proto(func_id, prog);
}

static bool ntgate_is_valid_access(int off, int size, enum bpf_access_type type,
				   const struct bpf_prog *prog, struct bpf_insn_access_aux *info)
{
	/* The program's own arguments; no btf_struct_access, so *ctx is read-only. */
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_verifier_ops ntgate_verifier_ops = {
	.get_func_proto = ntgate_get_func_proto,
	.is_valid_access = ntgate_is_valid_access,
};

/* What indirect calls through nt_syscall_ops look like, for CFI; never attached. */
static s64 ntgate_stub_call(struct nt_call_ctx *ctx)
{
	return NTGATE_UNHANDLED;
}

static struct nt_syscall_ops ntgate_cfi_stubs = {
	.call = ntgate_stub_call,
};

static struct bpf_struct_ops ntgate_struct_ops = {
	.verifier_ops = &ntgate_verifier_ops,
	.init = ntgate_st_init,
	.init_member = ntgate_st_init_member,
	.validate = ntgate_st_validate,
	.reg = ntgate_st_reg,
	.update = ntgate_st_update,
	.unreg = ntgate_st_unreg,
	.cfi_stubs = &ntgate_cfi_stubs,
	.owner = THIS_MODULE,
	.name = "nt_syscall_ops",
};

int ntgate_ops_register(void)
{
	return register_bpf_struct_ops(&ntgate_struct_ops, nt_syscall_ops);
}
