#include "audit_record.h"

#include <time.h>

#include <cstdio>
#include <cstring>

#include "ireactor/policy/parse.h"

namespace ireactor::agent {

namespace {

using json = nlohmann::ordered_json;

const char* event_name(uint16_t kind) {
  switch (kind) {
    case IR_EV_DEVICE_OPEN:
      return "device_open";
    case IR_EV_DEVICE_MKNOD:
      return "device_mknod";
    case IR_EV_IOCTL:
      return "ioctl";
    case IR_EV_FEATURE:
      return "feature";
  }
  return "unknown";
}

const char* layer_name(uint8_t layer) {
  switch (layer) {
    case IR_LAYER_LSM:
      return "lsm";
    case IR_LAYER_CGROUP_DEV:
      return "cgroup_dev";
    case IR_LAYER_SOCK_CREATE:
      return "sock_create";
    case IR_LAYER_SYSCTL:
      return "sysctl";
    case IR_LAYER_SECCOMP:
      return "seccomp";
    case IR_LAYER_LANDLOCK:
      return "landlock";
  }
  return "unknown";
}

json access_name(uint32_t access) {
  if (access & IR_ACC_MKNOD) return "mknod";
  const bool r = access & IR_ACC_READ, w = access & IR_ACC_WRITE;
  if (r && w) return "rw";
  if (r) return "r";
  if (w) return "w";
  return nullptr;
}

// The kernel copies comm and path with bpf_probe_read_*_str; stop at the NUL or the array end.
std::string bounded(const char* s, size_t size) {
  return std::string(s, ::strnlen(s, size));
}

json optional_string(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

int64_t clock_ns(clockid_t clock) {
  struct timespec ts;
  ::clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace

std::string rfc3339_utc_us(int64_t realtime_ns) {
  int64_t sec = realtime_ns / 1000000000, ns = realtime_ns % 1000000000;
  if (ns < 0) {
    sec -= 1;
    ns += 1000000000;
  }
  const time_t t = static_cast<time_t>(sec);
  struct tm tm;
  ::gmtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ns / 1000));
  return buf;
}

int64_t boot_to_realtime_offset_ns() {
  return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

int64_t realtime_now_ns() {
  return clock_ns(CLOCK_REALTIME);
}

json audit_record(const ir_audit_event& ev, int64_t boot_to_realtime_ns,
                  const AuditLookups& lookups) {
  const bool has_dev = ev.dev_type == IR_DEV_CHAR || ev.dev_type == IR_DEV_BLOCK;
  std::optional<std::string> device;
  if (ev.path[0] != '\0')
    device = bounded(ev.path, sizeof ev.path);
  else if (has_dev && lookups.device_name)
    device = lookups.device_name(ev.dev_type, ev.major, ev.minor);

  json dev = nullptr;
  if (has_dev)
    dev = std::string(ev.dev_type == IR_DEV_CHAR ? "c " : "b ") + std::to_string(ev.major) + ":" +
          std::to_string(ev.minor);

  json ioctl = nullptr;
  if (ev.kind == IR_EV_IOCTL) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", ev.ioctl_cmd);
    ioctl = buf;
  }

  json feature = nullptr;
  if (ev.kind == IR_EV_FEATURE) {
    const char* name = policy::feature_name(static_cast<int>(ev.feature));
    feature = name ? json(name) : json("feature#" + std::to_string(ev.feature));
  }

  json rule;
  if (ev.rule_id == IR_RULE_DEFAULT)
    rule = "default";
  else
    rule = optional_string(lookups.rule_origin ? lookups.rule_origin(ev.generation, ev.rule_id)
                                               : std::nullopt);

  json access = ev.kind == IR_EV_DEVICE_MKNOD ? json("mknod") : access_name(ev.access);
  if (ev.kind == IR_EV_FEATURE) access = nullptr;

  json out;
  out["time"] = rfc3339_utc_us(static_cast<int64_t>(ev.boot_ns) + boot_to_realtime_ns);
  out["ns"] = optional_string(lookups.ns_name ? lookups.ns_name(ev.ns_id) : std::nullopt);
  out["pid"] = ev.pid;
  out["tid"] = ev.tid;
  out["image"] = bounded(ev.comm, sizeof ev.comm);
  out["event"] = event_name(ev.kind);
  out["device"] = optional_string(device);
  out["dev"] = dev;
  out["access"] = access;
  out["ioctl"] = ioctl;
  out["feature"] = feature;
  out["decision"] = ev.decision == IR_ALLOW ? "allow" : "deny";
  out["layer"] = layer_name(ev.layer);
  out["rule"] = rule;
  out["generation"] = ev.generation;
  return out;
}

json lost_record(int64_t realtime_ns, uint64_t count, uint64_t total) {
  json out;
  out["time"] = rfc3339_utc_us(realtime_ns);
  out["event"] = "lost";
  out["count"] = count;
  out["total"] = total;
  return out;
}

}  // namespace ireactor::agent
