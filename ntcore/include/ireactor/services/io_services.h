// I/O manager services: files and directories under the namespace's drives (io/).
#pragma once

#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor {

using nt::ACCESS_MASK;
using nt::BOOLEAN;
using nt::HANDLE;
using nt::IO_STATUS_BLOCK;
using nt::NTSTATUS;
using nt::OBJECT_ATTRIBUTES;
using nt::ULONG;
using nt::UNICODE_STRING;

NTSTATUS NtCreateFile(UserPtr<HANDLE> FileHandle, ACCESS_MASK DesiredAccess,
                      UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                      UserPtr<IO_STATUS_BLOCK> IoStatusBlock, UserPtr<int64_t> AllocationSize,
                      ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition,
                      ULONG CreateOptions, UserPtr<void> EaBuffer, ULONG EaLength);
NTSTATUS NtOpenFile(UserPtr<HANDLE> FileHandle, ACCESS_MASK DesiredAccess,
                    UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                    UserPtr<IO_STATUS_BLOCK> IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions);
NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                    UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                    UserPtr<void> Buffer, ULONG Length, UserPtr<int64_t> ByteOffset,
                    UserPtr<ULONG> Key);
NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                     UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                     UserPtr<void> Buffer, ULONG Length, UserPtr<int64_t> ByteOffset,
                     UserPtr<ULONG> Key);
NTSTATUS NtQueryInformationFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                                UserPtr<void> FileInformation, ULONG Length,
                                ULONG FileInformationClass);
NTSTATUS NtSetInformationFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                              UserPtr<void> FileInformation, ULONG Length,
                              ULONG FileInformationClass);
NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                              UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                              UserPtr<void> FileInformation, ULONG Length,
                              ULONG FileInformationClass, BOOLEAN ReturnSingleEntry,
                              UserPtr<UNICODE_STRING> FileName, BOOLEAN RestartScan);
NTSTATUS NtQueryAttributesFile(UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                               UserPtr<void> FileInformation);  // FILE_BASIC_INFORMATION
NTSTATUS NtQueryFullAttributesFile(UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                                   UserPtr<void> FileInformation);  // FILE_NETWORK_OPEN_...
NTSTATUS NtDeleteFile(UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes);
NTSTATUS NtFlushBuffersFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock);
NTSTATUS NtQueryVolumeInformationFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                                      UserPtr<void> FsInformation, ULONG Length,
                                      ULONG FsInformationClass);
NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                               UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                               ULONG IoControlCode, UserPtr<void> InputBuffer,
                               ULONG InputBufferLength, UserPtr<void> OutputBuffer,
                               ULONG OutputBufferLength);

// clang-format off
#define IR_IO_SERVICES(X) \
  X(NtCreateFile) \
  X(NtOpenFile) \
  X(NtReadFile) \
  X(NtWriteFile) \
  X(NtQueryInformationFile) \
  X(NtSetInformationFile) \
  X(NtQueryDirectoryFile) \
  X(NtQueryAttributesFile) \
  X(NtQueryFullAttributesFile) \
  X(NtDeleteFile) \
  X(NtFlushBuffersFile) \
  X(NtQueryVolumeInformationFile) \
  X(NtDeviceIoControlFile)
// clang-format on

}  // namespace ireactor
