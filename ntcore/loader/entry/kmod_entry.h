// The kmod entry (`ireactor run --entry kmod`): every NT call of an implemented service is first
// offered to the kernel through /dev/ntgate (kmod-min/), where an attached BPF struct_ops
// implementation may serve it; what it does not serve runs in userspace as on the other paths.
// The stubs still reach the runtime through the gate page, so this sits behind the gate.
#pragma once

#include <cstdint>
#include <string>

namespace ireactor::entry {

// Opens /dev/ntgate, attaches this process with its Windows build number (19045...) and the
// handle mirror, and routes the dispatcher through the kernel. Call once, after the process
// record exists and before any handle is made or Windows code runs. On failure, returns false
// with `error` saying why (module not loaded, not in a namespace cgroup, ...), changing nothing.
bool attach_kmod_entry(uint32_t windows_build, std::string& error);

}  // namespace ireactor::entry
