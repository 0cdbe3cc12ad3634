#include "ntgate_hotpath.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string_view>

#include "libbpf_log.h"
#include "nt_hotpath_abi.h"
#include "nt_hotpath_bpf.skel.h"
#include "nt_numbering.h"
#include "numbering_map.h"
#include "pins.h"
#include "scoped_fd.h"
#include "struct_ops_value.h"

namespace fs = std::filesystem;

namespace ireactor::kmod {
namespace {

using guard::errno_text;
using guard::LibbpfLog;
using guard::ScopedFd;

struct SkelDeleter {
  void operator()(nt_hotpath_bpf* s) const { nt_hotpath_bpf__destroy(s); }
};
using Skel = std::unique_ptr<nt_hotpath_bpf, SkelDeleter>;

// One implementation of the object: its struct_ops map and the program behind `call`.
struct Implementation {
  bpf_map* map = nullptr;
  bpf_program* call = nullptr;
};

Implementation implementation_of(nt_hotpath_bpf* s, const std::string& name) {
  if (name == NT_HOTPATH_IMPL_A) return {s->maps.hotpath, s->progs.hotpath_call};
  if (name == NT_HOTPATH_IMPL_B) return {s->maps.hotpath_b, s->progs.hotpath_b_call};
  throw std::invalid_argument("unknown implementation " + name + " (hotpath, hotpath_b)");
}

uint32_t served_id(std::string_view name) {
  const std::optional<uint16_t> id = service_id(name);
  if (!id) throw std::runtime_error("no service id for " + std::string(name));
  return *id;
}

void set_constants(decltype(nt_hotpath_bpf::rodata) ro) {
  ro->svc_read_file = served_id("NtReadFile");
  ro->svc_write_file = served_id("NtWriteFile");
  ro->svc_query_information_file = served_id("NtQueryInformationFile");
  ro->svc_query_performance_counter = served_id("NtQueryPerformanceCounter");
  ro->svc_yield_execution = served_id("NtYieldExecution");
  ro->svc_delay_execution = served_id("NtDelayExecution");
  // The numbering map's build slots (nt_hotpath_abi.h); write_numbering refuses too many.
  const std::vector<uint32_t> builds = numbering_builds();
  for (size_t slot = 0; slot < builds.size() && slot < NT_NUMBERING_MAX_BUILDS; ++slot)
    ro->numbering_builds[slot] = builds[slot];
}

// Whether the map behind `fd` is what the object declares as nt_numbering (a pin left by
// another version may not be).
bool numbering_compatible(int fd, const bpf_map* want) {
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_map_get_info_by_fd(fd, &info, &len) != 0) return false;
  return info.type == static_cast<uint32_t>(bpf_map__type(want)) &&
         info.key_size == bpf_map__key_size(want) && info.value_size == bpf_map__value_size(want) &&
         info.max_entries == bpf_map__max_entries(want) &&
         info.map_flags == bpf_map__map_flags(want);
}

// A loaded object: the implementation chosen, and whether its numbering map is a new one
// (to pin once the link runs it) rather than the pinned one.
struct Loaded {
  Skel skel;
  Implementation chosen;
  bool new_numbering = false;
};

// Opens the object with only `name`'s implementation to load and loads it on the pinned
// numbering map when that map was written for programs with our service ids (else on a new
// one: rewriting it in place would misroute the calls of the programs attached now), and fills
// that map.
Loaded load(const HotpathPins& pins, const std::string& name) {
  LibbpfLog log;
  Loaded l;
  l.skel.reset(nt_hotpath_bpf__open());
  if (!l.skel) log.fail("open the hot path's BPF object", -errno);
  nt_hotpath_bpf* s = l.skel.get();
  l.chosen = implementation_of(s, name);
  for (const std::string& other : implementations()) {
    if (other == name) continue;
    const Implementation impl = implementation_of(s, other);
    bpf_map__set_autocreate(impl.map, false);
    bpf_program__set_autoload(impl.call, false);
  }
  set_constants(s->rodata);

  ScopedFd pinned(bpf_obj_get(pins.numbering.c_str()));
  if (pinned.fd >= 0 && numbering_compatible(pinned.fd, s->maps.nt_numbering) &&
      numbering_is_ours(pinned.fd)) {
    if (int err = bpf_map__reuse_fd(s->maps.nt_numbering, pinned.fd))
      log.fail("reuse " + pins.numbering.string(), err);
  } else {
    l.new_numbering = true;
  }
  if (int err = nt_hotpath_bpf__load(s))
    log.fail("load the hot path's BPF programs (is ntgate.ko loaded?)", err);
  write_numbering(bpf_map__fd(s->maps.nt_numbering));
  return l;
}

// Pins the new numbering map of `l` in place of the pinned one (rename(2): atomic), once the
// link runs its programs. The programs it replaced keep the old map until they go.
void pin_new_numbering(const Loaded& l, const HotpathPins& pins) {
  if (!l.new_numbering) return;
  // Not "<name>.new": bpffs refuses names with dots.
  const fs::path staged = pins.dir / ("staged_" + pins.numbering.filename().string());
  unlink(staged.c_str());
  if (int err = bpf_obj_pin(bpf_map__fd(l.skel->maps.nt_numbering), staged.c_str()))
    throw std::runtime_error("pin " + staged.string() + ": " + errno_text(err));
  if (rename(staged.c_str(), pins.numbering.c_str()) != 0) {
    const int err = errno;
    unlink(staged.c_str());
    throw std::runtime_error("pin " + pins.numbering.string() + ": " + errno_text(err));
  }
}

std::string map_name(uint32_t map_id) {
  ScopedFd map(bpf_map_get_fd_by_id(map_id));
  if (map.fd < 0) return {};
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_map_get_info_by_fd(map.fd, &info, &len) != 0) return {};
  return info.name;
}

}  // namespace

