/* Cleanup groups: the objects created with the group in their environment, released together by
 * TpReleaseCleanupGroupMembers (optionally cancelling what has not started yet). */
#include "threadpool_private.h"

NTDLL_EXPORT NTSTATUS NTAPI TpAllocCleanupGroup(TP_CLEANUP_GROUP** out) {
  threadpool_group* group = threadpool_alloc(sizeof(*group));
  if (!group) return STATUS_NO_MEMORY;
  threadpool_list_init(&group->members);
  *out = group;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT void NTAPI TpReleaseCleanupGroupMembers(TP_CLEANUP_GROUP* group, BOOL cancel_pending,
                                                     PVOID cleanup_context) {
  threadpool_link members;
  threadpool_list_init(&members);
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  /* Take the members over; group_busy keeps them allocated while the lock is dropped below. */
  while (!threadpool_list_empty(&group->members)) {
    threadpool_link* link = group->members.next;
    threadpool_list_remove(link);
    threadpool_list_add_tail(&members, link);
    threadpool_object* object = THREADPOOL_CONTAINER(link, threadpool_object, group_link);
    object->group_busy = TRUE;
    /* A one-shot callback that never ran is reported like an unreleased object. */
    if (cancel_pending && threadpool_cancel_locked(object) && object->type == THREADPOOL_SIMPLE)
      object->simple_cancelled = TRUE;
    /* Timers and waits the caller still holds stop firing now. */
    if (!object->released) {
      threadpool_timer_unset_locked(object);
      threadpool_wait_unset_locked(object);
    }
  }
  while (!threadpool_list_empty(&members)) {
    threadpool_link* link = members.next;
    threadpool_object* object = THREADPOOL_CONTAINER(link, threadpool_object, group_link);
    threadpool_wait_locked(object, FALSE);
    /* Objects the caller had not released yet are released for it, telling it first. */
    if ((!object->released || object->simple_cancelled) && cancel_pending && object->group_cancel) {
      RtlReleaseSRWLockExclusive(&threadpool_lock);
      object->group_cancel(object->context, cleanup_context);
      RtlAcquireSRWLockExclusive(&threadpool_lock);
    }
    threadpool_list_remove(link);
    object->group = NULL;
    object->group_busy = FALSE;
    object->released = TRUE;
    threadpool_maybe_free_locked(object);
  }
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* Members still in the group stay alive and simply leave it. */
NTDLL_EXPORT void NTAPI TpReleaseCleanupGroup(TP_CLEANUP_GROUP* group) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  while (!threadpool_list_empty(&group->members)) {
    threadpool_link* link = group->members.next;
    threadpool_list_remove(link);
    THREADPOOL_CONTAINER(link, threadpool_object, group_link)->group = NULL;
  }
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  threadpool_free(group);
}
