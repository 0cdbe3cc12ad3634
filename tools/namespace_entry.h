// Entering a namespace of the store for `ireactor run --ns NAME`: its policy, its cgroup, the
// check that the guard enforces it, the process name audit records show.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/model.h"

namespace ireactor::cli {

// The namespace's policy file, parsed. No file: failure naming it; a file with errors: the
// diagnostics (file:line:column) and a failure, so nothing runs under a policy nobody checked.
policy::NamespacePolicy load_namespace_policy(const policy::HostPaths& paths,
                                              const std::string& name);

// Creates the namespace's cgroup when missing; returns its directory. Failure when impossible.
std::filesystem::path namespace_cgroup(const policy::HostPaths& paths, const std::string& name);

// Moves the process into the cgroup. It must still have a single thread, so that no thread of
// the process (the runtime's included) ever runs outside the namespace's cgroup.
void join_namespace_cgroup(const std::filesystem::path& cgroup_dir);

struct GuardEnforcement {
  bool enforced = false;  // the guard's rules for the namespace are in force on its cgroup
  bool lsm = false;       // ... and its BPF LSM layer is attached
};

// The agent's status file must list the namespace with this cgroup id: the guard's programs are
// attached to the cgroup and its rules in force. Otherwise a failure saying what is missing,
// unless `unenforced`, which only warns (loudly).
GuardEnforcement check_guard_enforces(const policy::HostPaths& paths, const std::string& name,
                                      uint64_t cgroup_id, const std::string& policy_sha256,
                                      bool unenforced);

// The kernel's name of the process (comm, 15 bytes), which ps and audit records show.
void set_process_name(const std::string& name);

}  // namespace ireactor::cli
