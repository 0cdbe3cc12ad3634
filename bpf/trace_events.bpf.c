// SPDX-License-Identifier: GPL-2.0
/* NT call events for `ireactor trace`: on the dispatcher's USDT probes (ireactor:nt_enter,
 * ireactor:nt_exit) it filters by namespace, process and service in the kernel, captures each
 * call's arguments and what they point to (paths, handles, offsets, the IO_STATUS_BLOCK) as the
 * per-service spec from userspace says, and sends one event per call through a ring buffer
 * (trace_events_abi.h). Loaded per `ireactor trace` session, never pinned. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

#include "trace_events_abi.h"

char LICENSE[] SEC("license") = "GPL";

/* Filters, fixed at load so the verifier drops what is off. */
const volatile __u32 filter_pid = 0; /* tgid; 0: every process */
const volatile bool filter_ns_on = false;
const volatile __u32 filter_ns = 0;
const volatile bool filter_services_on = false; /* wanted_services holds the set */
const volatile bool failed_only = false;        /* only calls returning !NT_SUCCESS */

struct ir_trace_counters counters;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 << 20);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, IR_TRACE_MAX_SERVICE_IDS);
  __type(key, __u32);
  __type(value, struct ir_trace_spec);
} specs SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, IR_TRACE_MAX_SERVICE_IDS);
  __type(key, __u32);
  __type(value, __u8);
} wanted_services SEC(".maps");

/* The call each thread is in, between entry and return. LRU: calls that never return
 * (NtTerminateThread) leave entries that must not fill it. */
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32);
  __type(value, struct ir_trace_event);
} in_flight SEC(".maps");

/* Where an event is put together: too large for the BPF stack. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct ir_trace_event);
} scratch SEC(".maps");

/* The dispatcher's SyscallFrame (ntcore/include/ireactor/dispatcher.h). */
struct frame {
  __u64 arg[4];
  __u64 user_stack_args;
};

struct unicode_string {
  __u16 length; /* bytes */
  __u16 maximum_length;
  __u32 pad;
  __u64 buffer;
};

struct object_attributes {
  __u32 length;
  __u32 pad;
  __u64 root_directory;
  __u64 object_name; /* UNICODE_STRING* */
  __u32 attributes;
  __u32 pad2;
  __u64 security_descriptor;
  __u64 security_quality_of_service;
};

struct io_status_block {
  __u64 status; /* NTSTATUS in the low half (a union with a pointer) */
  __u64 information;
};

static __always_inline bool wanted(__u16 service, __u32 ns_id) {
  if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid) return false;
  if (filter_ns_on && ns_id != filter_ns) return false;
  if (filter_services_on) {
    __u32 key = service;
    __u8* on = bpf_map_lookup_elem(&wanted_services, &key);
    if (!on || !*on) return false;
  }
  return true;
}

/* The event's one string: `length` bytes of UTF-16 at `buffer`, cut to what str holds. */
static __always_inline void read_utf16(struct ir_trace_event* ev, __u64 buffer, __u32 length) {
  __u32 bytes = length & ~1u;
  if (bytes > sizeof(ev->str)) {
    bytes = sizeof(ev->str);
    ev->flags |= IR_EV_STR_TRUNCATED;
  }
  ev->flags |= IR_EV_HAS_STR;
  if (bytes == 0) return;
  if (bpf_probe_read_user(ev->str, bytes, (void*)buffer)) {
    ev->flags |= IR_EV_STR_FAULT;
    return;
  }
  ev->str_len = bytes / 2;
}

static __always_inline void read_string(struct ir_trace_event* ev, __u64 ustr) {
  struct unicode_string us;
  if (!ustr || bpf_probe_read_user(&us, sizeof(us), (void*)ustr)) {
    if (ustr) ev->flags |= IR_EV_STR_FAULT;
    return;
  }
  read_utf16(ev, us.buffer, us.length);
}

/* FILE_RENAME_INFORMATION and FILE_LINK_INFORMATION (x64): flags at 0, RootDirectory at 8,
 * FileNameLength (bytes) at 16, FileName at 20. */
