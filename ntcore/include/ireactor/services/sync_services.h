// Synchronisation services: events and waits (sync/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

nt::NTSTATUS NtCreateEvent(UserPtr<nt::HANDLE> EventHandle, nt::ACCESS_MASK DesiredAccess,
                           UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes, nt::ULONG EventType,
                           nt::BOOLEAN InitialState);
nt::NTSTATUS NtSetEvent(nt::HANDLE EventHandle, UserPtr<nt::LONG> PreviousState);
nt::NTSTATUS NtResetEvent(nt::HANDLE EventHandle, UserPtr<nt::LONG> PreviousState);
nt::NTSTATUS NtWaitForSingleObject(nt::HANDLE Handle, nt::BOOLEAN Alertable,
                                   UserPtr<int64_t> Timeout);
nt::NTSTATUS NtWaitForMultipleObjects(nt::ULONG Count, UserPtr<nt::HANDLE> Handles,
                                      nt::ULONG WaitType, nt::BOOLEAN Alertable,
                                      UserPtr<int64_t> Timeout);
nt::NTSTATUS NtDelayExecution(nt::BOOLEAN Alertable, UserPtr<int64_t> DelayInterval);
nt::NTSTATUS NtYieldExecution();

// clang-format off
#define IR_SYNC_SERVICES(X) \
  X(NtCreateEvent) \
  X(NtSetEvent) \
  X(NtResetEvent) \
  X(NtWaitForSingleObject) \
  X(NtWaitForMultipleObjects) \
  X(NtDelayExecution) \
  X(NtYieldExecution)
// clang-format on

}  // namespace ireactor
