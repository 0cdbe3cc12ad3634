// Helpers shared by the memory services (nt_*_virtual_memory.cpp): alignment, argument
// capture, the process-handle check and the placement of new allocations.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "ireactor/address_space.h"
#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor::vm {

// Process access rights the services require (Windows values).
inline constexpr nt::ACCESS_MASK PROCESS_VM_OPERATION = 0x0008;
inline constexpr nt::ACCESS_MASK PROCESS_QUERY_INFORMATION = 0x0400;

// NTSTATUS values only the memory manager returns.
inline constexpr nt::NTSTATUS STATUS_UNABLE_TO_DELETE_SECTION = nt::status(0xC000001B);

// Allocation types beyond those in address_space.h.
inline constexpr uint32_t MEM_WRITE_WATCH = 0x200000;
inline constexpr uint32_t MEM_PHYSICAL = 0x400000;
inline constexpr uint32_t MEM_RESET_UNDO = 0x1000000;
inline constexpr uint32_t MEM_LARGE_PAGES = 0x20000000;

constexpr uint64_t page_down(uint64_t a) {
  return a & ~(kPageSize - 1);
}
constexpr uint64_t page_up(uint64_t a) {
  return (a + kPageSize - 1) & ~(kPageSize - 1);
}
constexpr uint64_t granule_down(uint64_t a) {
  return a & ~(kAllocationGranularity - 1);
}
constexpr uint64_t granule_up(uint64_t a) {
  return (a + kAllocationGranularity - 1) & ~(kAllocationGranularity - 1);
}

// Serialises the services that change the address space, so a check and the mapping change
// that follows it are one step.
std::mutex& services_mutex();

// STATUS_SUCCESS when h names this process (NtCurrentProcess() or a process handle with
// `access`); otherwise the handle table's verdict.
nt::NTSTATUS check_process_handle(nt::HANDLE h, nt::ACCESS_MASK access);

// Captures an in/out pointer-sized argument the way the Windows kernel probes it: writable
// and naturally aligned, else STATUS_ACCESS_VIOLATION / STATUS_DATATYPE_MISALIGNMENT.
nt::NTSTATUS capture_inout(UserPtr<uint64_t> p, uint64_t& value);
// Checks that an output of `size` bytes aligned to `align` can be written.
nt::NTSTATUS probe_output(uint64_t addr, uint64_t size, uint64_t align);

// Maps [addr, addr+size) PROT_NONE (a reservation) unless anything is mapped there:
// STATUS_CONFLICTING_ADDRESSES when something is, STATUS_NO_MEMORY on other failures.
nt::NTSTATUS reserve_at(uint64_t addr, uint64_t size);

// Reserves `size` bytes (a multiple of the page size) at a 64 KiB-aligned address no higher
// than `highest` (inclusive, for the last byte), never over any existing mapping: PROT_NONE,
// anonymous. Top-down picks the highest such place. nullopt when there is none.
std::optional<uint64_t> reserve_anywhere(uint64_t size, uint64_t highest, bool top_down);

// The allocation's records, if [lo, hi) lies within one allocation and is fully recorded;
// empty otherwise.
std::vector<Region> records_within_one_allocation(uint64_t lo, uint64_t hi);

}  // namespace ireactor::vm
