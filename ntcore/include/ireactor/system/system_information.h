// NtQuerySystemInformation classes and structures (x64 layouts, pinned), and the host facts they
// are filled from (also what KUSER_SHARED_DATA needs: processor count, physical pages...).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor {

namespace nt {

// SYSTEM_INFORMATION_CLASS values ntcore answers.
inline constexpr ULONG SystemBasicInformation = 0;
inline constexpr ULONG SystemProcessorInformation = 1;  // also known as SystemCpuInformation
inline constexpr ULONG SystemPerformanceInformation = 2;
inline constexpr ULONG SystemTimeOfDayInformation = 3;
inline constexpr ULONG SystemKernelDebuggerInformation = 35;
inline constexpr ULONG SystemEmulationBasicInformation = 62;      // same as basic on x64
inline constexpr ULONG SystemEmulationProcessorInformation = 63;  // same as processor on x64

struct SYSTEM_BASIC_INFORMATION {
  ULONG Reserved;
  ULONG TimerResolution;  // 100 ns units
  ULONG PageSize;
  ULONG NumberOfPhysicalPages;
  ULONG LowestPhysicalPageNumber;
  ULONG HighestPhysicalPageNumber;
  ULONG AllocationGranularity;
  uint32_t pad0_;
  ULONG_PTR MinimumUserModeAddress;
  ULONG_PTR MaximumUserModeAddress;
  ULONG_PTR ActiveProcessorsAffinityMask;
  int8_t NumberOfProcessors;  // CCHAR
  uint8_t pad1_[7];
};
static_assert(sizeof(SYSTEM_BASIC_INFORMATION) == 64);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, TimerResolution) == 4);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, PageSize) == 8);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, NumberOfPhysicalPages) == 12);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, AllocationGranularity) == 24);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, MinimumUserModeAddress) == 32);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, MaximumUserModeAddress) == 40);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, ActiveProcessorsAffinityMask) == 48);
static_assert(offsetof(SYSTEM_BASIC_INFORMATION, NumberOfProcessors) == 56);

inline constexpr USHORT PROCESSOR_ARCHITECTURE_AMD64 = 9;

struct SYSTEM_PROCESSOR_INFORMATION {
  USHORT ProcessorArchitecture;
  USHORT ProcessorLevel;     // CPU family
  USHORT ProcessorRevision;  // model << 8 | stepping
  USHORT MaximumProcessors;
  ULONG ProcessorFeatureBits;  // KF_*
};
static_assert(sizeof(SYSTEM_PROCESSOR_INFORMATION) == 12);
static_assert(offsetof(SYSTEM_PROCESSOR_INFORMATION, ProcessorRevision) == 4);
static_assert(offsetof(SYSTEM_PROCESSOR_INFORMATION, ProcessorFeatureBits) == 8);

// Kernel feature bits (KeFeatureBits) reported in ProcessorFeatureBits.
inline constexpr ULONG KF_RDTSC = 0x00000002;
inline constexpr ULONG KF_CR4 = 0x00000004;
inline constexpr ULONG KF_CMOV = 0x00000008;
inline constexpr ULONG KF_GLOBAL_PAGE = 0x00000010;
inline constexpr ULONG KF_LARGE_PAGE = 0x00000020;
inline constexpr ULONG KF_MTRR = 0x00000040;
inline constexpr ULONG KF_CMPXCHG8B = 0x00000080;
inline constexpr ULONG KF_MMX = 0x00000100;
inline constexpr ULONG KF_PAT = 0x00000400;
inline constexpr ULONG KF_FXSR = 0x00000800;
inline constexpr ULONG KF_FAST_SYSCALL = 0x00001000;
inline constexpr ULONG KF_XMMI = 0x00002000;    // SSE
inline constexpr ULONG KF_XMMI64 = 0x00010000;  // SSE2
inline constexpr ULONG KF_SSE3 = 0x00080000;
inline constexpr ULONG KF_CMPXCHG16B = 0x00100000;
inline constexpr ULONG KF_AUTHENTICAMD = 0x00200000;
inline constexpr ULONG KF_XSTATE = 0x00800000;
inline constexpr ULONG KF_GENUINE_INTEL = 0x01000000;
inline constexpr ULONG KF_RDWRFSGSBASE = 0x10000000;
inline constexpr ULONG KF_NX_BIT = 0x20000000;
inline constexpr ULONG KF_NX_ENABLED = 0x80000000;

struct SYSTEM_TIMEOFDAY_INFORMATION {
  LARGE_INTEGER BootTime;      // FILETIME
  LARGE_INTEGER CurrentTime;   // FILETIME
  LARGE_INTEGER TimeZoneBias;  // UTC - local time, 100 ns units
  ULONG TimeZoneId;            // TIME_ZONE_ID_*
  ULONG Reserved;
  uint64_t BootTimeBias;
  uint64_t SleepTimeBias;
};
static_assert(sizeof(SYSTEM_TIMEOFDAY_INFORMATION) == 48);
static_assert(offsetof(SYSTEM_TIMEOFDAY_INFORMATION, CurrentTime) == 8);
static_assert(offsetof(SYSTEM_TIMEOFDAY_INFORMATION, TimeZoneBias) == 16);
static_assert(offsetof(SYSTEM_TIMEOFDAY_INFORMATION, TimeZoneId) == 24);
static_assert(offsetof(SYSTEM_TIMEOFDAY_INFORMATION, BootTimeBias) == 32);
static_assert(offsetof(SYSTEM_TIMEOFDAY_INFORMATION, SleepTimeBias) == 40);

inline constexpr ULONG TIME_ZONE_ID_UNKNOWN = 0;
inline constexpr ULONG TIME_ZONE_ID_STANDARD = 1;
inline constexpr ULONG TIME_ZONE_ID_DAYLIGHT = 2;

struct SYSTEM_KERNEL_DEBUGGER_INFORMATION {
  BOOLEAN KernelDebuggerEnabled;
  BOOLEAN KernelDebuggerNotPresent;
};
static_assert(sizeof(SYSTEM_KERNEL_DEBUGGER_INFORMATION) == 2);

}  // namespace nt

// What the host machine is, as Windows would describe it. Computed once, then constant.
struct HostSystemInfo {
  uint32_t active_processors = 1;      // online CPUs, at most 64 (one processor group)
  uint64_t active_processor_mask = 1;  // one bit per active processor, from bit 0
  uint32_t maximum_processors = 1;     // configured CPUs, at most 64
  uint64_t physical_pages = 0;         // of 4 KiB
  uint16_t processor_level = 0;        // CPU family (display family, cpuid leaf 1)
  uint16_t processor_revision = 0;     // display model << 8 | stepping
  uint32_t kernel_feature_bits = 0;    // KF_*
  uint32_t cpu_signature = 0;          // cpuid(1).eax
  char vendor[13] = {};                // "GenuineIntel", "AuthenticAMD"...
};
const HostSystemInfo& host_system_info();

// The boot time of the host as a FILETIME (now minus CLOCK_BOOTTIME).
int64_t host_boot_time();

}  // namespace ireactor
