// NtQueryVirtualMemory: MemoryBasicInformation, from the address space record.
//
// A recorded page reports the run of pages after it with the same state, protection and type
// in the same allocation. An unrecorded page is MEM_FREE up to the next recorded region, even
// where the runtime itself has a mapping (its own code and data are not Windows memory).
#include "ireactor/process.h"
#include "ireactor/services/memory_services.h"
#include "memory/memory_basic_information.h"
#include "memory/virtual_memory.h"

namespace ireactor {

namespace {

nt::MEMORY_BASIC_INFORMATION basic_information(const AddressSpace& as, uint64_t addr) {
  nt::MEMORY_BASIC_INFORMATION mbi{};
  const uint64_t page = vm::page_down(addr);
  mbi.BaseAddress = page;
  auto r = as.first_at_or_above(page);
  if (!r || r->base > page) {
    mbi.RegionSize = (r ? r->base : kHighestUserAddress + 1) - page;
    mbi.State = MEM_FREE;
    mbi.Protect = PAGE_NOACCESS;
    return mbi;
  }
  mbi.AllocationBase = r->allocation_base;
  mbi.AllocationProtect = r->allocation_protect;
  mbi.State = r->state;
  mbi.Protect = r->protect;
  mbi.Type = r->type;
  uint64_t end = r->base + r->size;
  // Records are kept merged, but a run may still span several (e.g. added separately).
  while (auto next = as.first_at_or_above(end)) {
    if (next->base != end || next->allocation_base != r->allocation_base ||
        next->state != r->state || next->protect != r->protect || next->type != r->type)
      break;
    end = next->base + next->size;
  }
  mbi.RegionSize = end - page;
  return mbi;
}

}  // namespace

nt::NTSTATUS NtQueryVirtualMemory(nt::HANDLE ProcessHandle, uint64_t BaseAddress,
                                  nt::ULONG MemoryInformationClass, UserPtr<void> MemoryInformation,
                                  uint64_t Length, UserPtr<uint64_t> ReturnLength) {
  using namespace vm;
  if (BaseAddress > kHighestUserAddress) return nt::STATUS_INVALID_PARAMETER;
  if (nt::NTSTATUS s = probe_output(MemoryInformation.addr(), Length, sizeof(uint64_t));
      s != nt::STATUS_SUCCESS)
    return s;
  if (ReturnLength) {
    if (nt::NTSTATUS s = probe_output(ReturnLength.addr(), sizeof(uint64_t), sizeof(uint64_t));
        s != nt::STATUS_SUCCESS)
      return s;
  }
  if (MemoryInformationClass != nt::MemoryBasicInformation) return nt::STATUS_INVALID_INFO_CLASS;
  if (Length < sizeof(nt::MEMORY_BASIC_INFORMATION)) return nt::STATUS_INFO_LENGTH_MISMATCH;
  if (nt::NTSTATUS s = check_process_handle(ProcessHandle, PROCESS_QUERY_INFORMATION);
      s != nt::STATUS_SUCCESS)
    return s;

  nt::MEMORY_BASIC_INFORMATION mbi;
  {
    std::lock_guard lock(services_mutex());
    mbi = basic_information(current_process().address_space, BaseAddress);
  }
  if (!copy_to_user(MemoryInformation.addr(), &mbi, sizeof(mbi)))
    return nt::STATUS_ACCESS_VIOLATION;
  if (ReturnLength) ReturnLength.write(sizeof(mbi));
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
