/* Slim reader/writer locks: one pointer, 0 when free. Bit 0: held (either mode); bit 1: threads
 * are waiting; bits 4 and up: the number of shared owners (0 while held exclusively). As on
 * Windows, an exclusive owner reads 1 and n shared owners (n << 4) | 1 while nobody waits.
 * Acquiring and releasing without contention is one interlocked operation; waiters sleep on the
 * lock word with RtlWaitOnAddress and a release that finds the waiting bit wakes them all to
 * compete again. Readers do not join a shared hold while someone waits, so writers get in. */
#include "sync_private.h"

#define SRW_HELD 1
#define SRW_WAITING 2
#define SRW_SHARED 16
#define SRW_OWNERS(v) ((v) >> 4)

static ULONG_PTR* word(RTL_SRWLOCK* lock) {
  return (ULONG_PTR*)&lock->Ptr;
}

static BOOL cas(RTL_SRWLOCK* lock, ULONG_PTR* old, ULONG_PTR new) {
  return __atomic_compare_exchange_n(word(lock), old, new, TRUE, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED);
}

/* Marks the lock as waited on and sleeps until its word changes. */
static void wait_for_change(RTL_SRWLOCK* lock, ULONG_PTR seen) {
  if (!(seen & SRW_WAITING)) {
    if (!cas(lock, &seen, seen | SRW_WAITING)) return; /* it changed: retry at once */
    seen |= SRW_WAITING;
  }
  RtlWaitOnAddress(word(lock), &seen, sizeof seen, NULL);
}

NTDLL_EXPORT void NTAPI RtlInitializeSRWLock(RTL_SRWLOCK* lock) {
  lock->Ptr = NULL;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlTryAcquireSRWLockExclusive(RTL_SRWLOCK* lock) {
  ULONG_PTR v = __atomic_load_n(word(lock), __ATOMIC_RELAXED);
  while (!(v & SRW_HELD))
    if (cas(lock, &v, v | SRW_HELD)) return TRUE;
  return FALSE;
}

static BOOL try_shared(RTL_SRWLOCK* lock, ULONG_PTR* v) {
  for (;;) {
    if (!(*v & SRW_HELD)) {
      if (cas(lock, v, *v | SRW_HELD | SRW_SHARED)) return TRUE;
    } else if (SRW_OWNERS(*v) && !(*v & SRW_WAITING)) {
      if (cas(lock, v, *v + SRW_SHARED)) return TRUE;
    } else {
      return FALSE;
    }
  }
}

NTDLL_EXPORT BOOLEAN NTAPI RtlTryAcquireSRWLockShared(RTL_SRWLOCK* lock) {
  ULONG_PTR v = __atomic_load_n(word(lock), __ATOMIC_RELAXED);
  return try_shared(lock, &v);
}

NTDLL_EXPORT void NTAPI RtlAcquireSRWLockExclusive(RTL_SRWLOCK* lock) {
  for (;;) {
    ULONG_PTR v = __atomic_load_n(word(lock), __ATOMIC_RELAXED);
    if (!(v & SRW_HELD)) {
      if (cas(lock, &v, v | SRW_HELD)) return;
      continue;
    }
    wait_for_change(lock, v);
  }
}

NTDLL_EXPORT void NTAPI RtlAcquireSRWLockShared(RTL_SRWLOCK* lock) {
  for (;;) {
    ULONG_PTR v = __atomic_load_n(word(lock), __ATOMIC_RELAXED);
    if (try_shared(lock, &v)) return;
    wait_for_change(lock, v);
  }
}

NTDLL_EXPORT void NTAPI RtlReleaseSRWLockExclusive(RTL_SRWLOCK* lock) {
  const ULONG_PTR old = __atomic_exchange_n(word(lock), 0, __ATOMIC_RELEASE);
  if (old & SRW_WAITING) RtlWakeAddressAll(word(lock));
}

NTDLL_EXPORT void NTAPI RtlReleaseSRWLockShared(RTL_SRWLOCK* lock) {
  ULONG_PTR v = __atomic_load_n(word(lock), __ATOMIC_RELAXED);
  for (;;) {
    const BOOL last = SRW_OWNERS(v) <= 1;
    if (__atomic_compare_exchange_n(word(lock), &v, last ? 0 : v - SRW_SHARED, TRUE,
                                    __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
      if (last && (v & SRW_WAITING)) RtlWakeAddressAll(word(lock));
      return;
    }
  }
}
