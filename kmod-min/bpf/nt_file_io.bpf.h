/* SPDX-License-Identifier: GPL-2.0 */
/* NtReadFile and NtWriteFile on synchronous Disk files, step for step as ntcore's
 * src/io/nt_read_file.cpp and nt_write_file.cpp (with file_offset.h's offset rules), so a status
 * never depends on which side served the call. A synchronous handle's position is its fd's f_pos
 * (the handle agreement in docs/kmod.md), which the kfuncs read and move.
 *
 * Whatever the kernel does not serve returns NTGATE_UNHANDLED before anything has changed:
 * an Event or APC routine; handles that are not synchronous files, are directories, or are
 * streams (pipes, ttys, sockets, inherited descriptors: their reads and writes may block for as
 * long as the other end likes, and a program blocked in the kernel holds up a replacement or a
 * detach, docs/kmod.md); and every failed transfer (nothing moved, so userspace does it again
 * and words the failure as it always does). */
#ifndef IREACTOR_NT_FILE_IO_BPF_H
#define IREACTOR_NT_FILE_IO_BPF_H

#include "nt_defs.bpf.h"
#include "ntgate_kernel.bpf.h"
#include "user_memory.bpf.h"

/* The handle behind a read, write or query when the kernel may serve it: a file object with an
 * fd, not a directory. */
static __always_inline int lookup_file(struct nt_call_ctx* ctx, __u64 handle,
                                       struct ntgate_handle* h) {
  if (bpf_ntgate_handle(ctx, handle, h, sizeof(*h))) return 0;
  if (h->fd < 0) return 0;
  return (h->flags & (NTGATE_HANDLE_FILE | NTGATE_HANDLE_DIRECTORY)) == NTGATE_HANDLE_FILE;
}

/* ... and for reads and writes, a synchronous Disk file. */
static __always_inline int lookup_sync_disk_file(struct nt_call_ctx* ctx, __u64 handle,
                                                 struct ntgate_handle* h) {
  const __u32 sync_disk = NTGATE_HANDLE_SYNCHRONOUS | NTGATE_HANDLE_DISK;
  return lookup_file(ctx, handle, h) && (h->flags & sync_disk) == sync_disk;
}

/* file_offset.h's IoOffset for a synchronous handle. */
struct io_where {
  __s64 offset;     /* explicit offset */
  int at_end;       /* FILE_WRITE_TO_END_OF_FILE */
  int use_position; /* no ByteOffset, or FILE_USE_FILE_POINTER_POSITION: at f_pos */
};

/* choose_offset(): STATUS_SUCCESS or the status to return. */
static __always_inline __s64 choose_offset(struct nt_call_ctx* ctx, __u64 byte_offset,
                                           int for_write, struct io_where* w) {
  w->offset = 0;
  w->at_end = 0;
  w->use_position = 0;
  if (!byte_offset) {
    w->use_position = 1;
    return STATUS_SUCCESS;
  }
  __s64 v;
  if (!read_user_s64(ctx, byte_offset, &v)) return STATUS_ACCESS_VIOLATION;
  if (v >= 0) {
    w->offset = v;
    return STATUS_SUCCESS;
  }
  if (v == FILE_WRITE_TO_END_OF_FILE && for_write) {
    w->at_end = 1;
    return STATUS_SUCCESS;
  }
  if (v == FILE_USE_FILE_POINTER_POSITION) { /* the handle is synchronous */
    w->use_position = 1;
    return STATUS_SUCCESS;
  }
  return STATUS_INVALID_PARAMETER;
}

/* The IO_STATUS_BLOCK and buffer checks the services make after the handle's, as ntcore's
 * probe_user calls: STATUS_SUCCESS or STATUS_ACCESS_VIOLATION. `buffer_written`: the service
 * fills the buffer (reads, queries) rather than reading it (writes). */
static __always_inline __s64 probe_io_buffers(struct nt_call_ctx* ctx, __u64 iosb, __u64 buf,
                                              __u32 len, int buffer_written) {
  if (!probe_user_pair(ctx, iosb, sizeof(struct nt_io_status_block), 1, buf, len, buffer_written))
    return STATUS_ACCESS_VIOLATION;
  return STATUS_SUCCESS;
}

/* NtReadFile and NtWriteFile take the same arguments: (FileHandle, Event, ApcRoutine,
 * ApcContext, IoStatusBlock, Buffer, Length, ByteOffset, Key). */
