#pragma once

#include <cstdint>

namespace ireactor {

// When the process record was created, as a FILETIME (ProcessTimes' CreateTime).
int64_t process_start_time();

}  // namespace ireactor
