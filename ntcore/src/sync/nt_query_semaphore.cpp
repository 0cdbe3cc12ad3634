#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/semaphore_object.h"
#include "object/access_mapping.h"
#include "sync/query_output.h"

namespace ireactor {

namespace {

constexpr nt::ULONG SemaphoreBasicInformation = 0;

struct SEMAPHORE_BASIC_INFORMATION {
  nt::LONG CurrentCount;
  nt::LONG MaximumCount;
};
static_assert(sizeof(SEMAPHORE_BASIC_INFORMATION) == 8);

}  // namespace

nt::NTSTATUS NtQuerySemaphore(nt::HANDLE SemaphoreHandle, nt::ULONG SemaphoreInformationClass,
                              UserPtr<void> SemaphoreInformation,
                              nt::ULONG SemaphoreInformationLength,
                              UserPtr<nt::ULONG> ReturnLength) {
  if (SemaphoreInformationClass != SemaphoreBasicInformation) return nt::STATUS_INVALID_INFO_CLASS;
  if (nt::NTSTATUS s = check_query_buffers(SemaphoreInformation, SemaphoreInformationLength,
                                           sizeof(SEMAPHORE_BASIC_INFORMATION), ReturnLength);
      !nt::nt_success(s))
    return s;
  std::shared_ptr<SemaphoreObject> semaphore;
  if (nt::NTSTATUS s =
          current_process().handles.reference(SemaphoreHandle, SEMAPHORE_QUERY_STATE, semaphore);
      !nt::nt_success(s))
    return s;
  const SEMAPHORE_BASIC_INFORMATION info{semaphore->count(), semaphore->maximum()};
  return write_query_result(SemaphoreInformation, info, ReturnLength);
}

}  // namespace ireactor
