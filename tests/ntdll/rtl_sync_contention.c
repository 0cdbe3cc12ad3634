/* The synchronisation primitives and the process heap under contention: four threads
 * (RtlCreateUserThread) at a time on critical sections, SRW locks, condition variables,
 * WaitOnAddress and the heap. Separate from rtl_sync.c because it needs the thread services. */
#include "rtl_sync_api.h"

typedef struct THREAD_CLIENT_ID {
  HANDLE UniqueProcess;
  HANDLE UniqueThread;
} THREAD_CLIENT_ID;
typedef void(NTAPI* THREAD_FN)(PVOID);

PVOID NTAPI RtlAllocateHeap(PVOID heap, ULONG flags, SIZE_T size);
BOOLEAN NTAPI RtlFreeHeap(PVOID heap, ULONG flags, PVOID ptr);
PVOID NTAPI RtlReAllocateHeap(PVOID heap, ULONG flags, PVOID ptr, SIZE_T size);
BOOLEAN NTAPI RtlValidateHeap(PVOID heap, ULONG flags, const void* ptr);
NTSTATUS NTAPI NtTerminateThread(HANDLE thread, NTSTATUS status);
NTSTATUS NTAPI RtlCreateUserThread(HANDLE process, PVOID security, BOOLEAN suspended,
                                   ULONG zero_bits, SIZE_T max_stack, SIZE_T committed_stack,
                                   THREAD_FN start, PVOID parameter, PHANDLE thread,
                                   THREAD_CLIENT_ID* client_id);

#define THREADS 4
static RTL_CRITICAL_SECTION cs;
static RTL_SRWLOCK srw;
static RTL_CONDITION_VARIABLE cv;
static volatile LONG counter, items, readers, errors, turn;

static ULONGLONG now_us(void) {
  LARGE_INTEGER counter, frequency;
  NtQueryPerformanceCounter(&counter, &frequency);
  return (ULONGLONG)(counter.QuadPart * 1000000 / frequency.QuadPart);
}

static void end_thread(void) {
  NtTerminateThread(NtCurrentThread(), 0);
}

/* Runs `a` on the even threads and `b` (or `a`) on the odd ones, the thread's index as argument,
 * and waits for all of them. */
static void run(const char* what, THREAD_FN a, THREAD_FN b, int n) {
  HANDLE threads[THREADS];
  const ULONGLONG start = now_us();
  int started = 0;
  for (int i = 0; i < n; ++i) {
    THREAD_CLIENT_ID cid;
    NTSTATUS status =
        RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, (i % 2 && b) ? b : a,
                            (PVOID)(ULONG_PTR)i, &threads[i], &cid);
    CHECK_OK(status);
    if (status == STATUS_SUCCESS) ++started;
  }
  if (started) CHECK_OK(NtWaitForMultipleObjects(started, threads, 0 /* WaitAll */, FALSE, NULL));
  for (int i = 0; i < started; ++i) NtClose(threads[i]);
  nt_note("%s: %llu us", what, now_us() - start);
}

/* A read-modify-write that loses updates unless the section excludes the others, with yields
 * inside it so the threads really collide. */
static void NTAPI critical_section_worker(PVOID arg) {
  for (int i = 0; i < 50000; ++i) {
    RtlEnterCriticalSection(&cs);
    RtlEnterCriticalSection(&cs); /* recursion under contention */
    const LONG seen = counter;
    if (i % 128 == 0) NtYieldExecution();
    counter = seen + 1;
    RtlLeaveCriticalSection(&cs);
    RtlLeaveCriticalSection(&cs);
  }
  end_thread();
}

/* Writers see no readers inside, and exclude each other. */
static void NTAPI srw_worker(PVOID arg) {
  for (int i = 0; i < 50000; ++i) {
    if (i % 4 == 0) {
      RtlAcquireSRWLockExclusive(&srw);
      if (readers) __atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
      const LONG seen = counter;
      if (i % 256 == 0) NtYieldExecution();
      counter = seen + 1;
      RtlReleaseSRWLockExclusive(&srw);
    } else {
      RtlAcquireSRWLockShared(&srw);
      __atomic_fetch_add(&readers, 1, __ATOMIC_SEQ_CST);
      if (i % 512 == 1) NtYieldExecution();
      __atomic_fetch_sub(&readers, 1, __ATOMIC_SEQ_CST);
      RtlReleaseSRWLockShared(&srw);
    }
  }
  end_thread();
}

