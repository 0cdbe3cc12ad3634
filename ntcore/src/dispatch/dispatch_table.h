// What the dispatcher currently serves: the selected Windows build and the meaning of its
// numbers, for tracing and messages (the dispatch itself is ir_dispatch in dispatcher.h).
#pragma once

#include <cstdint>
#include <string_view>

namespace ireactor {

// The name of NT service `number` in the selected build ("NtWriteFile"); empty when the build
// has no such number. Selects the default build when none was selected yet.
std::string_view service_name(uint32_t number);

// The selected Windows build ("10.0.19045"); the default when none was selected yet.
std::string_view selected_windows_build();

}  // namespace ireactor
