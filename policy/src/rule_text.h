// Rules as one short line, for audit records and `policy show`:
// "allow char 226:* rw audit", "deny ioctl /dev/tty 0x5401".
#pragma once

#include <cstdint>
#include <string>

#include "ireactor/policy/model.h"

namespace ireactor::policy {

std::string device_rule_text(const DeviceRule& rule);
std::string ioctl_rule_text(const IoctlRule& rule);
std::string cmd_range_text(uint32_t lo, uint32_t hi);  // "0x5401", "0x6400-0x64ff"

}  // namespace ireactor::policy
