// Compiling namespace policies into the guard's map entries (bpf/guard_abi.h) and into the
// process-start layers (seccomp, Landlock) that `ireactor run` installs.
#pragma once

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "guard_abi.h"  // bpf/, on the include path of ireactor_policy
#include "ireactor/policy/model.h"

namespace ireactor::policy {

// What an audit record names for a rule_id.
struct RuleOrigin {
  std::string ns;
  SourceLocation where;
  std::string text;  // the rule as a short string, e.g. "allow char 226:* rw audit"
};

struct MapEntry {
  ir_rule_key key{};
  ir_rule_value value{};
};

// One namespace's share of a policy set.
struct NamespaceInput {
  const NamespacePolicy* policy = nullptr;
  uint32_t ns_id = 0;      // stable per namespace name (the agent assigns it)
  uint64_t cgroup_id = 0;  // 0: no cgroup yet (no IR_RULE_CGROUP entry)
};

// A whole policy set: the content of one inner map, built aside and swapped in.
struct CompiledSet {
  uint32_t generation = 0;
  std::vector<MapEntry> entries;
  std::vector<RuleOrigin> rules;        // indexed by rule_id
  std::vector<Diagnostic> diagnostics;  // warnings (e.g. a device path that does not exist)
  // ...and errors (error == true) for what could not be compiled as written: more ioctl ranges
  // on one device than the guard holds (that device then gets deny-all: fail closed), or two
  // namespaces given one ns_id or cgroup id. Validation refuses such files first; an error here
  // means the host changed between validation and compilation (a path now names another node).
};

// Device paths are resolved with stat() on this host. Throws nothing; problems are warnings
// (an absent device node cannot be opened, so its rule has nothing to decide yet).
CompiledSet compile_policy_set(const std::vector<NamespaceInput>& namespaces, uint32_t generation);

// Landlock and seccomp are fixed at process start: what `ireactor run` installs for a namespace.
struct StartLayers {
  // Syscalls refused by a seccomp filter (x86-64 numbers), with the feature each serves, for
  // features the policy denies that cgroup programs cannot see.
  struct Syscall {
    int nr;
    int feature;
    // Only when the first argument equals arg0 (e.g. socket(AF_PACKET)); -1: any.
    int64_t arg0 = -1;
    // The errno it fails with: EPERM, or ENOSYS where callers fall back to an older system call
    // (clone3: glibc then uses clone, which cannot pick a cgroup).
    int error = EPERM;
  };
  std::vector<Syscall> seccomp_deny;
  // cgroupWrite is denied: no write beneath a cgroup mount (Landlock at process start, where
  // the guard's LSM layer does not decide it), so the process stays in its namespace's cgroup.
  bool fence_cgroups = false;
  // Device nodes (host paths) on which ioctls are allowed at all; every other device file
  // opened after start gets no ioctl (Landlock ABI 5+ LANDLOCK_ACCESS_FS_IOCTL_DEV).
  std::vector<std::string> ioctl_devices;
  bool restrict_device_ioctls = false;
};

StartLayers start_layers(const NamespacePolicy& policy);

}  // namespace ireactor::policy
