// NtQueryInformationThread for the threads of the process ntcore hosts.
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/process/windows_threads.h"
#include "ireactor/services/process_services.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/system/system_information.h"
#include "process/thread_handle.h"
#include "system/info_output.h"

namespace ireactor {

namespace {

constexpr nt::ACCESS_MASK kLimited =
    nt::THREAD_QUERY_INFORMATION | nt::THREAD_QUERY_LIMITED_INFORMATION;
constexpr nt::ACCESS_MASK kFull = nt::THREAD_QUERY_INFORMATION;

uint64_t thread_affinity_mask(uint32_t tid) {
  const uint64_t active = host_system_info().active_processor_mask;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(static_cast<pid_t>(tid), sizeof(set), &set) != 0) return active;
  uint64_t mask = 0;
  for (int cpu = 0; cpu < 64; ++cpu)
    if (CPU_ISSET(cpu, &set)) mask |= 1ull << cpu;
  return (mask & active) ? (mask & active) : active;
}

nt::THREAD_BASIC_INFORMATION basic_information(const ThreadObject& t) {
  nt::THREAD_BASIC_INFORMATION info{};
  info.ExitStatus = t.exit_status();
  info.TebBaseAddress = t.teb.load();
  info.ClientId = {current_process().pid, t.tid()};
  info.AffinityMask = thread_affinity_mask(t.tid());
  info.BasePriority = t.base_priority.load();
  info.Priority = nt::kNormalBasePriority + info.BasePriority;
  return info;
}

// User and kernel time of a live thread: the caller's from getrusage, another's from
// /proc/self/task/<tid>/stat (utime and stime, fields 14 and 15, in clock ticks).
void thread_cpu_times(uint32_t tid, nt::KERNEL_USER_TIMES& t) {
  if (tid == static_cast<uint32_t>(gettid())) {
    rusage ru{};
    if (getrusage(RUSAGE_THREAD, &ru) == 0) {
      t.UserTime = ru.ru_utime.tv_sec * kTicksPerSecond + ru.ru_utime.tv_usec * 10;
      t.KernelTime = ru.ru_stime.tv_sec * kTicksPerSecond + ru.ru_stime.tv_usec * 10;
    }
    return;
  }
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%u/stat", tid);
  FILE* f = std::fopen(path, "r");
  if (!f) return;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // the command name may hold blanks
  unsigned long long utime = 0, stime = 0;
  if (p && std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                       &stime) == 2) {
    const long hz = sysconf(_SC_CLK_TCK);
    if (hz > 0) {
      t.UserTime = static_cast<int64_t>(utime) * kTicksPerSecond / hz;
      t.KernelTime = static_cast<int64_t>(stime) * kTicksPerSecond / hz;
    }
  }
}

nt::KERNEL_USER_TIMES times(const ThreadObject& t) {
  nt::KERNEL_USER_TIMES info{};
  info.CreateTime = t.create_time.load();
  info.ExitTime = t.exit_time.load();
  if (!t.exited()) thread_cpu_times(t.tid(), info);
  return info;
}

// A fixed-size class: the length is checked before the handle, as Windows does.
template <class T, class Fill>
nt::NTSTATUS query_fixed(nt::HANDLE handle, nt::ACCESS_MASK access, UserPtr<void> buffer,
                         nt::ULONG length, UserPtr<nt::ULONG> return_length, Fill fill) {
  if (length != sizeof(T)) return info_length_mismatch(return_length, sizeof(T));
  std::shared_ptr<ThreadObject> thread;
  if (nt::NTSTATUS s = reference_thread(handle, access, thread); !nt::nt_success(s)) return s;
  T info = fill(*thread);
  return return_info(buffer, &info, sizeof(T), return_length);
}

