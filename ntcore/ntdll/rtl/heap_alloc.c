/* RtlAllocateHeap, RtlFreeHeap, RtlReAllocateHeap, RtlSizeHeap: blocks and free lists. */
#include "heap_private.h"

/* Where a big block's data starts in its 64 KB-aligned region. */
#define LARGE_DATA_OFFSET sizeof(heap_large)
#define SEGMENT_MAX_SIZE ((SIZE_T)64 << 20)

static ULONG bin_of(SIZE_T units) {
  if (units < 64) return (ULONG)units;
  const ULONG msb = 63 - __builtin_clzll(units);
  const ULONG bin = 64 + (msb - 6) * 4 + (ULONG)((units >> (msb - 2)) & 3);
  return bin < HEAP_BINS ? bin : HEAP_BINS - 1;
}

static heap_free_links* links(heap_block* b) {
  return (heap_free_links*)(b + 1);
}

static void free_insert(heap* h, heap_block* b) {
  const ULONG bin = bin_of(b->size);
  b->magic = HEAP_BLOCK_FREE;
  links(b)->prev = NULL;
  links(b)->next = h->bins[bin];
  if (h->bins[bin]) links(h->bins[bin])->prev = b;
  h->bins[bin] = b;
  h->bitmap[bin / 64] |= 1ull << (bin % 64);
}

static void free_remove(heap* h, heap_block* b) {
  const ULONG bin = bin_of(b->size);
  heap_free_links* l = links(b);
  if (l->prev)
    links(l->prev)->next = l->next;
  else
    h->bins[bin] = l->next;
  if (l->next) links(l->next)->prev = l->prev;
  if (!h->bins[bin]) h->bitmap[bin / 64] &= ~(1ull << (bin % 64));
}

/* Resizes a block in place, keeping the next block's back link right. */
static void set_units(heap_block* b, SIZE_T units) {
  b->size = (ULONG)units;
  heap_block* next = heap_next_block(b);
  if (next) next->prev_size = (ULONG)units;
}

/* Cuts `units` off the front of block b; the rest becomes a free block (merged with a free
 * successor). Blocks too small to split are left whole. */
static void split(heap* h, heap_block* b, SIZE_T units) {
  const SIZE_T rest = b->size - units;
  if (rest < HEAP_MIN_UNITS) return;
  heap_block* r = (heap_block*)((char*)b + units * HEAP_UNIT);
  r->flags = b->flags & HEAP_BLOCK_LAST;
  r->prev_size = (ULONG)units;
  r->reserved = 0;
  r->unused = 0;
  b->flags &= ~HEAP_BLOCK_LAST;
  b->size = (ULONG)units;
  r->size = (ULONG)rest;
  heap_block* next = heap_next_block(r);
  if (next) {
    next->prev_size = (ULONG)rest;
    if (next->magic == HEAP_BLOCK_FREE) {
      free_remove(h, next);
      r->flags = next->flags & HEAP_BLOCK_LAST;
      set_units(r, rest + next->size);
      next->magic = 0;
    }
  }
  free_insert(h, r);
}

void heap_segment_init(heap* h, heap_segment* s, char* base, SIZE_T reserved, char* first,
                       char* end) {
  s->base = base;
  s->reserved = reserved;
  s->first = first;
  s->end = end;
  s->index = h->segment_count++;
  s->next = h->segments;
  h->segments = s;
  heap_block* b = (heap_block*)first;
  b->size = (ULONG)((end - first) / HEAP_UNIT);
  b->prev_size = 0;
  b->unused = 0;
  b->flags = HEAP_BLOCK_LAST;
  b->reserved = 0;
  free_insert(h, b);
}

/* A growable heap's next segment: at least twice the last one, up to a ceiling, and enough for
 * `units`. The segment record opens the segment. */
static BOOL add_segment(heap* h, SIZE_T units) {
  const SIZE_T header = (sizeof(heap_segment) + HEAP_UNIT - 1) & ~(SIZE_T)(HEAP_UNIT - 1);
  SIZE_T size = h->next_segment_size;
  if (size < header + units * HEAP_UNIT) size = header + units * HEAP_UNIT;
  size = (size + 0xFFFF) & ~(SIZE_T)0xFFFF;
  void* base = NULL;
  SIZE_T region = size;
  if (NtAllocateVirtualMemory((HANDLE)-1, &base, 0, &region, MEM_RESERVE | MEM_COMMIT,
                              h->protect) != STATUS_SUCCESS)
    return FALSE;
  if (h->next_segment_size < SEGMENT_MAX_SIZE) h->next_segment_size *= 2;
  heap_segment* s = (heap_segment*)base;
  s->owned = TRUE;
  heap_segment_init(h, s, (char*)base, region, (char*)base + header, (char*)base + region);
  return TRUE;
}

