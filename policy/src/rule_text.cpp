#include "rule_text.h"

#include <cstdio>

#include "device_keys.h"

namespace ireactor::policy {

namespace {

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

const char* effect_text(Effect e) {
  return e == Effect::Allow ? "allow" : "deny";
}

}  // namespace

std::string cmd_range_text(uint32_t lo, uint32_t hi) {
  return lo == hi ? hex(lo) : hex(lo) + "-" + hex(hi);
}

std::string device_rule_text(const DeviceRule& rule) {
  // One allocation: the compiler spells every rule of a policy.
  std::string s;
  s.reserve(40);
  s += effect_text(rule.effect);
  s += ' ';
  s += match_text(rule.match);
  s += ' ';
  s += rule.access == IR_ACC_MKNOD ? "mknod" : access_text(rule.access);
  if (rule.audit) s += " audit";
  return s;
}

std::string ioctl_rule_text(const IoctlRule& rule) {
  std::string s = std::string(effect_text(rule.effect)) + " ioctl " + match_text(rule.device) +
                  " " + cmd_range_text(rule.lo, rule.hi);
  if (rule.audit) s += " audit";
  return s;
}

}  // namespace ireactor::policy
