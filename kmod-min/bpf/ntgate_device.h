// /dev/ntgate seen from an administrator's tools: NTGATE_IOC_STATUS (which struct_ops
// implementation is attached, its generation and the call counters).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace ireactor::kmod {

inline const std::filesystem::path kNtgateDevice = "/dev/ntgate";

// The module is not loaded (no device node).
class DeviceMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct GateStatus {
  uint32_t abi_version = 0;
  bool attached = false;
  std::string implementation;  // nt_syscall_ops.name of the attached implementation
  uint64_t generation = 0;     // bumped on every attach, replacement and detach
  uint64_t calls = 0;          // NTGATE_IOC_CALLs since the module loaded
  uint64_t handled = 0;
  uint64_t unhandled = 0;
  uint64_t implementation_calls = 0;  // calls the attached implementation saw
  uint64_t implementation_handled = 0;
  uint32_t processes = 0;  // attached /dev/ntgate opens
};

// Throws DeviceMissing when `device` does not exist, std::runtime_error for other failures
// (opening it outside a namespace needs CAP_SYS_ADMIN).
GateStatus read_gate_status(const std::filesystem::path& device = kNtgateDevice);

}  // namespace ireactor::kmod
