// status.json: what ireactord has in force, written atomically (aside, fsync, rename) on start,
// after each apply and when the audit-lost count moves, so `ireactor status` and
// `ireactor policy apply` read a whole file or the previous one. Format: docs/agent.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace ireactor::agent {

void write_status_file(const std::filesystem::path& file, const nlohmann::json& status);

// What a previous agent left in status.json that its successor continues from: the generation
// numbering, the audit-lost count already reported, and the cgroup ids its links were made for.
struct PreviousStatus {
  uint32_t generation = 0;
  uint64_t audit_lost = 0;
  std::map<std::string, uint64_t> cgroup_ids;  // namespace -> cgroup id
};

// Missing or unreadable file: all zero.
PreviousStatus read_previous_status(const std::filesystem::path& file);

}  // namespace ireactor::agent
