#include <errno.h>
#include <time.h>

#include <limits>

#include "ireactor/services/sync_services.h"
#include "ireactor/system/nt_time.h"

namespace ireactor {

namespace {

// Sleeps until an absolute time on `clock`, resuming after signal interruptions.
void sleep_until(clockid_t clock, const timespec& when) {
  while (clock_nanosleep(clock, TIMER_ABSTIME, &when, nullptr) == EINTR) {
  }
}

}  // namespace

// Relative intervals (negative) run on the monotonic clock, absolute ones (positive FILETIMEs) on
// the real-time clock. Zero yields and returns what NtYieldExecution returns, as Windows does;
// any other delay returns STATUS_SUCCESS (never STATUS_TIMEOUT). Alertable has no effect yet:
// there are no APCs to deliver.
nt::NTSTATUS NtDelayExecution(nt::BOOLEAN Alertable, UserPtr<int64_t> DelayInterval) {
  int64_t interval;
  if (!DelayInterval.read(interval)) return nt::STATUS_ACCESS_VIOLATION;
  if (interval == 0) return NtYieldExecution();
  if (interval < 0) {
    uint64_t ticks = 0 - static_cast<uint64_t>(interval);
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t start = ticks_from_timespec(now);
    int64_t end = ticks > static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - start)
                      ? std::numeric_limits<int64_t>::max()
                      : start + static_cast<int64_t>(ticks);
    sleep_until(CLOCK_MONOTONIC, timespec_from_ticks(end));
  } else {
    sleep_until(CLOCK_REALTIME, unix_from_filetime(interval));
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
