/* What a running callback asks of its TP_CALLBACK_INSTANCE: actions run once it returns (the
 * first request of each kind wins, as on Windows) and TpDisassociateCallback. TpCallbackMayRunLong
 * lives with the workers in threadpool.c. */
#include "threadpool_private.h"

NTDLL_EXPORT void NTAPI TpCallbackLeaveCriticalSectionOnCompletion(TP_CALLBACK_INSTANCE* cbi,
                                                                   RTL_CRITICAL_SECTION* cs) {
  threadpool_instance* instance = (threadpool_instance*)cbi;
  if (!instance->leave_cs) instance->leave_cs = cs;
}

NTDLL_EXPORT void NTAPI TpCallbackReleaseMutexOnCompletion(TP_CALLBACK_INSTANCE* cbi,
                                                           HANDLE mutex) {
  threadpool_instance* instance = (threadpool_instance*)cbi;
  if (!instance->release_mutex) instance->release_mutex = mutex;
}

NTDLL_EXPORT void NTAPI TpCallbackReleaseSemaphoreOnCompletion(TP_CALLBACK_INSTANCE* cbi,
                                                               HANDLE semaphore, DWORD count) {
  threadpool_instance* instance = (threadpool_instance*)cbi;
  if (!instance->release_semaphore) {
    instance->release_semaphore = semaphore;
    instance->semaphore_count = count;
  }
}

NTDLL_EXPORT void NTAPI TpCallbackSetEventOnCompletion(TP_CALLBACK_INSTANCE* cbi, HANDLE event) {
  threadpool_instance* instance = (threadpool_instance*)cbi;
  if (!instance->set_event) instance->set_event = event;
}

NTDLL_EXPORT void NTAPI TpCallbackUnloadDllOnCompletion(TP_CALLBACK_INSTANCE* cbi, HMODULE module) {
  threadpool_instance* instance = (threadpool_instance*)cbi;
  if (!instance->unload_dll) instance->unload_dll = module;
}

NTDLL_EXPORT void NTAPI TpDisassociateCallback(TP_CALLBACK_INSTANCE* cbi) {
  threadpool_disassociate((threadpool_instance*)cbi);
}
