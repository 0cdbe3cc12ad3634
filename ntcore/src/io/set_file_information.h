// The information classes NtSetInformationFile changes, one handler each. `info` holds the
// caller's buffer (already copied in, `length` bytes, at least the class's minimum size).
#pragma once

#include <cstdint>

#include "ireactor/io/file_object.h"
#include "ireactor/nt/status.h"

namespace ireactor::io {

nt::NTSTATUS set_basic_information(FileObject& f, const uint8_t* info, nt::ULONG length);
nt::NTSTATUS set_disposition(FileObject& f, bool ex, const uint8_t* info, nt::ULONG length);
nt::NTSTATUS set_rename(FileObject& f, bool ex, const uint8_t* info, nt::ULONG length);
nt::NTSTATUS set_end_of_file(FileObject& f, const uint8_t* info, nt::ULONG length);
nt::NTSTATUS set_allocation(FileObject& f, const uint8_t* info, nt::ULONG length);
nt::NTSTATUS set_position(FileObject& f, const uint8_t* info, nt::ULONG length);

// fchmod/futimens for fds that may be O_PATH (those refuse both): go through /proc/self/fd.
int change_mode(int fd, mode_t mode);
int change_times(int fd, const struct timespec times[2]);

}  // namespace ireactor::io
