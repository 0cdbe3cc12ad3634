// NtQueryInformationProcess classes, structures (x64 layouts, pinned) and process access rights.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor::nt {

// PROCESSINFOCLASS values ntcore answers.
inline constexpr ULONG ProcessBasicInformation = 0;
inline constexpr ULONG ProcessTimes = 4;
inline constexpr ULONG ProcessDebugPort = 7;
inline constexpr ULONG ProcessHandleCount = 20;
inline constexpr ULONG ProcessSessionInformation = 24;
inline constexpr ULONG ProcessWow64Information = 26;
inline constexpr ULONG ProcessImageFileName = 27;
inline constexpr ULONG ProcessDebugObjectHandle = 30;
inline constexpr ULONG ProcessDebugFlags = 31;
inline constexpr ULONG ProcessCookie = 36;
inline constexpr ULONG ProcessImageFileNameWin32 = 43;

// Process-specific access rights.
inline constexpr ACCESS_MASK PROCESS_TERMINATE = 0x0001;
inline constexpr ACCESS_MASK PROCESS_QUERY_INFORMATION = 0x0400;
inline constexpr ACCESS_MASK PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
inline constexpr ACCESS_MASK PROCESS_ALL_ACCESS = 0x001FFFFF;

struct PROCESS_BASIC_INFORMATION {
  NTSTATUS ExitStatus;
  uint32_t pad0_;
  PVOID PebBaseAddress;
  ULONG_PTR AffinityMask;
  KPRIORITY BasePriority;
  uint32_t pad1_;
  ULONG_PTR UniqueProcessId;
  ULONG_PTR InheritedFromUniqueProcessId;
};
static_assert(sizeof(PROCESS_BASIC_INFORMATION) == 48);
static_assert(offsetof(PROCESS_BASIC_INFORMATION, PebBaseAddress) == 8);
static_assert(offsetof(PROCESS_BASIC_INFORMATION, AffinityMask) == 16);
static_assert(offsetof(PROCESS_BASIC_INFORMATION, BasePriority) == 24);
static_assert(offsetof(PROCESS_BASIC_INFORMATION, UniqueProcessId) == 32);
static_assert(offsetof(PROCESS_BASIC_INFORMATION, InheritedFromUniqueProcessId) == 40);

struct KERNEL_USER_TIMES {
  LARGE_INTEGER CreateTime;  // FILETIME
  LARGE_INTEGER ExitTime;    // FILETIME, 0 while running
  LARGE_INTEGER KernelTime;  // 100 ns units
  LARGE_INTEGER UserTime;
};
static_assert(sizeof(KERNEL_USER_TIMES) == 32);

struct PROCESS_SESSION_INFORMATION {
  ULONG SessionId;
};
static_assert(sizeof(PROCESS_SESSION_INFORMATION) == 4);

// NORMAL_PRIORITY_CLASS's base priority.
inline constexpr KPRIORITY kNormalBasePriority = 8;
// The interactive session Windows programs normally run in (session 0 is for services).
inline constexpr ULONG kInteractiveSessionId = 1;

}  // namespace ireactor::nt
