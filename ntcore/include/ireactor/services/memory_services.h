// Memory manager services (memory/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtAllocateVirtualMemory(nt::HANDLE ProcessHandle, UserPtr<uint64_t> BaseAddress,
                                     nt::ULONG_PTR ZeroBits, UserPtr<uint64_t> RegionSize,
                                     nt::ULONG AllocationType, nt::ULONG Protect);
nt::NTSTATUS NtFreeVirtualMemory(nt::HANDLE ProcessHandle, UserPtr<uint64_t> BaseAddress,
                                 UserPtr<uint64_t> RegionSize, nt::ULONG FreeType);
nt::NTSTATUS NtProtectVirtualMemory(nt::HANDLE ProcessHandle, UserPtr<uint64_t> BaseAddress,
                                    UserPtr<uint64_t> RegionSize, nt::ULONG NewProtect,
                                    UserPtr<nt::ULONG> OldProtect);
nt::NTSTATUS NtQueryVirtualMemory(nt::HANDLE ProcessHandle, uint64_t BaseAddress,
                                  nt::ULONG MemoryInformationClass, UserPtr<void> MemoryInformation,
                                  uint64_t Length, UserPtr<uint64_t> ReturnLength);

// clang-format off
#define IR_MEMORY_SERVICES(X) \
  X(NtAllocateVirtualMemory) \
  X(NtFreeVirtualMemory) \
  X(NtProtectVirtualMemory) \
  X(NtQueryVirtualMemory)
// clang-format on

}  // namespace ireactor
