// Object manager services (object/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtClose(nt::HANDLE Handle);
nt::NTSTATUS NtDuplicateObject(nt::HANDLE SourceProcessHandle, nt::HANDLE SourceHandle,
                               nt::HANDLE TargetProcessHandle, UserPtr<nt::HANDLE> TargetHandle,
                               nt::ACCESS_MASK DesiredAccess, nt::ULONG HandleAttributes,
                               nt::ULONG Options);
nt::NTSTATUS NtQueryObject(nt::HANDLE Handle, nt::ULONG ObjectInformationClass,
                           UserPtr<void> ObjectInformation, nt::ULONG ObjectInformationLength,
                           UserPtr<nt::ULONG> ReturnLength);

// clang-format off
#define IR_OBJECT_SERVICES(X) \
  X(NtClose) \
  X(NtDuplicateObject) \
  X(NtQueryObject)
// clang-format on

}  // namespace ireactor
