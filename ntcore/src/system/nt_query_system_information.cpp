#include "ireactor/services/system_services.h"
#include "system/info_output.h"
#include "system/system_information_classes.h"

namespace ireactor {

// Length rules per class as Windows applies them: the basic structure must be given exactly,
// the processor and debugger structures at least, and time-of-day any prefix up to its full size
// (for callers built against older, shorter layouts). Wrong lengths return
// STATUS_INFO_LENGTH_MISMATCH with ReturnLength set to the size needed.
nt::NTSTATUS NtQuerySystemInformation(nt::ULONG SystemInformationClass,
                                      UserPtr<void> SystemInformation,
                                      nt::ULONG SystemInformationLength,
                                      UserPtr<nt::ULONG> ReturnLength) {
  if (nt::NTSTATUS s = probe_info_output(SystemInformation.addr(), SystemInformationLength,
                                         sizeof(nt::ULONG), ReturnLength);
      !nt::nt_success(s))
    return s;
  switch (SystemInformationClass) {
    case nt::SystemBasicInformation:
    case nt::SystemEmulationBasicInformation:
      return return_exact(system_basic_information(), SystemInformation, SystemInformationLength,
                          ReturnLength);
    case nt::SystemProcessorInformation:
    case nt::SystemEmulationProcessorInformation:
      return return_at_least(system_processor_information(), SystemInformation,
                             SystemInformationLength, ReturnLength);
    case nt::SystemTimeOfDayInformation:
      return return_prefix(system_time_of_day_information(), SystemInformation,
                           SystemInformationLength, ReturnLength);
    case nt::SystemKernelDebuggerInformation: {
      nt::SYSTEM_KERNEL_DEBUGGER_INFORMATION info{};
      info.KernelDebuggerEnabled = 0;
      info.KernelDebuggerNotPresent = 1;
      return return_at_least(info, SystemInformation, SystemInformationLength, ReturnLength);
    }
    default:
      return nt::STATUS_INVALID_INFO_CLASS;
  }
}

}  // namespace ireactor
