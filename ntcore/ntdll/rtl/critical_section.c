/* Critical sections with Windows' (Vista+) LockCount encoding: bit 0 set = free, bit 1 clear =
 * a waiter has been woken and not yet retried, the remaining bits the ones' complement of the
 * number of waiters. -1 is free with nobody waiting, -2 held with nobody waiting. The owner's
 * path is one interlocked operation each way; only contention makes system calls, through an
 * auto-reset event created on first contention (LockSemaphore). At most one woken waiter is
 * outstanding (bit 1), so the event never needs to count. */
#include "sync_private.h"

#define CS_FREE 1
#define CS_NOT_WOKEN 2
#define CS_WAITER 4
#define CS_SPIN_MASK 0x00FFFFFF

static RTL_CRITICAL_SECTION_DEBUG* new_debug_info(RTL_CRITICAL_SECTION* cs) {
  PVOID process_heap = ir_peb()->ProcessHeap;
  RTL_CRITICAL_SECTION_DEBUG* d =
      process_heap ? RtlAllocateHeap(process_heap, HEAP_ZERO_MEMORY, sizeof *d) : NULL;
  if (!d) return (RTL_CRITICAL_SECTION_DEBUG*)-1;
  d->CriticalSection = cs;
  d->ProcessLocksList.Flink = d->ProcessLocksList.Blink = &d->ProcessLocksList;
  return d;
}

/* Debug info (used by Windows code that names its sections in DebugInfo->Spare[0]) unless the
 * caller opts out. Spin counts only matter with more than one processor. */
