/* RtlCreateUserStack / RtlFreeUserStack: a thread stack as Windows lays one
 * out, for callers that build threads themselves. One reservation; its top
 * `commit` bytes committed, the page below them a guard page (so the stack
 * can grow on touch), the rest reserved. */
#include "threads_private.h"

#define ONE_MB 0x100000

static SIZE_T round_up(SIZE_T v, SIZE_T align) {
  return (v + align - 1) & ~(align - 1);
}

static BOOL power_of_two(SIZE_T v) {
  return v && !(v & (v - 1));
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateUserStack(SIZE_T CommittedStackSize, SIZE_T MaximumStackSize,
                                               ULONG_PTR ZeroBits, SIZE_T PageSize,
                                               ULONG_PTR ReserveAlignment,
                                               THREADS_INITIAL_TEB* InitialTeb) {
  if (!power_of_two(PageSize) || !power_of_two(ReserveAlignment)) return STATUS_INVALID_PARAMETER;
  SIZE_T commit = CommittedStackSize, reserve = MaximumStackSize;
  if (!commit || !reserve) {
    /* The executable's stack sizes stand for the ones not given. */
    const IMAGE_NT_HEADERS* nt = RtlImageNtHeader(ir_peb()->ImageBaseAddress);
    if (!commit) commit = nt ? nt->OptionalHeader.SizeOfStackCommit : PageSize;
    if (!reserve) reserve = nt ? nt->OptionalHeader.SizeOfStackReserve : ONE_MB;
  }
  commit = round_up(commit ? commit : PageSize, PageSize);
  if (reserve <= commit) reserve = round_up(commit + PageSize, ONE_MB);
  reserve = round_up(reserve, ReserveAlignment);

  PVOID base = NULL;
  SIZE_T size = reserve;
  NTSTATUS status = NtAllocateVirtualMemory(THREADS_CURRENT_PROCESS, &base, ZeroBits, &size,
                                            MEM_RESERVE, PAGE_READWRITE);
  if (status != STATUS_SUCCESS) return status;
  BYTE* top = (BYTE*)base + reserve;
  PVOID limit = top - commit;
  size = commit;
  status = NtAllocateVirtualMemory(THREADS_CURRENT_PROCESS, &limit, 0, &size, MEM_COMMIT,
                                   PAGE_READWRITE);
  if (status == STATUS_SUCCESS && commit + PageSize <= reserve) {
    PVOID guard = top - commit - PageSize;
    size = PageSize;
    status = NtAllocateVirtualMemory(THREADS_CURRENT_PROCESS, &guard, 0, &size, MEM_COMMIT,
                                     PAGE_READWRITE | PAGE_GUARD);
  }
  if (status != STATUS_SUCCESS) {
    size = 0;
    NtFreeVirtualMemory(THREADS_CURRENT_PROCESS, &base, &size, MEM_RELEASE);
    return status;
  }
  InitialTeb->OldStackBase = NULL;
  InitialTeb->OldStackLimit = NULL;
  InitialTeb->StackBase = top;
  InitialTeb->StackLimit = top - commit;
  InitialTeb->StackAllocationBase = base;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT void NTAPI RtlFreeUserStack(PVOID AllocationBase) {
  SIZE_T size = 0;
  NtFreeVirtualMemory(THREADS_CURRENT_PROCESS, &AllocationBase, &size, MEM_RELEASE);
}
