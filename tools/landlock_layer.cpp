#include "landlock_layer.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>
#include <system_error>

namespace ireactor::cli {

namespace fs = std::filesystem;

namespace {

// Everything that changes a file or a directory's entries.
constexpr uint64_t kWriteAccess =
    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
    LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE;
// The subset a rule on a file (not a directory) may carry.
constexpr uint64_t kFileWriteAccess = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
constexpr int kIoctlAbi = 5;     // LANDLOCK_ACCESS_FS_IOCTL_DEV
constexpr int kTruncateAbi = 3;  // LANDLOCK_ACCESS_FS_TRUNCATE (REFER came with 2)

struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

int landlock_abi() {
  const long v = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return v < 0 ? 0 : static_cast<int>(v);
}

class Ruleset {
 public:
  explicit Ruleset(uint64_t handled) : handled_(handled) {
    landlock_ruleset_attr attr{};
    attr.handled_access_fs = handled;
    fd_ = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "landlock_create_ruleset");
  }
  ~Ruleset() { close(fd_); }
  Ruleset(const Ruleset&) = delete;

  // Grants `access` beneath the file or directory open as parent_fd (O_PATH).
  void allow(int parent_fd, uint64_t access, const fs::path& what) {
    landlock_path_beneath_attr attr{};
    attr.allowed_access = access & handled_;
    attr.parent_fd = parent_fd;
    if (attr.allowed_access == 0) return;
    if (syscall(SYS_landlock_add_rule, fd_, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) != 0)
      throw std::system_error(errno, std::generic_category(), "landlock_add_rule " + what.string());
  }

  void restrict_self() {
    // Landlock wants no_new_privs from an unprivileged caller; the seccomp layer sets it too.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
      throw std::system_error(errno, std::generic_category(), "PR_SET_NO_NEW_PRIVS");
    if (syscall(SYS_landlock_restrict_self, fd_, 0) != 0)
      throw std::system_error(errno, std::generic_category(), "landlock_restrict_self");
  }

