#include "trace.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "libbpf_log.h"
#include "pins.h"
#include "scoped_fd.h"
#include "trace_bpf.skel.h"

namespace fs = std::filesystem;
using ireactor::guard::errno_text;
using ireactor::guard::LibbpfLog;

namespace ireactor::trace {
namespace {

constexpr const char* kStatsPin = "trace_stats";
constexpr std::string_view kLinkPinPrefix = "trace_link_";

uint32_t prog_id(int prog_fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  if (int err = bpf_prog_get_info_by_fd(prog_fd, &info, &len))
    throw std::runtime_error("read the trace program's id: " + errno_text(err));
  return info.id;
}

// libbpf's USDT link is a userspace bundle of kernel links (one uprobe_multi link, or one
// perf-event link per probe site) with no fd of its own, so it cannot be pinned: pin the kernel
// links that run `prog` instead, found by walking the kernel's links.
int pin_kernel_links(bpf_program* prog, const fs::path& dir) {
  const uint32_t want = prog_id(bpf_program__fd(prog));
  int pinned = 0;
  uint32_t id = 0;
  while (bpf_link_get_next_id(id, &id) == 0) {
    guard::ScopedFd link{bpf_link_get_fd_by_id(id)};
    if (link.fd < 0) continue;  // gone meanwhile
    bpf_link_info info{};
    uint32_t len = sizeof(info);
    if (bpf_link_get_info_by_fd(link.fd, &info, &len) || info.prog_id != want) continue;
    const fs::path pin = dir / (std::string(kLinkPinPrefix) + bpf_program__name(prog) + "_" +
                                std::to_string(pinned));
    if (int err = bpf_obj_pin(link.fd, pin.c_str()))
      throw std::runtime_error("pin " + pin.string() + ": " + errno_text(err));
    ++pinned;
  }
  return pinned;
}

}  // namespace

bool attached(const fs::path& bpffs_dir) {
  return access((bpffs_dir / kStatsPin).c_str(), F_OK) == 0;
}

void attach(const fs::path& bpffs_dir, const fs::path& binary) {
  if (attached(bpffs_dir)) return;
  guard::ensure_bpffs_dir(bpffs_dir);
  LibbpfLog log;
  LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = bpffs_dir.c_str());
  struct Skel {
    trace_bpf* s = nullptr;
    ~Skel() { trace_bpf__destroy(s); }  // the pinned links keep the programs running
  } skel{trace_bpf__open_opts(&opts)};
  if (!skel.s) log.fail("open the tracer's BPF object", -errno);
  if (int err = trace_bpf__load(skel.s)) log.fail("load the tracer's BPF programs", err);

  const std::string path = fs::absolute(binary).string();
  try {
    for (auto [prog, probe] : {std::pair{skel.s->progs.nt_enter, "nt_enter"},
                               std::pair{skel.s->progs.nt_exit, "nt_exit"}}) {
      bpf_link* link = bpf_program__attach_usdt(prog, -1, path.c_str(), "ireactor", probe, nullptr);
      if (!link) log.fail("attach to ireactor:" + std::string(probe) + " in " + path, -errno);
      int pinned = 0;
      try {
        pinned = pin_kernel_links(prog, bpffs_dir);
      } catch (...) {
        bpf_link__destroy(link);
        throw;
      }
      bpf_link__destroy(link);  // the pins hold the kernel links
      if (pinned == 0)
        throw std::runtime_error("attached to ireactor:" + std::string(probe) +
                                 " but found no kernel link to pin");
    }
  } catch (...) {
    detach(bpffs_dir);
    throw;
  }
}

void detach(const fs::path& bpffs_dir) {
  std::error_code ec;
  std::vector<fs::path> pins;
  for (const auto& entry : fs::directory_iterator(bpffs_dir, ec))
    if (entry.path().filename().string().rfind(kLinkPinPrefix, 0) == 0)
      pins.push_back(entry.path());
  pins.push_back(bpffs_dir / kStatsPin);
  for (const fs::path& pin : pins)
    if (unlink(pin.c_str()) != 0 && errno != ENOENT)
      throw std::runtime_error("unpin " + pin.string() + ": " + errno_text(errno));
  fs::remove(bpffs_dir, ec);  // only when empty: the guard's pins may live here too
}

std::vector<ServiceStats> read_stats(const fs::path& bpffs_dir) {
  const fs::path pin = bpffs_dir / kStatsPin;
  guard::ScopedFd map{bpf_obj_get(pin.c_str())};
  if (map.fd < 0) throw std::runtime_error("open " + pin.string() + ": " + errno_text(errno));
  std::vector<ServiceStats> out;
  ir_trace_key key{}, next{};
  const ir_trace_key* prev = nullptr;
  while (bpf_map_get_next_key(map.fd, prev, &next) == 0) {
    ServiceStats s{next, {}};
    if (bpf_map_lookup_elem(map.fd, &next, &s.stat) == 0) out.push_back(s);
    key = next;
    prev = &key;
  }
  std::sort(out.begin(), out.end(), [](const ServiceStats& a, const ServiceStats& b) {
    return a.key.ns_id != b.key.ns_id ? a.key.ns_id < b.key.ns_id : a.key.number < b.key.number;
  });
  return out;
}

}  // namespace ireactor::trace
