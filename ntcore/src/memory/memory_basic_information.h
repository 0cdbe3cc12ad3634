// MEMORY_BASIC_INFORMATION as NtQueryVirtualMemory(MemoryBasicInformation) returns it (x64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ireactor::nt {

inline constexpr uint32_t MemoryBasicInformation = 0;

struct MEMORY_BASIC_INFORMATION {
  uint64_t BaseAddress;
  uint64_t AllocationBase;
  uint32_t AllocationProtect;
  uint16_t PartitionId;
  uint16_t pad0_;
  uint64_t RegionSize;
  uint32_t State;
  uint32_t Protect;
  uint32_t Type;
  uint32_t pad1_;
};
static_assert(sizeof(MEMORY_BASIC_INFORMATION) == 48);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, AllocationBase) == 8);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, AllocationProtect) == 16);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, PartitionId) == 20);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, RegionSize) == 24);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, State) == 32);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, Protect) == 36);
static_assert(offsetof(MEMORY_BASIC_INFORMATION, Type) == 40);

}  // namespace ireactor::nt