/* Gives back a segment that became one free block (never the first: it holds the heap). */
static void release_segment(heap* h, heap_segment* s, heap_block* b) {
  /* The newest segment stays, empty or not: a workload that allocates and frees at the edge of
   * the heap would otherwise map and unmap a segment every time. */
  if (s == &h->first_segment || s == h->segments || !s->owned) return;
  if ((char*)b != s->first || !(b->flags & HEAP_BLOCK_LAST)) return;
  free_remove(h, b);
  for (heap_segment** p = &h->segments; *p; p = &(*p)->next)
    if (*p == s) {
      *p = s->next;
      break;
    }
  void* base = s->base;
  SIZE_T size = 0;
  NtFreeVirtualMemory((HANDLE)-1, &base, &size, MEM_RELEASE);
}

static heap_block* find_free(heap* h, SIZE_T units) {
  ULONG bin = bin_of(units);
  if (bin >= 64) { /* classes above 1 KB hold a range of sizes: first fit among a few */
    int budget = 16;
    for (heap_block* b = h->bins[bin]; b && budget--; b = links(b)->next)
      if (b->size >= units) return b;
  } else if (h->bins[bin]) {
    return h->bins[bin];
  }
  /* Any block of a higher class fits. */
  for (ULONG word = (bin + 1) / 64; word < sizeof h->bitmap / sizeof h->bitmap[0]; ++word) {
    ULONG64 bits = h->bitmap[word];
    if (word == (bin + 1) / 64) bits &= ~0ull << ((bin + 1) % 64);
    if (bits) return h->bins[word * 64 + __builtin_ctzll(bits)];
  }
  if (bin >= 64) /* unlikely: only big blocks of this very class, beyond the budget */
    for (heap_block* b = h->bins[bin]; b; b = links(b)->next)
      if (b->size >= units) return b;
  return NULL;
}

/* Block units for a request of `size` bytes, or 0 when it cannot be represented. */
static SIZE_T units_for(SIZE_T size, ULONG flags) {
  const SIZE_T extra =
      sizeof(heap_block) + ((flags & HEAP_SETTABLE_USER_VALUE) ? sizeof(heap_user_info) : 0);
  if (size > ((SIZE_T)0xFFFFFFFF * HEAP_UNIT) - extra - HEAP_UNIT) return 0;
  SIZE_T units = (size + extra + HEAP_UNIT - 1) / HEAP_UNIT;
  return units < HEAP_MIN_UNITS ? HEAP_MIN_UNITS : units;
}

static void mark_busy(heap_block* b, SIZE_T size, ULONG flags) {
  b->magic = HEAP_BLOCK_BUSY;
  b->flags = (b->flags & HEAP_BLOCK_LAST) | (BYTE)((flags & HEAP_SETTABLE_USER_FLAGS) >> 4);
  if (flags & HEAP_SETTABLE_USER_VALUE) {
    b->flags |= HEAP_BLOCK_USER_INFO;
    heap_user_info_of(b)->value = NULL;
  }
  b->unused = (ULONG)((SIZE_T)b->size * HEAP_UNIT - size);
}

SIZE_T heap_block_data_size(const heap_block* b) {
  if (b->flags & HEAP_BLOCK_LARGE) return heap_large_of((heap_block*)b)->data_size;
  return (SIZE_T)b->size * HEAP_UNIT - b->unused;
}

static void* alloc_large(heap* h, SIZE_T size, ULONG flags) {
  if (size > ~(SIZE_T)0 - LARGE_DATA_OFFSET - 0x10000) return NULL;
  void* base = NULL;
  SIZE_T region = (LARGE_DATA_OFFSET + size + 0xFFF) & ~(SIZE_T)0xFFF;
  if (NtAllocateVirtualMemory((HANDLE)-1, &base, 0, &region, MEM_RESERVE | MEM_COMMIT,
                              h->protect) != STATUS_SUCCESS)
    return NULL;
  heap_large* l = (heap_large*)base; /* fresh memory is zero: HEAP_ZERO_MEMORY holds already */
  l->heap = h;
  l->region_size = region;
  l->data_size = size;
  l->block.flags =
      HEAP_BLOCK_LARGE | HEAP_BLOCK_LAST | (BYTE)((flags & HEAP_SETTABLE_USER_FLAGS) >> 4);
  if (flags & HEAP_SETTABLE_USER_VALUE) l->block.flags |= HEAP_BLOCK_USER_INFO;
  l->block.magic = HEAP_BLOCK_BUSY;
  l->entry.Flink = h->large.Flink;
  l->entry.Blink = &h->large;
  h->large.Flink->Blink = &l->entry;
  h->large.Flink = &l->entry;
  return &l->block + 1;
}

