#include "agent_status.h"

namespace ireactor::agent {

nlohmann::json layers_json(const guard::KernelLayers& l) {
  return {{"lsm", l.lsm},
          {"lsm_error", l.lsm_error},
          {"cgroup_dev", l.cgroup_dev},
          {"sock_create", l.sock_create},
          {"sysctl", l.sysctl},
          {"seccomp_audit", l.seccomp_audit},
          {"landlock_abi", l.landlock_abi},
          {"seccomp", l.seccomp}};
}

nlohmann::json status_json(const AgentIdentity& agent, const guard::KernelLayers& layers,
                           const PolicyApplier& applier, uint64_t audit_lost,
                           const std::string& apply_error) {
  nlohmann::json namespaces = nlohmann::json::object();
  for (const auto& [name, e] : applier.namespaces())
    namespaces[name] = {{"ns_id", e.ns_id},
                        {"file", e.file.string()},
                        {"sha256", e.policy.source_sha256},
                        {"generation", e.generation},
                        {"cgroup", e.cgroup_dir.string()},
                        {"cgroup_id", e.cgroup_id},
                        {"rules", e.policy.devices.size() + e.policy.ioctls.size()}};
  nlohmann::json rejected = nlohmann::json::object();
  for (const auto& [file, diags] : applier.rejected()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : diags) list.push_back(d.str());
    rejected[file] = std::move(list);
  }
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& d : applier.warnings()) warnings.push_back(d.str());
  return {
      {"pid", agent.pid},
      {"started", agent.started},
      {"resumed", agent.resumed},
      {"layers", layers_json(layers)},
      {"generation", applier.generation()},
      {"namespaces", std::move(namespaces)},
      {"rejected", std::move(rejected)},
      {"warnings", std::move(warnings)},
      {"apply_error", apply_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(apply_error)},
      {"audit_lost", audit_lost}};
}

}  // namespace ireactor::agent
