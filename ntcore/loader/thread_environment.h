// The Windows side of a thread: its stack (committed, with an inaccessible reserved page below
// as overflow guard) and its TEB, both in Windows memory and recorded in the address space.
#pragma once

#include <cstdint>

#include "load_status.h"
#include "tls_setup.h"

namespace ireactor::loader {

inline constexpr uint64_t kDefaultStackSize = 1 << 20;  // 1 MiB, committed

struct WindowsThread {
  uint64_t teb = 0;
  uint64_t stack_base = 0;   // top of the stack (exclusive): where rsp starts
  uint64_t stack_limit = 0;  // lowest committed byte
  uint64_t stack_allocation = 0, stack_allocation_size = 0;
  uint32_t tid = 0;
  ThreadTls tls;
};

struct ThreadInput {
  uint64_t peb = 0;
  uint32_t pid = 0, tid = 0;
  uint64_t stack_size = kDefaultStackSize;
  bool initial_thread = false;
  const ModuleList* modules = nullptr;  // for the TLS blocks; none when null
};

LoadStatus create_windows_thread(const ThreadInput& in, WindowsThread& out);
void free_windows_thread(WindowsThread& thread);

}  // namespace ireactor::loader
