#include "host_check.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "policy_keys.h"

namespace ireactor::policy {

namespace {

std::string line_col(const SourceLocation& w) {
  return "line " + std::to_string(w.line) + ":" + std::to_string(w.column);
}

void check_drives(YamlReader& r, const NamespacePolicy& policy) {
  for (const Drive& d : policy.drives) {
    if (d.host_path.empty()) continue;
    struct stat st {};
    const std::string drive = std::string(1, d.letter) + ": ";
    if (::stat(d.host_path.c_str(), &st) != 0) {
      if (errno == ENOENT)
        r.warning_at(d.where, "drive " + drive + d.host_path.string() +
                                  " does not exist on this host (yet)");
      else
        r.warning_at(d.where, "drive " + drive + "cannot stat " + d.host_path.string() + ": " +
                                  std::strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
      r.error_at(d.where, "drive " + drive + d.host_path.string() + " is not a directory");
    }
  }
}

// A path that is not a device node is a mistake; one that does not exist (yet) is not.
void report_unresolved(YamlReader& r, const SourceLocation& where, const ResolvedPath& why) {
  using P = ResolvedPath::Problem;
  if (why.problem == P::Missing)
    r.warning_at(where, why.why +
                            ": the rule takes effect when the policy is applied after "
                            "the node exists");
  else if (why.problem == P::NotDevice)
    r.error_at(where, why.why);
  else
    r.warning_at(where, why.why);
}

}  // namespace

void check_on_host(YamlReader& r, const NamespacePolicy& policy) {
  check_drives(r, policy);
  const KeyedPolicy keyed = key_policy(policy);
  for (const UnresolvedRule& u : keyed.unresolved_devices)
    report_unresolved(r, policy.devices[u.rule].where, u.why);
  for (const UnresolvedRule& u : keyed.unresolved_ioctls)
    report_unresolved(r, policy.ioctls[u.rule].where, u.why);

  for (const auto& [key, rules] : keyed.devices) {
    const CombinedDeviceRule c = combine_device_rules(policy, rules);
    if (!c.conflict) continue;
    const DeviceRule& first = policy.devices[rules.front()];
    r.error_at(policy.devices[*c.conflict].where,
               "this rule and the one at " + line_col(first.where) + " both decide " + key.str() +
                   " but differ in " +
                   (policy.devices[*c.conflict].effect != first.effect ? "allow/deny" : "audit") +
                   "; a device has one rule: merge them");
  }
  for (const auto& [key, rules] : keyed.ioctls) {
    const auto segments = ioctl_segments(policy, rules);
    if (segments.size() <= kMaxIoctlSegments) continue;
    r.error_at(policy.ioctls[segments[kMaxIoctlSegments].order].where,
               "ioctl rules for " + key.str() + " make " + std::to_string(segments.size()) +
                   " separate command ranges; the guard holds at most " +
                   std::to_string(kMaxIoctlSegments) +
                   " per device (merge adjacent commands "
                   "into ranges)");
  }
}

}  // namespace ireactor::policy
