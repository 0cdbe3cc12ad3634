/* The first of our ntdll's own exports: RtlGetCurrentPeb and NtGetTickCount (user-mode reads of
 * the TEB and of KUSER_SHARED_DATA, no system call). */
#include "nttest.h"

void* NTAPI RtlGetCurrentPeb(void);
ULONG NTAPI NtGetTickCount(void);

static void* teb_peb(void) {
  void* peb;
  __asm__("movq %%gs:0x60, %0" : "=r"(peb));
  return peb;
}

static void test_current_peb(void) {
  CHECK(RtlGetCurrentPeb() != NULL);
  CHECK(RtlGetCurrentPeb() == teb_peb());
}

/* The tick count is milliseconds since boot at the clock's resolution (15.625 ms on Windows):
 * it never goes back, and a 100 ms sleep moves it by about that much. */
static void test_tick_count(void) {
  const ULONG before = NtGetTickCount();
  LARGE_INTEGER delay;
  delay.QuadPart = -100 * 10000LL; /* 100 ms, relative */
  CHECK_OK(NtDelayExecution(FALSE, &delay));
  const ULONG after = NtGetTickCount();
  CHECK(after >= before);
  nt_note("NtGetTickCount moved %u ms over a 100 ms sleep", after - before);
  CHECK(after - before >= 60 && after - before <= 1000);
  CHECK(before > 0);
}

void test_main(void) {
  test_current_peb();
  test_tick_count();
}
