// Symbolic names for raw NT system call arguments, as Windows' headers (winnt.h, wdm.h/ntifs.h,
// winternl.h) spell them, for the NT call tracer ("ireactor trace").
//
// Conventions shared by every function:
//  - flag sets print as NAME|NAME in ascending bit order; bits without a name follow as one hex
//    number ("0x..."); a value of 0 prints as "0" unless Windows names the value 0.
//  - enumerations print the name, or the plain decimal number when the value has no known name.
#pragma once

#include <cstdint>
#include <string>

namespace ireactor::ntdecode {

// Which object type an ACCESS_MASK is for: the low 16 (specific) bits mean different things per
// type. Generic prints the specific bits as hex.
enum class AccessKind { File, Directory, Event, Process, Thread, Generic };

// ACCESS_MASK: generic, standard and the kind's specific rights, or an *_ALL_ACCESS composite.
std::string access_mask(uint32_t mask, AccessKind kind);

// FILE_ATTRIBUTE_* flags.
std::string file_attributes(uint32_t attributes);

// FILE_SHARE_* flags.
std::string share_access(uint32_t share);

// NtCreateFile CreateDisposition: FILE_SUPERSEDE .. FILE_OVERWRITE_IF.
std::string create_disposition(uint32_t disposition);

// NtCreateFile/NtOpenFile CreateOptions/OpenOptions (FILE_DIRECTORY_FILE, ...).
std::string create_options(uint32_t options);

// FILE_INFORMATION_CLASS (NtQueryInformationFile, NtSetInformationFile, NtQueryDirectoryFile).
std::string file_information_class(uint32_t cls);

// FS_INFORMATION_CLASS (NtQueryVolumeInformationFile, NtSetVolumeInformationFile).
std::string fs_information_class(uint32_t cls);

// NtAllocateVirtualMemory AllocationType (MEM_COMMIT, MEM_RESERVE, ...).
std::string allocation_type(uint32_t type);

// NtFreeVirtualMemory FreeType (MEM_DECOMMIT, MEM_RELEASE, placeholder flags).
std::string free_type(uint32_t type);

// PAGE_* protection: one base protection by value plus PAGE_GUARD/NOCACHE/... modifiers.
std::string page_protection(uint32_t protection);

// MEMORY_INFORMATION_CLASS (NtQueryVirtualMemory).
std::string memory_information_class(uint32_t cls);

// EVENT_TYPE (NtCreateEvent).
std::string event_type(uint32_t type);

// WAIT_TYPE (NtWaitForMultipleObjects).
std::string wait_type(uint32_t type);

// SYSTEM_INFORMATION_CLASS (NtQuerySystemInformation, NtSetSystemInformation).
std::string system_information_class(uint32_t cls);

// PROCESSINFOCLASS (NtQueryInformationProcess, NtSetInformationProcess).
std::string process_information_class(uint32_t cls);

// THREADINFOCLASS (NtQueryInformationThread, NtSetInformationThread).
std::string thread_information_class(uint32_t cls);

// OBJECT_ATTRIBUTES.Attributes (OBJ_INHERIT, OBJ_CASE_INSENSITIVE, ...).
std::string object_attributes_flags(uint32_t attributes);

// A HANDLE: "NULL", the NtCurrentProcess()/NtCurrentThread() pseudo-handles, else "0x..." hex.
std::string handle(uint64_t h);

// NtReadFile/NtWriteFile ByteOffset: the two special positions by name, else decimal.
std::string byte_offset(int64_t offset);

// An NT timeout/interval in 100 ns units: negative = relative, shown with its duration
// ("-15000000 (1.5s)"); positive = absolute system time ("... (absolute)"); 0 -> "0".
std::string interval(int64_t ticks);

// An NTSTATUS: its name from nt/status.h, else "0x%08X".
std::string ntstatus(uint32_t status);

}  // namespace ireactor::ntdecode
