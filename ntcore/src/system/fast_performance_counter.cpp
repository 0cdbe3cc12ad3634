// NtQueryPerformanceCounter in the fast gate's counter lane. The full path (the dispatcher, the
// service thunk, glibc's clock_gettime) costs more than the clock itself; here the gate saves no
// vector registers and the vDSO is called directly (the kernel builds it without SSE, so it
// leaves them alone too). The counter and frequency pointers must lie in ranges the thread's
// address-space cache has vouched for; otherwise - and while a tracer is attached to the
// dispatcher's probes - the lane declines and the full path answers, so results are the
// service's (nt_query_performance_counter.cpp).
//
// Compiled with -mgeneral-regs-only, as the file lane (io/fast_file_io.cpp).
#include "system/fast_performance_counter.h"

#include <dlfcn.h>
#include <time.h>

#include "dispatch/nt_probes.h"
#include "ireactor/dispatcher.h"
#include "ireactor/entry.h"
#include "ireactor/process.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/user_memory.h"

namespace ireactor::system {

namespace {

using VdsoClockGettime = int (*)(clockid_t, timespec*);

constinit VdsoClockGettime g_vdso_clock_gettime = nullptr;
constinit const AddressSpace* g_space = nullptr;

bool write_user(uint64_t to, int64_t value) {
  return ir_safe_memcpy(reinterpret_cast<void*>(to), &value, sizeof value) == 0;
}

}  // namespace

uint32_t enable_fast_performance_counter() {
  const std::optional<uint32_t> number = selected_service_number("NtQueryPerformanceCounter");
  void* vdso = dlopen("linux-vdso.so.1", RTLD_LAZY | RTLD_LOCAL | RTLD_NOLOAD);
  if (!number || !vdso) return 0xFFFFFFFF;
  g_vdso_clock_gettime =
      reinterpret_cast<VdsoClockGettime>(dlvsym(vdso, "__vdso_clock_gettime", "LINUX_2.6"));
  if (!g_vdso_clock_gettime) return 0xFFFFFFFF;
  g_space = &current_process().address_space;
  return *number;
}

}  // namespace ireactor::system

extern "C" uint64_t ir_fast_performance_counter(uint64_t counter, uint64_t frequency) {
  using namespace ireactor;
  const AddressSpace& space = *system::g_space;
  if (nt_probes_attached() || !space.accessible_cached(counter, sizeof(int64_t), true) ||
      (frequency && !space.accessible_cached(frequency, sizeof(int64_t), true)))
    return entry::kLaneDeclined;
  timespec now;
  if (system::g_vdso_clock_gettime(CLOCK_MONOTONIC, &now) != 0) return entry::kLaneDeclined;
  // A write that faults (the page went away since the check) leaves it to the full path.
  if (!system::write_user(counter, ticks_from_timespec(now)) ||
      (frequency && !system::write_user(frequency, kPerformanceFrequency)))
    return entry::kLaneDeclined;
  return nt::STATUS_SUCCESS;
}
