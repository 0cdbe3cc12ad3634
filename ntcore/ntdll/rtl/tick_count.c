/* NtGetTickCount: milliseconds since boot, from KUSER_SHARED_DATA (the runtime keeps its tick
 * count live), as Windows' user-mode ntdll computes it: no system call. */
#include "ntdll_base.h"

#define KUSER_SHARED_DATA_ADDRESS 0x7FFE0000
#define KUSER_TICK_COUNT_MULTIPLIER 0x004 /* ULONG */
#define KUSER_TICK_COUNT 0x320            /* KSYSTEM_TIME: LowPart, High1Time, High2Time */

NTDLL_EXPORT ULONG NTAPI NtGetTickCount(void) {
  const volatile BYTE* kuser = (const volatile BYTE*)KUSER_SHARED_DATA_ADDRESS;
  const volatile ULONG* tick = (const volatile ULONG*)(kuser + KUSER_TICK_COUNT);
  ULONG low, high;
  do {  // the writer stores High2Time, LowPart, then High1Time: equal highs mean a whole value
    high = tick[1];
    low = tick[0];
  } while (high != tick[2]);
  const ULONG multiplier = *(const volatile ULONG*)(kuser + KUSER_TICK_COUNT_MULTIPLIER);
  const ULONGLONG ticks = ((ULONGLONG)high << 32) | low;
  return (ULONG)((ticks * multiplier) >> 24);
}
