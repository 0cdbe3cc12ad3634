// audit.jsonl lines from guard events: the documented fields in order, names the kernel cannot
// know filled in, time converted from boot time to RFC 3339 UTC.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstring>

#include "audit_record.h"
#include "device_names.h"

using namespace ireactor::agent;

namespace {

ir_audit_event device_event() {
  ir_audit_event ev;
  std::memset(&ev, 0, sizeof ev);
  ev.boot_ns = 5'000'000'123;
  ev.ns_id = 3;
  ev.generation = 42;
  ev.pid = 4242;
  ev.tid = 4243;
  ev.rule_id = 1;
  ev.kind = IR_EV_DEVICE_OPEN;
  ev.decision = IR_ALLOW;
  ev.layer = IR_LAYER_LSM;
  ev.dev_type = IR_DEV_CHAR;
  ev.major = 226;
  ev.minor = 128;
  ev.access = IR_ACC_READ | IR_ACC_WRITE;
  std::strcpy(ev.comm, "app.exe");
  std::strcpy(ev.path, "/dev/dri/renderD128");
  return ev;
}

AuditLookups lookups() {
  AuditLookups l;
  l.ns_name = [](uint32_t id) -> std::optional<std::string> {
    if (id == 3) return "office";
    return std::nullopt;
  };
  l.rule_origin = [](uint32_t gen, uint32_t rule) -> std::optional<std::string> {
    if (gen == 42 && rule == 1) return "/etc/ireactor/policy.d/office.yaml:12";
    return std::nullopt;
  };
  l.device_name = [](uint32_t, uint32_t, uint32_t) -> std::optional<std::string> {
    return "/dev/zero";
  };
  return l;
}

// 2026-11-25T10:00:00Z in nanoseconds since the epoch.
constexpr int64_t kWall = 1795600800LL * 1'000'000'000;

}  // namespace

TEST_CASE("a device open has every documented field, in order") {
  const auto j = audit_record(device_event(), kWall - 5'000'000'000, lookups());
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"time", "ns", "pid", "tid", "image", "event", "device",
                                         "dev", "access", "ioctl", "feature", "decision", "layer",
                                         "rule", "generation"});
  CHECK(j.dump() ==
        R"({"time":"2026-11-25T10:00:00.000000Z","ns":"office","pid":4242,"tid":4243,)"
        R"("image":"app.exe","event":"device_open","device":"/dev/dri/renderD128",)"
        R"("dev":"c 226:128","access":"rw","ioctl":null,"feature":null,"decision":"allow",)"
        R"("layer":"lsm","rule":"/etc/ireactor/policy.d/office.yaml:12","generation":42})");
}

TEST_CASE("cgroup/dev events name the device from /dev; unknown names are null") {
  ir_audit_event ev = device_event();
  ev.path[0] = '\0';
  ev.layer = IR_LAYER_CGROUP_DEV;
  ev.decision = IR_DENY;
  ev.access = IR_ACC_READ;
  ev.rule_id = IR_RULE_DEFAULT;
  ev.ns_id = 9;
  const auto j = audit_record(ev, 0, lookups());
  CHECK(j["device"] == "/dev/zero");
  CHECK(j["access"] == "r");
  CHECK(j["decision"] == "deny");
  CHECK(j["layer"] == "cgroup_dev");
  CHECK(j["rule"] == "default");
  CHECK(j["ns"].is_null());

  ev.rule_id = 7;  // a rule of a generation this agent did not compile
  CHECK(audit_record(ev, 0, lookups())["rule"].is_null());
}

TEST_CASE("ioctl, mknod and feature events") {
  ir_audit_event ev = device_event();
  ev.kind = IR_EV_IOCTL;
  ev.ioctl_cmd = 0x5401;
  ev.access = 0;
  auto j = audit_record(ev, 0, lookups());
  CHECK(j["event"] == "ioctl");
  CHECK(j["ioctl"] == "0x5401");
  CHECK(j["access"].is_null());

  ev = device_event();
  ev.kind = IR_EV_DEVICE_MKNOD;
  ev.access = IR_ACC_MKNOD;
  CHECK(audit_record(ev, 0, lookups())["access"] == "mknod");

  ev = device_event();
  ev.kind = IR_EV_FEATURE;
  ev.feature = IR_FEAT_PTRACE;
  ev.dev_type = 0;
  ev.path[0] = '\0';
  j = audit_record(ev, 0, lookups());
  CHECK(j["event"] == "feature");
  CHECK(j["feature"] == "ptrace");
  CHECK(j["device"].is_null());
  CHECK(j["dev"].is_null());
  CHECK(j["access"].is_null());
}

TEST_CASE("comm and path without a NUL stay within their arrays") {
  ir_audit_event ev = device_event();
  std::memset(ev.comm, 'x', sizeof ev.comm);
  std::memset(ev.path, 'p', sizeof ev.path);
  const auto j = audit_record(ev, 0, lookups());
  CHECK(j["image"].get<std::string>().size() == sizeof ev.comm);
  CHECK(j["device"].get<std::string>().size() == sizeof ev.path);
}

TEST_CASE("times are RFC 3339 UTC with microseconds") {
  CHECK(rfc3339_utc_us(kWall + 123'456'789) == "2026-11-25T10:00:00.123456Z");
  CHECK(rfc3339_utc_us(0) == "1970-01-01T00:00:00.000000Z");
  // Boot time plus the offset lands near now.
  const int64_t now = realtime_now_ns();
  struct timespec boot;
  clock_gettime(CLOCK_BOOTTIME, &boot);
  const int64_t boot_ns = boot.tv_sec * 1'000'000'000LL + boot.tv_nsec;
  CHECK(std::llabs(boot_ns + boot_to_realtime_offset_ns() - now) < 1'000'000'000LL);
}

TEST_CASE("lost lines") {
  CHECK(lost_record(kWall, 5, 12).dump() ==
        R"({"time":"2026-11-25T10:00:00.000000Z","event":"lost","count":5,"total":12})");
}

TEST_CASE("device numbers are named from /dev") {
  DeviceNames names;
  struct stat st;
  REQUIRE(stat("/dev/null", &st) == 0);
  CHECK(names.lookup(IR_DEV_CHAR, major(st.st_rdev), minor(st.st_rdev)) == "/dev/null");
  CHECK(!names.lookup(IR_DEV_BLOCK, 4095, 1048575).has_value());
}
