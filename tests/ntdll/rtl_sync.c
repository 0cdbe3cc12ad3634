/* Synchronisation primitives (ntcore/ntdll/rtl/critical_section.c, srw_lock.c,
 * condition_variable.c, run_once.c, wait_on_address.c, slist.c, peb_lock.c) and the thread
 * alerts they sleep on, on one thread: layouts, the owner's paths, timeouts and argument errors.
 * rtl_sync_contention.c has them under contention. */
#include "rtl_sync_api.h"

typedef unsigned char BYTE;
typedef unsigned short WORD;
typedef int BOOL;

typedef struct RTL_RUN_ONCE {
  PVOID Ptr;
} RTL_RUN_ONCE;
typedef struct __attribute__((aligned(16))) SLIST_ENTRY {
  struct SLIST_ENTRY* Next;
} SLIST_ENTRY;
typedef struct __attribute__((aligned(16))) SLIST_HEADER {
  ULONGLONG Alignment;
  ULONGLONG Region;
} SLIST_HEADER;
typedef ULONG(NTAPI* RUN_ONCE_FN)(RTL_RUN_ONCE*, PVOID, PVOID*);

#define RTL_CRITICAL_SECTION_FLAG_NO_DEBUG_INFO 0x01000000
#define RTL_RUN_ONCE_CHECK_ONLY 1
#define RTL_RUN_ONCE_ASYNC 2
#define RTL_RUN_ONCE_INIT_FAILED 4
#define CONDITION_VARIABLE_LOCKMODE_SHARED 1
#define STATUS_INVALID_CID ((NTSTATUS)0xC000000B)

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(RTL_CRITICAL_SECTION* cs, ULONG spin);
NTSTATUS NTAPI RtlInitializeCriticalSectionEx(RTL_CRITICAL_SECTION* cs, ULONG spin, ULONG flags);
BOOL NTAPI RtlTryEnterCriticalSection(RTL_CRITICAL_SECTION* cs);
ULONG NTAPI RtlSetCriticalSectionSpinCount(RTL_CRITICAL_SECTION* cs, ULONG spin);
BOOL NTAPI RtlIsCriticalSectionLocked(RTL_CRITICAL_SECTION* cs);
BOOL NTAPI RtlIsCriticalSectionLockedByThread(RTL_CRITICAL_SECTION* cs);
void NTAPI RtlInitializeSRWLock(RTL_SRWLOCK* lock);
BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(RTL_SRWLOCK* lock);
BOOLEAN NTAPI RtlTryAcquireSRWLockShared(RTL_SRWLOCK* lock);
void NTAPI RtlInitializeConditionVariable(RTL_CONDITION_VARIABLE* cv);
void NTAPI RtlRunOnceInitialize(RTL_RUN_ONCE* once);
NTSTATUS NTAPI RtlRunOnceBeginInitialize(RTL_RUN_ONCE* once, ULONG flags, PVOID* context);
NTSTATUS NTAPI RtlRunOnceComplete(RTL_RUN_ONCE* once, ULONG flags, PVOID context);
NTSTATUS NTAPI RtlRunOnceExecuteOnce(RTL_RUN_ONCE* once, RUN_ONCE_FN fn, PVOID param,
                                     PVOID* context);
void NTAPI RtlWakeAddressAll(const void* address);
void NTAPI RtlInitializeSListHead(SLIST_HEADER* head);
SLIST_ENTRY* NTAPI RtlFirstEntrySList(const SLIST_HEADER* head);
SLIST_ENTRY* NTAPI RtlInterlockedPushEntrySList(SLIST_HEADER* head, SLIST_ENTRY* entry);
SLIST_ENTRY* NTAPI RtlInterlockedPopEntrySList(SLIST_HEADER* head);
SLIST_ENTRY* NTAPI RtlInterlockedFlushSList(SLIST_HEADER* head);
SLIST_ENTRY* NTAPI RtlInterlockedPushListSListEx(SLIST_HEADER* head, SLIST_ENTRY* first,
                                                 SLIST_ENTRY* last, ULONG count);
