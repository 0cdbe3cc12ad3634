/* SPDX-License-Identifier: GPL-2.0 */
/* The NT values the hot path returns and reads: the same numbers as ntcore's
 * include/ireactor/nt/status.h, io/file_information.h and address_space.h. */
#ifndef IREACTOR_NT_DEFS_BPF_H
#define IREACTOR_NT_DEFS_BPF_H

#include <linux/types.h>

#define STATUS_SUCCESS 0x00000000LL
#define STATUS_NO_YIELD_PERFORMED 0x40000024LL
#define STATUS_INFO_LENGTH_MISMATCH 0xC0000004LL
#define STATUS_ACCESS_VIOLATION 0xC0000005LL
#define STATUS_INVALID_PARAMETER 0xC000000DLL
#define STATUS_INVALID_DEVICE_REQUEST 0xC0000010LL
#define STATUS_END_OF_FILE 0xC0000011LL
#define STATUS_ACCESS_DENIED 0xC0000022LL
#define STATUS_PIPE_BROKEN 0xC000014BLL

#define FILE_READ_DATA 0x0001u
#define FILE_WRITE_DATA 0x0002u
#define FILE_APPEND_DATA 0x0004u

/* NtReadFile/NtWriteFile ByteOffset values with a meaning of their own. */
#define FILE_WRITE_TO_END_OF_FILE (-1LL)
#define FILE_USE_FILE_POINTER_POSITION (-2LL)

#define FileStandardInformation 5u
#define FilePositionInformation 14u

/* The Windows address space (address_space.h): user pointers outside it are access
 * violations whatever Linux has mapped there. */
#define NT_LOWEST_USER_ADDRESS 0x10000ULL
#define NT_HIGHEST_USER_ADDRESS 0x7FFFFFFEFFFFULL
#define NT_PAGE_SIZE 4096ULL

/* Performance counter: CLOCK_MONOTONIC in 100 ns ticks (nt_time.h). */
#define NT_PERFORMANCE_FREQUENCY 10000000LL
#define NT_NANOSECONDS_PER_TICK 100ULL

struct nt_io_status_block {
  __u32 status; /* the union's NTSTATUS; its upper half (Pointer) written as zero */
  __u32 pointer_high;
  __u64 information;
};

struct nt_file_standard_information {
  __s64 allocation_size;
  __s64 end_of_file;
  __u32 number_of_links;
  __u8 delete_pending;
  __u8 directory;
  __u8 pad[2];
};

#endif /* IREACTOR_NT_DEFS_BPF_H */
