// Compiling policies into the guard's map entries (bpf/guard_abi.h) and the start layers.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "guard_abi.h"
#include "ireactor/policy/compile.h"
#include "ireactor/policy/parse.h"

using namespace ireactor::policy;

namespace {

NamespacePolicy policy_from(const std::string& spec, const std::string& name = "t") {
  const std::string yaml = "apiVersion: ireactor/v1\nkind: Namespace\nmetadata: {name: " + name +
                           "}\nspec:\n  drives: {C: /tmp}\n" + spec;
  ParseResult r = parse_policy_text(yaml, "t.yaml");
  std::string why;
  for (const Diagnostic& d : r.diagnostics) why += d.str() + "\n";
  REQUIRE_MESSAGE(r.ok(), why);
  return *r.policy;
}

const MapEntry* find_entry(const CompiledSet& set, uint16_t kind, uint32_t ns_id, uint64_t id,
                           uint16_t chunk = 0) {
  for (const MapEntry& e : set.entries)
    if (e.key.kind == kind && e.key.ns_id == ns_id && e.key.id == id && e.key.chunk == chunk)
      return &e;
  return nullptr;
}

size_t count_kind(const CompiledSet& set, uint16_t kind) {
  return std::count_if(set.entries.begin(), set.entries.end(),
                       [kind](const MapEntry& e) { return e.key.kind == kind; });
}

// The ranges of one (namespace, device key) across its chunks, as "lo-hi:A|D[a]" strings.
std::vector<std::string> ioctl_ranges(const CompiledSet& set, uint32_t ns_id, uint64_t id) {
  std::vector<std::string> out;
  for (uint16_t chunk = 0; chunk < IR_IOCTL_MAX_CHUNKS; ++chunk) {
    const MapEntry* e = find_entry(set, IR_RULE_IOCTL, ns_id, id, chunk);
    if (!e) break;
    const ir_ioctl_chunk& c = e->value.ioctl;
    for (uint32_t i = 0; i < c.count; ++i) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%x-%x:%s%s", c.ranges[i].lo, c.ranges[i].hi,
                    c.ranges[i].effect == IR_ALLOW ? "A" : "D", c.ranges[i].audit ? "a" : "");
      out.push_back(buf);
    }
    if (c.count < IR_IOCTL_RANGES_PER_CHUNK) break;
  }
  return out;
}

constexpr uint64_t kDevNull = ir_dev_id(IR_DEV_CHAR, 1, 3);

}  // namespace

TEST_CASE("stat of /dev/null gives char 1:3, the key the guard looks up") {
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  REQUIRE(S_ISCHR(st.st_mode));
  CHECK(major(st.st_rdev) == 1);
  CHECK(minor(st.st_rdev) == 3);
  CHECK(kDevNull == ((1ull << 32) | (1ull << 20) | 3ull));
}

