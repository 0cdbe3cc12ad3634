#include "device_keys.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ireactor::policy {

std::string DevKey::str() const {
  std::string s = type == IR_DEV_BLOCK ? "block " : "char ";
  s += major == IR_ANY_MAJOR ? "*" : std::to_string(major);
  s += ":";
  s += minor == IR_ANY_MINOR ? "*" : std::to_string(minor);
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

std::vector<DevKey> keys_for(const std::optional<DeviceMatch>& match) {
  if (!match) return {DevKey{IR_DEV_CHAR}, DevKey{IR_DEV_BLOCK}};
  if (match->path) {
    const ResolvedPath r = resolve_device_path(*match->path);
    if (r.key) return {*r.key};
    return {};
  }
  DevKey k;
  k.type = match->dev_class == DeviceMatch::Class::Block ? IR_DEV_BLOCK : IR_DEV_CHAR;
  if (match->major) k.major = *match->major;
  if (match->major && match->minor) k.minor = *match->minor;
  return {k};
}

std::string match_text(const std::optional<DeviceMatch>& match) {
  if (!match) return "any device";
  if (match->path) return *match->path;
  DevKey k = keys_for(match).front();
  if (!match->major) return k.type == IR_DEV_BLOCK ? "block *" : "char *";
  return k.str();
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
