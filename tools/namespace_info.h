// What `ireactor ns list` and `ns show` report about a stored namespace: its file, whether the
// file is valid, its build and drives, its cgroup, and whether the guard enforces it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/namespace_store.h"

namespace ireactor::cli {

struct CgroupState {
  std::filesystem::path dir;  // empty when cgroup2 could not be found
  bool exists = false;
  uint64_t id = 0;
  int procs = 0;  // processes in it
};

struct NamespaceInfo {
  std::string name;
  policy::StoredNamespace stored;
  CgroupState cgroup;
  bool enforced = false;  // the agent's status lists it with this cgroup id
};

NamespaceInfo namespace_info(const policy::HostPaths& paths, policy::StoredNamespace stored);

// Processes in a cgroup (lines of cgroup.procs); 0 when it does not exist.
int cgroup_process_count(const std::filesystem::path& dir);

// Short forms: "C:=/srv/c D:=/mnt/x:ro", "char 136:*", "rw".
std::string drives_text(const policy::NamespacePolicy& p);
std::string device_match_text(const policy::DeviceMatch& m);
std::string access_text(uint32_t access);

// `ns list --json` entries; `detailed` adds the rules (`ns show --json`).
nlohmann::json namespace_json(const NamespaceInfo& info, bool detailed);

}  // namespace ireactor::cli
