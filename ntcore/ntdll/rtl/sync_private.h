/* Shared by the synchronisation sources (critical_section.c, srw_lock.c, condition_variable.c,
 * run_once.c, wait_on_address.c, slist.c, peb_lock.c). */
#ifndef SYNC_PRIVATE_H
#define SYNC_PRIVATE_H

#include "ntdll_base.h"

#define SYNC_EVENT_ALL_ACCESS 0x1F0003
#define SYNC_SYNCHRONIZATION_EVENT 1 /* EVENT_TYPE: auto-reset */

static inline HANDLE sync_current_tid(void) {
  return ir_teb()->ClientId.UniqueThread;
}

static inline void sync_pause(void) {
  __asm__ volatile("pause" ::: "memory");
}

NTSTATUS NTAPI RtlWaitOnAddress(const void* address, const void* compare, SIZE_T size,
                                const LARGE_INTEGER* timeout);
void NTAPI RtlWakeAddressAll(const void* address);
void NTAPI RtlWakeAddressSingle(const void* address);
NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlInitializeCriticalSectionEx(RTL_CRITICAL_SECTION* cs, ULONG spin, ULONG flags);

#endif
