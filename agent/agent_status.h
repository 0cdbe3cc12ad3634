// The content of status.json (docs/agent.md "status.json"): who the agent is, what the kernel
// lets the guard enforce, and what is in force.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "guard.h"
#include "policy_applier.h"

namespace ireactor::agent {

struct AgentIdentity {
  int pid = 0;
  std::string started;   // RFC 3339
  bool resumed = false;  // picked up a pinned guard
};

nlohmann::json layers_json(const guard::KernelLayers& layers);

nlohmann::json status_json(const AgentIdentity& agent, const guard::KernelLayers& layers,
                           const PolicyApplier& applier, uint64_t audit_lost,
                           const std::string& apply_error);

}  // namespace ireactor::agent
