/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/ntgate's user ABI: shared by the module (kmod-min/), the runtime's kmod entry
 * (ntcore/loader/entry/) and the struct_ops programs (kmod-min/bpf/). Plain C, fixed-width
 * types, no padding holes: the same bytes on every side.
 *
 * A process of an ireactor namespace opens /dev/ntgate once, attaches (NTGATE_IOC_ATTACH) with
 * its Windows build and the address of its handle mirror, then issues one NTGATE_IOC_CALL per
 * NT system call. The call's result is the NTSTATUS when the attached struct_ops
 * implementation served the call in the kernel, or "unhandled" when the runtime must serve it
 * in userspace (always so when no implementation is attached): see NTGATE_IOC_CALL below.
 */
#ifndef IREACTOR_NTGATE_UAPI_H
#define IREACTOR_NTGATE_UAPI_H

#if defined(__bpf__) && defined(__VMLINUX_H__)
/* A BPF program built on a generated vmlinux.h has the fixed-width types already (including
 * linux/types.h again would redefine some of them) and issues no ioctls. */
#else
#include <linux/ioctl.h>
#include <linux/types.h>
#endif

#define NTGATE_DEVICE_NAME "ntgate"
#define NTGATE_ABI_VERSION 1

/* Arguments carried by a call: enough for every service the kernel may serve (NtReadFile and
 * NtWriteFile take nine). The module reads the first `nargs` and zeroes the rest itself. */
#define NTGATE_MAX_ARGS 12

/* What an implementation's `call` returns to decline a call (kmod-min/include/ntgate_ops.h):
 * above every NTSTATUS (which are 32-bit). NTGATE_IOC_CALL turns it into
 * -NTGATE_ERRNO_UNHANDLED. */
#define NTGATE_UNHANDLED (1LL << 32)

/*
 * NTGATE_IOC_CALL's result. The ioctl system call returns an int: the kernel's sys_ioctl
 * truncates a driver's long to int and the syscall's rax is that int sign-extended. So:
 *   rax in [-4095, -1]   an errno: -NTGATE_ERRNO_UNHANDLED (ENOSYS) when the call is for
 *                        userspace, any other -errno when the ioctl itself failed (EFAULT,
 *                        EINVAL, ENOTCONN, EPERM; docs/kmod.md)
 *   anything else        served: the NTSTATUS is (__u32)rax
 * No NTSTATUS lies in 0xfffff001..0xffffffff (severity 3 with the customer bit and facility
 * 0xfff), so the module treats an implementation's answer there as declined and the two never
 * mix. glibc's ioctl() works as well: -1 with errno, or the NTSTATUS as an int.
 */
#define NTGATE_ERRNO_UNHANDLED 38 /* ENOSYS: "not implemented" in the kernel: serve it */
#define NTGATE_STATUS_MAX 0xfffff000u /* the largest answer that is an NTSTATUS */

/* The handle mirror: an array in the runtime's memory, indexed by HANDLE value >> 2, that the
 * runtime keeps in step with its handle table and the kernel reads (never writes) to turn a file
 * handle into the Linux fd behind it without an upcall. Windows code can write this memory as it
 * can write anything of its process: a forged entry makes the kernel do, on one of the process's
 * own fds, what the process could ask Linux for directly, so it grants nothing new. The kernel
 * checks index < capacity and reads an entry with one user copy. */
struct ntgate_handle {
	__s32 fd;      /* the Linux fd; -1 for a handle the kernel must not serve */
	__u32 access;  /* the ACCESS_MASK granted to the handle */
	__u32 flags;   /* NTGATE_HANDLE_* */
	__u32 reserved;
};

#define NTGATE_HANDLE_FILE 0x1u           /* a file object (I/O on fd) */
#define NTGATE_HANDLE_SYNCHRONOUS 0x2u    /* FILE_SYNCHRONOUS_IO_*: its position is fd's f_pos */
#define NTGATE_HANDLE_DISK 0x4u           /* a regular file: offsets apply (else a stream) */
#define NTGATE_HANDLE_DIRECTORY 0x8u      /* a directory: no data I/O */
#define NTGATE_HANDLE_DELETE_PENDING 0x10u /* FileDispositionInformation set on it */

