#include <signal.h>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/terminate.h"
#include "ireactor/services/process_services.h"

namespace ireactor {

// NULL asks to end every thread of the process but the caller (what RtlExitUserProcess does
// before running DLL detach): the caller goes on. ntcore processes run one Windows thread so far,
// so there is nothing to end yet; with threads this must terminate the others.
// The hosted process or a child it started (NtCreateUserProcess).
nt::NTSTATUS NtTerminateProcess(nt::HANDLE ProcessHandle, nt::NTSTATUS ExitStatus) {
  if (ProcessHandle == 0) return nt::STATUS_SUCCESS;
  Process& p = current_process();
  HandleEntry e;
  if (nt::NTSTATUS s = p.handles.get(ProcessHandle, e); !nt::nt_success(s)) return s;
  if (e.object->type() != ObjectType::Process) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if ((e.access & nt::PROCESS_TERMINATE) == 0) return nt::STATUS_ACCESS_DENIED;
  if (e.object != p.object) {
    auto& child = static_cast<ProcessObject&>(*e.object);
    if (!child.is_child()) return nt::STATUS_INVALID_HANDLE;
    // A child ends at once with the status given; one that already ended keeps its own and the
    // call is refused, as Windows refuses it.
    if (child.signaled()) return nt::STATUS_ACCESS_DENIED;
    nt::NTSTATUS running = 0x103;
    child.terminate_status.compare_exchange_strong(running, ExitStatus);
    kill(static_cast<pid_t>(child.child_pid), SIGKILL);
    return nt::STATUS_SUCCESS;
  }
  terminate_current_process(ExitStatus);
}

}  // namespace ireactor
