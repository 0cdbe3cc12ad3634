/* Interlocked singly linked lists (x64 16-byte headers, HeaderX64 layout): the low quadword holds
 * the depth (16 bits) and a sequence number (48 bits) bumped by every change, the high one the
 * first entry (16-byte aligned, so its low 4 bits hold the header type, 1). Every change is one
 * cmpxchg16b of the whole header: the sequence defeats ABA. */
#include "sync_private.h"

#define SLIST_HEADER_TYPE 1ull
#define SLIST_POINTER_MASK (~0xFull)

typedef struct slist_value {
  ULONG64 low;  /* Depth:16, Sequence:48 */
  ULONG64 high; /* HeaderType:1, Reserved:3, NextEntry:60 */
} slist_value;

static slist_value read_header(const SLIST_HEADER* head) {
  slist_value v;
  const volatile ULONG64* q = (const volatile ULONG64*)head;
  v.low = q[0];
  v.high = q[1];
  return v;
}

static BOOL cas_header(SLIST_HEADER* head, slist_value* old, slist_value new) {
  BOOL ok;
  __asm__ volatile("lock cmpxchg16b %1"
                   : "=@ccz"(ok), "+m"(*head), "+a"(old->low), "+d"(old->high)
                   : "b"(new.low), "c"(new.high)
                   : "memory");
  return ok;
}

static SLIST_ENTRY* first_of(slist_value v) {
  return (SLIST_ENTRY*)(ULONG_PTR)(v.high & SLIST_POINTER_MASK);
}

static slist_value make(slist_value old, SLIST_ENTRY* first, ULONG depth) {
  slist_value v;
  v.low = ((old.low + 0x10000) & ~0xFFFFull) | (depth & 0xFFFF);
  v.high = (ULONG64)(ULONG_PTR)first | SLIST_HEADER_TYPE;
  return v;
}

NTDLL_EXPORT void NTAPI RtlInitializeSListHead(PSLIST_HEADER head) {
  ULONG64* q = (ULONG64*)head;
  q[0] = 0;
  q[1] = SLIST_HEADER_TYPE;
}

NTDLL_EXPORT PSLIST_ENTRY NTAPI RtlFirstEntrySList(const SLIST_HEADER* head) {
  return first_of(read_header(head));
}

NTDLL_EXPORT WORD NTAPI RtlQueryDepthSList(PSLIST_HEADER head) {
  return (WORD)(read_header(head).low & 0xFFFF);
}

NTDLL_EXPORT PSLIST_ENTRY NTAPI RtlInterlockedPushEntrySList(PSLIST_HEADER head,
                                                             PSLIST_ENTRY entry) {
  slist_value old = read_header(head);
  do entry->Next = first_of(old);
  while (!cas_header(head, &old, make(old, entry, (ULONG)(old.low & 0xFFFF) + 1)));
  return first_of(old);
}

/* The caller vouches that nobody frees entries while others may pop them (Windows' rule too:
 * reading first->Next of an entry already popped elsewhere is what the sequence guards). */
NTDLL_EXPORT PSLIST_ENTRY NTAPI RtlInterlockedPopEntrySList(PSLIST_HEADER head) {
  slist_value old = read_header(head);
  SLIST_ENTRY* first;
  do {
    first = first_of(old);
    if (!first) return NULL;
  } while (!cas_header(head, &old, make(old, first->Next, (ULONG)(old.low & 0xFFFF) - 1)));
  return first;
}

NTDLL_EXPORT PSLIST_ENTRY NTAPI RtlInterlockedFlushSList(PSLIST_HEADER head) {
  slist_value old = read_header(head);
  do
    if (!first_of(old)) return NULL;
  while (!cas_header(head, &old, make(old, NULL, 0)));
  return first_of(old);
}

/* Pushes the chain first..last (count entries, already linked) in one step. */
NTDLL_EXPORT PSLIST_ENTRY NTAPI RtlInterlockedPushListSListEx(PSLIST_HEADER head,
                                                              PSLIST_ENTRY first, PSLIST_ENTRY last,
                                                              DWORD count) {
  slist_value old = read_header(head);
  do last->Next = first_of(old);
  while (!cas_header(head, &old, make(old, first, (ULONG)(old.low & 0xFFFF) + count)));
  return first_of(old);
}

/* The same on x64 (a fastcall variant on x86). */
NTDLL_EXPORT PSLIST_ENTRY NTAPI RtlInterlockedPushListSList(PSLIST_HEADER head, PSLIST_ENTRY first,
                                                            PSLIST_ENTRY last, DWORD count) {
  return RtlInterlockedPushListSListEx(head, first, last, count);
}
