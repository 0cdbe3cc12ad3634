/* The program whose NT calls tests/trace counts: a known number of calls to services the nttest
 * harness itself never issues, some of them failing. Prints what it issued, for the log. */
#include "nttest.h"

enum { kTimeCalls = 1000, kBadTimeCalls = 7, kYieldCalls = 25 };

void test_main(void) {
  LARGE_INTEGER t;
  for (int i = 0; i < kTimeCalls; ++i) NtQuerySystemTime(&t);
  for (int i = 0; i < kBadTimeCalls; ++i) NtQuerySystemTime(0); /* STATUS_ACCESS_VIOLATION */
  for (int i = 0; i < kYieldCalls; ++i) NtYieldExecution();
  nt_printf("issued NtQuerySystemTime %d (%d failing), NtYieldExecution %d\n",
            kTimeCalls + kBadTimeCalls, kBadTimeCalls, kYieldCalls);
}
