// Device identities as the guard's rule keys spell them (type, major, minor with wildcards), and
// how a policy's device matches become keys on this host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "guard_abi.h"
#include "ireactor/policy/model.h"

namespace ireactor::policy {

struct DevKey {
  uint32_t type = IR_DEV_CHAR;  // IR_DEV_CHAR / IR_DEV_BLOCK
  uint32_t major = IR_ANY_MAJOR;
  uint32_t minor = IR_ANY_MINOR;

  uint64_t id() const { return ir_dev_id(type, major, minor); }
  std::string str() const;  // "char 226:*", "block *:*"
  auto operator<=>(const DevKey&) const = default;
};

// stat() of a device path (symlinks followed).
struct ResolvedPath {
  std::optional<DevKey> key;  // set when the path is a character or block device
  enum class Problem { None, Missing, NotDevice, Unreadable } problem = Problem::None;
  std::string why;  // why there is no key, for a diagnostic
};
ResolvedPath resolve_device_path(const std::string& path);

// The one key of a class match (no path): absent major and minor are wildcards.
DevKey class_key(const DeviceMatch& match);

// The keys a match stands for: a class match is one key (absent major/minor are wildcards), a
// path is the key of the node it names now (none when it names no device), no match at all is
// every device: the char and block wildcards.
std::vector<DevKey> keys_for(const std::optional<DeviceMatch>& match);

// "/dev/null", "char 226:*", "any device".
std::string match_text(const std::optional<DeviceMatch>& match);
std::string match_text(const DeviceMatch& match);

// "r", "w", "rw", "rwm", ... (cgroup device access letters).
std::string access_text(uint32_t access);

// Whether a (possibly wildcard) key matches a node's exact key.
bool key_matches(const DevKey& pattern, const DevKey& node);

struct DeviceNode {
  std::string path;
  DevKey key;  // exact
};
// Device nodes below `root` (symlinks not followed, so each node once, under its real name),
// sorted by path.
std::vector<DeviceNode> device_nodes(const std::string& root);

}  // namespace ireactor::policy
