// raw_tp/sys_exit reports syscalls a namespace process's seccomp filter refused: the syscall
// never ran, so no other hook saw it.
#include <doctest/doctest.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <thread>
#include <vector>

#include "guard_test_support.h"
#include "ireactor/policy/namespace_cgroup.h"

using namespace ireactor::guard;
using namespace ireactor::guard::test;
namespace policy = ireactor::policy;

namespace {

constexpr uint32_t kNs = 9;

// What `ireactor run` installs for a namespace denying mount and packet sockets: EPERM for
// mount(2) and for socket(AF_PACKET, ...).
bool install_filter() {
  std::vector<sock_filter> f = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mount, 4, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 2),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_PACKET, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
  };
  sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0;
}

int refused_syscalls(const fs::path& target) {
  if (!install_filter()) return 1;
  if (mount("none", target.c_str(), "tmpfs", 0, nullptr) == 0 || errno != EPERM) return 2;
  if (try_socket(AF_PACKET, SOCK_RAW, 0) != EPERM) return 3;
  return 0;
}

struct SeccompGuard {
  Sandbox sandbox;
  std::unique_ptr<Guard> guard;
  fs::path cgroup;
  uint64_t cgroup_id = 0;

  SeccompGuard() {
    KernelLayers layers = probed_layers();
    layers.lsm = false;  // the LSM layer would refuse these first in the guest
    guard = Guard::open(sandbox.bpffs_dir(), layers);
    cgroup = sandbox.cgroup("beta");
    cgroup_id = policy::cgroup_id(cgroup);
    guard->attach_namespace("beta", cgroup);
  }

  void deny(uint64_t kernel_deny) {
    PolicyBuilder b;
    b.namespace_in(cgroup_id, {.ns_id = kNs, .generation = 3, .kernel_deny = kernel_deny});
    guard->swap_policy(b.entries());
  }
};

}  // namespace

TEST_SUITE("seccomp") {
  TEST_CASE_FIXTURE(SeccompGuard, "a restarted guard keeps its unchanged tracing link") {
    const fs::path pin = sandbox.bpffs_dir() / "link_guard_seccomp_audit";
    auto before = pinned_link(pin);
    REQUIRE(before);
    guard.reset();
    KernelLayers layers = probed_layers();
    layers.lsm = false;
    guard = Guard::open(sandbox.bpffs_dir(), layers);
    auto after = pinned_link(pin);
    REQUIRE(after);
    CHECK(after->id == before->id);
    CHECK(after->prog_id == before->prog_id);
  }

  TEST_CASE("a tracing link of another program is replaced, and the new one reports") {
    Sandbox sandbox;
    KernelLayers layers = probed_layers();
    layers.lsm = false;
    REQUIRE(fs::create_directories(sandbox.bpffs_dir()));
    const fs::path pin = sandbox.bpffs_dir() / "link_guard_seccomp_audit";
    pin_foreign_link(pin, false);
    auto foreign = pinned_link(pin);
    REQUIRE(foreign);

    auto guard = Guard::open(sandbox.bpffs_dir(), layers);
    auto ours = pinned_link(pin);
    REQUIRE(ours);
    CHECK(ours->prog_id != foreign->prog_id);
    CHECK_FALSE(fs::exists(sandbox.bpffs_dir() / "staged_link_guard_seccomp_audit"));

    const fs::path cgroup = sandbox.cgroup("epsilon");
    PolicyBuilder b;
    b.namespace_in(policy::cgroup_id(cgroup),
                   {.ns_id = kNs, .kernel_deny = feature_bit(IR_FEAT_MOUNT)});
    guard->swap_policy(b.entries());
    guard->attach_namespace("epsilon", cgroup);
    AuditReader audit(guard->audit_ring_fd());
    const fs::path target = sandbox.scratch();
    pid_t pid = 0;
    CHECK(run_in(
              cgroup, [&] { return refused_syscalls(target); }, &pid) == 0);
    CHECK(audit.of_pid(pid, 1).size() == 1);
  }

  TEST_CASE_FIXTURE(SeccompGuard, "a seccomp refusal of a denied feature is audited") {
    deny(feature_bit(IR_FEAT_MOUNT) | feature_bit(IR_FEAT_PACKET_SOCKETS));
    AuditReader audit(guard->audit_ring_fd());
    const fs::path target = sandbox.scratch();
    pid_t pid = 0;
    CHECK(run_in(
              cgroup, [&] { return refused_syscalls(target); }, &pid) == 0);
    auto events = audit.of_pid(pid, 2);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == IR_EV_FEATURE);
    CHECK(events[0].layer == IR_LAYER_SECCOMP);
    CHECK(events[0].decision == IR_DENY);
    CHECK(events[0].feature == IR_FEAT_MOUNT);
    CHECK(events[0].detail == SYS_mount);
    CHECK(events[0].ns_id == kNs);
    CHECK(events[0].generation == 3);
    CHECK(events[1].feature == IR_FEAT_PACKET_SOCKETS);
    CHECK(events[1].detail == SYS_socket);
  }

  TEST_CASE_FIXTURE(SeccompGuard, "no event when the policy allows the feature or outside") {
    deny(feature_bit(IR_FEAT_PTRACE));  // mount and packet sockets allowed now
    AuditReader audit(guard->audit_ring_fd());
    const fs::path target = sandbox.scratch();
    pid_t inside = 0, outside = 0;
    CHECK(run_in(
              cgroup, [&] { return refused_syscalls(target); }, &inside) == 0);
    deny(feature_bit(IR_FEAT_MOUNT) | feature_bit(IR_FEAT_PACKET_SOCKETS));
    CHECK(run_in(
              {}, [&] { return refused_syscalls(target); }, &outside) == 0);
    auto events = audit.drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto later = audit.drain();
    events.insert(events.end(), later.begin(), later.end());
    for (const ir_audit_event& e : events) {
      CHECK(e.pid != static_cast<uint32_t>(inside));
      CHECK(e.pid != static_cast<uint32_t>(outside));
    }
  }
}
