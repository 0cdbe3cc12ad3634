// A namespace policy's rules grouped by the guard key they land on, resolved on this host
// (device paths stat()'d once). Shared by the checks `policy validate` runs and the compiler, so
// both see the same keys.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "device_keys.h"
#include "ioctl_ranges.h"
#include "ireactor/policy/model.h"

namespace ireactor::policy {

struct UnresolvedRule {
  size_t rule;  // index into policy.devices or policy.ioctls
  ResolvedPath why;
};

struct KeyedPolicy {
  std::map<DevKey, std::vector<size_t>> devices;  // key -> indexes into policy.devices
  std::map<DevKey, std::vector<size_t>> ioctls;   // key -> indexes into policy.ioctls
  std::vector<UnresolvedRule> unresolved_devices, unresolved_ioctls;
};

KeyedPolicy key_policy(const NamespacePolicy& policy);

// The one rule a device key holds. Rules on one key must agree on effect and audit; when they
// do not, deny wins (and `conflict` names the first rule that disagreed with the first one).
struct CombinedDeviceRule {
  size_t rule = 0;  // the rule named in audit records
  Effect effect = Effect::Deny;
  uint32_t access = 0;
  bool audit = false;
  std::optional<size_t> conflict;
};
CombinedDeviceRule combine_device_rules(const NamespacePolicy& policy,
                                        const std::vector<size_t>& rules);

// The ioctl segments of one key (IoctlSegment::order indexes policy.ioctls).
std::vector<IoctlSegment> ioctl_segments(const NamespacePolicy& policy,
                                         const std::vector<size_t>& rules);

}  // namespace ireactor::policy
