// The seccomp part of a namespace's process-start layers: the system calls its policy denies
// (for features no cgroup program sees) fail, with EPERM (clone3 with ENOSYS).
#pragma once

#include <cerrno>
#include <cstdint>
#include <vector>

namespace ireactor::cli {

struct DeniedSyscall {
  int nr;             // x86-64 number
  int64_t arg0 = -1;  // only when the first argument (as a 32-bit int) equals this; -1: any
  int error = EPERM;  // what the call fails with
};

// Loads a filter (libseccomp) that fails `denied` with their errno, and with EPERM every system
// call of a foreign ABI (i386 `int 0x80`, x32), which would otherwise get around the x86-64
// numbers; sets no_new_privs, and synchronises the filter to every thread of the process (TSYNC)
// when there are several. Fixed for the life of the process. Throws std::runtime_error with the
// reason.
void install_seccomp_deny_filter(const std::vector<DeniedSyscall>& denied);

}  // namespace ireactor::cli
