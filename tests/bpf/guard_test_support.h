// What the guard tests share: a per-run sandbox (test cgroup parent and bpffs directory, both
// named after the test's pid and removed afterwards), hand-built policy entries, processes run
// inside a namespace cgroup, and a reader of the guard's audit ring.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "guard.h"
#include "ireactor/policy/host_paths.h"

namespace ireactor::guard::test {

namespace fs = std::filesystem;

// The layers found by main() (guard_test_main.cpp) before any test runs.
const KernelLayers& probed_layers();

// IREACTOR_CGROUP=ireactor-test-<pid>, IREACTOR_BPFFS_DIR=/sys/fs/bpf/ireactor-test-<pid>, and a
// scratch directory; the destructor removes the cgroups, any pins left, and the scratch.
class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const policy::HostPaths& paths() const { return paths_; }
  const fs::path& bpffs_dir() const { return paths_.bpffs_dir; }
  const fs::path& scratch() const { return scratch_; }
  // Creates the namespace's cgroup under the test parent.
  fs::path cgroup(const std::string& ns);

 private:
  policy::HostPaths paths_;
  fs::path scratch_;
  std::vector<std::string> namespaces_;
};

// ---- policy entries, as the compiler would produce them ----

struct NamespaceSettings {
  uint32_t ns_id = 1;
  uint32_t generation = 1;
  ir_effect device_default = IR_DENY;
  ir_effect ioctl_default = IR_DENY;
  uint8_t audit = IR_AUDIT_DENIALS | IR_AUDIT_DEVICES_RULES;
  uint64_t kernel_deny = 0;  // 1 << ir_feature
};

uint64_t feature_bit(ir_feature f);

class PolicyBuilder {
 public:
  // The IR_RULE_CGROUP entry keying `cgroup_id` to the namespace, and its IR_RULE_NAMESPACE one.
  PolicyBuilder& namespace_in(uint64_t cgroup_id, const NamespaceSettings& s);
  PolicyBuilder& device(uint32_t ns_id, uint64_t dev_id, ir_effect effect, uint8_t access,
                        uint32_t rule_id, bool audit = false);
  PolicyBuilder& ioctls(uint32_t ns_id, uint64_t dev_id, const std::vector<ir_ioctl_range>& ranges);
  const std::vector<PolicyEntry>& entries() const { return entries_; }

 private:
  std::vector<PolicyEntry> entries_;
};

// ---- devices ----

struct DeviceNumber {
  uint32_t type, major, minor;  // IR_DEV_*
  uint64_t id() const;          // ir_dev_id
};
DeviceNumber device_of(const fs::path& node);  // stat()

// ---- processes inside a namespace cgroup ----

constexpr const char* kChildComm = "guard-child";

// Forks a child named kChildComm that joins `cgroup` (unless empty) and runs `fn`; `fn` returns
// 0 or an errno value, which becomes the result. Returns the child's pid through `pid`.
int run_in(const fs::path& cgroup, const std::function<int()>& fn, pid_t* pid = nullptr);

// 0 or errno of one operation (each closes what it opened).
int try_open(const fs::path& path, int flags);
int try_mknod(const fs::path& path, uint32_t major, uint32_t minor);
int try_socket(int family, int type, int protocol);
int try_sysctl_write(const std::string& name);  // writes the current value back
int try_ioctl(const fs::path& path, unsigned long cmd);

// A child looping on `fn` in the cgroup until stop(): counts calls and successes (fn() == 0).
class Hammer {
 public:
  Hammer(const fs::path& cgroup, std::function<int()> fn);
  ~Hammer();
  struct Result {
    uint64_t attempts = 0, successes = 0;
  };
  Result stop();

 private:
  pid_t pid_ = -1;
  int stop_fd_ = -1, result_fd_ = -1;
};

// ---- the audit ring ----

class AuditReader {
 public:
  explicit AuditReader(int ring_fd);
  ~AuditReader();
  // Everything submitted so far, in ring order.
  std::vector<ir_audit_event> drain();
  // Events of process `pid` (thread group), waiting up to `wait` for at least `min_count`.
  std::vector<ir_audit_event> of_pid(pid_t pid, size_t min_count,
                                     std::chrono::milliseconds wait = std::chrono::seconds(2));

 private:
  struct Ring;
  std::unique_ptr<Ring> ring_;
  std::vector<ir_audit_event> pending_;
};

// Pins at `pin` a link of a trivial program ("return 0") of another origin than the guard's, as
// an older guard version would have left: on raw_tp/sys_exit, or with `lsm` on lsm/file_open.
void pin_foreign_link(const fs::path& pin, bool lsm);

// Kernel object ids behind pins, to tell reused objects from new ones.
uint32_t pinned_map_id(const fs::path& pin);
struct PinnedLinkInfo {
  uint32_t id = 0, prog_id = 0;
};
std::optional<PinnedLinkInfo> pinned_link(const fs::path& pin);

}  // namespace ireactor::guard::test
