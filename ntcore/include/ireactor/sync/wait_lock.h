// The wait lock: one process-wide mutex and condition variable behind every dispatcher object.
// Object::signaled()/satisfy_wait() are read and changed only while it is held, and every change
// that may make an object signaled wakes all waiters, who re-check their objects under the lock.
// One lock makes wait-all atomic for free; waits are rare enough that contention is not a concern
// yet (a per-object wait list can replace this without changing the Object interface).
#pragma once

#include <condition_variable>
#include <mutex>

namespace ireactor {

std::mutex& wait_lock();
std::condition_variable& wait_condition();

// Runs change() with the wait lock held, then wakes every waiter. For state changes of
// dispatcher objects (set an event, mark a process or thread exited, complete an I/O...).
template <class F>
decltype(auto) change_signal_state(F&& change) {
  struct Wake {
    ~Wake() { wait_condition().notify_all(); }
  } wake;  // after the unlock below, so woken waiters do not block on the lock at once
  std::lock_guard lock(wait_lock());
  return change();
}

}  // namespace ireactor
