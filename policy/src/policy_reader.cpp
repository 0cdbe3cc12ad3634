#include "policy_reader.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include "guard_abi.h"
#include "ireactor/policy/namespace_store.h"
#include "ireactor/policy/parse.h"
#include "numbers.h"
#include "suggest.h"

namespace ireactor::policy {

namespace {

constexpr const char* kApiVersion = "ireactor/v1";
constexpr uint32_t kMaxMajor = IR_ANY_MAJOR - 1;  // the all-ones values are the wildcards
constexpr uint32_t kMaxMinor = IR_ANY_MINOR - 1;

Effect effect_of(std::string_view s) {
  return s == "allow" ? Effect::Allow : Effect::Deny;
}

class PolicyReader {
 public:
  explicit PolicyReader(YamlReader& r) : r_(r) {}

  void read(const YamlNode& doc) {
    p_.where = r_.at(doc);
    if (p_.where.line == 0) p_.where = {p_.where.file, 1, 1};
    const YamlPath top;
    auto root =
        r_.mapping(doc, top, std::vector<std::string>{"apiVersion", "kind", "metadata", "spec"});
    if (!root) return;
    if (root->entries().empty()) {
      r_.error_at(p_.where, "empty policy: expected apiVersion, kind, metadata and spec");
      return;
    }
    r_.require(*root, top, {"apiVersion", "kind", "metadata", "spec"});
    if (const YamlNode* n = root->get("apiVersion"))
      if (auto v = r_.scalar(*n, top.key("apiVersion")); v && *v != kApiVersion)
        r_.error(*n, "apiVersion: \"" + std::string(*v) +
                         "\" is not supported (this ireactor reads " + kApiVersion + ")");
    if (const YamlNode* n = root->get("kind"))
      if (auto v = r_.scalar(*n, top.key("kind")); v && *v != "Namespace")
        r_.error(*n, "kind: \"" + std::string(*v) + "\" is not supported (only Namespace)");
    if (const YamlNode* n = root->get("metadata")) read_metadata(*n);
    if (const YamlNode* n = root->get("spec")) read_spec(*n);
  }

  // What was read (10,000 rules: moved, not copied).
  NamespacePolicy take() { return std::move(p_); }

 private:
  void read_metadata(const YamlNode& node) {
    const YamlPath path = YamlPath().key("metadata");
    auto f = r_.mapping(node, path, std::vector<std::string>{"name"});
    if (!f || !r_.require(*f, path, {"name"})) return;
    const YamlNode& n = *f->get("name");
    auto view = r_.scalar(n, path.key("name"));
    if (!view) return;
    const std::string name(*view);
    if (!valid_namespace_name(name)) {
      r_.error(n, "metadata.name: \"" + name +
                      "\" is not a namespace name (1 to 32 of a-z, 0-9, _ and -, starting with a "
                      "letter or digit)");
      return;
    }
    p_.name = name;
  }

  void read_spec(const YamlNode& node) {
    auto f = r_.mapping(
        node, spec_,
        std::vector<std::string>{"windows", "drives", "devices", "ioctls", "kernel", "audit"});
    if (!f) return;
    r_.require(*f, spec_, {"drives"});
    if (const YamlNode* n = f->get("windows")) read_windows(*n);
    if (const YamlNode* n = f->get("drives")) read_drives(*n);
    if (const YamlNode* n = f->get("devices")) read_devices(*n);
    if (const YamlNode* n = f->get("ioctls")) read_ioctls(*n);
    if (const YamlNode* n = f->get("kernel")) read_kernel(*n);
    if (const YamlNode* n = f->get("audit")) read_audit(*n);
  }

  void read_windows(const YamlNode& node) {
    const YamlPath path = spec_.key("windows");
    auto f = r_.mapping(node, path, std::vector<std::string>{"build"});
    if (!f || !f->has("build")) return;
    const YamlNode& n = *f->get("build");
    auto view = r_.scalar(n, path.key("build"));
    if (!view) return;
    const std::string build(*view);
    const auto& builds = shipped_windows_builds();
    if (std::find(builds.begin(), builds.end(), build) == builds.end()) {
      std::string list;
      for (const std::string& b : builds) list += (list.empty() ? "" : ", ") + b;
      r_.error(n, "spec.windows.build: ireactor has no Windows build \"" + build + "\" (it ships " +
                      list + ")" + did_you_mean(build, builds));
      return;
    }
    p_.windows_build = build;
  }

