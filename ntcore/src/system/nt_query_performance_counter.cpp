#include "ireactor/services/system_services.h"
#include "ireactor/system/nt_time.h"

namespace ireactor {

// Hot path (benchmarked against clock_gettime): one vDSO clock read and one user copy, no system
// call. Counter is required (NULL is STATUS_ACCESS_VIOLATION), Frequency optional.
nt::NTSTATUS NtQueryPerformanceCounter(UserPtr<int64_t> PerformanceCounter,
                                       UserPtr<int64_t> PerformanceFrequency) {
  if (!PerformanceCounter.write(current_performance_counter())) return nt::STATUS_ACCESS_VIOLATION;
  if (PerformanceFrequency && !PerformanceFrequency.write(kPerformanceFrequency))
    return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
