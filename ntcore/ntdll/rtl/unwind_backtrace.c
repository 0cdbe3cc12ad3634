/* RtlCaptureStackBackTrace: the return addresses of the calling frames, found by unwinding from
 * the caller, as far as the frames are Windows code. */
#include "exception_private.h"

NTDLL_EXPORT WORD NTAPI RtlCaptureStackBackTrace(DWORD skip, DWORD count, PVOID* frames,
                                                 PDWORD hash) {
  CONTEXT context;
  DISPATCHER_CONTEXT dispatch;
  ULONG sum = 0;
  WORD n = 0;
  RtlCaptureContext(&context);
  /* The first unwind leaves this function: context.Rip is then the caller's return address. */
  while (n < count) {
    ULONG_PTR frame;
    PVOID data;
    exceptions_unwind_frame(UNW_FLAG_NHANDLER, &context, &frame, &data, &dispatch, NULL);
    if (!context.Rip || !exceptions_on_stack(context.Rsp)) break;
    ULONG_PTR base;
    if (!exceptions_image_of(context.Rip, NULL) && !exceptions_dynamic_lookup(context.Rip, &base))
      break; /* where Windows code was entered from */
    if (skip) {
      skip--;
      continue;
    }
    frames[n++] = (PVOID)context.Rip;
    sum += (ULONG)context.Rip;
  }
  if (hash) *hash = sum;
  return n;
}