TEST_CASE("a known policy compiles to exactly these entries") {
  const NamespacePolicy p = policy_from(
      "  devices:\n"
      "    default: deny\n"
      "    allow:\n"
      "      - {path: /dev/null}\n"                                   // rule 0
      "      - {class: char, major: 226, access: rw, audit: true}\n"  // rule 1
      "      - {class: block, access: mknod}\n"                       // rule 2
      "    deny:\n"
      "      - {class: char, major: 1, minor: 1, access: rwm}\n"  // rule 3
      "  ioctls:\n"
      "    default: allow\n"
      "    deny: [{device: /dev/null, cmd: \"0x5401\"}]\n"  // rule 4
      "  kernel: {ptrace: allow, perfEvents: allow, mount: deny}\n"
      "  audit: {devices: all, denials: true}\n");
  const CompiledSet set = compile_policy_set({{&p, 7, 0xABCDEF}}, 42);
  CHECK(set.generation == 42);
  CHECK(set.diagnostics.empty());
  // cgroup + namespace + 4 device keys + 1 ioctl chunk.
  CHECK(set.entries.size() == 7);
  CHECK(count_kind(set, IR_RULE_CGROUP) == 1);
  CHECK(count_kind(set, IR_RULE_NAMESPACE) == 1);
  CHECK(count_kind(set, IR_RULE_DEVICE) == 4);
  CHECK(count_kind(set, IR_RULE_IOCTL) == 1);

  const MapEntry* cg = find_entry(set, IR_RULE_CGROUP, 0, 0xABCDEF);
  REQUIRE(cg);
  const MapEntry* ns = find_entry(set, IR_RULE_NAMESPACE, 7, 0);
  REQUIRE(ns);
  CHECK(std::memcmp(&cg->value.ns, &ns->value.ns, sizeof ns->value.ns) == 0);
  CHECK(ns->value.ns.ns_id == 7);
  CHECK(ns->value.ns.generation == 42);
  CHECK(ns->value.ns.device_default == IR_DENY);
  CHECK(ns->value.ns.ioctl_default == IR_ALLOW);
  CHECK(ns->value.ns.audit == (IR_AUDIT_DENIALS | IR_AUDIT_DEVICES_ALL));
  // Every feature not allowed is denied, absent ones included.
  const uint64_t all = (1ull << IR_FEAT_COUNT) - 1;
  CHECK(ns->value.ns.kernel_deny ==
        (all & ~(1ull << IR_FEAT_PTRACE) & ~(1ull << IR_FEAT_PERF_EVENTS)));

  const MapEntry* null = find_entry(set, IR_RULE_DEVICE, 7, kDevNull);
  REQUIRE(null);
  CHECK(null->value.dev.effect == IR_ALLOW);
  CHECK(null->value.dev.access == (IR_ACC_READ | IR_ACC_WRITE));
  CHECK(null->value.dev.audit == 0);
  CHECK(null->value.dev.rule_id == 0);

  const MapEntry* gpu =
      find_entry(set, IR_RULE_DEVICE, 7, ir_dev_id(IR_DEV_CHAR, 226, IR_ANY_MINOR));
  REQUIRE(gpu);
  CHECK(gpu->value.dev.audit == 1);
  CHECK(gpu->value.dev.rule_id == 1);

  const MapEntry* block =
      find_entry(set, IR_RULE_DEVICE, 7, ir_dev_id(IR_DEV_BLOCK, IR_ANY_MAJOR, IR_ANY_MINOR));
  REQUIRE(block);
  CHECK(block->value.dev.access == IR_ACC_MKNOD);

  const MapEntry* mem = find_entry(set, IR_RULE_DEVICE, 7, ir_dev_id(IR_DEV_CHAR, 1, 1));
  REQUIRE(mem);
  CHECK(mem->value.dev.effect == IR_DENY);
  CHECK(mem->value.dev.access == (IR_ACC_READ | IR_ACC_WRITE | IR_ACC_MKNOD));
  CHECK(mem->value.dev.rule_id == 3);

  CHECK(ioctl_ranges(set, 7, kDevNull) == std::vector<std::string>{"5401-5401:D"});
  CHECK(find_entry(set, IR_RULE_IOCTL, 7, kDevNull)->value.ioctl.ranges[0].rule_id == 4);

  REQUIRE(set.rules.size() == 5);
  CHECK(set.rules[0].ns == "t");
  CHECK(set.rules[0].where.str() == "t.yaml:9:9");
  CHECK(set.rules[0].text == "allow /dev/null rw");
  CHECK(set.rules[1].text == "allow char 226:* rw audit");
  CHECK(set.rules[2].text == "allow block * mknod");
  CHECK(set.rules[3].text == "deny char 1:1 rwm");
  CHECK(set.rules[4].text == "deny ioctl /dev/null 0x5401");
  CHECK(set.rules[4].where.str() == "t.yaml:16:12");
}

TEST_CASE("no cgroup yet: no IR_RULE_CGROUP entry") {
  const NamespacePolicy p = policy_from("");
  const CompiledSet set = compile_policy_set({{&p, 3, 0}}, 1);
  CHECK(set.entries.size() == 1);
  CHECK(count_kind(set, IR_RULE_NAMESPACE) == 1);
  CHECK(set.entries[0].value.ns.kernel_deny == (1ull << IR_FEAT_COUNT) - 1);
  CHECK(set.entries[0].value.ns.audit == (IR_AUDIT_DENIALS | IR_AUDIT_DEVICES_RULES));
}

