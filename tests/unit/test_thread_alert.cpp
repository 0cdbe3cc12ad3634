// NtWaitForAlertByThreadId / NtAlertThreadByThreadId (sync/thread_alert.cpp): alerts by thread
// id, kept until the next wait, and NT timeouts.
#include <doctest/doctest.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ireactor/services/sync_services.h"
#include "ireactor/system/nt_time.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;
using namespace std::chrono_literals;

namespace {

using UserRegion = test::WindowsMemory;
constexpr size_t kTimeoutSlot = 0x20;

HANDLE own_tid() {
  return static_cast<HANDLE>(syscall(SYS_gettid));
}

UserPtr<int64_t> timeout(const UserRegion& mem, int64_t value) {
  mem.at<int64_t>(kTimeoutSlot) = value;
  return mem.user<int64_t>(kTimeoutSlot);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("an alert sent before the wait is consumed by it, once") {
  UserRegion mem;
  CHECK(NtAlertThreadByThreadId(own_tid()) == STATUS_SUCCESS);
  CHECK(NtAlertThreadByThreadId(own_tid()) == STATUS_SUCCESS);  // alerts do not queue
  CHECK(NtWaitForAlertByThreadId(mem.addr(), timeout(mem, 0)) == STATUS_ALERTED);
  CHECK(NtWaitForAlertByThreadId(mem.addr(), timeout(mem, 0)) == STATUS_TIMEOUT);
}

TEST_CASE("relative and absolute timeouts end the wait with STATUS_TIMEOUT") {
  UserRegion mem;
  auto start = std::chrono::steady_clock::now();
  CHECK(NtWaitForAlertByThreadId(0, timeout(mem, -50 * 10'000)) == STATUS_TIMEOUT);  // 50 ms
  double took = seconds_since(start);
  CHECK(took >= 0.045);
  CHECK(took < 2.0);

  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  start = std::chrono::steady_clock::now();
  const int64_t at = filetime_from_unix(now) + 50 * 10'000;
  CHECK(NtWaitForAlertByThreadId(0, timeout(mem, at)) == STATUS_TIMEOUT);
  took = seconds_since(start);
  CHECK(took >= 0.040);
  CHECK(took < 2.0);

  // An absolute time in the past is an immediate timeout.
  CHECK(NtWaitForAlertByThreadId(0, timeout(mem, 1)) == STATUS_TIMEOUT);
}

TEST_CASE("another thread's alert wakes an infinite wait") {
  UserRegion mem;
  std::atomic<HANDLE> waiter_tid{0};
  std::atomic<NTSTATUS> result{-1};
  std::thread waiter([&] {
    waiter_tid = own_tid();
    result = NtWaitForAlertByThreadId(0, UserPtr<int64_t>());  // NULL: no timeout
  });
  while (waiter_tid == 0) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);
  CHECK(NtAlertThreadByThreadId(waiter_tid) == STATUS_SUCCESS);
  waiter.join();
  CHECK(result == STATUS_ALERTED);
}

TEST_CASE("a timed wait woken early returns STATUS_ALERTED") {
  UserRegion mem;
  std::atomic<HANDLE> waiter_tid{0};
  std::atomic<NTSTATUS> result{-1};
  std::thread waiter([&] {
    waiter_tid = own_tid();
    result = NtWaitForAlertByThreadId(0, timeout(mem, -10 * kTicksPerSecond));
  });
  while (waiter_tid == 0) std::this_thread::yield();
  std::this_thread::sleep_for(20ms);
  const auto start = std::chrono::steady_clock::now();
  CHECK(NtAlertThreadByThreadId(waiter_tid) == STATUS_SUCCESS);
  waiter.join();
  CHECK(result == STATUS_ALERTED);
  CHECK(seconds_since(start) < 5.0);
}

TEST_CASE("argument errors") {
  UserRegion mem;
  CHECK(NtAlertThreadByThreadId(0) == STATUS_INVALID_CID);
  CHECK(NtAlertThreadByThreadId(0x7FFFFFF0) == STATUS_INVALID_CID);  // no such thread
  static int64_t not_windows_memory = 0;
  CHECK(NtWaitForAlertByThreadId(0, UserPtr<int64_t>(reinterpret_cast<uint64_t>(
                                        &not_windows_memory))) == STATUS_ACCESS_VIOLATION);
}
