/* SPDX-License-Identifier: GPL-2.0 */
/* NtQueryInformationFile for FilePositionInformation and FileStandardInformation, as ntcore's
 * src/io/nt_query_information_file.cpp answers them; every other class is userspace's. */
#ifndef IREACTOR_NT_QUERY_FILE_BPF_H
#define IREACTOR_NT_QUERY_FILE_BPF_H

#include "nt_defs.bpf.h"
#include "nt_file_io.bpf.h"
#include "ntgate_kernel.bpf.h"
#include "user_memory.bpf.h"

#define NT_S_IFMT 0170000u
#define NT_S_IFREG 0100000u
#define NT_S_IFDIR 0040000u

/* NtQueryInformationFile(FileHandle, IoStatusBlock, FileInformation, Length,
 *                        FileInformationClass) */
static __always_inline __s64 nt_query_information_file(struct nt_call_ctx* ctx) {
  const __u64 handle = ctx->args[0], iosb = ctx->args[1], info = ctx->args[2];
  const __u32 len = (__u32)ctx->args[3], info_class = (__u32)ctx->args[4];

  /* Userspace's order: the class, its length, the buffers, then the handle. A handle the kernel
   * does not serve goes back before the buffers are probed, so userspace makes both checks in
   * its order. */
  __u32 size;
  if (info_class == FilePositionInformation)
    size = sizeof(__s64);
  else if (info_class == FileStandardInformation)
    size = sizeof(struct nt_file_standard_information);
  else
    return NTGATE_UNHANDLED;
  if (len < size) return STATUS_INFO_LENGTH_MISMATCH;

  struct ntgate_handle h;
  if (!lookup_file(ctx, handle, &h)) return NTGATE_UNHANDLED;
  /* The position of a synchronous Disk file is its f_pos; other handles keep theirs elsewhere
   * (asynchronous handles in the runtime, streams in an lseek that may fail). */
  const __u32 sync_disk = NTGATE_HANDLE_SYNCHRONOUS | NTGATE_HANDLE_DISK;
  if (info_class == FilePositionInformation && (h.flags & sync_disk) != sync_disk)
    return NTGATE_UNHANDLED;
  __s64 s = probe_io_buffers(ctx, iosb, info, len, 1);
  if (s != STATUS_SUCCESS) return s;

  struct ntgate_file_info fi;
  if (bpf_ntgate_file_info(ctx, h.fd, &fi, sizeof(fi))) return NTGATE_UNHANDLED;
  int err;
  if (info_class == FilePositionInformation) {
    __s64 position = fi.position;
    err = bpf_ntgate_copy_to_user(ctx, info, &position, sizeof(position));
  } else {
    const __u32 type = fi.mode & NT_S_IFMT;
    const int directory = type == NT_S_IFDIR;
    struct nt_file_standard_information st = {
        .allocation_size = directory ? 0 : fi.allocation_size,
        .end_of_file = type == NT_S_IFREG ? fi.end_of_file : 0,
        .number_of_links = directory ? 1 : fi.links,
        .delete_pending = (h.flags & NTGATE_HANDLE_DELETE_PENDING) != 0,
        .directory = directory,
    };
    err = bpf_ntgate_copy_to_user(ctx, info, &st, sizeof(st));
  }
  if (err) return STATUS_ACCESS_VIOLATION;
  write_io_status(ctx, iosb, STATUS_SUCCESS, size);
  return STATUS_SUCCESS;
}

#endif /* IREACTOR_NT_QUERY_FILE_BPF_H */