TEST_CASE("several namespaces share one set, rule ids index one table") {
  const NamespacePolicy a = policy_from("  devices: {allow: [{path: /dev/null}]}\n", "a");
  const NamespacePolicy b = policy_from(
      "  devices: {deny: [{path: /dev/null, audit: true}]}\n"
      "  ioctls: {allow: [{device: /dev/null, cmd: [1, 2]}]}\n",
      "b");
  const CompiledSet set = compile_policy_set({{&a, 1, 100}, {&b, 2, 200}}, 5);
  CHECK(set.diagnostics.empty());
  REQUIRE(set.rules.size() == 4);
  CHECK(set.rules[0].ns == "a");
  CHECK(set.rules[1].ns == "b");
  const MapEntry* na = find_entry(set, IR_RULE_DEVICE, 1, kDevNull);
  const MapEntry* nb = find_entry(set, IR_RULE_DEVICE, 2, kDevNull);
  REQUIRE(na);
  REQUIRE(nb);
  CHECK(na->value.dev.effect == IR_ALLOW);
  CHECK(nb->value.dev.effect == IR_DENY);
  CHECK(nb->value.dev.rule_id == 1);
  CHECK(find_entry(set, IR_RULE_CGROUP, 0, 200)->value.ns.ns_id == 2);
  const MapEntry* io = find_entry(set, IR_RULE_IOCTL, 2, kDevNull);
  REQUIRE(io);
  CHECK(io->value.ioctl.ranges[0].rule_id == 2);
  CHECK(io->value.ioctl.ranges[1].rule_id == 3);

  // A set must not give two namespaces one id or one cgroup.
  const CompiledSet bad = compile_policy_set({{&a, 1, 100}, {&b, 1, 100}}, 5);
  CHECK(std::count_if(bad.diagnostics.begin(), bad.diagnostics.end(),
                      [](const Diagnostic& d) { return d.error; }) == 2);
}

TEST_CASE(
    "ioctl ranges: overlaps resolved (deny wins), sorted, adjacent ranges of one rule merged") {
  const NamespacePolicy p = policy_from(
      "  ioctls:\n"
      "    allow:\n"
      "      - {device: /dev/null, cmd: \"0x10-0x30\"}\n"
      "      - {device: /dev/null, cmd: \"0x28-0x40\", audit: true}\n"
      "      - {device: /dev/null, cmd: [\"0x100\", \"0x101\"]}\n"
      "    deny:\n"
      "      - {device: /dev/null, cmd: \"0x20\"}\n"
      "      - {device: /dev/null, cmd: \"0x0-0x5\"}\n");
  const CompiledSet set = compile_policy_set({{&p, 1, 0}}, 1);
  // 0x28-0x30 is in both allow rules: the audited one wins. The two list entries are two rules.
  CHECK(ioctl_ranges(set, 1, kDevNull) == std::vector<std::string>{"0-5:D", "10-1f:A", "20-20:D",
                                                                   "21-27:A", "28-40:Aa",
                                                                   "100-100:A", "101-101:A"});
}

TEST_CASE("ioctl rules without a device or with wildcards land on the class keys") {
  const NamespacePolicy p = policy_from(
      "  ioctls:\n"
      "    deny:\n"
      "      - {cmd: 0x5412}\n"
      "      - {device: {class: char, major: 226}, cmd: \"*\"}\n"
      "      - {device: {class: block}, cmd: 1}\n");
  const CompiledSet set = compile_policy_set({{&p, 1, 0}}, 1);
  const uint64_t any_char = ir_dev_id(IR_DEV_CHAR, IR_ANY_MAJOR, IR_ANY_MINOR);
  const uint64_t any_block = ir_dev_id(IR_DEV_BLOCK, IR_ANY_MAJOR, IR_ANY_MINOR);
  CHECK(ioctl_ranges(set, 1, any_char) == std::vector<std::string>{"5412-5412:D"});
  CHECK(ioctl_ranges(set, 1, any_block) == std::vector<std::string>{"1-1:D", "5412-5412:D"});
  CHECK(ioctl_ranges(set, 1, ir_dev_id(IR_DEV_CHAR, 226, IR_ANY_MINOR)) ==
        std::vector<std::string>{"0-ffffffff:D"});
  CHECK(count_kind(set, IR_RULE_IOCTL) == 3);
}

TEST_CASE("ioctl chunks: 8 ranges each, a short (possibly empty) chunk ends the list") {
  auto with_commands = [](int n) {
    std::string spec = "  ioctls:\n    allow:\n";
    for (int i = 0; i < n; ++i)
      spec += "      - {device: /dev/null, cmd: " + std::to_string(10 * i) + "}\n";
    return policy_from(spec);
  };
  auto chunk_counts = [](const CompiledSet& set) {
    std::vector<uint32_t> counts;
    for (uint16_t c = 0; const MapEntry* e = find_entry(set, IR_RULE_IOCTL, 1, kDevNull, c); ++c)
      counts.push_back(e->value.ioctl.count);
    return counts;
  };
  const NamespacePolicy p20 = with_commands(20), p16 = with_commands(16), p64 = with_commands(64);
  CHECK(chunk_counts(compile_policy_set({{&p20, 1, 0}}, 1)) == std::vector<uint32_t>{8, 8, 4});
  CHECK(chunk_counts(compile_policy_set({{&p16, 1, 0}}, 1)) == std::vector<uint32_t>{8, 8, 0});
  const CompiledSet full = compile_policy_set({{&p64, 1, 0}}, 1);
  CHECK(chunk_counts(full) == std::vector<uint32_t>(8, 8));
  CHECK(full.diagnostics.empty());
  const auto ranges = ioctl_ranges(full, 1, kDevNull);
  REQUIRE(ranges.size() == 64);
  CHECK(ranges.front() == "0-0:A");
  CHECK(ranges.back() == "276-276:A");  // 630
}

