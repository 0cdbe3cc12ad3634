// The process-start layers of `ireactor run --ns`: what only seccomp and Landlock can enforce on
// this kernel, installed once before the first Windows instruction and fixed for the life of the
// process (a policy reload does not change them; the guard's cgroup and LSM programs do follow
// reloads).
#pragma once

#include "ireactor/policy/model.h"
#include "ireactor/windows_namespace.h"

namespace ireactor::cli {

// Installs what start_layers(policy) asks for: the seccomp filter refusing the denied system
// calls with EPERM, and one Landlock ruleset restricting device ioctls to the allowed devices
// and keeping the read-only drives of `ns` read-only. Call it while the process has one thread
// (threads created later inherit both; seccomp would also sync existing ones, Landlock would
// not). What the kernel lacks is logged as a warning; a failure throws CliError.
//
// With `guard_lsm` (the guard's BPF LSM layer enforces the namespace) the features and ioctls
// are the LSM programs' to decide, per command, with hot reload and audit: only the system calls
// no LSM hook sees stay in the seccomp filter, and Landlock keeps only the read-only drives.
//
// Any Landlock domain also forbids mounting and tracing processes outside it. A policy that
// allows mount or ptrace therefore gets no Landlock layer (a warning says what that leaves to
// ntcore and the guard).
void install_start_layers(const policy::NamespacePolicy& policy, const WindowsNamespace& ns,
                          bool guard_lsm);

}  // namespace ireactor::cli
