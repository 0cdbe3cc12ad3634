/* The thread pool (ntcore/ntdll/rtl/threadpool*.c): work objects, one-shot
 * callbacks and RtlQueueWorkItem, private pools and their limits, what a
 * callback asks of its instance (OnCompletion actions, TpCallbackMayRunLong,
 * TpDisassociateCallback), cleanup groups, timers and waits. Callbacks only
 * record what they saw; the main thread checks it. */
#include "nttest.h"
#include "rtl_sync_api.h"

typedef int BOOL;
typedef struct TP_POOL TP_POOL;
typedef struct TP_WORK TP_WORK;
typedef struct TP_TIMER TP_TIMER;
typedef struct TP_WAIT TP_WAIT;
typedef struct TP_CLEANUP_GROUP TP_CLEANUP_GROUP;
typedef struct TP_CALLBACK_INSTANCE TP_CALLBACK_INSTANCE;
typedef void(NTAPI* SIMPLE_CALLBACK)(TP_CALLBACK_INSTANCE*, PVOID);
typedef void(NTAPI* WORK_CALLBACK)(TP_CALLBACK_INSTANCE*, PVOID, TP_WORK*);
typedef void(NTAPI* TIMER_CALLBACK)(TP_CALLBACK_INSTANCE*, PVOID, TP_TIMER*);
typedef void(NTAPI* WAIT_CALLBACK)(TP_CALLBACK_INSTANCE*, PVOID, TP_WAIT*, ULONG);
typedef void(NTAPI* CANCEL_CALLBACK)(PVOID, PVOID);
typedef void(NTAPI* WORKER_CALLBACK)(PVOID);

/* TP_CALLBACK_ENVIRON version 3 (winnt.h); version 1 ends before
 * CallbackPriority. */
typedef struct TP_CALLBACK_ENVIRON {
  ULONG Version;
  TP_POOL* Pool;
  TP_CLEANUP_GROUP* CleanupGroup;
  CANCEL_CALLBACK CleanupGroupCancelCallback;
  PVOID RaceDll;
  PVOID ActivationContext;
  SIMPLE_CALLBACK FinalizationCallback;
  ULONG Flags;
  ULONG CallbackPriority;
  ULONG Size;
} TP_CALLBACK_ENVIRON;

typedef struct TP_POOL_STACK_INFORMATION {
  SIZE_T StackReserve;
  SIZE_T StackCommit;
} TP_POOL_STACK_INFORMATION;

#define STATUS_TOO_MANY_THREADS ((NTSTATUS)0xC0000129)
#define WAIT_TIMEOUT_RESULT 0x102

NTSYSAPI NTSTATUS NTAPI TpAllocPool(TP_POOL** pool, PVOID reserved);
NTSYSAPI void NTAPI TpReleasePool(TP_POOL* pool);
NTSYSAPI void NTAPI TpSetPoolMaxThreads(TP_POOL* pool, ULONG maximum);
NTSYSAPI BOOL NTAPI TpSetPoolMinThreads(TP_POOL* pool, ULONG minimum);
NTSYSAPI NTSTATUS NTAPI TpSetPoolStackInformation(TP_POOL* pool, TP_POOL_STACK_INFORMATION* info);
NTSYSAPI NTSTATUS NTAPI TpQueryPoolStackInformation(TP_POOL* pool, TP_POOL_STACK_INFORMATION* info);
NTSYSAPI NTSTATUS NTAPI TpAllocWork(TP_WORK** work, WORK_CALLBACK callback, PVOID context,
                                    TP_CALLBACK_ENVIRON* environment);
NTSYSAPI void NTAPI TpPostWork(TP_WORK* work);
NTSYSAPI void NTAPI TpWaitForWork(TP_WORK* work, BOOL cancel_pending);
NTSYSAPI void NTAPI TpReleaseWork(TP_WORK* work);
NTSYSAPI NTSTATUS NTAPI TpSimpleTryPost(SIMPLE_CALLBACK callback, PVOID context,
                                        TP_CALLBACK_ENVIRON* environment);
NTSYSAPI NTSTATUS NTAPI RtlQueueWorkItem(WORKER_CALLBACK callback, PVOID context, ULONG flags);
NTSYSAPI NTSTATUS NTAPI TpCallbackMayRunLong(TP_CALLBACK_INSTANCE* instance);
NTSYSAPI void NTAPI TpCallbackSetEventOnCompletion(TP_CALLBACK_INSTANCE* instance, HANDLE event);
NTSYSAPI void NTAPI TpCallbackLeaveCriticalSectionOnCompletion(TP_CALLBACK_INSTANCE* instance,
                                                               RTL_CRITICAL_SECTION* cs);
NTSYSAPI void NTAPI TpDisassociateCallback(TP_CALLBACK_INSTANCE* instance);
NTSYSAPI NTSTATUS NTAPI TpAllocCleanupGroup(TP_CLEANUP_GROUP** group);
NTSYSAPI void NTAPI TpReleaseCleanupGroupMembers(TP_CLEANUP_GROUP* group, BOOL cancel_pending,
                                                 PVOID context);
NTSYSAPI void NTAPI TpReleaseCleanupGroup(TP_CLEANUP_GROUP* group);
NTSYSAPI NTSTATUS NTAPI TpAllocTimer(TP_TIMER** timer, TIMER_CALLBACK callback, PVOID context,
                                     TP_CALLBACK_ENVIRON* environment);
NTSYSAPI void NTAPI TpSetTimer(TP_TIMER* timer, LARGE_INTEGER* due, LONG period, LONG window);
NTSYSAPI BOOL NTAPI TpIsTimerSet(TP_TIMER* timer);
NTSYSAPI void NTAPI TpWaitForTimer(TP_TIMER* timer, BOOL cancel_pending);
NTSYSAPI void NTAPI TpReleaseTimer(TP_TIMER* timer);
NTSYSAPI NTSTATUS NTAPI TpAllocWait(TP_WAIT** wait, WAIT_CALLBACK callback, PVOID context,
                                    TP_CALLBACK_ENVIRON* environment);
