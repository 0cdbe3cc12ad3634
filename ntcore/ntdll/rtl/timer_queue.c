/* The older timer-queue interface (CreateTimerQueueTimer and friends): each RtlCreateTimer timer
 * is a pool timer (threadpool_timer.c) running a WAITORTIMERCALLBACK on the default pool; a
 * queue only tracks its timers so RtlDeleteTimerQueueEx can end them all. */
#include "threadpool_private.h"

static threadpool_timer_queue default_queue = {
    .timers = {&default_queue.timers, &default_queue.timers}};

void threadpool_timer_queue_member_gone_locked(threadpool_timer_queue* queue) {
  queue->count--;
  if (!queue->deleting) return;
  RtlWakeAllConditionVariable(&threadpool_idle); /* a RtlDeleteTimerQueueEx waiting for it */
  if (queue->count) return;
  if (queue->done_event) NtSetEvent(queue->done_event, NULL);
  threadpool_free(queue);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateTimerQueue(PHANDLE queue_handle) {
  threadpool_timer_queue* queue = threadpool_alloc(sizeof(*queue));
  if (!queue) return STATUS_NO_MEMORY;
  threadpool_list_init(&queue->timers);
  *queue_handle = queue;
  return STATUS_SUCCESS;
}

/* Due time and period in ms; a due time of 0 fires at once. */
static void set_locked(threadpool_object* timer, ULONG due_ms, ULONG period) {
  LARGE_INTEGER due = {.QuadPart = -(LONGLONG)due_ms * 10000};
  threadpool_timer_set_locked(timer, &due, timer->wait_repeat ? (LONG)period : 0);
}

/* WT_EXECUTEINTIMERTHREAD / WT_EXECUTEINIOTHREAD and the like are placement hints: the callback
 * runs on a pool worker all the same. */
NTDLL_EXPORT NTSTATUS NTAPI RtlCreateTimer(HANDLE queue_handle, PHANDLE timer_handle,
                                           WAITORTIMERCALLBACK callback, PVOID context,
                                           DWORD due_ms, DWORD period, ULONG flags) {
  threadpool_timer_queue* queue = queue_handle ? queue_handle : &default_queue;
  TP_CALLBACK_ENVIRON environment = {.Version = 1};
  environment.u.s.LongFunction = (flags & WT_EXECUTELONGFUNCTION) != 0;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  NTSTATUS status = threadpool_timer_thread_ready_locked();
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  if (status != STATUS_SUCCESS) return status;
  threadpool_object* timer;
  status = threadpool_object_create(THREADPOOL_RTL_WAITORTIMER, (PVOID)callback, context,
                                    &environment, &timer);
  if (status != STATUS_SUCCESS) return status;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  if (queue->deleting) {
    timer->released = TRUE;
    threadpool_maybe_free_locked(timer);
    RtlReleaseSRWLockExclusive(&threadpool_lock);
    return STATUS_INVALID_HANDLE;
  }
  timer->wait_result = WAIT_TIMEOUT; /* the callback's TimerOrWaitFired is TRUE */
  timer->wait_repeat = !(flags & WT_EXECUTEONLYONCE);
  timer->timer_queue = queue;
  queue->count++;
  threadpool_list_add_tail(&queue->timers, &timer->timer_queue_link);
  set_locked(timer, due_ms, period);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  *timer_handle = timer;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlUpdateTimer(HANDLE queue_handle, HANDLE timer_handle, DWORD due_ms,
                                           DWORD period) {
  threadpool_object* timer = timer_handle;
  if (!timer) return STATUS_INVALID_PARAMETER;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  /* A one-shot timer that already expired stays expired (as ChangeTimerQueueTimer documents). */
  BOOL expired = !timer->period && threadpool_list_empty(&timer->timer_link);
  if (!expired) set_locked(timer, due_ms, period);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteTimer(HANDLE queue_handle, HANDLE timer_handle,
                                           HANDLE completion) {
  if (!timer_handle) return STATUS_INVALID_PARAMETER_1; /* as Wine, though it is the 2nd */
  return threadpool_delete_with_completion(timer_handle, completion);
}

/* completion: NULL (return at once), INVALID_HANDLE_VALUE (wait for running callbacks) or an
 * event set once every timer of the queue is gone. */
NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteTimerQueueEx(HANDLE queue_handle, HANDLE completion) {
  threadpool_timer_queue* queue = queue_handle;
  if (!queue) return STATUS_INVALID_HANDLE;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  queue->deleting = TRUE;
  queue->done_event = completion == INVALID_HANDLE_VALUE ? NULL : completion;
  queue->count++; /* keeps the queue while its timers are released */
  for (threadpool_link* l = queue->timers.next; l != &queue->timers;) {
    threadpool_object* timer = THREADPOOL_CONTAINER(l, threadpool_object, timer_queue_link);
    l = l->next;
    if (!timer->released) threadpool_release_locked(timer);
  }
  NTSTATUS status = queue->count > 1 ? STATUS_PENDING : STATUS_SUCCESS;
  if (completion == INVALID_HANDLE_VALUE) {
    while (queue->count > 1)
      RtlSleepConditionVariableSRW(&threadpool_idle, &threadpool_lock, NULL, 0);
    threadpool_free(queue);
    status = STATUS_SUCCESS;
  } else if (--queue->count == 0) {
    if (queue->done_event) NtSetEvent(queue->done_event, NULL);
    threadpool_free(queue);
  } /* else its last timer frees it (threadpool_timer_queue_member_gone_locked) */
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return status;
}
