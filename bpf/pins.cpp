#include "pins.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <vector>
#include <stdexcept>
#include <string>

#include "libbpf_log.h"
#include "scoped_fd.h"

namespace fs = std::filesystem;

namespace ireactor::guard {
namespace {

bool on_bpffs(const fs::path& p) {
  struct statfs st {};
  return statfs(p.c_str(), &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

// A program as loaded: its instructions (the tag ignores map addresses), the maps it writes
// and reads, and the content of its read-only data (.rodata: constants, switch tables), a map
// that each load creates anew and so is compared by content, not id.
struct ProgIdentity {
  bpf_prog_type type{};
  std::vector<uint8_t> tag;
  std::vector<uint32_t> map_ids;                // sorted
  std::vector<std::vector<uint8_t>> constants;  // sorted
  bool operator==(const ProgIdentity&) const = default;
};

// Adds map `id` to the identity: its content when it is frozen read-only data, else its id.
bool add_map(uint32_t id, ProgIdentity& identity) {
  ScopedFd map(bpf_map_get_fd_by_id(id));
  if (map.fd < 0) return false;
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_map_get_info_by_fd(map.fd, &info, &len) != 0) return false;
  if (info.type == BPF_MAP_TYPE_ARRAY && info.max_entries == 1 &&
      (info.map_flags & BPF_F_RDONLY_PROG)) {
    std::vector<uint8_t> value(info.value_size);
    uint32_t key = 0;
    if (bpf_map_lookup_elem(map.fd, &key, value.data()) != 0) return false;
    identity.constants.push_back(std::move(value));
  } else {
    identity.map_ids.push_back(id);
  }
  return true;
}

std::optional<ProgIdentity> identity(int prog_fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  if (bpf_prog_get_info_by_fd(prog_fd, &info, &len) != 0) return std::nullopt;
  std::vector<uint32_t> ids(info.nr_map_ids);
  const uint32_t nr = info.nr_map_ids;
  info = {};
  info.nr_map_ids = nr;
  info.map_ids = reinterpret_cast<uint64_t>(ids.data());
  len = sizeof(info);
  if (bpf_prog_get_info_by_fd(prog_fd, &info, &len) != 0) return std::nullopt;
  ids.resize(std::min(nr, info.nr_map_ids));
  ProgIdentity id{static_cast<bpf_prog_type>(info.type),
                  std::vector<uint8_t>(info.tag, info.tag + sizeof(info.tag)),
                  {},
                  {}};
  for (uint32_t map : ids)
    if (!add_map(map, id)) return std::nullopt;
  std::sort(id.map_ids.begin(), id.map_ids.end());
  std::sort(id.constants.begin(), id.constants.end());
  return id;
}

}  // namespace

bool pinned_link_runs(const fs::path& path, int prog_fd) {
  ScopedFd link(bpf_obj_get(path.c_str()));
  if (link.fd < 0) return false;
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  if (bpf_link_get_info_by_fd(link.fd, &info, &len) != 0) return false;
  ScopedFd pinned_prog(bpf_prog_get_fd_by_id(info.prog_id));
  if (pinned_prog.fd < 0) return false;
  auto a = identity(pinned_prog.fd), b = identity(prog_fd);
  return a && b && *a == *b;
}

void ensure_bpffs_dir(const fs::path& dir) {
  fs::path existing = dir;
  while (!existing.empty() && !fs::exists(existing)) existing = existing.parent_path();
  if (!on_bpffs(existing)) {
    if (existing != "/sys/fs/bpf" || dir.string().rfind("/sys/fs/bpf/", 0) != 0)
      throw std::runtime_error(dir.string() + ": not on a bpf filesystem");
    if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") != 0)
      throw std::runtime_error("mount bpffs at /sys/fs/bpf: " + errno_text(errno));
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": " + ec.message());
  chmod(dir.c_str(), 0700);
}

void pin_link_replacing(bpf_link* link, const fs::path& path) {
  LibbpfLog log;
  if (!fs::exists(path)) {
    if (int err = bpf_link__pin(link, path.c_str())) log.fail("pin " + path.string(), err);
    return;
  }
  // Not "<name>.new": bpffs refuses names with dots.
  const fs::path staged = path.parent_path() / ("staged_" + path.filename().string());
  unlink(staged.c_str());
  if (int err = bpf_link__pin(link, staged.c_str())) log.fail("pin " + staged.string(), err);
  // rename(2) replaces the old pin atomically; the old link is released once nothing holds it.
  if (rename(staged.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(staged.c_str());
    throw std::runtime_error("replace pin " + path.string() + ": " + errno_text(err));
  }
}

void attach_cgroup_pinned(bpf_program* prog, const fs::path& cgroup_dir, const fs::path& path) {
  LibbpfLog log;
  struct stat cg {};
  if (stat(cgroup_dir.c_str(), &cg) != 0)
    throw std::runtime_error(cgroup_dir.string() + ": " + errno_text(errno));
  const uint64_t cgroup_id = cg.st_ino;  // cgroup2: the directory's inode is the cgroup id
  const int prog_fd = bpf_program__fd(prog);

  if (fs::exists(path)) {
    ScopedFd pinned(bpf_obj_get(path.c_str()));
    bpf_link_info info{};
    uint32_t len = sizeof(info);
    if (pinned.fd >= 0 && bpf_link_get_info_by_fd(pinned.fd, &info, &len) == 0 &&
        info.type == BPF_LINK_TYPE_CGROUP && info.cgroup.cgroup_id == cgroup_id) {
      bpf_prog_info pinfo{};
      uint32_t plen = sizeof(pinfo);
      if (bpf_prog_get_info_by_fd(prog_fd, &pinfo, &plen) == 0 && pinfo.id == info.prog_id) return;
      if (int err = bpf_link_update(pinned.fd, prog_fd, nullptr))
        log.fail("update " + path.string(), err);
      return;
    }
    // Stale: its cgroup was removed (the link is defunct) or the pin is not ours to keep.
    if (pinned.fd >= 0) bpf_link_detach(pinned.fd);
    unlink(path.c_str());
  }

  ScopedFd cgroup_fd(open(cgroup_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (cgroup_fd.fd < 0) throw std::runtime_error(cgroup_dir.string() + ": " + errno_text(errno));
  bpf_link* link = bpf_program__attach_cgroup(prog, cgroup_fd.fd);
  if (!link)
    log.fail(std::string("attach ") + bpf_program__name(prog) + " to " + cgroup_dir.string(),
             -errno);
  int err = bpf_link__pin(link, path.c_str());
  if (err) {
    bpf_link__destroy(link);
    log.fail("pin " + path.string(), err);
  }
  bpf_link__destroy(link);  // closes our fd; the pin keeps the link attached
}

void detach_pinned_link(const fs::path& path) {
  ScopedFd pinned(bpf_obj_get(path.c_str()));
  if (pinned.fd < 0 && errno == ENOENT) return;
  // Cgroup links detach at once; tracing links refuse (EOPNOTSUPP) and go with their last
  // reference, the pin removed below.
  if (pinned.fd >= 0) bpf_link_detach(pinned.fd);
  if (unlink(path.c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("unpin " + path.string() + ": " + errno_text(errno));
}

}  // namespace ireactor::guard
