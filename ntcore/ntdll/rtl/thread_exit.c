/* RtlExitUserThread: ExitThread's work. The last thread ends the process
 * instead (RtlExitUserProcess, with its DLL_PROCESS_DETACH); any other runs
 * its fiber-local storage callbacks, delivers DLL_THREAD_DETACH, releases its
 * FLS array and terminates itself (the order of Windows' LdrShutdownThread). */
#include "threads_private.h"

NTDLL_EXPORT void NTAPI RtlExitUserThread(NTSTATUS status) {
  ULONG last = 0;
  if (NtQueryInformationThread(THREADS_CURRENT_THREAD, (THREADINFOCLASS)THREADS_AM_I_LAST_THREAD,
                               &last, sizeof(last), NULL) == STATUS_SUCCESS &&
      last)
    RtlExitUserProcess(status);
  PVOID* fls = (PVOID*)((BYTE*)ir_teb() + THREADS_TEB_FLS_DATA);
  if (*fls) RtlProcessFlsData(*fls, THREADS_FLS_RUN_CALLBACKS);
  threads_notify_dlls(DLL_THREAD_DETACH);
  if (*fls) RtlProcessFlsData(*fls, THREADS_FLS_RELEASE);
  for (;;) NtTerminateThread(THREADS_CURRENT_THREAD, status);
}
