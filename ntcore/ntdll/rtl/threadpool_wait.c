/* Thread pool waits: one wait thread waits with NtWaitForMultipleObjects on the registered
 * handles (at most 63, plus its control event) and on the earliest timeout, and posts each wait's
 * callback to its pool with WAIT_OBJECT_0 or WAIT_TIMEOUT. A registration fires once. */
#include "threadpool_private.h"

#define EVENT_SYNCHRONIZATION 1 /* EVENT_TYPE: auto-reset */
#define WAIT_ANY 1              /* WAIT_TYPE: WaitAny */
#define NO_DEADLINE MAXLONGLONG
#define MAX_HANDLES (MAXIMUM_WAIT_OBJECTS - 1)

static threadpool_link registered = {&registered, &registered};
static HANDLE wait_event; /* wakes the wait thread: the registrations changed */

static void fire_locked(threadpool_object* wait, ULONG result) {
  threadpool_list_remove(&wait->wait_link);
  wait->wait_set = FALSE;
  wait->wait_result = result;
  threadpool_post_locked(wait);
  if (wait->wait_repeat) {
    LARGE_INTEGER timeout = {.QuadPart = -(LONGLONG)wait->wait_timeout_ms * 10000};
    threadpool_wait_set_locked(wait, wait->wait_handle,
                               wait->wait_timeout_ms == INFINITE ? NULL : &timeout);
  }
}

static ULONG NTAPI wait_thread(PVOID arg) {
  HANDLE handles[MAXIMUM_WAIT_OBJECTS];
  threadpool_object* objects[MAXIMUM_WAIT_OBJECTS];
  ULONG serials[MAXIMUM_WAIT_OBJECTS];
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  for (;;) {
    /* Waits past the 63rd are served by their timeout only until a slot frees up. */
    ULONG count = 1;
    LONGLONG deadline = NO_DEADLINE;
    handles[0] = wait_event;
    for (threadpool_link* l = registered.next; l != &registered; l = l->next) {
      threadpool_object* wait = THREADPOOL_CONTAINER(l, threadpool_object, wait_link);
      if (wait->wait_deadline < deadline) deadline = wait->wait_deadline;
      if (count == MAXIMUM_WAIT_OBJECTS) continue;
      wait->in_wait_thread = TRUE;
      handles[count] = wait->wait_handle;
      objects[count] = wait;
      serials[count] = wait->wait_serial;
      count++;
    }
    LARGE_INTEGER timeout, *timeout_ptr = NULL;
    if (deadline != NO_DEADLINE) {
      LONGLONG left = deadline - threadpool_now();
      timeout.QuadPart = left > 0 ? -left : 0;
      timeout_ptr = &timeout;
    }
    RtlReleaseSRWLockExclusive(&threadpool_lock);
    NTSTATUS status = NtWaitForMultipleObjects(count, handles, WAIT_ANY, FALSE, timeout_ptr);
    if (NT_ERROR(status)) {
      /* A registered handle is bad (closed under us): pause rather than spin. */
      LARGE_INTEGER pause = {.QuadPart = -10 * 10000LL};
      NtDelayExecution(FALSE, &pause);
    }
    RtlAcquireSRWLockExclusive(&threadpool_lock);
    /* Index 0 is the control event; an abandoned mutex counts as signalled. */
    ULONG index = (ULONG)status;
    if (index >= STATUS_ABANDONED_WAIT_0 && index < STATUS_ABANDONED_WAIT_0 + count)
      index -= STATUS_ABANDONED_WAIT_0;
    if (index > 0 && index < count) {
      threadpool_object* wait = objects[index];
      if (wait->wait_set && wait->wait_serial == serials[index]) fire_locked(wait, WAIT_OBJECT_0);
    }
    for (ULONG i = 1; i < count; i++) {
      objects[i]->in_wait_thread = FALSE;
      threadpool_maybe_free_locked(objects[i]);
    }
    /* Only the waits registered now: a repeating one goes back to the end of the list. */
    LONGLONG now = threadpool_now();
    threadpool_link* last = registered.prev;
    for (threadpool_link* l = registered.next; l != &registered;) {
      threadpool_object* wait = THREADPOOL_CONTAINER(l, threadpool_object, wait_link);
      BOOL at_last = l == last;
      l = l->next;
      if (wait->wait_deadline <= now) fire_locked(wait, WAIT_TIMEOUT);
      if (at_last) break;
    }
  }
  return 0;
}

NTSTATUS threadpool_wait_thread_ready_locked(void) {
  if (wait_event) return STATUS_SUCCESS;
  HANDLE event;
  NTSTATUS status = NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, EVENT_SYNCHRONIZATION, FALSE);
  if (status != STATUS_SUCCESS) return status;
  status = threadpool_start_thread((PVOID)wait_thread);
  if (status != STATUS_SUCCESS) {
    NtClose(event);
    return status;
  }
  wait_event = event;
  return STATUS_SUCCESS;
}

void threadpool_wait_unset_locked(threadpool_object* wait) {
  if (!wait->wait_set) return;
  wait->wait_set = FALSE;
  wait->wait_serial++;
  threadpool_list_remove(&wait->wait_link);
  NtSetEvent(wait_event, NULL);
}

/* Under threadpool_lock: handle NULL unregisters; timeout NULL waits forever, 0 only polls. */
void threadpool_wait_set_locked(threadpool_object* wait, HANDLE handle,
                                const LARGE_INTEGER* timeout) {
  threadpool_wait_unset_locked(wait);
  if (!handle) return;
  wait->wait_set = TRUE;
  wait->wait_serial++;
  wait->wait_handle = handle;
  wait->wait_deadline = timeout ? threadpool_absolute(timeout->QuadPart) : NO_DEADLINE;
  threadpool_list_add_tail(&registered, &wait->wait_link);
  NtSetEvent(wait_event, NULL);
}

/* Wait objects and RtlRegisterWait's share the wait thread. */
NTSTATUS threadpool_wait_alloc(THREADPOOL_TYPE type, PVOID callback, PVOID context,
                               TP_CALLBACK_ENVIRON* environment, threadpool_object** out) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  NTSTATUS status = threadpool_wait_thread_ready_locked();
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  if (status != STATUS_SUCCESS) return status;
  return threadpool_object_create(type, callback, context, environment, out);
}

NTDLL_EXPORT NTSTATUS NTAPI TpAllocWait(TP_WAIT** out, PTP_WAIT_CALLBACK callback, PVOID context,
                                        TP_CALLBACK_ENVIRON* environment) {
  threadpool_object* object;
  NTSTATUS status =
      threadpool_wait_alloc(THREADPOOL_WAIT, (PVOID)callback, context, environment, &object);
  if (status == STATUS_SUCCESS) *out = (TP_WAIT*)object;
  return status;
}

NTDLL_EXPORT void NTAPI TpSetWait(TP_WAIT* wait, HANDLE handle, LARGE_INTEGER* timeout) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_wait_set_locked((threadpool_object*)wait, handle, timeout);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT void NTAPI TpWaitForWait(TP_WAIT* wait, BOOL cancel_pending) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_wait_locked((threadpool_object*)wait, cancel_pending);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT void NTAPI TpReleaseWait(TP_WAIT* wait) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_release_locked((threadpool_object*)wait);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}
