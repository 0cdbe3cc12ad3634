// A file descriptor of a BPF object (map, program, link, pin) that closes when its scope ends,
// for the loaders' short-lived handles on pinned and looked-up objects.
#pragma once

#include <unistd.h>

namespace ireactor::guard {

struct ScopedFd {
  int fd = -1;  // negative: nothing (a failed bpf_obj_get... leaves its -errno/-1 here)

  explicit ScopedFd(int f = -1) : fd(f) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd >= 0) close(fd);
  }
  // Hands the descriptor over: it is no longer closed here.
  int release() {
    const int f = fd;
    fd = -1;
    return f;
  }
};

}  // namespace ireactor::guard
