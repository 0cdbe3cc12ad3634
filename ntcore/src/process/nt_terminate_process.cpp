#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/terminate.h"
#include "ireactor/services/process_services.h"

namespace ireactor {

// NULL asks to end every thread of the process but the caller (what RtlExitUserProcess does
// before running DLL detach): the caller goes on. ntcore processes run one Windows thread so far,
// so there is nothing to end yet; with threads this must terminate the others.
// Only the hosted process can be named: a handle to anything else is refused.
nt::NTSTATUS NtTerminateProcess(nt::HANDLE ProcessHandle, nt::NTSTATUS ExitStatus) {
  if (ProcessHandle == 0) return nt::STATUS_SUCCESS;
  Process& p = current_process();
  HandleEntry e;
  if (nt::NTSTATUS s = p.handles.get(ProcessHandle, e); !nt::nt_success(s)) return s;
  if (e.object->type() != ObjectType::Process) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if ((e.access & nt::PROCESS_TERMINATE) == 0) return nt::STATUS_ACCESS_DENIED;
  if (e.object != p.object) return nt::STATUS_INVALID_HANDLE;
  terminate_current_process(ExitStatus);
}

}  // namespace ireactor