WORD NTAPI RtlQueryDepthSList(SLIST_HEADER* head);
void NTAPI RtlAcquirePebLock(void);
void NTAPI RtlReleasePebLock(void);
NTSTATUS NTAPI NtWaitForAlertByThreadId(const void* address, const LARGE_INTEGER* timeout);
NTSTATUS NTAPI NtAlertThreadByThreadId(HANDLE tid);

static HANDLE own_tid(void) {
  HANDLE tid;
  __asm__("movq %%gs:0x48, %0" : "=r"(tid)); /* TEB.ClientId.UniqueThread */
  return tid;
}

static ULONGLONG now_us(void) {
  LARGE_INTEGER counter, frequency;
  NtQueryPerformanceCounter(&counter, &frequency);
  return (ULONGLONG)(counter.QuadPart * 1000000 / frequency.QuadPart);
}

static void test_critical_section(void) {
  RTL_CRITICAL_SECTION cs;
  CHECK_OK(RtlInitializeCriticalSection(&cs));
  CHECK_EQ(cs.LockCount, -1);
  CHECK_EQ(cs.RecursionCount, 0);
  CHECK(cs.OwningThread == NULL);
  CHECK(cs.DebugInfo != NULL);
  CHECK(!RtlIsCriticalSectionLocked(&cs));

  CHECK_OK(RtlEnterCriticalSection(&cs));
  /* Vista+: bit 0 clear = held, nobody waiting. Wine keeps the NT 4 encoding (0 = held once). */
  if (!nt_is_wine()) CHECK_EQ(cs.LockCount, -2);
  CHECK_EQ(cs.RecursionCount, 1);
  CHECK(cs.OwningThread == own_tid());
  CHECK(RtlIsCriticalSectionLocked(&cs));
  CHECK(RtlIsCriticalSectionLockedByThread(&cs));

  CHECK_OK(RtlEnterCriticalSection(&cs)); /* recursion leaves LockCount alone */
  if (!nt_is_wine()) CHECK_EQ(cs.LockCount, -2);
  CHECK_EQ(cs.RecursionCount, 2);
  CHECK(RtlTryEnterCriticalSection(&cs));
  CHECK_EQ(cs.RecursionCount, 3);

  CHECK_OK(RtlLeaveCriticalSection(&cs));
  CHECK_OK(RtlLeaveCriticalSection(&cs));
  CHECK_EQ(cs.RecursionCount, 1);
  CHECK(cs.OwningThread == own_tid());
  CHECK_OK(RtlLeaveCriticalSection(&cs));
  CHECK_EQ(cs.LockCount, -1);
  CHECK_EQ(cs.RecursionCount, 0);
  CHECK(cs.OwningThread == NULL);
  CHECK(!RtlIsCriticalSectionLockedByThread(&cs));
  CHECK(cs.LockSemaphore == NULL); /* no contention, no event */

  CHECK(RtlTryEnterCriticalSection(&cs));
  if (!nt_is_wine()) CHECK_EQ(cs.LockCount, -2);
  CHECK_OK(RtlLeaveCriticalSection(&cs));

  /* Many rounds: the owner's paths never touch the event. */
  const ULONGLONG t0 = now_us();
  for (int i = 0; i < 1000000; ++i) {
    RtlEnterCriticalSection(&cs);
    RtlLeaveCriticalSection(&cs);
  }
  nt_note("1000000 enter/leave pairs in %llu us", now_us() - t0);
  CHECK(cs.LockSemaphore == NULL);
  CHECK_OK(RtlDeleteCriticalSection(&cs));

  CHECK_OK(RtlInitializeCriticalSectionEx(&cs, 0, RTL_CRITICAL_SECTION_FLAG_NO_DEBUG_INFO));
  CHECK(cs.DebugInfo == (PVOID)-1);
  CHECK_EQ(cs.LockCount, -1);
  CHECK_OK(RtlDeleteCriticalSection(&cs));

  CHECK_OK(RtlInitializeCriticalSectionAndSpinCount(&cs, 4000));
  const ULONG processors = *(ULONG*)((BYTE*)nt_peb() + 0xB8);
  nt_note("SpinCount 0x%llx with %u processors", (ULONGLONG)cs.SpinCount, processors);
  if (processors > 1) CHECK_EQ(cs.SpinCount & 0xFFFFFF, 4000);
  const ULONG old = RtlSetCriticalSectionSpinCount(&cs, 100);
  if (processors > 1) {
    CHECK_EQ(old & 0xFFFFFF, 4000);
    CHECK_EQ(cs.SpinCount & 0xFFFFFF, 100);
  }
  CHECK_OK(RtlDeleteCriticalSection(&cs));
}