TEST_CASE("too many ioctl ranges for one device: an error, and the device fails closed") {
  // Validation refuses this file; a policy object built by hand reaches the compiler anyway.
  NamespacePolicy p = policy_from("");
  for (uint32_t i = 0; i < 65; ++i) {
    IoctlRule r;
    r.device = DeviceMatch{};
    r.device->path = "/dev/null";
    r.lo = r.hi = 2 * i;
    r.effect = Effect::Allow;
    r.where = {"t.yaml", static_cast<int>(10 + i), 9};
    p.ioctls.push_back(r);
  }
  const CompiledSet set = compile_policy_set({{&p, 1, 0}}, 1);
  REQUIRE(set.diagnostics.size() == 1);
  CHECK(set.diagnostics[0].error);
  CHECK(set.diagnostics[0].str() ==
        "t.yaml:74:9: error: ioctl rules for char 1:3 need 65 ranges (at most 64); compiled as "
        "deny-all for this device");
  CHECK(ioctl_ranges(set, 1, kDevNull) == std::vector<std::string>{"0-ffffffff:D"});
}

TEST_CASE("device rules whose path does not resolve are left out with a warning") {
  NamespacePolicy p = policy_from("");
  DeviceRule r;
  r.match.path = "/dev/ireactor-nosuch";
  r.access = IR_ACC_READ;
  r.where = {"t.yaml", 9, 9};
  p.devices.push_back(r);
  const CompiledSet set = compile_policy_set({{&p, 1, 0}}, 1);
  CHECK(count_kind(set, IR_RULE_DEVICE) == 0);
  REQUIRE(set.diagnostics.size() == 1);
  CHECK_FALSE(set.diagnostics[0].error);
  CHECK(set.rules.size() == 1);  // the rule keeps its id
}

TEST_CASE("conflicting rules on one key compile as deny") {
  NamespacePolicy p = policy_from("");
  DeviceRule allow, deny;
  allow.match.path = "/dev/null";
  allow.effect = Effect::Allow;
  allow.access = IR_ACC_READ | IR_ACC_WRITE;
  deny.match.major = 1;
  deny.match.minor = 3;
  deny.effect = Effect::Deny;
  deny.access = IR_ACC_WRITE;
  p.devices = {allow, deny};
  const CompiledSet set = compile_policy_set({{&p, 1, 0}}, 1);
  const MapEntry* e = find_entry(set, IR_RULE_DEVICE, 1, kDevNull);
  REQUIRE(e);
  CHECK(e->value.dev.effect == IR_DENY);
  CHECK(e->value.dev.access == IR_ACC_WRITE);
  CHECK(e->value.dev.rule_id == 1);
  REQUIRE(set.diagnostics.size() == 1);
  CHECK_FALSE(set.diagnostics[0].error);
}

TEST_CASE("map entries carry no stray bytes") {
  const NamespacePolicy p = policy_from("  devices: {allow: [{path: /dev/null}]}\n");
  const CompiledSet set = compile_policy_set({{&p, 1, 0}}, 1);
  const MapEntry* e = find_entry(set, IR_RULE_DEVICE, 1, kDevNull);
  REQUIRE(e);
  const auto* bytes = reinterpret_cast<const unsigned char*>(&e->value);
  for (size_t i = sizeof(ir_device_rule); i < sizeof(ir_rule_value); ++i) CHECK(bytes[i] == 0);
  CHECK(e->key.chunk == 0);
}

