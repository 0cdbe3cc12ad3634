// RTL_USER_PROCESS_PARAMETERS (x64), reached through PEB.ProcessParameters: the image path,
// command line, current directory, environment and standard handles of the process. Layout of
// Windows 10 22H2 (sizeof 0x440).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor::win {

struct CURDIR {
  nt::UNICODE_STRING DosPath;  // "C:\dir\" with a trailing backslash
  nt::HANDLE Handle;
};
static_assert(sizeof(CURDIR) == 0x18);
static_assert(offsetof(CURDIR, Handle) == 0x10);

struct STRING64 {  // ANSI counted string
  uint16_t Length;
  uint16_t MaximumLength;
  uint32_t pad_;
  uint64_t Buffer;
};
static_assert(sizeof(STRING64) == 0x10);

struct RTL_DRIVE_LETTER_CURDIR {
  uint16_t Flags;
  uint16_t Length;
  uint32_t TimeStamp;
  STRING64 DosPath;
};
static_assert(sizeof(RTL_DRIVE_LETTER_CURDIR) == 0x18);

inline constexpr uint32_t RTL_MAX_DRIVE_LETTERS = 32;

struct RTL_USER_PROCESS_PARAMETERS {
  uint32_t MaximumLength;
  uint32_t Length;
  uint32_t Flags;  // RTL_USER_PROC_PARAMS_NORMALIZED: the string Buffers are absolute addresses
  uint32_t DebugFlags;
  nt::HANDLE ConsoleHandle;
  uint32_t ConsoleFlags;
  uint32_t pad0_;
  nt::HANDLE StandardInput;
  nt::HANDLE StandardOutput;
  nt::HANDLE StandardError;
  CURDIR CurrentDirectory;
  nt::UNICODE_STRING DllPath;
  nt::UNICODE_STRING ImagePathName;
  nt::UNICODE_STRING CommandLine;
  uint64_t Environment;  // UTF-16 "NAME=VALUE\0...\0\0"
  uint32_t StartingX;
  uint32_t StartingY;
  uint32_t CountX;
  uint32_t CountY;
  uint32_t CountCharsX;
  uint32_t CountCharsY;
  uint32_t FillAttribute;
  uint32_t WindowFlags;
  uint32_t ShowWindowFlags;
  uint32_t pad1_;
  nt::UNICODE_STRING WindowTitle;
  nt::UNICODE_STRING DesktopInfo;
  nt::UNICODE_STRING ShellInfo;
  nt::UNICODE_STRING RuntimeData;
  RTL_DRIVE_LETTER_CURDIR CurrentDirectories[RTL_MAX_DRIVE_LETTERS];
  uint64_t EnvironmentSize;  // bytes, including the final double NUL
  uint64_t EnvironmentVersion;
  uint64_t PackageDependencyData;
  uint32_t ProcessGroupId;
  uint32_t LoaderThreads;
  nt::UNICODE_STRING RedirectionDllName;
  nt::UNICODE_STRING HeapPartitionName;
  uint64_t DefaultThreadpoolCpuSetMasks;
  uint32_t DefaultThreadpoolCpuSetMaskCount;
  uint32_t DefaultThreadpoolThreadMaximum;
};
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, MaximumLength) == 0x0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, Length) == 0x4);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, Flags) == 0x8);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, DebugFlags) == 0xC);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ConsoleHandle) == 0x10);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ConsoleFlags) == 0x18);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardInput) == 0x20);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardOutput) == 0x28);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardError) == 0x30);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory) == 0x38);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, DllPath) == 0x50);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ImagePathName) == 0x60);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CommandLine) == 0x70);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, Environment) == 0x80);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StartingX) == 0x88);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CountCharsY) == 0x9C);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, FillAttribute) == 0xA0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, WindowFlags) == 0xA4);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ShowWindowFlags) == 0xA8);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, WindowTitle) == 0xB0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, DesktopInfo) == 0xC0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ShellInfo) == 0xD0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, RuntimeData) == 0xE0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectories) == 0xF0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize) == 0x3F0);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, EnvironmentVersion) == 0x3F8);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, PackageDependencyData) == 0x400);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ProcessGroupId) == 0x408);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, LoaderThreads) == 0x40C);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, RedirectionDllName) == 0x410);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, HeapPartitionName) == 0x420);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, DefaultThreadpoolCpuSetMasks) == 0x430);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, DefaultThreadpoolCpuSetMaskCount) == 0x438);
static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, DefaultThreadpoolThreadMaximum) == 0x43C);
static_assert(sizeof(RTL_USER_PROCESS_PARAMETERS) == 0x440);

inline constexpr uint32_t RTL_USER_PROC_PARAMS_NORMALIZED = 0x00000001;

}  // namespace ireactor::win
