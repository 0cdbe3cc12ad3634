// NtFreeVirtualMemory: decommit pages of, or release all or part of, a private allocation.
//
// Decommitting maps fresh PROT_NONE anonymous memory over the pages (their contents go, and a
// later commit sees zeros); releasing unmaps them. Releasing part of an allocation leaves the
// part above the hole as an allocation of its own, as Windows splits the VAD.
#include <sys/mman.h>

#include "ireactor/process.h"
#include "ireactor/services/memory_services.h"
#include "memory/virtual_memory.h"

namespace ireactor {

namespace {

using namespace vm;

// The part of the allocation above a released hole now starts its own allocation.
void rebase_above(AddressSpace& as, uint64_t from, uint64_t alloc_end) {
  if (from >= alloc_end) return;
  for (Region r : as.overlapping(from, alloc_end - from)) {
    r.allocation_base = from;
    as.add(r);
  }
}

}  // namespace

nt::NTSTATUS NtFreeVirtualMemory(nt::HANDLE ProcessHandle, UserPtr<uint64_t> BaseAddress,
                                 UserPtr<uint64_t> RegionSize, nt::ULONG FreeType) {
  if (FreeType != MEM_RELEASE && FreeType != MEM_DECOMMIT) return nt::STATUS_INVALID_PARAMETER_4;
  uint64_t base = 0, size = 0;
  if (nt::NTSTATUS s = capture_inout(BaseAddress, base); s != nt::STATUS_SUCCESS) return s;
  if (nt::NTSTATUS s = capture_inout(RegionSize, size); s != nt::STATUS_SUCCESS) return s;
  if (base > kHighestUserAddress) return nt::STATUS_INVALID_PARAMETER_2;
  if (kHighestUserAddress + 1 - base < size) return nt::STATUS_INVALID_PARAMETER_3;
  if (nt::NTSTATUS s = check_process_handle(ProcessHandle, PROCESS_VM_OPERATION);
      s != nt::STATUS_SUCCESS)
    return s;

  std::lock_guard lock(services_mutex());
  AddressSpace& as = current_process().address_space;
  const uint64_t start = page_down(base);
  const auto alloc = as.allocation_of(start);
  if (alloc.empty()) return nt::STATUS_MEMORY_NOT_ALLOCATED;
  const uint64_t alloc_lo = alloc.front().base;
  const uint64_t alloc_hi = alloc.back().base + alloc.back().size;
  // Size 0 means "to the end of the allocation", and then base must be the allocation's.
  const uint64_t end = size ? page_up(base + size) : alloc_hi;
  if (end > alloc_hi) return nt::STATUS_UNABLE_TO_FREE_VM;
  if (alloc.front().type != MEM_PRIVATE) return STATUS_UNABLE_TO_DELETE_SECTION;
  if (size == 0 && start != alloc_lo) return nt::STATUS_FREE_VM_NOT_AT_BASE;
  const uint64_t len = end - start;
  void* const at = reinterpret_cast<void*>(start);

  if (FreeType == MEM_RELEASE) {
    if (munmap(at, len) != 0) return nt::STATUS_UNABLE_TO_FREE_VM;
    as.remove(start, len);
    rebase_above(as, end, alloc_hi);
    BaseAddress.write(start);
    RegionSize.write(len);
    return nt::STATUS_SUCCESS;
  }

  if (mmap(at, len, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) ==
      MAP_FAILED)
    return nt::STATUS_NO_MEMORY;
  as.add(Region{start, len, alloc.front().allocation_base, alloc.front().allocation_protect,
                MEM_RESERVE, 0, MEM_PRIVATE});
  BaseAddress.write(start);
  // Windows 10 after 1709 reports 0 back when asked to decommit "to the end".
  RegionSize.write(size ? len : 0);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
