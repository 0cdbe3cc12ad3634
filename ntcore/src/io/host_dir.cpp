#include "io/host_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ireactor::io {

namespace {

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

}  // namespace

int for_each_entry(int dir_fd, const std::function<bool(std::string_view)>& visit) {
  // "." of an fd of the directory itself: no path walk, so nothing to confine.
  int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  alignas(8) char buf[16384];
  int err = 0;
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) {
      err = errno;
      break;
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<linux_dirent64*>(buf + off);
      off += d->d_reclen;
      if (!visit(std::string_view(d->d_name, strlen(d->d_name)))) {
        close(fd);
        return 0;
      }
    }
  }
  close(fd);
  return err;
}

}  // namespace ireactor::io
