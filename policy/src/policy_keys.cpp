#include "policy_keys.h"

#include <algorithm>
#include <utility>

namespace ireactor::policy {

namespace {

// (key, rule index) pairs -> the rules of each key, in key order and file order within a key.
void group(std::vector<std::pair<DevKey, size_t>>& keyed, std::vector<KeyedRules>& groups,
           std::vector<size_t>& storage) {
  // Pairs are added in rule order, so sorting the pairs keeps file order within a key.
  if (!std::is_sorted(keyed.begin(), keyed.end())) std::sort(keyed.begin(), keyed.end());
  storage.reserve(keyed.size());
  for (const auto& [key, rule] : keyed) storage.push_back(rule);
  for (size_t first = 0; first < keyed.size();) {
    size_t last = first + 1;
    while (last < keyed.size() && keyed[last].first == keyed[first].first) ++last;
    groups.push_back({keyed[first].first, std::span(storage).subspan(first, last - first)});
    first = last;
  }
}

}  // namespace

KeyedPolicy key_policy(const NamespacePolicy& policy) {
  KeyedPolicy k;
  std::vector<std::pair<DevKey, size_t>> keyed;
  keyed.reserve(policy.devices.size());
  for (size_t i = 0; i < policy.devices.size(); ++i) {
    const DeviceMatch& m = policy.devices[i].match;
    if (m.path) {
      ResolvedPath r = resolve_device_path(*m.path);
      if (!r.key) {
        k.unresolved_devices.push_back({i, r});
        continue;
      }
      keyed.push_back({*r.key, i});
    } else {
      keyed.push_back({class_key(m), i});
    }
  }
  group(keyed, k.devices, k.device_rules);

  keyed.clear();
  for (size_t i = 0; i < policy.ioctls.size(); ++i) {
    const auto& m = policy.ioctls[i].device;
    if (m && m->path) {
      ResolvedPath r = resolve_device_path(*m->path);
      if (!r.key) {
        k.unresolved_ioctls.push_back({i, r});
        continue;
      }
      keyed.push_back({*r.key, i});
    } else {
      for (const DevKey& key : keys_for(m)) keyed.push_back({key, i});
    }
  }
  group(keyed, k.ioctls, k.ioctl_rules);
  return k;
}

CombinedDeviceRule combine_device_rules(const NamespacePolicy& policy,
                                        std::span<const size_t> rules) {
  CombinedDeviceRule c;
  const DeviceRule& first = policy.devices[rules.front()];
  bool any_deny = false;
  for (size_t i : rules) {
    const DeviceRule& r = policy.devices[i];
    if (!c.conflict && (r.effect != first.effect || r.audit != first.audit)) c.conflict = i;
    any_deny = any_deny || r.effect == Effect::Deny;
  }
  // Only the winning effect's rules contribute: their accesses and audit flags are united.
  c.effect = any_deny ? Effect::Deny : Effect::Allow;
  bool named = false;
  for (size_t i : rules) {
    const DeviceRule& r = policy.devices[i];
    if (r.effect != c.effect) continue;
    if (!named) {
      c.rule = i;
      named = true;
    }
    c.access |= r.access;
    c.audit = c.audit || r.audit;
  }
  return c;
}

std::vector<IoctlSegment> ioctl_segments(const NamespacePolicy& policy,
                                         std::span<const size_t> rules) {
  std::vector<IoctlInput> inputs;
  inputs.reserve(rules.size());
  for (size_t i : rules) {
    const IoctlRule& r = policy.ioctls[i];
    inputs.push_back({r.lo, r.hi, r.effect == Effect::Allow, r.audit, static_cast<uint32_t>(i)});
  }
  return merge_ioctl_ranges(inputs);
}

}  // namespace ireactor::policy
