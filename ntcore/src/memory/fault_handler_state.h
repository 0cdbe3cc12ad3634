// Whether install_user_fault_handler() has run, readable on the copy fast path.
#pragma once

#include <atomic>

namespace ireactor {

extern std::atomic<bool> g_user_fault_handler_installed;

inline bool fault_handler_installed() {
  return g_user_fault_handler_installed.load(std::memory_order_acquire);
}

}  // namespace ireactor
