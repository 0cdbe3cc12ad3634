#include "policy_keys.h"

namespace ireactor::policy {

KeyedPolicy key_policy(const NamespacePolicy& policy) {
  KeyedPolicy k;
  for (size_t i = 0; i < policy.devices.size(); ++i) {
    const DeviceMatch& m = policy.devices[i].match;
    if (m.path) {
      ResolvedPath r = resolve_device_path(*m.path);
      if (!r.key) {
        k.unresolved_devices.push_back({i, r});
        continue;
      }
      k.devices[*r.key].push_back(i);
    } else {
      k.devices[keys_for(m).front()].push_back(i);
    }
  }
  for (size_t i = 0; i < policy.ioctls.size(); ++i) {
    const auto& m = policy.ioctls[i].device;
    if (m && m->path) {
      ResolvedPath r = resolve_device_path(*m->path);
      if (!r.key) {
        k.unresolved_ioctls.push_back({i, r});
        continue;
      }
      k.ioctls[*r.key].push_back(i);
    } else {
      for (const DevKey& key : keys_for(m)) k.ioctls[key].push_back(i);
    }
  }
  return k;
}

CombinedDeviceRule combine_device_rules(const NamespacePolicy& policy,
                                        const std::vector<size_t>& rules) {
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
                                         const std::vector<size_t>& rules) {
  std::vector<IoctlInput> inputs;
  for (size_t i : rules) {
    const IoctlRule& r = policy.ioctls[i];
    inputs.push_back({r.lo, r.hi, r.effect == Effect::Allow, r.audit, static_cast<uint32_t>(i)});
  }
  return merge_ioctl_ranges(inputs);
}

}  // namespace ireactor::policy
