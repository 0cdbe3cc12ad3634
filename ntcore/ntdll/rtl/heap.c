/* RtlCreateHeap, RtlDestroyHeap, the process's heap list (PEB.ProcessHeaps, RtlGetProcessHeaps)
 * and RtlLockHeap/RtlUnlockHeap. */
#include "heap_private.h"

#define DEFAULT_RESERVE 0x100000
#define DEFAULT_COMMIT 0x2000
#define INITIAL_HEAP_SLOTS 16

/* The heap list. PEB.ProcessHeaps points at it; it moves to the process heap when it outgrows
 * the static array. */
static RTL_CRITICAL_SECTION heap_list_lock = {(PRTL_CRITICAL_SECTION_DEBUG)-1, -1, 0, 0, 0, 0};
static PVOID heap_list_static[INITIAL_HEAP_SLOTS];
static PVOID* heap_list = heap_list_static;
static ULONG heap_list_count, heap_list_capacity = INITIAL_HEAP_SLOTS;

static void publish_heap_list(void) {
  IR_PEB* peb = ir_peb();
  peb->ProcessHeaps = heap_list;
  peb->NumberOfHeaps = heap_list_count;
  peb->MaximumNumberOfHeaps = heap_list_capacity;
}

static BOOL add_to_heap_list(heap* h) {
  BOOL ok = TRUE;
  RtlEnterCriticalSection(&heap_list_lock);
  if (heap_list_count == heap_list_capacity) {
    PVOID process_heap = ir_peb()->ProcessHeap;
    PVOID* grown = process_heap
                       ? RtlAllocateHeap(process_heap, 0, heap_list_capacity * 2 * sizeof(PVOID))
                       : NULL;
    if (grown) {
      memcpy(grown, heap_list, heap_list_count * sizeof(PVOID));
      if (heap_list != heap_list_static) RtlFreeHeap(process_heap, 0, heap_list);
      heap_list = grown;
      heap_list_capacity *= 2;
    } else {
      ok = FALSE;
    }
  }
  if (ok) heap_list[heap_list_count++] = h;
  publish_heap_list();
  RtlLeaveCriticalSection(&heap_list_lock);
  return ok;
}

static void remove_from_heap_list(heap* h) {
  RtlEnterCriticalSection(&heap_list_lock);
  for (ULONG i = 0; i < heap_list_count; ++i)
    if (heap_list[i] == h) {
      memmove(&heap_list[i], &heap_list[i + 1], (heap_list_count - i - 1) * sizeof(PVOID));
      --heap_list_count;
      break;
    }
  publish_heap_list();
  RtlLeaveCriticalSection(&heap_list_lock);
}

heap* heap_from_handle(HANDLE handle) {
  heap* h = handle;
  if (!h || ((ULONG_PTR)h & 0xFFF) || h->magic != HEAP_MAGIC) return NULL;
  return h;
}

void heap_fail(ULONG flags, NTSTATUS status, SIZE_T size) {
  IR_TEB* teb = ir_teb();
  teb->LastStatusValue = status;
  teb->LastErrorValue =
      status == STATUS_NO_MEMORY ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER;
  if (status == STATUS_NO_MEMORY && (flags & HEAP_GENERATE_EXCEPTIONS)) {
    EXCEPTION_RECORD record = {0};
    record.ExceptionCode = STATUS_NO_MEMORY;
    record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    record.ExceptionAddress = __builtin_return_address(0);
    record.NumberParameters = 1;
    record.ExceptionInformation[0] = size;
    RtlRaiseException(&record);
  }
}

/* Heaps whose memory the caller gives (HeapBase) use it as their only segment and never grow.
 * Otherwise the heap reserves and commits ReserveSize (CommitSize if larger, defaults when 0);
 * HEAP_GROWABLE heaps add segments when it is full, fixed ones fail allocations instead. */
