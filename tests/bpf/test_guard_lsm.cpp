// The guard's LSM layer (the qemu guest; this host refuses BPF LSM): device opens and ioctls,
// and each kernel feature, refused to a namespace process issuing the syscall itself, each with
// its audit event. The cgroup device and socket programs are left out so the LSM decides.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "guard_test_support.h"
#include "ireactor/policy/namespace_cgroup.h"

using namespace ireactor::guard;
using namespace ireactor::guard::test;
namespace policy = ireactor::policy;

namespace {

constexpr uint32_t kNs = 11;
constexpr uint32_t kRuleNull = 0, kRuleFionread = 1;
constexpr uint64_t kAllFeatures = (1ull << IR_FEAT_COUNT) - 1;

struct LsmGuard {
  Sandbox sandbox;
  KernelLayers layers = probed_layers();
  std::unique_ptr<Guard> guard;
  fs::path cgroup;
  uint64_t cgroup_id = 0;
  DeviceNumber null = device_of("/dev/null"), zero = device_of("/dev/zero");

  explicit LsmGuard(bool cgroup_layer = false) {
    layers.cgroup_dev = layers.cgroup_dev && cgroup_layer;
    layers.sock_create = layers.sock_create && cgroup_layer;
    layers.seccomp_audit = false;
    guard = Guard::open(sandbox.bpffs_dir(), layers);
    cgroup = sandbox.cgroup("gamma");
    cgroup_id = policy::cgroup_id(cgroup);
    guard->attach_namespace("gamma", cgroup);
  }

  // /dev/null readable and writable (audited), FIONREAD on it refused (audited); every other
  // ioctl allowed; devices denied by default.
  std::vector<PolicyEntry> policy(uint64_t kernel_deny, ir_effect ioctl_default = IR_ALLOW) const {
    PolicyBuilder b;
    b.namespace_in(cgroup_id, {.ns_id = kNs,
                               .generation = 5,
                               .ioctl_default = ioctl_default,
                               .kernel_deny = kernel_deny})
        .device(kNs, null.id(), IR_ALLOW, IR_ACC_READ | IR_ACC_WRITE, kRuleNull, true)
        .ioctls(kNs, null.id(),
                {{.lo = FIONREAD,
                  .hi = FIONREAD,
                  .rule_id = kRuleFionread,
                  .effect = IR_DENY,
                  .audit = 1,
                  .pad = 0}});
    return b.entries();
  }
};

// Both device layers attached, as the agent does where BPF LSM works.
struct BothLayersGuard : LsmGuard {
  BothLayersGuard() : LsmGuard(true) {}
};

const ir_audit_event* find_feature(const std::vector<ir_audit_event>& events, uint32_t feature) {
  for (const ir_audit_event& e : events)
    if (e.kind == IR_EV_FEATURE && e.feature == feature) return &e;
  return nullptr;
}

int errno_of(long r) {
  return r < 0 ? errno : 0;
}

// ptrace(PTRACE_ATTACH) on a child of our own that just sleeps.
int try_ptrace_attach() {
  pid_t target = fork();
  if (target == 0) {
    pause();
    _exit(0);
  }
  int result = errno_of(ptrace(PTRACE_ATTACH, target, nullptr, nullptr));
  kill(target, SIGKILL);
  waitpid(target, nullptr, 0);
  return result;
}

// The caller asks to be traced by its parent (the test, which never acts on it).
int try_ptrace_traceme() {
  return errno_of(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr));
}

int try_bpf() {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
  if (fd >= 0) close(fd);
  return errno_of(fd);
}

int try_mount(const fs::path& target) {
  if (mount("none", target.c_str(), "tmpfs", 0, nullptr) != 0) return errno;
  umount(target.c_str());
  return 0;
}

// A child cgroup made (and removed again) in `dir`.
int try_cgroup_mkdir(const fs::path& dir) {
  const fs::path child = dir / "child";
  if (mkdir(child.c_str(), 0755) != 0) return errno;
  rmdir(child.c_str());
  return 0;
}

// What would move a process out of its cgroup: cgroup.procs of the cgroup2 root, opened for
// writing (and closed: nothing is written).
int try_cgroup_procs_write_open() {
  return try_open(policy::cgroup2_mount() / "cgroup.procs", O_WRONLY);
}

int try_perf_event_open() {
  perf_event_attr attr{};
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.disabled = 1;
  long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd >= 0) close(fd);
  return errno_of(fd);
}

int try_settime() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return errno_of(clock_settime(CLOCK_REALTIME, &now));
}

// Harmless when allowed: it only sets what Ctrl-Alt-Del does.
int try_reboot() {
  return errno_of(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                          LINUX_REBOOT_CMD_CAD_OFF, nullptr));
}

