// SPDX-License-Identifier: GPL-2.0
/*
 * ntgate.ko: /dev/ntgate, the kernel path of ireactor's NT system calls (docs/kmod.md).
 *
 * A process of an ireactor namespace opens the device, attaches once (NTGATE_IOC_ATTACH: ABI
 * version, Windows build, handle mirror), then issues one NTGATE_IOC_CALL per NT call; the
 * attached nt_syscall_ops implementation (a BPF struct_ops map) serves it or declines it.
 * This file: module init/exit, the misc device, per-file state and the ioctls.
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ntgate_internal.h"

struct ntgate_counters {
	u64 calls;
	u64 handled;
	u64 unhandled;
};

static DEFINE_PER_CPU(struct ntgate_counters, ntgate_counters);
static atomic_t ntgate_processes = ATOMIC_INIT(0);

static int ntgate_open(struct inode *inode, struct file *file)
{
	struct ntgate_file *nf;
	int who = ntgate_check_open();

	if (who < 0)
		return who;
	nf = kzalloc(sizeof(*nf), GFP_KERNEL);
	if (!nf)
		return -ENOMEM;
	mutex_init(&nf->lock);
	nf->status_only = who > 0;
	file->private_data = nf;
	return 0;
}

static int ntgate_release(struct inode *inode, struct file *file)
{
	struct ntgate_file *nf = file->private_data;

	/* The last reference: no ioctl runs on this file any more. */
	if (nf->attached) {
		atomic_dec(&ntgate_processes);
		cgroup_put(nf->parent);
		put_pid(nf->tgid);
	}
	mutex_destroy(&nf->lock);
	kfree(nf);
	return 0;
}

static long ntgate_attach(struct ntgate_file *nf, const void __user *uarg)
{
	struct ntgate_attach at;
	struct cgroup *parent;
	size_t bytes;
	long err;

	if (nf->status_only)
		return -EPERM;
	if (copy_from_user(&at, uarg, sizeof(at)))
		return -EFAULT;
	if (at.abi_version != NTGATE_ABI_VERSION)
		return -EPROTO;
	if (at.flags)
		return -EINVAL;
	bytes = (size_t)at.handle_capacity * sizeof(struct ntgate_handle);
	if (at.handle_capacity && !access_ok(u64_to_user_ptr(at.handle_mirror), bytes))
		return -EFAULT;

	parent = ntgate_parent_get();
	if (IS_ERR(parent))
		return -EPERM;
	if (!ntgate_in_namespace(parent, NULL)) {
		cgroup_put(parent);
		return -EPERM;
	}

	mutex_lock(&nf->lock);
	err = -EBUSY;
	if (nf->attached)
		goto unlock;
	nf->parent = parent;
	nf->tgid = get_pid(task_tgid(current));
	nf->build = at.build;
	nf->capacity = at.handle_capacity;
	nf->mirror = at.handle_mirror;
	/* Calls read the fields above after an acquire load of `attached`. */
	smp_store_release(&nf->attached, true);
	atomic_inc(&ntgate_processes);
	parent = NULL;
	err = 0;
unlock:
	mutex_unlock(&nf->lock);
	if (parent)
		cgroup_put(parent);
	return err;
}

/*
 * The call's number and arguments, read from the caller straight into ctx in one user-access
 * window: no staging copy, and one stac/clac pair (each of which ends a translated block under
 * qemu's TCG). args[] past nargs are zeroed. 0, -EFAULT or -EINVAL.
 */
static __always_inline int ntgate_read_call(struct nt_call_ctx *ctx,
					    const struct ntgate_call __user *uc)
{
	u32 number, nargs, i;

	if (!user_access_begin(uc, sizeof(*uc)))
		return -EFAULT;
	unsafe_get_user(number, &uc->number, fault);
	unsafe_get_user(nargs, &uc->nargs, fault);
	if (nargs > NTGATE_MAX_ARGS) {
		user_access_end();
		return -EINVAL;
	}
	for (i = 0; i < nargs; i++)
		unsafe_get_user(ctx->args[i], &uc->args[i], fault);
	user_access_end();
	for (; i < NTGATE_MAX_ARGS; i++)
		ctx->args[i] = 0;
	ctx->number = number;
	ctx->nargs = nargs;
	return 0;
fault:
	user_access_end();
	return -EFAULT;
}