NTDLL_EXPORT PVOID NTAPI RtlCreateHeap(ULONG flags, PVOID base, SIZE_T reserve, SIZE_T commit,
                                       PVOID lock, PRTL_HEAP_PARAMETERS parameters) {
  const ULONG protect =
      (flags & HEAP_CREATE_ENABLE_EXECUTE) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
  if (!commit) commit = DEFAULT_COMMIT;
  /* No reserve size: a growable heap (HeapCreate's maximum size 0 arrives here as 0). */
  if (!reserve && !base) flags |= HEAP_GROWABLE;
  if (!reserve) reserve = (flags & HEAP_GROWABLE) ? DEFAULT_RESERVE : commit;
  if (reserve < commit) reserve = commit;
  if (reserve > HEAP_MAX_SEGMENT_BYTES) return NULL; /* block sizes are 32-bit unit counts */
  const SIZE_T header = (sizeof(heap) + HEAP_UNIT - 1) & ~(SIZE_T)(HEAP_UNIT - 1);
  if (reserve < header + 0x1000) reserve = header + 0x1000;
  BOOL owned = base == NULL;
  if (owned) {
    reserve = (reserve + 0xFFFF) & ~(SIZE_T)0xFFFF;
    if (NtAllocateVirtualMemory((HANDLE)-1, &base, 0, &reserve, MEM_RESERVE | MEM_COMMIT,
                                protect) != STATUS_SUCCESS)
      return NULL;
  } else {
    flags &= ~HEAP_GROWABLE;
    if ((ULONG_PTR)base & 0xFFF) return NULL;
    reserve &= ~(SIZE_T)0xFFF;
    void* at = base;
    SIZE_T size = reserve; /* commit what the caller only reserved; committed pages stay */
    if (NtAllocateVirtualMemory((HANDLE)-1, &at, 0, &size, MEM_COMMIT, protect) != STATUS_SUCCESS)
      return NULL;
  }
  heap* h = base;
  memset(h, 0, sizeof *h);
  h->magic = HEAP_MAGIC;
  h->flags = flags;
  h->protect = protect;
  h->next_segment_size = reserve * 2;
  h->large.Flink = h->large.Blink = &h->large;
  RtlInitializeCriticalSectionEx(&h->lock, 0, 0);
  h->first_segment.owned = owned;
  heap_segment_init(h, &h->first_segment, base, reserve, (char*)base + header,
                    (char*)base + reserve);
  add_to_heap_list(h);
  return h;
}

/* NULL once destroyed; the handle itself when it is not a heap or is the process heap. */
NTDLL_EXPORT PVOID NTAPI RtlDestroyHeap(PVOID handle) {
  heap* h = heap_from_handle(handle);
  if (!h || handle == ir_peb()->ProcessHeap) return handle;
  remove_from_heap_list(h);
  while (h->large.Flink != &h->large) {
    LIST_ENTRY* e = h->large.Flink;
    e->Blink->Flink = e->Flink;
    e->Flink->Blink = e->Blink;
    void* at = e;
    SIZE_T size = 0;
    NtFreeVirtualMemory((HANDLE)-1, &at, &size, MEM_RELEASE);
  }
  RtlDeleteCriticalSection(&h->lock);
  h->magic = 0;
  heap_segment* s = h->segments;
  while (s) {
    heap_segment* next = s->next;
    if (s->owned) { /* the first segment, holding h, goes last */
      void* at = s->base;
      SIZE_T size = 0;
      if (s != &h->first_segment) NtFreeVirtualMemory((HANDLE)-1, &at, &size, MEM_RELEASE);
    }
    s = next;
  }
  if (h->first_segment.owned) {
    void* at = h;
    SIZE_T size = 0;
    NtFreeVirtualMemory((HANDLE)-1, &at, &size, MEM_RELEASE);
  }
  return NULL;
}

/* The number of heaps; their handles when `count` is enough for all of them. */
NTDLL_EXPORT ULONG NTAPI RtlGetProcessHeaps(ULONG count, PVOID* heaps) {
  RtlEnterCriticalSection(&heap_list_lock);
  const ULONG total = heap_list_count;
  if (count >= total) memcpy(heaps, heap_list, total * sizeof(PVOID));
  RtlLeaveCriticalSection(&heap_list_lock);
  return total;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlLockHeap(PVOID handle) {
  heap* h = heap_from_handle(handle);
  if (!h) return FALSE;
  heap_lock(h, h->flags);
  return TRUE;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlUnlockHeap(PVOID handle) {
  heap* h = heap_from_handle(handle);
  if (!h) return FALSE;
  heap_unlock(h, h->flags);
  return TRUE;
}

/* The process heap (ntdll_init.c): growable, sized from the PEB's heap parameters. */
BOOL heap_init_process_heap(void) {
  IR_PEB* peb = ir_peb();
  if (peb->ProcessHeap) return TRUE;
  peb->ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, peb->HeapSegmentReserve,
                                   peb->HeapSegmentCommit, NULL, NULL);
  return peb->ProcessHeap != NULL;
}
