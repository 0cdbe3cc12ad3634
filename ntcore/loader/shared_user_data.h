// KUSER_SHARED_DATA at 0x7ffe0000: one memfd page mapped twice, read-only at the fixed address
// for Windows code and writable elsewhere for the runtime, whose updater (shared_data_updater.h)
// keeps the time fields live (every 15.625 ms, Windows' default clock tick).
#pragma once

#include "ireactor/win/kuser_shared_data.h"
#include "load_status.h"
#include "windows_version.h"

namespace ireactor::loader {

inline constexpr uint64_t kClockTick100ns = 156250;  // 15.625 ms

// Maps the page (once per process), fills it for `version`, records it in the address space
// (MEM_PRIVATE, PAGE_READONLY) and starts the updater. A second call only refreshes the
// version fields.
LoadStatus map_shared_user_data(const WindowsVersion& version);

// The runtime's writable view; nullptr before map_shared_user_data.
win::KUSER_SHARED_DATA* shared_user_data_writable();

// Publishes the current interrupt time, system time, tick count and time zone bias into `data`
// in the order lock-free readers expect.
void update_shared_user_data_time(win::KUSER_SHARED_DATA& data);
// The same without the time zone bias (which needs libc's time zone state): what the updater
// process (shared_data_updater.h) can call. Returns the interrupt time published.
int64_t update_shared_user_data_clock(win::KUSER_SHARED_DATA& data);

// Stores a KSYSTEM_TIME as the kernel does: High2Time, then LowPart, then High1Time.
void store_ksystem_time(win::KSYSTEM_TIME& t, int64_t value);
// Reads one as Windows code does (retrying while High1Time != High2Time).
int64_t load_ksystem_time(const volatile win::KSYSTEM_TIME& t);

}  // namespace ireactor::loader
