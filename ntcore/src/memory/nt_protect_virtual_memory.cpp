// NtProtectVirtualMemory: change the protection of committed pages within one allocation.
//
// PAGE_GUARD pages are mapped PROT_NONE and recorded with the guard bit; the fault handler
// lifts the guard on first touch and raises STATUS_GUARD_PAGE_VIOLATION (one-shot, as on
// Windows). Write-copy protections on image pages behave as read-write: the mapping is already
// private, so a write never reaches the file; the page just keeps reporting PAGE_WRITECOPY.
#include <sys/mman.h>

#include <cerrno>

#include "ireactor/process.h"
#include "ireactor/services/memory_services.h"
#include "memory/virtual_memory.h"

namespace ireactor {

nt::NTSTATUS NtProtectVirtualMemory(nt::HANDLE ProcessHandle, UserPtr<uint64_t> BaseAddress,
                                    UserPtr<uint64_t> RegionSize, nt::ULONG NewProtect,
                                    UserPtr<nt::ULONG> OldProtect) {
  using namespace vm;
  const uint32_t prot = linux_prot_from_page(NewProtect);
  if (prot == 0xffffffff) return nt::STATUS_INVALID_PAGE_PROTECTION;
  uint64_t base = 0, size = 0;
  if (nt::NTSTATUS s = capture_inout(BaseAddress, base); s != nt::STATUS_SUCCESS) return s;
  if (nt::NTSTATUS s = capture_inout(RegionSize, size); s != nt::STATUS_SUCCESS) return s;
  if (nt::NTSTATUS s = probe_output(OldProtect.addr(), sizeof(nt::ULONG), sizeof(nt::ULONG));
      s != nt::STATUS_SUCCESS)
    return s;
  if (base > kHighestUserAddress) return nt::STATUS_INVALID_PARAMETER_2;
  if (kHighestUserAddress + 1 - base < size || size == 0) return nt::STATUS_INVALID_PARAMETER_3;
  if (nt::NTSTATUS s = check_process_handle(ProcessHandle, PROCESS_VM_OPERATION);
      s != nt::STATUS_SUCCESS)
    return s;

  std::lock_guard lock(services_mutex());
  const uint64_t start = page_down(base);
  const uint64_t len = page_up(base + size) - start;
  const auto recs = records_within_one_allocation(start, start + len);
  if (recs.empty()) return nt::STATUS_CONFLICTING_ADDRESSES;
  for (const Region& r : recs) {
    if (r.state != MEM_COMMIT) return nt::STATUS_NOT_COMMITTED;
  }
  const uint32_t base_protect = NewProtect & 0xff;
  if (recs.front().type == MEM_PRIVATE &&
      (base_protect == PAGE_WRITECOPY || base_protect == PAGE_EXECUTE_WRITECOPY))
    return nt::STATUS_INVALID_PAGE_PROTECTION;

  const uint32_t old = recs.front().protect;
  if (mprotect(reinterpret_cast<void*>(start), len, static_cast<int>(prot)) != 0)
    return errno == EACCES ? nt::STATUS_INVALID_PAGE_PROTECTION : nt::STATUS_NO_MEMORY;
  current_process().address_space.set_protect(start, len, NewProtect);
  BaseAddress.write(start);
  RegionSize.write(len);
  OldProtect.write(old);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
