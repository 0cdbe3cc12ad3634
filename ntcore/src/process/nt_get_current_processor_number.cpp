// NtGetCurrentProcessorNumber(Ex): the CPU the caller runs on, in Windows' numbering (one group
// of at most 64 processors; higher Linux CPUs fold into it).
#include <sched.h>

#include "ireactor/services/process_services.h"

namespace ireactor {

namespace {

uint32_t current_cpu() {
  const int cpu = sched_getcpu();
  return cpu < 0 ? 0 : static_cast<uint32_t>(cpu) % 64;
}

}  // namespace

// Returns the number itself, not an NTSTATUS.
nt::NTSTATUS NtGetCurrentProcessorNumber() {
  return static_cast<nt::NTSTATUS>(current_cpu());
}

// Also fills a PROCESSOR_NUMBER (USHORT Group, UCHAR Number, UCHAR Reserved) when given one,
// and returns the number as well.
nt::NTSTATUS NtGetCurrentProcessorNumberEx(UserPtr<uint32_t> ProcessorNumber) {
  const uint32_t cpu = current_cpu();
  if (ProcessorNumber) ProcessorNumber.write(cpu << 16);  // group 0, reserved 0
  return static_cast<nt::NTSTATUS>(cpu);
}

}  // namespace ireactor
