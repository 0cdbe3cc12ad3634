/* The thread pool's core: pools (TpAllocPool and its settings), worker threads started on
 * demand, the per-priority queues and running a callback with its TP_CALLBACK_INSTANCE. */
#include "threadpool_private.h"

RTL_SRWLOCK threadpool_lock = RTL_SRWLOCK_INIT;
RTL_CONDITION_VARIABLE threadpool_idle = RTL_CONDITION_VARIABLE_INIT;

/* Windows' default pool allows 500 workers; idle workers above the minimum leave after 5 s. */
#define THREADPOOL_DEFAULT_MAX 500
#define THREADPOOL_IDLE_TIMEOUT (-5000LL * 10000)

static threadpool_pool default_pool;
static BOOL default_pool_ready;

void* threadpool_alloc(SIZE_T size) {
  return RtlAllocateHeap(ir_peb()->ProcessHeap, HEAP_ZERO_MEMORY, size);
}

void threadpool_free(void* p) {
  RtlFreeHeap(ir_peb()->ProcessHeap, 0, p);
}

LONGLONG threadpool_now(void) {
  LARGE_INTEGER now;
  NtQuerySystemTime(&now);
  return now.QuadPart;
}

LONGLONG threadpool_absolute(LONGLONG due) {
  return due < 0 ? threadpool_now() - due : due;
}

NTSTATUS threadpool_start_thread(PVOID start) {
  HANDLE thread;
  NTSTATUS status = RtlCreateUserThread(THREADPOOL_CURRENT_PROCESS, NULL, FALSE, 0, 0, 0, start,
                                        NULL, &thread, NULL);
  if (status == STATUS_SUCCESS) NtClose(thread);
  return status;
}

static void pool_init(threadpool_pool* pool) {
  pool->refs = 1;
  pool->max_threads = THREADPOOL_DEFAULT_MAX;
  for (int i = 0; i < TP_CALLBACK_PRIORITY_COUNT; i++) threadpool_list_init(&pool->queue[i]);
  RtlInitializeConditionVariable(&pool->work_ready);
  /* Workers get the executable's stack sizes, as Windows' do. */
  PIMAGE_NT_HEADERS nt = RtlImageNtHeader(ir_peb()->ImageBaseAddress);
  if (nt) {
    pool->stack_reserve = nt->OptionalHeader.SizeOfStackReserve;
    pool->stack_commit = nt->OptionalHeader.SizeOfStackCommit;
  }
}

static threadpool_pool* default_pool_locked(void) {
  if (!default_pool_ready) {
    pool_init(&default_pool);
    default_pool_ready = TRUE;
  }
  return &default_pool;
}

static void pool_free_if_unused_locked(threadpool_pool* pool) {
  if (pool->refs == 0 && pool->threads == 0 && pool != &default_pool) threadpool_free(pool);
}

static void pool_unref_locked(threadpool_pool* pool) {
  if (--pool->refs == 0) {
    RtlWakeAllConditionVariable(&pool->work_ready); /* idle workers of a closed pool leave */
    pool_free_if_unused_locked(pool);
  }
}

static threadpool_object* next_object_locked(threadpool_pool* pool) {
  for (int i = 0; i < TP_CALLBACK_PRIORITY_COUNT; i++) {
    if (!threadpool_list_empty(&pool->queue[i]))
      return THREADPOOL_CONTAINER(pool->queue[i].next, threadpool_object, queue_link);
  }
  return NULL;
}

static void run_callback(threadpool_object* object, threadpool_pool* pool);
static ULONG NTAPI worker_main(PVOID arg);

static NTSTATUS start_worker_locked(threadpool_pool* pool) {
  HANDLE thread;
  pool->threads++;
  NTSTATUS status =
      RtlCreateUserThread(THREADPOOL_CURRENT_PROCESS, NULL, FALSE, 0, pool->stack_reserve,
                          pool->stack_commit, (PVOID)worker_main, pool, &thread, NULL);
  if (status != STATUS_SUCCESS) {
    pool->threads--;
    return status;
  }
  NtClose(thread);
  return STATUS_SUCCESS;
}

static ULONG NTAPI worker_main(PVOID arg) {
  threadpool_pool* pool = arg;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  for (;;) {
    threadpool_object* object = next_object_locked(pool);
    if (object) {
      if (--object->pending == 0) threadpool_list_remove(&object->queue_link);
      object->running++;
      RtlReleaseSRWLockExclusive(&threadpool_lock);
      run_callback(object, pool);
      RtlAcquireSRWLockExclusive(&threadpool_lock);
      continue;
    }
    if (pool->refs == 0) break;
    LARGE_INTEGER timeout = {.QuadPart = THREADPOOL_IDLE_TIMEOUT};
    pool->idle++;
    NTSTATUS status =
        RtlSleepConditionVariableSRW(&pool->work_ready, &threadpool_lock,
                                     pool->threads > pool->min_threads ? &timeout : NULL, 0);
    pool->idle--;
    if (pool->wakeups) pool->wakeups--;
    if (status == STATUS_TIMEOUT && !next_object_locked(pool) && pool->threads > pool->min_threads)
      break;
  }
  pool->threads--;
  pool_free_if_unused_locked(pool);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  RtlExitUserThread(STATUS_SUCCESS);
}

