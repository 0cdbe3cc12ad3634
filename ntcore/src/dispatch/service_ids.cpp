// Build-independent service ids (nt_trace.h): the sorted union of the names of every supported
// build's numbering, computed once.
#include <algorithm>
#include <string_view>
#include <vector>

#include "dispatch/syscall_table.h"
#include "ireactor/nt_trace.h"

namespace ireactor {
namespace {

const std::vector<std::string_view>& all_service_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const SyscallBuild& b : syscall_builds())
      for (const SyscallName& s : b.by_name) v.push_back(s.name);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }();
  return names;
}

}  // namespace

uint16_t service_id_count() {
  return static_cast<uint16_t>(all_service_names().size());
}

std::optional<uint16_t> service_id(std::string_view name) {
  const auto& names = all_service_names();
  auto it = std::lower_bound(names.begin(), names.end(), name);
  if (it == names.end() || *it != name) return std::nullopt;
  return static_cast<uint16_t>(it - names.begin());
}

std::string_view service_id_name(uint16_t id) {
  const auto& names = all_service_names();
  return id < names.size() ? names[id] : std::string_view{};
}

}  // namespace ireactor
