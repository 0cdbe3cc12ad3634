// The guard's userspace side: loads bpf/guard.bpf.c (skeleton guard.skel.h), pins it under a
// bpffs directory so enforcement outlives the agent, swaps policy sets, attaches the per-cgroup
// programs to namespace cgroups, and exposes the audit ring. Used by ireactord and by tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "guard_abi.h"

namespace ireactor::guard {

// What this kernel lets the guard do, found by trying (never assumed).
struct KernelLayers {
  bool lsm = false;            // BPF LSM programs load and attach
  std::string lsm_error;       // why not, e.g. "lsm/file_open: Operation not permitted"
  bool cgroup_dev = false;     // cgroup/dev
  bool sock_create = false;    // cgroup/sock_create
  bool sysctl = false;         // cgroup/sysctl
  bool seccomp_audit = false;  // raw_tp/sys_exit (audit of seccomp refusals)
  int landlock_abi = 0;        // 0: unavailable
  bool seccomp = false;
  // One line per layer found unavailable, with the kernel's reason, e.g.
  // "raw_tp/sys_exit: Operation not permitted" (lsm's is also in lsm_error).
  std::vector<std::string> problems;
};

KernelLayers probe_kernel_layers();

struct PolicyEntry {
  ir_rule_key key;
  ir_rule_value value;
};

class Guard {
 public:
  // Picks up the pinned guard under `bpffs_dir` (maps reused, pinned links updated to the
  // freshly loaded programs with no detach) or loads and pins a new one. Attaches only the
  // layers `layers` says work. Throws std::runtime_error with the libbpf reason.
  static std::unique_ptr<Guard> open(const std::filesystem::path& bpffs_dir,
                                     const KernelLayers& layers);
  ~Guard();

  // Puts a policy set holding exactly `entries` in force (policy_slots.h): hooks see the old
  // set or the new one, never a gap.
  void swap_policy(const std::vector<PolicyEntry>& entries);

  // Attaches cgroup/dev, cgroup/sock_create and cgroup/sysctl (those available) to the
  // namespace's cgroup, pinned as cg_<program>@<ns>. Idempotent.
  void attach_namespace(const std::string& ns, const std::filesystem::path& cgroup_dir);
  void detach_namespace(const std::string& ns);

  int audit_ring_fd() const;
  uint64_t counter(ir_counter which) const;  // summed over CPUs

  // Unpins and detaches everything (uninstall); the guard object is unusable afterwards.
  void remove();

  struct Impl;

 private:
  explicit Guard(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ireactor::guard
