#include "agent.h"

#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "agent_status.h"
#include "audit_record.h"
#include "audit_writer.h"
#include "event_loop.h"
#include "guard.h"
#include "instance_lock.h"
#include "ntgate_hotpath.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "policy_applier.h"
#include "policy_watch.h"
#include "status_file.h"

namespace ireactor::agent {

namespace {

constexpr auto kTick = std::chrono::seconds(1);
constexpr auto kMaxApplyDelay = std::chrono::milliseconds(250);

// The kernel hot path (kmod-min/bpf) turns NT numbers into services through a pinned map: when
// one is pinned, it follows the builds of this installation. Its absence is not an error.
void refresh_kmod_numbering(const std::filesystem::path& bpffs_dir) {
  try {
    const auto r = kmod::refresh_pinned_numbering(bpffs_dir);
    if (r && !r->reloaded.empty())
      spdlog::info("reloaded the kernel hot path ({}) with this release's NT numbering: {} entries",
                   r->reloaded, r->entries);
    else if (r)
      spdlog::info("refreshed the kernel hot path's NT numbering: {} entries", r->entries);
  } catch (const std::exception& e) {
    spdlog::warn("cannot refresh the kernel hot path's NT numbering: {}", e.what());
  }
}

void log_layers(const guard::KernelLayers& l) {
  spdlog::info(
      "kernel layers: lsm={} cgroup_dev={} sock_create={} sysctl={} seccomp_audit={} "
      "landlock_abi={} seccomp={}",
      l.lsm, l.cgroup_dev, l.sock_create, l.sysctl, l.seccomp_audit, l.landlock_abi, l.seccomp);
  if (!l.lsm)
    spdlog::warn(
        "BPF LSM is not available ({}): device opens are enforced by cgroup/dev only; ioctls "
        "and most kernel features only by the seccomp and Landlock layers `ireactor run` "
        "installs at process start, which do not hot-reload",
        l.lsm_error.empty() ? "no reason given" : l.lsm_error);
}

// Which of the required layers the kernel lacks; empty when all work.
std::string missing_layers(const std::set<std::string>& require, const guard::KernelLayers& l) {
  std::string missing;
  for (const std::string& name : require) {
    const bool ok = name == "lsm"           ? l.lsm
                    : name == "cgroup_dev"  ? l.cgroup_dev
                    : name == "sock_create" ? l.sock_create
                    : name == "sysctl"      ? l.sysctl
                                            : false;
    if (ok) continue;
    missing += (missing.empty() ? "" : ", ") + name;
    if (name == "lsm" && !l.lsm_error.empty()) missing += " (" + l.lsm_error + ")";
  }
  return missing;
}

std::optional<InstanceLock> lock_instance(const policy::HostPaths& paths) {
  std::string holder;
  auto lock = InstanceLock::take(paths.run_dir / "ireactord.lock", holder);
  if (!lock) spdlog::error("{} already runs with run directory {}", holder, paths.run_dir.string());
  return lock;
}

// Everything that lives while the agent serves: built once the guard is open.
class Agent {
 public:
  Agent(const AgentOptions& options, guard::KernelLayers layers, std::unique_ptr<guard::Guard> g,
        bool resumed)
      : options_(options),
        layers_(std::move(layers)),
        guard_(std::move(g)),
        previous_(read_previous_status(options.paths.status_file())),
        applier_(options.paths, *guard_, previous_) {
    identity_.pid = ::getpid();
    identity_.started = rfc3339_utc_us(realtime_now_ns());
    identity_.resumed = resumed;
    audit_lost_ = previous_.audit_lost;
  }

  // Returns false when the set could not be installed.
  bool apply() {
    try {
      applier_.apply();
      apply_error_.clear();
    } catch (const std::exception& e) {
      apply_error_ = e.what();
      spdlog::error("cannot install the new policy set (generation {} stays in force): {}",
                    applier_.generation(), e.what());
    }
    write_status();
    return apply_error_.empty();
  }

  bool any_rejected() const { return !applier_.rejected().empty(); }

