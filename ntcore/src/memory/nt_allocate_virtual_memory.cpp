// NtAllocateVirtualMemory: reserve and/or commit private memory.
//
// Reserved pages are an anonymous PROT_NONE mapping; committing changes their protection
// (never-touched or decommitted anonymous pages read as zero). Parameter checks follow the
// order and statuses Windows uses: ZeroBits, AllocationType, Protect, the pointers, the range,
// then the handle.
#include <sys/mman.h>

#include <algorithm>
#include <bit>

#include "ireactor/process.h"
#include "ireactor/services/memory_services.h"
#include "memory/virtual_memory.h"

namespace ireactor {

namespace {

using namespace vm;

// Every malformed AllocationType is parameter 5 (the Windows Research Kernel's allocvm.c).
nt::NTSTATUS check_allocation_type(uint32_t type) {
  constexpr uint32_t kKnown = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN |
                              MEM_WRITE_WATCH | MEM_PHYSICAL | MEM_LARGE_PAGES;
  if (type & ~kKnown) return nt::STATUS_INVALID_PARAMETER_5;
  if (!(type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO)))
    return nt::STATUS_INVALID_PARAMETER_5;
  // MEM_RESET and MEM_RESET_UNDO stand alone.
  if ((type & MEM_RESET) && type != MEM_RESET) return nt::STATUS_INVALID_PARAMETER_5;
  if ((type & MEM_RESET_UNDO) && type != MEM_RESET_UNDO) return nt::STATUS_INVALID_PARAMETER_5;
  if ((type & MEM_LARGE_PAGES) && !(type & MEM_COMMIT)) return nt::STATUS_INVALID_PARAMETER_5;
  if ((type & (MEM_WRITE_WATCH | MEM_PHYSICAL)) && !(type & MEM_RESERVE))
    return nt::STATUS_INVALID_PARAMETER_5;
  return nt::STATUS_SUCCESS;
}

// The highest address (inclusive) ZeroBits allows: 1..21 count leading zero bits of a 32-bit
// address; 32 and above is a mask whose leading zeros must be zero in the address too.
uint64_t zero_bits_ceiling(uint64_t zero_bits) {
  if (zero_bits == 0) return kHighestUserAddress;
  if (zero_bits < 32) return (1ull << (32 - zero_bits)) - 1;
  return std::min<uint64_t>(kHighestUserAddress, ~0ull >> std::countl_zero(zero_bits));
}

bool is_write_copy(uint32_t protect) {
  const uint32_t base = protect & 0xff;
  return base == PAGE_WRITECOPY || base == PAGE_EXECUTE_WRITECOPY;
}

struct Request {
  uint64_t base;
  uint64_t size;
  uint64_t zero_bits;
  uint32_t type;
  uint32_t protect;
  uint32_t prot;  // PROT_* for protect
};

// A new allocation: at base (rounded down to 64 KiB) or wherever fits.
nt::NTSTATUS reserve(const Request& rq, uint64_t& start, uint64_t& len) {
  AddressSpace& as = current_process().address_space;
  if (rq.base == 0) {
    len = page_up(rq.size);
    auto at = reserve_anywhere(len, zero_bits_ceiling(rq.zero_bits), rq.type & MEM_TOP_DOWN);
    if (!at) return nt::STATUS_NO_MEMORY;
    start = *at;
  } else {
    start = granule_down(rq.base);
    if (start < kLowestUserAddress) return nt::STATUS_INVALID_PARAMETER_2;
    len = page_up(rq.base + rq.size) - start;
    if (!as.overlapping(start, len).empty()) return nt::STATUS_CONFLICTING_ADDRESSES;
    if (nt::NTSTATUS s = reserve_at(start, len); s != nt::STATUS_SUCCESS) return s;
  }
  const bool committing = rq.type & MEM_COMMIT;
  if (committing && rq.prot != PROT_NONE &&
      mprotect(reinterpret_cast<void*>(start), len, static_cast<int>(rq.prot)) != 0) {
    munmap(reinterpret_cast<void*>(start), len);
    return nt::STATUS_NO_MEMORY;
  }
  as.add(Region{start, len, start, rq.protect, committing ? MEM_COMMIT : MEM_RESERVE,
                committing ? rq.protect : 0u, MEM_PRIVATE});
  return nt::STATUS_SUCCESS;
}

// Commits pages of an existing private allocation; already committed pages keep their
// contents and take the new protection.
nt::NTSTATUS commit(const Request& rq, uint64_t& start, uint64_t& len) {
  start = page_down(rq.base);
  len = page_up(rq.base + rq.size) - start;
  auto recs = records_within_one_allocation(start, start + len);
  if (recs.empty() || recs.front().type != MEM_PRIVATE) return nt::STATUS_CONFLICTING_ADDRESSES;
  if (mprotect(reinterpret_cast<void*>(start), len, static_cast<int>(rq.prot)) != 0)
    return nt::STATUS_NO_MEMORY;
  const Region& alloc = recs.front();
  current_process().address_space.add(Region{start, len, alloc.allocation_base,
                                             alloc.allocation_protect, MEM_COMMIT, rq.protect,
                                             MEM_PRIVATE});
  return nt::STATUS_SUCCESS;
}

// MEM_RESET / MEM_RESET_UNDO: Windows may discard the contents or keep them; we keep them,
// after checking the range is allocated.
nt::NTSTATUS reset(const Request& rq, uint64_t& start, uint64_t& len) {
  start = page_down(rq.base);
  len = page_up(rq.base + rq.size) - start;
  if (records_within_one_allocation(start, start + len).empty())
    return nt::STATUS_CONFLICTING_ADDRESSES;
  return nt::STATUS_SUCCESS;
}

}  // namespace

