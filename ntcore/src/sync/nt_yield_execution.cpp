#include <sched.h>
#include <sys/resource.h>

#include "ireactor/services/sync_services.h"

namespace ireactor {

// Windows reports whether another thread actually ran. Linux's sched_yield does not say, but a
// yield that switched to another task counts as an involuntary context switch of this thread.
nt::NTSTATUS NtYieldExecution() {
  rusage before, after;
  bool measured = getrusage(RUSAGE_THREAD, &before) == 0;
  sched_yield();
  if (!measured || getrusage(RUSAGE_THREAD, &after) != 0) return nt::STATUS_SUCCESS;
  return after.ru_nivcsw != before.ru_nivcsw ? nt::STATUS_SUCCESS : nt::STATUS_NO_YIELD_PERFORMED;
}

}  // namespace ireactor