  // "C", "C:", "c:" -> 'C'; 0 when not a drive letter.
  static char drive_letter(std::string_view key) {
    std::string_view k = key;
    if (k.size() == 2 && k[1] == ':') k.remove_suffix(1);
    if (k.size() != 1) return 0;
    const char c = k[0] >= 'a' && k[0] <= 'z' ? static_cast<char>(k[0] - 'a' + 'A') : k[0];
    return c >= 'A' && c <= 'Z' ? c : 0;  // ASCII whatever the locale: kLetters below
  }

  void read_drives(const YamlNode& node) {
    const YamlPath drives = spec_.key("drives");
    auto f = r_.mapping(node, drives, std::nullopt);
    if (!f) return;
    bool has_c = false;
    for (const Field& field : f->entries()) {
      const char letter = drive_letter(field.name);
      if (!letter) {
        r_.error(*field.key, "spec.drives: \"" + std::string(field.name) +
                                 "\" is not a drive letter (write C or C:)");
        continue;
      }
      // "C:" whatever the key's spelling ("c", "C", "c:").
      static constexpr std::string_view kLetters =
          "A:B:C:D:E:F:G:H:I:J:K:L:M:N:O:P:Q:R:S:T:U:V:W:X:Y:Z:";
      const YamlPath path = drives.key(kLetters.substr(2 * (letter - 'A'), 2));
      if (const Drive* first = find_drive(letter)) {
        r_.error(*field.key, path.str() + " is mapped twice (first at line " +
                                 std::to_string(first->where.line) + ")");
        continue;
      }
      Drive d;
      d.letter = letter;
      d.where = r_.at(*field.key);
      has_c = has_c || letter == 'C';
      const YamlNode* path_node = field.value;
      if (field.value->is_mapping()) {
        auto df = r_.mapping(*field.value, path, std::vector<std::string>{"path", "readOnly"});
        if (!df || !r_.require(*df, path, {"path"})) {
          p_.drives.push_back(d);  // keeps "mapped twice" and "C: required" accurate
          continue;
        }
        path_node = df->get("path");
        if (const YamlNode* ro = df->get("readOnly"))
          d.read_only = r_.boolean(*ro, path.key("readOnly")).value_or(false);
      }
      if (auto host = r_.scalar(*path_node, path)) {
        if (!host->starts_with("/"))
          r_.error(*path_node, path.str() + ": \"" + std::string(*host) +
                                   "\" is not an absolute path (drive paths are host paths "
                                   "from /; a policy file is copied when applied, so a relative "
                                   "path would change meaning)");
        else
          d.host_path = *host;
      }
      p_.drives.push_back(d);
    }
    if (!has_c) r_.error(node, "spec.drives: drive C: is required");
  }

  const Drive* find_drive(char letter) const {
    for (const Drive& d : p_.drives)
      if (d.letter == letter) return &d;
    return nullptr;
  }

