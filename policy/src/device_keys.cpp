#include "device_keys.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ireactor::policy {

namespace {

void append_number(std::string& s, uint32_t v) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  s.append(digits, end);
}

}  // namespace

std::string DevKey::str() const {
  // Built in place: every rule of a policy is spelt once per compilation (rule_text.h).
  std::string s = type == IR_DEV_BLOCK ? "block " : "char ";
  if (major == IR_ANY_MAJOR)
    s += '*';
  else
    append_number(s, major);
  s += ':';
  if (minor == IR_ANY_MINOR)
    s += '*';
  else
    append_number(s, minor);
  return s;
}

ResolvedPath resolve_device_path(const std::string& path) {
  ResolvedPath r;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const bool missing = errno == ENOENT || errno == ENOTDIR;
    r.problem = missing ? ResolvedPath::Problem::Missing : ResolvedPath::Problem::Unreadable;
    r.why = missing ? path + " does not exist on this host"
                    : "cannot stat " + path + ": " + std::strerror(errno);
    return r;
  }
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
    r.problem = ResolvedPath::Problem::NotDevice;
    r.why = path + " is not a device node";
    return r;
  }
  r.key = DevKey{S_ISBLK(st.st_mode) ? IR_DEV_BLOCK : IR_DEV_CHAR, ::major(st.st_rdev),
                 ::minor(st.st_rdev)};
  return r;
}

DevKey class_key(const DeviceMatch& match) {
  DevKey k;
  k.type = match.dev_class == DeviceMatch::Class::Block ? IR_DEV_BLOCK : IR_DEV_CHAR;
  if (match.major) k.major = *match.major;
  if (match.major && match.minor) k.minor = *match.minor;
  return k;
}

std::vector<DevKey> keys_for(const std::optional<DeviceMatch>& match) {
  if (!match) return {DevKey{IR_DEV_CHAR}, DevKey{IR_DEV_BLOCK}};
  if (match->path) {
    const ResolvedPath r = resolve_device_path(*match->path);
    if (r.key) return {*r.key};
    return {};
  }
  return {class_key(*match)};
}

std::string match_text(const DeviceMatch& match) {
  if (match.path) return *match.path;
  const DevKey k = class_key(match);
  if (!match.major) return k.type == IR_DEV_BLOCK ? "block *" : "char *";
  return k.str();
}

std::string match_text(const std::optional<DeviceMatch>& match) {
  return match ? match_text(*match) : "any device";
}

std::string access_text(uint32_t access) {
  std::string s;
  if (access & IR_ACC_READ) s += 'r';
  if (access & IR_ACC_WRITE) s += 'w';
  if (access & IR_ACC_MKNOD) s += 'm';
  return s;
}

bool key_matches(const DevKey& pattern, const DevKey& node) {
  return pattern.type == node.type &&
         (pattern.major == IR_ANY_MAJOR || pattern.major == node.major) &&
         (pattern.minor == IR_ANY_MINOR || pattern.minor == node.minor);
}

std::vector<DeviceNode> device_nodes(const std::string& root) {
  namespace fs = std::filesystem;
  std::vector<DeviceNode> nodes;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) continue;
    nodes.push_back({it->path().string(), DevKey{S_ISBLK(st.st_mode) ? IR_DEV_BLOCK : IR_DEV_CHAR,
                                                 ::major(st.st_rdev), ::minor(st.st_rdev)}});
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const DeviceNode& a, const DeviceNode& b) { return a.path < b.path; });
  return nodes;
}

}  // namespace ireactor::policy