static void test_srw_lock(void) {
  RTL_SRWLOCK lock = {(PVOID)0x55};
  RtlInitializeSRWLock(&lock);
  CHECK(lock.Ptr == NULL);

  RtlAcquireSRWLockExclusive(&lock);
  CHECK(lock.Ptr != NULL);
  CHECK(!RtlTryAcquireSRWLockExclusive(&lock));
  CHECK(!RtlTryAcquireSRWLockShared(&lock));
  RtlReleaseSRWLockExclusive(&lock);
  CHECK(lock.Ptr == NULL);

  RtlAcquireSRWLockShared(&lock);
  RtlAcquireSRWLockShared(&lock);
  CHECK(RtlTryAcquireSRWLockShared(&lock));
  CHECK(!RtlTryAcquireSRWLockExclusive(&lock));
  RtlReleaseSRWLockShared(&lock);
  RtlReleaseSRWLockShared(&lock);
  CHECK(lock.Ptr != NULL);
  CHECK(!RtlTryAcquireSRWLockExclusive(&lock));
  RtlReleaseSRWLockShared(&lock);
  CHECK(lock.Ptr == NULL);

  CHECK(RtlTryAcquireSRWLockExclusive(&lock));
  RtlReleaseSRWLockExclusive(&lock);
  CHECK(lock.Ptr == NULL);
}

static void test_condition_variable(void) {
  RTL_CONDITION_VARIABLE cv = {(PVOID)0x55};
  RtlInitializeConditionVariable(&cv);
  CHECK(cv.Ptr == NULL);
  RtlWakeConditionVariable(&cv); /* nobody waiting: nothing happens */
  RtlWakeAllConditionVariable(&cv);

  RTL_CRITICAL_SECTION cs;
  RtlInitializeCriticalSection(&cs);
  RtlEnterCriticalSection(&cs);
  LARGE_INTEGER timeout = {.QuadPart = -50 * 10000}; /* 50 ms */
  ULONGLONG t0 = now_us();
  CHECK_STATUS(RtlSleepConditionVariableCS(&cv, &cs, &timeout), STATUS_TIMEOUT);
  ULONGLONG took = now_us() - t0;
  nt_note("a 50 ms condition variable wait took %llu us", took);
  CHECK(took >= 40000 && took < 2000000);
  CHECK_EQ(cs.RecursionCount, 1); /* the section is held again */
  CHECK(cs.OwningThread == own_tid());
  timeout.QuadPart = 0;
  CHECK_STATUS(RtlSleepConditionVariableCS(&cv, &cs, &timeout), STATUS_TIMEOUT);
  CHECK(cs.OwningThread == own_tid());
  RtlLeaveCriticalSection(&cs);
  RtlDeleteCriticalSection(&cs);

  RTL_SRWLOCK lock;
  RtlInitializeSRWLock(&lock);
  RtlAcquireSRWLockExclusive(&lock);
  timeout.QuadPart = -20 * 10000;
  CHECK_STATUS(RtlSleepConditionVariableSRW(&cv, &lock, &timeout, 0), STATUS_TIMEOUT);
  CHECK(!RtlTryAcquireSRWLockShared(&lock)); /* held exclusively again */
  RtlReleaseSRWLockExclusive(&lock);

  RtlAcquireSRWLockShared(&lock);
  CHECK_STATUS(
      RtlSleepConditionVariableSRW(&cv, &lock, &timeout, CONDITION_VARIABLE_LOCKMODE_SHARED),
      STATUS_TIMEOUT);
  CHECK(!RtlTryAcquireSRWLockExclusive(&lock)); /* held shared again */
  CHECK(RtlTryAcquireSRWLockShared(&lock));
  RtlReleaseSRWLockShared(&lock);
  RtlReleaseSRWLockShared(&lock);
  CHECK(lock.Ptr == NULL);
}

