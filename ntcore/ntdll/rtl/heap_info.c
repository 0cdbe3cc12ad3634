/* Heap inspection: RtlValidateHeap, RtlWalkHeap, RtlCompactHeap, RtlQueryHeapInformation,
 * RtlSetHeapInformation, RtlGetUserInfoHeap, RtlSetUserValueHeap. */
#include "heap_private.h"

/* HeapCompatibilityInformation values. */
#define HEAP_COMPAT_STANDARD 0
#define HEAP_COMPAT_LFH 2

/* RtlWalkHeap's entry (kernelbase's HeapWalk converts it to PROCESS_HEAP_ENTRY). */
typedef struct heap_walk_entry {
  PVOID data;
  SIZE_T data_size;
  BYTE overhead;
  BYTE region_index;
  USHORT flags;
  union {
    struct {
      HANDLE settable;
      ULONG reserved[3];
    } block;
    struct {
      ULONG committed_size;
      ULONG uncommitted_size;
      PVOID first_block;
      PVOID last_block;
    } region;
  };
} heap_walk_entry;

#define WALK_BUSY 0x0001
#define WALK_REGION 0x0002
#define WALK_SETTABLE_VALUE 0x0010

/* Checks one segment's block chain: sizes that tile it, back links, headers, merged free space. */
static BOOL segment_valid(heap_segment* s) {
  heap_block* prev = NULL;
  char* at = s->first;
  while (at < s->end) {
    heap_block* b = (heap_block*)at;
    if (b->size < HEAP_MIN_UNITS || (SIZE_T)b->size * HEAP_UNIT > (SIZE_T)(s->end - at))
      return FALSE;
    if (b->prev_size != (prev ? prev->size : 0)) return FALSE;
    if (b->magic != HEAP_BLOCK_BUSY && b->magic != HEAP_BLOCK_FREE) return FALSE;
    if (prev && prev->magic == HEAP_BLOCK_FREE && b->magic == HEAP_BLOCK_FREE) return FALSE;
    at += (SIZE_T)b->size * HEAP_UNIT;
    if (!(b->flags & HEAP_BLOCK_LAST) != (at < s->end)) return FALSE;
    prev = b;
  }
  return at == s->end;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlValidateHeap(PVOID handle, ULONG flags, const void* ptr) {
  heap* h = heap_from_handle(handle);
  if (!h) return FALSE;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  BOOL ok = TRUE;
  if (ptr) {
    ok = heap_block_from_ptr(h, ptr, NULL) != NULL;
  } else {
    for (heap_segment* s = h->segments; s && ok; s = s->next) ok = segment_valid(s);
    for (LIST_ENTRY* e = h->large.Flink; e != &h->large && ok; e = e->Flink)
      ok = ((heap_large*)e)->heap == h && ((heap_large*)e)->block.magic == HEAP_BLOCK_BUSY;
  }
  heap_unlock(h, flags);
  return ok;
}

static void walk_region(heap_walk_entry* e, heap_segment* s) {
  e->data = s->base;
  e->data_size = s->reserved;
  e->overhead = 0;
  e->region_index = (BYTE)s->index;
  e->flags = WALK_REGION;
  e->region.committed_size = (ULONG)(s->end - s->base);
  e->region.uncommitted_size = 0;
  e->region.first_block = s->first;
  e->region.last_block = s->end;
}

static void walk_block(heap_walk_entry* e, heap_block* b, ULONG region_index) {
  memset(e, 0, sizeof *e);
  e->data = b + 1;
  e->region_index = (BYTE)region_index;
  if (b->magic == HEAP_BLOCK_BUSY) {
    e->data_size = heap_block_data_size(b);
    e->overhead = (b->flags & HEAP_BLOCK_LARGE) ? (BYTE)sizeof(heap_large) : (BYTE)b->unused;
    e->flags = WALK_BUSY | ((b->flags & HEAP_BLOCK_USER_INFO) ? WALK_SETTABLE_VALUE : 0);
  } else {
    e->data_size = (SIZE_T)b->size * HEAP_UNIT - sizeof(heap_block);
    e->overhead = sizeof(heap_block);
  }
}

static heap_segment* segment_of(heap* h, const void* p) {
  for (heap_segment* s = h->segments; s; s = s->next)
    if ((const char*)p > s->first && (const char*)p < s->end) return s;
  return NULL;
}

/* The entry after `e` (the first one when e->data is NULL): each segment as a region entry
 * followed by its blocks, then the big blocks. */
static NTSTATUS walk_next(heap* h, heap_walk_entry* e) {
  heap_segment* s = NULL;
  if (!e->data) {
    s = h->segments;
  } else if (e->flags & WALK_REGION) {
    for (s = h->segments; s && s->base != (char*)e->data; s = s->next) {
    }
    if (!s) return STATUS_INVALID_PARAMETER;
    walk_block(e, (heap_block*)s->first, s->index);
    return STATUS_SUCCESS;
  } else if ((s = segment_of(h, e->data))) {
    heap_block* b = (heap_block*)e->data - 1;
    if (b->magic != HEAP_BLOCK_BUSY && b->magic != HEAP_BLOCK_FREE) return STATUS_INVALID_PARAMETER;
    heap_block* next = heap_next_block(b);
    if (next) {
      walk_block(e, next, s->index);
      return STATUS_SUCCESS;
    }
    s = s->next;
  } else {
    heap_block* b = heap_block_from_ptr(h, e->data, NULL);
    if (!b || !(b->flags & HEAP_BLOCK_LARGE)) return STATUS_INVALID_PARAMETER;
    LIST_ENTRY* next = heap_large_of(b)->entry.Flink;
    if (next == &h->large) return STATUS_NO_MORE_ENTRIES;
    walk_block(e, &((heap_large*)next)->block, 0);
    return STATUS_SUCCESS;
  }
  if (s) {
    walk_region(e, s);
    return STATUS_SUCCESS;
  }
  if (h->large.Flink == &h->large) return STATUS_NO_MORE_ENTRIES;
  walk_block(e, &((heap_large*)h->large.Flink)->block, 0);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlWalkHeap(PVOID handle, PVOID entry) {
  heap* h = heap_from_handle(handle);
  if (!h) return STATUS_INVALID_HANDLE;
  if (!entry) return STATUS_INVALID_PARAMETER;
  const ULONG flags = heap_call_flags(h, 0);
  heap_lock(h, flags);
  const NTSTATUS status = walk_next(h, entry);
  heap_unlock(h, flags);
  return status;
}

/* Everything free is merged already: the answer is the largest free block's size. */
NTDLL_EXPORT SIZE_T NTAPI RtlCompactHeap(PVOID handle, ULONG flags) {
  heap* h = heap_from_handle(handle);
  if (!h) return 0;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  SIZE_T largest = 0;
  for (int bin = HEAP_BINS - 1; bin >= 0 && !largest; --bin)
    for (heap_block* b = h->bins[bin]; b; b = ((heap_free_links*)(b + 1))->next)
      if ((SIZE_T)b->size * HEAP_UNIT - sizeof(heap_block) > largest)
        largest = (SIZE_T)b->size * HEAP_UNIT - sizeof(heap_block);
  heap_unlock(h, flags);
  return largest;
}

/* mingw-w64's winnt.h declares these two as returning DWORD: the same register, read as the
 * NTSTATUS Windows returns. */
NTDLL_EXPORT DWORD NTAPI RtlQueryHeapInformation(PVOID handle, HEAP_INFORMATION_CLASS info_class,
                                                 PVOID info, SIZE_T length, PSIZE_T return_length) {
  heap* h = heap_from_handle(handle);
  if (info_class != HeapCompatibilityInformation) return STATUS_INVALID_INFO_CLASS;
  if (!h) return STATUS_INVALID_HANDLE;
  if (return_length) *return_length = sizeof(ULONG);
  if (length < sizeof(ULONG)) return STATUS_BUFFER_TOO_SMALL;
  *(ULONG*)info = h->compat_info;
  return STATUS_SUCCESS;
}

/* The low-fragmentation front end is accepted (every size class here is one already); it
 * cannot be turned off again, nor enabled on HEAP_NO_SERIALIZE heaps, as on Windows. */
NTDLL_EXPORT DWORD NTAPI RtlSetHeapInformation(PVOID handle, HEAP_INFORMATION_CLASS info_class,
                                               PVOID info, SIZE_T length) {
  if (info_class != HeapCompatibilityInformation) return STATUS_SUCCESS;
  heap* h = heap_from_handle(handle);
  if (!h) return STATUS_INVALID_HANDLE;
  if (length < sizeof(ULONG)) return STATUS_BUFFER_TOO_SMALL;
  if (h->flags & HEAP_NO_SERIALIZE) return STATUS_INVALID_PARAMETER;
  const ULONG value = *(const ULONG*)info;
  if (value != HEAP_COMPAT_STANDARD && value != HEAP_COMPAT_LFH) return STATUS_UNSUCCESSFUL;
  if (value == h->compat_info) return STATUS_SUCCESS;
  if (h->compat_info != HEAP_COMPAT_STANDARD) return STATUS_UNSUCCESSFUL;
  h->compat_info = value;
  return STATUS_SUCCESS;
}

/* The value set by RtlSetUserValueHeap (NULL before, or when the block has no room for one) and
 * the HEAP_SETTABLE_USER_FLAGS the block was allocated with. */
NTDLL_EXPORT BOOLEAN NTAPI RtlGetUserInfoHeap(PVOID handle, ULONG flags, PVOID ptr,
                                              PVOID* user_value, PULONG user_flags) {
  heap* h = heap_from_handle(handle);
  if (!h) return FALSE;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  heap_block* b = heap_block_from_ptr(h, ptr, NULL);
  if (b) {
    void* value = NULL;
    if (b->flags & HEAP_BLOCK_LARGE)
      value = heap_large_of(b)->user_value;
    else if (b->flags & HEAP_BLOCK_USER_INFO)
      value = heap_user_info_of(b)->value;
    if (user_value) *user_value = value;
    if (user_flags) *user_flags = (ULONG)(b->flags & HEAP_BLOCK_USER_FLAGS) << 4;
  }
  heap_unlock(h, flags);
  if (!b) heap_fail(0, STATUS_INVALID_PARAMETER, 0);
  return b != NULL;
}

/* Only blocks allocated with HEAP_SETTABLE_USER_VALUE (and big blocks) have room for a value. */
NTDLL_EXPORT BOOLEAN NTAPI RtlSetUserValueHeap(PVOID handle, ULONG flags, PVOID ptr,
                                               PVOID user_value) {
  heap* h = heap_from_handle(handle);
  if (!h) return FALSE;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  heap_block* b = heap_block_from_ptr(h, ptr, NULL);
  BOOL ok = FALSE;
  if (b && (b->flags & HEAP_BLOCK_LARGE)) {
    heap_large_of(b)->user_value = user_value;
    ok = TRUE;
  } else if (b && (b->flags & HEAP_BLOCK_USER_INFO)) {
    heap_user_info_of(b)->value = user_value;
    ok = TRUE;
  }
  heap_unlock(h, flags);
  return ok;
}
