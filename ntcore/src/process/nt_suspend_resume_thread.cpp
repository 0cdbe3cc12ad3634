// NtSuspendThread / NtResumeThread. Suspension is cooperative: a thread that never ran Windows
// code (created suspended) waits before it does, and a thread suspending itself blocks in the
// call until resumed. Stopping another running thread at an arbitrary instruction would need a
// signal that parks it (and its CONTEXT for NtGetContextThread): STATUS_NOT_SUPPORTED until then.
#include <spdlog/spdlog.h>

#include "ireactor/process.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/services/process_services.h"
#include "process/thread_handle.h"

namespace ireactor {

namespace {

constexpr nt::NTSTATUS STATUS_SUSPEND_COUNT_EXCEEDED = nt::status(0xC000004A);
constexpr nt::NTSTATUS STATUS_THREAD_IS_TERMINATING = nt::status(0xC000004B);

nt::NTSTATUS write_count(UserPtr<nt::ULONG> out, uint32_t count) {
  if (out && !out.write(count)) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

}  // namespace

nt::NTSTATUS NtSuspendThread(nt::HANDLE ThreadHandle, UserPtr<nt::ULONG> PreviousSuspendCount) {
  if (PreviousSuspendCount && !probe_user(PreviousSuspendCount.addr(), sizeof(nt::ULONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  std::shared_ptr<ThreadObject> thread;
  if (nt::NTSTATUS s = reference_thread(ThreadHandle, nt::THREAD_SUSPEND_RESUME, thread);
      !nt::nt_success(s))
    return s;
  if (thread->exited()) return STATUS_THREAD_IS_TERMINATING;
  const bool self = thread == current_thread_object();
  if (!self && thread->started()) {
    spdlog::warn("NtSuspendThread of another running thread (tid {}) is not supported",
                 thread->tid());
    return nt::STATUS_NOT_SUPPORTED;
  }
  uint32_t previous = 0;
  if (!thread->suspend(previous)) return STATUS_SUSPEND_COUNT_EXCEEDED;
  if (self) thread->wait_while_suspended();
  return write_count(PreviousSuspendCount, previous);
}

nt::NTSTATUS NtResumeThread(nt::HANDLE ThreadHandle, UserPtr<nt::ULONG> PreviousSuspendCount) {
  if (PreviousSuspendCount && !probe_user(PreviousSuspendCount.addr(), sizeof(nt::ULONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  std::shared_ptr<ThreadObject> thread;
  if (nt::NTSTATUS s = reference_thread(ThreadHandle, nt::THREAD_SUSPEND_RESUME, thread);
      !nt::nt_success(s))
    return s;
  return write_count(PreviousSuspendCount, thread->resume());
}

}  // namespace ireactor
