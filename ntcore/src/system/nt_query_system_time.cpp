#include "ireactor/services/system_services.h"
#include "ireactor/system/nt_time.h"

namespace ireactor {

nt::NTSTATUS NtQuerySystemTime(UserPtr<int64_t> SystemTime) {
  if (!SystemTime.write(current_system_time())) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