 private:
  uint64_t handled_;
  int fd_ = -1;
};

bool is_within(const fs::path& p, const fs::path& dir) {
  auto [d, q] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
  return d == dir.end();
}

bool within_any(const fs::path& p, const std::vector<fs::path>& dirs) {
  for (const fs::path& d : dirs)
    if (is_within(p, d)) return true;
  return false;
}

std::vector<fs::path> canonical_dirs(const std::vector<fs::path>& dirs, const std::string& what,
                                     std::vector<std::string>& notes) {
  std::vector<fs::path> out;
  for (const fs::path& d : dirs) {
    std::error_code ec;
    fs::path c = fs::canonical(d, ec);
    if (ec)
      notes.push_back(what + " " + d.string() + ": " + ec.message());
    else
      out.push_back(c);
  }
  return out;
}

// Landlock only grants: "no writes beneath R" becomes "writes everywhere except R": every entry
// of every directory on the way from / to R, other than the one leading to R, gets the write
// rights. The directories on the way themselves accept no new entries (they lie outside every
// drive). Writable drives get their own grant, in case one lies inside a read-only drive.
void grant_writes_around(Ruleset& rs, const std::vector<fs::path>& read_only,
                         const std::vector<fs::path>& writable, std::vector<std::string>& notes) {
  std::set<fs::path> on_the_way;  // read-only dirs and all their ancestors: never granted
  std::set<fs::path> to_list;     // ancestors whose other entries are granted
  for (const fs::path& r : read_only) {
    on_the_way.insert(r);
    for (fs::path a = r.parent_path();; a = a.parent_path()) {
      on_the_way.insert(a);
      if (!within_any(a, read_only)) to_list.insert(a);
      if (a == a.root_path()) break;
    }
  }
  for (const fs::path& dir : to_list) {
    Fd dfd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    DIR* d = dfd.fd >= 0 ? fdopendir(dup(dfd.fd)) : nullptr;
    if (!d) {
      notes.push_back("cannot list " + dir.string() + " (" + std::strerror(errno) +
                      "): nothing beneath it is writable");
      continue;
    }
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name == "." || name == ".." || on_the_way.count(dir / name)) continue;
      struct stat st;
      if (fstatat(dfd.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISLNK(st.st_mode))
        continue;  // a link's target is checked where it lies
      Fd entry(openat(dfd.fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
      if (entry.fd < 0) continue;
      rs.allow(entry.fd, S_ISDIR(st.st_mode) ? kWriteAccess : kFileWriteAccess, dir / name);
    }
    closedir(d);
  }
  for (const fs::path& w : writable) {
    Fd fd(open(w.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (fd.fd >= 0) rs.allow(fd.fd, kWriteAccess, w);
  }
}

}  // namespace

LandlockOutcome install_landlock(const LandlockRequest& request) {
  LandlockOutcome out;
  out.abi = landlock_abi();
  const bool want_ioctl = request.restrict_device_ioctls;
  if (!want_ioctl && request.read_only_dirs.empty() && request.fenced_dirs.empty()) return out;
  if (out.abi == 0) {
    out.notes.push_back(
        "the kernel has no Landlock: device ioctls, read-only drives and the cgroup mounts are "
        "not restricted at process start");
    return out;
  }

  uint64_t handled = 0;
  if (want_ioctl) {
    if (out.abi >= kIoctlAbi)
      handled |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    else
      out.notes.push_back("Landlock ABI " + std::to_string(out.abi) +
                          " cannot restrict device ioctls (ABI 5 can): not restricted");
  }

  const std::vector<fs::path> writable =
      canonical_dirs(request.writable_dirs, "writable drive", out.notes);
  // A writable drive's grant covers everything beneath it: what lies there stays writable.
  auto outside_writable = [&](const std::vector<fs::path>& dirs, const std::string& what,
                              const std::string& consequence) {
    std::vector<fs::path> kept;
    for (const fs::path& d : canonical_dirs(dirs, what, out.notes)) {
      if (within_any(d, writable))
        out.notes.push_back(what + " " + d.string() +
                            " lies inside a writable drive: " + consequence);
      else
        kept.push_back(d);
    }
    return kept;
  };
  const std::vector<fs::path> read_only =
      outside_writable(request.read_only_dirs, "read-only drive", "only ntcore keeps it read-only");
  const std::vector<fs::path> fenced =
      outside_writable(request.fenced_dirs, "cgroup mount", "the namespace may write beneath it");
  if (!read_only.empty() || !fenced.empty()) {
    if (out.abi >= kTruncateAbi)
      handled |= kWriteAccess;
    else
      out.notes.push_back("Landlock ABI " + std::to_string(out.abi) +
                          " cannot keep directories read-only (ABI 3 can): read-only drives are "
                          "kept by ntcore only, the cgroup mounts not at all");
  }
  if (handled == 0) return out;

  Ruleset rs(handled);
  if (handled & LANDLOCK_ACCESS_FS_IOCTL_DEV) {
    for (const fs::path& dev : request.ioctl_devices) {
      Fd fd(open(dev.c_str(), O_PATH | O_CLOEXEC));
      if (fd.fd < 0) {
        out.notes.push_back("ioctl device " + dev.string() + ": " + std::strerror(errno));
        continue;
      }
      rs.allow(fd.fd, LANDLOCK_ACCESS_FS_IOCTL_DEV, dev);
    }
    out.ioctls_restricted = true;
  }
  if (handled & LANDLOCK_ACCESS_FS_WRITE_FILE) {
    std::vector<fs::path> no_writes = read_only;
    no_writes.insert(no_writes.end(), fenced.begin(), fenced.end());
    grant_writes_around(rs, no_writes, writable, out.notes);
    out.read_only_enforced = read_only;
    out.fenced = fenced;
  }
  rs.restrict_self();
  return out;
}

}  // namespace ireactor::cli
