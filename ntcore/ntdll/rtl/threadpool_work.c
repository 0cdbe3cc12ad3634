/* Work objects (TpAllocWork and friends), one-shot callbacks (TpSimpleTryPost) and the older
 * RtlQueueWorkItem, all queued on a pool's workers (threadpool.c). */
#include "threadpool_private.h"

NTDLL_EXPORT NTSTATUS NTAPI TpAllocWork(TP_WORK** out, PTP_WORK_CALLBACK callback, PVOID context,
                                        TP_CALLBACK_ENVIRON* environment) {
  threadpool_object* object;
  NTSTATUS status =
      threadpool_object_create(THREADPOOL_WORK, (PVOID)callback, context, environment, &object);
  if (status == STATUS_SUCCESS) *out = (TP_WORK*)object;
  return status;
}

NTDLL_EXPORT void NTAPI TpPostWork(TP_WORK* work) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_post_locked((threadpool_object*)work);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* Pending callbacks still run; the object is freed after the last one. */
NTDLL_EXPORT void NTAPI TpReleaseWork(TP_WORK* work) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_release_locked((threadpool_object*)work);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT void NTAPI TpWaitForWork(TP_WORK* work, BOOL cancel_pending) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_wait_locked((threadpool_object*)work, cancel_pending);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* A hidden object released from the start: it goes away after its one callback. */
static NTSTATUS post_once(THREADPOOL_TYPE type, PVOID callback, PVOID context,
                          TP_CALLBACK_ENVIRON* environment, BOOL may_run_long) {
  threadpool_object* object;
  NTSTATUS status = threadpool_object_create(type, callback, context, environment, &object);
  if (status != STATUS_SUCCESS) return status;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  if (may_run_long) object->may_run_long = TRUE;
  object->released = TRUE;
  threadpool_post_locked(object);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI TpSimpleTryPost(PTP_SIMPLE_CALLBACK callback, PVOID context,
                                            TP_CALLBACK_ENVIRON* environment) {
  return post_once(THREADPOOL_SIMPLE, (PVOID)callback, context, environment, FALSE);
}

/* The WT_EXECUTEIN* placement flags name thread kinds Windows no longer distinguishes; every
 * item runs on the default pool. */
NTDLL_EXPORT NTSTATUS NTAPI RtlQueueWorkItem(WORKERCALLBACKFUNC function, PVOID context,
                                             ULONG flags) {
  return post_once(THREADPOOL_RTL_WORK, (PVOID)function, context, NULL,
                   (flags & WT_EXECUTELONGFUNCTION) != 0);
}