static void test_wait_on_address(void) {
  ULONG value = 5, other = 6, same = 5;
  USHORT word = 7, word_same = 7;
  /* A value that differs already: no wait. */
  CHECK_OK(RtlWaitOnAddress(&value, &other, sizeof value, NULL));
  LARGE_INTEGER timeout = {.QuadPart = -30 * 10000};
  const ULONGLONG t0 = now_us();
  CHECK_STATUS(RtlWaitOnAddress(&value, &same, sizeof value, &timeout), STATUS_TIMEOUT);
  const ULONGLONG took = now_us() - t0;
  nt_note("a 30 ms address wait took %llu us", took);
  CHECK(took >= 20000 && took < 2000000);
  timeout.QuadPart = 0;
  CHECK_STATUS(RtlWaitOnAddress(&word, &word_same, sizeof word, &timeout), STATUS_TIMEOUT);
  CHECK_STATUS(RtlWaitOnAddress(&value, &same, 3, &timeout), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlWaitOnAddress(&value, &same, 16, &timeout), STATUS_INVALID_PARAMETER);
  RtlWakeAddressSingle(&value); /* nobody waiting */
  RtlWakeAddressAll(&value);
}

static ULONG NTAPI count_calls(RTL_RUN_ONCE* once, PVOID param, PVOID* context) {
  ++*(int*)param;
  if (context) *context = (PVOID)0x1230;
  return 1;
}
static ULONG NTAPI fail_once(RTL_RUN_ONCE* once, PVOID param, PVOID* context) {
  return ++*(int*)param > 1;
}

static void test_run_once(void) {
  RTL_RUN_ONCE once;
  RtlRunOnceInitialize(&once);
  CHECK(once.Ptr == NULL);
  int calls = 0;
  PVOID context = NULL;
  CHECK_OK(RtlRunOnceExecuteOnce(&once, count_calls, &calls, &context));
  CHECK(context == (PVOID)0x1230);
  context = NULL;
  CHECK_OK(RtlRunOnceExecuteOnce(&once, count_calls, &calls, &context));
  CHECK(context == (PVOID)0x1230);
  CHECK_EQ(calls, 1);

  RtlRunOnceInitialize(&once);
  calls = 0;
  CHECK_STATUS(RtlRunOnceExecuteOnce(&once, fail_once, &calls, NULL), STATUS_UNSUCCESSFUL);
  CHECK_OK(RtlRunOnceExecuteOnce(&once, fail_once, &calls, NULL)); /* tried again */
  CHECK_OK(RtlRunOnceExecuteOnce(&once, fail_once, &calls, NULL));
  CHECK_EQ(calls, 2);

  /* Begin/complete by hand. */
  RtlRunOnceInitialize(&once);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_CHECK_ONLY, &context),
               STATUS_UNSUCCESSFUL);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, 0, &context), STATUS_PENDING);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_ASYNC, &context),
               STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlRunOnceComplete(&once, 0, (PVOID)0x1231), STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlRunOnceComplete(&once, 0, (PVOID)0x4560));
  context = NULL;
  CHECK_OK(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_CHECK_ONLY, &context));
  CHECK(context == (PVOID)0x4560);
  CHECK_OK(RtlRunOnceBeginInitialize(&once, 0, &context));
  CHECK_STATUS(RtlRunOnceComplete(&once, 0, NULL), STATUS_UNSUCCESSFUL); /* done already */

  /* Asynchronous: every caller initialises, the first completion wins. */
  RtlRunOnceInitialize(&once);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_ASYNC, &context), STATUS_PENDING);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_ASYNC, &context), STATUS_PENDING);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, 0, &context), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(RtlRunOnceComplete(&once, 0, NULL), STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlRunOnceComplete(&once, RTL_RUN_ONCE_ASYNC, (PVOID)0x7770));
  CHECK_STATUS(RtlRunOnceComplete(&once, RTL_RUN_ONCE_ASYNC, (PVOID)0x8880),
               STATUS_UNSUCCESSFUL); /* too late */
  CHECK_OK(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_ASYNC, &context));
  CHECK(context == (PVOID)0x7770);

  /* A failed synchronous initialisation returns to the start; contradictory flags are refused. */
  RtlRunOnceInitialize(&once);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, 0, NULL), STATUS_PENDING);
  CHECK_STATUS(RtlRunOnceComplete(&once, RTL_RUN_ONCE_INIT_FAILED, (PVOID)0x10),
               STATUS_INVALID_PARAMETER);
  CHECK_OK(RtlRunOnceComplete(&once, RTL_RUN_ONCE_INIT_FAILED, NULL));
  CHECK(once.Ptr == NULL);
  CHECK_STATUS(RtlRunOnceBeginInitialize(&once, RTL_RUN_ONCE_CHECK_ONLY | RTL_RUN_ONCE_ASYNC, NULL),
               STATUS_INVALID_PARAMETER);
}