// ioctl(2) through the i386 entry (int 0x80), which 64-bit processes can use too: the kernel's
// compat path, LSM hook file_ioctl_compat. No argument is read: refused before the driver, or
// answered ENOTTY by /dev/null.
int try_compat_ioctl(const char* path, unsigned int cmd) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  long r;
  asm volatile("int $0x80"
               : "=a"(r)
               : "a"(54 /* i386 ioctl */), "b"(fd), "c"(cmd), "d"(0)
               : "memory", "r8", "r9", "r10", "r11");
  close(fd);
  return r < 0 ? static_cast<int>(-r) : 0;
}

int try_init_module() {
  static const char garbage[64] = {};
  return errno_of(syscall(SYS_init_module, garbage, sizeof(garbage), ""));
}

}  // namespace

TEST_SUITE("lsm") {
  TEST_CASE_FIXTURE(LsmGuard, "lsm/file_open decides device opens and names the path") {
    guard->swap_policy(policy(0));
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_open("/dev/null", O_RDWR)) return 1;
          if (try_open("/dev/zero", O_RDONLY) != EPERM) return 2;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 2);
    REQUIRE(events.size() == 2);
    CHECK(events[0].layer == IR_LAYER_LSM);
    CHECK(events[0].kind == IR_EV_DEVICE_OPEN);
    CHECK(events[0].decision == IR_ALLOW);
    CHECK(events[0].rule_id == kRuleNull);
    CHECK(std::string(events[0].path) == "/dev/null");
    CHECK(events[1].decision == IR_DENY);
    CHECK(events[1].minor == zero.minor);
    CHECK(events[1].access == IR_ACC_READ);
    CHECK(std::string(events[1].path) == "/dev/zero");
    CHECK(try_open("/dev/zero", O_RDONLY) == 0);  // outside the namespace
  }

  TEST_CASE_FIXTURE(LsmGuard, "lsm/file_ioctl decides per command") {
    guard->swap_policy(policy(0));
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_ioctl("/dev/null", FIONREAD) != EPERM) return 1;
          if (try_ioctl("/dev/null", TCGETS) != ENOTTY) return 2;  // allowed: the driver answers
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 2);
    const ir_audit_event* refused = nullptr;
    for (const ir_audit_event& e : events)
      if (e.kind == IR_EV_IOCTL) refused = &e;
    REQUIRE(refused);
    CHECK(refused->decision == IR_DENY);
    CHECK(refused->ioctl_cmd == FIONREAD);
    CHECK(refused->rule_id == kRuleFionread);
    CHECK(std::string(refused->path) == "/dev/null");
    CHECK(try_ioctl("/dev/null", FIONREAD) == ENOTTY);  // outside

    guard->swap_policy(policy(0, IR_DENY));
    CHECK(run_in(cgroup, [] { return try_ioctl("/dev/null", TCGETS); }) == EPERM);
  }

  TEST_CASE_FIXTURE(LsmGuard, "lsm/file_ioctl_compat decides ioctls made through int 0x80") {
    guard->swap_policy(policy(0));
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_compat_ioctl("/dev/null", FIONREAD) != EPERM) return 1;
          if (try_compat_ioctl("/dev/null", TCGETS) != ENOTTY) return 2;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 2);
    const ir_audit_event* refused = nullptr;
    for (const ir_audit_event& e : events)
      if (e.kind == IR_EV_IOCTL) refused = &e;
    REQUIRE(refused);
    CHECK(refused->ioctl_cmd == FIONREAD);
    CHECK(refused->minor == null.minor);
    CHECK(refused->path[0] == 0);  // not a sleepable hook: no bpf_d_path
    CHECK(try_compat_ioctl("/dev/null", FIONREAD) == ENOTTY);  // outside
  }

  TEST_CASE_FIXTURE(BothLayersGuard,
                    "with the cgroup layer too, each device open is reported once") {
    REQUIRE(layers.cgroup_dev);
    guard->swap_policy(policy(0));
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_open("/dev/null", O_RDWR)) return 1;
          if (try_open("/dev/zero", O_RDONLY) != EPERM) return 2;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 3, std::chrono::milliseconds(500));
    REQUIRE(events.size() == 2);
    // cgroup/dev runs first (at permission check) and refuses; the open never reaches the LSM.
    // An allowed open is reported by lsm/file_open, which can name the path.
    CHECK(events[0].minor == null.minor);
    CHECK(events[0].layer == IR_LAYER_LSM);
    CHECK(events[0].decision == IR_ALLOW);
    CHECK(events[1].minor == zero.minor);
    CHECK(events[1].layer == IR_LAYER_CGROUP_DEV);
    CHECK(events[1].decision == IR_DENY);
  }

  TEST_CASE_FIXTURE(LsmGuard, "each denied kernel feature is refused and audited") {
    guard->swap_policy(policy(kAllFeatures));
    const fs::path scratch = sandbox.scratch();
    struct Case {
      const char* name;
      ir_feature feature;
      std::function<int()> attempt;
    };
    const Case cases[] = {
        {"ptrace attach", IR_FEAT_PTRACE, try_ptrace_attach},
        {"ptrace traceme", IR_FEAT_PTRACE, try_ptrace_traceme},
        {"bpf", IR_FEAT_BPF, try_bpf},
        {"mount", IR_FEAT_MOUNT, [&] { return try_mount(scratch); }},
        {"packet socket", IR_FEAT_PACKET_SOCKETS,
         [] { return try_socket(AF_PACKET, SOCK_RAW, 0); }},
        {"raw socket", IR_FEAT_RAW_SOCKETS,
         [] { return try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); }},
        {"perf_event_open", IR_FEAT_PERF_EVENTS, try_perf_event_open},
        {"clock_settime", IR_FEAT_SET_TIME, try_settime},
        {"reboot", IR_FEAT_KEXEC_REBOOT, try_reboot},
        {"init_module", IR_FEAT_MODULE_LOAD, try_init_module},
        {"cgroup.procs write-open", IR_FEAT_CGROUP_WRITE, try_cgroup_procs_write_open},
        {"cgroup mkdir", IR_FEAT_CGROUP_WRITE, [&] { return try_cgroup_mkdir(cgroup); }},
    };
    for (const Case& c : cases) {
      std::string name = c.name;
      CAPTURE(name);
      AuditReader audit(guard->audit_ring_fd());
      pid_t pid = 0;
      CHECK(run_in(cgroup, c.attempt, &pid) == EPERM);
      auto events = audit.of_pid(pid, 1);
      const ir_audit_event* e = find_feature(events, c.feature);
      REQUIRE(e);
      CHECK(e->layer == IR_LAYER_LSM);
      CHECK(e->decision == IR_DENY);
      CHECK(e->ns_id == kNs);
      CHECK(e->generation == 5);
    }
  }

  TEST_CASE_FIXTURE(LsmGuard, "allowed features work in the namespace") {
    guard->swap_policy(policy(0));
    const fs::path scratch = sandbox.scratch();
    CHECK(run_in(cgroup, try_ptrace_attach) == 0);
    CHECK(run_in(cgroup, try_bpf) == 0);
    CHECK(run_in(cgroup, [&] { return try_mount(scratch); }) == 0);
    CHECK(run_in(cgroup, [] { return try_socket(AF_PACKET, SOCK_RAW, 0); }) == 0);
    CHECK(run_in(cgroup, try_perf_event_open) == 0);
    CHECK(run_in(cgroup, try_settime) == 0);
    CHECK(run_in(cgroup, try_cgroup_procs_write_open) == 0);
    CHECK(run_in(cgroup, [&] { return try_cgroup_mkdir(cgroup); }) == 0);
  }

  TEST_CASE_FIXTURE(LsmGuard,
                    "restarting the guard keeps unchanged LSM links, enforcing throughout") {
    guard->swap_policy(policy(0));
    const fs::path dir = sandbox.bpffs_dir();
    auto before = pinned_link(dir / "link_guard_file_open");
    REQUIRE(before);
    Hammer hammer(cgroup, [] { return try_open("/dev/zero", O_RDONLY); });
    for (int restart = 0; restart < 3; ++restart) {
      guard.reset();
      guard = Guard::open(dir, layers);
      guard->attach_namespace("gamma", cgroup);
    }
    Hammer::Result r = hammer.stop();
    MESSAGE(r.attempts << " opens of /dev/zero during 3 restarts");
    CHECK(r.attempts > 0);
    CHECK(r.successes == 0);
    auto after = pinned_link(dir / "link_guard_file_open");
    REQUIRE(after);
    CHECK(after->id == before->id);  // same program on the same maps: nothing re-attached
    CHECK(after->prog_id == before->prog_id);
  }

  TEST_CASE("an LSM link of another program is replaced") {
    Sandbox sandbox;
    KernelLayers layers = probed_layers();
    layers.cgroup_dev = layers.sock_create = layers.seccomp_audit = false;
    REQUIRE(fs::create_directories(sandbox.bpffs_dir()));
    const fs::path pin = sandbox.bpffs_dir() / "link_guard_file_open";
    pin_foreign_link(pin, true);
    auto foreign = pinned_link(pin);
    REQUIRE(foreign);

    auto guard = Guard::open(sandbox.bpffs_dir(), layers);
    auto ours = pinned_link(pin);
    REQUIRE(ours);
    CHECK(ours->prog_id != foreign->prog_id);
    CHECK_FALSE(fs::exists(sandbox.bpffs_dir() / "staged_link_guard_file_open"));
    const fs::path cgroup = sandbox.cgroup("delta");
    PolicyBuilder b;
    b.namespace_in(policy::cgroup_id(cgroup), {.ns_id = kNs});
    guard->swap_policy(b.entries());
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
  }

  TEST_CASE_FIXTURE(LsmGuard, "remove() takes the LSM programs away") {
    guard->swap_policy(policy(kAllFeatures));
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
    guard->remove();
    CHECK_FALSE(fs::exists(sandbox.bpffs_dir()));
    // Links without a detach operation go when their pin's inode is freed, after an RCU grace
    // period: allow a moment.
    int result = EPERM;
    for (int i = 0; i < 50 && result == EPERM; ++i) {
      result = run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); });
      if (result == EPERM) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(result == 0);
  }
}
