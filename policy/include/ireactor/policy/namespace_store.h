// Namespaces are the policy files in the policy directory, one per namespace (NAME.yaml).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/parse.h"

namespace ireactor::policy {

struct StoredNamespace {
  std::filesystem::path file;
  ParseResult parsed;  // policy unset when the file has errors
};

// [a-z0-9][a-z0-9_-]{0,31}: a namespace name, also a file name and a cgroup name.
bool valid_namespace_name(const std::string& name);

// Every NAME.yaml in the policy directory (dot files and other names skipped), sorted by name.
// A file whose metadata.name is not NAME gets an error and no policy.
std::vector<StoredNamespace> list_namespaces(const HostPaths& paths);
// nullopt when there is no such file (or `name` is not a namespace name).
std::optional<StoredNamespace> find_namespace(const HostPaths& paths, const std::string& name);

// Stable small ids per namespace name, kept in state_dir/ns-ids (one "name id" per line);
// assigns the next free id to a new name. ids start at 1. A lock file (state_dir/ns-ids.lock)
// serialises processes assigning ids. Throws std::runtime_error / std::system_error.
uint32_t namespace_id(const HostPaths& paths, const std::string& name);

// Installs a checked file as NAME.yaml atomically (write aside, fsync, rename): a reader (the
// agent) sees the old file or the new one, never half of one. The temporary is a dot file not
// ending in .yaml, which list_namespaces (and the agent) skip. Creates the policy directory.
// Throws std::invalid_argument for a bad name, std::system_error when writing fails.
void install_policy_file(const HostPaths& paths, const std::string& name, const std::string& text);

}  // namespace ireactor::policy
