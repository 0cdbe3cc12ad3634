#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/mutant_object.h"

namespace ireactor {

// Releasing needs no access right: only the owner can do it, whatever its handle grants.
nt::NTSTATUS NtReleaseMutant(nt::HANDLE MutantHandle, UserPtr<nt::LONG> PreviousCount) {
  if (PreviousCount && !probe_user(PreviousCount.addr(), sizeof(nt::LONG), true))
    return nt::STATUS_ACCESS_VIOLATION;
  std::shared_ptr<MutantObject> mutant;
  if (nt::NTSTATUS s = current_process().handles.reference(MutantHandle, 0, mutant);
      !nt::nt_success(s))
    return s;
  int32_t previous = 0;
  if (nt::NTSTATUS s = mutant->release(previous); !nt::nt_success(s)) return s;
  if (PreviousCount) PreviousCount.write(previous);  // unmapped meanwhile: ignored, as Windows
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
