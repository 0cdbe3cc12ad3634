// The lock of a synchronous file handle's position (FileObject::position_mutex): a futex word,
// so that the fast gate's read/write lane (io/fast_file_io.cpp) can try it and release it with
// a few inline instructions and no library call. 0 free, 1 held, 2 held with waiters.
// BasicLockable and Lockable, for std::unique_lock and std::lock_guard.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>

#include <atomic>
#include <cstdint>

namespace ireactor {

class PositionLock {
 public:
  bool try_lock() noexcept {
    uint32_t expected = 0;
    return state_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }
  void lock() noexcept {
    if (!try_lock()) [[unlikely]]
      lock_contended();
  }
  void unlock() noexcept {
    if (state_.exchange(0, std::memory_order_release) == 2) [[unlikely]]
      wake_one();
  }

 private:
  void lock_contended() noexcept {
    // Mark the lock contended and sleep until it is free (Drepper, "Futexes Are Tricky").
    while (state_.exchange(2, std::memory_order_acquire) != 0) futex(FUTEX_WAIT_PRIVATE, 2);
  }
  void wake_one() noexcept { futex(FUTEX_WAKE_PRIVATE, 1); }
  // The system call itself: the fast lane may release the lock and must not enter libc, whose
  // code may use the vector registers the gate leaves unsaved there.
  void futex(int op, uint32_t value) noexcept {
    long r;
    register long timeout asm("r10") = 0;  // none
    asm volatile("syscall"
                 : "=a"(r)
                 : "0"(static_cast<long>(SYS_futex)), "D"(&state_), "S"(static_cast<long>(op)),
                   "d"(static_cast<long>(value)), "r"(timeout)
                 : "rcx", "r11", "memory");
    (void)r;
  }

  std::atomic<uint32_t> state_{0};
};

}  // namespace ireactor
