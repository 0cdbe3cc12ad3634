// NtCreateSemaphore and NtOpenSemaphore.
#include <memory>

#include "ireactor/services/sync_services.h"
#include "ireactor/sync/semaphore_object.h"
#include "object/access_mapping.h"
#include "sync/object_attributes.h"

namespace ireactor {

nt::NTSTATUS NtCreateSemaphore(UserPtr<nt::HANDLE> SemaphoreHandle, nt::ACCESS_MASK DesiredAccess,
                               UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes,
                               nt::LONG InitialCount, nt::LONG MaximumCount) {
  if (!probe_user(SemaphoreHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;
  if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount)
    return nt::STATUS_INVALID_PARAMETER;
  uint32_t attributes = 0;
  if (nt::NTSTATUS s = capture_create_attributes(ObjectAttributes, attributes); !nt::nt_success(s))
    return s;
  return return_new_handle(std::make_shared<SemaphoreObject>(InitialCount, MaximumCount),
                           granted_access(ObjectType::Semaphore, DesiredAccess), attributes,
                           SemaphoreHandle);
}

nt::NTSTATUS NtOpenSemaphore(UserPtr<nt::HANDLE> SemaphoreHandle, nt::ACCESS_MASK DesiredAccess,
                             UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes) {
  if (!probe_user(SemaphoreHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;
  return capture_open_attributes(ObjectAttributes);
}

}  // namespace ireactor