NTDLL_EXPORT NTSTATUS NTAPI RtlInitializeCriticalSectionEx(RTL_CRITICAL_SECTION* cs, ULONG spin,
                                                           ULONG flags) {
  if (flags & RTL_CRITICAL_SECTION_FLAG_RESERVED) return STATUS_INVALID_PARAMETER_3;
  cs->DebugInfo = (flags & RTL_CRITICAL_SECTION_FLAG_NO_DEBUG_INFO)
                      ? (RTL_CRITICAL_SECTION_DEBUG*)-1
                      : new_debug_info(cs);
  cs->LockCount = -1;
  cs->RecursionCount = 0;
  cs->OwningThread = NULL;
  cs->LockSemaphore = NULL;
  cs->SpinCount = ir_peb()->NumberOfProcessors > 1 ? (spin & CS_SPIN_MASK) : 0;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(RTL_CRITICAL_SECTION* cs,
                                                                     ULONG spin) {
  return RtlInitializeCriticalSectionEx(cs, spin, 0);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInitializeCriticalSection(RTL_CRITICAL_SECTION* cs) {
  return RtlInitializeCriticalSectionEx(cs, 0, 0);
}

NTDLL_EXPORT ULONG NTAPI RtlSetCriticalSectionSpinCount(RTL_CRITICAL_SECTION* cs, ULONG spin) {
  const ULONG old = (ULONG)cs->SpinCount;
  cs->SpinCount = ir_peb()->NumberOfProcessors > 1 ? (spin & CS_SPIN_MASK) : 0;
  return old;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteCriticalSection(RTL_CRITICAL_SECTION* cs) {
  if (cs->LockSemaphore) NtClose(cs->LockSemaphore);
  if (cs->DebugInfo && cs->DebugInfo != (RTL_CRITICAL_SECTION_DEBUG*)-1 && ir_peb()->ProcessHeap)
    RtlFreeHeap(ir_peb()->ProcessHeap, 0, cs->DebugInfo);
  cs->DebugInfo = NULL;
  cs->LockCount = -1;
  cs->RecursionCount = 0;
  cs->OwningThread = NULL;
  cs->LockSemaphore = NULL;
  return STATUS_SUCCESS;
}

static BOOL try_take(RTL_CRITICAL_SECTION* cs) {
  return (__atomic_fetch_and(&cs->LockCount, ~CS_FREE, __ATOMIC_ACQUIRE) & CS_FREE) != 0;
}

static void own(RTL_CRITICAL_SECTION* cs, HANDLE self) {
  cs->OwningThread = self;
  cs->RecursionCount = 1;
}

/* The section's event, created by the first thread that has to wait; NULL if that failed (the
 * waiters then poll). */
static HANDLE event_of(RTL_CRITICAL_SECTION* cs) {
  HANDLE event = __atomic_load_n(&cs->LockSemaphore, __ATOMIC_ACQUIRE);
  if (event) return event;
  if (NtCreateEvent(&event, SYNC_EVENT_ALL_ACCESS, NULL, SYNC_SYNCHRONIZATION_EVENT, FALSE) !=
      STATUS_SUCCESS)
    return NULL;
  HANDLE expected = NULL;
  if (!__atomic_compare_exchange_n(&cs->LockSemaphore, &expected, event, FALSE, __ATOMIC_ACQ_REL,
                                   __ATOMIC_ACQUIRE)) {
    NtClose(event);
    event = expected;
  }
  return event;
}

static void wait_contended(RTL_CRITICAL_SECTION* cs, HANDLE self) {
  if (cs->DebugInfo && cs->DebugInfo != (RTL_CRITICAL_SECTION_DEBUG*)-1)
    __atomic_fetch_add(&cs->DebugInfo->ContentionCount, 1, __ATOMIC_RELAXED);
  HANDLE event = event_of(cs);
  if (!event) { /* nothing to sleep on: poll, without joining the waiters */
    LARGE_INTEGER ms = {.QuadPart = -10000};
    while (!try_take(cs)) NtDelayExecution(FALSE, &ms);
    own(cs, self);
    return;
  }
  BOOL woken = FALSE;
  for (;;) {
    LONG old = __atomic_load_n(&cs->LockCount, __ATOMIC_RELAXED);
    /* Free: take it. Held: (re)join the waiters. A woken thread clears the woken mark either way,
     * letting the next release wake someone again. */
    LONG new = (old & CS_FREE) ? (old & ~CS_FREE) : old - CS_WAITER;
    if (woken) new |= CS_NOT_WOKEN;
    if (!__atomic_compare_exchange_n(&cs->LockCount, &old, new, FALSE, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
      continue;
    if (old & CS_FREE) break;
    NtWaitForSingleObject(event, FALSE, NULL);
    woken = TRUE;
  }
  own(cs, self);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION* cs) {
  const HANDLE self = sync_current_tid();
  if (try_take(cs)) {
    own(cs, self);
    return STATUS_SUCCESS;
  }
  if (cs->OwningThread == self) {
    cs->RecursionCount++;
    return STATUS_SUCCESS;
  }
  for (ULONG_PTR spin = cs->SpinCount & CS_SPIN_MASK; spin; --spin) {
    sync_pause();
    if ((__atomic_load_n(&cs->LockCount, __ATOMIC_RELAXED) & CS_FREE) && try_take(cs)) {
      own(cs, self);
      return STATUS_SUCCESS;
    }
  }
  wait_contended(cs, self);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT BOOL NTAPI RtlTryEnterCriticalSection(RTL_CRITICAL_SECTION* cs) {
  const HANDLE self = sync_current_tid();
  if (try_take(cs)) {
    own(cs, self);
    return TRUE;
  }
  if (cs->OwningThread == self) {
    cs->RecursionCount++;
    return TRUE;
  }
  return FALSE;
}

/* Leaving a section one does not hold is a caller bug; it is ignored rather than corrupting. */
NTDLL_EXPORT NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION* cs) {
  if (cs->RecursionCount <= 0) return STATUS_SUCCESS;
  if (--cs->RecursionCount) return STATUS_SUCCESS;
  cs->OwningThread = NULL;
  LONG old = __atomic_load_n(&cs->LockCount, __ATOMIC_RELAXED);
  for (;;) {
    const BOOL wake = ((ULONG)~old >> 2) != 0 && (old & CS_NOT_WOKEN);
    /* Waking: one waiter leaves the count and becomes the woken one. */
    const LONG new =
        wake ? (LONG)(((ULONG)old | CS_FREE) + CS_WAITER - CS_NOT_WOKEN) : (old | CS_FREE);
    if (__atomic_compare_exchange_n(&cs->LockCount, &old, new, FALSE, __ATOMIC_RELEASE,
                                    __ATOMIC_RELAXED)) {
      if (wake && cs->LockSemaphore) NtSetEvent(cs->LockSemaphore, NULL);
      return STATUS_SUCCESS;
    }
  }
}

NTDLL_EXPORT BOOL NTAPI RtlIsCriticalSectionLocked(RTL_CRITICAL_SECTION* cs) {
  return cs->RecursionCount != 0;
}

NTDLL_EXPORT BOOL NTAPI RtlIsCriticalSectionLockedByThread(RTL_CRITICAL_SECTION* cs) {
  return cs->OwningThread == sync_current_tid() && cs->RecursionCount != 0;
}
