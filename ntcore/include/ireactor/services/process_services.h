// Process services (process/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtQueryInformationProcess(nt::HANDLE ProcessHandle, nt::ULONG ProcessInformationClass,
                                       UserPtr<void> ProcessInformation,
                                       nt::ULONG ProcessInformationLength,
                                       UserPtr<nt::ULONG> ReturnLength);
nt::NTSTATUS NtTerminateProcess(nt::HANDLE ProcessHandle, nt::NTSTATUS ExitStatus);

// clang-format off
#define IR_PROCESS_SERVICES(X) \
  X(NtQueryInformationProcess) \
  X(NtTerminateProcess)
// clang-format on

}  // namespace ireactor
