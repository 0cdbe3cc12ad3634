/* I/O completion callbacks (TpAllocIoCompletion, RtlSetIoCompletionCallback)
 * need an I/O completion port, and ntcore has no NtCreateIoCompletion /
 * NtRemoveIoCompletion yet: creating one fails with the service's status
 * (STATUS_NOT_IMPLEMENTED), which is what these return. The calls on a TP_IO
 * are written against the common object so they are right once ports exist. */
#include "threadpool_private.h"

NTSTATUS NTAPI NtCreateIoCompletion(PHANDLE port, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                                    ULONG threads);

/* The port the callbacks would be delivered through; until the completion
 * thread that drains it is written, a port that could be created is not used.
 */
static NTSTATUS completion_port_unavailable(void) {
  HANDLE port;
  NTSTATUS status = NtCreateIoCompletion(&port, IO_COMPLETION_ALL_ACCESS, NULL, 0);
  if (status != STATUS_SUCCESS) return status;
  NtClose(port);
  return STATUS_NOT_IMPLEMENTED;
}

NTDLL_EXPORT NTSTATUS NTAPI TpAllocIoCompletion(TP_IO** out, HANDLE file, PVOID callback,
                                                PVOID context, TP_CALLBACK_ENVIRON* environment) {
  return completion_port_unavailable();
}

/* One I/O is about to start / did not start after all: nothing to count without
 * a port. */
NTDLL_EXPORT void NTAPI TpStartAsyncIoOperation(TP_IO* io) {}

NTDLL_EXPORT void NTAPI TpCancelAsyncIoOperation(TP_IO* io) {}

NTDLL_EXPORT void NTAPI TpWaitForIoCompletion(TP_IO* io, BOOL cancel_pending) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_wait_locked((threadpool_object*)io, cancel_pending);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT void NTAPI TpReleaseIoCompletion(TP_IO* io) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_release_locked((threadpool_object*)io);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* BindIoCompletionCallback: flags are reserved (and not checked). */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetIoCompletionCallback(HANDLE file, PVOID callback, ULONG flags) {
  return completion_port_unavailable();
}
