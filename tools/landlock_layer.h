// The Landlock part of a namespace's process-start layers: ioctls only on the devices the policy
// names, and no writes beneath read-only drives, enforced by the kernel for everything the
// process does from then on (ntcore and raw system calls of Windows code alike).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ireactor::cli {

struct LandlockRequest {
  // Restrict ioctls on device files opened from now on to those beneath ioctl_devices
  // (LANDLOCK_ACCESS_FS_IOCTL_DEV, ABI 5).
  bool restrict_device_ioctls = false;
  std::vector<std::filesystem::path> ioctl_devices;
  // Host directories of read-only drives: no file in them may be written, created, removed,
  // renamed or truncated. Writable drives are named so a read-only drive inside one (which the
  // writable drive exposes anyway) is left alone rather than cutting writes in the writable one.
  std::vector<std::filesystem::path> read_only_dirs;
  std::vector<std::filesystem::path> writable_dirs;
  // Kept read-only the same way, whatever the drives: the cgroup mounts, so the process can
  // neither leave its namespace's cgroup nor change the tree (policy feature cgroupWrite).
  std::vector<std::filesystem::path> fenced_dirs;
};

struct LandlockOutcome {
  int abi = 0;  // 0: Landlock unavailable
  bool ioctls_restricted = false;
  std::vector<std::filesystem::path> read_only_enforced;
  std::vector<std::filesystem::path> fenced;
  std::vector<std::string> notes;  // what could not be done and why, for the log
};

// Installs one ruleset for the calling thread (and the threads it creates later: call it while
// the process has one thread). What the kernel cannot do is reported in notes, not thrown;
// a failing Landlock system call throws std::runtime_error.
LandlockOutcome install_landlock(const LandlockRequest& request);

}  // namespace ireactor::cli
