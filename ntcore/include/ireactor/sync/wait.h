// Waiting on dispatcher objects: the engine behind NtWaitForSingleObject and
// NtWaitForMultipleObjects, usable by other services that wait on objects themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"

namespace ireactor {

inline constexpr uint32_t MAXIMUM_WAIT_OBJECTS = 64;
// WAIT_TYPE values as NtWaitForMultipleObjects takes them.
inline constexpr uint32_t WaitAll = 0;
inline constexpr uint32_t WaitAny = 1;

// When a wait gives up. NT timeouts: NULL waits forever, 0 polls, negative values are relative
// (100 ns units, measured on the monotonic clock), positive values are absolute system times
// (FILETIME, measured on the real-time clock, so a clock change moves them as on Windows).
struct WaitDeadline {
  enum class Kind : uint8_t { Infinite, Poll, Relative, Absolute } kind = Kind::Infinite;
  std::chrono::steady_clock::time_point steady{};  // Relative
  std::chrono::system_clock::time_point system{};  // Absolute

  static WaitDeadline infinite() { return {}; }
  static WaitDeadline from_nt_timeout(int64_t timeout);
  bool expired() const;
};

// Waits until one (wait_all = false) or all of the objects are signaled, or the deadline passes.
// Satisfied objects are consumed (satisfy_wait) atomically under the wait lock. Returns
// STATUS_WAIT_0 + index of the object that satisfied a wait-any (the lowest signaled index),
// STATUS_WAIT_0 for a satisfied wait-all, or STATUS_TIMEOUT; STATUS_ABANDONED_WAIT_0 (+ index)
// instead when the wait takes over an abandoned mutant. Objects must be waitable().
// Alertable waits are not distinguished yet: there are no APCs to deliver, so STATUS_USER_APC
// and STATUS_ALERTED are never returned.
nt::NTSTATUS wait_for_objects(std::span<Object* const> objects, bool wait_all,
                              const WaitDeadline& deadline);

}  // namespace ireactor