  int serve() {
    AuditLookups lookups;
    lookups.ns_name = [this](uint32_t id) { return applier_.ns_name(id); };
    lookups.rule_origin = [this](uint32_t gen, uint32_t rule) {
      return applier_.rule_origin(gen, rule);
    };
    AuditWriter audit(options_.paths.audit_log(), guard_->audit_ring_fd(), std::move(lookups),
                      previous_.audit_lost);
    PolicyWatch watch(options_.paths.policy_dir,
                      policy::namespace_cgroup_dir(options_.paths, "_").parent_path());
    EventLoop loop;
    loop.debounced(options_.debounce, kMaxApplyDelay, [&] {
      apply();
      watch.ensure_watches();
    });
    loop.on_readable(watch.fd(), [&] {
      if (watch.read_events()) loop.trigger();
    });
    loop.on_readable(audit.epoll_fd(), [&] { audit.drain(); });
    loop.every(kTick, [&] {
      if (watch.ensure_watches()) loop.trigger();
      audit.note_lost(guard_->counter(IR_COUNTER_AUDIT_LOST));
      if (audit.lost_reported() != audit_lost_) {
        audit_lost_ = audit.lost_reported();
        write_status();
      }
    });
    loop.on_signal(SIGTERM, [&] {
      spdlog::info("SIGTERM: stopping; the pinned guard keeps enforcing generation {}",
                   applier_.generation());
      loop.stop();
    });
    loop.on_signal(SIGINT, [&] {
      spdlog::info("SIGINT: stopping; the pinned guard keeps enforcing generation {}",
                   applier_.generation());
      loop.stop();
    });
    loop.on_signal(SIGHUP, [&] {
      audit.reopen();
      loop.trigger();
    });
    // Changes made between the first apply and the watch going up are not lost: apply again
    // (a no-op when nothing changed).
    loop.trigger();
    spdlog::info("watching {}; audit log {}", options_.paths.policy_dir.string(),
                 options_.paths.audit_log().string());
    loop.run();
    // What is in the ring now would otherwise wait for the next agent (bounded: a flood from a
    // namespace must not keep a stopping agent alive).
    for (int batch = 0; batch < 64 && audit.drain() > 0; ++batch) {
    }
    audit.note_lost(guard_->counter(IR_COUNTER_AUDIT_LOST));
    audit_lost_ = audit.lost_reported();
    write_status();
    return 0;
  }

 private:
  void write_status() {
    try {
      write_status_file(options_.paths.status_file(),
                        status_json(identity_, layers_, applier_, audit_lost_, apply_error_));
    } catch (const std::exception& e) {
      spdlog::error("cannot write {}: {}", options_.paths.status_file().string(), e.what());
    }
  }

  const AgentOptions& options_;
  guard::KernelLayers layers_;
  std::unique_ptr<guard::Guard> guard_;
  PreviousStatus previous_;
  PolicyApplier applier_;
  AgentIdentity identity_;
  uint64_t audit_lost_ = 0;
  std::string apply_error_;
};

}  // namespace

int run_agent(const AgentOptions& options) {
  const policy::HostPaths& paths = options.paths;
  auto lock = lock_instance(paths);
  if (!lock) return 1;

  guard::KernelLayers layers = guard::probe_kernel_layers();
  // The seccomp audit hangs a program on every system call's exit, for every process on the
  // machine (measured in docs/benchmarks.md). It also catches refusals no BPF hook sees (seccomp
  // and Landlock decide before the LSM programs), so it is on unless the operator turns it off.
  if (layers.seccomp_audit && !options.seccomp_audit) {
    layers.seccomp_audit = false;
    spdlog::info("seccomp audit not attached (--no-seccomp-audit)");
  }
  log_layers(layers);
  if (const std::string missing = missing_layers(options.require, layers); !missing.empty()) {
    spdlog::error("refusing to start: required enforcement layer not available: {}", missing);
    return 1;
  }

  const bool resumed = std::filesystem::exists(paths.bpffs_dir / "policy");
  std::unique_ptr<guard::Guard> g;
  try {
    g = guard::Guard::open(paths.bpffs_dir, layers);
  } catch (const std::exception& e) {
    spdlog::error("cannot load the guard under {}: {}", paths.bpffs_dir.string(), e.what());
    return 1;
  }
  spdlog::info("{} the guard under {}", resumed ? "picked up the pinned" : "loaded and pinned",
               paths.bpffs_dir.string());

  refresh_kmod_numbering(paths.bpffs_dir);

  Agent agent(options, layers, std::move(g), resumed);
  const bool applied = agent.apply();
  if (options.once) {
    if (!applied) return 1;
    if (agent.any_rejected()) {
      spdlog::error("some policy files were refused (see above and {})",
                    paths.status_file().string());
      return 1;
    }
    return 0;
  }
  try {
    return agent.serve();
  } catch (const std::exception& e) {
    spdlog::error("{}; the pinned guard keeps enforcing what was in force", e.what());
    return 1;
  }
}

int uninstall_guard(const AgentOptions& options) {
  const policy::HostPaths& paths = options.paths;
  auto lock = lock_instance(paths);
  if (!lock) {
    spdlog::error("stop ireactord before --uninstall");
    return 1;
  }
  std::error_code ec;
  if (!std::filesystem::exists(paths.bpffs_dir / "policy", ec)) {
    spdlog::info("nothing pinned under {}", paths.bpffs_dir.string());
  } else {
    try {
      guard::Guard::open(paths.bpffs_dir, guard::probe_kernel_layers())->remove();
    } catch (const std::exception& e) {
      spdlog::error("cannot remove the guard pinned under {}: {}", paths.bpffs_dir.string(),
                    e.what());
      return 1;
    }
    spdlog::info("removed the guard pinned under {}: nothing is enforced any more",
                 paths.bpffs_dir.string());
  }
  std::filesystem::remove(paths.bpffs_dir, ec);  // only when empty; ours when tests made it
  std::filesystem::remove(paths.status_file(), ec);
  std::filesystem::remove_all(paths.state_dir / "in-force", ec);
  return 0;
}

}  // namespace ireactor::agent
