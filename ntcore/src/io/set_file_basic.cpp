// FileBasicInformation: last-access/last-write times and the read-only attribute. Creation and
// change times cannot be set on Linux; the other attributes have no host counterpart.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "io/file_stat.h"
#include "io/set_file_information.h"
#include "ireactor/system/nt_time.h"

namespace ireactor::io {

using namespace nt;

namespace {

void proc_path(int fd, char (&buf)[32]) {
  std::snprintf(buf, sizeof buf, "/proc/self/fd/%d", fd);
}

// A time field: 0 leaves the time alone; -1 and -2 (stop / resume automatic updates for this
// handle) change nothing we keep; other negative values are invalid.
NTSTATUS time_field(int64_t v, timespec& out) {
  if (v == 0 || v == -1 || v == -2) {
    out = {0, UTIME_OMIT};
    return STATUS_SUCCESS;
  }
  if (v < 0) return STATUS_INVALID_PARAMETER;
  out = unix_from_filetime(v);
  return STATUS_SUCCESS;
}

}  // namespace

int change_mode(int fd, mode_t mode) {
  if (fchmod(fd, mode) == 0) return 0;
  if (errno != EBADF) return errno;
  char path[32];
  proc_path(fd, path);
  return fchmodat(AT_FDCWD, path, mode, 0) == 0 ? 0 : errno;
}

int change_times(int fd, const timespec times[2]) {
  if (futimens(fd, times) == 0) return 0;
  if (errno != EBADF) return errno;
  char path[32];
  proc_path(fd, path);
  return utimensat(AT_FDCWD, path, times, 0) == 0 ? 0 : errno;
}

NTSTATUS set_basic_information(FileObject& f, const uint8_t* info, ULONG length) {
  FILE_BASIC_INFORMATION b;
  std::memcpy(&b, info, sizeof b);
  if (b.CreationTime < -2 || b.ChangeTime < -2) return STATUS_INVALID_PARAMETER;
  // A file cannot be made a directory by attribute.
  if (!f.directory && (b.FileAttributes & FILE_ATTRIBUTE_DIRECTORY))
    return STATUS_INVALID_PARAMETER;
  timespec times[2];
  if (NTSTATUS s = time_field(b.LastAccessTime, times[0]); !nt_success(s)) return s;
  if (NTSTATUS s = time_field(b.LastWriteTime, times[1]); !nt_success(s)) return s;
  if (times[0].tv_nsec != UTIME_OMIT || times[1].tv_nsec != UTIME_OMIT) {
    if (int e = change_times(f.fd, times)) return status_from_errno(e);
  }
  // 0 keeps the attributes; anything else replaces them, and only READONLY maps to the host
  // (the owner's write permission) for files.
  if (b.FileAttributes != 0 && !f.directory) {
    struct statx st;
    if (int e = stat_fd(f.fd, st)) return status_from_errno(e);
    mode_t mode = st.stx_mode & 07777;
    mode_t want = (b.FileAttributes & FILE_ATTRIBUTE_READONLY) ? (mode & ~0222) : (mode | S_IWUSR);
    if (want != mode) {
      if (int e = change_mode(f.fd, want)) return status_from_errno(e);
    }
  }
  return STATUS_SUCCESS;
}

}  // namespace ireactor::io
