/* Condition variables: one pointer used as a wake-up counter. A sleeper notes the counter,
 * releases its lock and waits (RtlWaitOnAddress) for the counter to move; a wake moves it and
 * wakes one or all sleepers. A wake between the release and the wait changes the counter, so the
 * wait returns at once: nothing is lost. Spurious wake-ups are allowed, as on Windows. */
#include "sync_private.h"

void NTAPI RtlAcquireSRWLockExclusive(RTL_SRWLOCK* lock);
void NTAPI RtlAcquireSRWLockShared(RTL_SRWLOCK* lock);
void NTAPI RtlReleaseSRWLockExclusive(RTL_SRWLOCK* lock);
void NTAPI RtlReleaseSRWLockShared(RTL_SRWLOCK* lock);

#ifndef CONDITION_VARIABLE_LOCKMODE_SHARED
#define CONDITION_VARIABLE_LOCKMODE_SHARED 0x1
#endif

static ULONG_PTR* counter(RTL_CONDITION_VARIABLE* cv) {
  return (ULONG_PTR*)&cv->Ptr;
}

NTDLL_EXPORT void NTAPI RtlInitializeConditionVariable(RTL_CONDITION_VARIABLE* cv) {
  cv->Ptr = NULL;
}

NTDLL_EXPORT void NTAPI RtlWakeConditionVariable(RTL_CONDITION_VARIABLE* cv) {
  __atomic_fetch_add(counter(cv), 1, __ATOMIC_SEQ_CST);
  RtlWakeAddressSingle(counter(cv));
}

NTDLL_EXPORT void NTAPI RtlWakeAllConditionVariable(RTL_CONDITION_VARIABLE* cv) {
  __atomic_fetch_add(counter(cv), 1, __ATOMIC_SEQ_CST);
  RtlWakeAddressAll(counter(cv));
}

/* STATUS_SUCCESS when woken, STATUS_TIMEOUT when the timeout passed; the section is held again
 * either way. */
NTDLL_EXPORT NTSTATUS NTAPI RtlSleepConditionVariableCS(RTL_CONDITION_VARIABLE* cv,
                                                        RTL_CRITICAL_SECTION* cs,
                                                        const LARGE_INTEGER* timeout) {
  const ULONG_PTR seen = __atomic_load_n(counter(cv), __ATOMIC_SEQ_CST);
  RtlLeaveCriticalSection(cs);
  const NTSTATUS status = RtlWaitOnAddress(counter(cv), &seen, sizeof seen, timeout);
  RtlEnterCriticalSection(cs);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSleepConditionVariableSRW(RTL_CONDITION_VARIABLE* cv,
                                                         RTL_SRWLOCK* lock,
                                                         const LARGE_INTEGER* timeout,
                                                         ULONG flags) {
  if (flags & ~CONDITION_VARIABLE_LOCKMODE_SHARED) return STATUS_INVALID_PARAMETER_4;
  const BOOL shared = (flags & CONDITION_VARIABLE_LOCKMODE_SHARED) != 0;
  const ULONG_PTR seen = __atomic_load_n(counter(cv), __ATOMIC_SEQ_CST);
  if (shared)
    RtlReleaseSRWLockShared(lock);
  else
    RtlReleaseSRWLockExclusive(lock);
  const NTSTATUS status = RtlWaitOnAddress(counter(cv), &seen, sizeof seen, timeout);
  if (shared)
    RtlAcquireSRWLockShared(lock);
  else
    RtlAcquireSRWLockExclusive(lock);
  return status;
}
