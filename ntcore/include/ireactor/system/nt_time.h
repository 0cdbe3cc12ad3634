// NT time values and their Linux counterparts. NT counts 100 ns ticks: system time (FILETIME) from
// 1601-01-01 UTC, intervals as plain tick counts, and the performance counter at 10 MHz (the
// frequency Windows 10 and later report) from CLOCK_MONOTONIC. Header-only: the performance
// counter is on a hot path and must stay a vDSO clock_gettime with no system call.
#pragma once

#include <time.h>

#include <cstdint>

namespace ireactor {

inline constexpr int64_t kTicksPerSecond = 10'000'000;  // 100 ns units
inline constexpr int64_t kNanosecondsPerTick = 100;
// 1970-01-01 00:00:00 UTC as a FILETIME.
inline constexpr int64_t kUnixEpochAsFileTime = 116'444'736'000'000'000;
// QueryPerformanceFrequency on Windows 10 1607 and later.
inline constexpr int64_t kPerformanceFrequency = kTicksPerSecond;

// A duration or an instant on any Linux clock, as 100 ns ticks (sub-tick nanoseconds dropped).
constexpr int64_t ticks_from_timespec(const timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * kTicksPerSecond + ts.tv_nsec / kNanosecondsPerTick;
}

// Ticks back to a timespec; negative tick counts give a normalised negative timespec
// (tv_nsec always in [0, 1e9)).
constexpr timespec timespec_from_ticks(int64_t ticks) {
  int64_t sec = ticks / kTicksPerSecond;
  int64_t rem = ticks % kTicksPerSecond;
  if (rem < 0) {
    rem += kTicksPerSecond;
    --sec;
  }
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(sec);
  ts.tv_nsec = static_cast<long>(rem * kNanosecondsPerTick);
  return ts;
}

// CLOCK_REALTIME instants <-> FILETIME (UTC).
constexpr int64_t filetime_from_unix(const timespec& ts) {
  return ticks_from_timespec(ts) + kUnixEpochAsFileTime;
}
constexpr timespec unix_from_filetime(int64_t filetime) {
  return timespec_from_ticks(filetime - kUnixEpochAsFileTime);
}
constexpr int64_t filetime_from_unix_seconds(int64_t seconds) {
  return seconds * kTicksPerSecond + kUnixEpochAsFileTime;
}

// NtQuerySystemTime: now, as a FILETIME.
inline int64_t current_system_time() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return filetime_from_unix(ts);
}

// NtQueryPerformanceCounter: CLOCK_MONOTONIC in 100 ns ticks (kPerformanceFrequency per second).
inline int64_t current_performance_counter() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ticks_from_timespec(ts);
}

// Time since boot including suspend, as Windows' interrupt time counts it, in ticks.
inline int64_t current_interrupt_time() {
  timespec ts;
  clock_gettime(CLOCK_BOOTTIME, &ts);
  return ticks_from_timespec(ts);
}

static_assert(filetime_from_unix(timespec{0, 0}) == kUnixEpochAsFileTime);
static_assert(unix_from_filetime(kUnixEpochAsFileTime - 1).tv_sec == -1);
static_assert(unix_from_filetime(kUnixEpochAsFileTime - 1).tv_nsec == 999'999'900);

}  // namespace ireactor
