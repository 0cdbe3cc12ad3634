#include "namespace_info.h"

#include <fstream>

#include "guard_abi.h"
#include "guard_status.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/parse.h"

namespace ireactor::cli {

namespace fs = std::filesystem;
using nlohmann::json;

int cgroup_process_count(const fs::path& dir) {
  std::ifstream in(dir / "cgroup.procs");
  int n = 0;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) ++n;
  return n;
}

NamespaceInfo namespace_info(const policy::HostPaths& paths, policy::StoredNamespace stored) {
  NamespaceInfo info;
  info.name = stored.file.stem().string();
  info.stored = std::move(stored);
  try {
    info.cgroup.dir = policy::namespace_cgroup_dir(paths, info.name);
    std::error_code ec;
    info.cgroup.exists = fs::is_directory(info.cgroup.dir, ec);
    if (info.cgroup.exists) {
      info.cgroup.id = policy::cgroup_id(info.cgroup.dir);
      info.cgroup.procs = cgroup_process_count(info.cgroup.dir);
    }
  } catch (const std::exception&) {
    // No cgroup2 to be found: reported as a cgroup that does not exist.
  }
  const GuardStatus st = read_guard_status(paths.status_file());
  if (auto it = st.namespaces.find(info.name); it != st.namespaces.end())
    info.enforced = info.cgroup.exists && it->second.cgroup_id == info.cgroup.id;
  return info;
}

std::string drives_text(const policy::NamespacePolicy& p) {
  std::string out;
  for (const policy::Drive& d : p.drives) {
    out += (out.empty() ? "" : " ") + std::string(1, d.letter) + ":=" + d.host_path.string();
    if (d.read_only) out += ":ro";
  }
  return out;
}

std::string device_match_text(const policy::DeviceMatch& m) {
  if (m.path) return *m.path;
  std::string s = m.dev_class == policy::DeviceMatch::Class::Block ? "block " : "char ";
  s += m.major ? std::to_string(*m.major) : "*";
  s += ":";
  s += m.minor ? std::to_string(*m.minor) : "*";
  return s;
}

std::string access_text(uint32_t access) {
  std::string s;
  if (access & IR_ACC_READ) s += 'r';
  if (access & IR_ACC_WRITE) s += 'w';
  if (access & IR_ACC_MKNOD) s += 'm';
  return s;
}

namespace {

const char* effect_text(policy::Effect e) {
  return e == policy::Effect::Allow ? "allow" : "deny";
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

json rules_json(const policy::NamespacePolicy& p) {
  json devices = json::array();
  for (const policy::DeviceRule& r : p.devices)
    devices.push_back({{"effect", effect_text(r.effect)},
                       {"device", device_match_text(r.match)},
                       {"access", access_text(r.access)},
                       {"audit", r.audit},
                       {"where", r.where.str()}});
  json ioctls = json::array();
  for (const policy::IoctlRule& r : p.ioctls)
    ioctls.push_back({{"effect", effect_text(r.effect)},
                      {"device", r.device ? json(device_match_text(*r.device)) : json(nullptr)},
                      {"cmd", r.lo == r.hi ? hex(r.lo) : hex(r.lo) + "-" + hex(r.hi)},
                      {"audit", r.audit},
                      {"where", r.where.str()}});
  json kernel = json::object();
  for (int f = 0; f < IR_FEAT_COUNT; ++f) {
    auto it = p.kernel.find(f);
    kernel[policy::feature_name(f)] =
        effect_text(it == p.kernel.end() ? policy::Effect::Deny : it->second.effect);
  }
  const policy::StartLayers layers = policy::start_layers(p);
  json seccomp = json::array();
  for (const auto& s : layers.seccomp_deny) {
    json e = {{"nr", s.nr}, {"feature", policy::feature_name(s.feature)}};
    if (s.arg0 >= 0) e["arg0"] = s.arg0;
    seccomp.push_back(e);
  }
  const char* audit_devices = p.audit.devices == policy::AuditSettings::Devices::All    ? "all"
                              : p.audit.devices == policy::AuditSettings::Devices::None ? "none"
                                                                                        : "rules";
  return {{"devices", {{"default", effect_text(p.device_default)}, {"rules", devices}}},
          {"ioctls", {{"default", effect_text(p.ioctl_default)}, {"rules", ioctls}}},
          {"kernel", kernel},
          {"audit", {{"devices", audit_devices}, {"denials", p.audit.denials}}},
          {"startLayers",
           {{"seccompDeny", seccomp},
            {"restrictDeviceIoctls", layers.restrict_device_ioctls},
            {"ioctlDevices", layers.ioctl_devices}}}};
}

}  // namespace

json namespace_json(const NamespaceInfo& info, bool detailed) {
  const policy::ParseResult& parsed = info.stored.parsed;
  json errors = json::array(), warnings = json::array();
  for (const policy::Diagnostic& d : parsed.diagnostics)
    (d.error ? errors : warnings).push_back(d.str());
  json j = {{"name", info.name},
            {"file", info.stored.file.string()},
            {"valid", parsed.ok()},
            {"errors", errors},
            {"warnings", warnings},
            {"cgroup",
             {{"path", info.cgroup.dir.empty() ? json(nullptr) : json(info.cgroup.dir.string())},
              {"exists", info.cgroup.exists},
              {"id", info.cgroup.exists ? json(info.cgroup.id) : json(nullptr)},
              {"procs", info.cgroup.procs}}},
            {"enforced", info.enforced}};
  if (!parsed.ok()) {
    j["build"] = nullptr;
    j["drives"] = json::array();
    return j;
  }
  const policy::NamespacePolicy& p = *parsed.policy;
  j["build"] = p.windows_build;
  json drives = json::array();
  for (const policy::Drive& d : p.drives)
    drives.push_back({{"letter", std::string(1, d.letter) + ":"},
                      {"path", d.host_path.string()},
                      {"readOnly", d.read_only}});
  j["drives"] = drives;
  j["sha256"] = p.source_sha256;
  if (detailed) j.update(rules_json(p));
  return j;
}

}  // namespace ireactor::cli
