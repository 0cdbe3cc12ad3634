/* Shared by the thread pool sources (threadpool*.c, timer_queue.c, wait_registration.c): the
 * opaque TP_* layouts and the family's helpers (prefixed threadpool_). One SRW lock guards every
 * pool, object and cleanup group: callbacks never run under it, so it is held only briefly. */
#ifndef THREADPOOL_PRIVATE_H
#define THREADPOOL_PRIVATE_H

#include "ntdll_base.h"

typedef enum THREADPOOL_TYPE {
  THREADPOOL_SIMPLE,
  THREADPOOL_WORK,
  THREADPOOL_TIMER,
  THREADPOOL_WAIT,
  THREADPOOL_RTL_WORK,        /* RtlQueueWorkItem: WORKERCALLBACKFUNC(context) */
  THREADPOOL_RTL_WAITORTIMER, /* RtlCreateTimer / RtlRegisterWait: WAITORTIMERCALLBACK */
} THREADPOOL_TYPE;

typedef struct threadpool_link {
  struct threadpool_link *next, *prev;
} threadpool_link;

/* TP_POOL: worker threads started on demand up to max_threads; one queue per priority. */
typedef struct _TP_POOL {
  LONG refs; /* the caller's handle + one per object bound to the pool */
  ULONG max_threads, min_threads;
  ULONG threads, idle; /* started workers, and those waiting for work */
  ULONG wakeups;       /* idle workers woken for new work and not running yet */
  SIZE_T stack_reserve, stack_commit;
  threadpool_link queue[TP_CALLBACK_PRIORITY_COUNT]; /* objects with pending callbacks */
  RTL_CONDITION_VARIABLE work_ready;
} threadpool_pool;

typedef struct _TP_CLEANUP_GROUP {
  threadpool_link members;
  BOOL released;
} threadpool_group;

/* TP_WORK / TP_TIMER / TP_WAIT and TpSimpleTryPost's hidden object share this header. */
typedef struct threadpool_object {
  THREADPOOL_TYPE type;
  threadpool_pool* pool;
  PVOID callback;
  PVOID context;
  threadpool_group* group;
  PTP_CLEANUP_GROUP_CANCEL_CALLBACK group_cancel;
  PTP_SIMPLE_CALLBACK finalization;
  TP_CALLBACK_PRIORITY priority;
  BOOL may_run_long;
  BOOL released;              /* the caller let go of it (simple callbacks: from the start) */
  BOOL simple_cancelled;      /* TpSimpleTryPost callback cancelled with its cleanup group */
  BOOL group_busy;            /* TpReleaseCleanupGroupMembers holds it: not freed meanwhile */
  ULONG pending;              /* posted callbacks not started yet */
  ULONG running;              /* callbacks running and still associated with the object */
  threadpool_link queue_link; /* in pool->queue while pending > 0 */
  threadpool_link group_link; /* in group->members while group != NULL */
  /* Timers (threadpool_timer.c): timer_set as the caller sees it (a one-shot timer that fired
   * stays set); armed while in the timer thread's list. Due in 100 ns system time, period in ms. */
  BOOL timer_set;
  LONGLONG due;
  ULONG period;
  threadpool_link timer_link;
  /* Waits (threadpool_wait.c): wait_set while registered; in_wait_thread while the wait thread
   * waits on the handle (the object is not freed meanwhile); serial tells registrations apart. */
  HANDLE wait_handle;
  BOOL wait_set;
  BOOL in_wait_thread;
  ULONG wait_serial;
  LONGLONG wait_deadline; /* system time, or MAXLONGLONG for none */
  threadpool_link wait_link;
  ULONG wait_result; /* handed to the callback (WAIT_OBJECT_0 / WAIT_TIMEOUT) */
  /* RtlRegisterWait without WT_EXECUTEONLYONCE: registered again after each callback. */
  BOOL wait_repeat;
  ULONG wait_timeout_ms; /* INFINITE for none */
  /* RtlCreateTimer's queue (timer_queue.c), and the event RtlDeleteTimer / RtlDeregisterWaitEx
   * asked to be set once the object is gone. */
  struct threadpool_timer_queue* timer_queue;
  threadpool_link timer_queue_link;
  HANDLE done_event;
} threadpool_object;

/* RtlCreateTimerQueue's queue: its timers, and how many are not freed yet. */
typedef struct threadpool_timer_queue {
  threadpool_link timers;
  ULONG count;
  BOOL deleting;
  HANDLE done_event; /* RtlDeleteTimerQueueEx's event, set when the last timer is gone */
} threadpool_timer_queue;

/* TP_CALLBACK_INSTANCE: lives on the worker's stack while a callback runs. */
typedef struct _TP_CALLBACK_INSTANCE {
  threadpool_object* object;
  threadpool_pool* pool;
  BOOL associated; /* cleared by TpDisassociateCallback */
  BOOL may_run_long;
  RTL_CRITICAL_SECTION* leave_cs;
  HANDLE release_mutex;
  HANDLE release_semaphore;
  ULONG semaphore_count;
  HANDLE set_event;
  PVOID unload_dll;
} threadpool_instance;

extern RTL_SRWLOCK threadpool_lock;
/* Woken (all) whenever an object's pending + running count may have reached zero. */
extern RTL_CONDITION_VARIABLE threadpool_idle;

