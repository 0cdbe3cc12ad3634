// Handles for inherited Linux descriptors: process start wraps stdin/stdout/stderr (a tty, a
// pipe, a file, /dev/null...) in file objects so Windows code reads and writes them with
// NtReadFile/NtWriteFile (read(2)/write(2), no seeking) and can query them
// (FileStandardInformation, FileFsDeviceInformation for GetFileType).
#pragma once

#include "ireactor/nt/status.h"

namespace ireactor {

// Duplicates `fd` (the original stays open and untouched), wraps the duplicate in a synchronous
// file object granted `access` (generic rights are mapped) and inserts it into the current
// process's handle table. STATUS_INVALID_HANDLE when fd is not open.
nt::NTSTATUS create_handle_for_host_fd(int fd, nt::ACCESS_MASK access, nt::HANDLE& out);

}  // namespace ireactor
