#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/semaphore_object.h"
#include "object/access_mapping.h"

namespace ireactor {

nt::NTSTATUS NtReleaseSemaphore(nt::HANDLE SemaphoreHandle, nt::LONG ReleaseCount,
                                UserPtr<nt::LONG> PreviousCount) {
  if (PreviousCount && !probe_user(PreviousCount.addr(), sizeof(nt::LONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  if (ReleaseCount <= 0) return nt::STATUS_INVALID_PARAMETER;
  std::shared_ptr<SemaphoreObject> semaphore;
  if (nt::NTSTATUS s =
          current_process().handles.reference(SemaphoreHandle, SEMAPHORE_MODIFY_STATE, semaphore);
      !nt::nt_success(s))
    return s;
  int32_t previous = 0;
  if (nt::NTSTATUS s = semaphore->release(ReleaseCount, previous); !nt::nt_success(s)) return s;
  if (PreviousCount) PreviousCount.write(previous);  // unmapped meanwhile: ignored, as Windows
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