static void free_large(heap_large* l) {
  l->entry.Blink->Flink = l->entry.Flink;
  l->entry.Flink->Blink = l->entry.Blink;
  l->block.magic = 0;
  void* base = l;
  SIZE_T size = 0;
  NtFreeVirtualMemory((HANDLE)-1, &base, &size, MEM_RELEASE);
}

/* Under the lock. NULL when no memory. */
static void* allocate(heap* h, SIZE_T size, ULONG flags) {
  if (size >= HEAP_LARGE_THRESHOLD && (h->flags & HEAP_GROWABLE))
    return alloc_large(h, size, flags);
  const SIZE_T units = units_for(size, flags);
  if (!units) return NULL;
  heap_block* b = find_free(h, units);
  if (!b) {
    if (!(h->flags & HEAP_GROWABLE) || !add_segment(h, units)) return NULL;
    b = find_free(h, units);
    if (!b) return NULL;
  }
  free_remove(h, b);
  split(h, b, units);
  mark_busy(b, size, flags);
  void* ptr = b + 1;
  if (flags & HEAP_ZERO_MEMORY) memset(ptr, 0, size);
  return ptr;
}

heap_block* heap_block_from_ptr(heap* h, const void* ptr, heap_segment** segment) {
  const ULONG_PTR p = (ULONG_PTR)ptr;
  if (!p || (p & (HEAP_UNIT - 1))) return NULL;
  heap_block* b = (heap_block*)ptr - 1;
  for (heap_segment* s = h->segments; s; s = s->next) {
    if ((char*)b < s->first || (char*)ptr >= s->end) continue;
    if (b->magic != HEAP_BLOCK_BUSY || (b->flags & HEAP_BLOCK_LARGE) || b->size < HEAP_MIN_UNITS ||
        (SIZE_T)b->size * HEAP_UNIT > (SIZE_T)(s->end - (char*)b) ||
        b->unused > (SIZE_T)b->size * HEAP_UNIT)
      return NULL;
    if (segment) *segment = s;
    return b;
  }
  /* A big block: one of the heap's (its region may be gone: look it up, do not read it). */
  if ((p & 0xFFFF) != LARGE_DATA_OFFSET) return NULL;
  for (LIST_ENTRY* e = h->large.Flink; e != &h->large; e = e->Flink)
    if (&((heap_large*)e)->block == b) {
      if (segment) *segment = NULL;
      return b;
    }
  return NULL;
}

/* Under the lock: frees a segment block, merging it with free neighbours. */
static void release_block(heap* h, heap_segment* s, heap_block* b) {
  b->magic = HEAP_BLOCK_FREE;
  heap_block* next = heap_next_block(b);
  if (next && next->magic == HEAP_BLOCK_FREE) {
    free_remove(h, next);
    b->flags = (b->flags & ~HEAP_BLOCK_LAST) | (next->flags & HEAP_BLOCK_LAST);
    set_units(b, (SIZE_T)b->size + next->size);
    next->magic = 0;
  }
  if (b->prev_size) {
    heap_block* prev = (heap_block*)((char*)b - (SIZE_T)b->prev_size * HEAP_UNIT);
    if (prev->magic == HEAP_BLOCK_FREE) {
      free_remove(h, prev);
      prev->flags = (prev->flags & ~HEAP_BLOCK_LAST) | (b->flags & HEAP_BLOCK_LAST);
      set_units(prev, (SIZE_T)prev->size + b->size);
      b->magic = 0;
      b = prev;
    }
  }
  b->flags &= HEAP_BLOCK_LAST;
  b->unused = 0;
  free_insert(h, b);
  release_segment(h, s, b);
}