static void NTAPI cs_producer(PVOID arg) {
  for (int i = 0; i < 20000; ++i) {
    RtlEnterCriticalSection(&cs);
    ++items;
    RtlWakeConditionVariable(&cv);
    RtlLeaveCriticalSection(&cs);
  }
  end_thread();
}
static void NTAPI cs_consumer(PVOID arg) {
  for (int i = 0; i < 20000; ++i) {
    RtlEnterCriticalSection(&cs);
    while (items == 0) RtlSleepConditionVariableCS(&cv, &cs, NULL);
    --items;
    RtlLeaveCriticalSection(&cs);
  }
  end_thread();
}

static void NTAPI srw_producer(PVOID arg) {
  for (int i = 0; i < 20000; ++i) {
    RtlAcquireSRWLockExclusive(&srw);
    ++items;
    RtlReleaseSRWLockExclusive(&srw);
    RtlWakeAllConditionVariable(&cv);
  }
  end_thread();
}
static void NTAPI srw_consumer(PVOID arg) {
  for (int i = 0; i < 20000; ++i) {
    RtlAcquireSRWLockExclusive(&srw);
    while (items == 0) RtlSleepConditionVariableSRW(&cv, &srw, NULL, 0);
    --items;
    RtlReleaseSRWLockExclusive(&srw);
  }
  end_thread();
}

/* Two threads hand a turn back and forth, each sleeping on the turn's address. */
static void NTAPI ping_pong(PVOID arg) {
  const LONG me = (LONG)(ULONG_PTR)arg % 2;
  for (int i = 0; i < 5000; ++i) {
    LONG seen;
    while ((seen = turn) != me) RtlWaitOnAddress((const void*)&turn, &seen, sizeof seen, NULL);
    turn = 1 - me;
    RtlWakeAddressSingle((const void*)&turn);
  }
  end_thread();
}

static void NTAPI heap_worker(PVOID arg) {
  PVOID heap = *(PVOID*)((char*)nt_peb() + 0x30);
  enum { SLOTS = 256 };
  unsigned char* slot[SLOTS] = {0};
  ULONGLONG seed = (ULONG_PTR)arg + 1;
  const unsigned char tag = (unsigned char)(ULONG_PTR)arg;
  for (int i = 0; i < 50000; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const ULONG k = (ULONG)(seed >> 33) % SLOTS;
    const SIZE_T size = 1 + (seed >> 40) % ((seed & 0xF00) ? 2000 : 600000);
    if (!slot[k]) {
      slot[k] = RtlAllocateHeap(heap, 0, size);
      if (slot[k]) slot[k][0] = tag;
    } else if (slot[k][0] != tag) {
      __atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED); /* another thread's block */
    } else if ((seed >> 20) % 3 == 0) {
      unsigned char* moved = RtlReAllocateHeap(heap, 0, slot[k], size);
      if (moved) slot[k] = moved;
    } else {
      if (!RtlFreeHeap(heap, 0, slot[k])) __atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
      slot[k] = NULL;
    }
  }
  for (int k = 0; k < SLOTS; ++k)
    if (slot[k]) RtlFreeHeap(heap, 0, slot[k]);
  end_thread();
}

void test_main(void) {
  RtlInitializeCriticalSection(&cs);
  run("critical section", critical_section_worker, NULL, THREADS);
  CHECK_EQ(counter, THREADS * 50000);
  CHECK_EQ(cs.RecursionCount, 0);
  CHECK(cs.OwningThread == NULL);

  counter = 0;
  run("SRW lock", srw_worker, NULL, THREADS);
  CHECK_EQ(counter, THREADS * 50000 / 4);
  CHECK_EQ(errors, 0);
  CHECK(srw.Ptr == NULL);

  run("condition variable with a critical section", cs_producer, cs_consumer, THREADS);
  CHECK_EQ(items, 0);
  run("condition variable with an SRW lock", srw_producer, srw_consumer, THREADS);
  CHECK_EQ(items, 0);
  CHECK(srw.Ptr == NULL);
  RtlDeleteCriticalSection(&cs);

  run("WaitOnAddress ping-pong", ping_pong, NULL, 2);
  CHECK_EQ(turn, 0);

  run("process heap", heap_worker, NULL, THREADS);
  CHECK_EQ(errors, 0);
  CHECK(RtlValidateHeap(*(PVOID*)((char*)nt_peb() + 0x30), 0, NULL));
}