static long ntgate_call(struct ntgate_file *nf, const struct ntgate_call __user *uc)
{
	/* Every field is written below: spare the kernel's zeroing of the stack (a rep stos). */
	struct nt_call_ctx ctx __uninitialized;
	s64 ret;
	int err;

	if (!smp_load_acquire(&nf->attached))
		return nf->status_only ? -EPERM : -ENOTCONN;
	/* Only the attaching process: the handle mirror is its memory. */
	if (task_tgid(current) != nf->tgid)
		return -EPERM;
	if (!ntgate_in_namespace(nf->parent, &ctx.cgroup_id))
		return -EPERM;
	err = ntgate_read_call(&ctx, uc);
	if (err)
		return err;
	ctx.build = nf->build;
	ctx.tgid = current->tgid;
	ctx.file = nf;
	ctx.impl = NULL;	/* set by the dispatch */

	this_cpu_inc(ntgate_counters.calls);
	ret = ntgate_ops_dispatch(&ctx);
	if (ret == NTGATE_UNHANDLED) {
		this_cpu_inc(ntgate_counters.unhandled);
		return -NTGATE_ERRNO_UNHANDLED;
	}
	this_cpu_inc(ntgate_counters.handled);
	/* sys_ioctl returns an int: hand it the NTSTATUS's 32 bits as one. */
	return (s32)(u32)ret;
}

static long ntgate_status(void __user *uarg)
{
	struct ntgate_status st = {};
	int cpu;

	st.abi_version = NTGATE_ABI_VERSION;
	ntgate_ops_status(&st);
	for_each_possible_cpu(cpu) {
		struct ntgate_counters *c = per_cpu_ptr(&ntgate_counters, cpu);

		st.calls += READ_ONCE(c->calls);
		st.handled += READ_ONCE(c->handled);
		st.unhandled += READ_ONCE(c->unhandled);
	}
	st.processes = atomic_read(&ntgate_processes);
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long ntgate_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ntgate_file *nf = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case NTGATE_IOC_CALL:
		return ntgate_call(nf, uarg);
	case NTGATE_IOC_ATTACH:
		return ntgate_attach(nf, uarg);
	case NTGATE_IOC_STATUS:
		return ntgate_status(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ntgate_fops = {
	.owner = THIS_MODULE,
	.open = ntgate_open,
	.release = ntgate_release,
	.unlocked_ioctl = ntgate_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice ntgate_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = NTGATE_DEVICE_NAME,
	.fops = &ntgate_fops,
	/* Windows programs run as ordinary users; open() checks the namespace instead. */
	.mode = 0666,
};

static int __init ntgate_init(void)
{
	int err;

	BUILD_BUG_ON(NTGATE_ERRNO_UNHANDLED != ENOSYS);
	/* The kfuncs before the type whose programs call them; the device last. */
	err = ntgate_kfuncs_register();
	if (err) {
		pr_err("ntgate: registering kfuncs failed: %d\n", err);
		return err;
	}
	err = ntgate_ops_register();
	if (err) {
		pr_err("ntgate: registering struct_ops nt_syscall_ops failed: %d\n", err);
		return err;
	}
	err = misc_register(&ntgate_dev);
	if (err) {
		pr_err("ntgate: registering /dev/%s failed: %d\n", NTGATE_DEVICE_NAME, err);
		return err;
	}
	return 0;
}

static void __exit ntgate_exit(void)
{
	/* Open files pin the module (fops.owner) and attached maps pin its BTF, so nothing
	 * calls in any more; BPF drops the struct_ops type and kfuncs with the module's BTF. */
	misc_deregister(&ntgate_dev);
}

module_init(ntgate_init);
module_exit(ntgate_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ireactor");
MODULE_DESCRIPTION("ireactor NT system call gate: /dev/ntgate and struct_ops nt_syscall_ops");
MODULE_VERSION("0.1.0");
