#include "ireactor/policy/compile.h"

#include <cstring>
#include <set>
#include <span>

#include "policy_keys.h"
#include "rule_text.h"

namespace ireactor::policy {

namespace {

MapEntry blank_entry(uint16_t kind, uint32_t ns_id, uint64_t id, uint16_t chunk = 0) {
  MapEntry e;
  // The value is a union: zero all of it, so no stale bytes reach the kernel.
  std::memset(&e.key, 0, sizeof e.key);
  std::memset(&e.value, 0, sizeof e.value);
  e.key.id = id;
  e.key.ns_id = ns_id;
  e.key.kind = kind;
  e.key.chunk = chunk;
  return e;
}

ir_namespace_rule namespace_rule(const NamespacePolicy& p, uint32_t ns_id, uint32_t generation) {
  ir_namespace_rule ns;
  std::memset(&ns, 0, sizeof ns);
  ns.ns_id = ns_id;
  ns.generation = generation;
  ns.device_default = p.device_default == Effect::Allow ? IR_ALLOW : IR_DENY;
  ns.ioctl_default = p.ioctl_default == Effect::Allow ? IR_ALLOW : IR_DENY;
  if (p.audit.denials) ns.audit |= IR_AUDIT_DENIALS;
  if (p.audit.devices == AuditSettings::Devices::All) ns.audit |= IR_AUDIT_DEVICES_ALL;
  if (p.audit.devices == AuditSettings::Devices::Rules) ns.audit |= IR_AUDIT_DEVICES_RULES;
  for (int f = 0; f < IR_FEAT_COUNT; ++f) {
    auto it = p.kernel.find(f);
    if (it == p.kernel.end() || it->second.effect == Effect::Deny) ns.kernel_deny |= 1ull << f;
  }
  return ns;
}

class Compiler {
 public:
  explicit Compiler(CompiledSet& set) : set_(set) {}

  void add(const NamespaceInput& in) {
    const NamespacePolicy& p = *in.policy;
    if (!ns_ids_.insert(in.ns_id).second)
      error(p.where, "namespace id " + std::to_string(in.ns_id) + " is used twice in one set");
    if (in.cgroup_id && !cgroups_.insert(in.cgroup_id).second)
      error(p.where, "cgroup id " + std::to_string(in.cgroup_id) + " is used twice in one set");

    set_.rules.reserve(set_.rules.size() + p.devices.size() + p.ioctls.size());
    const uint32_t device_base = static_cast<uint32_t>(set_.rules.size());
    for (const DeviceRule& r : p.devices)
      set_.rules.push_back({p.name, r.where, device_rule_text(r)});
    const uint32_t ioctl_base = static_cast<uint32_t>(set_.rules.size());
    for (const IoctlRule& r : p.ioctls) set_.rules.push_back({p.name, r.where, ioctl_rule_text(r)});

    const ir_namespace_rule ns = namespace_rule(p, in.ns_id, set_.generation);
    if (in.cgroup_id) {
      MapEntry e = blank_entry(IR_RULE_CGROUP, 0, in.cgroup_id);
      e.value.ns = ns;
      set_.entries.push_back(e);
    }
    MapEntry e = blank_entry(IR_RULE_NAMESPACE, in.ns_id, 0);
    e.value.ns = ns;
    set_.entries.push_back(e);

    const KeyedPolicy keyed = key_policy(p);
    // One entry per device key, at least one per ioctl key.
    set_.entries.reserve(set_.entries.size() + keyed.devices.size() + keyed.ioctls.size());
    // Unresolvable paths were reported by validation already; here they only explain a gap.
    for (const UnresolvedRule& u : keyed.unresolved_devices)
      warning(p.devices[u.rule].where, u.why.why + ": rule not compiled");
    for (const UnresolvedRule& u : keyed.unresolved_ioctls)
      warning(p.ioctls[u.rule].where, u.why.why + ": rule not compiled");
    for (const auto& [key, rules] : keyed.devices) add_device(p, in.ns_id, key, rules, device_base);
    for (const auto& [key, rules] : keyed.ioctls) add_ioctls(p, in.ns_id, key, rules, ioctl_base);
  }

