// Ioctl command ranges of one (namespace, device key) made non-overlapping and sorted, as the
// guard's ioctl chunks need them: on overlap deny wins over allow, then an audited rule over an
// unaudited one, then the rule written first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ireactor::policy {

struct IoctlInput {
  uint32_t lo = 0, hi = 0;  // inclusive
  bool allow = false;
  bool audit = false;
  uint32_t order = 0;  // position of the rule in the file (ties: lower wins); also its identity
};

struct IoctlSegment {
  uint32_t lo = 0, hi = 0;
  bool allow = false;
  bool audit = false;
  uint32_t order = 0;  // the rule that decides this segment
};

std::vector<IoctlSegment> merge_ioctl_ranges(const std::vector<IoctlInput>& inputs);

inline constexpr size_t kMaxIoctlSegments = 64;  // IR_IOCTL_MAX_CHUNKS * IR_IOCTL_RANGES_PER_CHUNK

}  // namespace ireactor::policy
