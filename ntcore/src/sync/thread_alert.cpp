// NtWaitForAlertByThreadId / NtAlertThreadByThreadId: the per-thread wake-up Windows' user-mode
// locks (SRW locks, condition variables, WaitOnAddress) park on. Each thread has one alert flag;
// an alert sets it (alerts do not queue: two alerts before a wait wake it once), a wait consumes
// it or sleeps on it as a futex until the timeout.
#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "ireactor/services/sync_services.h"
#include "sync/wait_arguments.h"

namespace ireactor {

namespace {

struct AlertSlot {
  std::atomic<uint32_t> alerted{0};
};

// Thread id → its slot. Created by whichever comes first, the thread's own wait or an alert sent
// to it, so an alert that precedes the wait is kept. Slots of exited threads stay (one small
// record per thread id; the thread services will drop them when threads exist).
class AlertRegistry {
 public:
  std::shared_ptr<AlertSlot> slot(uint32_t tid) {
    std::lock_guard lock(mutex_);
    auto& s = slots_[tid];
    if (!s) s = std::make_shared<AlertSlot>();
    return s;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<uint32_t, std::shared_ptr<AlertSlot>> slots_;
};

AlertRegistry& registry() {
  static auto* r = new AlertRegistry;  // never destroyed: threads may still wait at exit
  return *r;
}

AlertSlot& own_slot() {
  thread_local std::shared_ptr<AlertSlot> slot =
      registry().slot(static_cast<uint32_t>(syscall(SYS_gettid)));
  return *slot;
}

timespec to_timespec(std::chrono::nanoseconds since_epoch) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  return timespec{static_cast<time_t>(s.count()), static_cast<long>((since_epoch - s).count())};
}

// Sleeps while the flag is 0, until the absolute deadline (FUTEX_WAIT_BITSET takes absolute
// times: CLOCK_MONOTONIC, or CLOCK_REALTIME with FUTEX_CLOCK_REALTIME). False once it passed.
bool futex_sleep(std::atomic<uint32_t>& flag, const WaitDeadline& d) {
  int op = FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG;
  timespec when{};
  const timespec* at = nullptr;
  if (d.kind == WaitDeadline::Kind::Relative) {
    when = to_timespec(d.steady.time_since_epoch());  // steady_clock is CLOCK_MONOTONIC
    at = &when;
  } else if (d.kind == WaitDeadline::Kind::Absolute) {
    when = to_timespec(d.system.time_since_epoch());
    at = &when;
    op |= FUTEX_CLOCK_REALTIME;
  }
  const long r = syscall(SYS_futex, reinterpret_cast<uint32_t*>(&flag), op, 0u, at, nullptr,
                         FUTEX_BITSET_MATCH_ANY);
  return !(r != 0 && errno == ETIMEDOUT);
}

}  // namespace

// Address only labels the wait for debuggers on Windows; it is not read. STATUS_ALERTED once an
// alert arrived (possibly before the call), STATUS_TIMEOUT when the timeout passed first.
nt::NTSTATUS NtWaitForAlertByThreadId(uint64_t Address, UserPtr<int64_t> Timeout) {
  WaitDeadline deadline;
  if (nt::NTSTATUS s = capture_timeout(Timeout, deadline); !nt::nt_success(s)) return s;
  AlertSlot& slot = own_slot();
  for (;;) {
    if (slot.alerted.exchange(0, std::memory_order_acquire) != 0) return nt::STATUS_ALERTED;
    if (deadline.kind == WaitDeadline::Kind::Poll) return nt::STATUS_TIMEOUT;
    if (!futex_sleep(slot.alerted, deadline) || deadline.expired())
      return slot.alerted.exchange(0, std::memory_order_acquire) != 0 ? nt::STATUS_ALERTED
                                                                      : nt::STATUS_TIMEOUT;
  }
}

// STATUS_INVALID_CID unless the id names a thread of this process.
nt::NTSTATUS NtAlertThreadByThreadId(nt::HANDLE ThreadId) {
  const uint64_t tid = ThreadId;
  if (tid == 0 || tid > 0x7FFFFFFF ||
      syscall(SYS_tgkill, getpid(), static_cast<pid_t>(tid), 0) != 0)
    return nt::STATUS_INVALID_CID;
  std::shared_ptr<AlertSlot> slot = registry().slot(static_cast<uint32_t>(tid));
  if (slot->alerted.exchange(1, std::memory_order_release) == 0)
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&slot->alerted), FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
            1, nullptr, nullptr, 0);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor
