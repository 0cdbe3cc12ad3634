#include <limits>

#include "ireactor/sync/wait.h"
#include "ireactor/system/nt_time.h"

namespace ireactor {

namespace {

// Beyond about a century a timeout is as good as infinite, and clock arithmetic stays far from
// overflowing int64 nanoseconds.
constexpr int64_t kForeverTicks = 100ll * 366 * 86400 * kTicksPerSecond;

std::chrono::nanoseconds ticks_to_ns(int64_t ticks) {
  return std::chrono::nanoseconds(ticks * kNanosecondsPerTick);
}

}  // namespace

WaitDeadline WaitDeadline::from_nt_timeout(int64_t timeout) {
  WaitDeadline d;
  if (timeout == 0) {
    d.kind = Kind::Poll;
  } else if (timeout < 0) {
    // Negate in unsigned arithmetic: INT64_MIN has no positive counterpart.
    uint64_t ticks = 0 - static_cast<uint64_t>(timeout);
    if (ticks > static_cast<uint64_t>(kForeverTicks)) return infinite();
    d.kind = Kind::Relative;
    d.steady = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   ticks_to_ns(static_cast<int64_t>(ticks)));
  } else {
    int64_t since_unix = timeout - kUnixEpochAsFileTime;
    if (since_unix > kForeverTicks) return infinite();
    if (since_unix < 0) since_unix = 0;  // long past either way
    d.kind = Kind::Absolute;
    d.system = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(ticks_to_ns(since_unix)));
  }
  return d;
}

bool WaitDeadline::expired() const {
  switch (kind) {
    case Kind::Infinite:
      return false;
    case Kind::Poll:
      return true;
    case Kind::Relative:
      return std::chrono::steady_clock::now() >= steady;
    case Kind::Absolute:
      return std::chrono::system_clock::now() >= system;
  }
  return true;
}

}  // namespace ireactor
