// One ireactord per bpffs directory and run directory: two agents would swap each other's sets.
// An flock on run_dir/ireactord.lock, released by the kernel when the agent dies.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace ireactor::agent {

class InstanceLock {
 public:
  // Takes the lock, or returns nullopt with `holder` describing who has it.
  static std::optional<InstanceLock> take(const std::filesystem::path& file, std::string& holder);
  InstanceLock(InstanceLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  InstanceLock& operator=(InstanceLock&&) = delete;
  ~InstanceLock();

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ireactor::agent