  void finish() {
    if (set_.entries.size() > IR_POLICY_MAX_ENTRIES)
      error({}, "the policy set needs " + std::to_string(set_.entries.size()) +
                    " map entries; the guard holds " + std::to_string(IR_POLICY_MAX_ENTRIES));
  }

 private:
  void add_device(const NamespacePolicy& p, uint32_t ns_id, const DevKey& key,
                  std::span<const size_t> rules, uint32_t base) {
    const CombinedDeviceRule c = combine_device_rules(p, rules);
    if (c.conflict)
      warning(p.devices[*c.conflict].where,
              "rules disagree on " + key.str() + "; compiled as the deny rule(s)");
    MapEntry e = blank_entry(IR_RULE_DEVICE, ns_id, key.id());
    e.value.dev.rule_id = base + static_cast<uint32_t>(c.rule);
    e.value.dev.effect = c.effect == Effect::Allow ? IR_ALLOW : IR_DENY;
    e.value.dev.access = static_cast<uint8_t>(c.access);
    e.value.dev.audit = c.audit ? 1 : 0;
    set_.entries.push_back(e);
  }

  void add_ioctls(const NamespacePolicy& p, uint32_t ns_id, const DevKey& key,
                  std::span<const size_t> rules, uint32_t base) {
    std::vector<IoctlSegment> segments = ioctl_segments(p, rules);
    if (segments.size() > kMaxIoctlSegments) {
      // Validation refuses such a file; if a set gets here anyway (a path now names another
      // device), fail closed: every command on this device is denied.
      error(p.ioctls[segments[kMaxIoctlSegments].order].where,
            "ioctl rules for " + key.str() + " need " + std::to_string(segments.size()) +
                " ranges (at most " + std::to_string(kMaxIoctlSegments) +
                "); compiled as deny-all for this device");
      segments = {{0, UINT32_MAX, false, false, segments.front().order}};
    }
    // A chunk with fewer than IR_IOCTL_RANGES_PER_CHUNK ranges ends the list, so a full last
    // chunk is followed by an empty one unless all chunks are used.
    const size_t chunks =
        std::min<size_t>(segments.size() / IR_IOCTL_RANGES_PER_CHUNK + 1, IR_IOCTL_MAX_CHUNKS);
    for (size_t c = 0; c < chunks; ++c) {
      MapEntry e = blank_entry(IR_RULE_IOCTL, ns_id, key.id(), static_cast<uint16_t>(c));
      for (size_t i = c * IR_IOCTL_RANGES_PER_CHUNK;
           i < segments.size() && i < (c + 1) * IR_IOCTL_RANGES_PER_CHUNK; ++i) {
        ir_ioctl_range& r = e.value.ioctl.ranges[e.value.ioctl.count++];
        r.lo = segments[i].lo;
        r.hi = segments[i].hi;
        r.rule_id = base + segments[i].order;
        r.effect = segments[i].allow ? IR_ALLOW : IR_DENY;
        r.audit = segments[i].audit ? 1 : 0;
      }
      set_.entries.push_back(e);
    }
  }

  void warning(const SourceLocation& where, const std::string& message) {
    set_.diagnostics.push_back({where, false, message});
  }
  void error(const SourceLocation& where, const std::string& message) {
    set_.diagnostics.push_back({where, true, message});
  }

  CompiledSet& set_;
  std::set<uint32_t> ns_ids_;
  std::set<uint64_t> cgroups_;
};

}  // namespace

CompiledSet compile_policy_set(const std::vector<NamespaceInput>& namespaces, uint32_t generation) {
  CompiledSet set;
  set.generation = generation;
  Compiler compiler(set);
  for (const NamespaceInput& in : namespaces)
    if (in.policy) compiler.add(in);
  compiler.finish();
  return set;
}

}  // namespace ireactor::policy
