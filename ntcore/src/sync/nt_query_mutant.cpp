#include "ireactor/process.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/mutant_object.h"
#include "object/access_mapping.h"
#include "sync/query_output.h"

namespace ireactor {

namespace {

constexpr nt::ULONG MutantBasicInformation = 0;
constexpr nt::ULONG MutantOwnerInformation = 1;

struct MUTANT_BASIC_INFORMATION {
  nt::LONG CurrentCount;
  nt::BOOLEAN OwnedByCaller;
  nt::BOOLEAN AbandonedState;
};
static_assert(sizeof(MUTANT_BASIC_INFORMATION) == 8);

struct MUTANT_OWNER_INFORMATION {  // a CLIENT_ID
  uint64_t UniqueProcess;
  uint64_t UniqueThread;
};
static_assert(sizeof(MUTANT_OWNER_INFORMATION) == 16);

}  // namespace

nt::NTSTATUS NtQueryMutant(nt::HANDLE MutantHandle, nt::ULONG MutantInformationClass,
                           UserPtr<void> MutantInformation, nt::ULONG MutantInformationLength,
                           UserPtr<nt::ULONG> ReturnLength) {
  size_t size = 0;
  if (MutantInformationClass == MutantBasicInformation)
    size = sizeof(MUTANT_BASIC_INFORMATION);
  else if (MutantInformationClass == MutantOwnerInformation)
    size = sizeof(MUTANT_OWNER_INFORMATION);
  else
    return nt::STATUS_INVALID_INFO_CLASS;
  if (nt::NTSTATUS s =
          check_query_buffers(MutantInformation, MutantInformationLength, size, ReturnLength);
      !nt::nt_success(s))
    return s;
  std::shared_ptr<MutantObject> mutant;
  if (nt::NTSTATUS s =
          current_process().handles.reference(MutantHandle, MUTANT_QUERY_STATE, mutant);
      !nt::nt_success(s))
    return s;
  const MutantObject::State st = mutant->state();
  if (MutantInformationClass == MutantBasicInformation) {
    const MUTANT_BASIC_INFORMATION info{st.current_count, st.owned_by_caller, st.abandoned};
    return write_query_result(MutantInformation, info, ReturnLength);
  }
  const MUTANT_OWNER_INFORMATION info{st.owner_tid ? current_process().pid : 0u, st.owner_tid};
  return write_query_result(MutantInformation, info, ReturnLength);
}

}  // namespace ireactor
