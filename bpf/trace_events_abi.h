/* The NT call tracer's event ABI: what bpf/trace_events.bpf.c captures per NT call and sends to
 * userspace (`ireactor trace`), and the per-service capture specs userspace gives it. C, padded
 * explicitly so BPF and C++ agree byte for byte. */
#ifndef IREACTOR_BPF_TRACE_EVENTS_ABI_H
#define IREACTOR_BPF_TRACE_EVENTS_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define IR_TRACE_MAX_ARGS 16 /* arguments captured per call; later ones are not */
#define IR_TRACE_MAX_STR 256 /* UTF-16 code units of the one string a call carries */
#define IR_TRACE_MAX_LIST 8  /* handles of a handle array (NtWaitForMultipleObjects) */
#define IR_TRACE_MAX_SERVICE_IDS 4096
#define IR_TRACE_NO_SERVICE 0xFFFF

/* What the program reads behind an argument (the argument's value is always captured). */
enum ir_trace_capture {
  IR_CAP_VALUE = 0,     /* nothing behind it */
  IR_CAP_IN_U64 = 1,    /* 8 bytes at the pointer on entry (LARGE_INTEGER*, SIZE_T* in) */
  IR_CAP_OUT_U64 = 2,   /* 8 bytes at the pointer on return (HANDLE* out) */
  IR_CAP_INOUT_U64 = 3, /* both (PVOID* BaseAddress, SIZE_T* RegionSize) */
  IR_CAP_OUT_U32 = 4,   /* 4 bytes at the pointer on return (ULONG* ReturnLength) */
  IR_CAP_IOSB = 5,      /* IO_STATUS_BLOCK on return: in_val Status, out_val Information */
  IR_CAP_OBJATTR = 6,   /* OBJECT_ATTRIBUTES on entry: in_val RootDirectory, the string
                           ObjectName, out_val Attributes */
  IR_CAP_USTRING = 7,   /* UNICODE_STRING* on entry: the string */
  IR_CAP_HANDLES = 8,   /* HANDLE array on entry, count in argument spec.list_count_arg */
  IR_CAP_IN_U32 = 9,    /* 4 bytes at the pointer on entry */
  /* NtSetInformationFile's buffer: when the class (argument spec.class_arg) renames or links,
   * the new name as the string and its RootDirectory in in_val. */
  IR_CAP_FILE_INFO_NAME = 10,
};

#define IR_SPEC_NORETURN 0x1 /* the call may not return: also sent on entry */
#define IR_SPEC_KNOWN 0x2    /* the entry holds a signature (otherwise: registers only) */

struct ir_trace_spec {
  __u8 nargs;          /* arguments the service takes (up to IR_TRACE_MAX_ARGS captured) */
  __u8 flags;          /* IR_SPEC_* */
  __u8 list_count_arg; /* the argument holding IR_CAP_HANDLES's count */
  __u8 class_arg;      /* the argument holding IR_CAP_FILE_INFO_NAME's information class */
  __u8 capture[IR_TRACE_MAX_ARGS]; /* enum ir_trace_capture per argument */
};

/* ir_trace_event.flags */
#define IR_EV_ENTRY 0x1         /* sent on entry of a call that may not return: no result */
#define IR_EV_STR_TRUNCATED 0x2 /* the string was longer than IR_TRACE_MAX_STR */
#define IR_EV_STR_FAULT 0x4     /* the string (or its UNICODE_STRING) could not be read */
#define IR_EV_ARGS_FAULT 0x8    /* stack arguments could not be read */
#define IR_EV_HAS_STR 0x10      /* str holds a string */

struct ir_trace_event {
  __u64 start_ns;    /* CLOCK_MONOTONIC (bpf_ktime_get_ns) on entry */
  __u64 duration_ns; /* entry to return; 0 for IR_EV_ENTRY */
  __u32 pid;         /* Linux tgid: the Windows process */
  __u32 tid;
  __u32 ns_id;
  __u32 number;  /* NT number in the process's build */
  __u16 service; /* nt_trace.h's service id, IR_TRACE_NO_SERVICE when the build lacks it */
  __u8 nargs;    /* arguments captured */
  __u8 flags;    /* IR_EV_* */
  __u32 status;  /* returned NTSTATUS */
  __u16 str_len; /* UTF-16 code units in str */
  __u16 list_len;
  __u32 pad;
  __u64 args[IR_TRACE_MAX_ARGS];
  __u64 in_val[IR_TRACE_MAX_ARGS];  /* per ir_trace_capture */
  __u64 out_val[IR_TRACE_MAX_ARGS]; /* per ir_trace_capture */
  __u64 list[IR_TRACE_MAX_LIST];
  char comm[16];
  __u16 str[IR_TRACE_MAX_STR];
};

/* The tracer's counters (its .bss), read by userspace. */
struct ir_trace_counters {
  __u64 sent;
  __u64 lost;      /* ring buffer full: the call was not reported */
  __u64 untracked; /* no room to remember a call between entry and return */
};

#endif
