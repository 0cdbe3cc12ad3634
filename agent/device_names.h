// Names of device numbers: cgroup/dev sees only type and major:minor, so the audit log finds the
// node's path by scanning /dev (cached; rescanned on a miss at most every few seconds, since
// device nodes come and go with hotplug).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace ireactor::agent {

class DeviceNames {
 public:
  explicit DeviceNames(std::filesystem::path dev_dir = "/dev") : dev_dir_(std::move(dev_dir)) {}

  // type: IR_DEV_CHAR or IR_DEV_BLOCK. The shortest path naming the node (/dev/zero rather
  // than /dev/char/1:5, which is a symlink anyway and skipped).
  std::optional<std::string> lookup(uint32_t type, uint32_t major, uint32_t minor);

 private:
  void scan();

  std::filesystem::path dev_dir_;
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::string> names_;
  std::optional<std::chrono::steady_clock::time_point> scanned_;
};

}  // namespace ireactor::agent
