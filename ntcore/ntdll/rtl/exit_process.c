/* RtlExitUserProcess: ExitProcess's work. Windows ends every other thread (NtTerminateProcess(NULL,
 * status)), runs the DLLs' DLL_PROCESS_DETACH under the loader lock, then ends the process. Our
 * loader has no detach notification yet, so that step is left out. */
#include "env_private.h"

NTDLL_EXPORT void NTAPI RtlExitUserProcess(NTSTATUS status) {
  NtTerminateProcess(NULL, status);
  /* DLL_PROCESS_DETACH (LdrShutdownProcess) belongs here once the loader tracks modules. */
  for (;;) NtTerminateProcess((HANDLE)-1, status);
}
