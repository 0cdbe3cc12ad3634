// FileEndOfFileInformation, FileAllocationInformation and FilePositionInformation.
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "io/file_stat.h"
#include "io/set_file_information.h"

namespace ireactor::io {

using namespace nt;

namespace {

int64_t read_i64(const uint8_t* info) {
  int64_t v;
  std::memcpy(&v, info, sizeof v);
  return v;
}

}  // namespace

NTSTATUS set_end_of_file(FileObject& f, const uint8_t* info, ULONG length) {
  int64_t eof = read_i64(info);
  if (eof < 0 || f.directory) return STATUS_INVALID_PARAMETER;
  if (ftruncate(f.fd, eof) != 0)
    return errno == EFBIG ? STATUS_DISK_FULL : status_from_errno(errno);
  return STATUS_SUCCESS;
}

NTSTATUS set_allocation(FileObject& f, const uint8_t* info, ULONG length) {
  int64_t size = read_i64(info);
  if (size < 0 || f.directory) return STATUS_INVALID_PARAMETER;
  // Allocation below the end of file cuts the file there; above it reserves space (kept size).
  struct statx st;
  if (int e = stat_fd(f.fd, st)) return status_from_errno(e);
  if (size < static_cast<int64_t>(st.stx_size)) {
    if (ftruncate(f.fd, size) != 0) return status_from_errno(errno);
  } else if (size > 0 && fallocate(f.fd, FALLOC_FL_KEEP_SIZE, 0, size) != 0 &&
             errno != EOPNOTSUPP) {
    return status_from_errno(errno);
  }
  return STATUS_SUCCESS;
}

NTSTATUS set_position(FileObject& f, const uint8_t* info, ULONG length) {
  int64_t pos = read_i64(info);
  if (pos < 0) return STATUS_INVALID_PARAMETER;
  if (!f.is_disk()) {
    lseek(f.fd, pos, SEEK_SET);  // pipes and ttys cannot seek; Windows ignores it there too
    return STATUS_SUCCESS;
  }
  std::lock_guard lock(f.position_mutex);
  f.set_position(pos);
  return STATUS_SUCCESS;
}

}  // namespace ireactor::io