#define FILE_RENAME_INFORMATION 10
#define FILE_LINK_INFORMATION 11
#define FILE_RENAME_INFORMATION_EX 65
#define FILE_LINK_INFORMATION_EX 72

static __always_inline void read_file_info_name(struct ir_trace_event* ev, __u64 info, __u32 cls,
                                                __u64* root) {
  if (cls != FILE_RENAME_INFORMATION && cls != FILE_LINK_INFORMATION &&
      cls != FILE_RENAME_INFORMATION_EX && cls != FILE_LINK_INFORMATION_EX)
    return;
  struct {
    __u64 root;
    __u32 length;
    __u32 pad;
  } head;
  if (!info || bpf_probe_read_user(&head, sizeof(head), (void*)(info + 8))) {
    if (info) ev->flags |= IR_EV_STR_FAULT;
    return;
  }
  *root = head.root;
  read_utf16(ev, info + 20, head.length);
}

static __always_inline void read_handles(struct ir_trace_event* ev, __u64 count, __u64 ptr) {
  if (count > IR_TRACE_MAX_LIST) count = IR_TRACE_MAX_LIST;
  if (!ptr || count == 0) return;
  if (bpf_probe_read_user(ev->list, count * sizeof(__u64), (void*)ptr) == 0) ev->list_len = count;
}

static __always_inline __u64 read_u64(__u64 ptr) {
  __u64 v = 0;
  if (ptr) bpf_probe_read_user(&v, sizeof(v), (void*)ptr);
  return v;
}

static __always_inline __u64 read_u32(__u64 ptr) {
  __u32 v = 0;
  if (ptr) bpf_probe_read_user(&v, sizeof(v), (void*)ptr);
  return v;
}

/* Entry: the arguments and what they point to on entry. */
static __always_inline void capture_entry(struct ir_trace_event* ev,
                                          const struct ir_trace_spec* spec) {
  for (int i = 0; i < IR_TRACE_MAX_ARGS; i++) {
    if (i >= ev->nargs) break;
    __u64 a = ev->args[i];
    switch (spec->capture[i]) {
      case IR_CAP_IN_U64:
      case IR_CAP_INOUT_U64:
        ev->in_val[i] = read_u64(a);
        break;
      case IR_CAP_IN_U32:
        ev->in_val[i] = read_u32(a);
        break;
      case IR_CAP_OBJATTR: {
        struct object_attributes oa;
        if (!a || bpf_probe_read_user(&oa, sizeof(oa), (void*)a)) break;
        ev->in_val[i] = oa.root_directory;
        ev->out_val[i] = oa.attributes;
        if (!(ev->flags & IR_EV_HAS_STR)) read_string(ev, oa.object_name);
        break;
      }
      case IR_CAP_USTRING:
        if (!(ev->flags & IR_EV_HAS_STR)) read_string(ev, a);
        break;
      case IR_CAP_HANDLES: {
        __u32 c = spec->list_count_arg;
        if (c < IR_TRACE_MAX_ARGS) read_handles(ev, ev->args[c], a);
        break;
      }
      case IR_CAP_FILE_INFO_NAME: {
        __u32 c = spec->class_arg;
        if (c < IR_TRACE_MAX_ARGS && !(ev->flags & IR_EV_HAS_STR))
          read_file_info_name(ev, a, (__u32)ev->args[c], &ev->in_val[i]);
        break;
      }
      default:
        break;
    }
  }
}

/* Return: what the call wrote behind its out arguments. */
static __always_inline void capture_exit(struct ir_trace_event* ev,
                                         const struct ir_trace_spec* spec) {
  for (int i = 0; i < IR_TRACE_MAX_ARGS; i++) {
    if (i >= ev->nargs) break;
    __u64 a = ev->args[i];
    switch (spec->capture[i]) {
      case IR_CAP_OUT_U64:
      case IR_CAP_INOUT_U64:
        ev->out_val[i] = read_u64(a);
        break;
      case IR_CAP_OUT_U32:
        ev->out_val[i] = read_u32(a);
        break;
      case IR_CAP_IOSB: {
        struct io_status_block iosb = {};
        if (a && bpf_probe_read_user(&iosb, sizeof(iosb), (void*)a) == 0) {
          ev->in_val[i] = (__u32)iosb.status;
          ev->out_val[i] = iosb.information;
        }
        break;
      }
      default:
        break;
    }
  }
}

