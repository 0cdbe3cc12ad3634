#include <algorithm>
#include <limits>

#include "ireactor/address_space.h"
#include "system/system_information_classes.h"

namespace ireactor {

namespace {
// The default clock interrupt period of Windows: 15.625 ms.
constexpr nt::ULONG kTimerResolution = 156250;

nt::ULONG clamp_ulong(uint64_t v) {
  return static_cast<nt::ULONG>(std::min<uint64_t>(v, std::numeric_limits<nt::ULONG>::max()));
}
}  // namespace

nt::SYSTEM_BASIC_INFORMATION system_basic_information() {
  const HostSystemInfo& host = host_system_info();
  nt::SYSTEM_BASIC_INFORMATION info{};
  info.TimerResolution = kTimerResolution;
  info.PageSize = static_cast<nt::ULONG>(kPageSize);
  info.NumberOfPhysicalPages = clamp_ulong(host.physical_pages);
  info.LowestPhysicalPageNumber = 1;  // page 0 is never handed out on Windows either
  info.HighestPhysicalPageNumber = clamp_ulong(host.physical_pages);
  info.AllocationGranularity = static_cast<nt::ULONG>(kAllocationGranularity);
  info.MinimumUserModeAddress = kLowestUserAddress;
  info.MaximumUserModeAddress = kHighestUserAddress;
  info.ActiveProcessorsAffinityMask = host.active_processor_mask;
  info.NumberOfProcessors = static_cast<int8_t>(host.active_processors);
  return info;
}

}  // namespace ireactor
