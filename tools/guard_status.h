// What ireactord says is in force, read from its status file (HostPaths::status_file(), written
// atomically by the agent on start and after every policy apply; see docs/agent.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace ireactor::cli {

struct GuardNamespace {
  uint64_t cgroup_id = 0;
  std::string sha256;  // of the policy file the agent applied
  uint64_t generation = 0;
};

struct GuardStatus {
  bool present = false;  // the file exists and parses
  std::string problem;   // why not, when !present
  long agent_pid = 0;
  bool agent_running = false;  // agent_pid names a live process
  bool lsm = false;            // layers.lsm: the guard's BPF LSM programs are attached
  std::map<std::string, GuardNamespace> namespaces;
};

GuardStatus read_guard_status(const std::filesystem::path& status_file);

}  // namespace ireactor::cli