static void test_slist(void) {
  static SLIST_HEADER head;
  static SLIST_ENTRY entries[5];
  RtlInitializeSListHead(&head);
  CHECK_EQ(RtlQueryDepthSList(&head), 0);
  CHECK(RtlFirstEntrySList(&head) == NULL);
  CHECK(RtlInterlockedPopEntrySList(&head) == NULL);
  CHECK(RtlInterlockedFlushSList(&head) == NULL);

  CHECK(RtlInterlockedPushEntrySList(&head, &entries[0]) == NULL);
  CHECK(RtlInterlockedPushEntrySList(&head, &entries[1]) == &entries[0]);
  CHECK(RtlInterlockedPushEntrySList(&head, &entries[2]) == &entries[1]);
  CHECK_EQ(RtlQueryDepthSList(&head), 3);
  CHECK(RtlFirstEntrySList(&head) == &entries[2]);
  CHECK(RtlInterlockedPopEntrySList(&head) == &entries[2]); /* last in, first out */
  CHECK(RtlInterlockedPopEntrySList(&head) == &entries[1]);
  CHECK_EQ(RtlQueryDepthSList(&head), 1);

  /* A prepared chain 3 -> 4 goes on in one step. */
  entries[3].Next = &entries[4];
  CHECK(RtlInterlockedPushListSListEx(&head, &entries[3], &entries[4], 2) == &entries[0]);
  CHECK_EQ(RtlQueryDepthSList(&head), 3);
  CHECK(entries[4].Next == &entries[0]);

  SLIST_ENTRY* all = RtlInterlockedFlushSList(&head);
  CHECK(all == &entries[3]);
  CHECK(all->Next == &entries[4] && all->Next->Next == &entries[0] && !entries[0].Next);
  CHECK_EQ(RtlQueryDepthSList(&head), 0);
  CHECK(RtlFirstEntrySList(&head) == NULL);
}

static void test_peb_lock(void) {
  BYTE* peb = (BYTE*)nt_peb();
  RTL_CRITICAL_SECTION* fast = *(RTL_CRITICAL_SECTION**)(peb + 0x38);    /* FastPebLock */
  RTL_CRITICAL_SECTION* loader = *(RTL_CRITICAL_SECTION**)(peb + 0x110); /* LoaderLock */
  CHECK(fast != NULL);
  CHECK(loader != NULL);
  if (!fast) return;
  const LONG depth = fast->RecursionCount;
  RtlAcquirePebLock();
  CHECK(fast->OwningThread == own_tid());
  CHECK_EQ(fast->RecursionCount, depth + 1);
  RtlReleasePebLock();
  CHECK_EQ(fast->RecursionCount, depth);
}

/* The thread alerts the waits above sleep on: an alert is kept until the next wait. */
static void test_thread_alerts(void) {
  LARGE_INTEGER timeout = {.QuadPart = -10 * 10000};
  CHECK_OK(NtAlertThreadByThreadId(own_tid()));
  CHECK_STATUS(NtWaitForAlertByThreadId(&timeout, &timeout), STATUS_ALERTED);
  CHECK_STATUS(NtWaitForAlertByThreadId(&timeout, &timeout), STATUS_TIMEOUT);
  CHECK_OK(NtAlertThreadByThreadId(own_tid()));
  CHECK_STATUS(NtWaitForAlertByThreadId(NULL, NULL), STATUS_ALERTED); /* NULL: no timeout */
  CHECK_STATUS(NtAlertThreadByThreadId(NULL), STATUS_INVALID_CID);
}

void test_main(void) {
  test_critical_section();
  test_srw_lock();
  test_condition_variable();
  test_wait_on_address();
  test_run_once();
  test_slist();
  test_peb_lock();
  test_thread_alerts();
}