const std::vector<std::string>& implementations() {
  static const std::vector<std::string> names = {NT_HOTPATH_IMPL_A, NT_HOTPATH_IMPL_B};
  return names;
}

const std::string& default_implementation() {
  return implementations().front();
}

HotpathPins::HotpathPins(const fs::path& bpffs_dir)
    : dir(bpffs_dir / NT_HOTPATH_PIN_DIR),
      numbering(dir / NT_HOTPATH_NUMBERING_PIN),
      link(dir / NT_HOTPATH_LINK_PIN) {}

std::optional<PinnedLink> pinned_link(const fs::path& bpffs_dir) {
  const HotpathPins pins(bpffs_dir);
  ScopedFd link(bpf_obj_get(pins.link.c_str()));
  if (link.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("open " + pins.link.string() + ": " + errno_text(errno));
  }
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  if (int err = bpf_link_get_info_by_fd(link.fd, &info, &len))
    throw std::runtime_error("link info of " + pins.link.string() + ": " + errno_text(err));
  if (info.type != BPF_LINK_TYPE_STRUCT_OPS)
    throw std::runtime_error(pins.link.string() + " is not a struct_ops link");
  PinnedLink out;
  out.link_id = info.id;
  out.map_id = info.struct_ops.map_id;
  if (out.map_id) out.implementation = map_name(out.map_id);
  return out;
}

void attach(const fs::path& bpffs_dir, const std::string& implementation) {
  const HotpathPins pins(bpffs_dir);
  if (const std::optional<PinnedLink> pinned = pinned_link(bpffs_dir)) {
    if (pinned->map_id)
      throw AlreadyAttached("implementation " + pinned->implementation +
                            " is attached already (link pinned at " + pins.link.string() + ")");
    unlink(pins.link.c_str());  // a link detached by other means: nothing left to keep
  }
  guard::ensure_bpffs_dir(pins.dir);
  const Loaded loaded = load(pins, implementation);

  LibbpfLog log;
  bpf_link* link = bpf_map__attach_struct_ops(loaded.chosen.map);
  if (!link) {
    const int err = -errno;
    if (err == -EEXIST)
      throw AlreadyAttached("ntgate.ko has an implementation attached already, not through " +
                            pins.link.string());
    log.fail("attach " + implementation, err);
  }
  if (int err = bpf_link__pin(link, pins.link.c_str())) {
    bpf_link__destroy(link);  // detaches
    log.fail("pin " + pins.link.string(), err);
  }
  bpf_link__disconnect(link);  // the pin keeps it attached
  bpf_link__destroy(link);
  pin_new_numbering(loaded, pins);
}

