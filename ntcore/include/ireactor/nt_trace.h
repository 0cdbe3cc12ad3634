// What the dispatcher's USDT probes (ireactor:nt_enter, ireactor:nt_exit) report beyond the call
// itself, and the names tracers print. The probes' arguments, in order:
//   nt_enter(uint16 service, uint32 number, uint32 ns_id, const SyscallFrame* frame)
//   nt_exit (uint16 service, uint32 number, uint32 ns_id, const SyscallFrame* frame, uint32
//   NTSTATUS)
// service is the build-independent service id below (kNoServiceId for a number the build lacks);
// number is the NT service number in the process's Windows build; ns_id is set_namespace_id's.
#pragma once

#include <cstdint>
#include <optional>
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

// Service ids: every NT service name of every supported build, sorted by name and numbered from
// 0, so a tracer names and filters services without knowing the traced process's build. Stable
// for a given ireactor executable (the tracer attaches to the executable it is itself).
inline constexpr uint16_t kNoServiceId = 0xFFFF;
uint16_t service_id_count();
std::optional<uint16_t> service_id(std::string_view name);
std::string_view service_id_name(uint16_t id);  // empty for an id out of range

}  // namespace ireactor
