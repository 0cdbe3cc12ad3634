/* RtlUserThreadStart: where every thread after the first begins (the runtime
 * enters it with the start routine and its argument, as Windows' initial
 * thread context does): DLL_THREAD_ATTACH, the routine, then
 * RtlExitUserThread with what it returned. */
#include "threads_private.h"

NTDLL_EXPORT void NTAPI RtlUserThreadStart(PVOID start, PVOID argument) {
  threads_notify_dlls(DLL_THREAD_ATTACH);
  RtlExitUserThread(((THREADS_START_ROUTINE)start)(argument));
}
