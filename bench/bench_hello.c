/* The smallest Windows program worth timing: startup cost of a hello world. */
#include "nttest.h"

void entry(PEB* peb) {
  static const char text[] = "hello\n";
  IO_STATUS_BLOCK iosb;
  NtWriteFile(peb->ProcessParameters->StandardOutput, 0, 0, 0, &iosb, (PVOID)text, sizeof text - 1,
              0, 0);
  NtTerminateProcess(NtCurrentProcess(), 0);
}
