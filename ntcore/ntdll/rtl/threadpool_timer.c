/* Thread pool timers: one timer thread keeps the armed timers sorted by due time and posts each
 * timer's callback to its pool when it expires (the window parameter of TpSetTimer is ignored). */
#include "threadpool_private.h"

#define EVENT_SYNCHRONIZATION 1 /* EVENT_TYPE: auto-reset */

static threadpool_link armed = {&armed, &armed}; /* sorted by due time */
static HANDLE timer_event;                       /* wakes the timer thread: the list changed */

static void arm_locked(threadpool_object* timer) {
  threadpool_link* pos = armed.next;
  while (pos != &armed &&
         THREADPOOL_CONTAINER(pos, threadpool_object, timer_link)->due <= timer->due)
    pos = pos->next;
  threadpool_list_add_tail(pos, &timer->timer_link); /* before pos */
}

static ULONG NTAPI timer_thread(PVOID arg) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  for (;;) {
    LONGLONG now = threadpool_now();
    while (!threadpool_list_empty(&armed)) {
      threadpool_object* timer = THREADPOOL_CONTAINER(armed.next, threadpool_object, timer_link);
      if (timer->due > now) break;
      threadpool_list_remove(&timer->timer_link);
      threadpool_post_locked(timer);
      if (timer->period) {
        /* The next period counts from this due time; a late thread skips missed periods. */
        timer->due += timer->period * 10000LL;
        if (timer->due <= now) timer->due = now + timer->period * 10000LL;
        arm_locked(timer);
      }
    }
    LARGE_INTEGER timeout, *wait = NULL;
    if (!threadpool_list_empty(&armed)) {
      timeout.QuadPart = now - THREADPOOL_CONTAINER(armed.next, threadpool_object, timer_link)->due;
      wait = &timeout;
    }
    RtlReleaseSRWLockExclusive(&threadpool_lock);
    NtWaitForSingleObject(timer_event, FALSE, wait);
    RtlAcquireSRWLockExclusive(&threadpool_lock);
  }
  return 0;
}

/* Under threadpool_lock: the first timer starts the timer thread. */
NTSTATUS threadpool_timer_thread_ready_locked(void) {
  if (timer_event) return STATUS_SUCCESS;
  HANDLE event;
  NTSTATUS status = NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, EVENT_SYNCHRONIZATION, FALSE);
  if (status != STATUS_SUCCESS) return status;
  status = threadpool_start_thread((PVOID)timer_thread);
  if (status != STATUS_SUCCESS) {
    NtClose(event);
    return status;
  }
  timer_event = event;
  return STATUS_SUCCESS;
}

void threadpool_timer_unset_locked(threadpool_object* timer) {
  timer->timer_set = FALSE;
  if (!threadpool_list_empty(&timer->timer_link)) threadpool_list_remove(&timer->timer_link);
}

NTDLL_EXPORT NTSTATUS NTAPI TpAllocTimer(TP_TIMER** out, PTP_TIMER_CALLBACK callback, PVOID context,
                                         TP_CALLBACK_ENVIRON* environment) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  NTSTATUS status = threadpool_timer_thread_ready_locked();
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  if (status != STATUS_SUCCESS) return status;
  threadpool_object* object;
  status =
      threadpool_object_create(THREADPOOL_TIMER, (PVOID)callback, context, environment, &object);
  if (status == STATUS_SUCCESS) *out = (TP_TIMER*)object;
  return status;
}

/* Under threadpool_lock: due NULL stops the timer, 0 fires it at once; period in ms. */
void threadpool_timer_set_locked(threadpool_object* timer, const LARGE_INTEGER* due, LONG period) {
  threadpool_timer_unset_locked(timer);
  if (!due) return;
  timer->timer_set = TRUE;
  timer->period = period > 0 ? period : 0;
  if (due->QuadPart == 0) {
    threadpool_post_locked(timer);
    if (!timer->period) return;
    timer->due = threadpool_now() + timer->period * 10000LL;
  } else {
    timer->due = threadpool_absolute(due->QuadPart);
  }
  arm_locked(timer);
  NtSetEvent(timer_event, NULL);
}

NTDLL_EXPORT void NTAPI TpSetTimer(TP_TIMER* timer, LARGE_INTEGER* due, LONG period, LONG window) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_timer_set_locked((threadpool_object*)timer, due, period);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT BOOL NTAPI TpIsTimerSet(TP_TIMER* timer) {
  return ((threadpool_object*)timer)->timer_set;
}

NTDLL_EXPORT void NTAPI TpWaitForTimer(TP_TIMER* timer, BOOL cancel_pending) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_wait_locked((threadpool_object*)timer, cancel_pending);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* The timer stops; callbacks already queued still run. */
NTDLL_EXPORT void NTAPI TpReleaseTimer(TP_TIMER* timer) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_release_locked((threadpool_object*)timer);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}
