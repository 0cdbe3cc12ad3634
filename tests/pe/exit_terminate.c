/* Ends through NtTerminateProcess with a chosen status (argument status=N, decimal or 0x-hex;
 * default 42). The ctest checks the process exit status: the status's low 8 bits. */
#include "nttest.h"

static NTSTATUS parse_status(const char* s) {
  if (!s) return 42;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    ULONG v = 0;
    for (s += 2; *s; s++) {
      int d = (*s >= '0' && *s <= '9')   ? *s - '0'
              : (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
              : (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10
                                         : -1;
      if (d < 0) break;
      v = v * 16 + (ULONG)d;
    }
    return (NTSTATUS)v;
  }
  return (NTSTATUS)nt_atoll(s);
}

void test_main(void) {
  NTSTATUS status = parse_status(nt_arg_value("status"));
  PROCESS_BASIC_INFORMATION pbi;
  CHECK_OK(
      NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi, sizeof pbi, 0));
  CHECK_STATUS(pbi.ExitStatus, STATUS_PENDING);
  nt_printf("%d passed, %d failed\n", nt_passed, nt_failed);
  nt_printf("# terminating with status 0x%08x\n", (unsigned)status);
  NtTerminateProcess(NtCurrentProcess(), status);
  /* Not reached: NtTerminateProcess on the current process does not return. */
  nt_printf("FAIL NtTerminateProcess returned\n");
  NtTerminateProcess(NtCurrentProcess(), 1);
}
