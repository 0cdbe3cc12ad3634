// Windows x64 ABI types as the NT system services see them. Layouts are pinned with
// static_assert because Windows code hands us these structures by pointer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ireactor::nt {

using NTSTATUS = int32_t;
using ULONG = uint32_t;
using LONG = int32_t;
using USHORT = uint16_t;
using UCHAR = uint8_t;
using BOOLEAN = uint8_t;
using ULONG_PTR = uint64_t;
using SIZE_T = uint64_t;
using ACCESS_MASK = uint32_t;
using WCHAR = char16_t;
using HANDLE = uint64_t;  // an opaque value to us; never dereferenced
using PVOID = uint64_t;   // a user-mode address (Windows side); access only through user_memory.h
using KPRIORITY = LONG;
using LARGE_INTEGER = int64_t;

inline constexpr HANDLE kCurrentProcess = ~0ull;     // NtCurrentProcess()
inline constexpr HANDLE kCurrentThread = ~0ull - 1;  // NtCurrentThread()

struct UNICODE_STRING {
  USHORT Length;         // bytes, not counting a terminator
  USHORT MaximumLength;  // bytes
  uint32_t pad_;
  uint64_t Buffer;  // user pointer to WCHARs
};
static_assert(sizeof(UNICODE_STRING) == 16);
static_assert(offsetof(UNICODE_STRING, Buffer) == 8);

struct OBJECT_ATTRIBUTES {
  ULONG Length;
  uint32_t pad0_;
  HANDLE RootDirectory;
  uint64_t ObjectName;  // user pointer to UNICODE_STRING
  ULONG Attributes;
  uint32_t pad1_;
  uint64_t SecurityDescriptor;
  uint64_t SecurityQualityOfService;
};
static_assert(sizeof(OBJECT_ATTRIBUTES) == 48);
static_assert(offsetof(OBJECT_ATTRIBUTES, RootDirectory) == 8);
static_assert(offsetof(OBJECT_ATTRIBUTES, ObjectName) == 16);
static_assert(offsetof(OBJECT_ATTRIBUTES, Attributes) == 24);
static_assert(offsetof(OBJECT_ATTRIBUTES, SecurityDescriptor) == 32);

// OBJECT_ATTRIBUTES.Attributes
inline constexpr ULONG OBJ_INHERIT = 0x02;
inline constexpr ULONG OBJ_PERMANENT = 0x10;
inline constexpr ULONG OBJ_EXCLUSIVE = 0x20;
inline constexpr ULONG OBJ_CASE_INSENSITIVE = 0x40;
inline constexpr ULONG OBJ_OPENIF = 0x80;
inline constexpr ULONG OBJ_OPENLINK = 0x100;
inline constexpr ULONG OBJ_KERNEL_HANDLE = 0x200;
inline constexpr ULONG OBJ_VALID_ATTRIBUTES = 0x3f2;

struct IO_STATUS_BLOCK {
  NTSTATUS Status;  // union with Pointer: the whole first 8 bytes
  uint32_t pad_;
  ULONG_PTR Information;
};
static_assert(sizeof(IO_STATUS_BLOCK) == 16);
static_assert(offsetof(IO_STATUS_BLOCK, Information) == 8);

struct CLIENT_ID {
  HANDLE UniqueProcess;
  HANDLE UniqueThread;
};
static_assert(sizeof(CLIENT_ID) == 16);

// Generic and standard access rights.
inline constexpr ACCESS_MASK DELETE = 0x00010000;
inline constexpr ACCESS_MASK READ_CONTROL = 0x00020000;
inline constexpr ACCESS_MASK WRITE_DAC = 0x00040000;
inline constexpr ACCESS_MASK WRITE_OWNER = 0x00080000;
inline constexpr ACCESS_MASK SYNCHRONIZE = 0x00100000;
inline constexpr ACCESS_MASK STANDARD_RIGHTS_REQUIRED = 0x000F0000;
inline constexpr ACCESS_MASK MAXIMUM_ALLOWED = 0x02000000;
inline constexpr ACCESS_MASK GENERIC_READ = 0x80000000;
inline constexpr ACCESS_MASK GENERIC_WRITE = 0x40000000;
inline constexpr ACCESS_MASK GENERIC_EXECUTE = 0x20000000;
inline constexpr ACCESS_MASK GENERIC_ALL = 0x10000000;

}  // namespace ireactor::nt
