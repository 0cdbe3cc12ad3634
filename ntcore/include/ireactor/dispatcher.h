// The one dispatcher every entry path (fast gate, Syscall User Dispatch, kmod fallback) calls.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ireactor/nt/types.h"

namespace ireactor {

// The registers and stack of an NT system call as the Windows kernel sees them: the first four
// arguments in r10 (rcx), rdx, r8, r9; the fifth and later at user_stack_args, which is the
// caller's rsp + 0x28 (past the return address and the 32-byte home area).
struct SyscallFrame {
  uint64_t arg[4];
  uint64_t user_stack_args;
};

// Serves NT system call `number` under the numbering of the process's Windows build.
// STATUS_INVALID_SYSTEM_SERVICE for numbers the build does not have.
extern "C" nt::NTSTATUS ir_dispatch(uint32_t number, const SyscallFrame* frame);

using ServiceThunk = nt::NTSTATUS (*)(const SyscallFrame&);

struct ServiceEntry {
  std::string_view name;  // "NtCreateFile"
  ServiceThunk thunk;
  size_t arity;  // the arguments the service takes (for tracers' argument tables)
};

// Every service ntcore implements, by Windows name (dispatch/service_table.cpp).
std::span<const ServiceEntry> implemented_services();

// ireactor-private services: what our ntdll's own exports need from the runtime beyond NT's
// services (the loader's, services/loader_services.h). Their numbers, kPrivateServiceBase + k,
// lie where no Windows build has one: x64 Windows uses bit 12 to pick the win32k table and
// refuses everything from 0x2000 on. They go through the same gates as NT calls, under every
// build, and are never offered to the kmod entry.
inline constexpr uint32_t kPrivateServiceBase = 0x2E00;
inline constexpr uint32_t kPrivateServiceLimit = 0x2F00;  // one past the range

struct PrivateServiceEntry {
  uint32_t number;  // in [kPrivateServiceBase, kPrivateServiceLimit)
  ServiceEntry service;
};

// Every private service, by number (dispatch/service_table.cpp).
std::span<const PrivateServiceEntry> private_services();

// The kmod entry (loader/entry/kmod_entry.cpp): offered every call of an implemented service
// before it runs in userspace. Returns the NTSTATUS when the kernel served the call, or
// kServeInUserspace. `arity` is the service's argument count.
inline constexpr int64_t kServeInUserspace = int64_t{1} << 32;
using KernelEntry = int64_t (*)(uint32_t number, size_t arity, const SyscallFrame& frame);
// Set once, before Windows code runs; nullptr (the default) serves everything in userspace.
void set_kernel_entry(KernelEntry entry);

// Selects the numbering of a Windows build ("10.0.19045"); false when the build is unknown.
bool select_windows_build(std::string_view build);
// The number of a service (by Windows name) under the selected build; nullopt when it has none.
std::optional<uint32_t> selected_service_number(std::string_view name);
// The builds select_windows_build accepts ("10.0.19045", ...), sorted.
std::vector<std::string> supported_windows_builds();

}  // namespace ireactor
