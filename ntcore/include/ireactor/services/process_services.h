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
nt::NTSTATUS NtCreateUserProcess(UserPtr<nt::HANDLE> ProcessHandle, UserPtr<nt::HANDLE> ThreadHandle,
                                 nt::ACCESS_MASK ProcessDesiredAccess,
                                 nt::ACCESS_MASK ThreadDesiredAccess,
                                 UserPtr<nt::OBJECT_ATTRIBUTES> ProcessObjectAttributes,
                                 UserPtr<nt::OBJECT_ATTRIBUTES> ThreadObjectAttributes,
                                 nt::ULONG ProcessFlags, nt::ULONG ThreadFlags,
                                 UserPtr<void> ProcessParameters, UserPtr<void> CreateInfo,
                                 UserPtr<void> AttributeList);

// Threads (nt_create_thread_ex.cpp, nt_terminate_thread.cpp, nt_query_information_thread.cpp,
// nt_set_information_thread.cpp, nt_suspend_resume_thread.cpp,
// nt_get_current_processor_number.cpp).
nt::NTSTATUS NtCreateThreadEx(UserPtr<nt::HANDLE> ThreadHandle, nt::ACCESS_MASK DesiredAccess,
                              UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes,
                              nt::HANDLE ProcessHandle, uint64_t StartRoutine, uint64_t Argument,
                              nt::ULONG CreateFlags, nt::SIZE_T ZeroBits, nt::SIZE_T StackSize,
                              nt::SIZE_T MaximumStackSize, UserPtr<void> AttributeList);
nt::NTSTATUS NtTerminateThread(nt::HANDLE ThreadHandle, nt::NTSTATUS ExitStatus);
nt::NTSTATUS NtQueryInformationThread(nt::HANDLE ThreadHandle, nt::ULONG ThreadInformationClass,
                                      UserPtr<void> ThreadInformation,
                                      nt::ULONG ThreadInformationLength,
                                      UserPtr<nt::ULONG> ReturnLength);
nt::NTSTATUS NtSetInformationThread(nt::HANDLE ThreadHandle, nt::ULONG ThreadInformationClass,
                                    UserPtr<void> ThreadInformation,
                                    nt::ULONG ThreadInformationLength);
nt::NTSTATUS NtSuspendThread(nt::HANDLE ThreadHandle, UserPtr<nt::ULONG> PreviousSuspendCount);
nt::NTSTATUS NtResumeThread(nt::HANDLE ThreadHandle, UserPtr<nt::ULONG> PreviousSuspendCount);
nt::NTSTATUS NtGetCurrentProcessorNumber();
nt::NTSTATUS NtGetCurrentProcessorNumberEx(UserPtr<uint32_t> ProcessorNumber);

// clang-format off
#define IR_PROCESS_SERVICES(X) \
  X(NtQueryInformationProcess) \
  X(NtTerminateProcess) \
  X(NtCreateUserProcess) \
  X(NtCreateThreadEx) \
  X(NtTerminateThread) \
  X(NtQueryInformationThread) \
  X(NtSetInformationThread) \
  X(NtSuspendThread) \
  X(NtResumeThread) \
  X(NtGetCurrentProcessorNumber) \
  X(NtGetCurrentProcessorNumberEx)
// clang-format on

}  // namespace ireactor
