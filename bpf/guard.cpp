#include "guard.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>

#include "guard_bpf.skel.h"
#include "libbpf_log.h"
#include "pins.h"
#include "policy_epoch.h"
#include "policy_slots.h"

namespace fs = std::filesystem;

namespace ireactor::guard {
namespace {

// The maps a guard pins (LIBBPF_PIN_BY_NAME in guard_common.bpf.h, guard_dev_cache.bpf.h).
constexpr const char* kMapPins[] = {"policy", "policy_active", "policy_epoch", "audit", "counters"};

// The LSM hook of an lsm/ or lsm.s/ program ("file_open"), or empty for other programs.
std::string_view lsm_hook(bpf_program* prog) {
  std::string_view sec = bpf_program__section_name(prog);
  for (std::string_view prefix : {"lsm/", "lsm.s/"})
    if (sec.substr(0, prefix.size()) == prefix) return sec.substr(prefix.size());
  return {};
}

// Whether this kernel has the hook at all (file_ioctl_compat is 6.8+): BPF LSM programs attach
// to the bpf_lsm_<hook> functions, which vmlinux BTF lists.
bool kernel_has_lsm_hook(const btf* vmlinux, std::string_view hook) {
  std::string fn = "bpf_lsm_" + std::string(hook);
  return vmlinux && btf__find_by_name_kind(vmlinux, fn.c_str(), BTF_KIND_FUNC) > 0;
}

bool wanted(bpf_program* prog, const KernelLayers& layers, const btf* vmlinux) {
  switch (bpf_program__type(prog)) {
    case BPF_PROG_TYPE_LSM:
      return layers.lsm && kernel_has_lsm_hook(vmlinux, lsm_hook(prog));
    case BPF_PROG_TYPE_CGROUP_DEVICE:
      return layers.cgroup_dev;
    case BPF_PROG_TYPE_CGROUP_SOCK:
      return layers.sock_create;
    case BPF_PROG_TYPE_CGROUP_SYSCTL:
      return layers.sysctl;
    case BPF_PROG_TYPE_RAW_TRACEPOINT:
      return layers.seccomp_audit;
    case BPF_PROG_TYPE_SYSCALL:  // guard_epoch_bump: run by the loader, attached nowhere
      return true;
    default:
      return false;
  }
}

bool attached_per_cgroup(bpf_program* prog) {
  switch (bpf_program__type(prog)) {
    case BPF_PROG_TYPE_CGROUP_DEVICE:
    case BPF_PROG_TYPE_CGROUP_SOCK:
    case BPF_PROG_TYPE_CGROUP_SYSCTL:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Guard::Impl {
  fs::path dir;
  KernelLayers layers;
  guard_bpf* skel = nullptr;
  // What the outer policy map's slots accept: recorded from the object's inner map template
  // before load (libbpf frees the template once the outer map exists).
  InnerSpec inner;
  std::unique_ptr<PolicySlots> slots;
  std::unique_ptr<PolicyEpoch> epoch;

  ~Impl() {
    slots.reset();  // its staging thread uses the maps
    guard_bpf__destroy(skel);
  }

  void load();
  void attach_global_programs();
  fs::path cgroup_pin(bpf_program* prog, const std::string& ns) const {
    return dir / ("cg_" + std::string(bpf_program__name(prog)) + "@" + ns);
  }
};

void Guard::Impl::load() {
  LibbpfLog log;
  LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = dir.c_str());
  skel = guard_bpf__open_opts(&opts);
  if (!skel) log.fail("open the guard's BPF object", -errno);

  btf* vmlinux = layers.lsm ? btf__load_vmlinux_btf() : nullptr;
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel->obj) {
    bpf_program__set_autoload(prog, wanted(prog, layers, vmlinux));
  }
  btf__free(vmlinux);
  skel->rodata->lsm_layer = layers.lsm;

  bpf_map* templ = bpf_map__inner_map(skel->maps.policy);
  if (!templ) throw std::runtime_error("guard BPF object: policy map has no inner map");
  inner = {bpf_map__type(templ), bpf_map__key_size(templ), bpf_map__value_size(templ),
           bpf_map__max_entries(templ), bpf_map__map_flags(templ)};

  // Pinned maps under `dir` are reused (the policy in force survives), others created and pinned.
  if (int err = guard_bpf__load(skel)) log.fail("load the guard's BPF programs", err);
  slots = std::make_unique<PolicySlots>(bpf_map__fd(skel->maps.policy),
                                        bpf_map__fd(skel->maps.policy_active), inner);
  epoch = std::make_unique<PolicyEpoch>(bpf_program__fd(skel->progs.guard_epoch_bump));
}

void Guard::Impl::attach_global_programs() {
  LibbpfLog log;
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel->obj) {
    if (attached_per_cgroup(prog) || bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) continue;
    const fs::path pin = dir / ("link_" + std::string(bpf_program__name(prog)));
    if (!bpf_program__autoload(prog)) {
      // Not wanted this time (e.g. the seccomp audit once the LSM layer works): a link pinned
      // by an earlier agent goes with its pin.
      std::error_code ignored;
      fs::remove(pin, ignored);
      continue;
    }
    if (pinned_link_runs(pin, bpf_program__fd(prog))) continue;  // unchanged: keep it
    bpf_link* link = bpf_program__attach(prog);
    if (!link) log.fail(std::string("attach ") + bpf_program__name(prog), -errno);
    try {
      pin_link_replacing(link, pin);
    } catch (...) {
      bpf_link__destroy(link);
      throw;
    }
    bpf_link__destroy(link);  // the pin holds it
  }
}

Guard::Guard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Guard::~Guard() = default;

std::unique_ptr<Guard> Guard::open(const fs::path& bpffs_dir, const KernelLayers& layers) {
  auto impl = std::make_unique<Impl>();
  impl->dir = bpffs_dir;
  impl->layers = layers;
  ensure_bpffs_dir(bpffs_dir);
  impl->load();
  impl->attach_global_programs();
  return std::unique_ptr<Guard>(new Guard(std::move(impl)));
}

void Guard::swap_policy(const std::vector<PolicyEntry>& entries) {
  if (!impl_->skel) throw std::logic_error("guard removed");
  // After the flip, and also when switch_to throws (it may have flipped): cgroup/dev's cached
  // opens of the previous set stop matching (guard_dev_cache.bpf.h).
  try {
    impl_->slots->switch_to(entries);
  } catch (...) {
    impl_->epoch->bump();
    throw;
  }
  if (int err = impl_->epoch->bump())
    throw std::runtime_error(
        "policy set switched, but cgroup/dev's cache of allowed opens is not invalidated: " +
        errno_text(err));
}

void Guard::attach_namespace(const std::string& ns, const fs::path& cgroup_dir) {
  if (!impl_->skel) throw std::logic_error("guard removed");
  bpf_program* prog;
  bpf_object__for_each_program(prog, impl_->skel->obj) {
    if (!bpf_program__autoload(prog) || !attached_per_cgroup(prog)) continue;
    attach_cgroup_pinned(prog, cgroup_dir, impl_->cgroup_pin(prog, ns));
  }
}

void Guard::detach_namespace(const std::string& ns) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(impl_->dir, ec)) {
    std::string name = entry.path().filename().string();
    size_t at = name.find('@');
    if (name.rfind("cg_", 0) == 0 && at != std::string::npos && name.substr(at + 1) == ns)
      detach_pinned_link(entry.path());
  }
}

