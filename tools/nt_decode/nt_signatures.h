// How the NT call tracer reads and prints each service's arguments: names as Windows declares
// them, what the BPF side captures behind each pointer (trace_events_abi.h), and how the text
// line shows it. One table entry per service ntcore implements; other services print their
// four register arguments in hex.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "trace_events_abi.h"

namespace ireactor::ntdecode {

// How a value is shown (nt_symbols.h names the flag and enum sets).
enum class Fmt : uint8_t {
  Hex,
  Dec,      // a ULONG (the low 32 bits of the register, as Windows reads it)
  DecSize,  // a SIZE_T
  Bool,
  Handle,
  Ptr,               // a pointer shown as an address
  OutHandle,         // HANDLE* written by the call
  OutU64,            // LARGE_INTEGER* / SIZE_T* written by the call
  OutU32,            // ULONG* written by the call
  InOutAddress,      // PVOID* read and written (BaseAddress)
  InOutSize,         // SIZE_T* read and written (RegionSize)
  InInterval,        // LARGE_INTEGER* timeout / interval, read
  InByteOffset,      // LARGE_INTEGER* ByteOffset, read
  InU64,             // LARGE_INTEGER* read (AllocationSize)
  ObjectAttributes,  // the ObjectName path (+ RootDirectory)
  UnicodeString,     // UNICODE_STRING*
  FileInfoName,      // NtSetInformationFile's buffer: the new name of a rename or link
  IoStatus,          // IO_STATUS_BLOCK* written by the call
  Handles,           // HANDLE* array, its count in another argument
  Status,            // an NTSTATUS passed in
  AccessFile,
  AccessEvent,
  AccessGeneric,
  FileAttributes,
  ShareAccess,
  CreateDisposition,
  CreateOptions,
  FileInfoClass,
  FsInfoClass,
  AllocationType,
  FreeType,
  Protection,
  MemoryInfoClass,
  EventType,
  WaitType,
  SystemInfoClass,
  ProcessInfoClass,
};

// Where the text line shows an argument.
enum class Show : uint8_t {
  Inline,  // between the parentheses
  Result,  // after the status, as label=value (out values; in/out values show both)
  Hidden,  // only in JSON
};

struct ArgSpec {
  std::string_view name;  // as Windows declares it ("FileHandle")
  Fmt fmt;
  Show show = Show::Inline;
  std::string_view label = {};  // for Show::Result ("h")
};

struct Signature {
  std::string_view service;  // "NtCreateFile"
  std::vector<ArgSpec> args;
  bool may_not_return = false;  // also reported on entry (NtTerminateProcess)
  uint8_t list_count_arg = 0;   // for Fmt::Handles: the argument holding the count
  uint8_t class_arg = 0;        // for Fmt::FileInfoName: the argument holding the class
};

// Every signature, sorted by service name.
std::span<const Signature> signatures();
// The signature of `service`; nullptr when there is none (print raw registers).
const Signature* find_signature(std::string_view service);

// What the BPF side captures behind an argument of this format.
ir_trace_capture capture_of(Fmt fmt);
// The BPF capture spec of a signature.
ir_trace_spec capture_spec(const Signature& sig);

}  // namespace ireactor::ntdecode
