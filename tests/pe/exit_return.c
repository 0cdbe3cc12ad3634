/* Returns from its entry point instead of calling NtTerminateProcess: as on Windows, the value
 * returned becomes the process's exit status (argument status=N, default 7). */
#include "nttest.h"

static NTSTATUS write_stdout(const char* buf, ULONG len) {
  IO_STATUS_BLOCK iosb;
  return NtWriteFile(nt_peb()->ProcessParameters->StandardOutput, 0, 0, 0, &iosb, buf, len, 0, 0);
}

/* The entry point (-e exit_return_start). */
ULONG exit_return_start(PEB* peb) {
  nt_output_hook = write_stdout;
  CHECK(peb == 0 || peb == nt_peb()); /* Windows passes the PEB */
  const char* s = nt_arg_value("status");
  ULONG status = s ? (ULONG)nt_atoll(s) : 7;
  nt_printf("%d passed, %d failed\n", nt_passed, nt_failed);
  nt_printf("# returning %u from the entry point\n", status);
  return nt_failed ? 1 : status;
}

void test_main(void) {}