struct io_call {
  struct ntgate_handle h;
  struct io_where w;
  __u64 iosb, buf;
  __u32 len;
};

/* What both services check before any transfer, in ntcore's order: STATUS_SUCCESS with `c`
 * filled, or the call's answer (NTGATE_UNHANDLED for what the kernel leaves to userspace). */
static __always_inline __s64 begin_io(struct nt_call_ctx* ctx, int write, struct io_call* c) {
  const __u64 handle = ctx->args[0], event = ctx->args[1], apc = ctx->args[2];
  const __u64 byte_offset = ctx->args[7];
  c->iosb = ctx->args[4];
  c->buf = ctx->args[5];
  c->len = (__u32)ctx->args[6];
  if (event || apc) return NTGATE_UNHANDLED;
  if (!lookup_sync_disk_file(ctx, handle, &c->h)) return NTGATE_UNHANDLED;
  const __u32 needed = write ? FILE_WRITE_DATA | FILE_APPEND_DATA : FILE_READ_DATA;
  if (!(c->h.access & needed)) return STATUS_ACCESS_DENIED;
  __s64 s = probe_io_buffers(ctx, c->iosb, c->buf, c->len, !write);
  if (s != STATUS_SUCCESS) return s;
  return choose_offset(ctx, byte_offset, write, &c->w);
}

static __always_inline __s64 nt_read_file(struct nt_call_ctx* ctx) {
  struct io_call c;
  __s64 s = begin_io(ctx, 0, &c);
  if (s != STATUS_SUCCESS) return s;

  if (c.len == 0) {
    /* Nothing to read; an explicit offset still becomes the position. */
    if (!c.w.use_position &&
        ntgate_read(ctx, c.h.fd, c.buf, 0, c.w.offset, NTGATE_IO_SET_POSITION) < 0)
      return NTGATE_UNHANDLED;
    write_io_status(ctx, c.iosb, STATUS_SUCCESS, 0);
    return STATUS_SUCCESS;
  }
  /* The position moves only when something was read: at or past the end the read fails with
   * STATUS_END_OF_FILE and leaves the position (and the IO_STATUS_BLOCK) as they were. */
  const __s64 r = c.w.use_position ? ntgate_read(ctx, c.h.fd, c.buf, c.len, NTGATE_AT_POSITION, 0)
                                   : ntgate_read(ctx, c.h.fd, c.buf, c.len, c.w.offset,
                                                 NTGATE_IO_SET_POSITION_IF_MOVED);
  if (r < 0) return NTGATE_UNHANDLED;
  if (r == 0) return STATUS_END_OF_FILE;
  write_io_status(ctx, c.iosb, STATUS_SUCCESS, r);
  return STATUS_SUCCESS;
}

static __always_inline __s64 nt_write_file(struct nt_call_ctx* ctx) {
  struct io_call c;
  __s64 s = begin_io(ctx, 1, &c);
  if (s != STATUS_SUCCESS) return s;

  /* A handle that may only append writes at the end whatever offset it names. */
  const int append = c.w.at_end || !(c.h.access & FILE_WRITE_DATA);
  if (c.len == 0) {
    if (!c.w.use_position) {
      /* Userspace leaves the position at the offset named (0 for FILE_WRITE_TO_END_OF_FILE):
       * the rare end-of-file case stays with it. */
      if (c.w.at_end) return NTGATE_UNHANDLED;
      if (ntgate_write(ctx, c.h.fd, c.buf, 0, c.w.offset, NTGATE_IO_SET_POSITION) < 0)
        return NTGATE_UNHANDLED;
    }
    write_io_status(ctx, c.iosb, STATUS_SUCCESS, 0);
    return STATUS_SUCCESS;
  }
  __s64 r;
  if (c.w.use_position && !append)
    r = ntgate_write(ctx, c.h.fd, c.buf, c.len, NTGATE_AT_POSITION, 0);
  else if (append) /* and f_pos after the data, as userspace's pwritev2(-1, RWF_APPEND) */
    r = ntgate_write(ctx, c.h.fd, c.buf, c.len, NTGATE_AT_END, NTGATE_IO_SET_POSITION);
  else
    r = ntgate_write(ctx, c.h.fd, c.buf, c.len, c.w.offset, NTGATE_IO_SET_POSITION);
  if (r < 0) return NTGATE_UNHANDLED;
  write_io_status(ctx, c.iosb, STATUS_SUCCESS, r);
  return STATUS_SUCCESS;
}

#endif /* IREACTOR_NT_FILE_IO_BPF_H */
