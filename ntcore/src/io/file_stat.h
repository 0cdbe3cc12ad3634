// Host file metadata (statx) as Windows reports it: FILETIMEs, attributes, sizes.
#pragma once

#include <sys/stat.h>

#include "ireactor/io/file_information.h"

namespace ireactor::io {

// statx of an open fd (O_PATH fds included). Returns 0 or an errno.
int stat_fd(int fd, struct statx& st);
// statx of `name` in directory dir_fd without following a final symlink. Returns 0 or an errno.
int stat_at(int dir_fd, const char* name, struct statx& st);

bool is_directory(const struct statx& st);
// FILE_ATTRIBUTE_DIRECTORY for directories; files are ARCHIVE (as NTFS reports a fresh file),
// plus READONLY when the owner cannot write the host file.
nt::ULONG file_attributes(const struct statx& st);
// Creation (birth time when the host records one, else the older of mtime and ctime), last
// access, last write and change times as FILETIMEs.
struct FileTimes {
  int64_t creation, last_access, last_write, change;
};
FileTimes file_times(const struct statx& st);
int64_t allocation_size(const struct statx& st);
int64_t end_of_file(const struct statx& st);

nt::FILE_BASIC_INFORMATION basic_information(const struct statx& st);
nt::FILE_NETWORK_OPEN_INFORMATION network_open_information(const struct statx& st);

}  // namespace ireactor::io