NTSYSAPI void NTAPI TpSetWait(TP_WAIT* wait, HANDLE handle, LARGE_INTEGER* timeout);
NTSYSAPI void NTAPI TpWaitForWait(TP_WAIT* wait, BOOL cancel_pending);
NTSYSAPI void NTAPI TpReleaseWait(TP_WAIT* wait);
typedef void(NTAPI* WAITORTIMER_CALLBACK)(PVOID, UCHAR);
NTSYSAPI NTSTATUS NTAPI RtlCreateTimerQueue(HANDLE* queue);
NTSYSAPI NTSTATUS NTAPI RtlDeleteTimerQueueEx(HANDLE queue, HANDLE completion);
NTSYSAPI NTSTATUS NTAPI RtlCreateTimer(HANDLE queue, HANDLE* timer, WAITORTIMER_CALLBACK callback,
                                       PVOID context, ULONG due, ULONG period, ULONG flags);
NTSYSAPI NTSTATUS NTAPI RtlUpdateTimer(HANDLE queue, HANDLE timer, ULONG due, ULONG period);
NTSYSAPI NTSTATUS NTAPI RtlDeleteTimer(HANDLE queue, HANDLE timer, HANDLE completion);
NTSYSAPI NTSTATUS NTAPI RtlRegisterWait(HANDLE* wait, HANDLE object, WAITORTIMER_CALLBACK callback,
                                        PVOID context, ULONG milliseconds, ULONG flags);
NTSYSAPI NTSTATUS NTAPI RtlDeregisterWait(HANDLE wait);
NTSYSAPI NTSTATUS NTAPI RtlDeregisterWaitEx(HANDLE wait, HANDLE completion);
NTSYSAPI NTSTATUS NTAPI TpAllocIoCompletion(PVOID* io, HANDLE file, PVOID callback, PVOID context,
                                            TP_CALLBACK_ENVIRON* environment);
NTSYSAPI void NTAPI TpReleaseIoCompletion(PVOID io);
NTSYSAPI NTSTATUS NTAPI RtlSetIoCompletionCallback(HANDLE file, PVOID callback, ULONG flags);
NTSYSAPI NTSTATUS NTAPI NtCreateSemaphore(HANDLE* semaphore, ACCESS_MASK access,
                                          OBJECT_ATTRIBUTES* attributes, LONG initial,
                                          LONG maximum);
NTSYSAPI void NTAPI TpCallbackReleaseSemaphoreOnCompletion(TP_CALLBACK_INSTANCE* instance,
                                                           HANDLE semaphore, ULONG count);
NTSYSAPI NTSTATUS NTAPI NtCreateMutant(HANDLE* mutant, ACCESS_MASK access,
                                       OBJECT_ATTRIBUTES* attributes, BOOLEAN owned);
NTSYSAPI void NTAPI TpCallbackReleaseMutexOnCompletion(TP_CALLBACK_INSTANCE* instance,
                                                       HANDLE mutex);
#define MUTANT_ALL_ACCESS 0x1F0001
#define WT_EXECUTEONLYONCE 0x8
#define INVALID_HANDLE ((HANDLE)(intptr_t)-1)
#define INFINITE_MS 0xFFFFFFFF
#define SEMAPHORE_ALL_ACCESS 0x1F0003

NTSYSAPI BOOL NTAPI RtlTryEnterCriticalSection(RTL_CRITICAL_SECTION* cs);

static HANDLE new_event(BOOL manual) {
  HANDLE event = NULL;
  CHECK_OK(NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL,
                         manual ? NotificationEvent : SynchronizationEvent, FALSE));
  return event;
}

/* Waits up to ms for the event: STATUS_SUCCESS or STATUS_TIMEOUT. */
static NTSTATUS wait_ms(HANDLE event, LONGLONG ms) {
  LARGE_INTEGER timeout;
  timeout.QuadPart = -ms * 10000;
  return NtWaitForSingleObject(event, FALSE, &timeout);
}

/* A signal set after a wait was unregistered is still there: nobody consumed it. Wine's wait
 * threads drop a removed wait late and may still consume a signal set just after the removal
 * returned (seen under load); Windows and ntcore stop waiting first, so only ireactor is held to
 * it. The wait consumes the signal either way (auto-reset), as the next case expects. */
#define CHECK_STILL_SIGNALLED(event)       \
  do {                                     \
    NTSTATUS still_ = wait_ms((event), 0); \
    if (!nt_is_wine()) CHECK_OK(still_);   \
  } while (0)

static void sleep_ms(LONGLONG ms) {
  LARGE_INTEGER delay;
  delay.QuadPart = -ms * 10000;
  NtDelayExecution(FALSE, &delay);
}

static LONGLONG now_ms(void) {
  LARGE_INTEGER now;
  NtQuerySystemTime(&now);
  return now.QuadPart / 10000;
}

static void init_environ(TP_CALLBACK_ENVIRON* env, TP_POOL* pool) {
  char* p = (char*)env;
  for (unsigned i = 0; i < sizeof(*env); i++) p[i] = 0;
  env->Version = 3;
  env->Pool = pool;
  env->CallbackPriority = 1; /* TP_CALLBACK_PRIORITY_NORMAL */
  env->Size = sizeof(*env);
}

/* --- work objects --- */

static volatile LONG work_count;
static volatile PVOID work_context_seen;
static TP_WORK* volatile work_object_seen;

static void NTAPI count_work(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WORK* work) {
  work_context_seen = context;
  work_object_seen = work;
  __atomic_add_fetch(&work_count, 1, __ATOMIC_SEQ_CST);
}

static void test_work_post_and_wait(void) {
  TP_WORK* work = NULL;
  work_count = 0;
  CHECK_OK(TpAllocWork(&work, count_work, (PVOID)0x1234, NULL));
  CHECK(work != NULL);
  for (int i = 0; i < 10; i++) TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_EQ(work_count, 10);
  CHECK(work_context_seen == (PVOID)0x1234);
  CHECK(work_object_seen == work);
  /* Waiting with nothing outstanding returns at once. */
  TpWaitForWork(work, FALSE);
  TpWaitForWork(work, TRUE);
  TpReleaseWork(work);
}

/* Callbacks on a one-thread pool: the first blocks until `gate`, so the others
 * stay queued and TpWaitForWork(TRUE) drops them. */
static HANDLE gate, started;