void threadpool_post_locked(threadpool_object* object) {
  threadpool_pool* pool = object->pool;
  if (object->pending++ == 0)
    threadpool_list_add_tail(&pool->queue[object->priority], &object->queue_link);
  /* A sleeping worker not woken yet takes it; otherwise add a worker while the pool allows
   * more. */
  if (pool->idle > pool->wakeups) {
    pool->wakeups++;
    RtlWakeConditionVariable(&pool->work_ready);
  } else if (pool->threads < pool->max_threads)
    start_worker_locked(pool);
}

ULONG threadpool_cancel_locked(threadpool_object* object) {
  ULONG cancelled = object->pending;
  if (cancelled) {
    object->pending = 0;
    threadpool_list_remove(&object->queue_link);
    RtlWakeAllConditionVariable(&threadpool_idle);
  }
  return cancelled;
}

void threadpool_wait_locked(threadpool_object* object, BOOL cancel_pending) {
  if (cancel_pending) threadpool_cancel_locked(object);
  while (object->pending || object->running)
    RtlSleepConditionVariableSRW(&threadpool_idle, &threadpool_lock, NULL, 0);
}

void threadpool_maybe_free_locked(threadpool_object* object) {
  if (!object->released || object->pending || object->running || object->group_busy ||
      object->timer_set || object->wait_set || object->in_wait_thread)
    return;
  if (object->group) threadpool_list_remove(&object->group_link);
  if (object->done_event) NtSetEvent(object->done_event, NULL);
  if (object->timer_queue) {
    threadpool_list_remove(&object->timer_queue_link);
    threadpool_timer_queue_member_gone_locked(object->timer_queue);
  }
  threadpool_pool* pool = object->pool;
  threadpool_free(object);
  pool_unref_locked(pool);
}

NTSTATUS threadpool_delete_with_completion(threadpool_object* object, HANDLE completion) {
  NTSTATUS status = STATUS_SUCCESS;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_timer_unset_locked(object);
  threadpool_wait_unset_locked(object);
  if (completion == INVALID_HANDLE_VALUE)
    threadpool_wait_locked(object, FALSE);
  else if (object->pending || object->running)
    status = STATUS_PENDING;
  if (completion != INVALID_HANDLE_VALUE) object->done_event = completion;
  threadpool_release_locked(object);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return status;
}

void threadpool_release_locked(threadpool_object* object) {
  threadpool_timer_unset_locked(object);
  threadpool_wait_unset_locked(object);
  object->released = TRUE;
  threadpool_maybe_free_locked(object);
}

NTSTATUS threadpool_object_create(THREADPOOL_TYPE type, PVOID callback, PVOID context,
                                  const TP_CALLBACK_ENVIRON* environment,
                                  threadpool_object** result) {
  threadpool_pool* pool = NULL;
  threadpool_group* group = NULL;
  TP_CALLBACK_PRIORITY priority = TP_CALLBACK_PRIORITY_NORMAL;
  threadpool_object* object = threadpool_alloc(sizeof(*object));
  if (!object) return STATUS_NO_MEMORY;
  if (environment) {
    /* Version 1 ends before CallbackPriority; version 3 adds it and Size. */
    pool = (threadpool_pool*)environment->Pool;
    group = (threadpool_group*)environment->CleanupGroup;
    object->group_cancel = environment->CleanupGroupCancelCallback;
    object->finalization = environment->FinalizationCallback;
    object->may_run_long = environment->u.s.LongFunction;
    if (environment->Version == 3) priority = environment->CallbackPriority;
    if ((ULONG)priority >= TP_CALLBACK_PRIORITY_COUNT) {
      threadpool_free(object);
      return STATUS_INVALID_PARAMETER;
    }
  }
  object->type = type;
  object->callback = callback;
  object->context = context;
  object->priority = priority;
  threadpool_list_init(&object->queue_link);
  threadpool_list_init(&object->group_link);
  threadpool_list_init(&object->timer_link);
  threadpool_list_init(&object->wait_link);
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  if (!pool) pool = default_pool_locked();
  pool->refs++;
  object->pool = pool;
  if (group) {
    object->group = group;
    threadpool_list_add_tail(&group->members, &object->group_link);
  }
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  *result = object;
  return STATUS_SUCCESS;
}

/* The OnCompletion actions run after the callback (and the finalization callback) returned. */
static void run_completion_actions(const threadpool_instance* instance) {
  if (instance->leave_cs) RtlLeaveCriticalSection(instance->leave_cs);
  if (instance->release_mutex) NtReleaseMutant(instance->release_mutex, NULL);
  if (instance->release_semaphore)
    NtReleaseSemaphore(instance->release_semaphore, instance->semaphore_count, NULL);
  if (instance->set_event) NtSetEvent(instance->set_event, NULL);
  if (instance->unload_dll) LdrUnloadDll(instance->unload_dll);
}

