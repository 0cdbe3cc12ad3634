#include "system/system_information_classes.h"

namespace ireactor {

nt::SYSTEM_PROCESSOR_INFORMATION system_processor_information() {
  const HostSystemInfo& host = host_system_info();
  nt::SYSTEM_PROCESSOR_INFORMATION info{};
  info.ProcessorArchitecture = nt::PROCESSOR_ARCHITECTURE_AMD64;
  info.ProcessorLevel = host.processor_level;
  info.ProcessorRevision = host.processor_revision;
  info.MaximumProcessors = static_cast<nt::USHORT>(host.maximum_processors);
  info.ProcessorFeatureBits = host.kernel_feature_bits;
  return info;
}

}  // namespace ireactor
