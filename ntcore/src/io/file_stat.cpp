#include "io/file_stat.h"

#include <fcntl.h>

#include <cerrno>

#include "ireactor/system/nt_time.h"

namespace ireactor::io {

namespace {

constexpr unsigned kStatxMask = STATX_BASIC_STATS | STATX_BTIME;

int64_t filetime(const struct statx_timestamp& t) {
  return filetime_from_unix(timespec{static_cast<time_t>(t.tv_sec), static_cast<long>(t.tv_nsec)});
}

}  // namespace

int stat_fd(int fd, struct statx& st) {
  return statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, kStatxMask, &st) == 0 ? 0 : errno;
}

int stat_at(int dir_fd, const char* name, struct statx& st) {
  return statx(dir_fd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT, kStatxMask, &st) == 0
             ? 0
             : errno;
}

bool is_directory(const struct statx& st) {
  return S_ISDIR(st.stx_mode);
}

nt::ULONG file_attributes(const struct statx& st) {
  if (is_directory(st)) return nt::FILE_ATTRIBUTE_DIRECTORY;
  nt::ULONG a = nt::FILE_ATTRIBUTE_ARCHIVE;
  if (!(st.stx_mode & S_IWUSR)) a |= nt::FILE_ATTRIBUTE_READONLY;
  return a;
}

FileTimes file_times(const struct statx& st) {
  FileTimes t;
  t.last_access = filetime(st.stx_atime);
  t.last_write = filetime(st.stx_mtime);
  t.change = filetime(st.stx_ctime);
  if (st.stx_mask & STATX_BTIME)
    t.creation = filetime(st.stx_btime);
  else
    t.creation = t.last_write < t.change ? t.last_write : t.change;
  return t;
}

int64_t allocation_size(const struct statx& st) {
  if (is_directory(st)) return 0;
  return static_cast<int64_t>(st.stx_blocks) * 512;
}

int64_t end_of_file(const struct statx& st) {
  if (is_directory(st) || !S_ISREG(st.stx_mode)) return 0;
  return static_cast<int64_t>(st.stx_size);
}

nt::FILE_BASIC_INFORMATION basic_information(const struct statx& st) {
  FileTimes t = file_times(st);
  nt::FILE_BASIC_INFORMATION b{};
  b.CreationTime = t.creation;
  b.LastAccessTime = t.last_access;
  b.LastWriteTime = t.last_write;
  b.ChangeTime = t.change;
  b.FileAttributes = file_attributes(st);
  return b;
}

nt::FILE_NETWORK_OPEN_INFORMATION network_open_information(const struct statx& st) {
  FileTimes t = file_times(st);
  nt::FILE_NETWORK_OPEN_INFORMATION n{};
  n.CreationTime = t.creation;
  n.LastAccessTime = t.last_access;
  n.LastWriteTime = t.last_write;
  n.ChangeTime = t.change;
  n.AllocationSize = allocation_size(st);
  n.EndOfFile = end_of_file(st);
  n.FileAttributes = file_attributes(st);
  return n;
}

}  // namespace ireactor::io