NTDLL_EXPORT PVOID NTAPI RtlAllocateHeap(PVOID handle, ULONG flags, SIZE_T size) {
  heap* h = heap_from_handle(handle);
  if (!h) return NULL;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  void* ptr = allocate(h, size, flags);
  heap_unlock(h, flags);
  if (!ptr) heap_fail(flags, STATUS_NO_MEMORY, size);
  return ptr;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlFreeHeap(PVOID handle, ULONG flags, PVOID ptr) {
  if (!ptr) return TRUE;
  heap* h = heap_from_handle(handle);
  if (!h) return FALSE;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  heap_segment* s;
  heap_block* b = heap_block_from_ptr(h, ptr, &s);
  if (b) {
    if (b->flags & HEAP_BLOCK_LARGE)
      free_large(heap_large_of(b));
    else
      release_block(h, s, b);
  }
  heap_unlock(h, flags);
  if (!b) heap_fail(flags & ~HEAP_GENERATE_EXCEPTIONS, STATUS_INVALID_PARAMETER, 0);
  return b != NULL;
}

NTDLL_EXPORT SIZE_T NTAPI RtlSizeHeap(PVOID handle, ULONG flags, const void* ptr) {
  heap* h = heap_from_handle(handle);
  if (!h) return ~(SIZE_T)0;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  heap_block* b = heap_block_from_ptr(h, ptr, NULL);
  const SIZE_T size = b ? heap_block_data_size(b) : ~(SIZE_T)0;
  heap_unlock(h, flags);
  if (!b) heap_fail(flags & ~HEAP_GENERATE_EXCEPTIONS, STATUS_INVALID_PARAMETER, 0);
  return size;
}

/* Under the lock: resizes a segment block where it is, growing into a free successor. */
static BOOL resize_in_place(heap* h, heap_block* b, SIZE_T size, ULONG flags) {
  const ULONG keep = b->flags & (HEAP_BLOCK_USER_INFO | HEAP_BLOCK_USER_FLAGS);
  const SIZE_T units =
      units_for(size, (keep & HEAP_BLOCK_USER_INFO) ? HEAP_SETTABLE_USER_VALUE : 0);
  if (!units) return FALSE;
  void* user_value = (keep & HEAP_BLOCK_USER_INFO) ? heap_user_info_of(b)->value : NULL;
  if (units > b->size) {
    heap_block* next = heap_next_block(b);
    if (!next || next->magic != HEAP_BLOCK_FREE || (SIZE_T)b->size + next->size < units)
      return FALSE;
    free_remove(h, next);
    b->flags = (b->flags & ~HEAP_BLOCK_LAST) | (next->flags & HEAP_BLOCK_LAST);
    set_units(b, (SIZE_T)b->size + next->size);
    next->magic = 0;
  }
  split(h, b, units);
  b->unused = (ULONG)((SIZE_T)b->size * HEAP_UNIT - size);
  if (keep & HEAP_BLOCK_USER_INFO) heap_user_info_of(b)->value = user_value;
  return TRUE;
}

NTDLL_EXPORT PVOID NTAPI RtlReAllocateHeap(PVOID handle, ULONG flags, PVOID ptr, SIZE_T size) {
  if (!ptr) return NULL;
  heap* h = heap_from_handle(handle);
  if (!h) return NULL;
  flags = heap_call_flags(h, flags);
  heap_lock(h, flags);
  heap_segment* s;
  heap_block* b = heap_block_from_ptr(h, ptr, &s);
  void* result = NULL;
  NTSTATUS status = STATUS_NO_MEMORY;
  if (!b) {
    status = STATUS_INVALID_PARAMETER;
  } else {
    const SIZE_T old_size = heap_block_data_size(b);
    if (b->flags & HEAP_BLOCK_LARGE) {
      heap_large* l = heap_large_of(b);
      const BOOL stays_big =
          size >= HEAP_LARGE_THRESHOLD / 2 || (flags & HEAP_REALLOC_IN_PLACE_ONLY);
      if (size <= l->region_size - LARGE_DATA_OFFSET && stays_big) {
        if (size > old_size && (flags & HEAP_ZERO_MEMORY))
          memset((char*)ptr + old_size, 0, size - old_size);
        l->data_size = size;
        result = ptr;
      }
    } else if (resize_in_place(h, b, size, flags)) {
      if (size > old_size && (flags & HEAP_ZERO_MEMORY))
        memset((char*)ptr + old_size, 0, size - old_size);
      result = ptr;
    }
    if (!result && !(flags & HEAP_REALLOC_IN_PLACE_ONLY)) {
      const BYTE keep = b->flags;
      ULONG alloc_flags =
          (flags & ~HEAP_ZERO_MEMORY) | ((ULONG)(keep & HEAP_BLOCK_USER_FLAGS) << 4);
      if (keep & HEAP_BLOCK_USER_INFO) alloc_flags |= HEAP_SETTABLE_USER_VALUE;
      result = allocate(h, size, alloc_flags);
      if (result) {
        void* user_value = (keep & HEAP_BLOCK_LARGE)       ? heap_large_of(b)->user_value
                           : (keep & HEAP_BLOCK_USER_INFO) ? heap_user_info_of(b)->value
                                                           : NULL;
        memcpy(result, ptr, old_size < size ? old_size : size);
        if (size > old_size && (flags & HEAP_ZERO_MEMORY))
          memset((char*)result + old_size, 0, size - old_size);
        heap_block* nb = (heap_block*)result - 1;
        if (nb->flags & HEAP_BLOCK_LARGE)
          heap_large_of(nb)->user_value = user_value;
        else if (nb->flags & HEAP_BLOCK_USER_INFO)
          heap_user_info_of(nb)->value = user_value;
        if (keep & HEAP_BLOCK_LARGE)
          free_large(heap_large_of(b));
        else
          release_block(h, s, b);
      }
    }
  }
  heap_unlock(h, flags);
  if (!result) heap_fail(b ? flags : flags & ~HEAP_GENERATE_EXCEPTIONS, status, size);
  return result;
}