int Guard::audit_ring_fd() const {
  if (!impl_->skel) throw std::logic_error("guard removed");
  return bpf_map__fd(impl_->skel->maps.audit);
}

uint64_t Guard::counter(ir_counter which) const {
  if (!impl_->skel) throw std::logic_error("guard removed");
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) throw std::runtime_error("cannot count possible CPUs: " + errno_text(ncpu));
  std::vector<uint64_t> per_cpu(ncpu);
  uint32_t key = which;
  if (int err = bpf_map_lookup_elem(bpf_map__fd(impl_->skel->maps.counters), &key, per_cpu.data()))
    throw std::runtime_error("read counter: " + errno_text(err));
  uint64_t sum = 0;
  for (uint64_t v : per_cpu) sum += v;
  return sum;
}

void Guard::remove() {
  std::error_code ec;
  std::vector<fs::path> links;
  for (const auto& entry : fs::directory_iterator(impl_->dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("cg_", 0) == 0 || name.rfind("link_", 0) == 0 || name.rfind("staged_", 0) == 0)
      links.push_back(entry.path());
  }
  for (const fs::path& link : links) detach_pinned_link(link);
  impl_->slots.reset();
  impl_->epoch.reset();  // its program goes with the skeleton
  for (const char* map : kMapPins) {
    fs::path pin = impl_->dir / map;
    if (unlink(pin.c_str()) != 0 && errno != ENOENT)
      throw std::runtime_error("unpin " + pin.string() + ": " + errno_text(errno));
  }
  guard_bpf__destroy(impl_->skel);
  impl_->skel = nullptr;
  fs::remove(impl_->dir, ec);  // only when empty: anything else there is not ours
}

}  // namespace ireactor::guard
