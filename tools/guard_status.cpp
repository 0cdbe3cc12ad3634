#include "guard_status.h"

#include <signal.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>

namespace ireactor::cli {

GuardStatus read_guard_status(const std::filesystem::path& status_file) {
  GuardStatus st;
  std::ifstream in(status_file);
  if (!in) {
    st.problem = "no " + status_file.string();
    return st;
  }
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    st.agent_pid = j.value("pid", 0L);
    // Signal 0 only checks existence; EPERM means it exists but is not ours.
    st.agent_running = st.agent_pid > 0 && (kill(st.agent_pid, 0) == 0 || errno == EPERM);
    if (j.contains("layers") && j["layers"].is_object()) st.lsm = j["layers"].value("lsm", false);
    if (j.contains("namespaces") && j["namespaces"].is_object())
      for (const auto& [name, ns] : j["namespaces"].items())
        st.namespaces[name] =
            GuardNamespace{ns.value("cgroup_id", uint64_t{0}), ns.value("sha256", std::string()),
                           ns.value("generation", uint64_t{0})};
    st.present = true;
  } catch (const nlohmann::json::exception& e) {
    st.problem = status_file.string() + " is not valid: " + e.what();
  }
  return st;
}

}  // namespace ireactor::cli
