// What the dispatcher's USDT probes (ireactor:nt_enter, ireactor:nt_exit) report beyond the call
// itself, and the names tracers print. The probes' arguments, in order:
//   nt_enter(uint32 number, uint32 ns_id, const SyscallFrame* frame)
//   nt_exit (uint32 number, uint32 ns_id, const SyscallFrame* frame, uint32 NTSTATUS)
// number is the NT service number in the process's Windows build; ns_id is set_namespace_id's.
#pragma once

#include <cstdint>
#include <string_view>

namespace ireactor {

// The process's namespace id (`ireactor ns`'s stable id; 0: the default namespace). Set once,
// before Windows code runs.
void set_namespace_id(uint32_t id);
uint32_t namespace_id();

// The name of NT service `number` in the selected build, and that build (dispatch_table.h,
// declared again here for tools outside ntcore).
std::string_view service_name(uint32_t number);
std::string_view selected_windows_build();

}  // namespace ireactor
