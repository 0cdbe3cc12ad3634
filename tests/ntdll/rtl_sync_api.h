/* The synchronisation primitives' layouts and the exports rtl_sync.c,
 * rtl_sync_contention.c and rtl_threadpool.c call (ntcore/ntdll/rtl/critical_section.c, srw_lock.c,
 * condition_variable.c, wait_on_address.c). */
#ifndef RTL_SYNC_API_H
#define RTL_SYNC_API_H

#include "nttest.h"

typedef struct RTL_CRITICAL_SECTION {
  PVOID DebugInfo;
  LONG LockCount;
  LONG RecursionCount;
  HANDLE OwningThread;
  HANDLE LockSemaphore;
  ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION;
typedef struct RTL_SRWLOCK {
  PVOID Ptr;
} RTL_SRWLOCK;
typedef struct RTL_CONDITION_VARIABLE {
  PVOID Ptr;
} RTL_CONDITION_VARIABLE;

NTSTATUS NTAPI RtlInitializeCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlDeleteCriticalSection(RTL_CRITICAL_SECTION* cs);
void NTAPI RtlAcquireSRWLockExclusive(RTL_SRWLOCK* lock);
void NTAPI RtlAcquireSRWLockShared(RTL_SRWLOCK* lock);
void NTAPI RtlReleaseSRWLockExclusive(RTL_SRWLOCK* lock);
void NTAPI RtlReleaseSRWLockShared(RTL_SRWLOCK* lock);
NTSTATUS NTAPI RtlSleepConditionVariableCS(RTL_CONDITION_VARIABLE* cv, RTL_CRITICAL_SECTION* cs,
                                           const LARGE_INTEGER* timeout);
NTSTATUS NTAPI RtlSleepConditionVariableSRW(RTL_CONDITION_VARIABLE* cv, RTL_SRWLOCK* lock,
                                            const LARGE_INTEGER* timeout, ULONG flags);
void NTAPI RtlWakeConditionVariable(RTL_CONDITION_VARIABLE* cv);
void NTAPI RtlWakeAllConditionVariable(RTL_CONDITION_VARIABLE* cv);
NTSTATUS NTAPI RtlWaitOnAddress(const void* address, const void* compare, SIZE_T size,
                                const LARGE_INTEGER* timeout);
void NTAPI RtlWakeAddressSingle(const void* address);

#endif
