#include "shared_data_updater.h"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>
#include <thread>

#include "shared_user_data.h"

namespace ireactor::loader {

namespace {

constexpr long kTickNs = kClockTick100ns * 100;
constexpr size_t kStackSize = 64 * 1024;

// The clone child is unknown to glibc and runs on its creator's TLS, so it makes its system calls
// itself - glibc's wrappers would write the creator's errno - and calls nothing of libc but the
// vDSO clock (update_shared_user_data_clock).
long raw_syscall(long n, long a = 0, long b = 0, long c = 0, long d = 0) {
  long r;
  register long r10 asm("r10") = d;
  asm volatile("syscall"
               : "=a"(r)
               : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
               : "rcx", "r11", "memory");
  return r;
}

// The next update's time: absolute, so the ticks do not drift with the updates' own cost.
void advance_one_tick(timespec& t) {
  t.tv_nsec += kTickNs;
  if (t.tv_nsec >= 1'000'000'000) {
    t.tv_nsec -= 1'000'000'000;
    ++t.tv_sec;
  }
}

int updater_clone(void* arg) {
  auto* k = static_cast<win::KUSER_SHARED_DATA*>(arg);
  // Its copy of the file table holds a reference to every file open now: dropped at once, so
  // those files are not shared (a shared file's reads lock its position).
  raw_syscall(SYS_close_range, 0, ~0U, 0);
  raw_syscall(SYS_prctl, PR_SET_NAME, reinterpret_cast<long>("ir-shared-data"));
  // (The time zone bias stays as set at start: computing it needs libc's time zone state.)
  timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (;;) {
    advance_one_tick(next);
    while (raw_syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME,
                       reinterpret_cast<long>(&next), 0) == -EINTR) {
    }
    update_shared_user_data_clock(*k);
  }
}

void updater_thread(win::KUSER_SHARED_DATA* k) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);  // process-directed signals belong to Windows code
  pthread_setname_np(pthread_self(), "ir-shared-data");
  timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (;;) {
    advance_one_tick(next);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr) == EINTR) {
    }
    update_shared_user_data_time(*k);
  }
}

bool start_updater_clone(win::KUSER_SHARED_DATA* k) {
  void* stack = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return false;
  // The child starts with its creator's signal mask: all blocked, so process-directed signals
  // always go to the threads that run Windows code.
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  // A thread of our group (it dies with the process) without CLONE_FILES (its own file table).
  const int tid = clone(updater_clone, static_cast<char*>(stack) + kStackSize,
                        CLONE_VM | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, k);
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (tid < 0) {
    munmap(stack, kStackSize);
    return false;
  }
  return true;
}

}  // namespace

void start_shared_data_updater(win::KUSER_SHARED_DATA* data) {
  if (!start_updater_clone(data)) std::thread(updater_thread, data).detach();
}

}  // namespace ireactor::loader
