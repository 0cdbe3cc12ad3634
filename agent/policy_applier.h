// Turns the policy directory into the policy set in force: reads every NAME.yaml, keeps per
// namespace the last good policy (a file with errors is reported and its namespace keeps what
// it had), makes sure each namespace's cgroup exists and carries the guard's cgroup programs,
// and installs the whole set as one new generation with one atomic swap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guard.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/host_paths.h"
#include "ireactor/policy/model.h"
#include "status_file.h"

namespace ireactor::agent {

struct NamespaceInForce {
  std::filesystem::path file;
  policy::NamespacePolicy policy;  // the last good one read from `file`
  uint32_t ns_id = 0;
  uint32_t generation = 0;  // the generation that put this policy in force
  std::filesystem::path cgroup_dir;
  uint64_t cgroup_id = 0;
  std::string text;  // the file's bytes that were parsed, saved aside while in force
};

class PolicyApplier {
 public:
  // `previous`: the last status.json, to continue its generation numbering and to know which
  // cgroups the pinned links were made for.
  PolicyApplier(policy::HostPaths paths, guard::Guard& guard, const PreviousStatus& previous);

  // Re-reads the policy directory. Swaps in a new generation when what is in force changes
  // (and always on the first call, so the pinned set is this agent's). Returns true when a
  // swap happened. Throws when the guard refuses the set: the previous one stays in force.
  bool apply();

  uint32_t generation() const { return generation_; }
  const std::map<std::string, NamespaceInForce>& namespaces() const { return in_force_; }
  // File -> its diagnostics (errors and warnings), for files refused at the last apply.
  const std::map<std::string, std::vector<policy::Diagnostic>>& rejected() const {
    return rejected_;
  }
  // Warnings from compiling the set in force (e.g. a device path that does not exist).
  const std::vector<policy::Diagnostic>& warnings() const { return warnings_; }

  std::optional<std::string> ns_name(uint32_t ns_id) const;
  // "file:line" of rule `rule_id` in the set of `generation` (recent generations only).
  std::optional<std::string> rule_origin(uint32_t generation, uint32_t rule_id) const;

 private:
  using Rejections = std::map<std::string, std::vector<policy::Diagnostic>>;

  std::map<std::string, NamespaceInForce> read_policy_dir(Rejections& rejected);
  // A restarted agent has no last good policy in memory: state_dir/in-force/NAME.yaml keeps
  // the bytes of each policy in force, so a file broken while no agent ran still cannot
  // replace it.
  std::optional<NamespaceInForce> read_saved_policy(const std::string& ns,
                                                    const std::filesystem::path& file) const;
  std::filesystem::path saved_policy_file(const std::string& ns) const;
  void save_in_force(uint32_t generation);
  bool prepare_cgroup(const std::string& ns, NamespaceInForce& entry, Rejections& rejected);
  void detach_removed(const std::map<std::string, NamespaceInForce>& next);
  void report_rejected(const std::map<std::string, std::vector<policy::Diagnostic>>& now);
  void report_warnings(const std::vector<policy::Diagnostic>& now);

  policy::HostPaths paths_;
  guard::Guard& guard_;
  // ns -> cgroup id its pinned links were made for (from the previous status at first).
  std::map<std::string, uint64_t> link_cgroup_;
  std::map<std::string, bool> attached_this_run_;
  uint32_t generation_;
  bool applied_once_ = false;
  std::map<std::string, NamespaceInForce> in_force_;
  Rejections rejected_;
  std::vector<policy::Diagnostic> warnings_;
  std::map<uint32_t, std::string> ns_names_;  // every ns id seen, removed ones included
  std::map<uint32_t, std::vector<policy::RuleOrigin>> rules_;  // recent generations
};

}  // namespace ireactor::agent
