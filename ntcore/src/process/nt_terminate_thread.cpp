// NtTerminateThread. The calling thread ends at once (its DLL_THREAD_DETACH is RtlExitUserThread's
// business, before it gets here, as on Windows). Another thread can only be terminated before it
// ever ran Windows code (created suspended): ending a running one from outside would leave the
// runtime's locks it may hold taken, so that is STATUS_NOT_SUPPORTED for now.
#include <spdlog/spdlog.h>

#include "ireactor/process.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/process/windows_threads.h"
#include "ireactor/services/process_services.h"
#include "process/thread_handle.h"

namespace ireactor {

namespace {

constexpr nt::NTSTATUS STATUS_CANT_TERMINATE_SELF = nt::status(0xC00000DB);

}  // namespace

nt::NTSTATUS NtTerminateThread(nt::HANDLE ThreadHandle, nt::NTSTATUS ExitStatus) {
  if (ThreadHandle == 0) {
    // NULL: the calling thread, unless it is the last one (the process must end through
    // NtTerminateProcess then).
    if (live_windows_threads() <= 1) return STATUS_CANT_TERMINATE_SELF;
    exit_current_windows_thread(ExitStatus);
  }
  std::shared_ptr<ThreadObject> thread;
  if (nt::NTSTATUS s = reference_thread(ThreadHandle, nt::THREAD_TERMINATE, thread);
      !nt::nt_success(s))
    return s;
  if (thread == current_thread_object()) {
    thread.reset();  // the jump off this stack skips destructors
    exit_current_windows_thread(ExitStatus);
  }
  if (thread->exited()) return nt::STATUS_SUCCESS;
  if (thread->terminate_unstarted(ExitStatus)) return nt::STATUS_SUCCESS;
  spdlog::warn("NtTerminateThread of another running thread (tid {}) is not supported",
               thread->tid());
  return nt::STATUS_NOT_SUPPORTED;
}

}  // namespace ireactor
