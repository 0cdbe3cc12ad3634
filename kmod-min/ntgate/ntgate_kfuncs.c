// SPDX-License-Identifier: GPL-2.0
/*
 * The kfuncs nt_syscall_ops programs call. Each takes the program's trusted ctx first: it ties
 * the call to the /dev/ntgate file it came through (handle mirror, build), and it can only be
 * had inside a call, whose task is current. All of them may sleep.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/overflow.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>
#include <linux/stat.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "ntgate_internal.h"

__bpf_kfunc_start_defs();

/*
 * The handle mirror entry for `handle` (Windows ignores a handle's low two tag bits): 0, or
 * -EBADF for handle 0, an index at or past the capacity, or an entry whose fd is negative;
 * -EFAULT when the entry cannot be read; -EINVAL when out__sz is too small. `out` is zeroed on
 * error.
 */
__bpf_kfunc int bpf_ntgate_handle(struct nt_call_ctx *ctx, u64 handle, struct ntgate_handle *out,
				  u32 out__sz)
{
	struct ntgate_file *nf = ctx->file;
	struct ntgate_handle entry;
	u64 index = handle >> 2;
	int err = 0;

	if (out__sz < sizeof(entry))
		return -EINVAL;
	if (!handle || index >= nf->capacity)
		err = -EBADF;
	else if (ntgate_copy_in(&entry, u64_to_user_ptr(nf->mirror + index * sizeof(entry)),
				sizeof(entry)))
		err = -EFAULT;
	else if (entry.fd < 0)
		err = -EBADF;
	if (err) {
		memset(out, 0, out__sz);
		return err;
	}
	memcpy(out, &entry, sizeof(entry));
	memset((char *)out + sizeof(entry), 0, out__sz - sizeof(entry));
	return 0;
}

/* read(2)/pread(2) on the caller's io->fd: bytes read or -errno (ntgate_io.c). */
__bpf_kfunc s64 bpf_ntgate_read(struct nt_call_ctx *ctx, const struct ntgate_io *io, u32 io__sz)
{
	if (io__sz < sizeof(*io))
		return -EINVAL;
	return ntgate_io_transfer(io, READ);
}

/* write(2)/pwrite(2) on the caller's io->fd: bytes written or -errno (ntgate_io.c). */
__bpf_kfunc s64 bpf_ntgate_write(struct nt_call_ctx *ctx, const struct ntgate_io *io,
				 u32 io__sz)
{
	if (io__sz < sizeof(*io))
		return -EINVAL;
	return ntgate_io_transfer(io, WRITE);
}

/*
 * Whether [start, end) lies in mappings of mm with the flags `need`, under its mmap lock. *last
 * is the mapping a previous range ended in (or NULL): a range starting inside it needs no
 * lookup, and each walk of the maple tree costs as much as the rest of the probe. On success,
 * *last is the mapping this range ends in.
 */
static int ntgate_probe_locked(struct mm_struct *mm, unsigned long start, unsigned long end,
			       unsigned long need, struct vm_area_struct **last)
{
	struct vm_area_struct *vma = *last;

	while (start < end) {
		if (!vma || start < vma->vm_start || start >= vma->vm_end)
			vma = vma_lookup(mm, start);
		if (!vma || (vma->vm_flags & need) != need)
			return -EFAULT;
		*last = vma;
		start = vma->vm_end;
	}
	return 0;
}

/* The end of [uaddr, uaddr + len) in *end: 0, or -EFAULT for a range past user space. */
static int ntgate_probe_end(u64 uaddr, u64 len, unsigned long *end)
{
	if (check_add_overflow((unsigned long)uaddr, (unsigned long)len, end) ||
	    !access_ok(u64_to_user_ptr(uaddr), len))
		return -EFAULT;
	return 0;
}

static unsigned long ntgate_probe_need(u32 write)
{
	return VM_READ | (write ? VM_WRITE : 0);
}

/*
 * Whether [uaddr, uaddr + len) is mapped readable (and writable, with `write`) in the caller's
 * memory, without touching it: 0, or -EFAULT (a gap, or a mapping without the access), -EINTR
 * (a fatal signal while waiting for the mmap lock). len 0 always passes. What ntcore's
 * probe_user checks before a transfer, so a buffer that could only be filled in part fails
 * before anything moves, as it does in userspace.
 */
__bpf_kfunc int bpf_ntgate_probe_user(struct nt_call_ctx *ctx, u64 uaddr, u64 len, u32 write)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = NULL;
	unsigned long end;
	int err;

	if (!len)
		return 0;
	err = ntgate_probe_end(uaddr, len, &end);
	if (err)
		return err;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	err = ntgate_probe_locked(mm, uaddr, end, ntgate_probe_need(write), &vma);
	mmap_read_unlock(mm);
	return err;
}

/*
 * bpf_ntgate_probe_user for each of up to NTGATE_PROBE_RANGES_MAX ranges, under one hold of the
 * mmap lock and with one lookup for ranges in the same mapping (an NtReadFile probes its
 * IO_STATUS_BLOCK and its buffer): 0 when all pass; -EFAULT, -EINTR as there; -EINVAL for a
 * size that is not a whole number of ranges, too many, or a nonzero `reserved`.
 */
