/* The performance counter, precise system time and unbiased interrupt time. */
#include "env_private.h"

NTDLL_EXPORT BOOLEAN NTAPI RtlQueryPerformanceCounter(PLARGE_INTEGER counter) {
  NtQueryPerformanceCounter(counter, NULL);
  return TRUE;
}

NTDLL_EXPORT BOOLEAN NTAPI RtlQueryPerformanceFrequency(PLARGE_INTEGER frequency) {
  LARGE_INTEGER counter;
  NtQueryPerformanceCounter(&counter, frequency);
  return TRUE;
}

/* The system time at the clock's full resolution (KUSER_SHARED_DATA's copy moves once per tick):
 * what NtQuerySystemTime serves. */
NTDLL_EXPORT LONGLONG NTAPI RtlGetSystemTimePrecise(void) {
  LARGE_INTEGER now;
  NtQuerySystemTime(&now);
  return now.QuadPart;
}

/* The interrupt time without the time spent asleep (InterruptTimeBias). */
NTDLL_EXPORT BOOL NTAPI RtlQueryUnbiasedInterruptTime(PULONGLONG time) {
  const ULONGLONG bias = *(const volatile ULONGLONG*)(ENV_KUSER + ENV_KUSER_INTERRUPT_TIME_BIAS);
  *time = (ULONGLONG)env_read_ksystem_time(ENV_KUSER_INTERRUPT_TIME) - bias;
  return TRUE;
}