nt::NTSTATUS NtAllocateVirtualMemory(nt::HANDLE ProcessHandle, UserPtr<uint64_t> BaseAddress,
                                     nt::ULONG_PTR ZeroBits, UserPtr<uint64_t> RegionSize,
                                     nt::ULONG AllocationType, nt::ULONG Protect) {
  if ((ZeroBits > 21 && ZeroBits < 32) || (ZeroBits > 32 && ZeroBits < 0xFFFF))
    return nt::STATUS_INVALID_PARAMETER_3;
  if (nt::NTSTATUS s = check_allocation_type(AllocationType); s != nt::STATUS_SUCCESS) return s;
  const bool is_reset = AllocationType & (MEM_RESET | MEM_RESET_UNDO);
  const uint32_t prot = linux_prot_from_page(Protect);
  if (!is_reset && prot == 0xffffffff) return nt::STATUS_INVALID_PAGE_PROTECTION;

  Request rq{0, 0, ZeroBits, AllocationType, Protect, prot};
  if (nt::NTSTATUS s = capture_inout(BaseAddress, rq.base); s != nt::STATUS_SUCCESS) return s;
  if (nt::NTSTATUS s = capture_inout(RegionSize, rq.size); s != nt::STATUS_SUCCESS) return s;
  if (rq.base > kHighestUserAddress) return nt::STATUS_INVALID_PARAMETER_2;
  if (kHighestUserAddress + 1 - rq.base < rq.size) return nt::STATUS_INVALID_PARAMETER_4;
  if (rq.size == 0) return nt::STATUS_INVALID_PARAMETER_4;

  if (nt::NTSTATUS s = check_process_handle(ProcessHandle, PROCESS_VM_OPERATION);
      s != nt::STATUS_SUCCESS)
    return s;
  // Large pages need SeLockMemoryPrivilege, which no process here holds.
  if (AllocationType & MEM_LARGE_PAGES) return nt::STATUS_PRIVILEGE_NOT_HELD;
  // Write watches and AWE are not implemented.
  if (AllocationType & (MEM_WRITE_WATCH | MEM_PHYSICAL)) return nt::STATUS_NOT_SUPPORTED;
  // Private memory is never copy-on-write.
  if (!is_reset && is_write_copy(Protect)) return nt::STATUS_INVALID_PAGE_PROTECTION;

  std::lock_guard lock(services_mutex());
  uint64_t start = 0, len = 0;
  nt::NTSTATUS s;
  if (is_reset)
    s = reset(rq, start, len);
  else if (rq.base == 0 || (AllocationType & MEM_RESERVE))
    s = reserve(rq, start, len);
  else
    s = commit(rq, start, len);
  if (s != nt::STATUS_SUCCESS) return s;
  // Both were probed writable; a racing unmap by Windows code only loses the answer.
  BaseAddress.write(start);
  RegionSize.write(len);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
