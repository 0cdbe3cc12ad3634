#include "start_layers.h"

#include <spdlog/spdlog.h>
#include <sys/syscall.h>

#include <cerrno>
#include <exception>
#include <string>
#include <vector>

#include "cli_error.h"
#include "guard_abi.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/parse.h"
#include "landlock_layer.h"
#include "process_threads.h"
#include "seccomp_deny_filter.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

namespace {

std::string syscall_list(const policy::StartLayers& layers) {
  std::string out;
  for (const auto& s : layers.seccomp_deny) {
    const char* feature = policy::feature_name(s.feature);
    out += (out.empty() ? "" : ", ") + std::to_string(s.nr);
    if (s.arg0 >= 0) out += "(" + std::to_string(s.arg0) + ")";
    out += std::string("/") + (feature ? feature : "?");
    if (s.error != EPERM) out += " (errno " + std::to_string(s.error) + ")";
  }
  return out;
}

LandlockRequest landlock_request(const policy::StartLayers& layers, const WindowsNamespace& ns) {
  LandlockRequest r;
  r.restrict_device_ioctls = layers.restrict_device_ioctls;
  for (const std::string& dev : layers.ioctl_devices) r.ioctl_devices.emplace_back(dev);
  for (const Drive& d : ns.drives) {
    if (d.root_fd < 0) continue;
    (d.read_only ? r.read_only_dirs : r.writable_dirs).emplace_back(d.host_path);
  }
  if (layers.fence_cgroups) r.fenced_dirs = policy::cgroup_mounts();
  return r;
}

// System calls of denied features that no hook of the guard's LSM layer sees (bpf/guard.bpf.c,
// its coverage table): seccomp keeps refusing these even where the LSM layer works.
bool no_lsm_hook(int nr) {
  return nr == SYS_mount_setattr || nr == SYS_clone3;
}

policy::StartLayers beside_lsm(policy::StartLayers layers) {
  std::erase_if(layers.seccomp_deny, [](const auto& s) { return !no_lsm_hook(s.nr); });
  layers.restrict_device_ioctls = false;
  layers.ioctl_devices.clear();
  layers.fence_cgroups = false;  // lsm.s/file_open, inode_mkdir and inode_rmdir decide
  return layers;
}

bool allowed(const policy::NamespacePolicy& p, int feature) {
  auto it = p.kernel.find(feature);
  return it != p.kernel.end() && it->second.effect == policy::Effect::Allow;
}

}  // namespace

void install_start_layers(const policy::NamespacePolicy& policy, const WindowsNamespace& ns,
                          bool guard_lsm) {
  const policy::StartLayers all_layers = policy::start_layers(policy);
  const policy::StartLayers layers = guard_lsm ? beside_lsm(all_layers) : all_layers;
  if (guard_lsm)
    spdlog::info(
        "the guard's LSM layer decides features and ioctls; seccomp keeps {} system "
        "call(s) no LSM hook sees",
        layers.seccomp_deny.size());
  if (const int threads = thread_count(); threads != 1)
    fail("the process-start layers must be installed while the process has one thread (it has " +
         std::to_string(threads) + ")");
  LandlockRequest request = landlock_request(layers, ns);
  if (allowed(policy, IR_FEAT_MOUNT) || allowed(policy, IR_FEAT_PTRACE)) {
    if (request.restrict_device_ioctls || !request.read_only_dirs.empty() ||
        !request.fenced_dirs.empty())
      spdlog::warn(
          "Landlock: not installed, as the policy allows mount or ptrace, which a Landlock "
          "domain forbids; read-only drives are kept by ntcore only{}{}",
          request.restrict_device_ioctls ? ", device ioctls are not restricted at start" : "",
          request.fenced_dirs.empty() ? "" : ", the cgroup mounts are not fenced");
    request = LandlockRequest{};
  }
  try {
    const LandlockOutcome ll = install_landlock(request);
    for (const std::string& note : ll.notes) spdlog::warn("Landlock: {}", note);
    if (ll.ioctls_restricted)
      spdlog::info("Landlock ABI {}: device ioctls only on {} allowed device(s)", ll.abi,
                   layers.ioctl_devices.size());
    for (const fs::path& dir : ll.read_only_enforced)
      spdlog::info("Landlock ABI {}: {} is read-only", ll.abi, dir.string());
    if (!ll.fenced.empty())
      spdlog::info("Landlock ABI {}: no writes beneath the {} cgroup mount(s) ({}...)", ll.abi,
                   ll.fenced.size(), ll.fenced.front().string());

    if (!layers.seccomp_deny.empty()) {
      std::vector<DeniedSyscall> denied;
      for (const auto& s : layers.seccomp_deny) denied.push_back({s.nr, s.arg0, s.error});
      install_seccomp_deny_filter(denied);
      spdlog::info("seccomp: refused {}", syscall_list(layers));
    }
  } catch (const CliError&) {
    throw;
  } catch (const std::exception& e) {
    fail(std::string("cannot install the process-start layers: ") + e.what());
  }
}

}  // namespace ireactor::cli
