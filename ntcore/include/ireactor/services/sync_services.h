// Synchronisation services: events, mutants, semaphores and waits (sync/).
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
nt::NTSTATUS NtWaitForAlertByThreadId(uint64_t Address, UserPtr<int64_t> Timeout);
nt::NTSTATUS NtAlertThreadByThreadId(nt::HANDLE ThreadId);
nt::NTSTATUS NtCreateMutant(UserPtr<nt::HANDLE> MutantHandle, nt::ACCESS_MASK DesiredAccess,
                            UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes,
                            nt::BOOLEAN InitialOwner);
nt::NTSTATUS NtOpenMutant(UserPtr<nt::HANDLE> MutantHandle, nt::ACCESS_MASK DesiredAccess,
                          UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes);
nt::NTSTATUS NtReleaseMutant(nt::HANDLE MutantHandle, UserPtr<nt::LONG> PreviousCount);
nt::NTSTATUS NtQueryMutant(nt::HANDLE MutantHandle, nt::ULONG MutantInformationClass,
                           UserPtr<void> MutantInformation, nt::ULONG MutantInformationLength,
                           UserPtr<nt::ULONG> ReturnLength);
nt::NTSTATUS NtCreateSemaphore(UserPtr<nt::HANDLE> SemaphoreHandle, nt::ACCESS_MASK DesiredAccess,
                               UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes,
                               nt::LONG InitialCount, nt::LONG MaximumCount);
nt::NTSTATUS NtOpenSemaphore(UserPtr<nt::HANDLE> SemaphoreHandle, nt::ACCESS_MASK DesiredAccess,
                             UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes);
nt::NTSTATUS NtReleaseSemaphore(nt::HANDLE SemaphoreHandle, nt::LONG ReleaseCount,
                                UserPtr<nt::LONG> PreviousCount);
nt::NTSTATUS NtQuerySemaphore(nt::HANDLE SemaphoreHandle, nt::ULONG SemaphoreInformationClass,
                              UserPtr<void> SemaphoreInformation,
                              nt::ULONG SemaphoreInformationLength,
                              UserPtr<nt::ULONG> ReturnLength);

// clang-format off
#define IR_SYNC_SERVICES(X) \
  X(NtCreateEvent) \
  X(NtSetEvent) \
  X(NtResetEvent) \
  X(NtWaitForSingleObject) \
  X(NtWaitForMultipleObjects) \
  X(NtDelayExecution) \
  X(NtYieldExecution) \
  X(NtWaitForAlertByThreadId) \
  X(NtAlertThreadByThreadId) \
  X(NtCreateMutant) \
  X(NtOpenMutant) \
  X(NtReleaseMutant) \
  X(NtQueryMutant) \
  X(NtCreateSemaphore) \
  X(NtOpenSemaphore) \
  X(NtReleaseSemaphore) \
  X(NtQuerySemaphore)
// clang-format on

}  // namespace ireactor
