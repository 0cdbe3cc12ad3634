/* RtlWaitOnAddress / RtlWakeAddressSingle / RtlWakeAddressAll: waiters queue in a hash table of
 * buckets (FIFO per bucket, several addresses may share one) and sleep with
 * NtWaitForAlertByThreadId; a waker dequeues them under the bucket lock, marks them woken and
 * alerts their thread. The compare happens under the same lock, so a wake between the caller's
 * own check and its wait is never lost. A wake with nobody waiting makes no system call. */
#include "sync_private.h"

#define BUCKET_BITS 7
#define KUSER_SYSTEM_TIME ((const volatile ULONG*)(0x7FFE0000 + 0x14)) /* KSYSTEM_TIME */

typedef struct address_waiter {
  struct address_waiter* next;
  struct address_waiter* prev;
  const void* address;
  HANDLE tid;
  LONG woken;
} address_waiter;

typedef struct address_bucket {
  LONG lock;
  address_waiter* head;
  address_waiter* tail;
} address_bucket;

static address_bucket buckets[1 << BUCKET_BITS];

static address_bucket* bucket_of(const void* address) {
  ULONG_PTR x = (ULONG_PTR)address;
  x = (x ^ (x >> 17)) * 0x9E3779B97F4A7C15ull;
  return &buckets[x >> (64 - BUCKET_BITS)];
}

/* Held for a few instructions at a time: spin, yielding the processor if the holder was
 * preempted. */
static void bucket_lock(address_bucket* b) {
  for (ULONG spins = 0; __atomic_exchange_n(&b->lock, 1, __ATOMIC_ACQUIRE); ++spins) {
    while (__atomic_load_n(&b->lock, __ATOMIC_RELAXED)) {
      if (++spins > 200)
        NtYieldExecution();
      else
        sync_pause();
    }
  }
}

static void bucket_unlock(address_bucket* b) {
  __atomic_store_n(&b->lock, 0, __ATOMIC_RELEASE);
}

static void dequeue(address_bucket* b, address_waiter* w) {
  if (w->prev)
    w->prev->next = w->next;
  else
    b->head = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    b->tail = w->prev;
}

static BOOL same_value(const volatile void* address, const void* compare, SIZE_T size) {
  switch (size) {
    case 1:
      return *(const volatile BYTE*)address == *(const BYTE*)compare;
    case 2:
      return *(const volatile USHORT*)address == *(const USHORT*)compare;
    case 4:
      return *(const volatile ULONG*)address == *(const ULONG*)compare;
    default:
      return *(const volatile ULONG64*)address == *(const ULONG64*)compare;
  }
}

static LONGLONG system_time(void) {
  ULONG low, high;
  do {
    high = KUSER_SYSTEM_TIME[1];
    low = KUSER_SYSTEM_TIME[0];
  } while (high != KUSER_SYSTEM_TIME[2]);
  return ((LONGLONG)high << 32) | low;
}

/* STATUS_SUCCESS when woken or when *address differs from *compare (spurious wake-ups are
 * allowed, as on Windows), STATUS_TIMEOUT when the timeout passes first. */
NTDLL_EXPORT NTSTATUS NTAPI RtlWaitOnAddress(const void* address, const void* compare, SIZE_T size,
                                             const LARGE_INTEGER* timeout) {
  if (size != 1 && size != 2 && size != 4 && size != 8) return STATUS_INVALID_PARAMETER;
  address_bucket* b = bucket_of(address);
  bucket_lock(b);
  if (!same_value(address, compare, size)) {
    bucket_unlock(b);
    return STATUS_SUCCESS;
  }
  if (timeout && timeout->QuadPart == 0) {
    bucket_unlock(b);
    return STATUS_TIMEOUT;
  }
  address_waiter w = {NULL, b->tail, address, sync_current_tid(), 0};
  if (b->tail)
    b->tail->next = &w;
  else
    b->head = &w;
  b->tail = &w;
  bucket_unlock(b);

  LARGE_INTEGER deadline, *wait_timeout = (LARGE_INTEGER*)timeout;
  const LONGLONG start = (timeout && timeout->QuadPart < 0) ? system_time() : 0;
  for (;;) {
    const NTSTATUS status = NtWaitForAlertByThreadId(address, wait_timeout);
    if (__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE)) return STATUS_SUCCESS;
    if (status == STATUS_TIMEOUT) {
      bucket_lock(b);
      const BOOL woken = __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE);
      if (!woken) dequeue(b, &w);
      bucket_unlock(b);
      return woken ? STATUS_SUCCESS : STATUS_TIMEOUT;
    }
    /* An alert meant for an earlier wait of this thread: wait again, for what is left. */
    if (timeout && timeout->QuadPart < 0) {
      deadline.QuadPart = start - timeout->QuadPart;
      wait_timeout = &deadline;
    }
  }
}

static void wake(const void* address, BOOL all) {
  address_bucket* b = bucket_of(address);
  HANDLE tids[16];
  ULONG count;
  do {
    count = 0;
    bucket_lock(b);
    for (address_waiter *w = b->head, *next; w && count < 16; w = next) {
      next = w->next;
      if (w->address != address) continue;
      dequeue(b, w);
      tids[count++] = w->tid;
      __atomic_store_n(&w->woken, 1, __ATOMIC_RELEASE); /* w may be gone from here on */
      if (!all) break;
    }
    bucket_unlock(b);
    for (ULONG i = 0; i < count; ++i) NtAlertThreadByThreadId(tids[i]);
  } while (all && count == 16);
}

NTDLL_EXPORT void NTAPI RtlWakeAddressSingle(const void* address) {
  wake(address, FALSE);
}

NTDLL_EXPORT void NTAPI RtlWakeAddressAll(const void* address) {
  wake(address, TRUE);
}
