// Where ireactor keeps things on the host. Each has a default for a system install and an
// environment override, so tests run against their own directories beside a live install.
#pragma once

#include <filesystem>
#include <string>

namespace ireactor::policy {

struct HostPaths {
  std::filesystem::path policy_dir;  // IREACTOR_POLICY_DIR  /etc/ireactor/policy.d: *.yaml
  std::filesystem::path state_dir;   // IREACTOR_STATE_DIR   /var/lib/ireactor (drives, ns ids)
  std::filesystem::path run_dir;     // IREACTOR_RUN_DIR     /run/ireactor (agent status.json)
  std::filesystem::path log_dir;     // IREACTOR_LOG_DIR     /var/log/ireactor (audit.jsonl)
  std::filesystem::path bpffs_dir;   // IREACTOR_BPFFS_DIR   /sys/fs/bpf/ireactor (pins)
  std::string cgroup_parent;         // IREACTOR_CGROUP      "ireactor": <cgroup2>/<parent>/<ns>

  static HostPaths from_environment();

  std::filesystem::path status_file() const { return run_dir / "status.json"; }
  std::filesystem::path audit_log() const { return log_dir / "audit.jsonl"; }
  std::filesystem::path policy_file(const std::string& ns) const {
    return policy_dir / (ns + ".yaml");
  }
  std::filesystem::path default_drive(const std::string& ns) const {
    return state_dir / "namespaces" / ns / "c";
  }
};

}  // namespace ireactor::policy