/* Context 0x1: the gate opens by itself after 300 ms. */
static void NTAPI blocking_work(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WORK* work) {
  NtSetEvent(started, NULL);
  if (context == (PVOID)0x1)
    wait_ms(gate, 300);
  else
    NtWaitForSingleObject(gate, FALSE, NULL);
  __atomic_add_fetch(&work_count, 1, __ATOMIC_SEQ_CST);
}

static void test_work_cancel_pending(void) {
  TP_POOL* pool = NULL;
  TP_WORK* blocker = NULL;
  TP_WORK* work = NULL;
  TP_CALLBACK_ENVIRON env;
  gate = new_event(TRUE);
  started = new_event(FALSE);
  CHECK_OK(TpAllocPool(&pool, NULL));
  TpSetPoolMaxThreads(pool, 1);
  init_environ(&env, pool);
  CHECK_OK(TpAllocWork(&blocker, blocking_work, NULL, &env));
  CHECK_OK(TpAllocWork(&work, count_work, NULL, &env));
  work_count = 0;
  TpPostWork(blocker);
  CHECK_OK(wait_ms(started, 5000));
  TpPostWork(work);
  TpPostWork(work);
  TpWaitForWork(work, TRUE); /* both still queued behind the blocker: cancelled */
  NtSetEvent(gate, NULL);
  TpWaitForWork(blocker, FALSE);
  CHECK_EQ(work_count, 1); /* the blocker only */
  /* The pool runs the work object again afterwards. */
  TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_EQ(work_count, 2);
  TpReleaseWork(work);
  TpReleaseWork(blocker);
  TpReleasePool(pool);
  NtClose(gate);
  NtClose(started);
}

/* A released work object still runs what was posted before. */
static void test_work_release_with_pending(void) {
  TP_WORK* work = NULL;
  HANDLE done = new_event(FALSE);
  work_count = 0;
  gate = new_event(TRUE);
  started = new_event(FALSE);
  CHECK_OK(TpAllocWork(&work, blocking_work, NULL, NULL));
  TpPostWork(work);
  TpReleaseWork(work);
  NtSetEvent(gate, NULL);
  for (int i = 0; i < 500 && work_count == 0; i++) sleep_ms(10);
  CHECK_EQ(work_count, 1);
  NtClose(done);
  NtClose(gate);
  NtClose(started);
}

static void test_work_bad_priority(void) {
  TP_WORK* work = (TP_WORK*)0xdead;
  TP_CALLBACK_ENVIRON env;
  init_environ(&env, NULL);
  env.CallbackPriority = 3; /* TP_CALLBACK_PRIORITY_INVALID */
  CHECK_STATUS(TpAllocWork(&work, count_work, NULL, &env), STATUS_INVALID_PARAMETER);
  CHECK(work == (TP_WORK*)0xdead);
  /* Version 1 has no priority field: whatever follows it is not read. */
  env.Version = 1;
  CHECK_OK(TpAllocWork(&work, count_work, NULL, &env));
  work_count = 0;
  TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_EQ(work_count, 1);
  TpReleaseWork(work);
}

/* --- one-shot callbacks --- */

static volatile PVOID simple_context;
static volatile BOOL simple_instance_set;
static volatile LONG finalized;

static void NTAPI simple_callback(TP_CALLBACK_INSTANCE* instance, PVOID context) {
  simple_context = context;
  simple_instance_set = instance != NULL;
  NtSetEvent(started, NULL);
}

static void NTAPI finalization_callback(TP_CALLBACK_INSTANCE* instance, PVOID context) {
  /* Runs after the callback itself, with its context. */
  if (context == (PVOID)0x77 && simple_context == (PVOID)0x77)
    __atomic_add_fetch(&finalized, 1, __ATOMIC_SEQ_CST);
  NtSetEvent(gate, NULL);
}

static void test_simple_try_post(void) {
  started = new_event(FALSE);
  gate = new_event(FALSE);
  CHECK_OK(TpSimpleTryPost(simple_callback, (PVOID)0x55, NULL));
  CHECK_OK(wait_ms(started, 5000));
  CHECK(simple_context == (PVOID)0x55);
  CHECK(simple_instance_set);

  TP_CALLBACK_ENVIRON env;
  init_environ(&env, NULL);
  env.FinalizationCallback = finalization_callback;
  finalized = 0;
  CHECK_OK(TpSimpleTryPost(simple_callback, (PVOID)0x77, &env));
  CHECK_OK(wait_ms(gate, 5000));
  CHECK_EQ(finalized, 1);

  env.CallbackPriority = 7;
  CHECK_STATUS(TpSimpleTryPost(simple_callback, NULL, &env), STATUS_INVALID_PARAMETER);
  NtClose(started);
  NtClose(gate);
}

static volatile PVOID worker_context;

static void NTAPI worker_callback(PVOID context) {
  worker_context = context;
  NtSetEvent(started, NULL);
}

static void test_queue_work_item(void) {
  started = new_event(FALSE);
  CHECK_OK(RtlQueueWorkItem(worker_callback, (PVOID)0x99, 0));
  CHECK_OK(wait_ms(started, 5000));
  CHECK(worker_context == (PVOID)0x99);
  CHECK_OK(RtlQueueWorkItem(worker_callback, (PVOID)0x9a, 0x10 /* WT_EXECUTELONGFUNCTION */));
  CHECK_OK(wait_ms(started, 5000));
  CHECK(worker_context == (PVOID)0x9a);
  NtClose(started);
}

/* --- pools --- */

