/* SPDX-License-Identifier: GPL-2.0 */
/* NtQueryPerformanceCounter, NtYieldExecution and NtDelayExecution, as ntcore's
 * src/system/nt_query_performance_counter.cpp (with system/nt_time.h) and src/sync/
 * nt_yield_execution.cpp, nt_delay_execution.cpp serve them. */
#ifndef IREACTOR_NT_TIME_SYNC_BPF_H
#define IREACTOR_NT_TIME_SYNC_BPF_H

#include "nt_defs.bpf.h"
#include "ntgate_kernel.bpf.h"
#include "user_memory.bpf.h"

/* CLOCK_MONOTONIC, the clock of the performance counter and of relative delays. */
static __always_inline __u64 monotonic_ns(void) {
  return bpf_ktime_get_ns();
}

/* NtQueryPerformanceCounter(PerformanceCounter, PerformanceFrequency): the counter is
 * required (NULL is an access violation), the frequency optional. */
static __always_inline __s64 nt_query_performance_counter(struct nt_call_ctx* ctx) {
  const __u64 counter = ctx->args[0], frequency = ctx->args[1];
  const __s64 ticks = (__s64)(monotonic_ns() / NT_NANOSECONDS_PER_TICK);
  if (!write_user_s64(ctx, counter, ticks)) return STATUS_ACCESS_VIOLATION;
  if (frequency && !write_user_s64(ctx, frequency, NT_PERFORMANCE_FREQUENCY))
    return STATUS_ACCESS_VIOLATION;
  return STATUS_SUCCESS;
}

/* NtYieldExecution(): whether another task ran. */
static __always_inline __s64 nt_yield_execution(struct nt_call_ctx* ctx) {
  return bpf_ntgate_yield(ctx) ? STATUS_SUCCESS : STATUS_NO_YIELD_PERFORMED;
}

/* NtDelayExecution(Alertable, DelayInterval). Alertable changes nothing (userspace has no APCs
 * to deliver either). Zero yields; a relative (negative) interval sleeps on the monotonic clock
 * from now, in whole ticks, as userspace does. Absolute times, and delays longer than
 * max_delay_ns, are userspace's: a task asleep in the kernel runs no signal handler and does
 * not stop until it wakes. */
static __always_inline __s64 nt_delay_execution(struct nt_call_ctx* ctx, __u64 max_delay_ns) {
  __s64 interval;
  if (!read_user_s64(ctx, ctx->args[1], &interval)) return STATUS_ACCESS_VIOLATION;
  if (interval == 0) return nt_yield_execution(ctx);
  if (interval > 0) return NTGATE_UNHANDLED;
  const __u64 ticks = 0 - (__u64)interval;
  if (ticks > max_delay_ns / NT_NANOSECONDS_PER_TICK) return NTGATE_UNHANDLED;
  const __u64 start = monotonic_ns() / NT_NANOSECONDS_PER_TICK;
  /* Only a fatal signal cuts the sleep short: the process is going, the status is moot. */
  if (bpf_ntgate_sleep_until(ctx, (start + ticks) * NT_NANOSECONDS_PER_TICK))
    return NTGATE_UNHANDLED;
  return STATUS_SUCCESS;
}

#endif /* IREACTOR_NT_TIME_SYNC_BPF_H */
