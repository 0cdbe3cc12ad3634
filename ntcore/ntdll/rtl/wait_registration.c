/* The older wait interface (RegisterWaitForSingleObject / UnregisterWait[Ex]):
 * a pool wait (threadpool_wait.c) running a WAITORTIMERCALLBACK on the default
 * pool, registered again after each callback unless WT_EXECUTEONLYONCE. */
#include "threadpool_private.h"

/* WT_EXECUTEINWAITTHREAD and the other placement flags are hints: the callback
 * runs on a pool worker all the same. */
NTDLL_EXPORT NTSTATUS NTAPI RtlRegisterWait(PHANDLE wait_handle, HANDLE object,
                                            WAITORTIMERCALLBACK callback, PVOID context,
                                            ULONG milliseconds, ULONG flags) {
  if (!object) return STATUS_INVALID_HANDLE;
  TP_CALLBACK_ENVIRON environment = {.Version = 1};
  environment.u.s.LongFunction = (flags & WT_EXECUTELONGFUNCTION) != 0;
  threadpool_object* wait;
  NTSTATUS status = threadpool_wait_alloc(THREADPOOL_RTL_WAITORTIMER, (PVOID)callback, context,
                                          &environment, &wait);
  if (status != STATUS_SUCCESS) return status;
  LARGE_INTEGER timeout = {.QuadPart = -(LONGLONG)milliseconds * 10000};
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  wait->wait_repeat = !(flags & WT_EXECUTEONLYONCE);
  wait->wait_timeout_ms = milliseconds;
  threadpool_wait_set_locked(wait, object, milliseconds == INFINITE ? NULL : &timeout);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  *wait_handle = wait;
  return STATUS_SUCCESS;
}

/* completion: NULL (return at once, STATUS_PENDING while callbacks are
 * outstanding), INVALID_HANDLE_VALUE (wait for them) or an event set once they
 * are done. */
NTDLL_EXPORT NTSTATUS NTAPI RtlDeregisterWaitEx(HANDLE wait_handle, HANDLE completion) {
  if (!wait_handle) return STATUS_INVALID_PARAMETER;
  return threadpool_delete_with_completion(wait_handle, completion);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDeregisterWait(HANDLE wait_handle) {
  return RtlDeregisterWaitEx(wait_handle, NULL);
}
