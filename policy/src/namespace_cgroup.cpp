#include "ireactor/policy/namespace_cgroup.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace ireactor::policy {

namespace fs = std::filesystem;

namespace {

struct MountEntry {
  std::string mount_point;
  std::string fs_type;
};

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      const std::string oct = s.substr(i + 1, 3);
      if (oct.find_first_not_of("01234567") == std::string::npos) {
        out += static_cast<char>(std::stoi(oct, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE ...".
std::vector<MountEntry> read_mounts() {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) throw std::runtime_error("cannot read /proc/self/mountinfo");
  std::vector<MountEntry> mounts;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    size_t dash = 6;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (f.size() < 5 || dash + 1 >= f.size()) continue;
    mounts.push_back({unescape(f[4]), f[dash + 1]});
  }
  return mounts;
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

fs::path cgroup2_mount() {
  const std::vector<MountEntry> mounts = read_mounts();
  bool sys_fs_cgroup_mounted = false;
  for (const MountEntry& m : mounts) {
    if (m.fs_type == "cgroup2") return m.mount_point;
    if (m.mount_point == "/sys/fs/cgroup") sys_fs_cgroup_mounted = true;
  }
  // A hybrid (cgroup v1) layout owns /sys/fs/cgroup; the unified tree goes below it then.
  const fs::path target = sys_fs_cgroup_mounted ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
  std::error_code ec;
  fs::create_directories(target, ec);
  if (::mount("cgroup2", target.c_str(), "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    throw std::runtime_error("cgroup2 is not mounted and mounting it on " + target.string() +
                             " failed: " + std::generic_category().message(errno));
  return target;
}

std::vector<fs::path> cgroup_mounts() {
  std::vector<fs::path> out;
  for (const MountEntry& m : read_mounts())
    if (m.fs_type == "cgroup2" || m.fs_type == "cgroup") out.push_back(m.mount_point);
  return out;
}

fs::path namespace_cgroup_dir(const HostPaths& paths, const std::string& ns) {
  return cgroup2_mount() / paths.cgroup_parent / ns;
}

fs::path ensure_namespace_cgroup(const HostPaths& paths, const std::string& ns) {
  const fs::path dir = namespace_cgroup_dir(paths, ns);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::system_error(ec, "create cgroup " + dir.string());
  return dir;
}

uint64_t cgroup_id(const fs::path& cgroup_dir) {
  // cgroup2 is kernfs: a directory's inode number is its kernfs node id, which is what
  // bpf_get_current_cgroup_id() returns on 64-bit kernels.
  struct stat st {};
  if (::stat(cgroup_dir.c_str(), &st) != 0) throw_errno("stat " + cgroup_dir.string());
  return st.st_ino;
}

namespace {

// The calling process's cgroup v2 directory ("0::/path" of /proc/self/cgroup), or empty.
fs::path current_cgroup_dir() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("0::/", 0) == 0) return cgroup2_mount() / line.substr(4);
  return {};
}

}  // namespace

void join_cgroup(const fs::path& cgroup_dir) {
  std::error_code ec;
  const fs::path current = current_cgroup_dir();
  if (!current.empty() && fs::equivalent(current, cgroup_dir, ec)) return;
  const fs::path procs = cgroup_dir / "cgroup.procs";
  const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw_errno("open " + procs.string());
  // "0" is the writer itself; cgroup.procs moves the whole thread group.
  const ssize_t n = ::write(fd, "0", 1);
  const int err = errno;
  ::close(fd);
  if (n != 1) throw std::system_error(err, std::generic_category(), "join " + cgroup_dir.string());
}

bool remove_namespace_cgroup(const HostPaths& paths, const std::string& ns) {
  const fs::path dir = namespace_cgroup_dir(paths, ns);
  if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return true;
  if (errno == EBUSY) return false;
  throw_errno("remove cgroup " + dir.string());
}

}  // namespace ireactor::policy