std::string replace(const fs::path& bpffs_dir, const std::string& implementation) {
  const HotpathPins pins(bpffs_dir);
  const std::optional<PinnedLink> pinned = pinned_link(bpffs_dir);
  if (!pinned || !pinned->map_id)
    throw NotAttached("nothing attached (no live link pinned at " + pins.link.string() +
                      "): use `ireactor kmod attach`");
  std::string target = implementation;
  if (target.empty())
    target = pinned->implementation == NT_HOTPATH_IMPL_A ? NT_HOTPATH_IMPL_B : NT_HOTPATH_IMPL_A;

  const Loaded loaded = load(pins, target);
  set_struct_ops_value(loaded.chosen.map, bpf_program__fd(loaded.chosen.call), target);

  ScopedFd link(bpf_obj_get(pins.link.c_str()));
  ScopedFd old_map(bpf_map_get_fd_by_id(pinned->map_id));
  if (link.fd < 0 || old_map.fd < 0)
    throw NotAttached("the implementation attached at " + pins.link.string() +
                      " went away meanwhile");
  // BPF_F_REPLACE: only if the link still runs the map we read, so two replacements at once
  // cannot silently undo one another.
  LIBBPF_OPTS(bpf_link_update_opts, opts, .flags = BPF_F_REPLACE,
              .old_map_fd = static_cast<uint32_t>(old_map.fd));
  if (int err = bpf_link_update(link.fd, bpf_map__fd(loaded.chosen.map), &opts)) {
    if (err == -EPERM)
      throw std::runtime_error("the attached implementation changed meanwhile; try again");
    throw std::runtime_error("switch " + pins.link.string() + " to " + target + ": " +
                             errno_text(err));
  }
  pin_new_numbering(loaded, pins);
  return target;
}

void detach(const fs::path& bpffs_dir) {
  const HotpathPins pins(bpffs_dir);
  ScopedFd link(bpf_obj_get(pins.link.c_str()));
  if (link.fd < 0) {
    if (errno == ENOENT)
      throw NotAttached("nothing attached (no link pinned at " + pins.link.string() + ")");
    throw std::runtime_error("open " + pins.link.string() + ": " + errno_text(errno));
  }
  // Detach now rather than when the last reference goes (a process may hold the link open).
  if (int err = bpf_link_detach(link.fd); err && err != -EOPNOTSUPP && err != -ENOLINK)
    throw std::runtime_error("detach " + pins.link.string() + ": " + errno_text(err));
  if (unlink(pins.link.c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("unpin " + pins.link.string() + ": " + errno_text(errno));
}

std::optional<NumberingRefresh> refresh_pinned_numbering(const fs::path& bpffs_dir) {
  const HotpathPins pins(bpffs_dir);
  ScopedFd map(bpf_obj_get(pins.numbering.c_str()));
  if (map.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("open " + pins.numbering.string() + ": " + errno_text(errno));
  }
  NumberingRefresh out;
  const std::optional<PinnedLink> link = pinned_link(bpffs_dir);
  if (numbering_is_ours(map.fd) || !link || !link->map_id) {
    if (!numbering_layout_ok(map.fd)) {
      // An older release's map that nothing runs on: the next attach pins one of ours.
      if (unlink(pins.numbering.c_str()) != 0 && errno != ENOENT)
        throw std::runtime_error("unpin " + pins.numbering.string() + ": " + errno_text(errno));
      return std::nullopt;
    }
    out.entries = write_numbering(map.fd);
    return out;
  }
  // Programs with other service ids run on this map: swap in ours with a map of their own.
  const std::vector<std::string>& known = implementations();
  const bool known_name =
      std::find(known.begin(), known.end(), link->implementation) != known.end();
  out.reloaded = replace(bpffs_dir, known_name ? link->implementation : default_implementation());
  out.entries = numbering_entries().size();
  return out;
}

std::optional<size_t> pinned_numbering_size(const fs::path& bpffs_dir) {
  const HotpathPins pins(bpffs_dir);
  ScopedFd map(bpf_obj_get(pins.numbering.c_str()));
  if (map.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("open " + pins.numbering.string() + ": " + errno_text(errno));
  }
  return count_numbering(map.fd);
}

}  // namespace ireactor::kmod
