/* The heap's internals, shared by heap*.c. A heap is one or more segments (regions reserved and
 * committed whole: Linux commits lazily) carved into blocks, plus big blocks taken straight from
 * NtAllocateVirtualMemory. Every block starts with a 16-byte header, so user pointers stay
 * 16-byte aligned. Free blocks sit in size-class free lists (exact classes up to 1 KB, four
 * classes per power of two above), found through a bitmap: allocation never scans the heap.
 * Neighbouring free blocks are always merged. */
#ifndef HEAP_PRIVATE_H
#define HEAP_PRIVATE_H

#include "ntdll_base.h"

#ifndef HEAP_SETTABLE_USER_VALUE
#define HEAP_SETTABLE_USER_VALUE 0x00000100
#endif
#ifndef HEAP_SETTABLE_USER_FLAGS
#define HEAP_SETTABLE_USER_FLAGS 0x00000E00
#endif

#define HEAP_UNIT 16                 /* block sizes are counted in 16-byte units */
#define HEAP_MIN_UNITS 2             /* header + the free-list links of a free block */
#define HEAP_LARGE_THRESHOLD 0x7F000 /* blocks this big get their own virtual memory */
#define HEAP_BINS 168                /* 64 exact classes + 4 per power of two up to 2^32 units */
#define HEAP_MAGIC 0x50414548        /* "HEAP" */
#define HEAP_MAX_SEGMENT_BYTES ((SIZE_T)0xFFFFFFFF * HEAP_UNIT)

#define HEAP_BLOCK_BUSY 0xB5B5
#define HEAP_BLOCK_FREE 0xF4EE

/* heap_block.flags */
#define HEAP_BLOCK_LAST 0x01       /* the last block of its segment */
#define HEAP_BLOCK_LARGE 0x02      /* a big block (heap_large precedes the header) */
#define HEAP_BLOCK_USER_INFO 0x04  /* allocated with HEAP_SETTABLE_USER_VALUE: has a trailer */
#define HEAP_BLOCK_USER_FLAGS 0xE0 /* HEAP_SETTABLE_USER_FLAGS >> 4 */

typedef struct heap_block {
  ULONG size;      /* whole block, in units */
  ULONG prev_size; /* units of the block before it in the segment, 0 for the first one */
  ULONG unused;    /* bytes of the block the caller did not ask for (header and trailer too) */
  BYTE flags;
  BYTE reserved;
  USHORT magic; /* HEAP_BLOCK_BUSY or HEAP_BLOCK_FREE: zeroed when merged into a neighbour */
} heap_block;

/* In the data of a free block. */
typedef struct heap_free_links {
  heap_block* next;
  heap_block* prev;
} heap_free_links;

/* The trailer of a HEAP_BLOCK_USER_INFO block: its last 16 bytes. */
typedef struct heap_user_info {
  void* value;
  void* reserved;
} heap_user_info;

typedef struct heap_segment {
  struct heap_segment* next;
  char* base;      /* of the region */
  SIZE_T reserved; /* region size */
  char* first;     /* first block */
  char* end;       /* end of the last block */
  BOOL owned;      /* allocated by the heap (not the caller's HeapBase) */
  ULONG index;
} heap_segment;

/* Precedes the header of a big block, at the start of its region. */
typedef struct heap_large {
  LIST_ENTRY entry; /* in heap.large */
  struct heap* heap;
  SIZE_T region_size;
  SIZE_T data_size; /* the caller's size */
  void* user_value;
  heap_block block;
} heap_large;

typedef struct heap {
  ULONG magic;
  ULONG flags;       /* creation flags */
  ULONG compat_info; /* HeapCompatibilityInformation */
  ULONG segment_count;
  RTL_CRITICAL_SECTION lock;
  heap_segment* segments;
  LIST_ENTRY large;
  SIZE_T next_segment_size; /* growable heaps double their segments up to a ceiling */
  ULONG protect;
  ULONG64 bitmap[(HEAP_BINS + 63) / 64];
  heap_block* bins[HEAP_BINS];
  heap_segment first_segment;
} heap;

_Static_assert(sizeof(heap_block) == HEAP_UNIT, "block header size");
_Static_assert(sizeof(heap_large) % HEAP_UNIT == 0, "big block alignment");

/* Critical sections (critical_section.c). */
NTSTATUS NTAPI RtlInitializeCriticalSectionEx(RTL_CRITICAL_SECTION* cs, ULONG spin, ULONG flags);
NTSTATUS NTAPI RtlEnterCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlLeaveCriticalSection(RTL_CRITICAL_SECTION* cs);
NTSTATUS NTAPI RtlDeleteCriticalSection(RTL_CRITICAL_SECTION* cs);
/* From the "exceptions" family. */
void NTAPI RtlRaiseException(EXCEPTION_RECORD* record);

/* heap.c */
heap* heap_from_handle(HANDLE handle);
static inline ULONG heap_call_flags(const heap* h, ULONG flags) {
  return flags | (h->flags & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS));
}
static inline void heap_lock(heap* h, ULONG flags) {
  if (!(flags & HEAP_NO_SERIALIZE)) RtlEnterCriticalSection(&h->lock);
}
static inline void heap_unlock(heap* h, ULONG flags) {
  if (!(flags & HEAP_NO_SERIALIZE)) RtlLeaveCriticalSection(&h->lock);
}
/* Records a failure in the TEB (last status and Win32 error) and raises STATUS_NO_MEMORY for
 * HEAP_GENERATE_EXCEPTIONS callers. */
void heap_fail(ULONG flags, NTSTATUS status, SIZE_T size);

/* heap_alloc.c */
heap_block* heap_block_from_ptr(heap* h, const void* ptr, heap_segment** segment);
SIZE_T heap_block_data_size(const heap_block* b);
void heap_segment_init(heap* h, heap_segment* s, char* base, SIZE_T reserved, char* first,
                       char* end);
static inline heap_large* heap_large_of(heap_block* b) {
  return (heap_large*)((char*)b - offsetof(heap_large, block));
}
static inline heap_block* heap_next_block(heap_block* b) {
  return (b->flags & HEAP_BLOCK_LAST) ? NULL
                                      : (heap_block*)((char*)b + (SIZE_T)b->size * HEAP_UNIT);
}
static inline heap_user_info* heap_user_info_of(heap_block* b) {
  return (heap_user_info*)((char*)b + (SIZE_T)b->size * HEAP_UNIT - sizeof(heap_user_info));
}

#endif
