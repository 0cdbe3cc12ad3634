// The answers of NtQuerySystemInformation, one function per information class.
#pragma once

#include "ireactor/system/system_information.h"

namespace ireactor {

nt::SYSTEM_BASIC_INFORMATION system_basic_information();
nt::SYSTEM_PROCESSOR_INFORMATION system_processor_information();
nt::SYSTEM_TIMEOFDAY_INFORMATION system_time_of_day_information();

}  // namespace ireactor
