#include "namespace_entry.h"

#include <sys/prctl.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "cli_error.h"
#include "guard_status.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/namespace_store.h"
#include "process_threads.h"

namespace ireactor::cli {

namespace fs = std::filesystem;

policy::NamespacePolicy load_namespace_policy(const policy::HostPaths& paths,
                                              const std::string& name) {
  std::optional<policy::StoredNamespace> ns = policy::find_namespace(paths, name);
  if (!ns)
    fail("namespace \"" + name + "\" does not exist (no policy file " +
         paths.policy_file(name).string() + "; create it with `ireactor ns create " + name + "`)");
  for (const policy::Diagnostic& d : ns->parsed.diagnostics)
    if (!d.error) spdlog::warn("{}", d.str());
  if (!ns->parsed.ok()) {
    std::string msg = "namespace \"" + name + "\": its policy file has errors, refusing to run:";
    for (const policy::Diagnostic& d : ns->parsed.diagnostics)
      if (d.error) msg += "\n" + d.str();
    fail(msg);
  }
  return *ns->parsed.policy;
}

fs::path namespace_cgroup(const policy::HostPaths& paths, const std::string& name) {
  try {
    return policy::ensure_namespace_cgroup(paths, name);
  } catch (const std::exception& e) {
    fail("namespace \"" + name + "\": cannot create its cgroup: " + e.what());
  }
}

void join_namespace_cgroup(const fs::path& cgroup_dir) {
  if (const int threads = thread_count(); threads != 1)
    fail("internal: joining the namespace cgroup with " + std::to_string(threads) +
         " threads running (must be 1)");
  try {
    policy::join_cgroup(cgroup_dir);
  } catch (const std::exception& e) {
    fail("cannot join the namespace cgroup " + cgroup_dir.string() + ": " + e.what());
  }
  spdlog::info("joined cgroup {}", cgroup_dir.string());
}

GuardEnforcement check_guard_enforces(const policy::HostPaths& paths, const std::string& name,
                                      uint64_t cgroup_id, const std::string& policy_sha256,
                                      bool unenforced) {
  const GuardStatus st = read_guard_status(paths.status_file());
  std::string missing;
  if (!st.present) {
    missing = st.problem + " (is ireactord running? `systemctl start ireactord`)";
  } else if (auto it = st.namespaces.find(name); it == st.namespaces.end()) {
    missing = "ireactord's status (" + paths.status_file().string() +
              ") does not list namespace \"" + name +
              "\" (it rejected the policy file or has "
              "not read it yet: see `ireactor status`)";
  } else if (it->second.cgroup_id != cgroup_id) {
    missing = "ireactord enforces namespace \"" + name + "\" on cgroup id " +
              std::to_string(it->second.cgroup_id) + ", but its cgroup is now id " +
              std::to_string(cgroup_id) +
              " (recreated since; ireactord re-attaches on its "
              "next apply)";
  } else {
    if (!st.agent_running)
      spdlog::info("ireactord (pid {}) is not running; the guard it pinned keeps enforcing",
                   st.agent_pid);
    if (!policy_sha256.empty() && it->second.sha256 != policy_sha256)
      spdlog::warn(
          "namespace {}: the guard enforces an earlier version of its policy file "
          "(generation {}); this run's drives, build and process-start layers come "
          "from the file as it is now",
          name, it->second.generation);
    spdlog::info("namespace {} is enforced by the guard (cgroup id {}, generation {}{})", name,
                 cgroup_id, it->second.generation, st.lsm ? ", LSM layer" : "");
    return {true, st.lsm};
  }
  if (!unenforced)
    fail("namespace \"" + name + "\" is not enforced by the kernel guard: " + missing +
         ".\nStart ireactord, or pass --unenforced to run with only the process-start layers "
         "(seccomp, Landlock) and without the guard's device, socket and sysctl rules.");
  spdlog::warn("UNENFORCED: namespace {} runs WITHOUT the kernel guard: {}", name, missing);
  spdlog::warn(
      "UNENFORCED: its device, ioctl, socket and sysctl rules are NOT enforced; only "
      "the process-start layers (seccomp, Landlock) are installed");
  return {};
}

void set_process_name(const std::string& name) {
  char comm[16] = {};
  std::strncpy(comm, name.c_str(), sizeof comm - 1);
  if (prctl(PR_SET_NAME, comm, 0, 0, 0) != 0)
    spdlog::warn("cannot set the process name to {}: {}", comm, std::strerror(errno));
}

}  // namespace ireactor::cli
