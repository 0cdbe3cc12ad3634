// Registry services: the key tree of the namespace, its values and their persistence
// (registry/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtCreateKey(UserPtr<nt::HANDLE> KeyHandle, nt::ACCESS_MASK DesiredAccess,
                         UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes, nt::ULONG TitleIndex,
                         UserPtr<nt::UNICODE_STRING> Class, nt::ULONG CreateOptions,
                         UserPtr<nt::ULONG> Disposition);
nt::NTSTATUS NtOpenKey(UserPtr<nt::HANDLE> KeyHandle, nt::ACCESS_MASK DesiredAccess,
                       UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes);
nt::NTSTATUS NtOpenKeyEx(UserPtr<nt::HANDLE> KeyHandle, nt::ACCESS_MASK DesiredAccess,
                         UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes, nt::ULONG OpenOptions);
nt::NTSTATUS NtDeleteKey(nt::HANDLE KeyHandle);
nt::NTSTATUS NtRenameKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> NewName);
nt::NTSTATUS NtQueryKey(nt::HANDLE KeyHandle, nt::ULONG KeyInformationClass,
                        UserPtr<void> KeyInformation, nt::ULONG Length,
                        UserPtr<nt::ULONG> ResultLength);
nt::NTSTATUS NtEnumerateKey(nt::HANDLE KeyHandle, nt::ULONG Index, nt::ULONG KeyInformationClass,
                            UserPtr<void> KeyInformation, nt::ULONG Length,
                            UserPtr<nt::ULONG> ResultLength);
nt::NTSTATUS NtSetInformationKey(nt::HANDLE KeyHandle, nt::ULONG KeySetInformationClass,
                                 UserPtr<void> KeySetInformation,
                                 nt::ULONG KeySetInformationLength);
nt::NTSTATUS NtQueryValueKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> ValueName,
                             nt::ULONG KeyValueInformationClass, UserPtr<void> KeyValueInformation,
                             nt::ULONG Length, UserPtr<nt::ULONG> ResultLength);
nt::NTSTATUS NtEnumerateValueKey(nt::HANDLE KeyHandle, nt::ULONG Index,
                                 nt::ULONG KeyValueInformationClass,
                                 UserPtr<void> KeyValueInformation, nt::ULONG Length,
                                 UserPtr<nt::ULONG> ResultLength);
nt::NTSTATUS NtSetValueKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> ValueName,
                           nt::ULONG TitleIndex, nt::ULONG Type, UserPtr<void> Data,
                           nt::ULONG DataSize);
nt::NTSTATUS NtDeleteValueKey(nt::HANDLE KeyHandle, UserPtr<nt::UNICODE_STRING> ValueName);
nt::NTSTATUS NtFlushKey(nt::HANDLE KeyHandle);
nt::NTSTATUS NtNotifyChangeKey(nt::HANDLE KeyHandle, nt::HANDLE Event, UserPtr<void> ApcRoutine,
                               UserPtr<void> ApcContext, UserPtr<nt::IO_STATUS_BLOCK> IoStatusBlock,
                               nt::ULONG CompletionFilter, nt::BOOLEAN WatchTree,
                               UserPtr<void> Buffer, nt::ULONG BufferSize,
                               nt::BOOLEAN Asynchronous);
nt::NTSTATUS NtNotifyChangeMultipleKeys(
    nt::HANDLE MasterKeyHandle, nt::ULONG Count, UserPtr<nt::OBJECT_ATTRIBUTES> SubordinateObjects,
    nt::HANDLE Event, UserPtr<void> ApcRoutine, UserPtr<void> ApcContext,
    UserPtr<nt::IO_STATUS_BLOCK> IoStatusBlock, nt::ULONG CompletionFilter, nt::BOOLEAN WatchTree,
    UserPtr<void> Buffer, nt::ULONG BufferSize, nt::BOOLEAN Asynchronous);

// clang-format off
#define IR_REGISTRY_SERVICES(X) \
  X(NtCreateKey) \
  X(NtOpenKey) \
  X(NtOpenKeyEx) \
  X(NtDeleteKey) \
  X(NtRenameKey) \
  X(NtQueryKey) \
  X(NtEnumerateKey) \
  X(NtSetInformationKey) \
  X(NtQueryValueKey) \
  X(NtEnumerateValueKey) \
  X(NtSetValueKey) \
  X(NtDeleteValueKey) \
  X(NtFlushKey) \
  X(NtNotifyChangeKey) \
  X(NtNotifyChangeMultipleKeys)
// clang-format on

}  // namespace ireactor
