// System information and time services (system/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtQueryPerformanceCounter(UserPtr<int64_t> PerformanceCounter,
                                       UserPtr<int64_t> PerformanceFrequency);
nt::NTSTATUS NtQuerySystemTime(UserPtr<int64_t> SystemTime);
nt::NTSTATUS NtQuerySystemInformation(nt::ULONG SystemInformationClass,
                                      UserPtr<void> SystemInformation,
                                      nt::ULONG SystemInformationLength,
                                      UserPtr<nt::ULONG> ReturnLength);

// clang-format off
#define IR_SYSTEM_SERVICES(X) \
  X(NtQueryPerformanceCounter) \
  X(NtQuerySystemTime) \
  X(NtQuerySystemInformation)
// clang-format on

}  // namespace ireactor