struct ntgate_attach {
	__u32 abi_version;     /* NTGATE_ABI_VERSION */
	__u32 build;           /* Windows build number (19045, 22621...): picks the numbering */
	__u64 handle_mirror;   /* user address of struct ntgate_handle[handle_capacity] */
	__u32 handle_capacity; /* entries; handles at or past it are never served in the kernel */
	__u32 flags;           /* 0 */
};

struct ntgate_call {
	__u32 number;  /* the NT system call number, in the attached build's numbering */
	__u32 nargs;   /* arguments filled in args[]; the rest are not read (the implementation
	                * sees zeroes) */
	__u64 args[NTGATE_MAX_ARGS];
};

/* Counters and the attached implementation, for `ireactor kmod status`. */
struct ntgate_status {
	__u32 abi_version;
	__u32 attached;        /* 1 when a struct_ops implementation is attached */
	char ops_name[16];     /* its nt_syscall_ops.name, NUL-terminated */
	__u64 generation;      /* bumped on every attach, replacement and detach */
	__u64 calls;           /* NTGATE_IOC_CALLs since the module loaded */
	__u64 handled;         /* ... served in the kernel */
	__u64 unhandled;       /* ... handed back to userspace */
	__u64 ops_calls;       /* calls seen by the implementation attached now */
	__u64 ops_handled;     /* ... that it served */
	__u32 processes;       /* attached /dev/ntgate opens */
	__u32 reserved;
};

/* File I/O done by the struct_ops programs through the bpf_ntgate_read/bpf_ntgate_write kfuncs
 * (kmod-min/include/ntgate_ops.h; docs/kmod.md). A kfunc takes at most five arguments, so the
 * request travels in this struct (on the BPF program's stack). */
struct ntgate_io {
	__s32 fd;       /* the caller's Linux fd (from its handle mirror entry) */
	__u32 flags;    /* NTGATE_IO_* */
	__u64 buf;      /* user address of the data */
	__s64 offset;   /* >= 0: at that byte offset (pread/pwrite); or NTGATE_AT_* */
	__u32 len;      /* bytes */
	__u32 reserved; /* 0 */
};

/* One user memory range for bpf_ntgate_probe_ranges (kmod-min/include/ntgate_ops.h), on the
 * BPF program's stack like struct ntgate_io. */
struct ntgate_user_range {
	__u64 addr;
	__u64 len;      /* 0: always passes */
	__u32 write;    /* nonzero: must be writable too */
	__u32 reserved; /* 0 */
};
#define NTGATE_PROBE_RANGES_MAX 4

/* ntgate_io.offset other than a byte offset: */
#define NTGATE_AT_END (-1LL)      /* write only: append at the end of the file (O_APPEND-like) */
#define NTGATE_AT_POSITION (-2LL) /* at the file's position, advancing it (read(2)/write(2)) */

/* With an explicit offset (or NTGATE_AT_END): leave the file's position just after the bytes
 * transferred, atomically with the transfer (an NT synchronous handle given a ByteOffset). */
#define NTGATE_IO_SET_POSITION 0x1u
/* The same, but only when bytes were transferred: a read at or past the end leaves the
 * position where it was (NtReadFile's STATUS_END_OF_FILE). */
#define NTGATE_IO_SET_POSITION_IF_MOVED 0x2u

/* bpf_ntgate_file_info's answer: what NtQueryInformationFile's basic/standard/position classes
 * need, from vfs_getattr of the fd's file plus its position. */
struct ntgate_file_info {
	__s64 end_of_file;     /* i_size for regular files, 0 otherwise */
	__s64 allocation_size; /* blocks * 512, 0 for directories */
	__s64 position;        /* the file's f_pos */
	__u32 links;           /* nlink */
	__u32 directory;       /* 1 for a directory */
	__u32 mode;            /* st_mode */
	__u32 reserved;
};

#ifdef _IOW
#define NTGATE_IOC_MAGIC 'N'
#define NTGATE_IOC_ATTACH _IOW(NTGATE_IOC_MAGIC, 1, struct ntgate_attach)
#define NTGATE_IOC_CALL _IOW(NTGATE_IOC_MAGIC, 2, struct ntgate_call)
#define NTGATE_IOC_STATUS _IOR(NTGATE_IOC_MAGIC, 3, struct ntgate_status)
#endif

#endif /* IREACTOR_NTGATE_UAPI_H */
