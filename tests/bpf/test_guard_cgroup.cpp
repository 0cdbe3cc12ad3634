// The guard's cgroup layer in the running kernel: cgroup/dev, cgroup/sock_create and
// cgroup/sysctl attached to a test namespace cgroup, decisions and audit events, policy swaps,
// an agent restart with the pins, and removal. The LSM layer is left out on purpose (the
// guest runs this suite too) so every decision here is the cgroup programs'.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "guard_test_support.h"
#include "policy_sets.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/namespace_cgroup.h"
#include "ireactor/policy/parse.h"

using namespace ireactor::guard;
using namespace ireactor::guard::test;
namespace policy = ireactor::policy;

namespace {

constexpr uint32_t kNs = 7;
constexpr uint32_t kRuleNull = 0, kRuleMknod = 1;

struct CgroupGuard {
  Sandbox sandbox;
  KernelLayers layers = probed_layers();
  std::unique_ptr<Guard> guard;
  fs::path cgroup;
  uint64_t cgroup_id = 0;
  DeviceNumber null = device_of("/dev/null"), zero = device_of("/dev/zero"),
               full = device_of("/dev/full");

  CgroupGuard() {
    layers.lsm = false;
    layers.seccomp_audit = false;
    guard = Guard::open(sandbox.bpffs_dir(), layers);
    cgroup = sandbox.cgroup("alpha");
    cgroup_id = policy::cgroup_id(cgroup);
    guard->attach_namespace("alpha", cgroup);
  }

  // Devices denied by default; /dev/null allowed and audited; the given features denied.
  std::vector<PolicyEntry> policy(uint64_t kernel_deny = 0, uint32_t generation = 1) const {
    NamespaceSettings s{.ns_id = kNs, .generation = generation, .kernel_deny = kernel_deny};
    PolicyBuilder b;
    b.namespace_in(cgroup_id, s)
        .device(kNs, null.id(), IR_ALLOW, IR_ACC_READ | IR_ACC_WRITE, kRuleNull, true);
    return b.entries();
  }
};

const ir_audit_event* find(const std::vector<ir_audit_event>& events, uint16_t kind,
                           uint32_t minor) {
  for (const ir_audit_event& e : events)
    if (e.kind == kind && e.minor == minor) return &e;
  return nullptr;
}

}  // namespace