  // {path} or {class, major, minor}; `extra` keys are the caller's (access, audit, ...).
  std::optional<DeviceMatch> read_device_match(const Fields& f, const YamlPath& path) {
    DeviceMatch m;
    const YamlNode* path_node = f.get("path");
    const YamlNode* class_node = f.get("class");
    const YamlNode* major_node = f.get("major");
    const YamlNode* minor_node = f.get("minor");
    if (path_node) {
      for (const YamlNode* n : {class_node, major_node, minor_node})
        if (n)
          r_.error(
              *n, path.str() + ": a device is either a path or a class with major/minor, not both");
      auto p = r_.scalar(*path_node, path.key("path"));
      if (!p) return std::nullopt;
      if (!p->starts_with("/")) {
        r_.error(*path_node,
                 path.key("path").str() + ": \"" + std::string(*p) + "\" is not an absolute path");
        return std::nullopt;
      }
      m.path = std::string(*p);
      return m;
    }
    if (!class_node) {
      r_.error(f.node(), path.str() +
                             ": a device needs path, or class (char or block) with optional "
                             "major and minor");
      return std::nullopt;
    }
    bool ok = true;
    static const std::vector<std::string> kClasses{"char", "block"};
    if (auto c = r_.choice(*class_node, path.key("class"), kClasses))
      m.dev_class = *c == "block" ? DeviceMatch::Class::Block : DeviceMatch::Class::Char;
    else
      ok = false;
    if (major_node) {
      if (auto v = device_number(*major_node, path.key("major"), kMaxMajor, "major"))
        m.major = *v;
      else
        ok = false;
    }
    if (minor_node) {
      if (!major_node) {
        r_.error(*minor_node, path.key("minor").str() + ": a minor needs a major");
        ok = false;
      } else if (auto v = device_number(*minor_node, path.key("minor"), kMaxMinor, "minor")) {
        m.minor = *v;
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return m;
  }

  std::optional<uint32_t> device_number(const YamlNode& n, const YamlPath& path, uint32_t max,
                                        const char* what) {
    auto v = r_.number(n, path, UINT64_MAX);
    if (!v) return std::nullopt;
    if (*v == max + 1u) {
      r_.error(n, path.str() + ": " + std::string(n.text()) +
                      " is reserved (the guard's wildcard); " + what + " numbers are 0.." +
                      std::to_string(max) + ", leave " + what + " out to match any");
      return std::nullopt;
    }
    if (*v > max) {
      r_.error(n, path.str() + ": " + std::string(n.text()) + " is out of range (" + what +
                      " numbers are 0.." + std::to_string(max) + ")");
      return std::nullopt;
    }
    return static_cast<uint32_t>(*v);
  }

  void read_devices(const YamlNode& node) {
    const YamlPath devices = spec_.key("devices");
    auto f = r_.mapping(node, devices, std::vector<std::string>{"default", "allow", "deny"});
    if (!f) return;
    if (const YamlNode* n = f->get("default"))
      if (auto v = r_.choice(*n, devices.key("default"), {"deny", "allow"}))
        p_.device_default = effect_of(*v);
    // allow and deny are read in file order so rules keep the order they were written in.
    for (const Field& field : f->entries()) {
      if (field.name == "default") continue;
      const YamlPath path = devices.key(field.name);
      auto items = r_.sequence(*field.value, path);
      if (!items) continue;
      p_.devices.reserve(p_.devices.size() + items->size());  // 10,000 rules: no regrowth
      for (size_t i = 0; i < items->size(); ++i)
        read_device_rule(*(*items)[i], path.at(i), effect_of(field.name));
    }
  }

  void read_device_rule(const YamlNode& node, const YamlPath& path, Effect effect) {
    // Key lists built once: this runs for every rule of a 10,000-rule policy.
    static const std::optional<std::vector<std::string>> kKeys{
        {"path", "class", "major", "minor", "access", "audit"}};
    auto f = r_.mapping(node, path, kKeys);
    if (!f) return;
    if (node.is_null()) {
      r_.error(node, path.str() + ": empty device rule");
      return;
    }
    DeviceRule rule;
    rule.effect = effect;
    rule.where = r_.at(node);
    rule.access = IR_ACC_READ | IR_ACC_WRITE;
    bool ok = true;
    if (auto m = read_device_match(*f, path))
      rule.match = std::move(*m);
    else
      ok = false;
    if (const YamlNode* n = f->get("access")) {
      if (auto a = read_access(*n, path.key("access")))
        rule.access = *a;
      else
        ok = false;
    }
    if (const YamlNode* n = f->get("audit")) {
      if (auto a = r_.boolean(*n, path.key("audit")))
        rule.audit = *a;
      else
        ok = false;
    }
    if (ok) p_.devices.push_back(std::move(rule));
  }

  // cgroup device access letters: r, w, m (mknod); "mknod" alone as a word.
  std::optional<uint32_t> read_access(const YamlNode& n, const YamlPath& path) {
    auto text = r_.scalar(n, path);
    if (!text) return std::nullopt;
    if (*text == "mknod") return IR_ACC_MKNOD;
    uint32_t access = 0;
    for (char c : *text) {
      const uint32_t bit = c == 'r'   ? IR_ACC_READ
                           : c == 'w' ? IR_ACC_WRITE
                           : c == 'm' ? IR_ACC_MKNOD
                                      : 0;
      if (!bit || (access & bit)) {
        r_.error(n, path.str() + ": \"" + std::string(*text) +
                        "\" is not an access (letters r for read, w for write, m for mknod, each "
                        "once: r, w, rw, rwm, ... or mknod)");
        return std::nullopt;
      }
      access |= bit;
    }
    return access;
  }

  void read_ioctls(const YamlNode& node) {
    const YamlPath ioctls = spec_.key("ioctls");
    auto f = r_.mapping(node, ioctls, std::vector<std::string>{"default", "allow", "deny"});
    if (!f) return;
    if (const YamlNode* n = f->get("default"))
      if (auto v = r_.choice(*n, ioctls.key("default"), {"deny", "allow"}))
        p_.ioctl_default = effect_of(*v);
    for (const Field& field : f->entries()) {
      if (field.name == "default") continue;
      const YamlPath path = ioctls.key(field.name);
      auto items = r_.sequence(*field.value, path);
      if (!items) continue;
      for (size_t i = 0; i < items->size(); ++i)
        read_ioctl_rule(*(*items)[i], path.at(i), effect_of(field.name));
    }
  }

  void read_ioctl_rule(const YamlNode& node, const YamlPath& path, Effect effect) {
    static const std::optional<std::vector<std::string>> kDeviceKeys{
        {"path", "class", "major", "minor"}};
    static const std::optional<std::vector<std::string>> kKeys{{"device", "cmd", "audit"}};
    auto f = r_.mapping(node, path, kKeys);
    if (!f) return;
    if (node.is_null()) {
      r_.error(node, path.str() + ": empty ioctl rule");
      return;
    }
    bool ok = r_.require(*f, path, {"cmd"});
    IoctlRule base;
    base.effect = effect;
    base.where = r_.at(node);
    if (const YamlNode* d = f->get("device")) {
      if (d->is_scalar()) {
        // A bare path: the common case.
        if (auto p = r_.scalar(*d, path.key("device")); p && p->starts_with("/")) {
          DeviceMatch m;
          m.path = std::string(*p);
          base.device = m;
        } else {
          if (p)
            r_.error(*d, path.key("device").str() + ": \"" + std::string(*p) +
                             "\" is not an absolute path");
          ok = false;
        }
      } else if (auto df = r_.mapping(*d, path.key("device"), kDeviceKeys)) {
        if (auto m = read_device_match(*df, path.key("device")))
          base.device = *m;
        else
          ok = false;
      } else {
        ok = false;
      }
    }
    if (const YamlNode* a = f->get("audit")) {
      if (auto v = r_.boolean(*a, path.key("audit")))
        base.audit = *v;
      else
        ok = false;
    }
    std::vector<IoctlRule> rules;
    if (const YamlNode* c = f->get("cmd")) {
      const YamlPath cmd = path.key("cmd");
      std::vector<std::pair<const YamlNode*, YamlPath>> cmds;  // node, its path
      if (c->is_sequence()) {
        if (c->items().empty()) {
          r_.error(*c, cmd.str() + ": empty list");
          ok = false;
        }
        for (size_t i = 0; i < c->items().size(); ++i) cmds.push_back({c->items()[i], cmd.at(i)});
      } else {
        cmds.push_back({c, cmd});
      }
      for (const auto& [n, cmd_path] : cmds) {
        auto text = r_.scalar(*n, cmd_path);
        if (!text) {
          ok = false;
          continue;
        }
        const auto range = parse_cmd_range(std::string(*text));
        if (const auto* e = std::get_if<std::string>(&range)) {
          r_.error(*n, cmd_path.str() + ": " + *e);
          ok = false;
          continue;
        }
        IoctlRule rule = base;
        rule.lo = std::get<CmdRange>(range).lo;
        rule.hi = std::get<CmdRange>(range).hi;
        // A list entry is its own rule, so an audit record names the exact line.
        if (c->is_sequence()) rule.where = r_.at(*n);
        rules.push_back(std::move(rule));
      }
    }
    if (ok)
      p_.ioctls.insert(p_.ioctls.end(), std::make_move_iterator(rules.begin()),
                       std::make_move_iterator(rules.end()));
  }

  void read_kernel(const YamlNode& node) {
    const YamlPath kernel = spec_.key("kernel");
    auto f = r_.mapping(node, kernel, std::nullopt);
    if (!f) return;
    std::vector<std::string> names;
    for (int i = 0; i < IR_FEAT_COUNT; ++i) names.push_back(feature_name(i));
    for (const Field& field : f->entries()) {
      const std::string key(field.name);
      const auto feature = feature_from_name(key);
      if (!feature) {
        r_.error(*field.key,
                 "unknown kernel feature \"spec.kernel." + key + "\"" + did_you_mean(key, names));
        continue;
      }
      if (auto v = r_.choice(*field.value, kernel.key(field.name), {"deny", "allow"}))
        p_.kernel[*feature] = KernelFeature{effect_of(*v), r_.at(*field.key)};
    }
  }

  void read_audit(const YamlNode& node) {
    const YamlPath audit = spec_.key("audit");
    auto f = r_.mapping(node, audit, std::vector<std::string>{"devices", "denials"});
    if (!f) return;
    if (const YamlNode* n = f->get("devices")) {
      if (auto v = r_.choice(*n, audit.key("devices"), {"none", "rules", "all"}))
        p_.audit.devices = *v == "none"  ? AuditSettings::Devices::None
                           : *v == "all" ? AuditSettings::Devices::All
                                         : AuditSettings::Devices::Rules;
    }
    if (const YamlNode* n = f->get("denials"))
      if (auto v = r_.boolean(*n, audit.key("denials"))) p_.audit.denials = *v;
  }

  YamlReader& r_;
  const YamlPath spec_ = YamlPath().key("spec");
  NamespacePolicy p_;
};

}  // namespace

NamespacePolicy read_policy(YamlReader& r, const YamlNode& document) {
  PolicyReader reader(r);
  reader.read(document);
  return reader.take();
}

}  // namespace ireactor::policy
