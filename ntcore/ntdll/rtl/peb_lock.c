/* The PEB's locks: FastPebLock (RtlAcquirePebLock/RtlReleasePebLock, guarding the process
 * parameters and environment) and LoaderLock, both static critical sections set up at process
 * initialisation (ntdll_init.c). */
#include "sync_private.h"

static RTL_CRITICAL_SECTION fast_peb_lock;
static RTL_CRITICAL_SECTION loader_lock;

BOOL sync_init_peb_locks(void) {
  IR_PEB* peb = ir_peb();
  RtlInitializeCriticalSectionEx(&fast_peb_lock, 0, 0);
  RtlInitializeCriticalSectionEx(&loader_lock, 0, 0);
  peb->FastPebLock = &fast_peb_lock;
  peb->LoaderLock = &loader_lock;
  return TRUE;
}

NTDLL_EXPORT void NTAPI RtlAcquirePebLock(void) {
  RtlEnterCriticalSection(ir_peb()->FastPebLock);
}

NTDLL_EXPORT void NTAPI RtlReleasePebLock(void) {
  RtlLeaveCriticalSection(ir_peb()->FastPebLock);
}