__bpf_kfunc int bpf_ntgate_probe_ranges(struct nt_call_ctx *ctx,
					const struct ntgate_user_range *ranges, u32 ranges__sz)
{
	unsigned long end[NTGATE_PROBE_RANGES_MAX];
	u32 n = ranges__sz / sizeof(*ranges), i;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = NULL;
	bool any = false;
	int err = 0;

	if (ranges__sz % sizeof(*ranges) || n > NTGATE_PROBE_RANGES_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (ranges[i].reserved)
			return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!ranges[i].len)
			continue;
		err = ntgate_probe_end(ranges[i].addr, ranges[i].len, &end[i]);
		if (err)
			return err;
		any = true;
	}
	if (!any)
		return 0;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for (i = 0; i < n && !err; i++)
		if (ranges[i].len)
			err = ntgate_probe_locked(mm, ranges[i].addr, end[i],
						  ntgate_probe_need(ranges[i].write), &vma);
	mmap_read_unlock(mm);
	return err;
}

/* src__sz bytes of src to the caller's memory at uaddr: 0 or -EFAULT. */
__bpf_kfunc int bpf_ntgate_copy_to_user(struct nt_call_ctx *ctx, u64 uaddr, const void *src,
					u32 src__sz)
{
	return ntgate_copy_out(u64_to_user_ptr(uaddr), src, src__sz);
}

/* dst__sz bytes of the caller's memory at uaddr into dst: 0, or -EFAULT (dst zeroed). */
__bpf_kfunc int bpf_ntgate_copy_from_user(struct nt_call_ctx *ctx, void *dst, u32 dst__sz,
					  u64 uaddr)
{
	if (ntgate_copy_in(dst, u64_to_user_ptr(uaddr), dst__sz)) {
		memset(dst, 0, dst__sz);
		return -EFAULT;
	}
	return 0;
}

/*
 * vfs_getattr(STATX_BASIC_STATS) of the caller's fd plus its position: 0, or -EBADF (no such
 * fd, or an O_PATH one), -EINVAL (out__sz too small), or the getattr error.
 */
__bpf_kfunc int bpf_ntgate_file_info(struct nt_call_ctx *ctx, s32 fd, struct ntgate_file_info *out,
				     u32 out__sz)
{
	struct ntgate_file_info info = {};
	struct kstat st;
	struct file *file;
	int err;

	if (out__sz < sizeof(info))
		return -EINVAL;
	memset(out, 0, out__sz);
	file = fd >= 0 ? fget(fd) : NULL;
	if (!file)
		return -EBADF;
	err = vfs_getattr(&file->f_path, &st, STATX_BASIC_STATS, AT_STATX_SYNC_AS_STAT);
	if (!err) {
		info.end_of_file = S_ISREG(st.mode) ? st.size : 0;
		info.allocation_size = S_ISDIR(st.mode) ? 0 : (s64)st.blocks << 9;
		/* 64-bit loads do not tear; an unlocked look is what lseek(fd, 0, SEEK_CUR) has. */
		info.position = READ_ONCE(file->f_pos);
		info.links = st.nlink;
		info.directory = S_ISDIR(st.mode);
		info.mode = st.mode;
		memcpy(out, &info, sizeof(info));
	}
	fput(file);
	return err;
}

/* NtYieldExecution: 1 when another task ran (the caller was switched out), else 0. */
__bpf_kfunc int bpf_ntgate_yield(struct nt_call_ctx *ctx)
{
	unsigned long switches = current->nvcsw + current->nivcsw;

	yield();
	return current->nvcsw + current->nivcsw != switches;
}

/*
 * Sleep until CLOCK_MONOTONIC reaches deadline_ns, as a non-alertable NT wait: ordinary signals
 * do not end it (they stay pending for userspace), a fatal one does (-EINTR). 0 at the deadline;
 * -EAGAIN early when the implementation is being detached (the runtime waits out the rest).
 */
__bpf_kfunc int bpf_ntgate_sleep_until(struct nt_call_ctx *ctx, u64 deadline_ns)
{
	ktime_t deadline = ns_to_ktime(min_t(u64, deadline_ns, KTIME_MAX));
	u64 slack = rt_or_dl_task(current) ? 0 : current->timer_slack_ns;
	DEFINE_WAIT(wait);
	int ret;

	for (;;) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (ktime_compare(ktime_get(), deadline) >= 0)
			return 0;
		/* Killable, and out of the load average like an idle wait. */
		prepare_to_wait(&ntgate_detach_wq, &wait, TASK_KILLABLE | TASK_NOLOAD);
		if (ntgate_ops_detaching(ctx)) {
			finish_wait(&ntgate_detach_wq, &wait);
			return -EAGAIN;
		}
		ret = schedule_hrtimeout_range(&deadline, slack, HRTIMER_MODE_ABS);
		finish_wait(&ntgate_detach_wq, &wait);
		if (!ret)
			return 0;
		/* Woken early (a fatal signal, a detach, or spuriously): look again. */
	}
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(ntgate_kfunc_ids)
BTF_ID_FLAGS(func, bpf_ntgate_handle, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_read, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_write, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_probe_user, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_probe_ranges, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_copy_to_user, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_copy_from_user, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_file_info, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_yield, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_ntgate_sleep_until, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_KFUNCS_END(ntgate_kfunc_ids)

/* The set is registered for every struct_ops program; only ours may use it. */
static int ntgate_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (!btf_id_set8_contains(&ntgate_kfunc_ids, kfunc_id))
		return 0;
	return ntgate_ops_prog_is_ours(prog) ? 0 : -EACCES;
}

static const struct btf_kfunc_id_set ntgate_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &ntgate_kfunc_ids,
	.filter = ntgate_kfunc_filter,
};

int ntgate_kfuncs_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS, &ntgate_kfunc_set);
}
