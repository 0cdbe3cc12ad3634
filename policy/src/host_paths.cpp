#include "ireactor/policy/host_paths.h"

#include <cstdlib>

namespace ireactor::policy {

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

}  // namespace

HostPaths HostPaths::from_environment() {
  HostPaths p;
  p.policy_dir = env_or("IREACTOR_POLICY_DIR", "/etc/ireactor/policy.d");
  p.state_dir = env_or("IREACTOR_STATE_DIR", "/var/lib/ireactor");
  p.run_dir = env_or("IREACTOR_RUN_DIR", "/run/ireactor");
  p.log_dir = env_or("IREACTOR_LOG_DIR", "/var/log/ireactor");
  p.bpffs_dir = env_or("IREACTOR_BPFFS_DIR", "/sys/fs/bpf/ireactor");
  p.cgroup_parent = env_or("IREACTOR_CGROUP", "ireactor");
  return p;
}

}  // namespace ireactor::policy
