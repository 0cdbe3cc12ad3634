#include "status_file.h"

#include <fstream>

#include "atomic_file.h"

namespace ireactor::agent {

void write_status_file(const std::filesystem::path& file, const nlohmann::json& status) {
  std::filesystem::create_directories(file.parent_path());
  write_file_atomically(file, status.dump(2) + "\n");
}

PreviousStatus read_previous_status(const std::filesystem::path& file) {
  PreviousStatus prev;
  std::ifstream in(file);
  if (!in) return prev;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return prev;
  try {
    prev.generation = j.value("generation", 0u);
    prev.audit_lost = j.value("audit_lost", uint64_t{0});
    if (auto ns = j.find("namespaces"); ns != j.end() && ns->is_object())
      for (const auto& [name, v] : ns->items())
        if (v.is_object()) prev.cgroup_ids[name] = v.value("cgroup_id", uint64_t{0});
  } catch (const nlohmann::json::exception&) {
    return PreviousStatus{};  // a damaged file: start afresh rather than from half of it
  }
  return prev;
}

}  // namespace ireactor::agent
