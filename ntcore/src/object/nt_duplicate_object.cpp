// NtDuplicateObject within the process ntcore hosts: a new handle to the object of an existing
// one (pseudo-handles included, which gives a real handle to the process or calling thread).
#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/services/object_services.h"
#include "object/access_mapping.h"

namespace ireactor {

namespace {

constexpr nt::ULONG DUPLICATE_CLOSE_SOURCE = 0x1;
constexpr nt::ULONG DUPLICATE_SAME_ACCESS = 0x2;
constexpr nt::ULONG DUPLICATE_SAME_ATTRIBUTES = 0x4;
constexpr nt::ACCESS_MASK PROCESS_DUP_HANDLE = 0x0040;

// A process handle for duplication. Only this process exists to ntcore: a handle to another
// process object would be STATUS_NOT_SUPPORTED (it cannot occur yet).
nt::NTSTATUS check_process(nt::HANDLE handle) {
  std::shared_ptr<ProcessObject> process;
  if (nt::NTSTATUS s = current_process().handles.reference(handle, PROCESS_DUP_HANDLE, process);
      !nt::nt_success(s))
    return s;
  return process == current_process().object ? nt::STATUS_SUCCESS : nt::STATUS_NOT_SUPPORTED;
}

}  // namespace

nt::NTSTATUS NtDuplicateObject(nt::HANDLE SourceProcessHandle, nt::HANDLE SourceHandle,
                               nt::HANDLE TargetProcessHandle, UserPtr<nt::HANDLE> TargetHandle,
                               nt::ACCESS_MASK DesiredAccess, nt::ULONG HandleAttributes,
                               nt::ULONG Options) {
  if (nt::NTSTATUS s = check_process(SourceProcessHandle); !nt::nt_success(s)) return s;
  HandleTable& handles = current_process().handles;
  HandleEntry source;
  if (nt::NTSTATUS s = handles.get(SourceHandle, source); !nt::nt_success(s)) return s;
  // DUPLICATE_CLOSE_SOURCE closes the source even when the duplication then fails.
  if (Options & DUPLICATE_CLOSE_SOURCE) handles.close(SourceHandle);
  // Without a target process the call only closes the source.
  if (TargetProcessHandle == 0) return nt::STATUS_SUCCESS;
  if (nt::NTSTATUS s = check_process(TargetProcessHandle); !nt::nt_success(s)) return s;
  if (TargetHandle && !probe_user(TargetHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;

  // Objects have no security descriptors yet, so any access within the type's rights is
  // granted, not only what the source handle had.
  const nt::ACCESS_MASK access = (Options & DUPLICATE_SAME_ACCESS)
                                     ? source.access
                                     : granted_access(source.object->type(), DesiredAccess);
  const uint32_t attributes = (Options & DUPLICATE_SAME_ATTRIBUTES)
                                  ? source.attributes
                                  : (HandleAttributes & nt::OBJ_INHERIT);
  if (!TargetHandle) return nt::STATUS_SUCCESS;  // nobody could learn the new handle
  nt::HANDLE handle = 0;
  if (nt::NTSTATUS s = handles.insert(std::move(source.object), access, attributes, handle);
      !nt::nt_success(s))
    return s;
  if (!TargetHandle.write(handle)) {
    handles.close(handle);
    return nt::STATUS_ACCESS_VIOLATION;
  }
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
