// NtCreateThreadEx: a new thread in the calling process (the only process ntcore hosts; a
// handle to any other is STATUS_NOT_SUPPORTED).
#include <memory>

#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/process/windows_threads.h"
#include "ireactor/services/process_services.h"
#include "process/thread_handle.h"

namespace ireactor {

namespace {

nt::NTSTATUS check_target_process(nt::HANDLE handle) {
  HandleEntry e;
  Process& p = current_process();
  if (nt::NTSTATUS s = p.handles.get(handle, e); !nt::nt_success(s)) return s;
  if (e.object->type() != ObjectType::Process) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if ((e.access & nt::PROCESS_CREATE_THREAD) == 0) return nt::STATUS_ACCESS_DENIED;
  if (e.object != p.object) return nt::STATUS_NOT_SUPPORTED;  // threads in other processes
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS capture_thread_attributes(UserPtr<nt::OBJECT_ATTRIBUTES> oa_ptr,
                                       uint32_t& handle_attributes) {
  handle_attributes = 0;
  if (oa_ptr.null()) return nt::STATUS_SUCCESS;
  nt::OBJECT_ATTRIBUTES oa;
  if (!oa_ptr.read(oa)) return nt::STATUS_ACCESS_VIOLATION;
  if (oa.Length != sizeof(nt::OBJECT_ATTRIBUTES)) return nt::STATUS_INVALID_PARAMETER;
  if (oa.Attributes & ~nt::OBJ_VALID_ATTRIBUTES) return nt::STATUS_INVALID_PARAMETER;
  handle_attributes = oa.Attributes & nt::OBJ_INHERIT;
  return nt::STATUS_SUCCESS;
}

// PS_ATTRIBUTE_LIST: SIZE_T TotalLength, then PS_ATTRIBUTE entries. The outputs a thread
// creation reports (client id, TEB address) are written; the rest are not used here.
nt::NTSTATUS report_attributes(UserPtr<void> list, const ThreadObject& t) {
  if (list.null()) return nt::STATUS_SUCCESS;
  nt::SIZE_T total = 0;
  if (!copy_from_user(&total, list.addr(), sizeof total)) return nt::STATUS_ACCESS_VIOLATION;
  const uint64_t first = list.addr() + sizeof(nt::SIZE_T);
  const size_t count =
      total > sizeof(nt::SIZE_T) ? (total - sizeof(nt::SIZE_T)) / sizeof(nt::PS_ATTRIBUTE) : 0;
  for (size_t i = 0; i < count; ++i) {
    nt::PS_ATTRIBUTE a;
    if (!copy_from_user(&a, first + i * sizeof a, sizeof a)) return nt::STATUS_ACCESS_VIOLATION;
    bool ok = true;
    if (a.Attribute == nt::PS_ATTRIBUTE_CLIENT_ID && a.Size >= sizeof(nt::CLIENT_ID)) {
      const nt::CLIENT_ID id{current_process().pid, t.tid()};
      ok = copy_to_user(a.Value, &id, sizeof id);
    } else if (a.Attribute == nt::PS_ATTRIBUTE_TEB_ADDRESS && a.Size >= sizeof(uint64_t)) {
      const uint64_t teb = t.teb.load();
      ok = copy_to_user(a.Value, &teb, sizeof teb);
    }
    if (!ok) return nt::STATUS_ACCESS_VIOLATION;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace

nt::NTSTATUS NtCreateThreadEx(UserPtr<nt::HANDLE> ThreadHandle, nt::ACCESS_MASK DesiredAccess,
                              UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes,
                              nt::HANDLE ProcessHandle, uint64_t StartRoutine, uint64_t Argument,
                              nt::ULONG CreateFlags, nt::SIZE_T ZeroBits, nt::SIZE_T StackSize,
                              nt::SIZE_T MaximumStackSize, UserPtr<void> AttributeList) {
  if (!probe_user(ThreadHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;
  if (CreateFlags & ~nt::THREAD_CREATE_FLAGS_VALID) return nt::STATUS_INVALID_PARAMETER;
  uint32_t attributes = 0;
  if (nt::NTSTATUS s = capture_thread_attributes(ObjectAttributes, attributes); !nt::nt_success(s))
    return s;
  if (nt::NTSTATUS s = check_target_process(ProcessHandle); !nt::nt_success(s)) return s;

  // Started suspended in any case, so nothing runs before the handle and the outputs exist.
  NewWindowsThread request{
      .start = StartRoutine,
      .argument = Argument,
      .stack_reserve = MaximumStackSize > StackSize ? MaximumStackSize : StackSize,
      .suspended = true,
      .skip_thread_attach = (CreateFlags & nt::THREAD_CREATE_FLAGS_SKIP_THREAD_ATTACH) != 0,
      .hidden_from_debugger = (CreateFlags & nt::THREAD_CREATE_FLAGS_HIDE_FROM_DEBUGGER) != 0};
  std::shared_ptr<ThreadObject> thread;
  if (nt::NTSTATUS s = start_windows_thread(request, thread); !nt::nt_success(s)) return s;

  HandleTable& handles = current_process().handles;
  nt::HANDLE handle = 0;
  nt::NTSTATUS s = handles.insert(thread, granted_thread_access(DesiredAccess), attributes, handle);
  if (nt::nt_success(s) && !ThreadHandle.write(handle)) s = nt::STATUS_ACCESS_VIOLATION;
  if (nt::nt_success(s)) s = report_attributes(AttributeList, *thread);
  if (!nt::nt_success(s)) {
    if (handle) handles.close(handle);
    thread->terminate_unstarted(s);  // it never runs Windows code
    return s;
  }
  if (!(CreateFlags & nt::THREAD_CREATE_FLAGS_CREATE_SUSPENDED)) thread->resume();
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
