// inotify on the policy directory (a NAME.yaml written, renamed in, renamed away or deleted) and
// on the namespaces' cgroup parent (a namespace cgroup made or removed, e.g. by `ireactor run`
// or `ireactor ns delete`): either means the set in force may have to change.
#pragma once

#include <filesystem>

namespace ireactor::agent {

class PolicyWatch {
 public:
  PolicyWatch(std::filesystem::path policy_dir, std::filesystem::path cgroup_parent);
  ~PolicyWatch();
  PolicyWatch(const PolicyWatch&) = delete;
  PolicyWatch& operator=(const PolicyWatch&) = delete;

  int fd() const { return fd_; }
  // Adds the watches that are missing (a directory that did not exist yet, or was removed and
  // made again). Returns true when the policy directory's watch was (re)made, since changes
  // may have been missed meanwhile.
  bool ensure_watches();
  // Reads what inotify has; true when something concerns the policies in force.
  bool read_events();

 private:
  std::filesystem::path policy_dir_, cgroup_parent_;
  int fd_ = -1;
  int policy_wd_ = -1;
  int cgroup_wd_ = -1;
};

}  // namespace ireactor::agent
