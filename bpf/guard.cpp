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

namespace fs = std::filesystem;

namespace ireactor::guard {
namespace {

// The maps a guard pins (LIBBPF_PIN_BY_NAME in guard_common.bpf.h).
constexpr const char* kMapPins[] = {"policy", "audit", "counters"};

// What slot 0 of the outer policy map accepts: recorded from the object's inner map template
// before load (libbpf frees the template once the outer map exists).
struct InnerSpec {
  bpf_map_type type = BPF_MAP_TYPE_HASH;
  uint32_t key_size = 0, value_size = 0, max_entries = 0, flags = 0;
};

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
  InnerSpec inner;

  ~Impl() { guard_bpf__destroy(skel); }

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
}

void Guard::Impl::attach_global_programs() {
  LibbpfLog log;
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel->obj) {
    if (attached_per_cgroup(prog)) continue;
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
  LibbpfLog log;
  const InnerSpec& spec = impl_->inner;
  if (spec.key_size != sizeof(ir_rule_key) || spec.value_size != sizeof(ir_rule_value))
    throw std::runtime_error("guard BPF object and guard_abi.h disagree on the policy map layout");
  if (entries.size() > spec.max_entries)
    throw std::runtime_error("policy set has " + std::to_string(entries.size()) +
                             " entries; the policy map holds " + std::to_string(spec.max_entries));

  LIBBPF_OPTS(bpf_map_create_opts, create, .map_flags = spec.flags);
  int fd = bpf_map_create(spec.type, "policy_set", spec.key_size, spec.value_size, spec.max_entries,
                          &create);
  if (fd < 0) log.fail("create a policy set map", fd);
  struct Close {
    int fd;
    ~Close() { close(fd); }
  } closer{fd};

  if (!entries.empty()) {
    std::vector<ir_rule_key> keys;
    std::vector<ir_rule_value> values;
    keys.reserve(entries.size());
    values.reserve(entries.size());
    for (const PolicyEntry& e : entries) {
      keys.push_back(e.key);
      values.push_back(e.value);
    }
    // Two entries with one key would mean the compiler produced a contradiction (the batch
    // update only knows "last one wins").
    std::set<std::tuple<uint64_t, uint32_t, uint16_t, uint16_t>> seen;
    for (size_t i = 0; i < keys.size(); ++i)
      if (!seen.emplace(keys[i].id, keys[i].ns_id, keys[i].kind, keys[i].chunk).second)
        throw std::runtime_error("policy set: entry " + std::to_string(i) +
                                 " repeats the key of an earlier entry");
    uint32_t count = entries.size();
    if (int err = bpf_map_update_batch(fd, keys.data(), values.data(), &count, nullptr))
      log.fail("fill the policy set map", err);
  }

  // One pointer store: programs see the old set or the new one. The old inner map is freed by
  // the kernel once no program can still be using it.
  uint32_t slot = 0;
  if (int err = bpf_map_update_elem(bpf_map__fd(impl_->skel->maps.policy), &slot, &fd, BPF_ANY))
    log.fail("swap the policy set in", err);
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
