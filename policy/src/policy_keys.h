// A namespace policy's rules grouped by the guard key they land on, resolved on this host
// (device paths stat()'d once). Shared by the checks `policy validate` runs and the compiler, so
// both see the same keys.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "device_keys.h"
#include "ioctl_ranges.h"
#include "ireactor/policy/model.h"

namespace ireactor::policy {

struct UnresolvedRule {
  size_t rule;  // index into policy.devices or policy.ioctls
  ResolvedPath why;
};

// The rules on one key: indexes into policy.devices or policy.ioctls, in file order.
struct KeyedRules {
  DevKey key;
  std::span<const size_t> rules;
};

// Sorted vectors rather than a map of vectors: a 10,000-rule policy is keyed twice per reload
// (validation and compilation), and 20,000 tree nodes and vectors cost more than the rest of it.
struct KeyedPolicy {
  std::vector<KeyedRules> devices;  // by key
  std::vector<KeyedRules> ioctls;   // by key
  std::vector<UnresolvedRule> unresolved_devices, unresolved_ioctls;

  KeyedPolicy() = default;
  KeyedPolicy(KeyedPolicy&&) = default;  // the spans stay valid: a moved vector keeps its storage
  KeyedPolicy(const KeyedPolicy&) = delete;

  // What the spans of devices and ioctls view.
  std::vector<size_t> device_rules, ioctl_rules;
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
                                        std::span<const size_t> rules);

// The ioctl segments of one key (IoctlSegment::order indexes policy.ioctls).
std::vector<IoctlSegment> ioctl_segments(const NamespacePolicy& policy,
                                         std::span<const size_t> rules);

}  // namespace ireactor::policy