static const struct ir_trace_spec kRegistersOnly = {.nargs = 4};

static __always_inline const struct ir_trace_spec* spec_of(__u16 service) {
  __u32 key = service;
  const struct ir_trace_spec* spec = bpf_map_lookup_elem(&specs, &key);
  return spec && (spec->flags & IR_SPEC_KNOWN) ? spec : &kRegistersOnly;
}

/* The reader is woken only once a quarter of the buffer waits (it also drains on a short timer):
 * a wakeup per event would cost the traced program more than the event itself. */
static __always_inline void send(struct ir_trace_event* ev) {
  __u64 wake = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > (2 << 20) ? BPF_RB_FORCE_WAKEUP
                                                                         : BPF_RB_NO_WAKEUP;
  if (bpf_ringbuf_output(&events, ev, sizeof(*ev), wake))
    __sync_fetch_and_add(&counters.lost, 1);
  else
    __sync_fetch_and_add(&counters.sent, 1);
}

SEC("usdt")
int BPF_USDT(nt_enter, __u16 service, __u32 number, __u32 ns_id, void* frame_ptr) {
  if (!wanted(service, ns_id)) return 0;
  __u32 zero = 0;
  struct ir_trace_event* ev = bpf_map_lookup_elem(&scratch, &zero);
  if (!ev) return 0;
  const struct ir_trace_spec* spec = spec_of(service);

  __builtin_memset(ev, 0, sizeof(*ev));
  ev->start_ns = bpf_ktime_get_ns(); /* the on-entry report's time */
  __u64 pid_tgid = bpf_get_current_pid_tgid();
  ev->pid = pid_tgid >> 32;
  ev->tid = (__u32)pid_tgid;
  ev->ns_id = ns_id;
  ev->number = number;
  ev->service = service;
  ev->nargs = spec->nargs > IR_TRACE_MAX_ARGS ? IR_TRACE_MAX_ARGS : spec->nargs;
  bpf_get_current_comm(ev->comm, sizeof(ev->comm));

  struct frame f;
  if (bpf_probe_read_user(&f, sizeof(f), frame_ptr)) return 0;
  for (int i = 0; i < 4; i++) ev->args[i] = f.arg[i];
  for (int i = 4; i < IR_TRACE_MAX_ARGS; i++) {
    if (i >= ev->nargs) break;
    if (bpf_probe_read_user(&ev->args[i], sizeof(__u64),
                            (void*)(f.user_stack_args + (i - 4) * sizeof(__u64)))) {
      ev->flags |= IR_EV_ARGS_FAULT;
      break;
    }
  }
  capture_entry(ev, spec);

  if (spec->flags & IR_SPEC_NORETURN) {
    ev->flags |= IR_EV_ENTRY;
    if (!failed_only) send(ev);
    ev->flags &= ~IR_EV_ENTRY;
  }
  ev->start_ns = bpf_ktime_get_ns(); /* again: the duration leaves out the capture above */
  if (bpf_map_update_elem(&in_flight, &ev->tid, ev, BPF_ANY))
    __sync_fetch_and_add(&counters.untracked, 1);
  return 0;
}

SEC("usdt")
int BPF_USDT(nt_exit, __u16 service, __u32 number, __u32 ns_id, void* frame_ptr, __u32 status) {
  __u64 now = bpf_ktime_get_ns();
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  struct ir_trace_event* ev = bpf_map_lookup_elem(&in_flight, &tid);
  if (!ev) return 0; /* filtered out, or entered before the tracer attached */
  if (ev->number != number || ev->service != service) {
    bpf_map_delete_elem(&in_flight, &tid);
    return 0;
  }
  if (failed_only && !(status >> 31)) {
    bpf_map_delete_elem(&in_flight, &tid);
    return 0;
  }
  ev->status = status;
  ev->duration_ns = now - ev->start_ns;
  capture_exit(ev, spec_of(service));
  send(ev);
  bpf_map_delete_elem(&in_flight, &tid);
  return 0;
}
