#include "namespace_ids.h"

#include <fstream>

#include "ireactor/nt_trace.h"
#include "ireactor/policy/namespace_store.h"

namespace ireactor::cli {

std::map<uint32_t, NamespaceName> known_namespaces(const policy::HostPaths& paths) {
  std::map<uint32_t, NamespaceName> ids;
  ids[0] = {"default", std::string(selected_windows_build())};
  std::ifstream in(paths.state_dir / "ns-ids");
  std::string name;
  uint32_t id;
  while (in >> name >> id) ids[id] = {name, ""};
  for (auto& [id, ns] : ids) {
    if (id == 0) continue;
    if (auto stored = policy::find_namespace(paths, ns.name); stored && stored->parsed.policy)
      ns.build = stored->parsed.policy->windows_build;
  }
  return ids;
}

std::string namespace_label(const std::map<uint32_t, NamespaceName>& known, uint32_t id) {
  auto it = known.find(id);
  return it != known.end() ? it->second.name : "#" + std::to_string(id);
}

}  // namespace ireactor::cli
