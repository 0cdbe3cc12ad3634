// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_ntgate_read/bpf_ntgate_write's transfer: what read(2), pread(2), write(2), pwrite(2) and
 * pwritev2(RWF_APPEND) do on the caller's fd, with the NT twist that an explicit offset may
 * also move the file position (NTGATE_IO_SET_POSITION), atomically with the transfer.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fsnotify.h>
#include <linux/sched/xacct.h>
#include <linux/uio.h>

#include "ntgate_internal.h"

/* Files without ->read_iter/->write_iter (old drivers): vfs_read/vfs_write's own path. */
static ssize_t ntgate_io_legacy(struct file *file, struct iov_iter *iter, loff_t *ppos, int rw)
{
	size_t count = iov_iter_count(iter);
	char __user *buf = iter_iov_addr(iter);
	ssize_t ret;

	ret = rw_verify_area(rw, file, ppos, count);
	if (ret)
		return ret;
	if (rw == READ) {
		ret = file->f_op->read(file, buf, count, ppos);
		if (ret > 0)
			fsnotify_access(file);
	} else {
		file_start_write(file);
		ret = file->f_op->write(file, buf, count, ppos);
		if (ret > 0)
			fsnotify_modify(file);
		file_end_write(file);
	}
	return ret;
}

static ssize_t ntgate_io_do(struct file *file, struct iov_iter *iter, loff_t *ppos, int rw,
			    rwf_t rwflags)
{
	ssize_t ret;

	if (rw == READ) {
		if (file->f_op->read_iter || !file->f_op->read)
			ret = vfs_iter_read(file, iter, ppos, rwflags);
		else
			ret = ntgate_io_legacy(file, iter, ppos, rw);
		if (ret > 0)
			add_rchar(current, ret);
		inc_syscr(current);
	} else {
		if (file->f_op->write_iter || !file->f_op->write)
			ret = vfs_iter_write(file, iter, ppos, rwflags);
		else if (rwflags)
			ret = -EOPNOTSUPP;	/* as pwritev2 says for such files */
		else
			ret = ntgate_io_legacy(file, iter, ppos, rw);
		if (ret > 0)
			add_wchar(current, ret);
		inc_syscw(current);
	}
	return ret;
}

s64 ntgate_io_transfer(const struct ntgate_io *io, int rw)
{
	fmode_t need = rw == READ ? FMODE_READ : FMODE_WRITE;
	fmode_t positional = rw == READ ? FMODE_PREAD : FMODE_PWRITE;
	bool if_moved = io->flags & NTGATE_IO_SET_POSITION_IF_MOVED;
	bool set_pos = (io->flags & NTGATE_IO_SET_POSITION) || if_moved;
	bool locked = false;
	struct iov_iter iter;
	struct file *file;
	loff_t pos = 0, *ppos = &pos;
	rwf_t rwflags = 0;
	s64 ret;

	if (io->flags & ~(NTGATE_IO_SET_POSITION | NTGATE_IO_SET_POSITION_IF_MOVED) ||
	    io->reserved)
		return -EINVAL;
	if (io->offset < 0 && io->offset != NTGATE_AT_POSITION &&
	    !(rw == WRITE && io->offset == NTGATE_AT_END))
		return -EINVAL;
	file = io->fd >= 0 ? fget(io->fd) : NULL;
	if (!file)
		return -EBADF;
	ret = -EBADF;
	if (!(file->f_mode & need))
		goto out;
	ret = -EISDIR;
	if (S_ISDIR(file_inode(file)->i_mode))
		goto out;
	ret = import_ubuf(rw == READ ? ITER_DEST : ITER_SOURCE, u64_to_user_ptr(io->buf), io->len,
			  &iter);
	if (ret)
		goto out;

	if (io->offset >= 0) {
		/* pread/pwrite: only on seekable files. */
		ret = -ESPIPE;
		if (!(file->f_mode & positional))
			goto out;
		pos = io->offset;
	} else if (io->offset == NTGATE_AT_POSITION) {
		set_pos = true;
	} else {
		/* NTGATE_AT_END: generic_write_checks puts the write at i_size under the inode lock. */
		rwflags = RWF_APPEND;
	}
	if (file->f_mode & FMODE_STREAM) {
		/* Pipes, sockets, ttys: no position (read(2) passes none either). */
		ppos = NULL;
		set_pos = false;
	}
	if (set_pos) {
		/* As fdget_pos: a shared file's position moves under its lock. */
		if (file->f_mode & FMODE_ATOMIC_POS) {
			mutex_lock(&file->f_pos_lock);
			locked = true;
		}
		if (io->offset == NTGATE_AT_POSITION)
			pos = file->f_pos;
	}
	ret = ntgate_io_do(file, &iter, ppos, rw, rwflags);
	if (set_pos && (ret > 0 || (ret == 0 && !if_moved)))
		file->f_pos = pos;
	if (locked)
		mutex_unlock(&file->f_pos_lock);
out:
	fput(file);
	return ret;
}
