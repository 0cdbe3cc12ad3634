/* Fiber-local storage: process-wide slot indexes with an optional callback, per-thread value arrays
 * (TEB.FlsData). Freeing a slot runs its callback on every thread's non-NULL value;
 * RtlProcessFlsData runs a thread's callbacks and releases its array (at thread exit). Fibers would
 * switch FlsData; there are none yet, so each thread has exactly one array. */
#include "loader_private.h"

#define FLS_SLOTS 4080 /* FLS_MAXIMUM_AVAILABLE */

typedef void(WINAPI* FLS_CALLBACK)(PVOID);

typedef struct FLS_DATA {
  LIST_ENTRY link; /* all threads' arrays */
  PVOID slots[FLS_SLOTS];
} FLS_DATA;

/* Slot 0 is never handed out, as on Windows: a zeroed index is always invalid. */
static BOOLEAN allocated[FLS_SLOTS];
static FLS_CALLBACK callbacks[FLS_SLOTS];
static LIST_ENTRY all_data = {&all_data, &all_data};

static FLS_DATA** teb_fls(void) {
  return (FLS_DATA**)((BYTE*)ir_teb() + LOADER_TEB_FLS_DATA);
}

/* The thread's array, created on first use; NULL when memory is exhausted. */
static FLS_DATA* thread_data(BOOLEAN create) {
  FLS_DATA* d = *teb_fls();
  if (d || !create) return d;
  PVOID base = NULL;
  SIZE_T size = sizeof(FLS_DATA);
  if (NtAllocateVirtualMemory((HANDLE)-1, &base, 0, &size, MEM_COMMIT | MEM_RESERVE,
                              PAGE_READWRITE) != STATUS_SUCCESS)
    return NULL;
  d = base;
  d->link.Flink = all_data.Flink;
  d->link.Blink = &all_data;
  all_data.Flink->Blink = &d->link;
  all_data.Flink = &d->link;
  *teb_fls() = d;
  return d;
}

static BOOLEAN valid(ULONG index) {
  return index > 0 && index < FLS_SLOTS && allocated[index];
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFlsAlloc(PVOID Callback, PULONG Index) {
  NTSTATUS status = STATUS_NO_MEMORY;
  *Index = FLS_OUT_OF_INDEXES;
  loader_lock();
  if (thread_data(TRUE)) {
    for (ULONG i = 1; i < FLS_SLOTS; ++i) {
      if (allocated[i]) continue;
      allocated[i] = TRUE;
      callbacks[i] = (FLS_CALLBACK)Callback;
      /* A reused index starts out NULL in every thread. */
      for (LIST_ENTRY* l = all_data.Flink; l != &all_data; l = l->Flink)
        ((FLS_DATA*)l)->slots[i] = NULL;
      *Index = i;
      status = STATUS_SUCCESS;
      break;
    }
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFlsFree(ULONG Index) {
  loader_lock();
  if (!valid(Index)) {
    loader_unlock();
    return STATUS_INVALID_PARAMETER;
  }
  const FLS_CALLBACK callback = callbacks[Index];
  allocated[Index] = FALSE;
  callbacks[Index] = NULL;
  for (LIST_ENTRY* l = all_data.Flink; l != &all_data; l = l->Flink) {
    FLS_DATA* d = (FLS_DATA*)l;
    PVOID value = d->slots[Index];
    d->slots[Index] = NULL;
    if (value && callback) callback(value);
  }
  loader_unlock();
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFlsSetValue(ULONG Index, PVOID Data) {
  if (!valid(Index)) return STATUS_INVALID_PARAMETER;
  FLS_DATA* d = thread_data(TRUE);
  if (!d) return STATUS_NO_MEMORY;
  d->slots[Index] = Data;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFlsGetValue(ULONG Index, PVOID* Data) {
  if (!valid(Index)) return STATUS_INVALID_PARAMETER;
  FLS_DATA* d = thread_data(FALSE);
  *Data = d ? d->slots[Index] : NULL;
  return STATUS_SUCCESS;
}

/* Flags: 1 runs the callbacks of the array's non-NULL values, 2 releases the array. */
NTDLL_EXPORT void NTAPI RtlProcessFlsData(PVOID FlsData, ULONG Flags) {
  FLS_DATA* d = FlsData;
  if (!d) return;
  loader_lock();
  if (Flags & 1) {
    for (ULONG i = 1; i < FLS_SLOTS; ++i) {
      PVOID value = d->slots[i];
      if (!value || !allocated[i]) continue;
      d->slots[i] = NULL;
      if (callbacks[i]) callbacks[i](value);
    }
  }
  if (Flags & 2) {
    d->link.Blink->Flink = d->link.Flink;
    d->link.Flink->Blink = d->link.Blink;
    if (*teb_fls() == d) *teb_fls() = NULL;
    PVOID base = d;
    SIZE_T size = 0;
    NtFreeVirtualMemory((HANDLE)-1, &base, &size, MEM_RELEASE);
  }
  loader_unlock();
}