// THREAD_NAME_INFORMATION: a UNICODE_STRING followed by the characters it points to. A buffer
// too small for all of it is STATUS_BUFFER_TOO_SMALL with the size needed (what
// GetThreadDescription sizes its buffer by).
nt::NTSTATUS query_name(nt::HANDLE handle, UserPtr<void> buffer, nt::ULONG length,
                        UserPtr<nt::ULONG> return_length) {
  std::shared_ptr<ThreadObject> thread;
  if (nt::NTSTATUS s = reference_thread(handle, kLimited, thread); !nt::nt_success(s)) return s;
  const std::u16string name = thread->description();
  const auto bytes = static_cast<nt::USHORT>(name.size() * sizeof(char16_t));
  const nt::ULONG needed = sizeof(nt::UNICODE_STRING) + bytes;
  if (length < needed) {
    if (nt::NTSTATUS s = set_return_length(return_length, needed); !nt::nt_success(s)) return s;
    return nt::STATUS_BUFFER_TOO_SMALL;
  }
  std::vector<uint8_t> out(needed, 0);
  nt::UNICODE_STRING us{};
  us.Length = bytes;
  us.MaximumLength = bytes;
  us.Buffer = bytes ? buffer.addr() + sizeof(nt::UNICODE_STRING) : 0;
  std::memcpy(out.data(), &us, sizeof us);
  std::memcpy(out.data() + sizeof us, name.data(), bytes);
  return return_info(buffer, out.data(), needed, return_length);
}

}  // namespace

nt::NTSTATUS NtQueryInformationThread(nt::HANDLE ThreadHandle, nt::ULONG ThreadInformationClass,
                                      UserPtr<void> ThreadInformation,
                                      nt::ULONG ThreadInformationLength,
                                      UserPtr<nt::ULONG> ReturnLength) {
  // BOOLEAN-sized classes need no alignment; the others are ULONG-aligned at least.
  const uint64_t alignment = ThreadInformationClass == nt::ThreadHideFromDebugger ? 1 : 4;
  if (nt::NTSTATUS s = probe_info_output(ThreadInformation.addr(), ThreadInformationLength,
                                         alignment, ReturnLength);
      !nt::nt_success(s))
    return s;
  const nt::HANDLE h = ThreadHandle;
  const UserPtr<void> buf = ThreadInformation;
  const nt::ULONG len = ThreadInformationLength;
  const UserPtr<nt::ULONG> rl = ReturnLength;
  switch (ThreadInformationClass) {
    case nt::ThreadBasicInformation:
      return query_fixed<nt::THREAD_BASIC_INFORMATION>(h, kLimited, buf, len, rl,
                                                       basic_information);
    case nt::ThreadTimes:
      return query_fixed<nt::KERNEL_USER_TIMES>(h, kLimited, buf, len, rl, times);
    case nt::ThreadQuerySetWin32StartAddress:
      return query_fixed<uint64_t>(h, kFull, buf, len, rl,
                                   [](const ThreadObject& t) { return t.start_address.load(); });
    case nt::ThreadAmILastThread:  // about the caller, whatever thread the handle names
      return query_fixed<nt::ULONG>(h, kFull, buf, len, rl, [](const ThreadObject&) {
        return nt::ULONG{live_windows_threads() == 1};
      });
    case nt::ThreadHideFromDebugger:
      return query_fixed<nt::BOOLEAN>(h, kFull, buf, len, rl, [](const ThreadObject& t) {
        return nt::BOOLEAN{t.hidden_from_debugger.load()};
      });
    case nt::ThreadIsTerminated:
      return query_fixed<nt::ULONG>(h, kLimited, buf, len, rl,
                                    [](const ThreadObject& t) { return nt::ULONG{t.exited()}; });
    case nt::ThreadSuspendCount:
      return query_fixed<nt::ULONG>(h, kLimited, buf, len, rl,
                                    [](const ThreadObject& t) { return t.suspend_count(); });
    case nt::ThreadNameInformation:
      return query_name(h, buf, len, rl);
    default:
      return nt::STATUS_INVALID_INFO_CLASS;
  }
}

}  // namespace ireactor
