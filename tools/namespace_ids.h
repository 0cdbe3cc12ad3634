// The namespaces tracers name: ids as `ireactor ns` assigned them (state_dir/ns-ids), with their
// Windows builds; 0 is the default namespace.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ireactor/policy/host_paths.h"

namespace ireactor::cli {

struct NamespaceName {
  std::string name;
  std::string build;  // empty when the namespace's policy cannot be read
};

// Read without assigning any id.
std::map<uint32_t, NamespaceName> known_namespaces(const policy::HostPaths& paths);

// The name tracers print for namespace `id` ("#7" for an id no longer in ns-ids).
std::string namespace_label(const std::map<uint32_t, NamespaceName>& known, uint32_t id);

}  // namespace ireactor::cli
