// NtCreateMutant and NtOpenMutant.
#include <memory>

#include "ireactor/services/sync_services.h"
#include "ireactor/sync/mutant_object.h"
#include "object/access_mapping.h"
#include "sync/object_attributes.h"

namespace ireactor {

nt::NTSTATUS NtCreateMutant(UserPtr<nt::HANDLE> MutantHandle, nt::ACCESS_MASK DesiredAccess,
                            UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes,
                            nt::BOOLEAN InitialOwner) {
  // As for events, a bad output pointer wins over every other error.
  if (!probe_user(MutantHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;
  uint32_t attributes = 0;
  if (nt::NTSTATUS s = capture_create_attributes(ObjectAttributes, attributes); !nt::nt_success(s))
    return s;
  return return_new_handle(std::make_shared<MutantObject>(InitialOwner != 0),
                           granted_access(ObjectType::Mutant, DesiredAccess), attributes,
                           MutantHandle);
}

nt::NTSTATUS NtOpenMutant(UserPtr<nt::HANDLE> MutantHandle, nt::ACCESS_MASK DesiredAccess,
                          UserPtr<nt::OBJECT_ATTRIBUTES> ObjectAttributes) {
  if (!probe_user(MutantHandle.addr(), sizeof(nt::HANDLE), true))
    return nt::STATUS_ACCESS_VIOLATION;
  return capture_open_attributes(ObjectAttributes);
}

}  // namespace ireactor
