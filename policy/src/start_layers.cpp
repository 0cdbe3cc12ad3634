// What `ireactor run` installs before any PE code runs, for the parts of a policy that cgroup
// programs cannot see on kernels without BPF LSM: a seccomp deny list, Landlock's restriction of
// ioctls on device files and its fence around the cgroup mounts.
#include <errno.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <algorithm>
#include <initializer_list>

#include "ireactor/policy/compile.h"
#include "policy_keys.h"

#if !defined(__x86_64__)
#error "the seccomp deny list holds x86-64 system call numbers"
#endif

namespace ireactor::policy {

namespace {

// The system calls that make up a feature. rawSockets is not here: cgroup/sock_create sees the
// socket type. sysctlWrite neither: cgroup/sysctl covers it.
std::vector<StartLayers::Syscall> feature_syscalls(int feature) {
  auto list = [feature](std::initializer_list<long> nrs) {
    std::vector<StartLayers::Syscall> out;
    for (long nr : nrs) out.push_back({static_cast<int>(nr), feature, -1});
    return out;
  };
  switch (feature) {
    case IR_FEAT_PTRACE:
      return list({SYS_ptrace});
    case IR_FEAT_BPF:
      return list({SYS_bpf});
    case IR_FEAT_MOUNT:
      return list({SYS_mount, SYS_umount2, SYS_pivot_root, SYS_open_tree, SYS_move_mount,
                   SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_mount_setattr});
    case IR_FEAT_MODULE_LOAD:
      return list({SYS_init_module, SYS_finit_module, SYS_delete_module});
    case IR_FEAT_PACKET_SOCKETS:
      return {{SYS_socket, feature, AF_PACKET}};
    case IR_FEAT_PERF_EVENTS:
      return list({SYS_perf_event_open});
    case IR_FEAT_KEXEC_REBOOT:
      return list({SYS_kexec_load, SYS_kexec_file_load, SYS_reboot});
    case IR_FEAT_SET_TIME:
      return list({SYS_settimeofday, SYS_clock_settime, SYS_adjtimex, SYS_clock_adjtime});
    case IR_FEAT_CGROUP_WRITE:
      // CLONE_INTO_CGROUP starts a child in any cgroup the caller may write: clone3 as a whole
      // (its flags lie in memory seccomp cannot read), with ENOSYS so libc falls back to clone.
      return {{SYS_clone3, feature, -1, ENOSYS}};
    default:
      return {};
  }
}

bool denied(const NamespacePolicy& p, int feature) {
  auto it = p.kernel.find(feature);
  return it == p.kernel.end() || it->second.effect == Effect::Deny;
}

// Device nodes on which some ioctl is allowed: Landlock grants ioctls per file, not per
// command, so a file with any allowed command must keep them all (the guard's LSM layer, where
// present, still decides per command).
std::vector<std::string> ioctl_devices(const NamespacePolicy& p) {
  const KeyedPolicy keyed = key_policy(p);
  std::vector<DevKey> allowed;
  for (const auto& [key, rules] : keyed.ioctls) {
    const auto segments = ioctl_segments(p, rules);
    if (std::any_of(segments.begin(), segments.end(), [](auto& s) { return s.allow; }))
      allowed.push_back(key);
  }
  std::vector<std::string> paths;
  // Rules written with a path keep that path even outside /dev.
  for (const IoctlRule& r : p.ioctls) {
    if (r.effect != Effect::Allow || !r.device || !r.device->path) continue;
    const ResolvedPath resolved = resolve_device_path(*r.device->path);
    if (resolved.key && std::find(allowed.begin(), allowed.end(), *resolved.key) != allowed.end())
      paths.push_back(*r.device->path);
  }
  if (!allowed.empty())
    for (const DeviceNode& node : device_nodes("/dev"))
      for (const DevKey& key : allowed)
        if (key_matches(key, node.key)) {
          paths.push_back(node.path);
          break;
        }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace

StartLayers start_layers(const NamespacePolicy& policy) {
  StartLayers layers;
  for (int f = 0; f < IR_FEAT_COUNT; ++f)
    if (denied(policy, f))
      for (const StartLayers::Syscall& s : feature_syscalls(f)) layers.seccomp_deny.push_back(s);
  layers.fence_cgroups = denied(policy, IR_FEAT_CGROUP_WRITE);
  // With ioctls allowed by default, Landlock (all or nothing per file) has nothing to add.
  if (policy.ioctl_default == Effect::Deny) {
    layers.restrict_device_ioctls = true;
    layers.ioctl_devices = ioctl_devices(policy);
  }
  return layers;
}

}  // namespace ireactor::policy