static inline void threadpool_list_init(threadpool_link* head) {
  head->next = head->prev = head;
}
static inline BOOL threadpool_list_empty(const threadpool_link* head) {
  return head->next == head;
}
static inline void threadpool_list_add_tail(threadpool_link* head, threadpool_link* link) {
  link->prev = head->prev;
  link->next = head;
  head->prev->next = link;
  head->prev = link;
}
static inline void threadpool_list_remove(threadpool_link* link) {
  link->prev->next = link->next;
  link->next->prev = link->prev;
  link->next = link->prev = link;
}
#define THREADPOOL_CURRENT_PROCESS ((HANDLE)(LONG_PTR)-1)
#define THREADPOOL_CONTAINER(ptr, type, field) ((type*)((char*)(ptr)-offsetof(type, field)))

/* Current system time (100 ns since 1601), and a due time as NT takes it (negative: relative)
 * made absolute. */
LONGLONG threadpool_now(void);
LONGLONG threadpool_absolute(LONGLONG due);
/* A service thread (timer or wait thread) running start(NULL); its handle is closed. */
NTSTATUS threadpool_start_thread(PVOID start);

void* threadpool_alloc(SIZE_T size);
void threadpool_free(void* p);

/* Creates an object bound to the environment's pool and cleanup group (STATUS_NO_MEMORY,
 * STATUS_INVALID_PARAMETER for a bad priority). */
NTSTATUS threadpool_object_create(THREADPOOL_TYPE type, PVOID callback, PVOID context,
                                  const TP_CALLBACK_ENVIRON* environment,
                                  threadpool_object** result);
/* Under threadpool_lock: queues one callback of the object (starts a worker when none is idle). */
void threadpool_post_locked(threadpool_object* object);
/* Under threadpool_lock: drops the pending callbacks; returns how many there were. */
ULONG threadpool_cancel_locked(threadpool_object* object);
/* Under threadpool_lock: waits until no callback of the object is pending or running. */
void threadpool_wait_locked(threadpool_object* object, BOOL cancel_pending);
/* Under threadpool_lock: the caller lets go of the object; frees it once idle. */
void threadpool_release_locked(threadpool_object* object);
/* Under threadpool_lock: frees the object if released and idle. */
void threadpool_maybe_free_locked(threadpool_object* object);

/* TpDisassociateCallback: the object stops waiting for this callback. */
void threadpool_disassociate(threadpool_instance* instance);

/* Under threadpool_lock: starts the timer thread if it is not running yet. */
NTSTATUS threadpool_timer_thread_ready_locked(void);
/* Under threadpool_lock: starts the wait thread if it is not running yet. */
NTSTATUS threadpool_wait_thread_ready_locked(void);
/* Under threadpool_lock: an object of a timer queue was freed (timer_queue.c). */
void threadpool_timer_queue_member_gone_locked(threadpool_timer_queue* queue);
/* RtlDeleteTimer / RtlDeregisterWaitEx: releases the object; completion is NULL (do not wait),
 * INVALID_HANDLE_VALUE (wait for its callbacks) or an event set once they are done. Returns
 * STATUS_PENDING when callbacks are still outstanding and nobody waited. */
NTSTATUS threadpool_delete_with_completion(threadpool_object* object, HANDLE completion);

/* Timers / waits stop serving an object (under threadpool_lock): threadpool_timer.c and
 * threadpool_wait.c. */
void threadpool_timer_unset_locked(threadpool_object* object);
void threadpool_wait_unset_locked(threadpool_object* object);
void threadpool_timer_set_locked(threadpool_object* timer, const LARGE_INTEGER* due, LONG period);
void threadpool_wait_set_locked(threadpool_object* wait, HANDLE handle,
                                const LARGE_INTEGER* timeout);
NTSTATUS threadpool_wait_alloc(THREADPOOL_TYPE type, PVOID callback, PVOID context,
                               TP_CALLBACK_ENVIRON* environment, threadpool_object** out);

NTSTATUS NTAPI NtReleaseMutant(HANDLE mutant, PLONG previous_count);
NTSTATUS NTAPI NtReleaseSemaphore(HANDLE semaphore, ULONG count, PULONG previous_count);
NTSTATUS NTAPI LdrUnloadDll(PVOID base);
PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID base);
DECLSPEC_NORETURN void NTAPI RtlExitUserThread(NTSTATUS status);
NTSTATUS NTAPI RtlCreateUserThread(HANDLE process, PSECURITY_DESCRIPTOR sd, BOOLEAN suspended,
                                   ULONG zero_bits, SIZE_T reserve, SIZE_T commit, PVOID start,
                                   PVOID parameter, PHANDLE thread, CLIENT_ID* client_id);
void NTAPI RtlAcquireSRWLockExclusive(RTL_SRWLOCK* lock);
void NTAPI RtlReleaseSRWLockExclusive(RTL_SRWLOCK* lock);
void NTAPI RtlInitializeConditionVariable(RTL_CONDITION_VARIABLE* cv);
void NTAPI RtlWakeConditionVariable(RTL_CONDITION_VARIABLE* cv);
void NTAPI RtlWakeAllConditionVariable(RTL_CONDITION_VARIABLE* cv);
NTSTATUS NTAPI RtlSleepConditionVariableSRW(RTL_CONDITION_VARIABLE* cv, RTL_SRWLOCK* lock,
                                            const LARGE_INTEGER* timeout, ULONG flags);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION* cs);

#endif