static void test_pool_settings(void) {
  TP_POOL* pool = NULL;
  TP_POOL_STACK_INFORMATION info = {0, 0};
  CHECK_OK(TpAllocPool(&pool, NULL));
  CHECK(pool != NULL);
  CHECK_OK(TpQueryPoolStackInformation(pool, &info));
  nt_note("default worker stack: reserve %llu commit %llu", (unsigned long long)info.StackReserve,
          (unsigned long long)info.StackCommit);
  CHECK(info.StackReserve != 0);
  info.StackReserve = 256 * 1024;
  info.StackCommit = 16 * 1024;
  CHECK_OK(TpSetPoolStackInformation(pool, &info));
  info.StackReserve = info.StackCommit = 0;
  CHECK_OK(TpQueryPoolStackInformation(pool, &info));
  CHECK_EQ(info.StackReserve, 256 * 1024);
  CHECK_EQ(info.StackCommit, 16 * 1024);
  CHECK_STATUS(TpQueryPoolStackInformation(pool, NULL), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(TpSetPoolStackInformation(pool, NULL), STATUS_INVALID_PARAMETER);

  CHECK(TpSetPoolMinThreads(pool, 2)); /* a BOOL: SetThreadpoolThreadMinimum forwards to it */
  TpSetPoolMaxThreads(pool, 4);
  /* Work runs on the pool's own (smaller-stacked) workers. */
  TP_CALLBACK_ENVIRON env;
  TP_WORK* work = NULL;
  init_environ(&env, pool);
  CHECK_OK(TpAllocWork(&work, count_work, NULL, &env));
  work_count = 0;
  for (int i = 0; i < 5; i++) TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_EQ(work_count, 5);
  TpReleaseWork(work);
  TpReleasePool(pool);
}

/* --- callback instances --- */

static HANDLE completion_event;
static volatile NTSTATUS event_state_in_callback;
static volatile NTSTATUS may_run_long_first, may_run_long_second;
static RTL_CRITICAL_SECTION completion_cs;

static void NTAPI completion_work(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WORK* work) {
  TpCallbackSetEventOnCompletion(instance, completion_event);
  RtlEnterCriticalSection(&completion_cs);
  TpCallbackLeaveCriticalSectionOnCompletion(instance, &completion_cs);
  /* The actions wait for the callback to return. */
  event_state_in_callback = wait_ms(completion_event, 0);
  may_run_long_first = TpCallbackMayRunLong(instance);
  may_run_long_second = TpCallbackMayRunLong(instance);
}

static void test_instance_completion(void) {
  TP_POOL* pool = NULL;
  TP_WORK* work = NULL;
  TP_CALLBACK_ENVIRON env;
  completion_event = new_event(TRUE);
  RtlInitializeCriticalSection(&completion_cs);
  CHECK_OK(TpAllocPool(&pool, NULL));
  TpSetPoolMaxThreads(pool, 1);
  init_environ(&env, pool);
  CHECK_OK(TpAllocWork(&work, completion_work, NULL, &env));
  TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_OK(wait_ms(completion_event, 5000));
  CHECK_STATUS(event_state_in_callback, STATUS_TIMEOUT);
  /* The only worker is busy with the callback: no other can be started. */
  CHECK_STATUS(may_run_long_first, STATUS_TOO_MANY_THREADS);
  CHECK_OK(may_run_long_second);
  /* The critical section was left on the worker's behalf. */
  CHECK(RtlTryEnterCriticalSection(&completion_cs));
  RtlLeaveCriticalSection(&completion_cs);
  TpReleaseWork(work);
  TpReleasePool(pool);

  /* The default pool can start another worker. */
  NtResetEvent(completion_event, NULL);
  CHECK_OK(TpAllocWork(&work, completion_work, NULL, NULL));
  TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_OK(may_run_long_first);
  CHECK_OK(wait_ms(completion_event, 5000));
  TpReleaseWork(work);
  RtlDeleteCriticalSection(&completion_cs);
  NtClose(completion_event);
}

static void NTAPI disassociating_work(TP_CALLBACK_INSTANCE* instance, PVOID context,
                                      TP_WORK* work) {
  TpDisassociateCallback(instance);
  TpDisassociateCallback(instance); /* a second call changes nothing */
  NtSetEvent(started, NULL);
  NtWaitForSingleObject(gate, FALSE, NULL);
  __atomic_add_fetch(&work_count, 1, __ATOMIC_SEQ_CST);
  NtSetEvent(completion_event, NULL);
}

static void test_disassociate(void) {
  TP_WORK* work = NULL;
  started = new_event(FALSE);
  gate = new_event(TRUE);
  completion_event = new_event(TRUE);
  work_count = 0;
  CHECK_OK(TpAllocWork(&work, disassociating_work, NULL, NULL));
  TpPostWork(work);
  CHECK_OK(wait_ms(started, 5000));
  /* The running callback no longer counts for the work object. */
  TpWaitForWork(work, FALSE);
  CHECK_EQ(work_count, 0);
  TpReleaseWork(work);
  NtSetEvent(gate, NULL);
  CHECK_OK(wait_ms(completion_event, 5000));
  CHECK_EQ(work_count, 1);
  NtClose(started);
  NtClose(gate);
  NtClose(completion_event);
}

/* --- cleanup groups --- */

static volatile LONG cancel_calls;
static volatile PVOID cancel_object_context, cancel_group_context;

static void NTAPI group_cancel(PVOID object_context, PVOID group_context) {
  cancel_object_context = object_context;
  cancel_group_context = group_context;
  __atomic_add_fetch(&cancel_calls, 1, __ATOMIC_SEQ_CST);
}

static void test_cleanup_group(void) {
  TP_POOL* pool = NULL;
  TP_CLEANUP_GROUP* group = NULL;
  TP_WORK *blocker = NULL, *work = NULL;
  TP_CALLBACK_ENVIRON env;
  gate = new_event(TRUE);
  started = new_event(FALSE);
  CHECK_OK(TpAllocCleanupGroup(&group));
  CHECK(group != NULL);
  CHECK_OK(TpAllocPool(&pool, NULL));
  TpSetPoolMaxThreads(pool, 1);
  init_environ(&env, pool);
  env.CleanupGroup = group;
  env.CleanupGroupCancelCallback = group_cancel;
  CHECK_OK(TpAllocWork(&blocker, blocking_work, (PVOID)0x1, &env));
  CHECK_OK(TpAllocWork(&work, count_work, (PVOID)0x2, &env));
  work_count = 0;
  cancel_calls = 0;
  TpPostWork(blocker);
  CHECK_OK(wait_ms(started, 5000));
  TpPostWork(work);
  TpPostWork(work);
  /* The caller released the blocker itself: only the work object is released for it. The
   * blocker still runs while its group is cleaned up, so the work callbacks are still queued. */
  TpReleaseWork(blocker);
  TpReleaseCleanupGroupMembers(group, TRUE, (PVOID)0xabc);
  CHECK_EQ(work_count, 1);
  CHECK_EQ(cancel_calls, 1);
  CHECK(cancel_object_context == (PVOID)0x2);
  CHECK(cancel_group_context == (PVOID)0xabc);

  /* Without cancelling, pending callbacks run first and no cancel callback is
   * made. */
  NtResetEvent(gate, NULL);
  CHECK_OK(TpAllocWork(&blocker, blocking_work, (PVOID)0x1, &env));
  CHECK_OK(TpAllocWork(&work, count_work, (PVOID)0x2, &env));
  work_count = 0;
  cancel_calls = 0;
  TpPostWork(blocker);
  CHECK_OK(wait_ms(started, 5000));
  TpPostWork(work);
  TpPostWork(work);
  NtSetEvent(gate, NULL);
  TpReleaseCleanupGroupMembers(group, FALSE, NULL);
  CHECK_EQ(work_count, 3);
  CHECK_EQ(cancel_calls, 0);

  /* An empty group, and one-shot callbacks in a group. */
  TpReleaseCleanupGroupMembers(group, FALSE, NULL);
  CHECK_OK(TpSimpleTryPost(simple_callback, (PVOID)0x5, &env));
  TpReleaseCleanupGroupMembers(group, FALSE, NULL);
  CHECK(simple_context == (PVOID)0x5);
  TpReleaseCleanupGroup(group);
  TpReleasePool(pool);
  NtClose(gate);
  NtClose(started);
}

/* --- timers --- */

static volatile LONG timer_count;
static volatile LONGLONG timer_fired_at;

static void NTAPI timer_callback(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_TIMER* timer) {
  if (!timer_fired_at) timer_fired_at = now_ms();
  __atomic_add_fetch(&timer_count, 1, __ATOMIC_SEQ_CST);
  NtSetEvent(started, NULL);
}

static void test_timer(void) {
  TP_TIMER* timer = NULL;
  LARGE_INTEGER due;
  started = new_event(FALSE);
  CHECK_OK(TpAllocTimer(&timer, timer_callback, NULL, NULL));
  CHECK(!TpIsTimerSet(timer));

  /* One shot, 100 ms from now. */
  timer_count = 0;
  timer_fired_at = 0;
  LONGLONG start = now_ms();
  due.QuadPart = -100 * 10000LL;
  TpSetTimer(timer, &due, 0, 0);
  CHECK(TpIsTimerSet(timer));
  CHECK_OK(wait_ms(started, 5000));
  nt_note("100 ms timer fired after %lld ms", timer_fired_at - start);
  CHECK(timer_fired_at - start >= 80);
  TpWaitForTimer(timer, FALSE);
  CHECK_EQ(timer_count, 1);

  /* Absolute due time and a period of 20 ms: several callbacks, then stopped.
   */
  timer_count = 0;
  due.QuadPart = now_ms() * 10000 + 20 * 10000LL;
  TpSetTimer(timer, &due, 20, 0);
  sleep_ms(300);
  TpSetTimer(timer, NULL, 0, 0);
  CHECK(!TpIsTimerSet(timer));
  TpWaitForTimer(timer, FALSE);
  LONG fired = timer_count;
  nt_note("20 ms periodic timer fired %d times in 300 ms", fired);
  CHECK(fired >= 3);
  sleep_ms(100);
  CHECK_EQ(timer_count, fired);

  /* Due time 0 fires at once. */
  timer_count = 0;
  due.QuadPart = 0;
  TpSetTimer(timer, &due, 0, 0);
  CHECK_OK(wait_ms(started, 5000));
  TpWaitForTimer(timer, FALSE);
  CHECK_EQ(timer_count, 1);

  /* Releasing a set timer stops it. */
  due.QuadPart = -50 * 10000LL;
  timer_count = 0;
  TpSetTimer(timer, &due, 0, 0);
  TpReleaseTimer(timer);
  sleep_ms(150);
  CHECK_EQ(timer_count, 0);
  NtClose(started);
}

/* --- waits --- */

static volatile ULONG wait_result_seen;
static volatile LONG wait_count;

static void NTAPI wait_callback(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WAIT* wait,
                                ULONG result) {
  wait_result_seen = result;
  __atomic_add_fetch(&wait_count, 1, __ATOMIC_SEQ_CST);
  NtSetEvent(started, NULL);
}

static void test_wait(void) {
  TP_WAIT* wait = NULL;
  HANDLE event = new_event(FALSE);
  LARGE_INTEGER timeout;
  started = new_event(FALSE);
  CHECK_OK(TpAllocWait(&wait, wait_callback, NULL, NULL));

  /* Signalled: WAIT_OBJECT_0, once. */
  wait_count = 0;
  wait_result_seen = 0xdead;
  TpSetWait(wait, event, NULL);
  sleep_ms(50);
  CHECK_EQ(wait_count, 0);
  NtSetEvent(event, NULL);
  CHECK_OK(wait_ms(started, 5000));
  TpWaitForWait(wait, FALSE);
  CHECK_EQ(wait_result_seen, 0);
  NtSetEvent(event, NULL); /* no longer registered */
  sleep_ms(50);
  CHECK_EQ(wait_count, 1);
  CHECK_STILL_SIGNALLED(event);

  /* Timed out: WAIT_TIMEOUT. */
  timeout.QuadPart = -50 * 10000LL;
  TpSetWait(wait, event, &timeout);
  CHECK_OK(wait_ms(started, 5000));
  TpWaitForWait(wait, FALSE);
  CHECK_EQ(wait_result_seen, WAIT_TIMEOUT_RESULT);

  /* Unregistered (handle NULL): no callback. */
  wait_count = 0;
  TpSetWait(wait, event, NULL);
  TpSetWait(wait, NULL, NULL);
  NtSetEvent(event, NULL);
  sleep_ms(100);
  CHECK_EQ(wait_count, 0);
  CHECK_STILL_SIGNALLED(event);

  /* A zero timeout on an unsignalled handle times out at once. */
  timeout.QuadPart = 0;
  NtResetEvent(event, NULL);
  wait_count = 0;
  TpSetWait(wait, event, &timeout);
  CHECK_OK(wait_ms(started, 5000));
  TpWaitForWait(wait, FALSE);
  CHECK_EQ(wait_result_seen, WAIT_TIMEOUT_RESULT);
  CHECK_EQ(wait_count, 1);

  /* Registered again after firing: the next signal is seen too. */
  TpSetWait(wait, event, NULL);
  NtSetEvent(event, NULL);
  CHECK_OK(wait_ms(started, 5000));
  TpWaitForWait(wait, FALSE);
  CHECK_EQ(wait_result_seen, 0);
  CHECK_EQ(wait_count, 2);
  CHECK_STATUS(wait_ms(event, 0), STATUS_TIMEOUT); /* the wait consumed the auto-reset signal */
  TpReleaseWait(wait);
  NtClose(event);
  NtClose(started);
}

/* --- priorities and the thread limit --- */

static volatile LONG order[8];
static volatile LONG order_next;

static void NTAPI record_order(TP_CALLBACK_INSTANCE* instance, PVOID context) {
  order[__atomic_fetch_add(&order_next, 1, __ATOMIC_SEQ_CST)] = (LONG)(intptr_t)context;
}

/* Context 0x1: the gate opens by itself after 300 ms. */
static void NTAPI blocking_simple(TP_CALLBACK_INSTANCE* instance, PVOID context) {
  NtSetEvent(started, NULL);
  if (context == (PVOID)0x1)
    wait_ms(gate, 300);
  else
    NtWaitForSingleObject(gate, FALSE, NULL);
}

/* On a one-thread pool, queued callbacks run high priority first, then normal, then low. */
static void test_priorities(void) {
  TP_POOL* pool = NULL;
  TP_CALLBACK_ENVIRON env;
  gate = new_event(TRUE);
  started = new_event(FALSE);
  CHECK_OK(TpAllocPool(&pool, NULL));
  TpSetPoolMaxThreads(pool, 1);
  init_environ(&env, pool);
  order_next = 0;
  CHECK_OK(TpSimpleTryPost(blocking_simple, NULL, &env));
  CHECK_OK(wait_ms(started, 5000));
  env.CallbackPriority = 2; /* low */
  CHECK_OK(TpSimpleTryPost(record_order, (PVOID)3, &env));
  env.CallbackPriority = 1; /* normal */
  CHECK_OK(TpSimpleTryPost(record_order, (PVOID)2, &env));
  env.CallbackPriority = 0; /* high */
  CHECK_OK(TpSimpleTryPost(record_order, (PVOID)1, &env));
  NtSetEvent(gate, NULL);
  for (int i = 0; i < 500 && order_next < 3; i++) sleep_ms(10);
  CHECK_EQ(order_next, 3);
  CHECK_EQ(order[0], 1);
  CHECK_EQ(order[1], 2);
  CHECK_EQ(order[2], 3);
  TpReleasePool(pool);
  NtClose(gate);
  NtClose(started);
}

static volatile LONG concurrent, max_concurrent;

static void NTAPI concurrent_work(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WORK* work) {
  LONG now = __atomic_add_fetch(&concurrent, 1, __ATOMIC_SEQ_CST);
  LONG seen = max_concurrent;
  while (now > seen && !__atomic_compare_exchange_n(&max_concurrent, &seen, now, FALSE,
                                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
  }
  sleep_ms(50);
  __atomic_sub_fetch(&concurrent, 1, __ATOMIC_SEQ_CST);
}

/* A pool limited to 2 threads never runs more than 2 callbacks at once, but does run 2. */
static void test_max_threads(void) {
  TP_POOL* pool = NULL;
  TP_WORK* work = NULL;
  TP_CALLBACK_ENVIRON env;
  CHECK_OK(TpAllocPool(&pool, NULL));
  TpSetPoolMaxThreads(pool, 2);
  init_environ(&env, pool);
  CHECK_OK(TpAllocWork(&work, concurrent_work, NULL, &env));
  concurrent = max_concurrent = 0;
  for (int i = 0; i < 6; i++) TpPostWork(work);
  TpWaitForWork(work, FALSE);
  nt_note("at most %d callbacks ran at once", max_concurrent);
  CHECK_EQ(max_concurrent, 2);
  TpReleaseWork(work);
  TpReleasePool(pool);
}

/* --- semaphore release on completion --- */

static HANDLE completion_semaphore;

static void NTAPI semaphore_work(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WORK* work) {
  TpCallbackReleaseSemaphoreOnCompletion(instance, completion_semaphore, 2);
}

static void test_release_semaphore_on_completion(void) {
  NTSTATUS status = NtCreateSemaphore(&completion_semaphore, SEMAPHORE_ALL_ACCESS, NULL, 0, 5);
  if (status == STATUS_NOT_IMPLEMENTED) {
    nt_note("no semaphores in this executive: TpCallbackReleaseSemaphoreOnCompletion untested");
    return;
  }
  CHECK_OK(status);
  TP_WORK* work = NULL;
  CHECK_OK(TpAllocWork(&work, semaphore_work, NULL, NULL));
  TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_OK(wait_ms(completion_semaphore, 1000));
  CHECK_OK(wait_ms(completion_semaphore, 1000));
  CHECK_STATUS(wait_ms(completion_semaphore, 0), STATUS_TIMEOUT);
  TpReleaseWork(work);
  NtClose(completion_semaphore);
}

/* --- timer queues --- */

static volatile LONG queue_timer_count;
static volatile UCHAR queue_timer_fired;
static volatile PVOID queue_timer_context;

static void NTAPI queue_timer_callback(PVOID context, UCHAR fired) {
  queue_timer_context = context;
  queue_timer_fired = fired;
  __atomic_add_fetch(&queue_timer_count, 1, __ATOMIC_SEQ_CST);
  NtSetEvent(started, NULL);
}

static void test_timer_queue(void) {
  HANDLE queue = NULL, timer = NULL, done = new_event(TRUE);
  started = new_event(FALSE);
  CHECK_OK(RtlCreateTimerQueue(&queue));
  CHECK(queue != NULL);

  /* One shot after 50 ms: TimerOrWaitFired is TRUE. */
  queue_timer_count = 0;
  CHECK_OK(
      RtlCreateTimer(queue, &timer, queue_timer_callback, (PVOID)0x42, 50, 0, WT_EXECUTEONLYONCE));
  CHECK(timer != NULL);
  CHECK_OK(wait_ms(started, 5000));
  CHECK(queue_timer_context == (PVOID)0x42);
  CHECK_EQ(queue_timer_fired, 1);
  /* A one-shot timer that expired is not updated (ChangeTimerQueueTimer's documentation). */
  CHECK_OK(RtlUpdateTimer(queue, timer, 10, 0));
  CHECK_STATUS(wait_ms(started, 100), STATUS_TIMEOUT);
  CHECK_OK(RtlDeleteTimer(queue, timer, INVALID_HANDLE));
  CHECK_EQ(queue_timer_count, 1);

  /* One that has not expired yet is: moved from 10 s to 10 ms. */
  CHECK_OK(RtlCreateTimer(queue, &timer, queue_timer_callback, NULL, 10000, 0, 0));
  CHECK_OK(RtlUpdateTimer(queue, timer, 10, 0));
  CHECK_OK(wait_ms(started, 5000));
  CHECK_OK(RtlDeleteTimer(queue, timer, INVALID_HANDLE));
  CHECK_EQ(queue_timer_count, 2);

  /* Periodic, then deleted with an event: set once the timer is gone. */
  queue_timer_count = 0;
  CHECK_OK(RtlCreateTimer(queue, &timer, queue_timer_callback, NULL, 0, 20, 0));
  sleep_ms(200);
  NTSTATUS status = RtlDeleteTimer(queue, timer, done);
  CHECK(status == STATUS_SUCCESS || status == STATUS_PENDING);
  CHECK_OK(wait_ms(done, 5000));
  LONG fired = queue_timer_count;
  nt_note("20 ms queue timer fired %d times in 200 ms", fired);
  CHECK(fired >= 3);
  sleep_ms(60);
  CHECK_EQ(queue_timer_count, fired);
  CHECK_STATUS(RtlDeleteTimer(queue, NULL, NULL), STATUS_INVALID_PARAMETER_1);

  /* Deleting the queue ends its timers; INVALID_HANDLE_VALUE waits for running callbacks. */
  queue_timer_count = 0;
  CHECK_OK(RtlCreateTimer(queue, &timer, queue_timer_callback, NULL, 0, 10, 0));
  HANDLE timer2 = NULL;
  CHECK_OK(RtlCreateTimer(queue, &timer2, queue_timer_callback, NULL, 100000, 0, 0));
  sleep_ms(50);
  CHECK_OK(RtlDeleteTimerQueueEx(queue, INVALID_HANDLE));
  fired = queue_timer_count;
  CHECK(fired >= 1);
  sleep_ms(50);
  CHECK_EQ(queue_timer_count, fired);

  /* With an event: it is set once the queue is gone. */
  NtResetEvent(done, NULL);
  CHECK_OK(RtlCreateTimerQueue(&queue));
  CHECK_OK(RtlCreateTimer(queue, &timer, queue_timer_callback, NULL, 100000, 0, 0));
  status = RtlDeleteTimerQueueEx(queue, done);
  CHECK(status == STATUS_SUCCESS || status == STATUS_PENDING);
  CHECK_OK(wait_ms(done, 5000));
  CHECK_STATUS(RtlDeleteTimerQueueEx(NULL, INVALID_HANDLE), STATUS_INVALID_HANDLE);

  /* The default queue (NULL). */
  NtResetEvent(started, NULL);
  CHECK_OK(RtlCreateTimer(NULL, &timer, queue_timer_callback, (PVOID)0x43, 10, 0, 0));
  CHECK_OK(wait_ms(started, 5000));
  CHECK(queue_timer_context == (PVOID)0x43);
  CHECK_OK(RtlDeleteTimer(NULL, timer, INVALID_HANDLE));
  NtClose(done);
  NtClose(started);
}

/* --- registered waits --- */

static volatile LONG registered_count;
static volatile UCHAR registered_timed_out;

static void NTAPI registered_callback(PVOID context, UCHAR timed_out) {
  registered_timed_out = timed_out;
  __atomic_add_fetch(&registered_count, 1, __ATOMIC_SEQ_CST);
  NtSetEvent(started, NULL);
}

static void test_register_wait(void) {
  HANDLE wait = NULL, event = new_event(FALSE), done = new_event(TRUE);
  started = new_event(FALSE);

  /* Repeating: every signal of the auto-reset event gives a callback. */
  registered_count = 0;
  CHECK_OK(RtlRegisterWait(&wait, event, registered_callback, NULL, INFINITE_MS, 0));
  CHECK(wait != NULL);
  for (int i = 0; i < 3; i++) {
    NtSetEvent(event, NULL);
    CHECK_OK(wait_ms(started, 5000));
    CHECK_EQ(registered_timed_out, 0);
  }
  CHECK_OK(RtlDeregisterWaitEx(wait, INVALID_HANDLE));
  CHECK_EQ(registered_count, 3);
  NtSetEvent(event, NULL);
  sleep_ms(50);
  CHECK_EQ(registered_count, 3);
  CHECK_STILL_SIGNALLED(event);

  /* Once, timing out: TimerOrWaitFired is TRUE. */
  registered_count = 0;
  CHECK_OK(RtlRegisterWait(&wait, event, registered_callback, NULL, 30, WT_EXECUTEONLYONCE));
  CHECK_OK(wait_ms(started, 5000));
  CHECK_EQ(registered_timed_out, 1);
  sleep_ms(100);
  CHECK_EQ(registered_count, 1);
  CHECK_OK(RtlDeregisterWaitEx(wait, done));
  CHECK_OK(wait_ms(done, 5000));

  /* Repeating with a timeout: several timeouts. */
  registered_count = 0;
  CHECK_OK(RtlRegisterWait(&wait, event, registered_callback, NULL, 20, 0));
  sleep_ms(200);
  CHECK_OK(RtlDeregisterWaitEx(wait, INVALID_HANDLE));
  nt_note("20 ms registered wait timed out %d times in 200 ms", registered_count);
  /* Windows resets the wait each time it completes, timeouts included; Wine waits again only
   * after a signal. */
  CHECK(registered_count >= (nt_is_wine() ? 1 : 3));

  /* Deregistered before it fires. */
  registered_count = 0;
  CHECK_OK(RtlRegisterWait(&wait, event, registered_callback, NULL, INFINITE_MS, 0));
  CHECK_OK(RtlDeregisterWait(wait));
  NtSetEvent(event, NULL);
  sleep_ms(50);
  CHECK_EQ(registered_count, 0);
  CHECK_STILL_SIGNALLED(event);
  NtClose(event);
  NtClose(done);
  NtClose(started);
}

/* --- I/O completion --- */

static void test_io_completion(void) {
  PVOID io = NULL;
  HANDLE event = new_event(FALSE);
  NTSTATUS status = TpAllocIoCompletion(&io, event, (PVOID)count_work, NULL, NULL);
  /* ntcore has no I/O completion ports yet: the status NtCreateIoCompletion gives. */
  if (nt_is_wine()) {
    nt_note("TpAllocIoCompletion on an event: 0x%08x", (unsigned)status);
    if (status == STATUS_SUCCESS) TpReleaseIoCompletion(io);
  } else {
    CHECK_STATUS(status, STATUS_NOT_IMPLEMENTED);
    CHECK_STATUS(RtlSetIoCompletionCallback(event, (PVOID)count_work, 0), STATUS_NOT_IMPLEMENTED);
  }
  NtClose(event);
}

/* --- mutex release on completion --- */

static HANDLE completion_mutex;
static volatile NTSTATUS mutex_acquired;

static void NTAPI mutex_work(TP_CALLBACK_INSTANCE* instance, PVOID context, TP_WORK* work) {
  mutex_acquired = wait_ms(completion_mutex, 1000);
  TpCallbackReleaseMutexOnCompletion(instance, completion_mutex);
}

static void test_release_mutex_on_completion(void) {
  NTSTATUS status = NtCreateMutant(&completion_mutex, MUTANT_ALL_ACCESS, NULL, FALSE);
  if (status == STATUS_NOT_IMPLEMENTED) {
    nt_note("no mutants in this executive: TpCallbackReleaseMutexOnCompletion untested");
    return;
  }
  CHECK_OK(status);
  TP_WORK* work = NULL;
  CHECK_OK(TpAllocWork(&work, mutex_work, NULL, NULL));
  TpPostWork(work);
  TpWaitForWork(work, FALSE);
  CHECK_OK(mutex_acquired);
  /* Released by the worker that owned it: free for this thread now. */
  CHECK_OK(wait_ms(completion_mutex, 1000));
  TpReleaseWork(work);
  NtClose(completion_mutex);
}

/* --- cleanup groups with one-shot callbacks, timers and waits --- */

static void test_cleanup_group_members(void) {
  TP_POOL* pool = NULL;
  TP_CLEANUP_GROUP* group = NULL;
  TP_CALLBACK_ENVIRON env;
  TP_TIMER* timer = NULL;
  TP_WAIT* wait = NULL;
  HANDLE event = new_event(FALSE);
  LARGE_INTEGER due;
  gate = new_event(TRUE);
  started = new_event(FALSE);
  CHECK_OK(TpAllocCleanupGroup(&group));
  CHECK_OK(TpAllocPool(&pool, NULL));
  TpSetPoolMaxThreads(pool, 1);
  init_environ(&env, pool);
  env.CleanupGroup = group;
  env.CleanupGroupCancelCallback = group_cancel;
  CHECK_OK(TpAllocTimer(&timer, timer_callback, (PVOID)0x10, &env));
  CHECK_OK(TpAllocWait(&wait, wait_callback, (PVOID)0x11, &env));
  due.QuadPart = -20 * 10000LL;
  timer_count = 0;
  TpSetTimer(timer, &due, 20, 0);
  wait_count = 0;
  TpSetWait(wait, event, NULL);
  order_next = 0;
  /* A one-shot callback still queued behind a blocker is cancelled with the group. */
  CHECK_OK(TpSimpleTryPost(blocking_simple, (PVOID)0x1, &env));
  CHECK_OK(wait_ms(started, 5000));
  CHECK_OK(TpSimpleTryPost(record_order, (PVOID)9, &env));
  cancel_calls = 0;
  TpReleaseCleanupGroupMembers(group, TRUE, NULL);
  /* Cancel callbacks for the timer, the wait and the one-shot callback that never ran (not the
   * blocker, which ran). */
  CHECK_EQ(cancel_calls, 3);
  CHECK_EQ(order_next, 0);
  /* The timer and the wait were released: they fire no more. */
  LONG timers = timer_count;
  NtSetEvent(event, NULL);
  sleep_ms(100);
  CHECK_EQ(timer_count, timers);
  CHECK_EQ(wait_count, 0);
  CHECK_STILL_SIGNALLED(event);
  TpReleaseCleanupGroup(group);
  TpReleasePool(pool);
  NtClose(event);
  NtClose(gate);
  NtClose(started);
}

/* --- callbacks that depend on each other --- */

static HANDLE first_event, second_event;
static volatile NTSTATUS first_status;

static void NTAPI waits_for_second(TP_CALLBACK_INSTANCE* instance, PVOID context) {
  first_status = wait_ms(second_event, 5000);
  NtSetEvent(first_event, NULL);
}

static void NTAPI sets_second(TP_CALLBACK_INSTANCE* instance, PVOID context) {
  NtSetEvent(second_event, NULL);
}

/* The default pool runs a callback posted right after one that waits for it. */
static void test_dependent_callbacks(void) {
  first_event = new_event(FALSE);
  second_event = new_event(FALSE);
  for (int i = 0; i < 5; i++) {
    CHECK_OK(TpSimpleTryPost(waits_for_second, NULL, NULL));
    CHECK_OK(TpSimpleTryPost(sets_second, NULL, NULL));
    CHECK_OK(wait_ms(first_event, 10000));
    CHECK_OK(first_status);
  }
  NtClose(first_event);
  NtClose(second_event);
}

void test_main(void) {
  test_work_post_and_wait();
  test_work_cancel_pending();
  test_work_release_with_pending();
  test_work_bad_priority();
  test_simple_try_post();
  test_queue_work_item();
  test_pool_settings();
  test_instance_completion();
  test_disassociate();
  test_cleanup_group();
  test_timer();
  test_wait();
  test_priorities();
  test_max_threads();
  test_release_semaphore_on_completion();
  test_timer_queue();
  test_register_wait();
  test_io_completion();
  test_release_mutex_on_completion();
  test_cleanup_group_members();
  test_dependent_callbacks();
}
