// Thread services' classes, structures (x64 layouts, pinned), flags and thread access rights.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor::nt {

// THREADINFOCLASS values ntcore answers or accepts.
inline constexpr ULONG ThreadBasicInformation = 0;
inline constexpr ULONG ThreadTimes = 1;
inline constexpr ULONG ThreadPriority = 2;
inline constexpr ULONG ThreadBasePriority = 3;
inline constexpr ULONG ThreadAffinityMask = 4;
inline constexpr ULONG ThreadQuerySetWin32StartAddress = 9;
inline constexpr ULONG ThreadZeroTlsCell = 10;
inline constexpr ULONG ThreadAmILastThread = 12;
inline constexpr ULONG ThreadHideFromDebugger = 17;
inline constexpr ULONG ThreadIsTerminated = 20;
inline constexpr ULONG ThreadSuspendCount = 35;
inline constexpr ULONG ThreadNameInformation = 38;

// Thread-specific access rights.
inline constexpr ACCESS_MASK THREAD_TERMINATE = 0x0001;
inline constexpr ACCESS_MASK THREAD_SUSPEND_RESUME = 0x0002;
inline constexpr ACCESS_MASK THREAD_GET_CONTEXT = 0x0008;
inline constexpr ACCESS_MASK THREAD_SET_CONTEXT = 0x0010;
inline constexpr ACCESS_MASK THREAD_SET_INFORMATION = 0x0020;
inline constexpr ACCESS_MASK THREAD_QUERY_INFORMATION = 0x0040;
inline constexpr ACCESS_MASK THREAD_SET_LIMITED_INFORMATION = 0x0400;
inline constexpr ACCESS_MASK THREAD_QUERY_LIMITED_INFORMATION = 0x0800;
inline constexpr ACCESS_MASK THREAD_ALL_ACCESS = 0x001FFFFF;
inline constexpr ACCESS_MASK PROCESS_CREATE_THREAD = 0x0002;

// NtCreateThreadEx CreateFlags.
inline constexpr ULONG THREAD_CREATE_FLAGS_CREATE_SUSPENDED = 0x01;
inline constexpr ULONG THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH = 0x02;
inline constexpr ULONG THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER = 0x04;
inline constexpr ULONG THREAD_CREATE_FLAGS_LOADER_WORKER = 0x10;
inline constexpr ULONG THREAD_CREATE_FLAGS_SKIP_LOADER_INIT = 0x20;
inline constexpr ULONG THREAD_CREATE_FLAGS_BYPASS_PROCESS_FREEZE = 0x40;
inline constexpr ULONG THREAD_CREATE_FLAGS_VALID = 0xFF;

// PS_ATTRIBUTE_LIST entries NtCreateThreadEx fills in.
struct PS_ATTRIBUTE {
  ULONG_PTR Attribute;
  SIZE_T Size;
  ULONG_PTR Value;  // or ValuePtr
  ULONG_PTR ReturnLength;
};
static_assert(sizeof(PS_ATTRIBUTE) == 32);
inline constexpr ULONG_PTR PS_ATTRIBUTE_CLIENT_ID = 0x10003;
inline constexpr ULONG_PTR PS_ATTRIBUTE_TEB_ADDRESS = 0x10004;

struct THREAD_BASIC_INFORMATION {
  NTSTATUS ExitStatus;
  uint32_t pad0_;
  PVOID TebBaseAddress;
  CLIENT_ID ClientId;
  ULONG_PTR AffinityMask;
  KPRIORITY Priority;
  LONG BasePriority;
};
static_assert(sizeof(THREAD_BASIC_INFORMATION) == 48);
static_assert(offsetof(THREAD_BASIC_INFORMATION, TebBaseAddress) == 8);
static_assert(offsetof(THREAD_BASIC_INFORMATION, ClientId) == 16);
static_assert(offsetof(THREAD_BASIC_INFORMATION, AffinityMask) == 32);
static_assert(offsetof(THREAD_BASIC_INFORMATION, Priority) == 40);
static_assert(offsetof(THREAD_BASIC_INFORMATION, BasePriority) == 44);

// Base priority increments (THREAD_PRIORITY_*): -2..2, and the saturated idle / time critical.
inline constexpr LONG kThreadPriorityIdle = -15;
inline constexpr LONG kThreadPriorityTimeCritical = 15;

}  // namespace ireactor::nt