static void run_callback(threadpool_object* object, threadpool_pool* pool) {
  threadpool_instance instance = {0};
  instance.object = object;
  instance.pool = pool;
  instance.associated = TRUE;
  instance.may_run_long = object->may_run_long;
  /* The object may be freed once the callback disassociates itself: read it first. */
  PTP_SIMPLE_CALLBACK finalization = object->finalization;
  PVOID callback = object->callback, context = object->context;
  PTP_CALLBACK_INSTANCE cbi = (PTP_CALLBACK_INSTANCE)&instance;
  switch (object->type) {
    case THREADPOOL_SIMPLE:
      ((PTP_SIMPLE_CALLBACK)callback)(cbi, context);
      break;
    case THREADPOOL_WORK:
      ((PTP_WORK_CALLBACK)callback)(cbi, context, (PTP_WORK)object);
      break;
    case THREADPOOL_TIMER:
      ((PTP_TIMER_CALLBACK)callback)(cbi, context, (PTP_TIMER)object);
      break;
    case THREADPOOL_WAIT:
      ((PTP_WAIT_CALLBACK)callback)(cbi, context, (PTP_WAIT)object, object->wait_result);
      break;
    case THREADPOOL_RTL_WORK:
      ((WORKERCALLBACKFUNC)callback)(context);
      break;
    case THREADPOOL_RTL_WAITORTIMER:
      ((WAITORTIMERCALLBACK)callback)(context, object->wait_result != WAIT_OBJECT_0);
      break;
  }
  if (finalization) finalization(cbi, context);
  run_completion_actions(&instance);
  if (!instance.associated) return;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  if (--object->running == 0 && !object->pending) RtlWakeAllConditionVariable(&threadpool_idle);
  threadpool_maybe_free_locked(object);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* Called by TpDisassociateCallback: the object no longer waits for this callback. */
void threadpool_disassociate(threadpool_instance* instance) {
  if (!instance->associated) return;
  instance->associated = FALSE;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  threadpool_object* object = instance->object;
  if (--object->running == 0 && !object->pending) RtlWakeAllConditionVariable(&threadpool_idle);
  threadpool_maybe_free_locked(object);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT NTSTATUS NTAPI TpCallbackMayRunLong(TP_CALLBACK_INSTANCE* cbi) {
  threadpool_instance* instance = (threadpool_instance*)cbi;
  if (instance->may_run_long) return STATUS_SUCCESS;
  NTSTATUS status = STATUS_SUCCESS;
  threadpool_pool* pool = instance->pool;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  /* The long callback keeps its worker: other work needs an idle one or a new one. */
  if (pool->idle <= pool->wakeups) {
    if (pool->threads < pool->max_threads)
      status = start_worker_locked(pool);
    else
      status = STATUS_TOO_MANY_THREADS;
  }
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  instance->may_run_long = TRUE;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI TpAllocPool(TP_POOL** out, PVOID reserved) {
  threadpool_pool* pool = threadpool_alloc(sizeof(*pool));
  if (!pool) return STATUS_NO_MEMORY;
  pool_init(pool);
  *out = pool;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT void NTAPI TpReleasePool(TP_POOL* pool) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  pool_unref_locked(pool);
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

NTDLL_EXPORT void NTAPI TpSetPoolMaxThreads(TP_POOL* pool, DWORD maximum) {
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  pool->max_threads = maximum;
  if (pool->min_threads > maximum) pool->min_threads = maximum;
  RtlReleaseSRWLockExclusive(&threadpool_lock);
}

/* A BOOL, not an NTSTATUS: kernel32's SetThreadpoolThreadMinimum is a forwarder to it. */
NTDLL_EXPORT BOOL NTAPI TpSetPoolMinThreads(TP_POOL* pool, DWORD minimum) {
  NTSTATUS status = STATUS_SUCCESS;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  /* The minimum is kept running from now on. */
  while (pool->threads < minimum && status == STATUS_SUCCESS) status = start_worker_locked(pool);
  if (status == STATUS_SUCCESS) {
    pool->min_threads = minimum;
    if (pool->max_threads < minimum) pool->max_threads = minimum;
  }
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return status == STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI TpSetPoolStackInformation(TP_POOL* pool,
                                                      TP_POOL_STACK_INFORMATION* info) {
  if (!info) return STATUS_INVALID_PARAMETER;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  if (!pool) pool = default_pool_locked();
  pool->stack_reserve = info->StackReserve;
  pool->stack_commit = info->StackCommit;
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI TpQueryPoolStackInformation(TP_POOL* pool,
                                                        TP_POOL_STACK_INFORMATION* info) {
  if (!info) return STATUS_INVALID_PARAMETER;
  RtlAcquireSRWLockExclusive(&threadpool_lock);
  if (!pool) pool = default_pool_locked();
  info->StackReserve = pool->stack_reserve;
  info->StackCommit = pool->stack_commit;
  RtlReleaseSRWLockExclusive(&threadpool_lock);
  return STATUS_SUCCESS;
}
