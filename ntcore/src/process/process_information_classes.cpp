#include <sched.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ireactor/system/nt_device_path.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/system/system_information.h"
#include "process/process_information_classes.h"
#include "process/process_start_time.h"

namespace ireactor {

namespace {

// The CPUs this process may run on, in Windows' one-group numbering (at most 64).
uint64_t process_affinity_mask() {
  uint64_t active = host_system_info().active_processor_mask;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return active;
  uint64_t mask = 0;
  for (int cpu = 0; cpu < 64; ++cpu)
    if (CPU_ISSET(cpu, &set)) mask |= 1ull << cpu;
  return (mask & active) ? (mask & active) : active;
}

int64_t ticks_from_timeval(const timeval& tv) {
  return static_cast<int64_t>(tv.tv_sec) * kTicksPerSecond + tv.tv_usec * 10;
}

}  // namespace

nt::PROCESS_BASIC_INFORMATION process_basic_information(const Process& p, const ProcessObject& o) {
  nt::PROCESS_BASIC_INFORMATION info{};
  info.ExitStatus = o.exit_status();
  info.PebBaseAddress = p.peb;
  info.AffinityMask = process_affinity_mask();
  info.BasePriority = nt::kNormalBasePriority;
  info.UniqueProcessId = p.pid;
  info.InheritedFromUniqueProcessId = static_cast<nt::ULONG_PTR>(getppid());
  return info;
}

nt::PROCESS_BASIC_INFORMATION child_basic_information(const Process& parent,
                                                      const ProcessObject& child) {
  nt::PROCESS_BASIC_INFORMATION info{};
  info.ExitStatus = child.exit_status();
  info.AffinityMask = process_affinity_mask();
  info.BasePriority = nt::kNormalBasePriority;
  info.UniqueProcessId = child.child_pid;
  info.InheritedFromUniqueProcessId = parent.pid;
  return info;
}

nt::KERNEL_USER_TIMES process_times() {
  nt::KERNEL_USER_TIMES t{};
  t.CreateTime = process_start_time();
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    t.KernelTime = ticks_from_timeval(ru.ru_stime);
    t.UserTime = ticks_from_timeval(ru.ru_utime);
  }
  return t;
}

nt::ULONG process_cookie() {
  static const nt::ULONG cookie = [] {
    nt::ULONG c = 0;
    if (getrandom(&c, sizeof(c), 0) != sizeof(c))
      c = static_cast<nt::ULONG>(current_performance_counter() ^ getpid());
    return c;
  }();
  return cookie;
}

std::u16string process_image_file_name(const Process& p, bool win32) {
  return win32 ? win32_path_from_nt_path(p.image_path) : nt_device_path_from_dos_path(p.image_path);
}

}  // namespace ireactor
