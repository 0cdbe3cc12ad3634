// The guard's policy switch counter (`policy_epoch`, guard_abi.h), which keys cgroup/dev's cache
// of allowed device opens (guard_dev_cache.bpf.h): one more after every switch, so that no cache
// entry decided from an earlier set matches any more.
#pragma once

namespace ireactor::guard {

class PolicyEpoch {
 public:
  // bump_prog_fd: the loaded guard_epoch_bump program (owned by the caller), which adds one
  // atomically. Adds one at once, so that a kernel that will not run it fails here, when the
  // guard is opened, and not after a switch. Throws std::runtime_error.
  explicit PolicyEpoch(int bump_prog_fd);

  // Adds one. Call after each switch has flipped the slot in force, also after a failed one:
  // an increment too many only costs cache misses, one too few leaves stale entries.
  // 0 or -errno (running a loaded program that needs no input fails only on a broken kernel).
  int bump() noexcept;

 private:
  int prog_fd_;
};

}  // namespace ireactor::guard