TEST_CASE("start layers: seccomp refuses the denied features' system calls") {
  const NamespacePolicy p = policy_from("  kernel: {ptrace: allow, setTime: allow}\n");
  const StartLayers layers = start_layers(p);
  std::map<int, StartLayers::Syscall> by_nr;
  for (const auto& s : layers.seccomp_deny) by_nr[s.nr] = s;
  CHECK(by_nr.count(SYS_ptrace) == 0);
  CHECK(by_nr.count(SYS_clock_settime) == 0);
  CHECK(by_nr.at(SYS_bpf).feature == IR_FEAT_BPF);
  for (long nr : {SYS_mount, SYS_umount2, SYS_move_mount, SYS_open_tree, SYS_fsopen, SYS_fsmount,
                  SYS_fsconfig, SYS_mount_setattr, SYS_pivot_root})
    CHECK(by_nr.at(nr).feature == IR_FEAT_MOUNT);
  for (long nr : {SYS_init_module, SYS_finit_module, SYS_delete_module})
    CHECK(by_nr.at(nr).feature == IR_FEAT_MODULE_LOAD);
  CHECK(by_nr.at(SYS_socket).feature == IR_FEAT_PACKET_SOCKETS);
  CHECK(by_nr.at(SYS_socket).arg0 == AF_PACKET);
  CHECK(by_nr.at(SYS_perf_event_open).arg0 == -1);
  for (long nr : {SYS_kexec_load, SYS_kexec_file_load, SYS_reboot})
    CHECK(by_nr.at(nr).feature == IR_FEAT_KEXEC_REBOOT);
  // Raw sockets and sysctl writes are the cgroup programs' part, never seccomp's.
  for (const auto& s : layers.seccomp_deny) {
    CHECK(s.feature != IR_FEAT_RAW_SOCKETS);
    CHECK(s.feature != IR_FEAT_SYSCTL_WRITE);
  }
  // The mount feature's numbers are what x86-64 calls them.
  CHECK(SYS_mount == 165);
  CHECK(SYS_bpf == 321);
  CHECK(SYS_socket == 41);
}

TEST_CASE("start layers: everything allowed leaves seccomp empty") {
  std::string kernel = "  kernel:\n";
  for (int f = 0; f < IR_FEAT_COUNT; ++f)
    kernel += std::string("    ") + feature_name(f) + ": allow\n";
  const NamespacePolicy p = policy_from(kernel + "  ioctls: {default: allow}\n");
  const StartLayers layers = start_layers(p);
  CHECK(layers.seccomp_deny.empty());
  CHECK_FALSE(layers.restrict_device_ioctls);
  CHECK(layers.ioctl_devices.empty());
  CHECK_FALSE(layers.fence_cgroups);
}

TEST_CASE("start layers: cgroupWrite denied fences the cgroup mounts and refuses clone3") {
  const StartLayers denied = start_layers(policy_from("  kernel: {ptrace: allow}\n"));
  CHECK(denied.fence_cgroups);
  const auto clone3 = std::find_if(denied.seccomp_deny.begin(), denied.seccomp_deny.end(),
                                   [](const auto& s) { return s.nr == SYS_clone3; });
  REQUIRE(clone3 != denied.seccomp_deny.end());
  CHECK(clone3->feature == IR_FEAT_CGROUP_WRITE);
  CHECK(clone3->arg0 == -1);
  // ENOSYS, not EPERM: glibc falls back to clone, which has no CLONE_INTO_CGROUP.
  CHECK(clone3->error == ENOSYS);
  for (const auto& s : denied.seccomp_deny)
    if (s.nr != SYS_clone3) CHECK(s.error == EPERM);
  CHECK(SYS_clone3 == 435);

  const StartLayers allowed = start_layers(policy_from("  kernel: {cgroupWrite: allow}\n"));
  CHECK_FALSE(allowed.fence_cgroups);
  for (const auto& s : allowed.seccomp_deny) CHECK(s.nr != SYS_clone3);
}

TEST_CASE("start layers: Landlock keeps ioctls on devices with an allowed command") {
  const NamespacePolicy p = policy_from(
      "  ioctls:\n"
      "    allow:\n"
      "      - {device: /dev/null, cmd: 1}\n"
      "      - {device: {class: char, major: 1, minor: 5}, cmd: 1}\n"  // /dev/zero by number
      "      - {device: /dev/full, cmd: 1}\n"
      "    deny:\n"
      "      - {device: /dev/full, cmd: \"*\"}\n");  // deny wins: /dev/full has nothing allowed
  const StartLayers layers = start_layers(p);
  CHECK(layers.restrict_device_ioctls);
  const auto& d = layers.ioctl_devices;
  CHECK(std::find(d.begin(), d.end(), "/dev/null") != d.end());
  CHECK(std::find(d.begin(), d.end(), "/dev/zero") != d.end());
  CHECK(std::find(d.begin(), d.end(), "/dev/full") == d.end());
  CHECK(std::find(d.begin(), d.end(), "/dev/tty") == d.end());
  CHECK(std::is_sorted(d.begin(), d.end()));

  const StartLayers none = start_layers(policy_from(""));
  CHECK(none.restrict_device_ioctls);
  CHECK(none.ioctl_devices.empty());
}