TEST_SUITE("cgroup") {
  TEST_CASE_FIXTURE(CgroupGuard, "cgroup/dev allows and denies device opens, with audit events") {
    guard->swap_policy(policy());
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (int e = try_open("/dev/null", O_RDWR)) return 100 + e;
          if (try_open("/dev/zero", O_RDONLY) != EPERM) return 2;
          if (try_open("/dev/full", O_WRONLY) != EPERM) return 3;
          return 0;
        },
        &pid);
    CHECK(result == 0);

    auto events = audit.of_pid(pid, 3);
    REQUIRE(events.size() == 3);
    const ir_audit_event* allowed = find(events, IR_EV_DEVICE_OPEN, null.minor);
    REQUIRE(allowed);
    CHECK(allowed->decision == IR_ALLOW);
    CHECK(allowed->layer == IR_LAYER_CGROUP_DEV);
    CHECK(allowed->rule_id == kRuleNull);
    CHECK(allowed->access == (IR_ACC_READ | IR_ACC_WRITE));
    CHECK(allowed->dev_type == IR_DEV_CHAR);
    CHECK(allowed->major == null.major);
    CHECK(allowed->ns_id == kNs);
    CHECK(allowed->generation == 1);
    CHECK(std::string(allowed->comm) == kChildComm);

    const ir_audit_event* zero_ev = find(events, IR_EV_DEVICE_OPEN, zero.minor);
    REQUIRE(zero_ev);
    CHECK(zero_ev->decision == IR_DENY);
    CHECK(zero_ev->rule_id == IR_RULE_DEFAULT);
    CHECK(zero_ev->access == IR_ACC_READ);
    CHECK(zero_ev->tid == static_cast<uint32_t>(pid));

    const ir_audit_event* full_ev = find(events, IR_EV_DEVICE_OPEN, full.minor);
    REQUIRE(full_ev);
    CHECK(full_ev->decision == IR_DENY);
    CHECK(full_ev->access == IR_ACC_WRITE);
    CHECK(guard->counter(IR_COUNTER_DENIED) >= 2);
    CHECK(guard->counter(IR_COUNTER_ALLOWED_AUDITED) >= 1);
    CHECK(guard->counter(IR_COUNTER_AUDIT_LOST) == 0);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "a policy file compiled by the policy compiler is enforced") {
    // The compiler and the programs agree on guard_abi.h only if this holds end to end.
    const std::string yaml =
        "apiVersion: ireactor/v1\n"
        "kind: Namespace\n"
        "metadata: {name: alpha}\n"
        "spec:\n"
        "  drives: {C: " +
        sandbox.scratch().string() +
        "}\n"
        "  devices:\n"
        "    default: deny\n"
        "    allow:\n"
        "      - {path: /dev/null, audit: true}\n"
        "    deny:\n"
        "      - {path: /dev/full, access: w, audit: true}\n"  // line 11
        "  kernel: {sysctlWrite: deny, rawSockets: deny}\n"
        "  audit: {devices: rules, denials: true}\n";
    policy::ParseResult parsed = policy::parse_policy_text(yaml, "alpha.yaml");
    for (const auto& d : parsed.diagnostics) MESSAGE(d.str());
    REQUIRE(parsed.ok());
    policy::CompiledSet set = policy::compile_policy_set({{&*parsed.policy, kNs, cgroup_id}}, 42);
    for (const auto& d : set.diagnostics) CHECK_MESSAGE(!d.error, d.str());
    std::vector<PolicyEntry> entries;
    for (const policy::MapEntry& e : set.entries) entries.push_back({e.key, e.value});
    guard->swap_policy(entries);

    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_open("/dev/null", O_RDWR)) return 1;
          if (try_open("/dev/zero", O_RDONLY) != EPERM) return 2;
          if (try_open("/dev/full", O_WRONLY) != EPERM) return 3;
          if (try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) != EPERM) return 4;
          if (try_sysctl_write("kernel/domainname") != EPERM) return 5;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 5);
    REQUIRE(events.size() == 5);
    const ir_audit_event* full_ev = find(events, IR_EV_DEVICE_OPEN, full.minor);
    REQUIRE(full_ev);
    CHECK(full_ev->generation == 42);
    REQUIRE(full_ev->rule_id < set.rules.size());
    CHECK(set.rules[full_ev->rule_id].where.line == 11);
    const ir_audit_event* null_ev = find(events, IR_EV_DEVICE_OPEN, null.minor);
    REQUIRE(null_ev);
    CHECK(null_ev->decision == IR_ALLOW);
    REQUIRE(null_ev->rule_id < set.rules.size());
    CHECK(set.rules[null_ev->rule_id].where.line == 9);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "processes outside the namespace cgroup are not touched") {
    guard->swap_policy(
        policy(feature_bit(IR_FEAT_RAW_SOCKETS) | feature_bit(IR_FEAT_SYSCTL_WRITE)));
    AuditReader audit(guard->audit_ring_fd());
    CHECK(try_open("/dev/zero", O_RDONLY) == 0);
    pid_t pid = 0;
    int result = run_in(
        {},
        [] {
          if (try_open("/dev/zero", O_RDONLY)) return 1;
          if (try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) return 2;
          if (try_sysctl_write("kernel/domainname")) return 3;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    CHECK(audit.of_pid(pid, 1, std::chrono::milliseconds(200)).empty());
  }

  TEST_CASE_FIXTURE(CgroupGuard, "cgroup/dev decides mknod with the same rules") {
    auto entries = policy();
    PolicyBuilder extra;
    extra.device(kNs, full.id(), IR_ALLOW, IR_ACC_MKNOD, kRuleMknod, true);
    entries.insert(entries.end(), extra.entries().begin(), extra.entries().end());
    guard->swap_policy(entries);
    AuditReader audit(guard->audit_ring_fd());
    const fs::path dir = sandbox.scratch();
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [&] {
          if (int e = try_mknod(dir / "full", full.major, full.minor)) return 100 + e;
          if (try_mknod(dir / "zero", zero.major, zero.minor) != EPERM) return 2;
          // mknod is its own access: the rule allowing it does not allow opening.
          if (try_open("/dev/full", O_WRONLY) != EPERM) return 3;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 3);
    const ir_audit_event* made = find(events, IR_EV_DEVICE_MKNOD, full.minor);
    REQUIRE(made);
    CHECK(made->decision == IR_ALLOW);
    CHECK(made->rule_id == kRuleMknod);
    CHECK(made->access == IR_ACC_MKNOD);
    const ir_audit_event* refused = find(events, IR_EV_DEVICE_MKNOD, zero.minor);
    REQUIRE(refused);
    CHECK(refused->decision == IR_DENY);
    CHECK(refused->layer == IR_LAYER_CGROUP_DEV);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "most specific device rule first, access by access") {
    NamespaceSettings s{.ns_id = kNs, .device_default = IR_ALLOW};
    PolicyBuilder b;
    b.namespace_in(cgroup_id, s)
        // char 1:* denies writes; char 1:<zero> allows reads; the default allows the rest.
        .device(kNs, ir_dev_id(IR_DEV_CHAR, zero.major, IR_ANY_MINOR), IR_DENY, IR_ACC_WRITE, 10)
        .device(kNs, zero.id(), IR_ALLOW, IR_ACC_READ, 11);
    guard->swap_policy(b.entries());
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_open("/dev/zero", O_RDONLY)) return 1;
          if (try_open("/dev/zero", O_RDWR) != EPERM) return 2;
          if (try_open("/dev/full", O_WRONLY) != EPERM) return 3;
          if (try_open("/dev/full", O_RDONLY)) return 4;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 2);
    REQUIRE(events.size() == 2);  // the two denials; allowed opens have no audit: true rule
    CHECK(events[0].rule_id == 10);
    CHECK(events[0].minor == zero.minor);
    CHECK(events[1].rule_id == 10);
    CHECK(events[1].minor == full.minor);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "cgroup/sock_create refuses raw inet sockets") {
    guard->swap_policy(policy(feature_bit(IR_FEAT_RAW_SOCKETS)));
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) != EPERM) return 1;
          if (try_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) != EPERM) return 2;
          if (try_socket(AF_INET, SOCK_DGRAM, 0)) return 3;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 2);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == IR_EV_FEATURE);
    CHECK(events[0].feature == IR_FEAT_RAW_SOCKETS);
    CHECK(events[0].layer == IR_LAYER_SOCK_CREATE);
    CHECK(events[0].decision == IR_DENY);
    CHECK(events[0].detail == ((AF_INET << 16) | SOCK_RAW));
    CHECK(events[1].detail == ((AF_INET6 << 16) | SOCK_RAW));

    guard->swap_policy(policy(0));
    CHECK(run_in(cgroup, [] { return try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); }) == 0);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "cgroup/sysctl refuses writes, not reads") {
    guard->swap_policy(policy(feature_bit(IR_FEAT_SYSCTL_WRITE)));
    AuditReader audit(guard->audit_ring_fd());
    pid_t pid = 0;
    int result = run_in(
        cgroup,
        [] {
          if (try_open("/proc/sys/kernel/domainname", O_RDONLY)) return 1;
          if (try_sysctl_write("kernel/domainname") != EPERM) return 2;
          return 0;
        },
        &pid);
    CHECK(result == 0);
    auto events = audit.of_pid(pid, 1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].feature == IR_FEAT_SYSCTL_WRITE);
    CHECK(events[0].layer == IR_LAYER_SYSCTL);
    CHECK(std::string(events[0].path) == "kernel/domainname");

    guard->swap_policy(policy(0));
    CHECK(run_in(cgroup, [] { return try_sysctl_write("kernel/domainname"); }) == 0);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "a swapped policy decides the next access") {
    auto deny_zero = policy(0, 1);
    NamespaceSettings open{.ns_id = kNs, .generation = 2, .device_default = IR_ALLOW};
    PolicyBuilder allow_all;
    allow_all.namespace_in(cgroup_id, open);
    auto zero_open = [] { return try_open("/dev/zero", O_RDONLY); };

    guard->swap_policy(deny_zero);
    CHECK(run_in(cgroup, zero_open) == EPERM);
    guard->swap_policy(allow_all.entries());
    CHECK(run_in(cgroup, zero_open) == 0);
    guard->swap_policy(deny_zero);
    CHECK(run_in(cgroup, zero_open) == EPERM);
    guard->swap_policy({});  // an empty set: no namespace is known, nothing is enforced
    CHECK(run_in(cgroup, zero_open) == 0);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "quick reloads A, B, A, C: each set in force exactly, no gap") {
    // /dev/zero is denied by every set, so a gap (no set: nothing enforced) or a mixed set
    // would let one of the hammer's opens through; /dev/full is allowed by A and C only. The
    // filler rules make each switch write thousands of entries.
    auto set = [&](uint32_t generation, bool full_allowed, uint32_t filler_major, size_t fillers) {
      PolicyBuilder b;
      b.namespace_in(cgroup_id, {.ns_id = kNs, .generation = generation})
          .device(kNs, null.id(), IR_ALLOW, IR_ACC_READ | IR_ACC_WRITE, kRuleNull);
      if (full_allowed) b.device(kNs, full.id(), IR_ALLOW, IR_ACC_READ | IR_ACC_WRITE, 1);
      for (size_t i = 0; i < fillers; ++i)
        b.device(kNs, ir_dev_id(IR_DEV_CHAR, filler_major + i / 1000, i % 1000), IR_DENY,
                 IR_ACC_READ | IR_ACC_WRITE, static_cast<uint32_t>(2 + i));
      return b.entries();
    };
    const auto a = set(1, true, 200, 5000), b = set(2, false, 202, 5000),
               c = set(3, true, 201, 8000);
    std::unique_ptr<Hammer> hammer;
    for (const auto* next : {&a, &b, &a, &c}) {
      guard->swap_policy(*next);
      // Started once a set is in force (before the first one, nothing is enforced).
      if (!hammer)
        hammer = std::make_unique<Hammer>(cgroup, [] { return try_open("/dev/zero", O_RDONLY); });
      CHECK(difference(*next, set_in_force(sandbox.bpffs_dir())) == "");
      CHECK(run_in(cgroup, [] { return try_open("/dev/full", O_RDONLY); }) ==
            (next == &b ? EPERM : 0));
    }
    Hammer::Result r = hammer->stop();
    MESSAGE(r.attempts << " opens of /dev/zero during the reloads");
    CHECK(r.attempts > 0);
    CHECK(r.successes == 0);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "a contradictory policy set is refused and the old one stays") {
    guard->swap_policy(policy());
    auto twice = policy();
    twice.push_back(twice.back());
    CHECK_THROWS_WITH_AS(guard->swap_policy(twice), doctest::Contains("repeats the key"),
                         std::runtime_error);
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
    std::vector<PolicyEntry> too_many(IR_POLICY_MAX_ENTRIES + 1);
    CHECK_THROWS_AS(guard->swap_policy(too_many), std::runtime_error);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "a full audit ring counts what it drops") {
    guard->swap_policy(policy());
    // 4 MiB of ~230-byte records fill after ~18000 events; nobody reads the ring meanwhile.
    int result = run_in(cgroup, [] {
      for (int i = 0; i < 30000; ++i)
        if (try_open("/dev/zero", O_RDONLY) != EPERM) return 1;
      return 0;
    });
    CHECK(result == 0);
    uint64_t lost = guard->counter(IR_COUNTER_AUDIT_LOST);
    CHECK(lost > 0);
    AuditReader audit(guard->audit_ring_fd());
    size_t kept = audit.drain().size();
    MESSAGE("kept " << kept << ", lost " << lost);
    CHECK(kept + lost >= 30000);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "restarting the guard keeps enforcing, with no gap") {
    guard->swap_policy(policy());
    const fs::path dir = sandbox.bpffs_dir();
    const uint32_t policy_map = pinned_map_id(dir / "policy");
    const uint32_t audit_map = pinned_map_id(dir / "audit");
    REQUIRE(policy_map != 0);
    auto link_before = pinned_link(dir / "cg_guard_dev@alpha");
    REQUIRE(link_before);

    Hammer hammer(cgroup, [] { return try_open("/dev/zero", O_RDONLY); });
    for (int restart = 0; restart < 5; ++restart) {
      guard.reset();  // the agent exits: pins stay
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      guard = Guard::open(dir, layers);
      guard->attach_namespace("alpha", cgroup);
      guard->swap_policy(policy(0, 2 + restart));
    }
    Hammer::Result r = hammer.stop();
    MESSAGE(r.attempts << " opens of /dev/zero during 5 restarts");
    CHECK(r.attempts > 0);
    CHECK(r.successes == 0);

    CHECK(pinned_map_id(dir / "policy") == policy_map);
    CHECK(pinned_map_id(dir / "audit") == audit_map);
    auto link_after = pinned_link(dir / "cg_guard_dev@alpha");
    REQUIRE(link_after);
    CHECK(link_after->id == link_before->id);            // updated in place...
    CHECK(link_after->prog_id != link_before->prog_id);  // ...to the new program
  }

  TEST_CASE_FIXTURE(CgroupGuard, "detach_namespace stops enforcement there; attach is idempotent") {
    guard->swap_policy(policy());
    guard->attach_namespace("alpha", cgroup);
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
    guard->detach_namespace("alpha");
    CHECK_FALSE(fs::exists(sandbox.bpffs_dir() / "cg_guard_dev@alpha"));
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == 0);
    guard->attach_namespace("alpha", cgroup);
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "a recreated namespace cgroup gets a fresh link") {
    guard->swap_policy(policy());
    REQUIRE(rmdir(cgroup.c_str()) == 0);
    cgroup = sandbox.cgroup("alpha");
    cgroup_id = policy::cgroup_id(cgroup);
    guard->attach_namespace("alpha", cgroup);
    guard->swap_policy(policy());
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
  }

  TEST_CASE_FIXTURE(CgroupGuard, "remove() unpins and detaches everything") {
    guard->swap_policy(policy(feature_bit(IR_FEAT_RAW_SOCKETS)));
    CHECK(run_in(cgroup, [] { return try_open("/dev/zero", O_RDONLY); }) == EPERM);
    guard->remove();
    CHECK_FALSE(fs::exists(sandbox.bpffs_dir()));
    CHECK(run_in(cgroup, [] {
            if (try_open("/dev/zero", O_RDONLY)) return 1;
            return try_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) ? 2 : 0;
          }) == 0);
  }
}
